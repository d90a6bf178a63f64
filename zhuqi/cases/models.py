from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.fields import BlindIndexField, EncryptedCharField
from zhuqi.core.models import AppendOnlyModel, SoftDeletable

from . import workflow
from .workflow import CLOCK_RUNNING, FINISHED, Actor, Kind, Source, Status, action_choices, kind_choices

# this module's kind of entry in the enterprise file (registered in apps.py)
TIMELINE_KIND = "case"


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Result(models.TextChoices):
    SOLVED = "solved", _("Solved")  # 已解决
    PARTLY_SOLVED = "partly_solved", _("Partly solved")  # 部分解决
    NOT_SOLVABLE = "not_solvable", _("Cannot be solved")  # 无法解决


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class Category(models.Model):
    """问题类别: configured by the system administrator, each with its owner, deadline and priority."""

    kind = models.CharField(_("Kind"), max_length=20, choices=kind_choices, default=Kind.DEMAND)
    name = models.CharField(_("Name"), max_length=30)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="case_categories", verbose_name=_("Owning department")
    )
    deadline_workdays = models.PositiveSmallIntegerField(_("Deadline (working days)"), default=10)
    priority = models.CharField(_("Priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    routes_directly = models.BooleanField(
        _("Goes straight to the owning department"),
        default=False,
        help_text=_("For grid incidents and the like: assigned on arrival, without waiting for a coordinator"),
    )
    is_active = models.BooleanField(_("In use"), default=True)
    sort_order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Case category")
        verbose_name_plural = _("Case categories")
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="case_category_unique_name"),
            models.CheckConstraint(name="case_category_deadline_positive", condition=models.Q(deadline_workdays__gt=0)),
        ]

    def __str__(self):
        return self.name


class Case(SoftDeletable):
    """事项/工单: one matter, from report to rating, whatever its kind."""

    # set from the id in the same transaction that inserts the case (ZQ2026000123)
    number = models.CharField(_("Number"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("Kind"), max_length=20, choices=kind_choices, default=Kind.DEMAND)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("Category"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Enterprise"),
        db_index=False,  # case_enterprise_idx leads with it
    )
    park = models.ForeignKey(
        "org.Park",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Park"),
        help_text=_("The enterprise's park when the case was raised; figures per park count by it"),
        db_index=False,  # the park indexes below lead with it
    )
    description = models.TextField(_("Problem description"))
    grid = models.ForeignKey(
        "org.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("Grid")
    )
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(_("Location"), max_length=200, blank=True)
    source = models.CharField(_("Source"), max_length=20, choices=Source.choices)
    visit_problem = models.OneToOneField(
        "enterprises.VisitProblem", on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_cases", verbose_name=_("Reporter")
    )
    priority = models.CharField(_("Priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("Status"), max_length=24, choices=Status.choices, default=Status.PENDING)
    lead_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("Lead department"),
        db_index=False,  # case_department_status_idx leads with it
    )
    assisting_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="assisted_cases", verbose_name=_("Assisting departments")
    )
    assigned_on = models.DateField(_("Assigned on"), null=True, blank=True)
    deadline = models.DateField(_("Deadline"), null=True, blank=True, db_index=True)
    # the day 80% of the working time is used up: the case turns yellow (督办 warning)
    warn_on = models.DateField(_("Warning from"), null=True, blank=True)
    suspended_on = models.DateField(_("Suspended on"), null=True, blank=True)
    paused_workdays = models.PositiveSmallIntegerField(_("Working days suspended"), default=0)
    reported_on = models.DateField(_("Result reported on"), null=True, blank=True)
    pending_extension_days = models.PositiveSmallIntegerField(
        _("Extension asked (working days)"), null=True, blank=True
    )
    result = models.CharField(_("Result"), max_length=20, choices=Result.choices, blank=True)
    result_text = models.TextField(_("Result"), blank=True)
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("Closed on time"), null=True, blank=True)
    handling_workdays = models.PositiveSmallIntegerField(_("Handling time (working days)"), null=True, blank=True)
    rating = models.CharField(_("Rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("Rating comment"), max_length=500, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("Times sent back for rework"), default=0)
    reopened = models.BooleanField(_("Reopened"), default=False)
    symposium = models.ForeignKey(
        "Symposium", on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("Symposium")
    )
    master = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("Merged into"),
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Raised at"), default=timezone.now)
    # Kept by the database from the status: the figures count by these booleans, which PostgreSQL evaluates
    # several times faster than a status IN (...) list per row and per figure.
    is_counted = models.GeneratedField(
        expression=~models.Q(status__in=[Status.WITHDRAWN, Status.MERGED]),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    is_finished = models.GeneratedField(
        expression=models.Q(status__in=sorted(FINISHED)), output_field=models.BooleanField(), db_persist=True
    )
    is_running = models.GeneratedField(
        expression=models.Q(status__in=sorted(CLOCK_RUNNING)), output_field=models.BooleanField(), db_persist=True
    )

    class Meta:
        verbose_name = _("Case")
        verbose_name_plural = _("Cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="case_status_deadline_idx"),
            models.Index(fields=["lead_department", "status"], name="case_department_status_idx"),
            models.Index(fields=["park", "created_at"], name="case_park_created_idx"),
            models.Index(fields=["park", "status"], name="case_park_status_idx"),
            models.Index(fields=["enterprise", "-created_at"], name="case_enterprise_idx"),
            # the figures' period scan reads this index alone (PostgreSQL; elsewhere a plain created_at index)
            models.Index(
                fields=["created_at"],
                include=[
                    "lead_department",
                    "park",
                    "category",
                    "is_counted",
                    "is_finished",
                    "is_running",
                    "closed_on_time",
                    "result",
                    "rating",
                    "rework_count",
                    "deadline",
                    "handling_workdays",
                ],
                name="case_figures_idx",
            ),  # fmt: skip
        ]
        constraints = [
            models.CheckConstraint(
                name="case_assigned_has_department_and_deadline",
                condition=models.Q(status="pending")
                | models.Q(status="withdrawn")
                | models.Q(status="merged")
                | (models.Q(lead_department__isnull=False) & models.Q(deadline__isnull=False)),
            ),
            models.CheckConstraint(
                name="case_merged_has_master",
                condition=~models.Q(status="merged") | models.Q(master__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def get_status_display(self):
        """The status as the case's kind names its step (an application's 园区初审), wherever a case is shown."""
        return str(workflow.status_label(self.kind, self.status))


class CaseEvent(AppendOnlyModel):
    """The case's history: every action, by whom, in which part, when, with what comment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Action"), max_length=24, choices=action_choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("By")
    )
    actor_part = models.CharField(_("As"), max_length=20, choices=Actor.choices)
    at = models.DateTimeField(_("Time"), default=timezone.now)
    from_status = models.CharField(_("From"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("To"), max_length=24, choices=Status.choices, blank=True)
    comment = models.TextField(_("Comment"), blank=True)
    is_public = models.BooleanField(_("Shown to the enterprise"), default=True)
    details = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Case event")
        verbose_name_plural = _("Case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]


class Symposium(models.Model):
    """座谈会: a park meets several enterprises at once; each problem raised becomes its own case."""

    title = models.CharField(_("Title"), max_length=100)
    held_on = models.DateField(_("Held on"))
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Park")
    )
    enterprises = models.ManyToManyField("enterprises.Enterprise", related_name="symposia", verbose_name=_("Attending"))
    notes = models.TextField(_("Notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Recorded by")
    )
    created_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Symposium")
        verbose_name_plural = _("Symposia")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class SupervisionNotice(models.Model):
    """督办单: the zone office's formal notice to a department about one case, and the department's reply."""

    number = models.CharField(_("Number"), max_length=30, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervision_notices")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("Department")
    )
    requirement = models.TextField(_("Requirement"))
    reply_due = models.DateField(_("Reply due"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Issued by")
    )
    issued_at = models.DateTimeField(_("Issued at"), default=timezone.now)
    reply = models.TextField(_("Reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Replied by"),
    )
    replied_at = models.DateTimeField(_("Replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Supervision notice")
        verbose_name_plural = _("Supervision notices")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["department", "replied_at"], name="supervision_department_idx")]

    def __str__(self):
        return self.number


class ReminderKind(models.TextChoices):
    WARNING = "warning", _("Yellow warning")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    REPLY_DUE = "reply_due", _("Supervision reply due")


class Reminder(AppendOnlyModel):
    """A reminder the worker has sent, so that each goes out once per case and deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "deadline"], name="reminder_once_per_deadline"),
        ]


class CaseMonthFigures(models.Model):
    """The settled figures of the cases raised in one month, per department, park and category: kept by the case
    services on every change, so that the figures page sums a few thousand rows for whole months instead of
    scanning every case. 0 stands for “none” in the keys, so that the unique key holds on every database."""

    month = models.DateField()
    department_key = models.PositiveIntegerField()
    park_key = models.PositiveIntegerField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    received = models.IntegerField(default=0)
    finished = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    workdays_sum = models.IntegerField(default=0)
    workdays_n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_key", "park_key", "category"], name="case_month_figures_key"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.department_key}/{self.park_key}/{self.category_id}"


class BoardKey(models.Model):
    """The secret in the link on an enterprise's printed QR board (助企公示牌). A new key (rotate) makes every
    board printed before it stop working; no key (revoke) closes the public form of that enterprise."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="board_key", verbose_name=_("Enterprise")
    )
    key = models.CharField(_("Key"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("Issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("Issued by")
    )

    class Meta:
        verbose_name = _("QR board key")
        verbose_name_plural = _("QR board keys")

    def __str__(self):
        return str(self.enterprise_id)


class BoardSubmission(models.Model):
    """A demand sent by an employee from the QR board, without an account: kept until the phone is confirmed
    by the SMS code, then raised as a case of the firm. Its rows also count the codes sent, for the rate limits."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("Enterprise")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("Category"))
    name = EncryptedCharField(_("Name"), max_length=40)
    phone = EncryptedCharField(_("Mobile"), max_length=20)
    phone_hash = BlindIndexField(source="phone", db_index=True)
    description = models.TextField(_("Description"))
    address = models.GenericIPAddressField(_("Address"), null=True)
    code_hash = models.CharField(max_length=128)
    code_expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    case = models.OneToOneField(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("QR board submission")
        verbose_name_plural = _("QR board submissions")
        indexes = [models.Index(fields=["address", "created_at"], name="board_submission_address_idx")]

    def __str__(self):
        return f"{self.enterprise_id} {self.created_at:%Y-%m-%d %H:%M}"
