"""Scoring a month: the modules' figures (through their registered ``assessment.figures.<module>`` selectors) fed to
each indicator's CEL formula by the shared rule engine, and the value turned into points by the indicator's method.
Pure functions over figures, so that the pages, the API, closing a month and the benchmark score the same way."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from zhuqi.core import registry
from zhuqi.indicators.engine import CEL_ERRORS, IndicatorInfo, RuleBook, RuleSpec, names_in
from zhuqi.indicators.models import ValueKind

from .models import AppliesTo, Direction, Scoring

CENT = Decimal("0.01")
FIGURES_PREFIX = "assessment.figures."
RECORDS_PREFIX = "assessment.records."


def quantize(value, places: Decimal = CENT) -> Decimal:
    return Decimal(value).quantize(places, ROUND_HALF_UP)


def month_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@dataclass(frozen=True)
class Spec:
    code: str
    version: int
    name: str
    unit: str
    direction: str
    applies_to: str
    formula: str
    scoring: str
    params: Mapping[str, Any]
    max_points: Decimal
    source_document: str = ""

    @classmethod
    def of(cls, row) -> Spec:
        return cls(row.code, row.version, row.name, row.unit, row.direction, row.applies_to, row.formula,
                   row.scoring, row.params or {}, row.max_points, row.source_document)  # fmt: skip

    def applies(self, unit_key: str) -> bool:
        return self.applies_to == AppliesTo.ALL or unit_key.startswith(self.applies_to + ":")

    @property
    def reads(self) -> list[str]:
        return list(dict.fromkeys(code for (_last, code), _s, _e in names_in(self.formula)))

    def method_text(self) -> str:
        p = self.params
        if self.scoring == Scoring.PROPORTIONAL:
            if self.direction == Direction.LOWER:
                return _("%(points)s points × target ÷ value, at most %(points)s") % {"points": self.max_points}
            return _("%(points)s points × value ÷ target, at most %(points)s") % {"points": self.max_points}
        if self.scoring == Scoring.BANDS:
            sign = "≤" if self.direction == Direction.LOWER else "≥"
            return "；".join(f"{sign}{b}：{pts}" for b, pts in p.get("bands", []))
        return _("%(points)s points less %(per)s per event, not below 0") % {"points": self.max_points,
                                                                            "per": p.get("per", 1)}  # fmt: skip


@dataclass
class Line:
    """One unit's score on one indicator."""

    spec: Spec
    value: Decimal | None
    target: Decimal | None
    computed: Decimal  # the points from the data
    inputs: dict[str, int | Decimal] = field(default_factory=dict)
    adjustment: Decimal | None = None
    reason: str = ""

    @property
    def points(self) -> Decimal:
        total = self.computed + (self.adjustment or 0)
        return quantize(min(max(total, Decimal(0)), self.spec.max_points))


def points_for(spec: Spec, value: Decimal | None, target: Decimal | None) -> Decimal:
    """The points a value earns by the indicator's method (no value: none)."""
    if value is None:
        return Decimal("0.00")
    top = Decimal(spec.max_points)
    if spec.scoring == Scoring.PROPORTIONAL:
        if not target:
            return Decimal("0.00")
        share = (Decimal(1) if value <= 0 else target / value) if spec.direction == Direction.LOWER else value / target
        return quantize(top * min(max(share, Decimal(0)), Decimal(1)))
    if spec.scoring == Scoring.BANDS:
        for bound, pts in spec.params.get("bands", []):
            bound = Decimal(str(bound))
            if (value <= bound) if spec.direction == Direction.LOWER else (value >= bound):
                return quantize(min(Decimal(str(pts)), top))
        return Decimal("0.00")
    per = Decimal(str(spec.params.get("per", 1)))
    return quantize(max(top - per * value, Decimal(0)))


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return quantize(Decimal(repr(value)), Decimal("0.0001"))
    return quantize(Decimal(value), Decimal("0.0001"))


def figures_over(start: datetime.date, end: datetime.date) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """({figure: {unit_key: value}}, {figure: module}) from every module's registered figures."""
    values: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for name, func in sorted(registry.selectors().items()):
        if name.startswith(FIGURES_PREFIX):
            module = name[len(FIGURES_PREFIX) :]
            for figure, units in func(start=start, end=end).items():
                values[figure] = units
                sources[figure] = module
    return values, sources


def records_url(sources: Mapping[str, str], figure: str, unit_key: str, start, end) -> str | None:
    module = sources.get(figure)
    if module is None:
        return None
    try:
        func = registry.selector(RECORDS_PREFIX + module)
    except Exception:  # noqa: BLE001 -- a module without a records list
        return None
    return func(figure=figure, unit_key=unit_key, start=start, end=end)


class Book:
    """The indicators' formulas compiled once over the figures they read: value() many units against it."""

    def __init__(self, specs: Sequence[Spec], figures: Mapping[str, Mapping[str, Any]]):
        self.specs = [s for s in specs if s.formula.strip()]
        reads = {code for s in self.specs for code in s.reads}
        infos = {}
        for code in reads:
            decimal = any(isinstance(v, Decimal) for v in (figures.get(code) or {}).values())
            infos[code] = IndicatorInfo(code, code, ValueKind.DECIMAL if decimal else ValueKind.INTEGER)
        self.book = RuleBook([RuleSpec(code=s.code, expression=s.formula, message="", name=s.name)
                              for s in self.specs], infos)  # fmt: skip
        self.index = {s.code: i for i, s in enumerate(self.specs)}

    def value(self, code: str, facts: Mapping[str, Any]) -> Decimal | None:
        i = self.index.get(code)
        if i is None:
            return None
        row, missing = self.book.row(facts)
        compiled = self.book.rules[i]
        if compiled.slots & missing:
            return None
        try:
            return _as_decimal(compiled.program.execute({"x": row}))
        except CEL_ERRORS:
            return None


def unit_facts(figures: Mapping[str, Mapping[str, Any]], unit_key: str, reads: Sequence[str]) -> dict[str, Any]:
    """A unit's figures; a unit a figure does not name has none of it (0): the modules list units with records."""
    if unit_key == "zone":
        return {code: zone_total(figures.get(code) or {}) for code in reads}
    return {code: (figures.get(code) or {}).get(unit_key, 0) for code in reads}


def zone_total(units: Mapping[str, Any]):
    """The zone's figure: the parks' sum where the figure is counted by park (every firm is in one park at most),
    else the departments'."""
    parks = [v for k, v in units.items() if k.startswith("park:")]
    return sum(parks) if parks else sum(v for k, v in units.items() if k.startswith("department:"))
