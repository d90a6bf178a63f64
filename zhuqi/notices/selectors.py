"""Reads: who sees which notices, receipts and sessions; an audience resolved; the figures per unit and period,
each one a condition that the lists filter by, so every number opens exactly the rows behind it."""

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.roles import Role
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, Park

from .models import (
    Attendance,
    Audience,
    Invitation,
    Notice,
    NoticeKind,
    NoticeStatus,
    Receipt,
    Requirement,
    TrainingSession,
)

STAFF = (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)
CRITERIA = ("parks", "grids", "tags", "scales", "industries", "grades", "enterprises")


def _role(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def can_browse_notices(user) -> bool:
    return _role(user) in (*STAFF, Role.ENTERPRISE_CONTACT)


def can_write_notices(user) -> bool:
    return _role(user) in STAFF


def _own_unit(user, model) -> Q | None:
    """The rows of this user's own unit (the zone office: every row), or None for anyone else."""
    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return Q()
    if role == Role.DEPARTMENT_HANDLER and user.department_id:
        return Q(department_id=user.department_id)
    if role == Role.PARK_OFFICER and user.park_id:
        return Q(park_id=user.park_id)
    return None


def notices_visible_to(user) -> QuerySet:
    """Staff see their own unit's notices (the zone office all); a firm only the sent notices it received."""
    own = _own_unit(user, Notice)
    if own is not None:
        return Notice.objects.filter(own)
    if _role(user) == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        return Notice.objects.exclude(status=NoticeStatus.DRAFT).filter(
            pk__in=Receipt.objects.filter(enterprise_id=user.enterprise_id).values("notice_id")
        )
    return Notice.objects.none()


def receipts_visible_to(user) -> QuerySet:
    """Staff: the receipts of their unit's notices; a park officer also those of its own firms (the missing ones
    are escalated to them as service officers); a firm its own."""
    role = _role(user)
    receipts = Receipt.objects.exclude(notice__status=NoticeStatus.DRAFT)
    if role == Role.ZONE_COORDINATOR:
        return receipts
    if role == Role.DEPARTMENT_HANDLER and user.department_id:
        return receipts.filter(notice__department_id=user.department_id)
    if role == Role.PARK_OFFICER and user.park_id:
        return receipts.filter(Q(notice__park_id=user.park_id) | Q(enterprise__park_id=user.park_id))
    if role == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        return receipts.filter(enterprise_id=user.enterprise_id)
    return Receipt.objects.none()


def sessions_visible_to(user) -> QuerySet:
    """Staff see their own unit's sessions; a firm those it was invited to or attended."""
    own = _own_unit(user, TrainingSession)
    if own is not None:
        return TrainingSession.objects.filter(own)
    if _role(user) == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        firm = user.enterprise_id
        return TrainingSession.objects.filter(
            Q(pk__in=Invitation.objects.filter(enterprise_id=firm).values("session_id"))
            | Q(pk__in=Attendance.objects.filter(enterprise_id=firm).values("session_id"))
        )
    return TrainingSession.objects.none()


def audiences_for(user) -> QuerySet:
    """The audiences a member of staff may send to: their own unit's saved ones (the zone office: all)."""
    own = _own_unit(user, Audience)
    return Audience.objects.filter(own) if own is not None else Audience.objects.none()


def notices_issued(*, user, kind=None, status=None, start=None, end=None) -> QuerySet:
    """Staff: the notices of their unit (drafts included), newest first, each with its receipts counted in SQL."""
    if not can_write_notices(user):
        return Notice.objects.none()
    qs = _period(notices_visible_to(user), "sent_at", start, end)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("department", "park", "audience")
        .annotate(
            receipts_total=Count("receipts"),
            receipts_read=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
            receipts_confirmed=Count("receipts", filter=Q(receipts__confirmed_at__isnull=False)),
            receipts_escalated=Count("receipts", filter=Q(receipts__escalated_at__isnull=False)),
        )
        .order_by(F("sent_at").desc(nulls_first=True), "-created_at", "-id")
    )


def receipts_received(*, user, unread: bool = False) -> QuerySet:
    """A firm's own copies of the notices it received (withdrawn ones too, marked so), newest first."""
    if _role(user) != Role.ENTERPRISE_CONTACT:
        return Receipt.objects.none()
    qs = receipts_visible_to(user).select_related("notice").order_by("-delivered_at", "-id")
    return qs.filter(read_at__isnull=True) if unread else qs


def notice_get_for_user(*, user, pk: int) -> Notice:
    notice = (
        notices_visible_to(user).select_related("department", "park", "correction_of", "audience").filter(pk=pk).first()
    )
    if notice is None:
        raise Http404
    return notice


def session_get_for_user(*, user, pk: int) -> TrainingSession:
    session = sessions_visible_to(user).select_related("department", "park").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def receipt_of(*, user, notice) -> Receipt | None:
    if _role(user) != Role.ENTERPRISE_CONTACT:
        return None
    return Receipt.objects.filter(notice=notice, enterprise_id=user.enterprise_id).first()


def audience_resolve(*, by, criteria: dict) -> QuerySet:
    """The firms a query names, within what the sender sees (a park its own firms; departments the whole zone).
    Within one criterion any value matches; the criteria given must all hold; the hand-made list alone names
    exactly those firms."""
    firms = scopes.enterprises_visible_to(by)
    lookups = {
        "parks": "park_id__in",
        "grids": "grid_id__in",
        "scales": "scale__in",
        "industries": "industry__in",
        "grades": "environmental_grade__in",
        "enterprises": "pk__in",
    }
    for name, lookup in lookups.items():
        if criteria.get(name):
            firms = firms.filter(**{lookup: criteria[name]})
    if criteria.get("tags"):
        firms = firms.filter(pk__in=Enterprise.tags.through.objects.filter(tag_id__in=criteria["tags"])
                             .values("enterprise_id"))  # fmt: skip
    return firms.order_by()


def notice_progress(*, notice) -> dict:
    """Read and confirmed so far, in one query."""
    today = timezone.localdate()
    counts = notice.receipts.aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        on_time=Count("pk", filter=Q(confirmed_at__date__lte=F("notice__due_on"))),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )
    counts["unread"] = counts["total"] - counts["read"]
    counts["missing"] = counts["total"] - counts["confirmed"] if notice.requirement == Requirement.CONFIRM else 0
    counts["overdue"] = (
        counts["total"] - counts["confirmed"]
        if notice.requirement == Requirement.CONFIRM and notice.due_on and notice.due_on < today
        else 0
    )
    return counts


def receipts_for_enterprise(*, user) -> QuerySet:
    """A firm's notices for its 工作台: open warnings and everything else, newest first."""
    now = timezone.now()
    return (
        receipts_visible_to(user)
        .filter(notice__status=NoticeStatus.SENT)
        .exclude(notice__kind=NoticeKind.WARNING, notice__expires_at__lt=now)
        .select_related("notice")
        .order_by("-delivered_at")
    )


# --- figures -------------------------------------------------------------------------------------------------
RECEIPT_FIGURES = {
    "read": Q(read_at__isnull=False),
    "unread": Q(read_at__isnull=True),
    "to_confirm": Q(notice__requirement=Requirement.CONFIRM),
    "confirmed": Q(notice__requirement=Requirement.CONFIRM, confirmed_at__isnull=False),
    "on_time": Q(notice__requirement=Requirement.CONFIRM, confirmed_at__date__lte=F("notice__due_on")),
    "missing": Q(notice__requirement=Requirement.CONFIRM, confirmed_at__isnull=True),
    "escalated": Q(escalated_at__isnull=False),
}


def _period(qs, field: str, start: datetime.date | None, end: datetime.date | None):
    if start:
        qs = qs.filter(**{f"{field}__date__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__date__lte": end})
    return qs


def _unit_filter(qs, unit: str | None, prefix: str = ""):
    """unit: "d<id>" (a department) or "p<id>" (a park)."""
    if unit == "z":  # the zone office itself
        return qs.filter(**{f"{prefix}department_id": None, f"{prefix}park_id": None})
    if unit and unit[0] in "dp" and unit[1:].isdigit():
        return qs.filter(**{f"{prefix}{'department_id' if unit[0] == 'd' else 'park_id'}": int(unit[1:])})
    return qs


def notices_sent(*, user, unit=None, start=None, end=None, kind=None) -> QuerySet:
    qs = notices_visible_to(user).exclude(status=NoticeStatus.DRAFT)
    qs = _unit_filter(_period(qs, "sent_at", start, end), unit)
    return qs.filter(kind=kind) if kind else qs


def receipts_listed(*, user, unit=None, start=None, end=None, figure=None, notice=None) -> QuerySet:
    qs = receipts_visible_to(user)
    if notice is not None:
        qs = qs.filter(notice=notice)
    qs = _unit_filter(_period(qs, "notice__sent_at", start, end), unit, "notice__")
    if figure in RECEIPT_FIGURES:
        qs = qs.filter(RECEIPT_FIGURES[figure])
    return qs.select_related("notice", "enterprise", "enterprise__service_officer", "read_by", "confirmed_by")


def sessions_held(*, user, unit=None, start=None, end=None) -> QuerySet:
    return _unit_filter(_period(sessions_visible_to(user), "starts_at", start, end), unit)


def attendance_listed(*, user, unit=None, start=None, end=None, session=None) -> QuerySet:
    qs = Attendance.objects.filter(session__in=sessions_held(user=user, unit=unit, start=start, end=end))
    if session is not None:
        qs = qs.filter(session=session)
    return qs.select_related("session", "enterprise")


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def outreach_figures(*, user, start=None, end=None, unit=None) -> list[dict]:
    """Per issuing unit and period: notices sent, read rate, confirmation and on-time rate, warnings forwarded,
    sessions held, firms and people trained. Three GROUP BY queries; the units' names in one more."""
    per: dict[str, dict] = {}

    def row(department_id, park_id):
        key = f"d{department_id}" if department_id else f"p{park_id}" if park_id else "z"
        return per.setdefault(key, {"unit": key, "notices": 0, "warnings": 0, "receipts": 0, "read": 0,
                                    "to_confirm": 0, "confirmed": 0, "on_time": 0, "sessions": 0, "firms": 0,
                                    "people": 0})  # fmt: skip

    notices = notices_sent(user=user, unit=unit, start=start, end=end)
    for r in (
        notices.values("department_id", "park_id")
        .annotate(n=Count("pk"), w=Count("pk", filter=Q(kind=NoticeKind.WARNING)))
        .order_by()
    ):
        row(r["department_id"], r["park_id"]).update(notices=r["n"], warnings=r["w"])
    receipts = receipts_listed(user=user, unit=unit, start=start, end=end).select_related(None)
    for r in receipts.values("notice__department_id", "notice__park_id").annotate(
        total=Count("pk"), **{name: Count("pk", filter=RECEIPT_FIGURES[name])
                              for name in ("read", "to_confirm", "confirmed", "on_time")}
    ).order_by():  # fmt: skip
        row(r["notice__department_id"], r["notice__park_id"]).update(
            receipts=r["total"], read=r["read"], to_confirm=r["to_confirm"], confirmed=r["confirmed"],
            on_time=r["on_time"],
        )  # fmt: skip
    for r in (
        sessions_held(user=user, unit=unit, start=start, end=end)
        .values("department_id", "park_id")
        .annotate(
            sessions=Count("pk", distinct=True),
            firms=Count("attendances__enterprise_id", distinct=True),
            people=Count("attendances", distinct=True),
        )
        .order_by()
    ):
        row(r["department_id"], r["park_id"]).update(sessions=r["sessions"], firms=r["firms"], people=r["people"])
    names = {f"d{pk}": name for pk, name in Department.objects.filter(
        pk__in=[int(k[1:]) for k in per if k[0] == "d"]).values_list("pk", "name")}  # fmt: skip
    names |= {f"p{pk}": name for pk, name in Park.objects.filter(
        pk__in=[int(k[1:]) for k in per if k[0] == "p"]).values_list("pk", "name")}  # fmt: skip
    names["z"] = _("Zone office")
    rows = []
    for key, r in per.items():
        r["name"] = names.get(key, key)
        r["read_rate"] = _rate(r["read"], r["receipts"])
        r["confirm_rate"] = _rate(r["confirmed"], r["to_confirm"])
        r["on_time_rate"] = _rate(r["on_time"], r["to_confirm"])
        rows.append(r)
    return sorted(rows, key=lambda r: (-r["notices"] - r["sessions"], r["name"]))


def unit_figures(*, unit: str, start=None, end=None) -> dict:
    """For the assessment's briefs (registered as "notices.unit_figures"): one unit's figures in a period, read
    with the zone office's scope."""
    from django.contrib.auth import get_user_model

    zone_office = get_user_model()(role=Role.ZONE_COORDINATOR, is_active=True)
    rows = outreach_figures(user=zone_office, start=start, end=end, unit=unit)
    return rows[0] if rows else {}


def officer_follow_up(*, user) -> QuerySet:
    """The service officer's list: its firms that let a notice's date pass without confirming."""
    return (
        receipts_visible_to(user)
        .filter(escalated_at__isnull=False, confirmed_at__isnull=True, enterprise__service_officer=user,
                notice__status=NoticeStatus.SENT)
        .select_related("notice", "enterprise")
        .order_by("notice__due_on")
    )  # fmt: skip


def session_overview(*, session) -> dict:
    attended = Attendance.objects.filter(session=session)
    absent = (
        Invitation.objects.filter(session=session)
        .exclude(enterprise_id__in=attended.values("enterprise_id"))
        .select_related("enterprise", "enterprise__service_officer")
    )
    satisfaction = dict(attended.exclude(satisfaction=None).values_list("satisfaction").annotate(n=Count("pk"))
                        .order_by())  # fmt: skip
    return {
        "invited": Invitation.objects.filter(session=session).count(),
        "firms": attended.values("enterprise_id").distinct().count(),
        "people": attended.count(),
        "attendances": attended.select_related("enterprise"),
        "absent": absent,
        "satisfaction": satisfaction,
    }


def attendances_visible_to(user) -> QuerySet:
    """Attendance at the sessions this user sees; a firm only its own people's."""
    attendances = Attendance.objects.filter(session__in=sessions_visible_to(user))
    if _role(user) == Role.ENTERPRISE_CONTACT:
        return attendances.filter(enterprise_id=user.enterprise_id)
    return attendances


def criteria_described(criteria: dict) -> list[tuple[str, str]]:
    """The audience in words: (criterion, the names chosen)."""
    from zhuqi.enterprises.models import EnvironmentalGrade, Industry, Scale, Tag
    from zhuqi.org.models import Grid

    labels = {"parks": _("Parks"), "grids": _("Grids"), "tags": _("Tags"), "scales": _("Scale"),
              "industries": _("Industry"), "grades": _("Environmental grade"), "enterprises": _("Firms chosen")}  # fmt: skip
    named = {
        "parks": lambda ids: Park.objects.filter(pk__in=ids).values_list("name", flat=True),
        "grids": lambda ids: Grid.objects.filter(pk__in=ids).values_list("name", flat=True),
        "tags": lambda ids: Tag.objects.filter(pk__in=ids).values_list("name", flat=True),
        "enterprises": lambda ids: Enterprise.objects.filter(pk__in=ids).values_list("name", flat=True)[:20],
        "scales": lambda v: [str(Scale(x).label) for x in v if x in Scale.values],
        "industries": lambda v: [str(Industry(x).label) for x in v if x in Industry.values],
        "grades": lambda v: [str(EnvironmentalGrade(x).label) for x in v if x in EnvironmentalGrade.values],
    }
    return [(labels[k], "、".join(named[k](v))) for k, v in criteria.items() if k in named and v]
