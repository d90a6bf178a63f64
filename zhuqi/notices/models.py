"""Notices, forwarded warnings and training sessions that reach the firms (工作提示 · 预警信息 · 宣教培训).

A notice's audience is a query over the registry when it is written; sending resolves it once and keeps the
list it reached as one receipt per firm, so later changes to tags or parks never change who got it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTICE_TIMELINE_KIND = "notice"
TRAINING_TIMELINE_KIND = "training"
ANONYMISED = "（已匿名）"  # as the registry's contacts past their keeping period


class NoticeKind(models.TextChoices):
    WORK_TIP = "work_tip", _("Work notice")
    WARNING = "warning", _("Warning")
    POLICY = "policy", _("Policy outreach")
    SAFETY = "safety", _("Safety education")


class Requirement(models.TextChoices):
    READ = "read", _("Read only")
    CONFIRM = "confirm", _("Confirm what was done")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WarningLevel(models.TextChoices):
    BLUE = "blue", _("Blue")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


class Audience(models.Model):
    """发送范围: a saved query over the registry (parks, grids, tags, scales, industries, grades, and/or a
    hand-made list), kept by the unit that made it."""

    name = models.CharField(_("Audience name"), max_length=60)
    criteria = models.JSONField(_("Criteria"), default=dict)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    park = models.ForeignKey("org.Park", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Audience")
        verbose_name_plural = _("Audiences")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Notice(models.Model):
    kind = models.CharField(_("Kind of notice"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.WORK_TIP)
    title = models.CharField(_("Title"), max_length=120)
    body = models.TextField(_("Text"))
    doc_number = models.CharField(_("Document number"), max_length=60, blank=True)
    issuer_name = models.CharField(_("Issuing unit"), max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Department"))  # fmt: skip
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("Park"))  # fmt: skip
    requirement = models.CharField(_("Firms must"), max_length=10, choices=Requirement.choices,
                                   default=Requirement.READ)  # fmt: skip
    due_on = models.DateField(_("Confirm by"), null=True, blank=True)
    confirm_prompt = models.CharField(_("What the firm reports"), max_length=200, blank=True)
    criteria = models.JSONField(_("Audience"), default=dict, blank=True)
    audience = models.ForeignKey(Audience, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("Status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Drafted at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")  # fmt: skip
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("Firms"), default=0)
    withdrawn_at = models.DateTimeField(_("Withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("Reason"), max_length=200, blank=True)
    correction_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="corrections", verbose_name=_("Corrects"))  # fmt: skip
    # a forwarded warning (预警信息): what the issuing agency said, and until when it holds
    level = models.CharField(_("Warning level"), max_length=10, choices=WarningLevel.choices, blank=True)
    event = models.CharField(_("Warning event"), max_length=60, blank=True)
    area = models.CharField(_("Area"), max_length=200, blank=True)
    source_name = models.CharField(_("Issuing agency"), max_length=100, blank=True)
    effective_at = models.DateTimeField(_("Effective from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Valid until"), null=True, blank=True)
    identifier = models.CharField(_("Warning identifier"), max_length=120, blank=True)
    measures = models.TextField(_("Measures asked of the firms"), blank=True)

    class Meta:
        verbose_name = _("Notice")
        verbose_name_plural = _("Notices")
        ordering = ["-sent_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "sent_at"], name="notice_department_idx"),
            models.Index(fields=["park", "sent_at"], name="notice_park_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="notice_confirm_has_due_date",
                                   condition=~models.Q(requirement="confirm") | models.Q(due_on__isnull=False)),
            models.CheckConstraint(name="notice_one_issuing_unit",
                                   condition=models.Q(department__isnull=True) | models.Q(park__isnull=True)),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    @property
    def unit(self):
        return self.department or self.park

    @property
    def level_class(self) -> str:
        return {"red": "text-bg-danger", "orange": "text-bg-warning border border-danger", "yellow": "text-bg-warning",
                "blue": "text-bg-primary"}.get(self.level, "")  # fmt: skip


class Receipt(models.Model):
    """One firm's copy of a sent notice: when it arrived, was first opened (by whom), and confirmed."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    delivered_at = models.DateTimeField(_("Delivered at"))
    read_at = models.DateTimeField(_("First opened at"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("Opened by"))  # fmt: skip
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("Confirmed by"))  # fmt: skip
    confirmation = models.TextField(_("What the firm did"), blank=True)
    reminded_at = models.DateTimeField(_("Reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("Passed to the service officer at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Receipt")
        verbose_name_plural = _("Receipts")
        ordering = ["enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["notice", "enterprise"], name="receipt_once_per_firm")]
        indexes = [models.Index(fields=["enterprise", "-delivered_at"], name="receipt_enterprise_idx")]

    def __str__(self):
        return f"{self.notice} · {self.enterprise}"


def _token() -> str:
    return secrets.token_urlsafe(16)


class TrainingSession(models.Model):
    """宣教培训: a session with its invited firms, its sign-in by QR code, attendance and materials."""

    topic = models.CharField(_("Topic"), max_length=120)
    description = models.TextField(_("Description"), blank=True)
    kind = models.CharField(_("Kind of notice"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.POLICY)
    starts_at = models.DateTimeField(_("Starts at"))
    place = models.CharField(_("Place"), max_length=120, blank=True)
    online_link = models.URLField(_("Online link"), blank=True)
    organiser_name = models.CharField(_("Organiser"), max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("Department"))  # fmt: skip
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("Park"))  # fmt: skip
    satisfaction_question = models.CharField(_("Satisfaction question"), max_length=120,
                                             default="您对本次培训是否满意？")  # fmt: skip
    sign_in_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    followed_up_at = models.DateTimeField(_("Followed up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Training session")
        verbose_name_plural = _("Training sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(name="training_one_organising_unit",
                                   condition=models.Q(department__isnull=True) | models.Q(park__isnull=True)),
        ]  # fmt: skip

    def __str__(self):
        return self.topic

    @property
    def unit(self):
        return self.department or self.park


class Invitation(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="invitations")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    invited_at = models.DateTimeField(_("Invited at"), default=timezone.now)
    followed_up_at = models.DateTimeField(_("Materials sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Invitation")
        verbose_name_plural = _("Invitations")
        ordering = ["enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["session", "enterprise"], name="invitation_once_per_firm")]

    def __str__(self):
        return f"{self.session} · {self.enterprise}"


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, _("Satisfied")
    FAIRLY = 2, _("Fairly satisfied")
    DISSATISFIED = 1, _("Dissatisfied")


class Attendance(models.Model):
    """One person signed in at a session for their firm (the firm named by the person, found in the registry)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Enterprise"))  # fmt: skip
    person_name = models.CharField(_("Person's name"), max_length=40)
    signed_at = models.DateTimeField(_("Signed in at"), default=timezone.now)
    satisfaction = models.PositiveSmallIntegerField(_("Satisfaction answer"), choices=Satisfaction.choices, null=True,
                                                    blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("Attendance")
        verbose_name_plural = _("Attendance")
        ordering = ["signed_at", "id"]
        constraints = [
            # names anonymised after the keeping period are all alike, and stay counted
            models.UniqueConstraint(fields=["session", "enterprise", "person_name"], name="attendance_once_per_person",
                                    condition=~models.Q(person_name=ANONYMISED)),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.session} · {self.person_name}"
