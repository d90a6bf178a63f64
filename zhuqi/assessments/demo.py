"""The demo's targets and assessment (registered in apps.py, loaded after every module): the zone's expected
indicators for 2024 and this year split among the parks, the service indicators' targets, the values the parks
reported month by month (电气装备产业园区 in 2020: 252 new market entities against a target of 200, 126%, as its
newspaper reported; the monthly split and the other figures are generated demo data), the last months assessed from
the demo's records with the month before last closed and one adjustment with its reason."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from zhuqi.org.models import Department, Park, User

from . import services
from .install import indicators_ensure
from .models import ZONE, ClosedMonth
from .scoring import previous_month

PARK = "电气装备产业园区"
SEED_2020 = [14, 12, 22, 25, 24, 23, 21, 20, 22, 24, 22, 23]  # 252
SEED_2019 = [13, 11, 19, 20, 20, 19, 18, 18, 19, 19, 19, 19]  # 224

ZONE_TARGETS = {  # the zone's expected indicators (家, %, 亿元)
    "new_market_entities": 1600, "four_above_firms": 40, "high_tech_firms": 120, "industry_value_growth": 8,
    "fixed_asset_investment": 95, "investment_in_place": 60,
}  # fmt: skip


def load_demo_assessments(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    indicators_ensure()
    office = User.objects.filter(username="zone").first() or User.objects.filter(role="zone_coordinator").first()
    if office is None:
        return 0
    parks = list(Park.objects.order_by("sort_order", "name"))
    departments = list(Department.objects.order_by("sort_order", "name"))
    count = 0
    park = Park.objects.filter(name=PARK).first()
    if park is not None:
        key = f"park:{park.pk}"
        services.target_set(year=2020, unit_key=key, indicator_code="new_market_entities", value=200, by=office)
        services.target_set(year=2019, unit_key=key, indicator_code="new_market_entities", value=180, by=office)
        services.target_set(year=2020, unit_key=key, indicator_code="four_above_firms", value=6, by=office)
        count += 3
        for year, months in ((2020, SEED_2020), (2019, SEED_2019)):
            for month, value in enumerate(months, start=1):
                services.reported_value_record(year=year, month=month, unit_key=key, by=office,
                                               indicator_code="new_market_entities", value=value)  # fmt: skip
        services.reported_value_record(year=2020, month=12, unit_key=key, indicator_code="four_above_firms",
                                       value=8, by=office, note="全年新增“四上”企业")  # fmt: skip
    for year in sorted({2024, today.year}):
        last_month = 12 if year < today.year else max(today.month - 1, 1)
        for code, value in ZONE_TARGETS.items():
            services.target_set(year=year, unit_key=ZONE, indicator_code=code, value=value, by=office)
            count += 1
            for p in parks:
                share = Decimal(value) / len(parks) if parks else Decimal(0)
                if code == "industry_value_growth":
                    share = Decimal(value)
                whole = code in ("new_market_entities", "four_above_firms", "high_tech_firms")
                share = share.quantize(Decimal(1) if whole else Decimal("0.01"))
                services.target_set(year=year, unit_key=f"park:{p.pk}", indicator_code=code,
                                    value=share, by=office)  # fmt: skip
                count += 1
                if code in ("new_market_entities", "fixed_asset_investment", "investment_in_place"):
                    for month in range(1, last_month + 1):
                        services.reported_value_record(
                            year=year, month=month, unit_key=f"park:{p.pk}", indicator_code=code, by=office,
                            value=(share / 12 * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal(1) if whole else Decimal("0.01")),
                        )  # fmt: skip
        services.target_set(year=year, unit_key=ZONE, indicator_code="on_time_rate", value=95, by=office)
        services.target_set(year=year, unit_key=ZONE, indicator_code="visit_coverage", value=30, by=office)
        count += 2
    # the last months assessed: the month before last closed, last month open with an adjustment
    last = previous_month(today.year, today.month)
    before = previous_month(*last)
    if departments:
        services.adjustment_record(year=last[0], month=last[1], unit_key=f"department:{departments[0].pk}",
                                   indicator_code="supervision", points=Decimal("2"), by=office,
                                   reason="督办件已于月内提前办结，经管委会研究酌情加分")  # fmt: skip
    if not ClosedMonth.objects.filter(year=before[0], month=before[1]).exists():
        services.month_close(year=before[0], month=before[1], by=office)
    return count
