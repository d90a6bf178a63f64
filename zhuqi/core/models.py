from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("append-only rows are never updated")

    def delete(self):
        raise AppendOnlyError("append-only rows are never deleted")


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed: history, audit records, readings."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


class NotDeletedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    """Records users never delete for good (enterprises, cases, inspections): deleting hides them everywhere
    (the default manager leaves them out) until restored; `everything` still finds them."""

    deleted_at = models.DateTimeField(_("Deleted at"), null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+",
        verbose_name=_("Deleted by"),
    )  # fmt: skip
    deletion_reason = models.CharField(
        _("Reason for deletion"), max_length=200, blank=True, editable=False, db_default=""
    )

    objects = NotDeletedManager()
    everything = models.Manager()  # noqa: DJ012 -- ruff takes NotDeletedManager() above for a field

    class Meta:
        abstract = True


class AuditEvent(models.TextChoices):
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Log out")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    VIEW_PERSONAL = "view_personal", _("View personal data")
    LOCKOUT = "lockout", _("Account locked")
    DISABLE = "disable", _("Account disabled")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    ROLE_CHANGE = "role_change", _("Role changed")
    SECOND_FACTOR = "second_factor", _("Second factor set")
    BACKUP = "backup", _("Backup")
    RESTORE = "restore", _("Restore")
    UNDELETE = "undelete", _("Restore a deleted record")
    ANONYMISE = "anonymise", _("Personal data anonymised")


class AuditRecord(AppendOnlyModel):
    at = models.DateTimeField(_("Time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Actor"),
    )
    actor_username = models.CharField(_("Account"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("Address"), null=True, blank=True)
    event = models.CharField(_("Event"), max_length=20, choices=AuditEvent.choices, db_index=True)
    object_type = models.CharField(_("Object type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("Object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("Object"), max_length=200, blank=True)
    changes = models.JSONField(_("Changed fields"), default=dict, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=20, default="success")
    detail = models.CharField(_("Detail"), max_length=500, blank=True)
    # a keyed hash of the row's content, made as it is written; the chain link (seq, previous_hash, hash) is
    # added once the writing transaction has committed (core/audit_chain.py)
    seal = models.CharField(max_length=64, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    # a keyed hash over this row and the previous row's hash: editing or removing a row breaks the chain
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("Audit trail")
        verbose_name_plural = _("Audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_event_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        from .audit_chain import sealed_save

        if not self._state.adding:
            raise AppendOnlyError("AuditRecord is append-only")
        sealed_save(self, lambda: super(AuditRecord, self).save(*args, **kwargs), using=kwargs.get("using"))


class Attachment(models.Model):
    """A photo or document attached to a visit, and later to cases and inspections."""

    owner_type = models.CharField(_("Owner type"), max_length=60)
    owner_id = models.PositiveBigIntegerField(_("Owner id"))
    file = models.FileField(_("File"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("Original file name"), max_length=200)
    mime_type = models.CharField(_("Type"), max_length=80)
    size = models.PositiveIntegerField(_("Size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Uploaded by")
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("Attachment")
        verbose_name_plural = _("Attachment")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class WorkdayOverride(models.Model):
    """A day the official calendar gets wrong or does not know yet (chinesecalendar covers the years whose
    holiday notice the State Council has published); entered by the system administrator."""

    date = models.DateField(_("Date"), unique=True)
    is_workday = models.BooleanField(_("Working day"))
    note = models.CharField(_("Note"), max_length=100, blank=True, help_text=_("e.g. 2027 Spring Festival"))

    class Meta:
        verbose_name = _("Working-day override")
        verbose_name_plural = _("Working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"


class IdempotentRequest(models.Model):
    """A create request sent with an Idempotency-Key and the response it got: the same request sent again (a
    retry after a lost answer) gets that response instead of creating a second object."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the path and the body
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique_key")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
