"""Who sees which enterprises and visits (the role table is in core.scopes); registered in apps.py, read through
core.scopes.enterprises_visible_to and visits_visible_to (the names every caller uses)."""

from django.db.models import QuerySet

from zhuqi.core.roles import Role
from zhuqi.core.scopes import _role

from .models import Enterprise, Visit


def enterprises_seen_by(user) -> QuerySet:
    role = _role(user)
    qs = Enterprise.objects.all()
    if role in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER):
        return qs
    if role == Role.PARK_OFFICER:
        return qs.filter(park_id=user.park_id)
    if role == Role.GRID_MEMBER:
        return qs.filter(grid__member=user)
    if role == Role.ENTERPRISE_CONTACT:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def visits_seen_by(user) -> QuerySet:
    return Visit.objects.filter(enterprise__in=enterprises_seen_by(user))
