"""Units of indicators. Amounts are kept in 元 and shown in the unit a form uses (火炬统计: 千元); other units
convert only to themselves."""

from decimal import Decimal

from django.db import models


class Unit(models.TextChoices):
    YUAN = "元", "元"
    THOUSAND_YUAN = "千元", "千元"
    TEN_THOUSAND_YUAN = "万元", "万元"
    PERSON = "人", "人"
    ITEM = "项", "项"
    PIECE = "个", "个"
    CASE = "件", "件"
    TIMES = "次", "次"
    YEARS = "年", "年"
    PERCENT = "%", "%"
    TONNE = "吨", "吨"
    KWH = "千瓦时", "千瓦时"
    NONE = "", "—"


MONEY = {Unit.YUAN: Decimal(1), Unit.THOUSAND_YUAN: Decimal(1000), Unit.TEN_THOUSAND_YUAN: Decimal(10000)}


class UnitMismatch(ValueError):
    pass


def convertible(a: str, b: str) -> bool:
    return a == b or (a in MONEY and b in MONEY)


def to_base(value: Decimal, unit: str) -> Decimal:
    """A value given in `unit` as kept internally (amounts in 元)."""
    return value * MONEY[unit] if unit in MONEY else value


def from_base(value: Decimal, unit: str) -> Decimal:
    return value / MONEY[unit] if unit in MONEY else value


def convert(value: Decimal, *, from_unit: str, to_unit: str) -> Decimal:
    if not convertible(from_unit, to_unit):
        raise UnitMismatch(f"{from_unit} → {to_unit}")
    return from_base(to_base(value, from_unit), to_unit)
