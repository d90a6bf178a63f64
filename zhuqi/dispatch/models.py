"""每日调度: a dispatch period the zone opens and closes, the firms it targets (resolved and frozen when opened),
and each target's daily report. The fields are named as the figures' definitions name them, so that they can later
be recorded as indicators (在岗人数, 计划人数, 当日产值, 正常日产值, 产能利用率)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhuqi.enterprises.models import Scale

TIMELINE_KIND = "dispatch_report"


class PeriodKind(models.TextChoices):
    RESUMPTION = "resumption", _("Post-holiday resumption")  # 节后复工
    POLLUTION = "pollution", _("Heavy-pollution weather")  # 重污染天气
    EPIDEMIC = "epidemic", _("Epidemic")  # 疫情
    OTHER = "other", _("Other dispatch")  # 其他


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet opened")  # 未开启
    OPEN = "open", _("Open for daily reports")  # 调度中
    CLOSED = "closed", _("Ended")  # 已结束


class OperatingStatus(models.TextChoices):
    NORMAL = "normal", _("Working normally")  # 正常
    PARTIAL = "partial", _("Partly working")  # 部分
    STOPPED = "stopped", _("Operations stopped")  # 停工


WORKING = (OperatingStatus.NORMAL, OperatingStatus.PARTIAL)  # counted as resumed (复工)


def nine_oclock() -> datetime.time:
    """The default cut-off, 9:00. A callable: Django's check takes a fixed time for a mistaken "now" whenever it runs
    within ten seconds of that time of day."""
    return datetime.time(9, 0)


class DispatchPeriod(models.Model):
    """调度期: the zone asks its target firms for one report a day, by the cut-off time, from start to end."""

    name = models.CharField(_("Dispatch name"), max_length=60)
    kind = models.CharField(_("Dispatch kind"), max_length=12, choices=PeriodKind.choices)
    starts_on = models.DateField(_("First report day"))
    ends_on = models.DateField(_("Last report day"))
    cutoff = models.TimeField(_("Daily cut-off"), default=nine_oclock)
    status = models.CharField(_("Dispatch status"), max_length=8, choices=PeriodStatus.choices,
                              default=PeriodStatus.DRAFT)  # fmt: skip
    # who is asked, as the zone chose it; resolved into DispatchTarget rows when the period opens
    target_tags = models.ManyToManyField("enterprises.Tag", blank=True, related_name="+", verbose_name=_("Tags"))
    target_parks = models.ManyToManyField("org.Park", blank=True, related_name="+", verbose_name=_("Parks"))
    target_scale = models.CharField(_("Scale"), max_length=10, blank=True, choices=Scale.choices)
    target_list = models.ManyToManyField("enterprises.Enterprise", blank=True, related_name="+",
                                         verbose_name=_("Named enterprises"))  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Dispatch period")
        verbose_name_plural = _("Dispatch periods")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="dispatch_period_ends_after_start", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.name

    def days(self) -> list[datetime.date]:
        return [self.starts_on + datetime.timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]


class DispatchTarget(models.Model):
    """A firm the period asks for reports, frozen with its park and industry as they were when it opened, so the
    figures by park and industry do not move when the registry changes later."""

    period = models.ForeignKey(DispatchPeriod, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    industry = models.CharField(max_length=1, blank=True)
    usual_staff = models.PositiveIntegerField(null=True, blank=True)  # the registry's headcount, to prefill 计划人数

    class Meta:
        verbose_name = _("Dispatch target")
        verbose_name_plural = _("Dispatch targets")
        constraints = [models.UniqueConstraint(fields=["period", "enterprise"], name="dispatch_target_once")]
        indexes = [models.Index(fields=["enterprise", "period"], name="dispatch_target_firm_idx")]

    def __str__(self):
        return f"{self.period_id}/{self.enterprise_id}"


class DailyReport(models.Model):
    """每日调度报送: one per target and day; corrected in place the same day (each save audited)."""

    target = models.ForeignKey(DispatchTarget, on_delete=models.CASCADE, related_name="reports")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Report day"))
    operating_status = models.CharField(_("Operating status"), max_length=8, choices=OperatingStatus.choices)
    staff_on_duty = models.PositiveIntegerField(_("Staff at work"))  # 在岗人数
    staff_planned = models.PositiveIntegerField(_("Planned staff"))  # 计划人数 (usual staff)
    output_value = models.DecimalField(_("Output today (10,000 yuan)"), max_digits=12, decimal_places=2)  # 当日产值
    normal_output = models.DecimalField(_("Normal daily output (10,000 yuan)"), max_digits=12, decimal_places=2)
    capacity_utilisation = models.DecimalField(_("Capacity utilisation (%)"), max_digits=5, decimal_places=1)
    # which of the two the firm gave; the other is derived from it and the normal daily output
    output_given = models.BooleanField(default=True)
    problems = models.TextField(_("Difficulties and problems"), blank=True)  # 困难和问题
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("Reported at"))
    is_late = models.BooleanField(_("After the cut-off"), default=False)

    class Meta:
        verbose_name = _("Daily dispatch report")
        verbose_name_plural = _("Daily dispatch reports")
        ordering = ["-day", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "day"], name="dispatch_report_once_a_day"),
            models.CheckConstraint(
                name="dispatch_report_staff_within_plan",
                condition=models.Q(staff_on_duty__lte=models.F("staff_planned")),
            ),  # fmt: skip
            models.CheckConstraint(
                name="dispatch_report_normal_output_positive", condition=models.Q(normal_output__gt=0)
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["enterprise", "-day"], name="dispatch_report_firm_idx")]

    def __str__(self):
        return f"{self.enterprise_id} {self.day}"


class DispatchReminder(models.Model):
    """The one reminder a target firm gets for a day it had not reported by the cut-off."""

    target = models.ForeignKey(DispatchTarget, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "day"], name="dispatch_reminder_once_a_day")]

    def __str__(self):
        return f"{self.target_id} {self.day}"
