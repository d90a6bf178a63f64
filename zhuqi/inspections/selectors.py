"""Reads for inspections: who sees which records, campaign progress, and the report the bureau sends up
(累计出动 N 人次、检查指导企业 N 家次、排查隐患 N 条、已整改 N 条) — each number a query its list repeats."""

import dataclasses
import datetime
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from zhuqi.cases.models import Source
from zhuqi.cases.selectors import CaseFilters, case_list
from zhuqi.core import scopes
from zhuqi.org.models import Role

from .models import HAZARD_KIND, Campaign, CampaignTarget, Checklist, Hazard, HazardGrade, Inspection, Tier


def inspectors_of(user) -> QuerySet:
    """Whom an inspector may name as having gone with them, or put in a campaign team: the staff of their own unit.
    The zone office does not inspect beside a department or a park, and the platform's own account is no one."""
    people = scopes.colleagues_of(user)
    if user.role != Role.ZONE_COORDINATOR:
        people = people.exclude(role=Role.ZONE_COORDINATOR)
    return people


def may_inspect(user, enterprise) -> bool:
    """Department inspectors and the zone office inspect any enterprise; a park's safety officer its own."""
    if user.role in (Role.DEPARTMENT_HANDLER, Role.ZONE_COORDINATOR):
        return True
    return user.role == Role.PARK_OFFICER and enterprise.park_id == user.park_id


def can_inspect(user) -> bool:
    return getattr(user, "role", None) in (Role.DEPARTMENT_HANDLER, Role.ZONE_COORDINATOR, Role.PARK_OFFICER)


def can_plan_campaigns(user) -> bool:
    return getattr(user, "role", None) in (Role.DEPARTMENT_HANDLER, Role.ZONE_COORDINATOR)


def can_browse_inspections(user) -> bool:
    return getattr(user, "role", None) in (
        Role.DEPARTMENT_HANDLER,
        Role.ZONE_COORDINATOR,
        Role.PARK_OFFICER,
        Role.ENTERPRISE_CONTACT,
    )


def inspections_visible_to(user) -> QuerySet:
    """A department sees its own inspections and those its people took part in; a park those of its
    enterprises; an enterprise its own submitted records."""
    qs = Inspection.objects.all()
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return qs
    if role == Role.DEPARTMENT_HANDLER:
        went = Inspection.inspectors.through.objects.filter(user_id=user.pk).values("inspection_id")
        return qs.filter(Q(department_id=user.department_id) | Q(pk__in=went))
    if role == Role.PARK_OFFICER:
        return qs.filter(Q(park_id=user.park_id) | Q(lead_inspector=user))
    if role == Role.ENTERPRISE_CONTACT:
        return qs.filter(enterprise_id=user.enterprise_id, status=Inspection.Status.SUBMITTED)
    return qs.none()


def inspection_get_for_user(*, user, pk: int) -> Inspection:
    inspection = (
        inspections_visible_to(user)
        .select_related("enterprise", "checklist_version__checklist", "campaign", "lead_inspector", "department")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def campaigns_visible_to(user) -> QuerySet:
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return Campaign.objects.all()
    if role == Role.DEPARTMENT_HANDLER:
        return Campaign.objects.filter(Q(department_id=user.department_id) | Q(teams__members=user)).distinct()
    if role == Role.PARK_OFFICER:
        return Campaign.objects.filter(teams__members=user).distinct()
    return Campaign.objects.none()


def checklists_usable() -> QuerySet:
    return Checklist.objects.filter(is_active=True, versions__isnull=False).distinct().select_related("department")


def _covered():
    return Exists(
        Inspection.objects.filter(
            campaign_id=OuterRef("campaign_id"),
            enterprise_id=OuterRef("enterprise_id"),
            status=Inspection.Status.SUBMITTED,
        )
    )


def campaign_list(*, user) -> QuerySet:
    """Each campaign with its progress: targets covered by a submitted inspection / targets."""
    covered = CampaignTarget.objects.filter(campaign_id=OuterRef("pk")).annotate(done=_covered()).filter(done=True)
    return (
        campaigns_visible_to(user)
        .select_related("department", "checklist")
        .annotate(
            targeted=Count("targets", distinct=True),
            covered=Coalesce(Subquery(covered.values("campaign_id").annotate(n=Count("id")).values("n")[:1]), 0),
        )
    )


def campaign_targets(*, campaign: Campaign) -> QuerySet:
    return (
        campaign.targets.select_related("enterprise__park", "team")
        .annotate(done=_covered())
        .order_by("team_id", "enterprise__name")
    )


def campaign_team_progress(*, campaign: Campaign) -> list[dict]:
    rows = (
        CampaignTarget.objects.filter(campaign=campaign)
        .annotate(done=_covered())
        .values("team_id", "team__name")
        .annotate(targeted=Count("id"), covered=Count("id", filter=Q(done=True)))
        .order_by("team_id")
    )
    return [r | {"rate": round(100 * r["covered"] / r["targeted"], 1) if r["targeted"] else None} for r in rows]


@dataclass
class InspectionFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    department: int | None = None
    park: int | None = None
    campaign: int | None = None
    enterprise: int | None = None

    def as_query(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}

    def case_filters(self) -> CaseFilters:
        """The same unit and period for the hazards found: the cases the report's hazard numbers drill into."""
        return CaseFilters(
            kind=HAZARD_KIND,
            source=Source.INSPECTION,
            department=self.department,
            park=self.park,
            enterprise=self.enterprise,
            campaign=self.campaign,
            date_from=self.date_from,
            date_to=self.date_to,
        )


def _inspections(user, f: InspectionFilters, *, drafts: bool = False) -> QuerySet:
    qs = inspections_visible_to(user)
    qs = qs.filter(status=Inspection.Status.DRAFT, lead_inspector=user) if drafts else qs.filter(status="submitted")
    if f.date_from:
        qs = qs.filter(inspected_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(inspected_on__lte=f.date_to)
    for name in ("department", "park", "campaign", "enterprise"):
        if getattr(f, name):
            qs = qs.filter(**{f"{name}_id": getattr(f, name)})
    return qs


def inspection_list(*, user, filters: InspectionFilters | None = None, drafts: bool = False) -> QuerySet:
    return (
        _inspections(user, filters or InspectionFilters(), drafts=drafts)
        .select_related("enterprise", "checklist_version__checklist", "lead_inspector", "campaign")
        .annotate(hazards_found=Count("hazards", distinct=True))
        .order_by("-inspected_on", "-id")
    )


def inspection_report(*, user, filters: InspectionFilters | None = None, today: datetime.date | None = None) -> dict:
    """累计出动 N 人次 (each inspector counted once per day out), 检查指导企业 N 家次 (submitted records),
    涉及企业 N 家, and the hazards found in the same unit and period as the figures page counts them."""
    f = filters or InspectionFilters()
    inspections = _inspections(user, f)
    outings = (
        Inspection.inspectors.through.objects.filter(inspection__in=inspections.values("pk"))
        .values("user_id", "inspection__inspected_on")
        .distinct()
        .count()
    )
    counts = inspections.aggregate(visits=Count("id"), enterprises=Count("enterprise_id", distinct=True))
    hazards = hazard_figures(user=user, filters=f.case_filters(), today=today)
    return {"outings": outings, **counts, **hazards, "rectification_rate": hazards["rate"]}


def hazards_for_ledger(*, user, filters: CaseFilters) -> QuerySet:
    return case_list(user=user, filters=filters).select_related(
        "hazard__rechecked_by", "hazard__inspection", "enterprise__park", "reporter"
    )


def safety_of(*, user, enterprise) -> dict | None:
    """风险点, 包保责任人, hazards not yet rectified and the last inspection, for the enterprise file."""
    if not scopes.can_see_enterprise(user, enterprise):
        raise Http404
    order = {tier: n for n, tier in enumerate(Tier.values)}
    safety = {
        "risk_points": list(enterprise.risk_points.all()),
        "officials": sorted(enterprise.responsible_officials.all(), key=lambda o: (order[o.tier], o.pk)),
        "open_hazards": scopes.cases_visible_to(user)
        .filter(enterprise=enterprise, kind=HAZARD_KIND, is_counted=True, is_finished=False)
        .count(),
        "last_inspection": inspections_visible_to(user).filter(enterprise=enterprise, status="submitted").first(),
    }
    return safety if any(safety.values()) else None


def enterprise_safety_panel(*, user, enterprise) -> dict:
    """The safety panel of the enterprise file (registered in apps.py as the selector "enterprise.safety")."""
    return {
        "safety": safety_of(user=user, enterprise=enterprise),
        "can_inspect": can_inspect(user) and may_inspect(user, enterprise),
    }


def team_candidates(user) -> QuerySet:
    """Whom a campaign's planner may put in its teams: their colleagues and themselves."""
    return (inspectors_of(user) | get_user_model().objects.filter(pk=user.pk)).order_by("full_name")


def hazard_figures(*, user, filters: CaseFilters | None = None, today: datetime.date | None = None) -> dict:
    """隐患整改: hazards found, rectified (closed after re-inspection), the rectification rate, and those past
    their deadline and still not rectified — for the same period and unit as the other figures."""
    today = today or timezone.localdate()
    f = dataclasses.replace(filters or CaseFilters(), kind=HAZARD_KIND)
    row = (
        case_list(user=user, filters=f, today=today)
        .order_by()
        .aggregate(
            found=Count("created_at", filter=Q(is_counted=True)),
            rectified=Count("created_at", filter=Q(is_finished=True)),
            overdue=Count("created_at", filter=Q(is_running=True, deadline__lt=today)),
            major=Count("created_at", filter=Q(is_counted=True, hazard__grade=HazardGrade.MAJOR)),
        )
    )
    rate = round(100 * row["rectified"] / row["found"], 1) if row["found"] else None
    return row | {"rate": rate}


def case_figures_panel(*, user, filters: CaseFilters) -> dict | None:
    """The hazards' card on the case figures page (registered in apps.py as the selector "case_figures.hazards"):
    each number a link to the cases it counts."""
    if filters.kind not in ("", HAZARD_KIND):
        return None
    hazards = hazard_figures(user=user, filters=filters)
    if not hazards["found"]:
        return None
    query = filters.as_query() | {"kind": HAZARD_KIND}
    links = {"found": {"figure": "received"}, "rectified": {"figure": "finished"}, "overdue": {"flag": "red"}}
    return {
        "template": "inspections/case_figures_hazards.html",
        "hazards": hazards,
        "links": {name: urlencode(query | extra) for name, extra in links.items()},
    }


def case_detail_panel(*, user, case) -> dict | None:
    """The hazard's facts on the case page (registered in apps.py as the selector "case_detail.hazard")."""
    if case.kind != HAZARD_KIND:
        return None
    hazard = (
        Hazard.objects.select_related("inspection__checklist_version", "item", "rechecked_by")
        .filter(case_id=case.pk)
        .first()
    )
    return {"template": "inspections/case_detail_hazard.html", "hazard": hazard} if hazard else None


def counted_facts(*, enterprise_ids: list[int], period: str, today: datetime.date | None = None) -> dict[int, dict]:
    """The hazards' facts of firms (`indicators.counted.inspections`), in one GROUP BY: ``open_major_hazards``
    (重大隐患 not yet rectified, now), ``overdue_hazards`` (hazards not yet rectified past their time limit — the
    case's deadline when the hazard has none — now) and ``major_hazards_in_period`` (重大隐患 recorded in the period).
    Every firm asked gets a count, 0 when it has none."""
    from zhuqi.core.period_keys import period_times

    start, end = period_times(period)
    today = today or timezone.localdate()
    open_ = Q(case__is_counted=True, case__is_finished=False)
    major = Q(grade=HazardGrade.MAJOR)
    rows = (
        Hazard.objects.filter(case__enterprise_id__in=enterprise_ids, case__deleted_at__isnull=True)
        .annotate(limit=Coalesce("time_limit", "case__deadline"))
        .values("case__enterprise_id")
        .annotate(
            open_major=Count("pk", filter=open_ & major),
            overdue=Count("pk", filter=open_ & Q(limit__lt=today)),
            major_in_period=Count(
                "pk", filter=major & Q(case__is_counted=True, case__created_at__gte=start, case__created_at__lt=end)
            ),
        )
        .values_list("case__enterprise_id", "open_major", "overdue", "major_in_period")
    )
    facts = {pk: {"open_major_hazards": 0, "overdue_hazards": 0, "major_hazards_in_period": 0} for pk in enterprise_ids}
    for pk, open_major, overdue, major_in_period in rows:
        facts[pk] = {"open_major_hazards": open_major, "overdue_hazards": overdue,
                     "major_hazards_in_period": major_in_period}  # fmt: skip
    return facts


# -- for the briefs (registered as "brief.figures.inspections" and "brief.subjects.inspections") --------------------


def _zone_office():
    return get_user_model()(role=Role.ZONE_COORDINATOR, is_active=True)


def brief_figures(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    department: int | None = None,
    park: int | None = None,
    campaign: int | None = None,
) -> dict:
    """A unit's (or a campaign's) inspections in a period as the bureau reports them: the report's figures
    (出动人次, 检查家次, 涉及企业, 隐患), the campaigns under way with their teams and people, and the list's address
    with the same filters — read with the zone office's scope, the brief's page having checked the unit."""
    from django.urls import reverse

    f = InspectionFilters(date_from=start, date_to=end, department=department, park=park, campaign=campaign)
    report = inspection_report(user=_zone_office(), filters=f, today=end)
    campaigns = Campaign.objects.all()
    if campaign:
        campaigns = campaigns.filter(pk=campaign)
    else:
        campaigns = campaigns.filter(department_id=department) if department else campaigns.none()
        if start:
            campaigns = campaigns.filter(ends_on__gte=start)
        if end:
            campaigns = campaigns.filter(starts_on__lte=end)
    rows = campaigns.annotate(
        team_count=Count("teams", distinct=True), people=Count("teams__members", distinct=True)
    ).select_related("department")
    query = urlencode(f.as_query())
    return {
        **report,
        "url": f"{reverse('inspection-list')}?{query}",
        "hazards_url": f"{reverse('case-list')}?{urlencode(f.case_filters().as_query())}",
        "campaigns": [
            {
                "id": c.pk,
                "name": c.name,
                "department": c.department.name,
                "department_id": c.department_id,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "teams": c.team_count,
                "people": c.people,
                "per_team": _per_team(c),
            }  # fmt: skip
            for c in rows
        ],
    }


def _per_team(campaign: Campaign) -> list[tuple[str, int]]:
    """检查家次 per team: the campaign's records whose inspectors include the team's members."""
    submitted = Inspection.objects.filter(campaign=campaign, status=Inspection.Status.SUBMITTED)
    return [
        (team.name, submitted.filter(inspectors__campaign_teams=team).distinct().count())
        for team in campaign.teams.order_by("pk")
    ]


def brief_subjects() -> list[dict]:
    """The campaigns a campaign summary may be written about."""
    return [
        {"id": c["pk"], "label": f"{c['name']}（{c['department__name']}）", "department_id": c["department_id"]}
        for c in Campaign.objects.order_by("-starts_on", "-pk").values(
            "pk", "name", "department_id", "department__name"
        )
    ]
