import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core import registry
from zhuqi.core.fields import BlindIndexField, EncryptedCharField
from zhuqi.core.models import AppendOnlyModel, SoftDeletable

from .credit_code import validate_credit_code


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water production and supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Residents' services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class Scale(models.TextChoices):
    ABOVE = "above", _("Above designated size")
    BELOW = "below", _("Below designated size")


class EnvironmentalGrade(models.TextChoices):
    LEADING = "leading", _("Leading")
    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")
    D = "D", _("Grade D")
    NONE = "", _("Not graded")


class VisitFrequency(models.IntegerChoices):
    """How often an enterprise must be visited; the value is the window in months."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Half-yearly")
    YEARLY = 12, _("Yearly")


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Enterprise tag")
        verbose_name_plural = _("Enterprise tag")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class VisitRule(models.Model):
    """走访频次: the strictest rule that matches an enterprise (by tag or by scale) applies; else the default."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Tags"))
    scale = models.CharField(_("Scale"), max_length=10, choices=Scale.choices, blank=True, unique=True, null=True)
    frequency = models.PositiveSmallIntegerField(_("Visit frequency"), choices=VisitFrequency.choices)

    class Meta:
        verbose_name = _("Visit frequency rule")
        verbose_name_plural = _("Visit frequency rule")
        constraints = [
            models.CheckConstraint(
                name="visit_rule_tag_or_scale_not_both",
                condition=models.Q(tag__isnull=True) | models.Q(scale__isnull=True),
            ),
        ]

    def __str__(self):
        target = self.tag or (self.get_scale_display() if self.scale else _("Default"))
        return f"{target}：{self.get_frequency_display()}"


class Enterprise(SoftDeletable):
    credit_code = models.CharField(
        _("Unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("Enterprise name"), max_length=100, unique=True)
    former_names = models.JSONField(_("Former names"), default=list, blank=True)
    name_initials = models.CharField(_("Pinyin initials of the name"), max_length=100, editable=False)
    park = models.ForeignKey(
        "org.Park",
        on_delete=models.PROTECT,
        db_index=False,  # enterprise_park_name_idx leads with park
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("Park"),
    )
    grid = models.ForeignKey(
        "org.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("Grid"),
    )
    address = models.CharField(_("Address"), max_length=200, blank=True)
    industry = models.CharField(_("Industry section"), max_length=1, choices=Industry.choices, blank=True)
    industry_detail = models.CharField(_("Industry detail"), max_length=60, blank=True)
    scale = models.CharField(_("Scale"), max_length=10, choices=Scale.choices, default=Scale.BELOW)
    headcount = models.PositiveIntegerField(_("Headcount"), null=True, blank=True)
    established_on = models.DateField(_("Date of establishment"), null=True, blank=True)  # 成立日期
    # 严重失信主体名单: the date the firm was listed and the decision or list it comes from (zone staff keep it)
    serious_breach_on = models.DateField(
        _("Listed as seriously untrustworthy on"), null=True, blank=True,
        help_text=_("严重失信: the date the firm was put on the list; empty when it is not on it"),
    )  # fmt: skip
    serious_breach_source = models.CharField(
        _("Seriously untrustworthy: source"), max_length=200, blank=True,
        help_text=_("The list or decision, e.g. 信用中国 or the department's decision number"),
    )  # fmt: skip
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("Tags"))
    environmental_grade = models.CharField(
        _("Environmental performance grade"), max_length=10, choices=EnvironmentalGrade.choices, blank=True, default=""
    )
    service_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,  # enterprise_officer_idx leads with service_officer
        null=True,
        blank=True,
        related_name="served_enterprises",
        verbose_name=_("Chief service officer"),
    )
    is_demo = models.BooleanField(
        _("Demo data"), default=False, help_text=_("Generated demo data; the credit code is not real")
    )
    created_at = models.DateTimeField(_("Registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)
    # raised by every change of the file: an edit made on an older version is refused, not saved over the newer
    version = models.PositiveIntegerField(_("Version"), default=1, db_default=1)  # db_default: the ledger COPY
    # as SoftDeletable's, but indexed only where set (see Meta): the few deleted rows are all that is looked up
    # by them, and an import of 10^5 enterprises then indexes no empty values
    deleted_at = models.DateTimeField(_("Deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+",
        db_index=False, verbose_name=_("Deleted by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("Enterprises")
        verbose_name_plural = _("Enterprises")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["park", "name"], name="enterprise_park_name_idx"),
            # an officer's list; imported enterprises have none yet, and are not indexed until they do
            models.Index(
                fields=["service_officer", "name"],
                name="enterprise_officer_idx",
                condition=models.Q(service_officer__isnull=False),
            ),
            models.Index(
                fields=["-deleted_at"], name="enterprise_deleted_idx", condition=models.Q(deleted_at__isnull=False)
            ),
            models.Index(
                fields=["deleted_by"], name="enterprise_deleted_by_idx", condition=models.Q(deleted_by__isnull=False)
            ),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("Full name"), max_length=40)
    title = models.CharField(_("Position"), max_length=40, blank=True)
    phone = EncryptedCharField(_("Phone"), max_length=20, blank=True)  # SM4 at rest (core.crypto)
    phone_hash = BlindIndexField(source="phone")
    is_primary = models.BooleanField(_("Primary contact"), default=False)

    class Meta:
        verbose_name = _("Enterprise contact")
        verbose_name_plural = _("Enterprise contact")
        ordering = ["-is_primary", "id"]

    def __str__(self):
        return self.name


class QualificationKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    TECH_SME = "tech_sme", _("Technology-based SME")
    SPECIALISED = "specialised", _("Specialised and innovative (专精特新)")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    LITTLE_GIANT = "little_giant", _("“Little giant” (专精特新小巨人)")


class Qualification(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("Qualification"), max_length=20, choices=QualificationKind.choices)
    certificate_no = models.CharField(_("Certificate number"), max_length=40, blank=True)
    valid_from = models.DateField(_("Valid from"))
    valid_until = models.DateField(_("Valid until"), db_index=True)

    class Meta:
        verbose_name = _("Qualifications")
        verbose_name_plural = _("Qualifications")
        ordering = ["valid_until"]
        constraints = [
            models.CheckConstraint(
                name="qualification_period_in_order", condition=models.Q(valid_until__gte=models.F("valid_from"))
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.certificate_no}）"


class OfficerAssignment(AppendOnlyModel):
    """Each change of chief service officer; the current one is Enterprise.service_officer."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="officer_assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("Chief service officer"),
    )
    assigned_at = models.DateTimeField(_("Assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("Actor")
    )
    reason = models.CharField(_("Reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Chief service officer assignments")
        verbose_name_plural = _("Chief service officer assignments")
        ordering = ["-assigned_at", "-id"]


class Visit(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("Visit date"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("Visiting officers")
    )
    other_officers = models.CharField(_("Other participants"), max_length=200, blank=True)
    people_met = models.CharField(_("Enterprise people met"), max_length=200, blank=True)
    topics = models.TextField(_("Topics"))
    findings = models.TextField(_("Findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Recorded by")
    )
    recorded_at = models.DateTimeField(_("Recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Visit")
        verbose_name_plural = _("Visit")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_date_idx")]

    def __str__(self):
        return f"{self.visited_on} {self.enterprise}"


class VisitProblem(models.Model):
    """A problem the enterprise raised during a visit; the case workflow will take it up from here."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("Problem description"))

    class Meta:
        verbose_name = _("Problem raised in a visit")
        verbose_name_plural = _("Problem raised in a visit")
        ordering = ["id"]

    def __str__(self):
        return self.description[:40]


class TimelineKind(models.TextChoices):
    """The enterprise file's own kinds; every other module registers its kinds with
    core.registry.timeline_kind_register (the column keeps no choices, so a new kind needs no migration here)."""

    REGISTERED = "registered", _("Registered")
    UPDATED = "updated", _("Details changed")
    OFFICER_CHANGED = "officer_changed", _("Service officer changed")
    VISIT = "visit", _("Visit")
    QUALIFICATION = "qualification", _("Qualifications")
    IMPORTED = "imported", _("Ledger import")


class TimelineEntry(AppendOnlyModel):
    """一企一档: everything that happened to an enterprise, in one append-only stream."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="timeline",
        db_index=False,  # timeline_enterprise_idx
    )
    occurred_at = models.DateTimeField(_("Time"), default=timezone.now)
    kind = models.CharField(_("Type"), max_length=30)  # a kind in core.registry.timeline_kinds()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Actor"),
    )
    summary = models.CharField(_("Summary"), max_length=300)
    details = models.JSONField(_("Details"), default=dict, blank=True)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Enterprise file entry")
        verbose_name_plural = _("Enterprise file entry")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-occurred_at"], name="timeline_enterprise_idx")]

    def save(self, *args, **kwargs):
        if self.kind not in registry.timeline_kinds():
            raise ValueError(f"unregistered timeline kind {self.kind!r}")
        super().save(*args, **kwargs)

    def get_kind_display(self):
        kind = registry.timeline_kinds().get(self.kind)
        return kind.label if kind else self.kind


class LedgerImport(models.Model):
    """One uploaded ledger: checked first (every problem listed), imported only on request, all or nothing."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("File"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("File name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("Uploaded at"), default=timezone.now)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("Data rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("Rows without problems"), default=0)
    problem_count = models.PositiveIntegerField(_("Problems"), default=0)
    problems = models.JSONField(_("Problem list"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("Rows imported"), default=0)
    error = models.CharField(_("Error"), max_length=500, blank=True)
    # the step's progress and the worker's sign of life, written on their own connection as the step runs
    done_rows = models.PositiveIntegerField(_("Rows done"), default=0)
    queued_at = models.DateTimeField(_("Queued at"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("Last sign of life"), null=True, blank=True)
    header_row = models.PositiveIntegerField(_("Header row"), default=0)
    columns = models.JSONField(_("Columns taken"), default=list, blank=True)

    class Meta:
        verbose_name = _("Ledger import")
        verbose_name_plural = _("Ledger import")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    def interrupted(self, now=None) -> bool:
        """A step that stopped without a word: its worker has given no sign of life for a while (killed, or the
        machine restarted), or it was never picked up from the queue. Its transaction died with it."""
        if not self.running:
            return False
        now = now or timezone.now()
        if self.heartbeat_at is None:
            return self.queued_at < now - datetime.timedelta(seconds=settings.ZHUQI_IMPORT_QUEUE_SECONDS)
        return self.heartbeat_at < now - datetime.timedelta(seconds=settings.ZHUQI_IMPORT_STALE_SECONDS)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.done_rows * 100 // self.total_rows)


class DemoDataLoad(models.Model):
    """Which modules' demo data the demo zone holds: a module that arrives later (one new app folder) gets its
    demo data on the next `make run`, without the zone being loaded again or another module's data twice."""

    name = models.CharField(max_length=50, unique=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name
