"""报表 and 填报任务: versioned form definitions whose fields are indicators and whose checks are a rule set, the
campaigns that ask firms to fill one for a period, and each firm's return with its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.indicators.periods import PeriodKind
from zhuqi.indicators.units import Unit


class Form(models.Model):
    code = models.SlugField(_("Form code"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    period_kind = models.CharField(_("Period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)

    class Meta:
        verbose_name = _("Form")
        verbose_name_plural = _("Forms")
        ordering = ["code"]

    def __str__(self):
        return self.name


class FormVersion(models.Model):
    """One version of a form. Once a campaign uses it (in_use_at) it never changes: a new version is made."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="versions", verbose_name=_("Form"))
    number = models.PositiveIntegerField(_("Version"))
    title = models.CharField(_("Title"), max_length=200)
    notes = models.TextField(_("Notes (what is simplified)"), blank=True)
    ruleset = models.OneToOneField(
        "indicators.RuleSet", on_delete=models.PROTECT, related_name="form_version", verbose_name=_("Rule set")
    )
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)
    in_use_at = models.DateTimeField(_("In use since"), null=True, blank=True)

    class Meta:
        verbose_name = _("Form version")
        verbose_name_plural = _("Form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique")]

    def __str__(self):
        return f"{self.form.name} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.form.code} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("Form version")
    )
    code = models.SlugField(_("Section code"), max_length=40)
    title = models.CharField(_("Title"), max_length=100)
    order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Form section")
        verbose_name_plural = _("Form sections")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="section_code_unique")]

    def __str__(self):
        return self.title


class Prefill(models.TextChoices):
    NONE = "", _("Nothing")
    LAST = "last", _("Last period's answer")
    REGISTRY = "registry", _("The enterprise file")


class Field(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="fields", verbose_name=_("Form section")
    )
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Indicator"))  # fmt: skip
    row = models.CharField(_("Row code"), max_length=10, blank=True)  # 行次 / 代码 as printed on the form
    label = models.CharField(_("Label"), max_length=100)
    unit = models.CharField(_("Unit of measure"), max_length=10, choices=Unit.choices, blank=True)
    required = models.BooleanField(_("Required"), default=False)
    min_value = models.DecimalField(_("Lowest"), max_digits=22, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("Highest"), max_digits=22, decimal_places=4, null=True, blank=True)
    yoy_limit = models.PositiveIntegerField(
        _("Change on last period beyond which to explain (%)"), null=True, blank=True
    )
    prefill = models.CharField(_("Prefill"), max_length=10, choices=Prefill.choices, blank=True, default="")
    help_text = models.CharField(_("Help"), max_length=300, blank=True)
    simplified = models.BooleanField(_("Simplified"), default=False)
    order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Field")
        verbose_name_plural = _("Fields")
        ordering = ["section", "order"]

    def __str__(self):
        return self.label

    @property
    def code(self) -> str:
        return self.indicator.code


class Campaign(models.Model):
    """填报任务: a form version, a period, the firms asked and the window."""

    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Form version")
    )
    period = models.CharField(_("Period"), max_length=10)
    title = models.CharField(_("Title"), max_length=200)
    opens_on = models.DateField(_("Opens on"))
    due_on = models.DateField(_("Due on"))
    closes_on = models.DateField(_("Closes on"))
    targets = models.JSONField(_("Target firms (as chosen)"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Created by"))  # fmt: skip
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Reporting campaign")
        verbose_name_plural = _("Reporting campaigns")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="campaign_window_in_order",
                condition=models.Q(due_on__gte=models.F("opens_on")) & models.Q(closes_on__gte=models.F("due_on")),
            ),
        ]

    def __str__(self):
        return self.title


class ReturnState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not filled")  # 未填报
    SAVED = "saved", _("Saved")  # 已保存
    SUBMITTED = "submitted", _("Submitted")  # 已提交
    PARK_APPROVED = "park_approved", _("Approved by the park")  # 园区已审
    ZONE_APPROVED = "zone_approved", _("Approved by the zone")  # 区级已审


class Return(models.Model):
    """One firm's return in a campaign. Values are kept as entered, in the form's units, until submitted; on
    submission they are recorded as the firm's indicator values (with this return as their origin)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="returns", verbose_name=_("Reporting campaign")
    )
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="returns",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    state = models.CharField(_("State"), max_length=20, choices=ReturnState.choices, default=ReturnState.NOT_STARTED)
    values = models.JSONField(_("Values (form units)"), default=dict, blank=True)
    explanations = models.JSONField(_("Explanations of warnings"), default=dict, blank=True)
    reopened = models.BooleanField(_("Reopened by the zone"), default=False)
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("Version"), default=1)
    reminded_on = models.DateField(_("Last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Return")
        verbose_name_plural = _("Returns")
        ordering = ["campaign", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise"], name="return_one_per_firm")]
        indexes = [models.Index(fields=["campaign", "state"], name="return_campaign_state_idx")]

    def __str__(self):
        return f"{self.enterprise} {self.campaign}"


class ReturnEvent(models.Model):
    """The return's history, append-only: every save, submission, approval, 退回 and reopening."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="events", verbose_name=_("Return"))
    action = models.CharField(_("Action"), max_length=20)
    from_state = models.CharField(_("State before"), max_length=20, choices=ReturnState.choices)
    to_state = models.CharField(_("State after"), max_length=20, choices=ReturnState.choices)
    comment = models.TextField(_("Review comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                           verbose_name=_("By"))  # fmt: skip
    at = models.DateTimeField(_("At"), default=timezone.now)

    class Meta:
        verbose_name = _("Return event")
        verbose_name_plural = _("Return events")
        ordering = ["ret", "at", "pk"]

    def __str__(self):
        return f"{self.ret_id} {self.action}"
