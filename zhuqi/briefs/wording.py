"""Dates, counts and money written the way the offices write them in a brief: 2 月 19 日 (no leading zeros), 三个
暗访指导组 (Chinese numerals for a small count of groups or teams), 150 余件 (a large count from a survey rounded
down), 12.35 万元 (two decimals), 同比增长 12.5% / 环比下降 3.2%."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零一二三四五六七八九"


def month_day(day: datetime.date) -> str:
    return f"{day.month} 月 {day.day} 日"


def full_date(day: datetime.date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def span(start: datetime.date, end: datetime.date) -> str:
    """1 月 26 日至 2 月 24 日; with the years when they differ."""
    if start.year != end.year:
        return f"{full_date(start)}至 {full_date(end)}"
    return f"{month_day(start)}至 {month_day(end)}"


def chinese_numeral(n: int) -> str:
    """一 … 九十九, as for 三个暗访指导组; larger counts stay in digits."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def about(n: int) -> str:
    """150 余: a count of a hundred or more that is not round, rounded down to the ten."""
    if n >= 100 and n % 10:
        return f"{n // 10 * 10} 余"
    return str(n)


def wan(amount) -> str:
    """Yuan as 万元 with two decimals."""
    value = (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value} 万元"


def percent(part: int, whole: int) -> str | None:
    if not whole:
        return None
    value = Decimal(part * 100) / Decimal(whole)
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}%" if value == value.to_integral() else f"{value}%"


def change(current, previous, word: str) -> str:
    """同比增长 12.5%, 环比下降 3%, 同比持平; nothing to compare with: empty."""
    if not previous:
        return ""
    if current == previous:
        return f"{word}持平"
    delta = Decimal(abs(current - previous) * 100) / Decimal(previous)
    delta = delta.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{delta.normalize():f}" if delta == delta.to_integral() else f"{delta}"
    return f"{word}{'增长' if current > previous else '下降'} {text}%"
