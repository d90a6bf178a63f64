"""The dispatch's figures as each firm's indicator values of the day (so the assessment reads them through
indicators.facts_of), and the offices' workbook of a day's and the period's figures by park and the firms not
reported."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.dispatch import services
from zhuqi.indicators.models import IndicatorValue, Origin
from zhuqi.indicators.selectors import facts_of, indicator_values

from .conftest import FIRST_DAY, at, values
from .test_figures import SECOND_DAY, reported  # noqa: F401 -- the hand-computed fixture

pytestmark = pytest.mark.django_db


def test_each_report_is_recorded_as_the_firms_indicator_values_of_its_day(reported):  # noqa: F811
    z = reported
    day = FIRST_DAY.isoformat()
    assert indicator_values(enterprise=z.a2, period=day) == {
        "dispatch_working": True,
        "dispatch_staff_on_duty": 30,
        "dispatch_staff_planned": 60,
        "dispatch_staff_return_rate": Decimal("50.0"),
        "dispatch_output": Decimal("20000"),
        "dispatch_normal_output": Decimal("40000"),
        "dispatch_capacity_recovery_rate": Decimal("50.0"),
        "dispatch_reported_late": False,
    }  # fmt: skip  (amounts kept in 元: 2 and 4 万元)
    facts = facts_of(enterprises=[z.enterprise_a, z.enterprise_b, z.b2], period=day,
                     codes=["dispatch_working", "dispatch_capacity_recovery_rate"])  # fmt: skip
    assert facts[z.enterprise_a.pk] == {"dispatch_working": True, "dispatch_capacity_recovery_rate": Decimal("80.0")}
    assert facts[z.enterprise_b.pk]["dispatch_working"] is False
    assert z.b2.pk not in facts  # not reported: nothing recorded, never a guess
    value = IndicatorValue.objects.get(enterprise=z.a2, indicator__code="dispatch_working", period=day)
    assert value.origin == Origin.RETURN and value.origin_ref.startswith("dispatch.report:")
    # the zone's 复工率 of the day is the count of these over the targets: 2 of 4
    working = sum(1 for f in facts_of(enterprises=[z.enterprise_a, z.a2, z.enterprise_b, z.b2], period=day,
                                      codes=["dispatch_working"]).values() if f.get("dispatch_working"))  # fmt: skip
    assert working == 2


def test_a_correction_the_same_day_adds_a_version_and_keeps_the_first(reported):  # noqa: F811
    z = reported
    services.report_submit(by=z.users["enterprise_a"], period=z.period, enterprise=z.enterprise_a,
                           values=values("normal", 95, 100, output="9", normal="10"), now=at(SECOND_DAY, 10))  # fmt: skip
    history = IndicatorValue.objects.filter(enterprise=z.enterprise_a, indicator__code="dispatch_staff_on_duty",
                                            period=SECOND_DAY.isoformat()).order_by("version")  # fmt: skip
    assert [(v.number, v.is_current) for v in history] == [(Decimal(50), False), (Decimal(95), True)]
    assert indicator_values(enterprise=z.enterprise_a, period=SECOND_DAY.isoformat())["dispatch_reported_late"] is True


def test_the_workbook_has_the_days_figures_by_park_day_by_day_and_the_firms_not_reported(reported, client):  # noqa: F811
    z = reported
    client.force_login(z.users["coordinator"])
    response = client.get(reverse("dispatch-export", args=[z.period.pk]), {"day": FIRST_DAY.isoformat()})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["当日分园区", "逐日汇总", "逐日分园区", "未报送企业"]
    day = book["当日分园区"]
    assert [c.value for c in day[2]][:7] == ["序号", "园区", "调度企业数", "已报送", "报送率(%)", "已复工", "复工率(%)"]
    rows = {r[1]: r for r in day.iter_rows(min_row=3, values_only=True)}
    # park B: 君易安 stopped, 云数 not reported: 0 of 2 resumed, 1 of 2 reported; 返岗率 2/50
    assert rows[z.park_b.name][2:8] == (2, 1, 50.0, 0, 0.0, 2)
    assert rows[z.park_b.name][9] == 4.0
    assert rows["合计"][2:7] == (4, 3, 75.0, 2, 50.0)
    series = list(book["逐日汇总"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[5]) for r in series][:2] == [(FIRST_DAY.isoformat(), 50.0), (SECOND_DAY.isoformat(), 100.0)]
    by_park = {(r[0], r[1]): r for r in book["逐日分园区"].iter_rows(min_row=3, values_only=True)}
    assert by_park[(FIRST_DAY.isoformat(), z.park_b.name)][6] == 0.0
    assert by_park[(SECOND_DAY.isoformat(), z.park_b.name)][2:7] == (2, 2, 100.0, 2, 100.0)
    missing = list(book["未报送企业"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[4]) for r in missing] == [(z.park_b.name, z.b2.name, z.users["officer_b"].full_name)]


@pytest.mark.parametrize("who, status", [("officer_a", 200), ("enterprise_a", 403), ("auditor", 403)])
def test_the_workbook_is_for_staff_and_a_park_officer_gets_its_park_only(reported, client, who, status):  # noqa: F811
    client.force_login(reported.users[who])
    response = client.get(reverse("dispatch-export", args=[reported.period.pk]), {"day": FIRST_DAY.isoformat()})
    assert response.status_code in ((status,) if status == 200 else (403, 404))
    if status == 200:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        parks = {r[1] for r in book["当日分园区"].iter_rows(min_row=3, values_only=True)}
        assert parks == {reported.park_a.name, "合计"}
