"""Reads of the policies module, each from the user's scope: the catalogue and its search, a firm's matches, a
policy's matches for an officer, the 免申即享 rounds, the figures (aggregated in SQL) and the counted fact
`policy_benefits_in_period` for the shared indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from zhuqi.core.roles import Role
from zhuqi.core.scopes import enterprises_visible_to
from zhuqi.core.workdays import workdays_between
from zhuqi.indicators.periods import PATTERNS, PeriodKind, period_start

from .applications import ApplicationAction, step_label
from .models import (
    APPLICATION_KIND,
    Application,
    ApplicationMaterial,
    Category,
    Grant,
    GrantStatus,
    Match,
    Mode,
    Policy,
    PolicyPayment,
    PolicyVersion,
    Round,
    Verdict,
)

STAFF = (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)
READERS = (*STAFF, Role.ENTERPRISE_CONTACT)


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def can_read_catalogue(user) -> bool:
    return _role(user) in READERS


def can_see_matches(user) -> bool:
    return _role(user) in STAFF


def can_see_own_matches(user) -> bool:
    return _role(user) == Role.ENTERPRISE_CONTACT and user.enterprise_id is not None


def can_see_figures(user) -> bool:
    return _role(user) in STAFF


# -- scopes ---------------------------------------------------------------------------------------------------------


def matches_visible_to(user) -> QuerySet:
    """A firm its own matches, a park its firms', the zone and departments all (as the enterprises)."""
    if _role(user) not in (*STAFF, Role.ENTERPRISE_CONTACT):
        return Match.objects.none()
    return Match.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def grants_visible_to(user) -> QuerySet:
    if _role(user) not in (*STAFF, Role.ENTERPRISE_CONTACT):
        return Grant.objects.none()
    return Grant.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def payments_visible_to(user) -> QuerySet:
    if _role(user) not in (*STAFF, Role.ENTERPRISE_CONTACT):
        return PolicyPayment.objects.none()
    return PolicyPayment.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def rounds_visible_to(user) -> QuerySet:
    return Round.objects.all() if _role(user) in STAFF else Round.objects.none()


# -- the catalogue --------------------------------------------------------------------------------------------------


def policy_search(*, words: str = "", category: str = "", department: int | None = None, tag: str = "",
                  mode: str = "", in_force_on: datetime.date | None = None) -> QuerySet:  # fmt: skip
    qs = Policy.objects.select_related("department")
    on = in_force_on or timezone.localdate()
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    for word in words.split():
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(doc_number__icontains=word)
                       | Q(issuer__icontains=word))  # fmt: skip
    if category:
        qs = qs.filter(category=category)
    if department:
        qs = qs.filter(department_id=department)
    if mode:
        qs = qs.filter(mode=mode)
    if tag:
        qs = [p for p in qs if tag in p.tags]  # a handful of tags on a catalogue of dozens
    return qs


def policies_for_stage(*, fact: str, tag: str, on: datetime.date | None = None) -> list[dict]:
    """Registered as `policies.for_stage`: the policies in force that a stage of a firm's growth would open — those
    naming it among their beneficiaries (`tag`, 高新技术企业) or whose conditions in force read its fact
    (`fact`, is_high_tech) —, each as {id, title, category, mode, benefit, url}. Three queries."""
    on = on or timezone.localdate()
    in_force = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    reading = set(PolicyVersion.objects.filter(in_force, conditions__rules__expression__contains=fact)
                  .values_list("policy_id", flat=True))  # fmt: skip
    found = []
    for policy in Policy.objects.filter(in_force).prefetch_related("versions").order_by("category", "title"):
        if tag not in policy.tags and policy.pk not in reading:
            continue
        version = next((v for v in policy.versions.all() if v.valid_from <= on and (v.valid_to is None or v.valid_to >= on)), None)  # fmt: skip
        found.append({"id": policy.pk, "title": policy.title, "category": str(policy.get_category_display()),
                      "mode": str(policy.get_mode_display()), "benefit": version.benefit_text if version else "",
                      "url": reverse("policy-detail", args=[policy.pk])})  # fmt: skip
    return found


def policy_get(*, pk: int) -> Policy:
    return Policy.objects.select_related("department").get(pk=pk)


def policy_tags() -> list[str]:
    return sorted({t for tags in Policy.objects.values_list("tags", flat=True) for t in tags})


def handbook() -> list[tuple[str, str, list[Policy]]]:
    """助企手册: the catalogue in force, grouped by the 7 categories in the handbook's order."""
    policies = list(policy_search().prefetch_related("versions"))
    return [(value, label, [p for p in policies if p.category == value]) for value, label in Category.choices]


# -- matches --------------------------------------------------------------------------------------------------------


def firm_matches(*, user, enterprise_id: int) -> dict[str, list[Match]]:
    """A firm's page: qualifies (new ones first, those received this period apart), nearly, cannot judge."""
    qs = (matches_visible_to(user).filter(enterprise_id=enterprise_id).exclude(verdict=Verdict.FAILS)
          .select_related("policy", "version").order_by("policy__category", "policy__title"))  # fmt: skip
    groups: dict[str, list[Match]] = {"qualifies": [], "received": [], "nearly": [], "unknown": []}
    for match in qs:
        key = "received" if match.received else match.verdict
        groups[key].append(match)
    return groups


def match_get(*, user, enterprise_id: int, policy_id: int) -> Match:
    return (
        matches_visible_to(user)
        .select_related("policy", "version", "enterprise")
        .get(enterprise_id=enterprise_id, policy_id=policy_id)
    )


def match_for(*, user, enterprise_id: int, policy_id: int) -> Match | None:
    """A firm's match with a policy as stored, or judged now for a firm that does not qualify (no row is kept for
    those); None when the firm is not the user's to see or the policy is not in force."""
    try:
        return match_get(user=user, enterprise_id=enterprise_id, policy_id=policy_id)
    except Match.DoesNotExist:
        pass
    if _role(user) not in (*STAFF, Role.ENTERPRISE_CONTACT):
        return None
    if not enterprises_visible_to(user).filter(pk=enterprise_id).exists():
        return None
    from .matching import pair_judged

    match = pair_judged(enterprise_id=enterprise_id, policy_id=policy_id)
    if match is not None:
        match.enterprise = enterprises_visible_to(user).get(pk=enterprise_id)
    return match


def policy_matches(*, user, policy: Policy) -> dict[str, list[Match]]:
    """An officer's view of a policy: who qualifies, who nearly does, whose data are missing (their own scope)."""
    qs = (matches_visible_to(user).filter(policy=policy).exclude(verdict=Verdict.FAILS)
          .select_related("enterprise", "enterprise__park").order_by("-amount", "enterprise__name"))  # fmt: skip
    groups: dict[str, list[Match]] = {"qualifies": [], "nearly": [], "unknown": []}
    for match in qs:
        groups[match.verdict].append(match)
    return groups


# -- 免申即享 -------------------------------------------------------------------------------------------------------


def rounds_of(*, user, policy: Policy) -> QuerySet:
    return rounds_visible_to(user).filter(policy=policy).annotate(
        firms=Count("grants"),
        listed_sum=Sum("grants__amount", filter=~Q(grants__status__in=[GrantStatus.EXCLUDED, GrantStatus.DEFERRED])),
    )  # fmt: skip


def rounds_recent(*, user, limit: int = 5) -> QuerySet:
    """The latest 免申即享 lists, for the catalogue page of staff."""
    return (
        rounds_visible_to(user).select_related("policy").annotate(firms=Count("grants")).order_by("-drawn_at")[:limit]
    )


def round_get(*, user, pk: int) -> Round:
    return rounds_visible_to(user).select_related("policy", "version", "drawn_by", "approved_by").get(pk=pk)


def round_grants(*, user, round: Round) -> QuerySet:
    return grants_visible_to(user).filter(round=round).select_related("enterprise", "batch").order_by("priority")


def round_summary(rnd: Round) -> dict:
    totals = rnd.grants.aggregate(
        listed=Sum("amount", filter=~Q(status__in=[GrantStatus.EXCLUDED, GrantStatus.DEFERRED, GrantStatus.DECLINED])),
        paid=Sum("amount", filter=Q(status=GrantStatus.PAID)),
        excluded=Count("pk", filter=Q(status=GrantStatus.EXCLUDED)),
        deferred=Count("pk", filter=Q(status=GrantStatus.DEFERRED)),
        declined=Count("pk", filter=Q(status=GrantStatus.DECLINED)),
        accepted=Count("pk", filter=Q(status=GrantStatus.ACCEPTED)),
        waiting=Count("pk", filter=Q(status=GrantStatus.APPROVED)),
    )  # fmt: skip
    totals["budget"] = rnd.policy.budget
    return totals


def grant_get(*, user, pk: int) -> Grant:
    return grants_visible_to(user).select_related("round__policy", "enterprise", "batch").get(pk=pk)


def grants_waiting(*, user) -> QuerySet:
    if _role(user) != Role.ENTERPRISE_CONTACT:
        return Grant.objects.none()
    return grants_visible_to(user).filter(status=GrantStatus.APPROVED).select_related("round__policy")


def ledger_rows(*, user, round: Round) -> list[list[Any]]:
    """拨付台账 in the offices' columns."""
    rows = []
    for i, g in enumerate(round_grants(user=user, round=round).filter(status=GrantStatus.PAID), start=1):
        e = g.enterprise
        rows.append([i, e.name, e.credit_code, g.bank_name, g.bank_account, g.amount, g.batch.paid_on,
                     round.policy.title, round.policy.doc_number, "免申即享"])  # fmt: skip
    return rows


LEDGER_HEADER = ["序号", "企业名称", "统一社会信用代码", "开户银行", "银行账号", "兑现金额（元）", "拨付日期", "政策名称",
                 "政策文号", "兑现方式"]  # fmt: skip


# -- figures --------------------------------------------------------------------------------------------------------


def figures(*, user, year: int) -> list[dict]:
    """Per policy, in the user's scope: 惠及企业数, 兑现金额, 平均兑现时长 (working days from the list drawn or the
    application to the payment), 免申即享 share, declined."""
    paid = (payments_visible_to(user).filter(paid_on__year=year).values("policy")
            .annotate(firms=Count("enterprise", distinct=True), total=Sum("amount"),
                      automatic=Sum("amount", filter=Q(automatic=True)))
            .order_by())  # fmt: skip
    declined = dict(grants_visible_to(user).filter(status=GrantStatus.DECLINED, round__drawn_at__year=year)
                    .values("round__policy").annotate(n=Count("pk")).values_list("round__policy", "n"))  # fmt: skip
    spans: dict[int, list[int]] = {}
    for policy_id, started, paid_on in (
        payments_visible_to(user).filter(paid_on__year=year).values_list("policy_id", "started_on", "paid_on")
    ):
        spans.setdefault(policy_id, []).append(workdays_between(started, paid_on))
    policies = {p.pk: p for p in Policy.objects.filter(pk__in={r["policy"] for r in paid} | set(declined))
                .select_related("department")}  # fmt: skip
    rows = []
    by_policy = {r["policy"]: r for r in paid}
    for policy_id, policy in sorted(policies.items(), key=lambda item: item[1].title):
        r = by_policy.get(policy_id, {"firms": 0, "total": Decimal(0), "automatic": None})
        days = spans.get(policy_id, [])
        total = r["total"] or Decimal(0)
        rows.append({
            "policy": policy, "department": policy.department, "firms": r["firms"], "total": total,
            "average_days": round(sum(days) / len(days), 1) if days else None,
            "automatic_share": round(float((r["automatic"] or 0) / total) * 100, 1) if total else None,
            "declined": declined.get(policy_id, 0),
        })  # fmt: skip
    return rows


def figures_by_department(rows: list[dict]) -> list[dict]:
    found: dict[str, dict] = {}
    for r in rows:
        name = r["department"].name if r["department"] else r["policy"].issuer
        d = found.setdefault(name, {"department": name, "firms": 0, "total": Decimal(0), "declined": 0})
        d["firms"] += r["firms"]
        d["total"] += r["total"]
        d["declined"] += r["declined"]
    return sorted(found.values(), key=lambda d: -d["total"])


def payments_list(*, user, year: int, policy_id: int | None = None, department_id: int | None = None,
                  automatic: bool | None = None) -> QuerySet:  # fmt: skip
    qs = payments_visible_to(user).filter(paid_on__year=year).select_related("policy", "enterprise")
    if policy_id:
        qs = qs.filter(policy_id=policy_id)
    if department_id:
        qs = qs.filter(policy__department_id=department_id)
    if automatic is not None:
        qs = qs.filter(automatic=automatic)
    return qs.annotate(span=ExpressionWrapper(F("paid_on") - F("started_on"), output_field=DurationField()))


def declined_list(*, user, year: int, policy_id: int | None = None) -> QuerySet:
    qs = grants_visible_to(user).filter(status=GrantStatus.DECLINED, round__drawn_at__year=year)
    if policy_id:
        qs = qs.filter(round__policy_id=policy_id)
    return qs.select_related("enterprise", "round__policy")


def policy_figures(*, year: int) -> dict:
    """Registered as `policies.figures` for the assessment: the zone's totals of a year."""
    totals = PolicyPayment.objects.filter(paid_on__year=year).aggregate(
        firms=Count("enterprise", distinct=True), total=Sum("amount"), automatic=Sum("amount", filter=Q(automatic=True))
    )
    total = totals["total"] or Decimal(0)
    return {"firms": totals["firms"], "total": total, "automatic": totals["automatic"] or Decimal(0),
            "policies": Policy.objects.filter(mode__in=[Mode.AUTOMATIC, Mode.FAST, Mode.APPLY]).count()}  # fmt: skip


# -- the counted fact for the shared indicators --------------------------------------------------------------------


def _period_range(period: str) -> tuple[datetime.date, datetime.date] | None:
    for kind in (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.DAY):
        if PATTERNS[kind].match(period):
            start = period_start(kind, period)
            if kind == PeriodKind.YEAR:
                return start, start.replace(year=start.year + 1)
            if kind == PeriodKind.QUARTER:
                month = start.month + 3
                return start, datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
            if kind == PeriodKind.MONTH:
                return start, datetime.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
            return start, start + datetime.timedelta(days=1)
    return None


def counted_facts(*, enterprise_ids: list[int], period: str) -> dict[int, dict[str, Any]]:
    """`policy_benefits_in_period`: the payments each firm received under the zone's policies in the period (one
    GROUP BY); a firm with none counts 0. With it, what the registry says that policies ask about: above scale
    (`registry_above_scale`) and headcount (`registry_headcount`), in one query."""
    from zhuqi.enterprises.models import Enterprise, Scale

    found: dict[int, dict[str, Any]] = {}
    for pk, scale, headcount in Enterprise.objects.filter(pk__in=enterprise_ids).values_list("pk", "scale",
                                                                                               "headcount"):  # fmt: skip
        found[pk] = {"policy_benefits_in_period": 0, "registry_above_scale": scale == Scale.ABOVE}
        if headcount is not None:
            found[pk]["registry_headcount"] = headcount
    span = _period_range(period)
    if span is None:
        return found
    for enterprise_id, n in (PolicyPayment.objects.filter(enterprise_id__in=enterprise_ids, paid_on__gte=span[0],
                                                          paid_on__lt=span[1])
                             .values("enterprise_id").annotate(n=Count("pk")).values_list("enterprise_id", "n")):  # fmt: skip
        found.setdefault(enterprise_id, {})["policy_benefits_in_period"] = n
    return found


# -- 申报 -------------------------------------------------------------------------------------------------------------


def applications_visible_to(user) -> QuerySet:
    """A firm its own applications, a park its firms', the department in charge those it leads, the zone office all:
    the cases' own scope (core.scopes.cases_visible_to), so the two cannot disagree."""
    from zhuqi.core.scopes import cases_visible_to

    if _role(user) not in READERS:
        return Application.objects.none()
    return Application.objects.filter(case__in=cases_visible_to(user).values("pk"))


def applications_list(*, user, policy_id: int | None = None, step: str = "") -> QuerySet:
    qs = applications_visible_to(user).select_related("case", "policy", "enterprise", "payment")
    if policy_id:
        qs = qs.filter(policy_id=policy_id)
    if step:
        qs = qs.filter(case__status=step)
    return qs.order_by("-submitted_on", "-pk")


def application_get(*, user, pk: int) -> Application:
    """404 alike for a missing application and one the user may not see."""
    return (
        applications_visible_to(user)
        .select_related("case", "case__lead_department", "policy", "version", "enterprise", "payment")
        .get(pk=pk)
    )


def application_materials(application: Application) -> list[dict]:
    """The checklist with what was uploaded for each name, the latest first (earlier files stay listed)."""
    rows = list(application.materials.select_related("attachment").order_by("name", "-uploaded_at", "-pk"))
    names = list(application.policy.materials) + sorted({m.name for m in rows} - set(application.policy.materials))
    return [{"name": name, "files": [m for m in rows if m.name == name]} for name in names]


def application_material_get(*, user, application_pk: int, pk: int) -> ApplicationMaterial:
    application = application_get(user=user, pk=application_pk)
    return application.materials.select_related("attachment").get(pk=pk)


def application_events(*, user, application: Application) -> list:
    """The case's history as the user may read it: an enterprise never reads internal notes."""
    events = application.case.events.select_related("actor").order_by("at", "pk")
    from zhuqi.cases.workflow import action_label

    if _role(user) == Role.ENTERPRISE_CONTACT:
        events = events.filter(is_public=True)
    events = list(events.exclude(action=ApplicationAction.SUBMIT))  # taken on arrival: the raising says it
    for event in events:
        event.label = ApplicationAction.SUBMIT.label if event.action == "raise" else action_label(event.action)
    return events


def application_actions(*, user, application: Application) -> list:
    """The steps this user may take now, as the case engine's table offers them (the 督办 and notes stay on the
    case's page)."""
    from zhuqi.cases.services import actions_available
    from zhuqi.cases.workflow import Action

    kept = {Action.WITHDRAW}
    return [a for a in actions_available(user=user, case=application.case)
            if str(a) in ApplicationAction.values or a in kept]  # fmt: skip


def case_detail_panel(*, user, case) -> dict | None:
    """The application's facts on the case page (registered as the selector "case_detail.policy_application")."""
    if case.kind != APPLICATION_KIND:
        return None
    application = applications_visible_to(user).filter(case_id=case.pk).select_related("policy", "payment").first()
    if application is None:
        return None
    return {"template": "policies/case_detail_application.html", "application": application,
            "step": step_label(application)}  # fmt: skip


# -- missing data → a form request --------------------------------------------------------------------------------


def can_request_data(user) -> bool:
    """The zone office opens reporting campaigns (reporting's campaign_create says so)."""
    return _role(user) == Role.ZONE_COORDINATOR


def missing_data(*, user, policy: Policy) -> dict:
    """The firms (in the user's scope) the platform cannot judge for this policy, the indicators they lack (the
    stored matches name them) and the period of the data asked for, with the form that would ask for them."""
    from collections import Counter

    from zhuqi.core import registry
    from zhuqi.indicators.selectors import indicator_infos

    rows = list(matches_visible_to(user).filter(policy=policy, verdict=Verdict.UNKNOWN)
                .values_list("enterprise_id", "missing", "period"))  # fmt: skip
    codes_of = {info.name: code for code, info in indicator_infos().items()}
    codes = sorted({codes_of[name] for _e, missing, _p in rows for name in missing if name in codes_of})
    periods = Counter(period for _e, _m, period in rows)
    form = registry.selector("reporting.data_request_form")(codes=codes) if codes else None
    return {"enterprise_ids": [e for e, _m, _p in rows], "codes": codes, "form": form,
            "period": periods.most_common(1)[0][0] if periods else ""}  # fmt: skip


def condition_get(*, policy: Policy, code: str):
    """A condition in effect of the policy's current version."""
    from zhuqi.indicators.models import Rule, RuleStatus

    version = policy.versions.order_by("-number").first()
    if version is None:
        return None
    return Rule.objects.filter(ruleset_id=version.conditions_id, code=code, status=RuleStatus.ACTIVE).first()


def policy_versions(*, policy: Policy) -> list:
    """A policy's versions, newest first, each with its conditions in effect (`conditions.in_effect`)."""
    from django.db.models import Prefetch

    from zhuqi.indicators.models import Rule, RuleStatus

    in_effect = Prefetch(
        "conditions__rules", queryset=Rule.objects.filter(status=RuleStatus.ACTIVE), to_attr="in_effect"
    )
    return list(policy.versions.select_related("conditions", "exclusions").prefetch_related(in_effect))
