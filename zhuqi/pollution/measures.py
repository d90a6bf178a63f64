"""The reduction measures as data, and the two rules every measure rests on.

Defaults follow the technical guide's pattern as checked for cement clinker (环办大气函〔2020〕340号): A and 引领性
reduce on their own account; B yellow — no 国四-or-older heavy trucks, orange — output −20%, red — stop; C yellow —
stop 50% of the lines, orange and red — stop; D — stop and no road transport at every level. B- (between B and C)
and the other industries' own tables are marked “to confirm” in their source until each industry's table is entered:
every default is a row the bureau edits (admin), and any firm's list may override it per level."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from .models import Action, AlertThreshold, Grade, Level, MeasureDefault, MeasureOverride, Sector

GUIDE = "环办大气函〔2020〕340号"
GUIDE_TO_CONFIRM = "环办大气函〔2020〕340号（本行业表待核对）"
GUIDE_FROM = datetime.date(2020, 6, 23)

# (grade, level) -> (action, cut %, lines stopped %, no old trucks, no road transport, words)
PATTERN = {
    (Grade.A, Level.YELLOW): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.A, Level.ORANGE): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.A, Level.RED): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.LEADING, Level.YELLOW): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.LEADING, Level.ORANGE): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.LEADING, Level.RED): (Action.SELF, 0, 0, True, False, "自主采取减排措施"),
    (Grade.B, Level.YELLOW): (Action.TRANSPORT, 0, 0, True, False, "禁止国四及以下重型货车运输"),
    (Grade.B, Level.ORANGE): (Action.CUT, 20, 0, True, False, "限产20%，禁止国四及以下重型货车运输"),
    (Grade.B, Level.RED): (Action.STOP, 100, 100, True, False, "停产"),
    (Grade.B_MINUS, Level.YELLOW): (Action.CUT, 10, 0, True, False, "限产10%，禁止国四及以下重型货车运输"),
    (Grade.B_MINUS, Level.ORANGE): (Action.CUT, 30, 0, True, False, "限产30%，禁止国四及以下重型货车运输"),
    (Grade.B_MINUS, Level.RED): (Action.STOP, 100, 100, True, False, "停产"),
    (Grade.C, Level.YELLOW): (Action.STOP_LINES, 50, 50, True, False, "停止50%生产线"),
    (Grade.C, Level.ORANGE): (Action.STOP, 100, 100, True, False, "停产"),
    (Grade.C, Level.RED): (Action.STOP, 100, 100, True, False, "停产"),
    (Grade.D, Level.YELLOW): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
    (Grade.D, Level.ORANGE): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
    (Grade.D, Level.RED): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
}

# the regional plans' target share of each pollutant's total, per level (10% / 20% / 30%)
TARGET_SHARE = {Level.YELLOW: 10, Level.ORANGE: 20, Level.RED: 30}

THRESHOLDS = [
    # before the 2024 revision (checked)
    (Level.YELLOW, 200, 48, "AQI 日均值 > 200 持续 48 小时及以上", datetime.date(2013, 1, 1), datetime.date(2024, 1, 31),
     "环办大气函〔2018〕875号", False),
    (Level.ORANGE, 200, 72, "AQI 日均值 > 200 持续 72 小时及以上", datetime.date(2013, 1, 1), datetime.date(2024, 1, 31),
     "环办大气函〔2018〕875号", False),
    (Level.RED, 300, 48, "AQI 日均值 > 200 持续 96 小时及以上且 > 300 持续 48 小时，或 AQI 达到 500",
     datetime.date(2013, 1, 1), datetime.date(2024, 1, 31), "环办大气函〔2018〕875号", False),
    # the 2024 revision: values to confirm against 环大气〔2024〕6号 (kept editable, marked)
    (Level.YELLOW, 200, 48, "预测 AQI 日均值 > 200 持续 2 天（48 小时）及以上（待核对）", datetime.date(2024, 2, 1), None,
     "环大气〔2024〕6号", True),
    (Level.ORANGE, 200, 72, "预测 AQI 日均值 > 200 持续 3 天（72 小时）及以上（待核对）", datetime.date(2024, 2, 1), None,
     "环大气〔2024〕6号", True),
    (Level.RED, 300, 48, "预测 AQI 日均值 > 200 持续 4 天且 > 300 持续 2 天及以上，或 > 500 持续 1 天（待核对）",
     datetime.date(2024, 2, 1), None, "环大气〔2024〕6号", True),
]  # fmt: skip


@transaction.atomic
def measures_install() -> int:
    """The guide's defaults for every industry, grade and level, and the alert thresholds; idempotent (a row the
    bureau has edited is left as it is)."""
    made = 0
    for sector in Sector.values:
        for (grade, level), (action, cut, lines, trucks, road, text) in PATTERN.items():
            _row, created = MeasureDefault.objects.get_or_create(
                sector=sector, grade=grade, level=level, valid_from=GUIDE_FROM,
                defaults={"action": action, "cut_percent": cut, "lines_stop_percent": lines, "transport_ban": trucks,
                          "road_transport_stopped": road, "text": text,
                          "source_document": GUIDE if sector == Sector.CEMENT else GUIDE_TO_CONFIRM},
            )  # fmt: skip
            made += created
    for level, aqi, hours, words, start, end, doc, confirm in THRESHOLDS:
        AlertThreshold.objects.get_or_create(level=level, valid_from=start, defaults={
            "aqi_above": aqi, "hours": hours, "condition": words, "valid_to": end, "source_document": doc,
            "to_confirm": confirm})  # fmt: skip
    return made


def thresholds_in_force(on: datetime.date):
    from django.db.models import Q

    return AlertThreshold.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


def baseline(*, approval, permit, last_year) -> Decimal:
    """The capacity a percentage cut applies to: the lowest of the daily capacity in the environmental approval,
    in the discharge permit and last year's actual daily average (when there is one)."""
    values = [Decimal(v) for v in (approval, permit, last_year) if v is not None]
    return min(values)


def allowed_output(base: Decimal, cut_percent: int) -> Decimal:
    return (base * (100 - cut_percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Resolved:
    """The measure a firm takes at a level, and where it comes from."""

    __slots__ = ("action", "cut_percent", "lines_stop_percent", "transport_ban", "road_transport_stopped", "text",
                 "source")  # fmt: skip

    def __init__(self, row, source: str):
        for name in ("action", "cut_percent", "lines_stop_percent", "transport_ban", "road_transport_stopped", "text"):
            setattr(self, name, getattr(row, name))
        self.source = source


class MeasureTable:
    """Every default in force and every override, read once (activation resolves thousands of firms)."""

    def __init__(self, *, on: datetime.date, enterprise_ids=None):
        from django.db.models import Q

        rows = MeasureDefault.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
        self.defaults = {}
        for row in rows.order_by("valid_from"):  # the latest in force wins
            self.defaults[(row.sector, row.grade, row.level)] = row
        overrides = MeasureOverride.objects.all()
        if enterprise_ids is not None:
            overrides = overrides.filter(enterprise_id__in=list(enterprise_ids))
        self.overrides = {(o.enterprise_id, o.level): o for o in overrides}

    def resolve(self, *, enterprise_id: int, sector: str, grade: str, level: str, livelihood: bool = False):
        own = self.overrides.get((enterprise_id, level))
        if own is not None:
            return Resolved(own, own.reason)
        if livelihood:
            return _Livelihood()
        row = self.defaults.get((sector, grade, level)) or self.defaults.get((Sector.OTHER, grade, level))
        if row is None:
            return None
        return Resolved(row, row.source_document)


class _Livelihood(Resolved):
    def __init__(self):
        self.action, self.cut_percent, self.lines_stop_percent = Action.LIVELIHOOD, 0, 0
        self.transport_ban, self.road_transport_stopped = True, False
        self.text, self.source = "民生保障：以热定产，禁止国四及以下重型货车运输", "民生保障"


def measure_resolve(*, enterprise_id: int, sector: str, grade: str, level: str, livelihood: bool = False,
                    on: datetime.date | None = None):  # fmt: skip
    from django.utils import timezone

    on = on or timezone.localdate()
    return MeasureTable(on=on, enterprise_ids=[enterprise_id]).resolve(
        enterprise_id=enterprise_id, sector=sector, grade=grade, level=level, livelihood=livelihood
    )
