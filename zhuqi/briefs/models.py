"""Briefs (通报, 工作简报, 专项检查总结, 应急响应情况报告): drafted from the platform's figures, edited by the office,
issued as a Word document in the official layout. Each issue is a frozen version kept with its file; the history
of drafting, editing and issuing is append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhuqi.core.models import AppendOnlyModel


class BriefKind(models.TextChoices):
    BULLETIN = "bulletin", _("Monthly assessment bulletin")  # 月度考核通报
    WEEKLY = "weekly", _("Weekly work brief")  # 工作简报
    CAMPAIGN = "campaign", _("Inspection campaign summary")  # 专项检查总结
    ALERT = "alert", _("Heavy-pollution alert report")  # 重污染天气应急响应情况报告


class BriefStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("brief", "Draft")
    ISSUED = "issued", pgettext_lazy("brief", "Issued")


class Brief(models.Model):
    kind = models.CharField(_("Kind"), max_length=12, choices=BriefKind.choices)
    # the unit it is about and whose office edits it; neither: the zone office's own
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Department"),
    )  # fmt: skip
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Park")
    )
    period_start = models.DateField(_("From"))
    period_end = models.DateField(_("To"))
    subject_id = models.PositiveIntegerField(_("Campaign or alert"), null=True, blank=True)
    title = models.CharField(_("Title"), max_length=120)
    subtitle = models.CharField(_("Issue line"), max_length=120, blank=True)
    issuer = models.CharField(_("Issuing unit"), max_length=60)
    # [{"text": …, "heading": bool, "links": [{"text": "48 人次", "url": "/inspections/?…"}]}]
    paragraphs = models.JSONField(_("Paragraphs"), default=list)
    charts = models.JSONField(default=list)  # [{"title": …, "items": [[label, value], …]}]
    rows = models.JSONField(default=list)  # the bulletin's ranking table
    status = models.CharField(_("Status"), max_length=8, choices=BriefStatus.choices, default=BriefStatus.DRAFT)
    issued_versions = models.PositiveSmallIntegerField(_("Versions issued"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("Updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("Brief")
        verbose_name_plural = _("Briefs")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["department", "park", "-period_end"], name="brief_unit_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="brief_period"),
            models.CheckConstraint(
                condition=models.Q(department__isnull=True) | models.Q(park__isnull=True), name="brief_one_unit"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def unit_name(self) -> str:
        return self.department.name if self.department else self.park.name if self.park else settings.ZHUQI_ZONE_NAME


class BriefVersion(AppendOnlyModel):
    """An issued brief as it went out: its text and its Word file, frozen."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Version"))
    title = models.CharField(_("Title"), max_length=120)
    paragraphs = models.JSONField(default=list)
    docx = models.BinaryField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("Issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("Issued version")
        verbose_name_plural = _("Issued versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["brief", "number"], name="brief_version_unique")]


class BriefAction(models.TextChoices):
    DRAFT = "draft", _("Drafted from the data")
    EDIT = "edit", _("Text edited")
    REDRAFT = "redraft", _("Drafted again from the data")
    ISSUE = "issue", pgettext_lazy("brief", "Issued")


class BriefEvent(AppendOnlyModel):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Action"), max_length=8, choices=BriefAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
