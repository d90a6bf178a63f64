from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.fields import BlindIndexField, EncryptedCharField
from zhuqi.core.models import SoftDeletable

# this module's kind of case (安全隐患), registered with its table in apps.py
HAZARD_KIND = "hazard"

# this module's kind of entry in the enterprise file (registered in apps.py)
TIMELINE_KIND = "inspection"


class InspectionType(models.TextChoices):
    WORK_SAFETY = "work_safety", _("Work safety")  # 安全生产
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")  # 危险化学品
    FIRE = "fire", _("Fire safety")  # 消防
    GAS = "gas", _("Gas safety")  # 燃气
    ENVIRONMENT = "environment", _("Environmental protection")  # 环保
    RESUMPTION = "resumption", _("Resumption of work")  # 复工复产


class Severity(models.TextChoices):
    """How grave it is when the item fails: it proposes the hazard's grade and colour."""

    GENERAL = "general", _("General")  # 一般
    SERIOUS = "serious", _("Serious")  # 较大
    MAJOR = "major", _("Major")  # 重大


class HazardGrade(models.TextChoices):
    GENERAL = "general", _("General hazard")  # 一般隐患
    MAJOR = "major", _("Major hazard")  # 重大隐患


class RiskColour(models.TextChoices):
    """四色风险: 红 major, 橙 high, 黄 moderate, 蓝 low — for hazards and for risk points alike."""

    RED = "red", _("Red (major risk)")
    ORANGE = "orange", _("Orange (high risk)")
    YELLOW = "yellow", _("Yellow (moderate risk)")
    BLUE = "blue", _("Blue (low risk)")


class Checklist(models.Model):
    """检查表: the items an inspection of one type walks through. Its items live in versions; an inspection
    keeps the version it used, so revising the list never changes a record already made."""

    name = models.CharField(_("Name"), max_length=60, unique=True)
    inspection_type = models.CharField(_("Inspection type"), max_length=24, choices=InspectionType.choices)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="checklists", verbose_name=_("Owning department")
    )
    hazard_category = models.ForeignKey(
        "cases.Category", on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "hazard"},
        verbose_name=_("Hazards found go in category"),
    )  # fmt: skip
    is_active = models.BooleanField(_("In use"), default=True)

    class Meta:
        verbose_name = _("Checklist")
        verbose_name_plural = _("Checklists")
        ordering = ["inspection_type", "name"]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ChecklistVersion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Version"))
    note = models.CharField(_("What changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("Published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Checklist version")
        verbose_name_plural = _("Checklist versions")
        ordering = ["checklist", "-number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"], name="checklist_version_unique")]

    def __str__(self):
        return f"{self.checklist.name} v{self.number}"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("No."))
    section = models.CharField(_("Section"), max_length=30, blank=True)
    text = models.CharField(_("What is checked"), max_length=300)
    legal_basis = models.CharField(_("Legal basis"), max_length=300, blank=True)
    severity = models.CharField(_("Severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)

    class Meta:
        verbose_name = _("Checklist item")
        verbose_name_plural = _("Checklist items")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="checklist_item_unique_position")]

    def __str__(self):
        return f"{self.position}. {self.text}"


class Campaign(models.Model):
    """专项检查: a department's inspection of a set of enterprises within a period, split among teams."""

    name = models.CharField(_("Name"), max_length=100)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Department")
    )
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Checklist")
    )
    starts_on = models.DateField(_("From"))
    ends_on = models.DateField(_("To"))
    targets_described = models.CharField(_("Targets"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Inspection campaign")
        verbose_name_plural = _("Inspection campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="campaign_ends_after_start", condition=models.Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self):
        return self.name


class CampaignTeam(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("Team"), max_length=40)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Team leader"),
    )  # fmt: skip
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="campaign_teams", verbose_name=_("Members"))

    class Meta:
        verbose_name = _("Inspection team")
        verbose_name_plural = _("Inspection teams")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="campaign_team_unique_name")]

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    """An enterprise the campaign must cover, and the team it is split to (分包)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(CampaignTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets")

    class Meta:
        verbose_name = _("Campaign target")
        verbose_name_plural = _("Campaign targets")
        ordering = ["campaign", "team", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise"], name="campaign_target_unique")]

    def __str__(self):
        return f"{self.campaign} · {self.enterprise}"


class Inspection(SoftDeletable):
    """检查记录: one visit by inspectors to one enterprise with one checklist version, item by item, signed by
    both sides. Each inspection is one 检查家次; each inspector on each day one 出动人次."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("Enterprise"),
        db_index=False,  # inspection_enterprise_idx leads with it
    )  # fmt: skip
    checklist_version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("Checklist")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("Campaign"),
    )  # fmt: skip
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("Department"), db_index=False,  # inspection_department_idx leads with it
    )  # fmt: skip
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Park")
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    inspected_on = models.DateField(_("Inspected on"), default=timezone.localdate)
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_inspections",
        verbose_name=_("Lead inspector"),
    )  # fmt: skip
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspections", verbose_name=_("Inspectors")
    )
    representative = models.CharField(_("Enterprise representative"), max_length=40, blank=True)
    inspector_signature = models.FileField(_("Inspector's signature"), upload_to="signatures/%Y/", blank=True)
    representative_signature = models.FileField(_("Representative's signature"), upload_to="signatures/%Y/", blank=True)
    summary = models.TextField(_("Findings and advice"), blank=True)
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("Started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Inspection")
        verbose_name_plural = _("Inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["department", "inspected_on"], name="inspection_department_idx"),
            models.Index(fields=["enterprise", "-inspected_on"], name="inspection_enterprise_idx"),
            models.Index(fields=["park", "inspected_on"], name="inspection_park_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.inspected_on}"


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")  # 合格
    HAZARD = "hazard", _("Hazard")  # 隐患
    NOT_APPLICABLE = "not_applicable", _("Not applicable")  # 不适用


class Answer(models.Model):
    """One checklist item's outcome in one inspection; its photos are attachments owned by it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("Outcome"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.CharField(_("Note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Checklist answer")
        verbose_name_plural = _("Checklist answers")
        ordering = ["inspection", "item__position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_unique_item")]

    def __str__(self):
        return f"{self.item} {self.get_outcome_display()}"


class RiskLevel(models.TextChoices):
    """风险分级: the four levels and their colours (四色图)."""

    MAJOR = "major", _("Major risk (red)")  # 重大风险
    HIGH = "high", _("High risk (orange)")  # 较大风险
    MODERATE = "moderate", _("Moderate risk (yellow)")  # 一般风险
    LOW = "low", _("Low risk (blue)")  # 低风险


RISK_COLOUR = {
    RiskLevel.MAJOR: RiskColour.RED,
    RiskLevel.HIGH: RiskColour.ORANGE,
    RiskLevel.MODERATE: RiskColour.YELLOW,
    RiskLevel.LOW: RiskColour.BLUE,
}


class RiskPoint(models.Model):
    """风险点: a place or activity at an enterprise where an accident could start, with its level and controls."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="risk_points", verbose_name=_("Enterprise")
    )
    name = models.CharField(_("Risk point"), max_length=60)
    place = models.CharField(_("Where"), max_length=100, blank=True)
    level = models.CharField(_("Risk level"), max_length=10, choices=RiskLevel.choices)
    accident_types = models.CharField(_("Possible accidents"), max_length=100, blank=True)
    controls = models.TextField(_("Control measures"), blank=True)
    responsible = models.CharField(_("Person responsible"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Risk point")
        verbose_name_plural = _("Risk points")
        ordering = ["enterprise", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="risk_point_unique_name")]

    def __str__(self):
        return self.name

    @property
    def colour(self):
        return RISK_COLOUR[RiskLevel(self.level)]


class Tier(models.TextChoices):
    """包保责任: from the zone's leader down to the operator on the plant, in this order."""

    ZONE_LEADER = "zone_leader", _("Zone leader")  # 区级包保领导
    DEPARTMENT = "department", _("Supervising department")  # 部门监管责任人
    PARK = "park", _("Park")  # 园区包保责任人
    PRINCIPAL = "principal", _("Principal in charge")  # 企业主要负责人
    TECHNICAL = "technical", _("Technical lead")  # 技术负责人
    OPERATIONAL = "operational", _("Operations lead")  # 操作负责人


class ResponsibleOfficial(models.Model):
    """包保责任人: the chain of people answerable for a hazardous-chemical enterprise's safety."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="responsible_officials",
        verbose_name=_("Enterprise"),
    )  # fmt: skip
    tier = models.CharField(_("Tier"), max_length=12, choices=Tier.choices)
    name = models.CharField(_("Name"), max_length=40)
    position = models.CharField(_("Position"), max_length=60, blank=True)
    phone = EncryptedCharField(_("Mobile"), max_length=20, blank=True)  # SM4 at rest (core.crypto)
    phone_hash = BlindIndexField(source="phone")

    class Meta:
        verbose_name = _("Responsible official")
        verbose_name_plural = _("Responsible officials")
        constraints = [models.UniqueConstraint(fields=["enterprise", "tier", "name"], name="responsible_unique")]

    def __str__(self):
        return f"{self.get_tier_display()} {self.name}"


class Hazard(models.Model):
    """隐患: what a case of kind hazard carries beyond the loop — grade, colour, where it was found, and the
    five things that must be in place to rectify it (五到位: 措施, 责任人, 资金, 时限, 预案)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="hazard")
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("Found in inspection"),
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Checklist item"),
    )
    grade = models.CharField(_("Hazard grade"), max_length=10, choices=HazardGrade.choices, default=HazardGrade.GENERAL)
    colour = models.CharField(_("Risk colour"), max_length=10, choices=RiskColour.choices, default=RiskColour.YELLOW)
    place = models.CharField(_("Where"), max_length=100, blank=True)
    measures = models.TextField(_("Rectification measures"), blank=True)
    responsible = models.CharField(_("Person responsible for rectification"), max_length=40, blank=True)
    funds = models.DecimalField(_("Funds (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    time_limit = models.DateField(_("Rectification finished by"), null=True, blank=True)
    plan = models.TextField(_("Contingency plan"), blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Rectification reported by"),
    )
    rectified_on = models.DateField(_("Rectification reported on"), null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Re-inspected by"),
    )
    rechecked_on = models.DateField(_("Re-inspected on"), null=True, blank=True)

    class Meta:
        db_table = "cases_hazard"  # it began in the case engine; the table stayed where it was
        verbose_name = _("Hazard")
        verbose_name_plural = _("Hazards")
        constraints = [
            # 复查 by someone other than whoever reported the rectification
            models.CheckConstraint(
                name="hazard_rechecked_by_another",
                condition=models.Q(rechecked_by__isnull=True)
                | models.Q(rectified_by__isnull=True)
                | ~models.Q(rechecked_by=models.F("rectified_by")),
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_grade_display()}"
