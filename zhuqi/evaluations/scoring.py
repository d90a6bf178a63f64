"""Scoring a firm by a method: pure functions over the firm's facts (no database), so that the yearly run, the
hand-worked firms' check and the benchmark all score the same way.

Every item's value and every exclusion is a CEL expression of the shared engine: they are compiled together into
one ``RuleBook`` over one slot layout, and a firm whose facts are all there is evaluated in one call into CEL (the
combined program gives the list of every item's value). A firm lacking a fact is one call too, into the program
that has null for the items reading what it lacks (kept per set of missing facts): such an item has no value and
gives no points (never read as zero), a deduction without a record deducts nothing, an exclusion that cannot be
decided does not exclude. Only an evaluation error (a division by zero) sends a firm item by item."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import isfinite
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
    cents: list[int]  # each item's points in hundredths (negative for a deduction)

    @property
    def points(self) -> list[Decimal]:
        return [Decimal(c).scaleb(-2) for c in self.cents]

    def compact(self) -> dict:
        """The items as stored on the score row: values and points in the method's item order."""
        return {"v": self.values, "p": [c / 100 for c in self.cents]}


# points are counted in whole hundredths, rounded half up (0.625 → 0.63, as a reviewer rounds on paper); the tiny
# allowance absorbs binary floating point's 0.6249999… for a decimal half
_HALF = 0.5 + 1e-9


# the totals in hundredths a method gives, as the Decimal each stands for: made once, not once a firm
_KEPT = 100_01
_CENTS = [Decimal(c).scaleb(-2) for c in range(_KEPT)]


def _round_cents(points: float) -> int:
    return int(points * 100 + _HALF) if points >= 0 else -int(-points * 100 + _HALF)


def points_function(item: ItemSpec):
    """A fast function from an item's value to its points in hundredths, compiled once per method."""
    weight = float(item.weight)
    params = item.params or {}
    full = _round_cents(weight)
    if item.scoring == "yes_no":
        return lambda value: 0 if value is None else (full if value else 0)
    if item.scoring == "deduction":
        per = float(params.get("per", weight))

        def deduction(value):
            if value is None or not isfinite(value):
                return 0
            return -_round_cents(min(weight, per * max(float(value), 0.0)))

        return deduction
    if item.scoring == "linear":
        low, high = float(params["low"]), float(params["high"])
        if high == low:
            return lambda value: 0 if value is None else (full if value >= high else 0)
        span = high - low

        def linear(value):
            if value is None or not isfinite(value):
                return 0
            share = (float(value) - low) / span
            return _round_cents(weight * (1.0 if share > 1 else 0.0 if share < 0 else share))

        return linear
    if item.scoring == "bands":
        lower_is_better = params.get("lower_is_better", False)
        bands = [(float(bound), _round_cents(min(weight, float(points)))) for bound, points in params["bands"]]

        def banded(value):
            if value is None or not isfinite(value):
                return 0
            for bound, cents in bands:
                if (value <= bound) if lower_is_better else (value >= bound):
                    return cents
            return 0

        return banded
    raise ValueError(f"unknown scoring {item.scoring!r}")


def item_points(item: ItemSpec, value) -> Decimal:
    """The points an item gives for a value (negative for a deduction)."""
    if isinstance(value, Decimal):
        value = float(value)
    return Decimal(points_function(item)(value)).scaleb(-2)


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
        self._points = [points_function(item) for item in self.items]
        self._grades = [(_round_cents(float(as_decimal(g["min"]))), g["grade"]) for g in self.grades]
        self._lowest = self._grades[-1][1] if self._grades else ""

    def values(self, facts: Mapping[str, Any]) -> list:
        """Every item's value then every exclusion's verdict (None where it cannot be decided)."""
        return self._values(*self.book.row(facts))

    def row_values(self, row: list) -> list:
        """The same from a row already laid out in the book's slots as CEL types (None where there is no value)."""
        return self._values(row, set() if None not in row else {i for i, v in enumerate(row) if v is None})

    def _values(self, row: list, missing: set) -> list:
        ctx = {"x": row}
        combined = self.book.combined_without(frozenset(missing)) if missing else self.book.combined
        try:
            if len(combined) == 1:
                return list(combined[0].execute(ctx))
            return [v for program in combined for v in program.execute(ctx)]
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
        return self._score(self.values(facts))

    def score_row(self, row: list) -> FirmScore:
        return self._score(self.row_values(row))

    def _score(self, found: list) -> FirmScore:
        n = self._n
        values = found[:n]
        if True in found[n:]:  # (1 == True too: the loop below decides)
            for exclusion, verdict in zip(self.exclusions, found[n:], strict=True):
                if verdict is True:
                    return FirmScore(None, "", exclusion.label, values, [0] * n)
        cents = [points(value) for points, value in zip(self._points, values, strict=True)]
        total = sum(cents)
        if total < 0:
            total = 0
        grade = self._lowest
        for floor, name in self._grades:
            if total >= floor:
                grade = name
                break
        return FirmScore(_CENTS[total] if total < _KEPT else Decimal(total).scaleb(-2), grade, "", values, cents)
