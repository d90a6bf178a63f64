import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zhuqi.org.models import Department, Role
from zhuqi.org.tests.factories import UserFactory
from zhuqi.pollution import measures, rules
from zhuqi.pollution.models import BUREAU, EmissionSource, Grade, GradeRecord, PollutionFirm, Sector


def listed(enterprise, *, grade=Grade.B, sector=Sector.CEMENT, approval="100", permit="90", last_year="80", lines=2,
           livelihood=False, by=None):  # fmt: skip
    firm = PollutionFirm.objects.create(enterprise=enterprise, sector=sector, grade=grade,
                                        graded_on=datetime.date(2023, 9, 30), grade_document="平环〔2023〕1号",
                                        approval_capacity=Decimal(approval), permit_capacity=Decimal(permit),
                                        last_year_daily=Decimal(last_year) if last_year else None,
                                        normal_load_kw=Decimal("1000"), livelihood=livelihood)  # fmt: skip
    for n in range(lines):
        EmissionSource.objects.create(firm=firm, name=f"{n + 1}号线", so2=Decimal(10), nox=Decimal(20), pm=Decimal(5),
                                      vocs=Decimal(2))  # fmt: skip
    if by is not None:
        GradeRecord.objects.create(enterprise=enterprise, grade=grade, graded_on=datetime.date(2023, 9, 30),
                                   document="平环〔2023〕1号", recorded_by=by)  # fmt: skip
    return firm


@pytest.fixture
def pz(zone):
    """The zone with the bureau's handler, both firms on the list (森源 B, 君易安 C), the guide's defaults."""
    measures.measures_install()
    rules.rules_install()
    bureau = Department.objects.create(name=BUREAU)
    zone.users["bureau"] = UserFactory(username="huanbao", role=Role.DEPARTMENT_HANDLER, department=bureau)
    zone.firm_a = listed(zone.enterprise_a, grade=Grade.B, by=zone.users["bureau"])
    zone.firm_b = listed(zone.enterprise_b, grade=Grade.C, by=zone.users["bureau"])
    return zone


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
