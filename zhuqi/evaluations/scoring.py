"""Scoring a firm by a method: pure functions over the firm's facts (no database), so that the yearly run, the
hand-worked firms' check and the benchmark all score the same way.

Every item's value and every exclusion is a CEL expression of the shared engine: they are compiled together into
one ``RuleBook`` over one slot layout, and a firm whose facts are all there is evaluated in one call into CEL (the
combined program gives the list of every item's value). A firm lacking a fact is evaluated item by item: an item
reading a missing fact has no value and gives no points (never read as zero), a deduction without a record
deducts nothing, an exclusion that cannot be decided does not exclude."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhuqi.indicators.engine import CEL_ERRORS, IndicatorInfo, RuleBook, RuleSpec

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def as_decimal(value) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    expression: str
    weight: Decimal
    scoring: str  # linear, bands, yes_no, deduction
    params: Mapping[str, Any] = field(default_factory=dict)
    unit: str = ""


@dataclass(frozen=True)
class ExclusionSpec:
    code: str
    label: str
    expression: str


@dataclass
class FirmScore:
    total: Decimal | None
    grade: str
    excluded: str  # the exclusion's label, or ""
    values: list  # each item's value (a number, True/False, or None when it has none)
    points: list[Decimal]

    def compact(self) -> dict:
        """The items as stored on the score row: values and points in the method's item order."""
        return {"v": [_plain(v) for v in self.values], "p": [float(p) for p in self.points]}


def _plain(value):
    if value is None or isinstance(value, bool | int):
        return value
    return round(float(value), 4)


def item_points(item: ItemSpec, value) -> Decimal:
    """The points an item gives for a value (negative for a deduction)."""
    weight = Decimal(item.weight)
    if value is None:
        return ZERO
    params = item.params or {}
    if item.scoring == "yes_no":
        return quantize(weight if value else 0)
    number = as_decimal(value)
    if not number.is_finite():  # a division by a zero area or revenue in doubles: no meaningful value
        return ZERO
    if item.scoring == "deduction":
        per = as_decimal(params.get("per", weight))
        return quantize(-min(weight, per * max(number, Decimal(0))))
    if item.scoring == "linear":
        low, high = as_decimal(params["low"]), as_decimal(params["high"])
        if high == low:
            return quantize(weight if number >= high else 0)
        share = (number - low) / (high - low)
        return quantize(weight * min(Decimal(1), max(Decimal(0), share)))
    if item.scoring == "bands":
        lower_is_better = params.get("lower_is_better", False)
        for bound, points in params["bands"]:
            bound = as_decimal(bound)
            if (number <= bound) if lower_is_better else (number >= bound):
                return quantize(min(weight, as_decimal(points)))
        return ZERO
    raise ValueError(f"unknown scoring {item.scoring!r}")


def grade_of(total: Decimal, grades: Sequence[Mapping[str, Any]]) -> str:
    for band in grades:
        if total >= as_decimal(band["min"]):
            return band["grade"]
    return grades[-1]["grade"] if grades else ""


class Scorer:
    """A method compiled once: score() many firms' facts against it."""

    def __init__(self, items: Sequence[ItemSpec], exclusions: Sequence[ExclusionSpec],
                 grades: Sequence[Mapping[str, Any]], indicators: Mapping[str, IndicatorInfo]):  # fmt: skip
        self.items = list(items)
        self.exclusions = list(exclusions)
        self.grades = sorted(grades, key=lambda g: -as_decimal(g["min"]))
        specs = [RuleSpec(code=f"item:{i.code}", expression=i.expression, message="", name=i.name) for i in items]
        specs += [RuleSpec(code=f"exclusion:{e.code}", expression=e.expression, message="", name=e.label)
                  for e in exclusions]  # fmt: skip
        self.book = RuleBook(specs, indicators)  # raises RuleProblem naming an unknown indicator
        self.reads = sorted({code for _last, code in self.book.layout})
        self._n = len(self.items)
        self._programs = [c.program.execute for c in self.book.rules]
        self._slots = [c.slots for c in self.book.rules]

    def values(self, facts: Mapping[str, Any]) -> list:
        """Every item's value then every exclusion's verdict (None where it cannot be decided)."""
        row, missing = self.book.row(facts)
        ctx = {"x": row}
        if not missing:
            try:
                if len(self.book.combined) == 1:
                    return list(self.book.combined[0].execute(ctx))
                return [v for program in self.book.combined for v in program.execute(ctx)]
            except CEL_ERRORS:
                pass  # a division by zero somewhere: item by item below
        found = []
        for execute, slots in zip(self._programs, self._slots, strict=True):
            if slots & missing:
                found.append(None)
                continue
            try:
                found.append(execute(ctx))
            except CEL_ERRORS:
                found.append(None)
        return found

    def score(self, facts: Mapping[str, Any]) -> FirmScore:
        found = self.values(facts)
        values = found[: self._n]
        for exclusion, verdict in zip(self.exclusions, found[self._n :], strict=True):
            if verdict is True:
                return FirmScore(None, "", exclusion.label, values, [ZERO] * self._n)
        points = [item_points(item, value) for item, value in zip(self.items, values, strict=True)]
        total = max(ZERO, sum(points, ZERO))
        return FirmScore(total, grade_of(total, self.grades), "", values, points)
