"""Reads: the indicators in effect, the units assessed, a month's scores (live, or frozen once the month is closed
with the live figures beside), the ranking with its movement, and the targets' progress. What other modules read
goes through the registered selectors at the end (assessments.ranking, .unit_scores, .progress)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Max, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from zhuqi.org.models import Department, Park, Role

from .models import (
    ZONE,
    Adjustment,
    AssessmentIndicator,
    ClosedMonth,
    FrozenScore,
    Kind,
    ReportedValue,
    Source,
    Target,
)  # fmt: skip
from .scoring import Book, Line, Spec, figures_over, month_span, previous_month, quantize, records_url, unit_facts

# -- who sees what ---------------------------------------------------------------------------------------------------


def can_see_assessment(user) -> bool:
    return getattr(user, "role", None) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)


def can_manage(user) -> bool:
    """The zone office enters targets, adjusts scores and closes months."""
    return getattr(user, "role", None) == Role.ZONE_COORDINATOR


def own_unit(user) -> str | None:
    if getattr(user, "role", None) == Role.DEPARTMENT_HANDLER and user.department_id:
        return f"department:{user.department_id}"
    if getattr(user, "role", None) == Role.PARK_OFFICER and user.park_id:
        return f"park:{user.park_id}"
    return None


def may_see_unit(user, unit_key: str) -> bool:
    """The zone office sees every unit's drill-down; a department or park its own only."""
    if can_manage(user):
        return unit_key == ZONE or unit_key in units()
    return unit_key == own_unit(user)


def unit_get_for_user(user, unit_key: str) -> str:
    if not may_see_unit(user, unit_key):
        raise Http404
    return unit_key


def targets_visible_to(user) -> QuerySet:
    if can_manage(user):
        return Target.objects.all()
    unit = own_unit(user)
    return Target.objects.filter(unit_key__in=[ZONE, unit]) if unit else Target.objects.none()


# -- units and indicators ---------------------------------------------------------------------------------------------


def units() -> dict[str, tuple[str, str]]:
    """{unit_key: (name, kind)} of every department and park, in their order."""
    found = {f"department:{pk}": (name, "department")
             for pk, name in Department.objects.order_by("sort_order", "name").values_list("pk", "name")}  # fmt: skip
    found |= {f"park:{pk}": (name, "park")
              for pk, name in Park.objects.order_by("sort_order", "name").values_list("pk", "name")}  # fmt: skip
    return found


def unit_name(unit_key: str) -> str:
    if unit_key == ZONE:
        from django.conf import settings

        return settings.ZHUQI_ZONE_NAME if hasattr(settings, "ZHUQI_ZONE_NAME") else "全区"
    return units().get(unit_key, (unit_key, ""))[0]


def indicators_in_effect(*, on: datetime.date, kind: str | None = None) -> list[AssessmentIndicator]:
    """Each indicator's latest version valid from on or before the day."""
    rows = AssessmentIndicator.objects.filter(valid_from__lte=on).order_by("order", "code", "-version", "-valid_from")
    if kind:
        rows = rows.filter(kind=kind)
    seen, found = set(), []
    for row in rows:
        if row.code not in seen:
            seen.add(row.code)
            found.append(row)
    return found


def indicator_versions() -> QuerySet:
    return AssessmentIndicator.objects.order_by("order", "code", "-version")


def _targets(year: int, codes: Iterable[str]) -> dict[tuple[str, str], Decimal]:
    return {(t.unit_key, t.indicator_code): t.value
            for t in Target.objects.filter(year=year, indicator_code__in=list(codes))}  # fmt: skip


def _adjustments(year: int, month: int) -> dict[tuple[str, str], Adjustment]:
    """The adjustment that counts (the latest) for each (unit, indicator) of the month."""
    latest: dict[tuple[str, str], Adjustment] = {}
    for a in Adjustment.objects.filter(year=year, month=month).order_by("at", "id"):
        latest[(a.unit_key, a.indicator_code)] = a
    return latest


def adjustment_history(*, year: int, month: int, unit_key: str) -> QuerySet:
    return Adjustment.objects.filter(year=year, month=month, unit_key=unit_key).select_related("by")


# -- a month's scores --------------------------------------------------------------------------------------------------


class MonthScores:
    """Every unit's lines of one month computed from the live figures."""

    def __init__(self, year: int, month: int):
        self.year, self.month = year, month
        self.start, self.end = month_span(year, month)
        self.specs = [Spec.of(row) for row in indicators_in_effect(on=self.start, kind=Kind.SERVICE)]
        self.figures, self.sources = figures_over(self.start, self.end)
        self.book = Book(self.specs, self.figures)
        self.targets = _targets(year, [s.code for s in self.specs])
        self.adjustments = _adjustments(year, month)
        self.units = units()

    def target_of(self, spec: Spec, unit_key: str) -> Decimal | None:
        found = self.targets.get((unit_key, spec.code)) or self.targets.get((ZONE, spec.code))
        if found is None and spec.params.get("target") is not None:
            found = Decimal(str(spec.params["target"]))
        return found

    def lines(self, unit_key: str) -> list[Line]:
        from .scoring import points_for

        found = []
        for spec in self.specs:
            if not spec.applies(unit_key):
                continue
            facts = unit_facts(self.figures, unit_key, spec.reads)
            value = self.book.value(spec.code, facts)
            target = self.target_of(spec, unit_key)
            adjustment = self.adjustments.get((unit_key, spec.code))
            found.append(Line(spec, value, target, points_for(spec, value, target), facts,
                              adjustment.points if adjustment and adjustment.points else None,
                              adjustment.reason if adjustment and adjustment.points else ""))  # fmt: skip
        return found

    def totals(self) -> dict[str, Decimal]:
        return {key: quantize(sum((line.points for line in self.lines(key)), Decimal(0))) for key in self.units}

    def records(self, figure: str, unit_key: str) -> str | None:
        return records_url(self.sources, figure, unit_key, self.start, self.end)


def closed_month(year: int, month: int) -> ClosedMonth | None:
    return ClosedMonth.objects.filter(year=year, month=month).first()


def _ranked(totals: dict[str, Decimal]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank."""
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    ranks, last, rank = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != last:
            rank, last = i, total
        ranks[key] = rank
    return ranks


def _standing(year: int, month: int) -> tuple[dict[str, Decimal], dict[str, int], dict[str, str], bool]:
    """(totals, ranks, names, frozen) of a month: a closed month's as stored, an open one's from the data."""
    closed = closed_month(year, month)
    if closed is not None:
        rows = list(closed.scores.filter(indicator_code=""))
        return ({r.unit_key: r.points for r in rows}, {r.unit_key: r.rank for r in rows},
                {r.unit_key: r.unit_name for r in rows}, True)  # fmt: skip
    scores = MonthScores(year, month)
    totals = scores.totals()
    return totals, _ranked(totals), {k: v[0] for k, v in scores.units.items()}, False


def unit_url(unit_key: str, year: int, month: int) -> str:
    return reverse("assessment-unit", args=[unit_key, year, month])


def ranking(*, year: int, month: int) -> list[dict]:
    """Every assessed unit, best first, with its rank last month and how far it moved (positive: up)."""
    totals, ranks, names, frozen = _standing(year, month)
    _t, before, _n, _f = _standing(*previous_month(year, month))
    rows = []
    for key in sorted(totals, key=lambda k: (ranks[k], names.get(k, k))):
        previous = before.get(key)
        rows.append({
            "unit_key": key, "unit_name": names.get(key, key), "unit_kind": key.split(":")[0],
            "score": totals[key], "rank": ranks[key], "previous_rank": previous,
            "movement": (previous - ranks[key]) if previous else 0, "frozen": frozen,
            "url": unit_url(key, year, month),
        })  # fmt: skip
    return rows


def _line_dict(line: Line, records) -> dict:
    spec = line.spec
    url = next((u for u in (records(code) for code in spec.reads) if u), None)
    return {
        "code": spec.code, "name": spec.name, "unit": spec.unit, "value": line.value, "target": line.target,
        "points": line.points, "max_points": spec.max_points, "formula": spec.formula,
        "adjustment": line.adjustment, "reason": line.reason, "records_url": url,
        # beyond the registered shape: for the unit's page
        "version": spec.version, "method": spec.method_text(), "computed_points": line.computed,
        "inputs": [{"code": code, "value": value, "url": records(code)} for code, value in line.inputs.items()],
        "source_document": spec.source_document,
    }  # fmt: skip


def unit_score_sheet(*, year: int, month: int, unit_key: str) -> dict:
    """A unit's lines with everything the page shows: for a closed month the stored lines, each with the value and
    points the data give now beside it where they differ (a later correction), never in its place."""
    scores = MonthScores(year, month)
    live = [_line_dict(line, lambda code: scores.records(code, unit_key)) for line in scores.lines(unit_key)]
    closed = closed_month(year, month)
    total = quantize(sum((line["points"] for line in live), Decimal(0)))
    if closed is None:
        return {"lines": live, "total": total, "frozen": False, "closed": None, "live_total": None}
    by_code = {line["code"]: line for line in live}
    lines, frozen_total = [], None
    for row in closed.scores.filter(unit_key=unit_key).order_by("id"):
        if row.indicator_code == "":
            frozen_total = row.points
            continue
        kept = row.inputs or {}
        now = by_code.get(row.indicator_code, {})
        line = {
            "code": row.indicator_code, "name": kept.get("name", row.indicator_code), "unit": kept.get("unit", ""),
            "value": row.value, "target": row.target, "points": row.points,
            "max_points": Decimal(kept.get("max_points", "0")), "formula": kept.get("formula", ""),
            "adjustment": Decimal(kept["adjustment"]) if kept.get("adjustment") else None,
            "reason": kept.get("reason", ""), "records_url": now.get("records_url"),
            "version": kept.get("version"), "method": kept.get("method", ""),
            "computed_points": Decimal(kept.get("computed_points", row.points)),
            "inputs": [{"code": c, "value": v, "url": scores.records(c, unit_key)}
                       for c, v in (kept.get("figures") or {}).items()],
            "source_document": kept.get("source_document", ""),
            "live_value": now.get("value"), "live_points": now.get("points"),
        }  # fmt: skip
        line["corrected"] = bool(now) and (now.get("value") != row.value or now.get("points") != row.points)
        lines.append(line)
    return {"lines": lines, "total": frozen_total, "frozen": True, "closed": closed,
            "live_total": total if total != frozen_total else None}  # fmt: skip


SCORE_KEYS = ("code", "name", "unit", "value", "target", "points", "max_points", "formula", "adjustment", "reason",
              "records_url")  # fmt: skip


def unit_scores(*, year: int, month: int, unit_key: str) -> list[dict]:
    """The registered shape: per indicator, as the month stands (frozen once closed)."""
    return [{k: line[k] for k in SCORE_KEYS} for line in unit_score_sheet(year=year, month=month,
                                                                          unit_key=unit_key)["lines"]]  # fmt: skip


def months_listed(*, today: datetime.date | None = None, count: int = 12) -> list[tuple[int, int, bool]]:
    """The months to choose from, the latest first (the current month is still running: from last month)."""
    today = today or timezone.localdate()
    closed = set(ClosedMonth.objects.values_list("year", "month"))
    year, month = previous_month(today.year, today.month)
    months = set(closed)
    for _i in range(count):
        months.add((year, month))
        year, month = previous_month(year, month)
    return [(y, m, (y, m) in closed) for y, m in sorted(months, reverse=True)]


# -- targets and progress ----------------------------------------------------------------------------------------------


def _phased(target: Target, on: datetime.date) -> Decimal:
    """The part of a year's target due by the end of the period `on` falls in."""
    if on.year > target.year:
        return target.value
    if on.year < target.year:
        return Decimal(0)
    periods = 12 if target.phasing == "monthly" else 4
    reached = on.month if periods == 12 else (on.month - 1) // 3 + 1
    phases = [Decimal(str(p)) for p in target.phases] if len(target.phases or []) == periods else None
    share = sum(phases[:reached], Decimal(0)) / (sum(phases, Decimal(0)) or 1) if phases else Decimal(reached) / periods
    return quantize(target.value * share)


def reported_actual(*, year: int, unit_key: str, code: str, last_month: int) -> Decimal | None:
    """The sum over the months of the latest value reported for each; the zone without reports of its own is the
    sum of its parks' (else departments')."""
    rows = ReportedValue.objects.filter(year=year, indicator_code=code, month__lte=last_month)
    own = rows.filter(unit_key=unit_key)
    if unit_key == ZONE and not own.exists():
        parks = rows.filter(unit_key__startswith="park:")
        own = parks if parks.exists() else rows.filter(unit_key__startswith="department:")
    latest = own.values("unit_key", "month").annotate(last=Max("id")).values("last")
    total = ReportedValue.objects.filter(pk__in=latest).aggregate(total=Sum("value"))["total"]
    return total


def _counted(spec_row, unit_key: str, start: datetime.date, end: datetime.date) -> tuple[Decimal | None, str | None]:
    spec = Spec.of(spec_row)
    figures, sources = figures_over(start, end)
    book = Book([spec], figures)
    value = book.value(spec.code, unit_facts(figures, unit_key, spec.reads))
    url = next((u for u in (records_url(sources, c, unit_key, start, end) for c in spec.reads) if u), None)
    return value, url


def _actual(row, year: int, unit_key: str, on: datetime.date) -> tuple[Decimal | None, str | None]:
    if row.source == Source.REPORTED:
        return reported_actual(year=year, unit_key=unit_key, code=row.code, last_month=on.month), None
    return _counted(row, unit_key, datetime.date(year, 1, 1), on)


def _percent(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return quantize(Decimal(part) * 100 / Decimal(whole), Decimal("0.1"))


def progress(*, year: int, unit_key: str = ZONE, on: datetime.date | None = None) -> list[dict]:
    """Each expected indicator with a target for the unit and year: the target, its part due to date, the actual
    to date (reported or counted), actual ÷ target, and the same period of last year with 同比."""
    today = timezone.localdate()
    on = on or (today if today.year == year else datetime.date(year, 12, 31))
    if on.year != year:
        on = datetime.date(year, 12, 31) if on.year > year else datetime.date(year, 1, 1)
    targets = {t.indicator_code: t for t in Target.objects.filter(year=year, unit_key=unit_key)}
    rows = []
    for row in indicators_in_effect(on=on, kind=Kind.EXPECTED):
        target = targets.get(row.code)
        if target is None:
            continue
        actual, url = _actual(row, year, unit_key, on)
        try:
            same_day = on.replace(year=year - 1)
        except ValueError:  # 29 February
            same_day = on.replace(year=year - 1, day=28)
        last, _url = _actual(row, year - 1, unit_key, same_day)
        yoy = None
        if actual is not None and last:
            yoy = quantize((Decimal(actual) - Decimal(last)) * 100 / Decimal(last), Decimal("0.1"))
        rows.append({
            "code": row.code, "name": row.name, "unit": row.unit, "target": target.value,
            "target_to_date": _phased(target, on), "actual": actual, "percent": _percent(actual, target.value),
            "last_year": last, "yoy_percent": yoy, "records_url": url,
        })  # fmt: skip
    return rows


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def progress_sentence(row: dict) -> str:
    """新增市场主体 252 家，完成目标的 126%（同比增长 12.5%）: as the offices write it."""
    if row["actual"] is None:
        return f"{row['name']}：尚无数据"
    text = f"{row['name']} {_number(Decimal(row['actual']))} {row['unit']}"
    if row["percent"] is not None:
        text += f"，完成目标的 {_number(row['percent'])}%"
    if row["yoy_percent"] is not None:
        word = "同比增长" if row["yoy_percent"] >= 0 else "同比下降"
        text += f"，{word} {_number(abs(row['yoy_percent']))}%"
    return text


def targets_of_year(*, user, year: int) -> list[dict]:
    """The year's targets the user may see, grouped per unit (the zone first)."""
    names = {ZONE: unit_name(ZONE)} | {k: v[0] for k, v in units().items()}
    indicator_names = dict(AssessmentIndicator.objects.values_list("code", "name"))
    grouped: dict[str, list] = {}
    for t in targets_visible_to(user).filter(year=year).select_related("set_by"):
        grouped.setdefault(t.unit_key, []).append(
            {"target": t, "name": indicator_names.get(t.indicator_code, t.indicator_code)}
        )
    order = list(names)
    return [
        {"unit_key": k, "unit_name": names.get(k, k), "targets": v}
        for k, v in sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 999)
    ]


def reported_history(*, year: int, unit_key: str) -> QuerySet:
    return ReportedValue.objects.filter(year=year, unit_key=unit_key).select_related("entered_by")


def frozen_scores_count(closed: ClosedMonth) -> int:
    return FrozenScore.objects.filter(closed=closed).count()
