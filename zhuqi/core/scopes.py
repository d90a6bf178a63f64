"""Who may see and do what. Every read for a user starts from a queryset here; every permission
check is a predicate here, paired with the queryset it must agree with.

| role                | enterprises seen                       | full phone numbers               |
|---------------------|----------------------------------------|----------------------------------|
| 管委会统筹          | all                                    | yes                              |
| 部门经办            | all (zone-wide supervision), read only | no                               |
| 园区帮办/首席服务官 | their park's                           | their park's                     |
| 网格员              | those in the grids they are responsible for | no                          |
| 企业联系人          | their own                              | their own                        |
| 审计管理员          | none (the audit trail only)            | no                               |
| 系统管理员          | none (configuration through the admin) | no                               |
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet

from . import registry
from .roles import Role


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def enterprises_visible_to(user) -> QuerySet:
    """The enterprises registry's scope (enterprises.scopes, registered as "enterprises.visible")."""
    return registry.scope("enterprises.visible").visible_to(user)


def can_browse_enterprises(user) -> bool:
    """Roles that work with the registry at all (each within its own scope)."""
    return _role(user) in (
        Role.ZONE_COORDINATOR,
        Role.DEPARTMENT_HANDLER,
        Role.PARK_OFFICER,
        Role.GRID_MEMBER,
        Role.ENTERPRISE_CONTACT,
    )


def can_see_enterprise(user, enterprise) -> bool:
    return enterprises_visible_to(user).filter(pk=enterprise.pk).exists()


def enterprises_editable_by(user) -> QuerySet:
    role = _role(user)
    if role in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER):
        return enterprises_visible_to(user)
    return enterprises_visible_to(None)


def can_edit_enterprise(user, enterprise) -> bool:
    return enterprises_editable_by(user).filter(pk=enterprise.pk).exists()


def can_register_enterprises(user) -> bool:
    return _role(user) in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER)


def can_import_enterprises(user) -> bool:
    return can_register_enterprises(user)


def enterprises_visitable_by(user) -> QuerySet:
    """Staff who visit: the zone office, departments and park officers, within what they see."""
    if _role(user) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER):
        return enterprises_visible_to(user)
    return enterprises_visible_to(None)


def can_log_visit(user, enterprise) -> bool:
    return enterprises_visitable_by(user).filter(pk=enterprise.pk).exists()


def can_see_full_phone(user, enterprise) -> bool:
    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return True
    if role == Role.PARK_OFFICER:
        return enterprise.park_id is not None and enterprise.park_id == user.park_id
    if role == Role.ENTERPRISE_CONTACT:
        return enterprise.pk == user.enterprise_id
    return False


def officers_assignable_by(user) -> QuerySet:
    """Who may be made an enterprise's chief service officer, by this user."""
    role = _role(user)
    officers = get_user_model().objects.filter(is_active=True, role=Role.PARK_OFFICER)
    if role == Role.ZONE_COORDINATOR:
        return officers
    if role == Role.PARK_OFFICER:
        return officers.filter(park_id=user.park_id)
    return officers.none()


def officers_overseen_by(user) -> QuerySet:
    """Whose visit coverage this user watches: the zone office all officers, a park its own."""
    return officers_assignable_by(user)


def colleagues_of(user) -> QuerySet:
    """Who may be named as present at a visit this user records: their own unit's staff and the zone office.
    Accounts that cannot log in (the platform's own, which opens cases from alarms) are no one's colleague."""
    cannot_log_in = {"password__startswith": UNUSABLE_PASSWORD_PREFIX}
    staff = (
        get_user_model().objects.filter(is_active=True).exclude(pk=getattr(user, "pk", None)).exclude(**cannot_log_in)
    )
    role = _role(user)
    if role == Role.PARK_OFFICER:
        return staff.filter(Q(park_id=user.park_id) | Q(role=Role.ZONE_COORDINATOR))
    if role == Role.DEPARTMENT_HANDLER:
        return staff.filter(Q(department_id=user.department_id) | Q(role=Role.ZONE_COORDINATOR))
    if role == Role.ZONE_COORDINATOR:
        return staff.filter(role__in=[Role.ZONE_COORDINATOR, Role.PARK_OFFICER, Role.DEPARTMENT_HANDLER])
    return staff.none()


def can_see_coverage(user) -> bool:
    return _role(user) in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER)


def can_delete_records(user) -> bool:
    """Deleting (and restoring) enterprises, cases and inspections: the zone office alone."""
    return _role(user) == Role.ZONE_COORDINATOR


def can_read_audit(user) -> bool:
    return _role(user) == Role.AUDITOR


def visits_visible_to(user) -> QuerySet:
    return registry.scope("visits").visible_to(user)


def cases_visible_to(user) -> QuerySet:
    """The case engine's scope (cases.scopes, registered as "cases.visible")."""
    return registry.scope("cases.visible").visible_to(user)


def can_browse_cases(user) -> bool:
    return _role(user) in (
        Role.ZONE_COORDINATOR,
        Role.DEPARTMENT_HANDLER,
        Role.PARK_OFFICER,
        Role.GRID_MEMBER,
        Role.ENTERPRISE_CONTACT,
    )


def can_see_case_figures(user) -> bool:
    """The figures and the ledger: the zone office for the zone, a park or a department for its own cases."""
    return _role(user) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)


def can_record_symposium(user) -> bool:
    return _role(user) in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER)


def can_raise_case(user) -> bool:
    return _role(user) in (Role.ZONE_COORDINATOR, Role.PARK_OFFICER, Role.GRID_MEMBER, Role.ENTERPRISE_CONTACT)
