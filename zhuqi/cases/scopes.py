"""Who sees which cases (the role table is in core.scopes); registered in apps.py, read through
core.scopes.cases_visible_to."""

from django.db.models import Q, QuerySet

from zhuqi.core.roles import Role
from zhuqi.core.scopes import _role

from .models import Case


def cases_seen_by(user) -> QuerySet:
    """A department sees the cases it leads or assists (and a handler what they reported); a park its enterprises' cases; an enterprise its own;
    a grid member what they reported."""
    role = _role(user)
    qs = Case.objects.all()
    if role == Role.ZONE_COORDINATOR:
        return qs
    if role == Role.DEPARTMENT_HANDLER:
        assisted = Case.assisting_departments.through.objects.filter(department_id=user.department_id)
        return qs.filter(
            Q(lead_department_id=user.department_id) | Q(pk__in=assisted.values("case_id")) | Q(reporter=user)
        )
    if role == Role.PARK_OFFICER:
        return qs.filter(park_id=user.park_id)
    if role == Role.ENTERPRISE_CONTACT:
        return qs.filter(enterprise_id=user.enterprise_id)
    if role == Role.GRID_MEMBER:
        return qs.filter(reporter=user)
    return qs.none()
