"""Reads of briefs: who sees which (a unit its own, the zone office all), the units a user may draft for."""

from django.db.models import QuerySet
from django.http import Http404

from zhuqi.org.models import Department, Park, Role

from . import drafting
from .models import Brief, BriefKind, BriefVersion

OFFICES = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}


def can_use_briefs(user) -> bool:
    return getattr(user, "role", None) in OFFICES


def briefs_visible_to(user) -> QuerySet:
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return Brief.objects.all()
    if role == Role.DEPARTMENT_HANDLER and user.department_id:
        return Brief.objects.filter(department_id=user.department_id)
    if role == Role.PARK_OFFICER and user.park_id:
        return Brief.objects.filter(park_id=user.park_id)
    return Brief.objects.none()


def brief_list(*, user, kind: str = "") -> QuerySet:
    qs = briefs_visible_to(user).select_related("department", "park", "created_by")
    if kind in BriefKind.values:
        qs = qs.filter(kind=kind)
    return qs


def brief_get_for_user(*, user, pk: int) -> Brief:
    """404 alike for a brief that does not exist and one of another unit."""
    brief = brief_list(user=user).filter(pk=pk).first()
    if brief is None:
        raise Http404
    return brief


def version_get(*, brief: Brief, number: int) -> BriefVersion:
    version = BriefVersion.objects.filter(brief=brief, number=number).first()
    if version is None:
        raise Http404
    return version


def units_for(user) -> list[tuple[str, str]]:
    """(key, name) of the units the user drafts for: the zone office any, an office its own."""
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return (
            [("zone", "管委会办公室")]
            + [(f"department:{d.pk}", d.name) for d in Department.objects.order_by("pk")]
            + [(f"park:{p.pk}", p.name) for p in Park.objects.order_by("pk")]
        )
    if role == Role.DEPARTMENT_HANDLER and user.department_id:
        return [(f"department:{user.department_id}", user.department.name)]
    if role == Role.PARK_OFFICER and user.park_id:
        return [(f"park:{user.park_id}", user.park.name)]
    return []


def unit_of(user, key: str) -> drafting.Unit | None:
    names = dict(units_for(user))
    if key not in names:
        return None
    if key == "zone":
        return drafting.Unit(name=names[key])
    kind, _sep, pk = key.partition(":")
    return drafting.Unit(**{kind: int(pk)}, name=names[key])


def kinds_for(user) -> list[dict]:
    """The kinds of brief, each with whether the platform can draft it now and for whom."""
    zone = getattr(user, "role", None) == Role.ZONE_COORDINATOR
    rows = []
    for value, label in BriefKind.choices:
        if value == BriefKind.BULLETIN and not zone:
            continue
        rows.append({"value": value, "label": label, "available": drafting.available(value)})
    return rows


def subjects_for(user, kind: str) -> list[dict]:
    found = drafting.subjects(kind)
    if getattr(user, "role", None) == Role.DEPARTMENT_HANDLER and kind == BriefKind.CAMPAIGN:
        found = [s for s in found if s["department_id"] == user.department_id]
    return found
