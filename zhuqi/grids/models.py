from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# this module's kind of case (网格事件), registered with its table in apps.py
INCIDENT_KIND = "grid_incident"


class Patrol(models.Model):
    """巡查日志: one walk of a grid by its member, from start to end, with what was seen."""

    grid = models.ForeignKey("org.Grid", on_delete=models.PROTECT, related_name="patrols", verbose_name=_("Grid"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("Grid member")
    )
    started_at = models.DateTimeField(_("Started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("Ended at"), null=True, blank=True)
    notes = models.TextField(_("Notes"), blank=True)

    class Meta:
        verbose_name = _("Patrol")
        verbose_name_plural = _("Patrols")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["grid", "-started_at"], name="patrol_grid_idx")]
        constraints = [
            # one patrol under way per member at a time
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(ended_at__isnull=True), name="patrol_one_open_per_member"
            ),
            models.CheckConstraint(
                name="patrol_ends_after_start",
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
            ),
        ]

    def __str__(self):
        return f"{self.grid} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"
