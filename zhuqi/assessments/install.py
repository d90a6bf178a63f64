"""The assessment indicators the issue names, as data (a first version valid from 2020): installed by the demo and
by the zone office's first visit to the targets page; later versions are added beside them, never edited over."""

import datetime
from decimal import Decimal

from django.db import transaction

from .models import AppliesTo, AssessmentIndicator, Direction, Kind, Scoring, Source

START = datetime.date(2020, 1, 1)


def _rate(part: str, whole: str) -> str:
    # nothing due in the month: nothing missed
    return f"{whole} == 0 ? 100.0 : double({part}) * 100.0 / double({whole})"


SERVICE = [
    # code, name, unit, applies to, formula, scoring, params, weight
    ("on_time_rate", "按期办结率", "%", AppliesTo.ALL, _rate("cases_closed_on_time", "cases_closed"),
     Scoring.PROPORTIONAL, {"target": 95}, "20"),
    ("satisfaction_rate", "满意率", "%", AppliesTo.ALL, _rate("cases_satisfied", "cases_rated"),
     Scoring.BANDS, {"bands": [[95, 15], [90, 12], [80, 8], [60, 4]]}, "15"),
    ("supervision", "督办件数", "件", AppliesTo.ALL, "cases_supervised + cases_overdue",
     Scoring.DEDUCTION, {"per": 2}, "10"),
    ("visit_coverage", "走访覆盖率", "%", AppliesTo.PARK, _rate("firms_visited", "firms_assigned"),
     Scoring.PROPORTIONAL, {"target": 30}, "15"),
    ("hazard_on_time_rate", "隐患按期整改率", "%", AppliesTo.ALL,
     _rate("hazards_on_time", "hazards_on_time + hazards_overdue"), Scoring.PROPORTIONAL, {"target": 100}, "15"),
    ("alarm_ack_rate", "告警按时确认率", "%", AppliesTo.PARK, _rate("alarms_acknowledged_in_time", "alarms"),
     Scoring.PROPORTIONAL, {"target": 100}, "10"),
    ("return_on_time_rate", "报表按时报送率", "%", AppliesTo.PARK, _rate("returns_on_time", "returns_due"),
     Scoring.PROPORTIONAL, {"target": 100}, "10"),
    ("payment_days", "政策兑现时长", "天", AppliesTo.DEPARTMENT,
     "payments == 0 ? 0.0 : double(payment_days) / double(payments)",
     Scoring.BANDS, {"bands": [[15, 5], [30, 4], [45, 2]]}, "5"),
]  # fmt: skip

EXPECTED = [
    # code, name, unit, source, formula
    ("new_market_entities", "新增市场主体", "家", Source.REPORTED, ""),
    ("four_above_firms", "四上企业", "家", Source.REPORTED, ""),
    ("high_tech_firms", "高新技术企业数", "家", Source.REPORTED, ""),
    ("industry_value_growth", "规上工业增加值增速", "%", Source.REPORTED, ""),
    ("fixed_asset_investment", "固定资产投资", "亿元", Source.REPORTED, ""),
    ("investment_in_place", "招商引资到位资金", "亿元", Source.REPORTED, ""),
    ("firms_established", "新登记企业（平台登记）", "家", Source.FORMULA, "firms_established"),
]


@transaction.atomic
def indicators_ensure() -> int:
    """Adds the first version of each indicator that has none; returns how many were added."""
    have = set(AssessmentIndicator.objects.values_list("code", flat=True))
    added = []
    for order, (code, name, unit, applies, formula, scoring, params, weight) in enumerate(SERVICE):
        if code not in have:
            added.append(AssessmentIndicator(
                code=code, version=1, valid_from=START, name=name, unit=unit, kind=Kind.SERVICE,
                direction=Direction.LOWER if code in ("supervision", "payment_days") else Direction.HIGHER,
                applies_to=applies, formula=formula, scoring=scoring, params=params, max_points=Decimal(weight),
                order=order,
            ))  # fmt: skip
    for order, (code, name, unit, source, formula) in enumerate(EXPECTED, start=100):
        if code not in have:
            added.append(AssessmentIndicator(
                code=code, version=1, valid_from=START, name=name, unit=unit, kind=Kind.EXPECTED, source=source,
                formula=formula, scoring=Scoring.PROPORTIONAL, params={}, max_points=Decimal(0), order=order,
            ))  # fmt: skip
    AssessmentIndicator.objects.bulk_create(added)
    return len(added)
