from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.core.fields import BlindIndexField, EncryptedCharField
from zhuqi.core.roles import ADMIN_ROLES, Role  # noqa: F401  (the roles are org's vocabulary; core reads them)


class Department(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)
    short_name = models.CharField(_("Short name"), max_length=20, blank=True)
    sort_order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Department")
        verbose_name_plural = _("Department")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Park(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)
    also_known_as = models.CharField(_("Also known as"), max_length=60, blank=True)
    sort_order = models.PositiveIntegerField(_("Order"), default=0)

    class Meta:
        verbose_name = _("Park")
        verbose_name_plural = _("Park")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Town(models.Model):
    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        SUBDISTRICT = "subdistrict", _("Sub-district")

    name = models.CharField(_("Name"), max_length=60, unique=True)
    kind = models.CharField(_("Type"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("Town / sub-district")
        verbose_name_plural = _("Town / sub-district")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="communities", verbose_name=_("Town / sub-district")
    )
    name = models.CharField(_("Name"), max_length=60)
    kind = models.CharField(_("Type"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("Village / community")
        verbose_name_plural = _("Village / community")
        ordering = ["town__name", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="community_unique_name_in_town")]

    def __str__(self):
        return f"{self.town.name}{self.name}"


def _ring_problem(ring) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return _("Each ring needs at least four positions")
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, int | float) for v in point[:2])
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            return _("Positions are [longitude, latitude] in degrees")
    if ring[0][:2] != ring[-1][:2]:
        return _("Each ring must end where it starts")
    return None


def validate_outline(value) -> None:
    """A GeoJSON Polygon or MultiPolygon (a Feature holding one is accepted too)."""
    if value in (None, ""):
        return
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    kind = value.get("type") if isinstance(value, dict) else None
    coordinates = value.get("coordinates") if isinstance(value, dict) else None
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The outline must be a GeoJSON Polygon or MultiPolygon"))
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("The outline must be a GeoJSON Polygon or MultiPolygon"))
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                raise ValidationError(problem)


class Grid(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("Village / community")
    )
    code = models.CharField(_("Grid code"), max_length=30, unique=True)
    name = models.CharField(_("Name"), max_length=60)
    member = models.ForeignKey(
        "org.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grids",
        verbose_name=_("Grid member"),
        help_text=_("Fixed place, duty and post: one responsible grid member per grid"),
    )
    outline = models.JSONField(
        _("Outline (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_outline],
        help_text=_("A GeoJSON Polygon in longitude/latitude, drawn on the grid map"),
    )

    class Meta:
        verbose_name = _("Grid")
        verbose_name_plural = _("Grid")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class User(AbstractUser):
    """One account per person. The role decides what the person may see (core.scopes) and do."""

    full_name = models.CharField(_("Full name"), max_length=40)
    role = models.CharField(_("Role"), max_length=24, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("Department")
    )
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("Park")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("Enterprise"),
    )
    phone = EncryptedCharField(_("Mobile"), max_length=20, blank=True)  # SM4 at rest (core.crypto)
    phone_hash = BlindIndexField(source="phone")
    password_changed_at = models.DateTimeField(_("Password changed at"), default=timezone.now)

    REQUIRED_FIELDS = ["email", "full_name", "role"]

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("User")
        constraints = [
            models.CheckConstraint(
                name="user_department_handler_has_department",
                condition=~models.Q(role="department_handler") | models.Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="user_park_officer_has_park",
                condition=~models.Q(role="park_officer") | models.Q(park__isnull=False),
            ),
            # a superuser would hold all three administrators' powers at once
            models.CheckConstraint(name="user_no_superuser", condition=models.Q(is_superuser=False)),
            models.CheckConstraint(
                name="user_enterprise_contact_has_enterprise",
                condition=~models.Q(role="enterprise_contact") | models.Q(enterprise__isnull=False),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()  # staff passwords expire counted from here (accounts.services)

    @property
    def unit_name(self) -> str:
        unit = self.department or self.park or self.enterprise
        return str(unit) if unit else ""
