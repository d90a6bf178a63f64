"""The roles an account plays. They live in core, below everything, because the rules about who sees what
(core.scopes) are written in terms of them; org.models re-exports them beside the User model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ZONE_COORDINATOR = "zone_coordinator", _("Zone coordinator")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    PARK_OFFICER = "park_officer", _("Park officer / chief service officer")
    GRID_MEMBER = "grid_member", _("Grid member")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    AUDITOR = "auditor", _("Audit administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")


# 三员分立: the three administrators, each a role of its own (accounts.roles says what each may do)
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
