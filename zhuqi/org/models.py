from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Park(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    also_known_as = models.CharField(_("别称"), max_length=60, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Town(models.Model):
    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        SUBDISTRICT = "subdistrict", _("街道")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("镇/街道")
        verbose_name_plural = _("镇/街道")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="communities", verbose_name=_("镇/街道"))
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("村/社区")
        verbose_name_plural = _("村/社区")
        ordering = ["town__name", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="community_unique_name_in_town")]

    def __str__(self):
        return f"{self.town.name}{self.name}"


class Grid(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("村/社区"))
    code = models.CharField(_("网格编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    member = models.ForeignKey(
        "org.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grids",
        verbose_name=_("网格员"),
        help_text=_("定点、定责、定岗：每个网格一名责任网格员"),
    )

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Role(models.TextChoices):
    ZONE_COORDINATOR = "zone_coordinator", _("管委会统筹")
    DEPARTMENT_HANDLER = "department_handler", _("部门经办")
    PARK_OFFICER = "park_officer", _("园区帮办/首席服务官")
    GRID_MEMBER = "grid_member", _("网格员")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联系人")
    AUDITOR = "auditor", _("审计管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


class User(AbstractUser):
    """One account per person. The role decides what the person may see (core.scopes) and do."""

    full_name = models.CharField(_("姓名"), max_length=40)
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("部门")
    )
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("园区")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("所属企业"),
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    REQUIRED_FIELDS = ["email", "full_name", "role"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="user_department_handler_has_department",
                condition=~models.Q(role="department_handler") | models.Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="user_park_officer_has_park",
                condition=~models.Q(role="park_officer") | models.Q(park__isnull=False),
            ),
            models.CheckConstraint(
                name="user_enterprise_contact_has_enterprise",
                condition=~models.Q(role="enterprise_contact") | models.Q(enterprise__isnull=False),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def unit_name(self) -> str:
        unit = self.department or self.park or self.enterprise
        return str(unit) if unit else ""
