"""重污染天气应急: performance grades (绩效分级) with their history, emission sources, the reduction measures as data
(grade × industry × level, per-firm overrides), dated alert thresholds, alerts with their audited steps, and what
an activation creates per firm: its task, its daily check-ins, the day's spot checks and the findings that prove
(or disprove) compliance."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhuqi.core.models import AppendOnlyModel

CASE_KIND = "pollution"  # 重污染减排不落实, a case for 城乡建设和生态环境局
CASE_CATEGORY = "环保"
BUREAU = "城乡建设和生态环境局"
TIMELINE_KIND = "pollution_alert"


class Grade(models.TextChoices):
    A = "A", pgettext_lazy("pollution grade", "A")
    B = "B", pgettext_lazy("pollution grade", "B")
    B_MINUS = "B-", pgettext_lazy("pollution grade", "B-")
    C = "C", pgettext_lazy("pollution grade", "C")
    D = "D", pgettext_lazy("pollution grade", "D")
    LEADING = "leading", pgettext_lazy("pollution grade", "Leading")  # 引领性


GRADE_ORDER = [Grade.D, Grade.C, Grade.B_MINUS, Grade.B, Grade.A]  # the way up


class Sector(models.TextChoices):
    """Industries of the technical guide (重点行业绩效分级技术指南) found in the zone."""

    NYLON = "nylon", _("Chemical fibre (nylon)")  # 化学纤维制造（尼龙）
    CHEMICAL = "chemical", _("Chemicals")  # 化工
    CHLOR_ALKALI = "chlor_alkali", _("Chlor-alkali")  # 氯碱
    COKING = "coking", _("Coking")  # 焦化
    CARBON = "carbon", _("Carbon products")  # 炭素
    FOUNDRY = "foundry", _("Foundry")  # 铸造
    COATING = "coating", _("Industrial coating")  # 工业涂装
    PLASTICS = "plastics", _("Plastic products")  # 塑料制品
    CEMENT = "cement", _("Cement clinker")  # 水泥熟料
    OTHER = "other", _("Other industries")  # 其他行业（引领性）


class Level(models.TextChoices):
    YELLOW = "yellow", _("Yellow alert")  # 黄色预警
    ORANGE = "orange", _("Orange alert")  # 橙色预警
    RED = "red", _("Red alert")  # 红色预警


LEVEL_ORDER = [Level.YELLOW, Level.ORANGE, Level.RED]


class Action(models.TextChoices):
    """What a measure asks."""

    SELF = "self", _("Reduces on its own account")  # 自主减排
    LIVELIHOOD = "livelihood", _("Produces to demand (livelihood)")  # 以热定产 / 民生保障
    TRANSPORT = "transport", _("Transport restriction only")  # 仅限制运输
    CUT = "cut", _("Cut output")  # 限产
    STOP_LINES = "stop_lines", _("Stop part of the lines")  # 停部分产线
    STOP = "stop", _("Stop production")  # 停产


class PollutionFirm(models.Model):
    """A firm on the zone's emission-reduction list (应急减排清单), with its current grade and capacity."""

    enterprise = models.OneToOneField("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("Grading industry"), max_length=16, choices=Sector.choices)
    grade = models.CharField(_("Performance grade"), max_length=8, choices=Grade.choices)
    graded_on = models.DateField(_("Graded on"))
    grade_document = models.CharField(_("Grading document"), max_length=120)
    livelihood = models.BooleanField(_("Livelihood guarantee (民生保障)"), default=False)
    on_list = models.BooleanField(_("On the reduction list"), default=True)
    capacity_unit = models.CharField(_("Output unit"), max_length=10, default="吨")
    approval_capacity = models.DecimalField(_("Daily capacity in the environmental approval"), max_digits=12,
                                            decimal_places=2)  # fmt: skip
    permit_capacity = models.DecimalField(_("Daily capacity in the discharge permit"), max_digits=12,
                                          decimal_places=2)  # fmt: skip
    last_year_daily = models.DecimalField(_("Last year's actual daily average"), max_digits=12, decimal_places=2,
                                          null=True, blank=True)  # fmt: skip
    normal_load_kw = models.DecimalField(_("Normal electricity load (kW)"), max_digits=12, decimal_places=1,
                                         null=True, blank=True)  # fmt: skip
    heavy_trucks = models.PositiveIntegerField(_("Heavy trucks in use"), default=0)
    old_trucks = models.PositiveIntegerField(_("国四-or-older heavy trucks"), default=0)

    class Meta:
        verbose_name = _("Firm on the reduction list")
        verbose_name_plural = _("Firms on the reduction list")
        ordering = ["enterprise__name"]
        constraints = [
            models.CheckConstraint(
                name="pollution_firm_capacities_positive",
                condition=models.Q(approval_capacity__gt=0, permit_capacity__gt=0),
            ),  # fmt: skip
        ]

    def __str__(self):
        return str(self.enterprise)


class GradeRecord(AppendOnlyModel):
    """Every grading of a firm, in order: the grade, its date and document, who recorded it."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("Performance grade"), max_length=8, choices=Grade.choices)
    graded_on = models.DateField(_("Graded on"))
    document = models.CharField(_("Grading document"), max_length=120)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Grading record")
        verbose_name_plural = _("Grading records")
        ordering = ["enterprise_id", "-graded_on", "-id"]

    def __str__(self):
        return f"{self.enterprise_id} {self.grade} {self.graded_on}"


class SourceKind(models.TextChoices):
    LINE = "line", _("Production line")  # 生产线
    KILN = "kiln", _("Kiln / furnace")  # 窑炉
    BOILER = "boiler", _("Boiler")  # 锅炉
    PROCESS = "process", _("Process (VOCs)")  # 工序
    YARD = "yard", _("Material yard")  # 料场


class EmissionSource(models.Model):
    """A production line or emission source with its normal daily emissions (kg/day)."""

    firm = models.ForeignKey(PollutionFirm, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("Kind of source"), max_length=10, choices=SourceKind.choices, default=SourceKind.LINE)
    name = models.CharField(_("Name"), max_length=60)
    daily_capacity = models.DecimalField(_("Daily capacity"), max_digits=12, decimal_places=2, default=0)
    so2 = models.DecimalField("SO₂ (kg/d)", max_digits=10, decimal_places=2, default=0)
    nox = models.DecimalField("NOx (kg/d)", max_digits=10, decimal_places=2, default=0)
    pm = models.DecimalField(_("Particulate (kg/d)"), max_digits=10, decimal_places=2, default=0)
    vocs = models.DecimalField("VOCs (kg/d)", max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("Emission source")
        verbose_name_plural = _("Emission sources")
        ordering = ["firm_id", "id"]

    def __str__(self):
        return self.name


class MeasureFields(models.Model):
    action = models.CharField(_("Measure"), max_length=12, choices=Action.choices)
    cut_percent = models.PositiveSmallIntegerField(_("Output cut (%)"), default=0)
    lines_stop_percent = models.PositiveSmallIntegerField(_("Lines stopped (%)"), default=0)
    transport_ban = models.BooleanField(_("No 国四-or-older heavy trucks"), default=False)
    road_transport_stopped = models.BooleanField(_("No road transport at all"), default=False)
    text = models.CharField(_("Measure in words"), max_length=200)

    class Meta:
        abstract = True
        constraints = []


class MeasureDefault(MeasureFields):
    """The technical guide's measure for an industry, a grade and a level (dated, with its source)."""

    sector = models.CharField(_("Grading industry"), max_length=16, choices=Sector.choices)
    grade = models.CharField(_("Performance grade"), max_length=8, choices=Grade.choices)
    level = models.CharField(_("Alert level"), max_length=8, choices=Level.choices)
    valid_from = models.DateField(_("Valid from"))
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    source_document = models.CharField(_("Source document (文号)"), max_length=120)
    to_confirm = models.BooleanField(_("To confirm against the official text"), default=False)

    class Meta:
        verbose_name = _("Default measure")
        verbose_name_plural = _("Default measures")
        ordering = ["sector", "grade", "level"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "grade", "level", "valid_from"], name="pollution_measure_once"),
            models.CheckConstraint(
                name="pollution_measure_percent", condition=models.Q(cut_percent__lte=100, lines_stop_percent__lte=100)
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.sector}/{self.grade}/{self.level}"


class MeasureOverride(MeasureFields):
    """A firm's own measure at a level (its list names other units or numbers than the guide's default)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("Alert level"), max_length=8, choices=Level.choices)
    reason = models.CharField(_("Reason"), max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Firm's own measure")
        verbose_name_plural = _("Firms' own measures")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "level"], name="pollution_override_once"),
            models.CheckConstraint(
                name="pollution_override_percent", condition=models.Q(cut_percent__lte=100, lines_stop_percent__lte=100)
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.enterprise_id}/{self.level}"


class AlertThreshold(models.Model):
    """One condition of the national rule for issuing an alert at a level, as in force from a date: the daily AQI
    above a value for so many hours, and (when set) also above a second value for so many hours. A level is met
    when any of its conditions is (the 2024 revision, 环大气〔2024〕6号, gives yellow and orange two each). Kept as
    data, never in code."""

    level = models.CharField(_("Alert level"), max_length=8, choices=Level.choices)
    clause = models.PositiveSmallIntegerField(_("Condition no."), default=1)
    aqi_above = models.PositiveSmallIntegerField(_("AQI above"))
    hours = models.PositiveSmallIntegerField(_("For at least (hours)"))
    also_aqi_above = models.PositiveSmallIntegerField(_("and AQI above"), null=True, blank=True)
    also_hours = models.PositiveSmallIntegerField(_("for at least (hours)"), null=True, blank=True)
    condition = models.CharField(_("Condition in words"), max_length=200)
    valid_from = models.DateField(_("Valid from"))
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    source_document = models.CharField(_("Source document (文号)"), max_length=120)
    to_confirm = models.BooleanField(_("To confirm against the official text"), default=False)

    class Meta:
        verbose_name = _("Alert threshold")
        verbose_name_plural = _("Alert thresholds")
        ordering = ["-valid_from", "level", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["level", "valid_from", "clause"], name="pollution_threshold_clause_once")
        ]

    def __str__(self):
        return f"{self.level} {self.valid_from}"


class AlertStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, not yet activated")  # 已发布
    ACTIVE = "active", _("Active")  # 响应中
    LIFTED = "lifted", _("Lifted")  # 已解除


class Alert(models.Model):
    """重污染天气预警 as the city issued it, and the zone's response to it."""

    level = models.CharField(_("Alert level"), max_length=8, choices=Level.choices)
    region = models.CharField(_("Region"), max_length=60, default="平顶山市")
    document = models.CharField(_("Issuing document"), max_length=120)
    starts_at = models.DateTimeField(_("From"))
    ends_at = models.DateTimeField(_("Until"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=8, choices=AlertStatus.choices, default=AlertStatus.ISSUED)
    activated_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Heavy-pollution alert")
        verbose_name_plural = _("Heavy-pollution alerts")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="pollution_alert_until_after_from",
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.get_level_display()} {timezone.localtime(self.starts_at):%Y-%m-%d}"


class AlertEvent(AppendOnlyModel):
    """Every step of an alert (issued, activated, level changed, lifted): who, when, from what to what."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Step"), max_length=12)
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8)
    from_level = models.CharField(max_length=8, blank=True)
    to_level = models.CharField(max_length=8, blank=True)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["alert_id", "at", "id"]

    ACTIONS = {
        "issue": _("Issued"),
        "activate": _("Activated"),
        "change_level": _("Level changed"),
        "lift": _("Lifted"),
    }

    @property
    def action_label(self):
        return self.ACTIONS.get(self.action, self.action)

    @property
    def level_label(self):
        return Level(self.to_level).label if self.to_level in Level.values else ""

    def __str__(self):
        return f"{self.alert_id} {self.action}"


class Compliance(models.TextChoices):
    DONE = "done", _("Carried out")  # 已落实
    PARTIAL = "partial", _("Partly carried out")  # 部分落实
    NOT_DONE = "not_done", _("Not carried out")  # 未落实
    PENDING = "pending", _("To be checked")  # 待核查


def compliance_of_latest(latest: dict[str, bool]) -> str:
    """已落实 / 部分落实 / 未落实 / 待核查 from whether the latest finding of each source held: a failed spot check is
    未落实; all failing 未落实, some 部分落实; all holding 已落实; none yet 待核查."""
    if not latest:
        return Compliance.PENDING
    if latest.get(FindingSource.SPOT_CHECK) is False:
        return Compliance.NOT_DONE
    failing = sum(not ok for ok in latest.values())
    if not failing:
        return Compliance.DONE
    return Compliance.NOT_DONE if failing == len(latest) else Compliance.PARTIAL


class AlertTask(models.Model):
    """What one firm must do for an alert, from when; frozen at activation (its park, industry and grid too)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="tasks")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grid = models.ForeignKey("org.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sector = models.CharField(max_length=16, choices=Sector.choices)
    grade = models.CharField(max_length=8, choices=Grade.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    action = models.CharField(max_length=12, choices=Action.choices)
    cut_percent = models.PositiveSmallIntegerField(default=0)
    lines_stop_percent = models.PositiveSmallIntegerField(default=0)
    transport_ban = models.BooleanField(default=False)
    road_transport_stopped = models.BooleanField(default=False)
    measure = models.CharField(_("Measure"), max_length=200)
    baseline = models.DecimalField(_("Capacity baseline (per day)"), max_digits=12, decimal_places=2)
    allowed_output = models.DecimalField(_("Output allowed (per day)"), max_digits=12, decimal_places=2)
    # normal emissions (kg/day) and what the measure takes off them, for the figures
    so2 = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    nox = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    pm = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    vocs = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    sms_text = models.CharField(max_length=80)
    from_at = models.DateTimeField(_("From"))
    notified_at = models.DateTimeField(_("Notified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Reminded at"), null=True, blank=True)  # not confirmed in two hours
    confirmed_at = models.DateTimeField(pgettext_lazy("pollution", "Confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip
    compliance = models.CharField(_("Compliance"), max_length=10, choices=Compliance.choices,
                                  default=Compliance.PENDING)  # fmt: skip
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Alert task")
        verbose_name_plural = _("Alert tasks")
        ordering = ["alert_id", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["alert", "enterprise"], name="pollution_task_once")]
        indexes = [models.Index(fields=["enterprise", "alert"], name="pollution_task_firm_idx")]

    def __str__(self):
        return f"{self.alert_id}/{self.enterprise_id}"


class CheckIn(models.Model):
    """The firm's daily check-in during an alert: lines stopped and cut, output against the baseline, trucks, a
    photo. Opened (empty) for every firm on each day of the alert, filled by the firm."""

    task = models.ForeignKey(AlertTask, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField(_("Day"))
    lines_stopped = models.PositiveSmallIntegerField(_("Lines stopped"), null=True, blank=True)
    lines_cut = models.PositiveSmallIntegerField(_("Lines cut back"), null=True, blank=True)
    output = models.DecimalField(
        pgettext_lazy("pollution", "Output today"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    old_trucks_used = models.PositiveSmallIntegerField(_("国四-or-older heavy trucks used"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=300, blank=True)
    photo = models.ForeignKey("core.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("Daily check-in")
        verbose_name_plural = _("Daily check-ins")
        ordering = ["task_id", "-day"]
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="pollution_checkin_once_a_day")]

    def __str__(self):
        return f"{self.task_id} {self.day}"


class SpotResult(models.TextChoices):
    OPEN = "open", _("To do")  # 待检查
    COMPLIANT = "compliant", _("Measures in place")  # 落实到位
    NON_COMPLIANT = "non_compliant", _("Producing beyond the list")  # 未落实


class SpotCheck(models.Model):
    """A spot check of one firm on one day of an alert, assigned to its grid's member."""

    task = models.ForeignKey(AlertTask, on_delete=models.CASCADE, related_name="spot_checks")
    day = models.DateField(_("Day"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    result = models.CharField(
        pgettext_lazy("pollution", "Result"), max_length=14, choices=SpotResult.choices, default=SpotResult.OPEN
    )
    note = models.CharField(_("What was found"), max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Spot check")
        verbose_name_plural = _("Spot checks")
        ordering = ["day", "task_id"]
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="pollution_spot_once_a_day")]

    def __str__(self):
        return f"{self.task_id} {self.day}"


class FindingSource(models.TextChoices):
    SPOT_CHECK = "spot_check", _("Spot check")
    READING = "reading", _("Monitoring reading")
    CHECKIN = "checkin", _("Check-in")


class Finding(AppendOnlyModel):
    """A comparison that proves or disproves a firm's compliance: a reading against the required cut, a check-in
    against its rules, a spot check; a non-compliant one may become a case."""

    task = models.ForeignKey(AlertTask, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(max_length=12, choices=FindingSource.choices)
    ok = models.BooleanField()
    observed = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    allowed = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    detail = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task_id", "-at", "-id"]

    def __str__(self):
        return self.detail


class PollutionCase(models.Model):
    """The case raised for a task (one per task and alert)."""

    task = models.OneToOneField(AlertTask, on_delete=models.CASCADE, related_name="case_link")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.task_id} → {self.case_id}"
