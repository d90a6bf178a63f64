"""The reduction measures as data, the dated alert thresholds, and the two rules every measure rests on.

What has been checked against an official text and what has not is kept on each row (`to_confirm`), never hidden:
- the technical guide (环办大气函〔2020〕340号) for cement clinker: A reduces on its own account; B yellow — no
  国四-or-older heavy trucks, orange — output −20% of the baseline, red — stop; C yellow — stop 50% of the lines,
  orange and red — stop; D — stop and no road transport at every level (checked);
- A and 引领性 firms reduce on their own account in every industry (checked, a principle of the guide);
- every other industry's own table (化纤/尼龙, 化工, 氯碱, 焦化, 炭素, 铸造, 工业涂装, 塑料制品 …) and B- (which
  the cement table does not have) have not been checked: they stand on the cement pattern, each row marked “to
  confirm” and saying so in its source, until the bureau enters the industry's table (admin) — and any firm's own
  list overrides them per level (its 一厂一策 list names its own lines and numbers)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from .models import Action, AlertThreshold, Grade, Level, MeasureDefault, MeasureOverride, Sector

GUIDE = "环办大气函〔2020〕340号"
GUIDE_FROM = datetime.date(2020, 6, 23)
CHECKED_SECTORS = {Sector.CEMENT}
CHECKED_GRADES = {Grade.A, Grade.LEADING}  # reduce on their own account in every industry
NOT_IN_GUIDE = {Sector.NYLON, Sector.CHEMICAL, Sector.CHLOR_ALKALI, Sector.OTHER}  # no grading table of their own

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
    (Grade.B, Level.RED): (Action.STOP, 100, 100, True, False, "停产，禁止国四及以下重型货车运输"),
    (Grade.B_MINUS, Level.YELLOW): (Action.CUT, 10, 0, True, False, "限产10%，禁止国四及以下重型货车运输"),
    (Grade.B_MINUS, Level.ORANGE): (Action.CUT, 30, 0, True, False, "限产30%，禁止国四及以下重型货车运输"),
    (Grade.B_MINUS, Level.RED): (Action.STOP, 100, 100, True, False, "停产，禁止国四及以下重型货车运输"),
    (Grade.C, Level.YELLOW): (Action.STOP_LINES, 50, 50, True, False, "停产50%（以生产线计），禁止国四及以下重型货车运输"),
    (Grade.C, Level.ORANGE): (Action.STOP, 100, 100, True, False, "停产，禁止国四及以下重型货车运输"),
    (Grade.C, Level.RED): (Action.STOP, 100, 100, True, False, "停产，禁止国四及以下重型货车运输"),
    (Grade.D, Level.YELLOW): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
    (Grade.D, Level.ORANGE): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
    (Grade.D, Level.RED): (Action.STOP, 100, 100, True, True, "停产，停止公路运输"),
}  # fmt: skip


def measure_source(sector: str, grade: str) -> tuple[str, bool]:
    """The document a default row cites, and whether its figures still wait for the official table."""
    if grade in CHECKED_GRADES:
        return f"{GUIDE}（A级、引领性企业自主减排）", False
    if sector in CHECKED_SECTORS and grade != Grade.B_MINUS:
        return f"{GUIDE} 水泥熟料", False
    if sector in NOT_IN_GUIDE:
        return f"{GUIDE}（本行业无绩效分级表，暂按水泥熟料表，待按地方通用措施核对）", True
    with translation.override("zh-hans"):  # a document's citation, in Chinese whatever the reader's language
        label = str(Sector(sector).label) if sector in Sector.values else sector
    return f"{GUIDE} {label}（本行业表待核对，暂按水泥熟料表）", True


# the regional plans' target share of each pollutant's total, per level (10% / 20% / 30%)
TARGET_SHARE = {Level.YELLOW: 10, Level.ORANGE: 20, Level.RED: 30}

BEFORE_2024 = "环办大气函〔2018〕875号"
REVISION_2024 = "环大气〔2024〕6号（条件据生态环境部公开文本的转载；生效日期待核对）"
REVISED_ON = datetime.date(2024, 2, 1)
# level, clause, AQI above, hours, and AQI above, and hours, words, from, until, document, to confirm
THRESHOLDS = [
    # before the 2024 revision (checked)
    (Level.YELLOW, 1, 200, 48, None, None, "预测 AQI 日均值 > 200 持续 48 小时及以上", datetime.date(2013, 1, 1),
     REVISED_ON - datetime.timedelta(days=1), BEFORE_2024, False),
    (Level.ORANGE, 1, 200, 72, None, None, "预测 AQI 日均值 > 200 持续 72 小时及以上", datetime.date(2013, 1, 1),
     REVISED_ON - datetime.timedelta(days=1), BEFORE_2024, False),
    (Level.RED, 1, 200, 96, 300, 48, "预测 AQI 日均值 > 200 持续 96 小时及以上且 > 300 持续 48 小时及以上",
     datetime.date(2013, 1, 1), REVISED_ON - datetime.timedelta(days=1), BEFORE_2024, False),
    (Level.RED, 2, 499, 24, None, None, "预测 AQI 日均值达到 500", datetime.date(2013, 1, 1),
     REVISED_ON - datetime.timedelta(days=1), BEFORE_2024, False),
    # the 2024 revision (重点区域): yellow and orange lowered, each with a second condition at AQI 150
    (Level.YELLOW, 1, 200, 24, None, None, "预测日 AQI > 200", REVISED_ON, None, REVISION_2024, True),
    (Level.YELLOW, 2, 150, 48, None, None, "预测日 AQI > 150 持续 48 小时及以上", REVISED_ON, None, REVISION_2024, True),
    (Level.ORANGE, 1, 200, 48, None, None, "预测日 AQI > 200 持续 48 小时及以上", REVISED_ON, None, REVISION_2024, True),
    (Level.ORANGE, 2, 150, 72, None, None, "预测日 AQI > 150 持续 72 小时及以上", REVISED_ON, None, REVISION_2024, True),
    (Level.RED, 1, 200, 72, 300, 24, "预测日 AQI > 200 持续 72 小时且日 AQI > 300 持续 24 小时及以上", REVISED_ON, None,
     REVISION_2024, True),
]  # fmt: skip


def measures_install(apps=None, schema_editor=None) -> int:
    """The guide's defaults for every industry, grade and level, and the alert thresholds; idempotent (a row the
    bureau has edited is left as it is). Run by the migration that brings them (historical models) and again after
    a flush."""
    default_model = apps.get_model("pollution", "MeasureDefault") if apps else MeasureDefault
    threshold_model = apps.get_model("pollution", "AlertThreshold") if apps else AlertThreshold
    made = 0
    with transaction.atomic():
        for sector in Sector.values:
            for (grade, level), (action, cut, lines, trucks, road, text) in PATTERN.items():
                source, to_confirm = measure_source(sector, grade)
                _row, created = default_model.objects.get_or_create(
                    sector=sector, grade=grade, level=level, valid_from=GUIDE_FROM,
                    defaults={"action": action, "cut_percent": cut, "lines_stop_percent": lines,
                              "transport_ban": trucks, "road_transport_stopped": road, "text": text,
                              "source_document": source, "to_confirm": to_confirm},
                )  # fmt: skip
                made += created
        for level, clause, aqi, hours, also_aqi, also_hours, words, start, end, doc, confirm in THRESHOLDS:
            threshold_model.objects.get_or_create(level=level, valid_from=start, clause=clause, defaults={
                "aqi_above": aqi, "hours": hours, "also_aqi_above": also_aqi, "also_hours": also_hours,
                "condition": words, "valid_to": end, "source_document": doc, "to_confirm": confirm})  # fmt: skip
    return made


measures_install.reference_data = True  # run again after a flush (core/reference_data.py)


def level_for_forecast(*, daily_aqi: list[int], on: datetime.date) -> str | None:
    """The highest level whose conditions in force on a day a forecast meets (daily AQI values of consecutive
    days, each a 24-hour mean), or None."""

    def hours_above(value: int) -> int:
        longest = run = 0
        for aqi in daily_aqi:
            run = run + 24 if aqi > value else 0
            longest = max(longest, run)
        return longest

    met = [t.level for t in thresholds_in_force(on) if hours_above(t.aqi_above) >= t.hours
           and (t.also_aqi_above is None or hours_above(t.also_aqi_above) >= (t.also_hours or 0))]  # fmt: skip
    return max(met, key=LEVEL_RANK.__getitem__, default=None)


LEVEL_RANK = {Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


def thresholds_in_force(on: datetime.date):
    return AlertThreshold.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on).order_by(
        "valid_from", "clause"
    )


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
                 "source", "to_confirm", "own")  # fmt: skip

    def __init__(self, row, source: str, *, to_confirm: bool = False, own: bool = False):
        for name in ("action", "cut_percent", "lines_stop_percent", "transport_ban", "road_transport_stopped", "text"):
            setattr(self, name, getattr(row, name))
        self.source, self.to_confirm, self.own = source, to_confirm, own


class MeasureTable:
    """Every default in force and every override, read once (activation resolves thousands of firms)."""

    def __init__(self, *, on: datetime.date, enterprise_ids=None):
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
            return Resolved(own, own.reason, own=True)
        if livelihood:
            return _Livelihood()
        row = self.defaults.get((sector, grade, level)) or self.defaults.get((Sector.OTHER, grade, level))
        if row is None:
            return None
        return Resolved(row, row.source_document, to_confirm=row.to_confirm)


class _Livelihood(Resolved):
    def __init__(self):
        self.action, self.cut_percent, self.lines_stop_percent = Action.LIVELIHOOD, 0, 0
        self.transport_ban, self.road_transport_stopped = True, False
        self.text, self.source = "民生保障：以热定产，禁止国四及以下重型货车运输", "民生保障"
        self.to_confirm, self.own = False, False


def measure_resolve(*, enterprise_id: int, sector: str, grade: str, level: str, livelihood: bool = False,
                    on: datetime.date | None = None):  # fmt: skip
    from django.utils import timezone

    on = on or timezone.localdate()
    return MeasureTable(on=on, enterprise_ids=[enterprise_id]).resolve(
        enterprise_id=enterprise_id, sector=sector, grade=grade, level=level, livelihood=livelihood
    )
