import datetime

import pytest
from django.utils import timezone

from zhuqi.dispatch import services
from zhuqi.enterprises.tests.factories import EnterpriseFactory

FIRST_DAY = datetime.date(2026, 2, 23)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def values(status="normal", on=90, planned=100, output="8", rate=None, normal="10", problems="") -> dict:
    return {"operating_status": status, "staff_on_duty": on, "staff_planned": planned, "output_value": output,
            "capacity_utilisation": rate, "normal_output": normal, "problems": problems}  # fmt: skip


@pytest.fixture
def dispatch(zone):
    """Four target firms: 森源 (A1) and A2 in park A, 君易安 (B1) in park B, all manufacturing (C), and B2 in
    park B in software (I); a period over three days with a 09:00 cut-off, opened by the zone office."""
    a2 = EnterpriseFactory(name="平顶山华晟尼龙有限公司", park=zone.park_a, industry="C",
                           service_officer=zone.users["officer_a"])  # fmt: skip
    b2 = EnterpriseFactory(name="平顶山云数软件有限公司", park=zone.park_b, industry="I",
                           service_officer=zone.users["officer_b"])  # fmt: skip
    zone.enterprise_a.industry = zone.enterprise_b.industry = "C"
    zone.enterprise_a.save()
    zone.enterprise_b.save()
    period = services.period_create(
        by=zone.users["coordinator"], name="节后复工调度", kind="resumption", starts_on=FIRST_DAY,
        ends_on=FIRST_DAY + datetime.timedelta(days=2), cutoff=datetime.time(9, 0),
        enterprises=[zone.enterprise_a, a2, zone.enterprise_b, b2],
    )  # fmt: skip
    period = services.period_open(by=zone.users["coordinator"], period=period)
    zone.a2, zone.b2, zone.period = a2, b2, period
    return zone
