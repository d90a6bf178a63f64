from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.models import AppendOnlyModel

# this module's kind of case (监测告警), registered with its table in apps.py
ALARM_KIND = "alarm"

# this module's kind of entry in the enterprise file (registered in apps.py)
TIMELINE_KIND = "alarm"


class Quantity(models.TextChoices):
    FLAMMABLE_GAS = "flammable_gas", _("Flammable gas")  # 可燃气体 %LEL
    TOXIC_GAS = "toxic_gas", _("Toxic gas")  # 有毒气体 ppm
    TANK_TEMPERATURE = "tank_temperature", _("Tank temperature")  # 储罐温度 ℃
    TANK_PRESSURE = "tank_pressure", _("Tank pressure")  # 储罐压力 MPa
    TANK_LEVEL = "tank_level", _("Tank level")  # 储罐液位 %
    ELECTRIC_LOAD = "electric_load", _("Electricity load")  # 用电负荷 kW (heavy-pollution proof)
    CEMS_SO2 = "cems_so2", _("CEMS outlet SO₂")  # 烟气在线监测 mg/m³
    CEMS_NOX = "cems_nox", _("CEMS outlet NOx")
    CEMS_PM = "cems_pm", _("CEMS outlet particulate")


class AlarmLevel(models.TextChoices):
    """Four levels, in rising gravity: the value is the order used to compare them."""

    OFFLINE = "offline", _("Offline")  # 离线
    LOW = "low", _("Low alarm")  # 低报
    HIGH = "high", _("High alarm")  # 高报
    HIGH_HIGH = "high_high", _("High-high alarm")  # 高高报


GRAVITY = {AlarmLevel.OFFLINE: 1, AlarmLevel.LOW: 2, AlarmLevel.HIGH: 3, AlarmLevel.HIGH_HIGH: 4}


class MonitoringPoint(models.Model):
    """监测点: one sensor at one firm, with its limits. A value must stay past a limit for the minimum duration
    to raise an alarm, and come back past the limit by the dead band to count as normal again, so that a value
    hovering at a limit does not flap."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="monitoring_points",
        verbose_name=_("Enterprise"),
    )  # fmt: skip
    code = models.SlugField(_("Point code"), max_length=40)
    name = models.CharField(_("Name"), max_length=60)
    # the firm's gateway that sends this point's readings: all of a gateway's points silent at once is its
    # outage (outages.py); a point with none is grouped with the firm's other points without one
    gateway = models.ForeignKey(
        "Gateway", on_delete=models.SET_NULL, null=True, blank=True, related_name="points",
        verbose_name=_("Sensor gateway"),
    )  # fmt: skip
    quantity = models.CharField(_("Quantity"), max_length=20, choices=Quantity.choices)
    unit = models.CharField(_("Unit"), max_length=10)
    low_limit = models.FloatField(_("Low limit"), null=True, blank=True)
    high_limit = models.FloatField(_("High limit"), null=True, blank=True)
    high_high_limit = models.FloatField(_("High-high limit"), null=True, blank=True)
    dead_band = models.FloatField(_("Dead band"), default=0)
    min_duration_seconds = models.PositiveIntegerField(_("Minimum duration (seconds)"), default=10)
    offline_after_seconds = models.PositiveIntegerField(_("Offline after (seconds without data)"), default=300)
    is_active = models.BooleanField(_("In use"), default=True)
    # the live state, kept by the ingester
    last_value = models.FloatField(_("Last value"), null=True, blank=True)
    last_at = models.DateTimeField(_("Last reading at"), null=True, blank=True)
    state = models.CharField(_("State"), max_length=10, default="normal")  # "normal" or an AlarmLevel
    # a change of state waiting out the minimum duration ("normal" or a level), and since when
    pending_level = models.CharField(max_length=10, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Monitoring point")
        verbose_name_plural = _("Monitoring points")
        ordering = ["enterprise", "code"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="point_unique_code"),
            models.CheckConstraint(name="point_dead_band_not_negative", condition=models.Q(dead_band__gte=0)),
            models.CheckConstraint(
                name="point_limits_in_order",
                condition=(
                    models.Q(low_limit__isnull=True)
                    | models.Q(high_limit__isnull=True)
                    | models.Q(low_limit__lt=models.F("high_limit"))
                )
                & (
                    models.Q(high_limit__isnull=True)
                    | models.Q(high_high_limit__isnull=True)
                    | models.Q(high_limit__lt=models.F("high_high_limit"))
                ),
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        super().clean()
        if self.gateway_id and self.enterprise_id and self.gateway.enterprise_id != self.enterprise_id:
            raise ValidationError({"gateway": _("The gateway must be one of this enterprise's own.")})
        if self.gateway_id and self.gateway.revoked_at is not None:
            raise ValidationError({"gateway": _("This gateway's token is revoked: choose a gateway in use.")})


class Reading(models.Model):
    """One value of one point at one time; the same point and time twice is one reading."""

    pk = models.CompositePrimaryKey("point_id", "at")
    # no database constraint: the ingester writes only for points it has just locked, and a foreign-key check
    # per reading at commit was a third of the ingest time
    point = models.ForeignKey(
        MonitoringPoint, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    at = models.DateTimeField(_("Time"))
    value = models.FloatField(_("Value"))

    class Meta:
        verbose_name = _("Reading")
        verbose_name_plural = _("Readings")
        indexes = [models.Index(fields=["at"], name="reading_at_idx")]

    def __str__(self):
        return f"{self.point_id} {self.at:%Y-%m-%d %H:%M:%S} {self.value}"


class AlarmStatus(models.TextChoices):
    TRIGGERED = "triggered", _("Triggered")  # 触发
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # 确认
    HANDLED = "handled", _("Handled")  # 处置
    CLEARED = "cleared", _("Cleared")  # 消警


class Alarm(models.Model):
    """告警: at most one open alarm per point; it rises in level while it lasts and is cleared by a person once
    the value is back to normal."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.PROTECT, related_name="alarms", verbose_name=_("Point"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="alarms", verbose_name=_("Enterprise"),
        db_index=False,  # alarm_enterprise_idx leads with it
    )  # fmt: skip
    level = models.CharField(_("Level"), max_length=10, choices=AlarmLevel.choices)
    status = models.CharField(_("Status"), max_length=14, choices=AlarmStatus.choices, default=AlarmStatus.TRIGGERED)
    triggered_at = models.DateTimeField(_("Triggered at"))
    value = models.FloatField(_("Value when triggered"), null=True, blank=True)
    peak_value = models.FloatField(_("Most extreme value"), null=True, blank=True)
    acknowledge_by = models.DateTimeField(_("To be acknowledged by"))
    acknowledged_at = models.DateTimeField(_("Acknowledged at"), null=True, blank=True)
    handling = models.TextField(_("What was done"), blank=True)
    handled_at = models.DateTimeField(_("Handled at"), null=True, blank=True)
    normal_since = models.DateTimeField(_("Back to normal since"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("Cleared at"), null=True, blank=True)
    repeats = models.PositiveIntegerField(_("Times it came back"), default=0)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="alarms", verbose_name=_("Case")
    )

    class Meta:
        verbose_name = _("Alarm")
        verbose_name_plural = _("Alarms")
        ordering = ["-triggered_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "-triggered_at"], name="alarm_enterprise_idx"),
            models.Index(fields=["status", "acknowledge_by"], name="alarm_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["point"], condition=~models.Q(status="cleared"), name="alarm_one_open_per_point"
            )
        ]

    def __str__(self):
        return f"{self.point} {self.get_level_display()}"


class AlarmAction(models.TextChoices):
    TRIGGER = "trigger", _("Triggered")  # 触发
    RISE = "rise", _("Level rose")  # 升级
    NORMAL = "normal", _("Back to normal")  # 恢复正常
    REPEAT = "repeat", _("Came back")  # 再次超限
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")  # 确认
    HANDLE = "handle", _("Handled")  # 处置
    CLEAR = "clear", _("Cleared")  # 消警
    CASE = "case", _("Case opened")  # 转为事项


class AlarmEvent(AppendOnlyModel):
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Action"), max_length=20, choices=AlarmAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("Time"), default=timezone.now)
    level = models.CharField(_("Level"), max_length=10, choices=AlarmLevel.choices, blank=True)
    value = models.FloatField(_("Value"), null=True, blank=True)
    comment = models.TextField(_("Comment"), blank=True)

    class Meta:
        verbose_name = _("Alarm event")
        verbose_name_plural = _("Alarm events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.alarm_id} {self.action}"


class Summary(models.Model):
    """A point's readings summed up per period: kept long after the raw readings are dropped, so that trends
    over months stay cheap."""

    pk = models.CompositePrimaryKey("point_id", "bucket")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="+", db_index=False)
    bucket = models.DateTimeField(_("Period start"))
    avg = models.FloatField(_("Average"))
    low = models.FloatField(_("Lowest"))
    high = models.FloatField(_("Highest"))
    n = models.PositiveIntegerField(_("Readings"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.point_id} {self.bucket:%Y-%m-%d %H:%M}"


class ReadingMinute(Summary):
    class Meta:
        verbose_name = _("Minute summary")
        verbose_name_plural = _("Minute summaries")
        indexes = [models.Index(fields=["bucket"], name="reading_minute_bucket_idx")]


class ReadingHour(Summary):
    class Meta:
        verbose_name = _("Hour summary")
        verbose_name_plural = _("Hour summaries")
        indexes = [models.Index(fields=["bucket"], name="reading_hour_bucket_idx")]


class Gateway(models.Model):
    """采集网关: a firm's sensor gateway and its device token, which is both its bearer token for the readings
    endpoint and its MQTT password (user `gw-<id>`, allowed to publish only under zhuqi/<its firm's credit code>).
    The token is shown once, when made; only its hashes are kept."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="gateways", verbose_name=_("Enterprise")
    )
    name = models.CharField(_("Name"), max_length=60)
    # SHA-256 of the token (a random 256-bit secret: a slow hash adds nothing), looked up on every request
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # the same token in Mosquitto's password-file form (PBKDF2-SHA512, "$7$"), written out by mosquitto_config
    mqtt_password_hash = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Created by")
    )
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Revoked by"),
    )  # fmt: skip
    last_used_at = models.DateTimeField(_("Last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sensor gateway")
        verbose_name_plural = _("Sensor gateways")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"], condition=models.Q(revoked_at__isnull=True), name="gateway_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.mqtt_username}）"

    @property
    def mqtt_username(self) -> str:
        return f"gw-{self.pk}"


class OutageScope(models.TextChoices):
    PLATFORM = "platform", _("Data ingestion")  # 数据接入: every point of the platform silent
    GATEWAY = "gateway", _("Enterprise gateway")  # 企业采集网关: every point of one gateway (or one firm) silent


class Outage(models.Model):
    """停报: every point of the platform (the ingestion is down) or of one firm (its gateway is down) silent at
    once. One record, told once to whoever can fix it (the system administrator; the firm), instead of an offline
    alarm per point and a case per alarm; it ends by itself when data comes back."""

    scope = models.CharField(_("Scope"), max_length=10, choices=OutageScope.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="outages",
        verbose_name=_("Enterprise"),
    )  # fmt: skip
    # the gateway whose points are all silent; empty for the platform, and for a firm's points linked to no gateway
    gateway = models.ForeignKey(
        Gateway, on_delete=models.PROTECT, null=True, blank=True, related_name="outages",
        verbose_name=_("Sensor gateway"),
    )  # fmt: skip
    started_at = models.DateTimeField(_("Noticed at"))
    last_reading_at = models.DateTimeField(_("Last reading before it"), null=True, blank=True)
    points = models.PositiveIntegerField(_("Points silent"))
    ended_at = models.DateTimeField(_("Ended at"), null=True, blank=True)
    # still silent after ZHUQI_OUTAGE_ESCALATE_MINUTES: one case for the emergency-management bureau, the firm's
    # service officer told
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="outages", verbose_name=_("Case")
    )

    class Meta:
        verbose_name = _("Data outage")
        verbose_name_plural = _("Data outages")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope"],
                condition=models.Q(scope="platform", ended_at__isnull=True),
                name="outage_one_open_for_platform",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(ended_at__isnull=True, gateway__isnull=True),
                name="outage_one_open_per_firm",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["gateway"], condition=models.Q(ended_at__isnull=True), name="outage_one_open_per_gateway"
            ),
            models.CheckConstraint(
                name="outage_firm_only_for_gateway",
                condition=models.Q(scope="platform", enterprise__isnull=True, gateway__isnull=True)
                | models.Q(scope="gateway", enterprise__isnull=False),
            ),
        ]

    def __str__(self):
        where = " ".join(str(x) for x in (self.enterprise, self.gateway and self.gateway.name) if x)
        return f"{self.get_scope_display()} {where} {self.started_at:%Y-%m-%d %H:%M}".replace("  ", " ")
