"""Demo monitoring: points at every hazardous-chemical firm, a day of readings run through the alarm rule (so
the alarms in the demo are the rule's own), the older alarms handled and cleared, one still open and one that
nobody acknowledged, now a case for 应急管理局."""

import datetime
import math
import random
import secrets

from django.db import transaction
from django.utils import timezone

from zhuqi.cases.models import Category, Priority
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, User

from .gateways import mosquitto_password_hash, token_hash
from .models import ALARM_KIND, Alarm, AlarmEvent, AlarmStatus, Gateway, MonitoringPoint, Quantity
from .services import ALARM_CATEGORY, alarm_to_case, readings_store

# each firm's two gateways: the gas detectors' controller in the control room, the tank farm's DCS
GATEWAYS = {"GT": "气体报警控制器网关", "AT": "气体报警控制器网关", "TT": "罐区DCS采集网关", "PT": "罐区DCS采集网关",
            "LT": "罐区DCS采集网关"}  # fmt: skip

# (code, name, quantity, unit, low, high, high-high, dead band, normal value, spread)
POINTS = [
    ("GT-101", "罐区可燃气体探测器", Quantity.FLAMMABLE_GAS, "%LEL", None, 25, 50, 2, 3, 1.0),
    ("AT-201", "氯气有毒气体探测器", Quantity.TOXIC_GAS, "ppm", None, 1.0, 3.0, 0.1, 0.2, 0.08),
    ("TT-301", "1号储罐温度", Quantity.TANK_TEMPERATURE, "℃", -5, 45, 55, 1, 28, 0.6),
    ("PT-302", "1号储罐压力", Quantity.TANK_PRESSURE, "MPa", None, 0.8, 1.0, 0.02, 0.45, 0.01),
    ("LT-303", "1号储罐液位", Quantity.TANK_LEVEL, "%", 10, 85, 90, 1, 60, 0.8),
]


def alarm_category() -> Category:
    return Category.objects.get_or_create(
        kind=ALARM_KIND, name=ALARM_CATEGORY,
        defaults={"department": Department.objects.get(name="应急管理局"), "deadline_workdays": 1,
                  "priority": Priority.CRITICAL, "routes_directly": True},
    )[0]  # fmt: skip


@transaction.atomic
def load_demo_monitoring(*, seed: int = 2024, now: datetime.datetime | None = None, hours: int = 24) -> int:
    rng = random.Random(seed + 6)
    now = now or timezone.now()
    alarm_category()
    firms = list(Enterprise.objects.filter(tags__name="危化企业").distinct().order_by("pk"))
    points = []
    zone_office = User.objects.filter(username="zone").first() or User.objects.filter(role="zone_coordinator").first()
    for firm in firms:
        gateways = {}
        for gateway_name in dict.fromkeys(GATEWAYS.values()):
            # the demo's gateways publish through the simulator's account: their own tokens are made and never shown
            token = secrets.token_urlsafe(32)
            gateways[gateway_name] = Gateway.objects.create(
                enterprise=firm, name=gateway_name, token_hash=token_hash(token),
                mqtt_password_hash=mosquitto_password_hash(token), created_by=zone_office, created_at=now,
            )  # fmt: skip
        for code, name, quantity, unit, low, high, high_high, band, _normal, _spread in POINTS:
            points.append(
                MonitoringPoint(
                    enterprise=firm,
                    gateway=gateways[GATEWAYS[code[:2]]],
                    code=code,
                    name=name,
                    quantity=quantity,
                    unit=unit,
                    low_limit=low,
                    high_limit=high,
                    high_high_limit=high_high,
                    dead_band=band,
                    min_duration_seconds=60,
                    offline_after_seconds=600,
                )  # fmt: skip
            )
    MonitoringPoint.objects.bulk_create(points)
    shape = {code: (normal, spread, high) for code, _n, _q, _u, _l, high, _hh, _b, normal, spread in POINTS}
    start = now - datetime.timedelta(hours=hours)
    steps = hours * 30  # every two minutes
    rows = []
    for point in points:
        normal, spread, high = shape[point.code]
        value = normal
        # a few points make one excursion past the high limit, for ten to thirty minutes
        excursion = rng.randrange(steps) if rng.random() < 0.15 else None
        length = rng.randint(5, 15)
        for n in range(steps):
            at = start + datetime.timedelta(minutes=2 * n)
            daily = math.sin(2 * math.pi * (at.hour + at.minute / 60) / 24) * spread * 2
            target = high * 1.1 if excursion is not None and excursion <= n < excursion + length else normal + daily
            value += (target - value) * 0.4 + rng.gauss(0, spread * 0.5)
            if point.quantity != Quantity.TANK_TEMPERATURE:
                value = max(value, 0.0)
            rows.append((point.pk, at, round(value, 3)))
    for chunk in range(0, len(rows), 5000):
        readings_store(rows[chunk : chunk + 5000], now=start)
    # the alarms the day raised: those back to normal were handled and cleared by the firm; the latest stays open
    duty = User.objects.filter(username="yingji").first()
    alarms = list(Alarm.objects.select_related("enterprise").order_by("triggered_at"))
    for alarm in alarms[:-2]:
        if alarm.normal_since is None:
            continue
        contact = User.objects.filter(enterprise_id=alarm.enterprise_id).first() or duty
        acked = alarm.triggered_at + datetime.timedelta(minutes=rng.randint(1, 8))
        handled = acked + datetime.timedelta(minutes=rng.randint(5, 20))
        cleared = max(handled, alarm.normal_since) + datetime.timedelta(minutes=5)
        alarm.status, alarm.acknowledged_at, alarm.handled_at, alarm.cleared_at = (
            AlarmStatus.CLEARED, acked, handled, cleared,
        )  # fmt: skip
        alarm.handling = "现场检查，已关闭阀门并加强通风，数值恢复正常"
        alarm.save()
        AlarmEvent.objects.bulk_create([
            AlarmEvent(alarm=alarm, action="acknowledge", actor=contact, at=acked),
            AlarmEvent(alarm=alarm, action="handle", actor=contact, at=handled, comment=alarm.handling),
            AlarmEvent(alarm=alarm, action="clear", actor=contact, at=cleared),
        ])  # fmt: skip
    open_alarms = Alarm.objects.exclude(status=AlarmStatus.CLEARED).order_by("triggered_at")
    if open_alarms.exists():
        first = open_alarms.first()
        alarm_to_case(alarm=first, reason="未在规定时间内确认")
    return len(points)
