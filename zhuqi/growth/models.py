"""培育: a firm's stages and certificates (科技型中小企业 → 后备培育库 → 高新技术企业 → 专精特新 …), each with its
history; the 高企 annual reports; the reminders sent (once each); the yearly recognition rounds."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageKind(models.TextChoices):
    TECH_SME = "tech_sme", _("Technology-based SME")  # 科技型中小企业
    POOL = "pool", _("Cultivation pool")  # 后备培育库
    HIGH_TECH = "high_tech", _("High-tech enterprise")  # 高新技术企业
    SPECIALISED = "specialised", _("Specialised and innovative SME")  # 专精特新
    GAZELLE = "gazelle", _("Gazelle enterprise")  # 瞪羚
    LITTLE_GIANT = "little_giant", _("Little giant")  # 小巨人
    INNOVATION_LEADER = "innovation_leader", _("Innovation-leading enterprise")  # 创新引领型


# the counted fact each stage gives (indicators.counted.growth)
FACT_OF_KIND = {
    StageKind.TECH_SME: "is_tech_sme",
    StageKind.POOL: "in_cultivation_pool",
    StageKind.HIGH_TECH: "is_high_tech",
    StageKind.SPECIALISED: "is_specialised",
    StageKind.GAZELLE: "is_gazelle",
    StageKind.LITTLE_GIANT: "is_little_giant",
}


class Stage(models.Model):
    """One stage a firm reached: a certificate (高企: number, date, three years), an entry in a register (科技型中小企业
    入库编号 and year) or the cultivation pool (entry date and service plan). Ended, never deleted."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="growth_stages",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    kind = models.CharField(_("Stage"), max_length=20, choices=StageKind.choices)
    number = models.CharField(_("Certificate or register number"), max_length=60, blank=True)
    year = models.PositiveIntegerField(_("Year"))
    granted_on = models.DateField(_("Granted or entered on"))
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    review_year = models.PositiveIntegerField(_("Re-examination year"), null=True, blank=True)
    plan = models.TextField(_("Service plan"), blank=True)
    target_year = models.PositiveIntegerField(_("Recognition expected in"), null=True, blank=True)
    ended_on = models.DateField(_("Ended on"), null=True, blank=True)
    end_reason = models.CharField(_("Why it ended"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Recorded by"))  # fmt: skip
    created_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Growth stage")
        verbose_name_plural = _("Growth stages")
        ordering = ["enterprise", "kind", "-granted_on"]
        indexes = [models.Index(fields=["kind", "granted_on"], name="growth_stage_kind_idx")]
        constraints = [
            models.CheckConstraint(
                name="growth_stage_valid_after_granted",
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("granted_on")),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()} {self.number or self.year}"

    def in_force_on(self, day: datetime.date) -> bool:
        return (
            self.granted_on <= day
            and (self.valid_until is None or self.valid_until >= day)
            and (self.ended_on is None or self.ended_on > day)
        )


class StageEvent(models.Model):
    """The stage's history, append-only: granted, renewed, plan changed, ended — who and when."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Granted or entered")
        PLAN = "plan", _("Service plan changed")
        ENDED = "ended", pgettext_lazy("growth stage", "Ended")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="events", verbose_name=_("Stage"))
    action = models.CharField(_("Action"), max_length=10, choices=Action.choices)
    note = models.TextField(_("Note"), blank=True)
    changes = models.JSONField(_("Changes"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("By"))  # fmt: skip
    at = models.DateTimeField(_("At"), default=timezone.now)

    class Meta:
        verbose_name = _("Stage event")
        verbose_name_plural = _("Stage events")
        ordering = ["stage", "at", "pk"]

    def __str__(self):
        return f"{self.stage_id} {self.action} {self.at:%Y-%m-%d}"


class AnnualReport(models.Model):
    """高企发展情况年报 of a year, due by 31 May of the next year."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    year = models.PositiveIntegerField(_("Year reported on"))
    filed_on = models.DateField(_("Filed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Recorded by"))  # fmt: skip

    class Meta:
        verbose_name = _("High-tech annual report")
        verbose_name_plural = _("High-tech annual reports")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="growth_annual_report_once")]

    def __str__(self):
        return f"{self.enterprise_id} {self.year}"


class ReminderKind(models.TextChoices):
    EXPIRY = "expiry", _("Certificate expiry")
    ANNUAL_REPORT = "annual_report", _("Annual report due")


class ReminderSent(models.Model):
    """A reminder told once: the unique key makes the daily job idempotent."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=40)  # the stage id for an expiry, the year for an annual report
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Reminder sent")
        verbose_name_plural = _("Reminders sent")
        constraints = [models.UniqueConstraint(fields=["enterprise", "kind", "key"], name="growth_reminder_once")]

    def __str__(self):
        return f"{self.enterprise_id} {self.kind} {self.key}"


class RecognitionRound(models.Model):
    """A year's 高新技术企业认定 round as the zone saw it: who applied, who passed, who did not and why."""

    year = models.PositiveIntegerField(_("Year"), unique=True)
    note = models.TextField(_("Note"), blank=True)

    class Meta:
        verbose_name = _("Recognition round")
        verbose_name_plural = _("Recognition rounds")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"


class Forecast(models.TextChoices):
    ELIGIBLE = "eligible", _("Meets every condition")
    SHORT = "short", _("Short of a condition")
    UNKNOWN = "unknown", _("Data missing")


class Result(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("recognition", "Applied")
    PASSED = "passed", pgettext_lazy("recognition", "Recognised")
    FAILED = "failed", pgettext_lazy("recognition", "Not recognised")


class RoundEntry(models.Model):
    round = models.ForeignKey(RecognitionRound, on_delete=models.CASCADE, related_name="entries",
                              verbose_name=_("Recognition round"))  # fmt: skip
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    re_exam = models.BooleanField(_("Re-examination"), default=False)
    from_pool = models.BooleanField(_("From the cultivation pool"), default=False)
    forecast = models.CharField(_("Pool's forecast"), max_length=10, choices=Forecast.choices, blank=True)
    result = models.CharField(
        pgettext_lazy("recognition", "Result"), max_length=10, choices=Result.choices, default=Result.APPLIED
    )
    reasons = models.TextField(_("Reasons"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("Recorded by"))  # fmt: skip
    recorded_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Recognition application")
        verbose_name_plural = _("Recognition applications")
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="growth_round_entry_once")]

    def __str__(self):
        return f"{self.round_id} {self.enterprise_id} {self.result}"
