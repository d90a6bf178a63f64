"""Writes for campaigns and returns: a campaign with its target firms (each return prefilled), the one service
that moves a return (return_act, reading the table in workflow.py), reminders, and the Excel template."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.errors import DomainError
from zhuqi.core.roles import Role
from zhuqi.core.workdays import add_workdays
from zhuqi.enterprises.models import Enterprise, QualificationKind
from zhuqi.indicators.models import Origin
from zhuqi.indicators.periods import period_previous, period_valid
from zhuqi.indicators.selectors import indicator_values_of
from zhuqi.indicators.services import indicator_values_record
from zhuqi.notifications.services import notify

from .definitions import form_version_use
from .models import Campaign, Field, FormVersion, Prefill, Return, ReturnEvent, ReturnState
from .selectors import parts_of, return_check, stored_value, values_clean, version_fields, window_open
from .workflow import NEXT, TRANSITIONS, Action, Part


class ReturnError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    BLOCKED = "blocked"
    STALE = "stale"
    WINDOW = "window"


# -- campaigns ----------------------------------------------------------------------------------------------------


def targets_resolve(*, parks: Iterable[int] = (), tags: Iterable[int] = (), scale: str = "",
                    enterprise_ids: Iterable[int] = (), high_tech: bool = False) -> list[int]:  # fmt: skip
    """The firms a campaign asks: by park, tag, scale, 高新技术企业 qualification — each given criterion narrows —
    plus any listed by hand."""
    qs = Enterprise.objects.all()
    narrowed = False
    if parks:
        qs, narrowed = qs.filter(park_id__in=list(parks)), True
    if tags:
        qs, narrowed = qs.filter(tags__in=list(tags)), True
    if scale:
        qs, narrowed = qs.filter(scale=scale), True
    if high_tech:
        qs, narrowed = (
            qs.filter(Q(qualifications__kind=QualificationKind.HIGH_TECH) | Q(tags__name="高新技术企业")),
            True,
        )
    chosen = set(qs.values_list("pk", flat=True).distinct()) if narrowed else set()
    chosen |= set(Enterprise.objects.filter(pk__in=list(enterprise_ids)).values_list("pk", flat=True))
    return sorted(chosen)


def _registry_values(enterprises: list[Enterprise]) -> dict[int, dict[str, Any]]:
    """What the enterprise file already says, for fields prefilled from it."""
    high_tech = set(
        Enterprise.objects.filter(pk__in=[e.pk for e in enterprises])
        .filter(Q(qualifications__kind=QualificationKind.HIGH_TECH) | Q(tags__name="高新技术企业"))
        .values_list("pk", flat=True)
    )
    tech_sme = set(
        Enterprise.objects.filter(pk__in=[e.pk for e in enterprises])
        .filter(Q(qualifications__kind=QualificationKind.TECH_SME) | Q(tags__name="科技型中小企业"))
        .values_list("pk", flat=True)
    )
    return {
        e.pk: {"industry_code": e.industry or "", "is_high_tech": e.pk in high_tech, "is_tech_sme": e.pk in tech_sme,
               "staff": e.headcount}
        for e in enterprises
    }  # fmt: skip


def prefill(*, fields: list[Field], enterprises: list[Enterprise], period_kind: str, period: str) -> dict[int, dict]:
    """Each firm's starting values: last period's answers and the enterprise file, in the form's units."""
    last = indicator_values_of(enterprises=[e.pk for e in enterprises], period=period_previous(period_kind, period),
                               codes=[f.indicator.code for f in fields if f.prefill == Prefill.LAST])  # fmt: skip
    registry = _registry_values(enterprises) if any(f.prefill == Prefill.REGISTRY for f in fields) else {}
    filled = {}
    for e in enterprises:
        values = {}
        for f in fields:
            source = last.get(e.pk, {}) if f.prefill == Prefill.LAST else registry.get(e.pk, {}) if f.prefill else {}
            value = stored_value(f, source.get(f.indicator.code))
            if value is not None:
                values[f.indicator.code] = value
        filled[e.pk] = values
    return filled


@transaction.atomic
def campaign_create(*, version: FormVersion, period: str, title: str, opens_on: datetime.date, due_on: datetime.date,
                    closes_on: datetime.date, by, enterprise_ids: Iterable[int], criteria: Mapping | None = None) -> Campaign:  # fmt: skip
    """A campaign: the version is in use from now on, each target firm gets its return, prefilled."""
    if by.role != Role.ZONE_COORDINATOR:
        raise DomainError(ReturnError.NOT_ALLOWED, _("Only the zone office opens a campaign"))
    if not period_valid(version.form.period_kind, period):
        raise DomainError(
            ReturnError.INVALID, _("%(period)s is not a period of this form") % {"period": period}, field="period"
        )
    if not (opens_on <= due_on <= closes_on):
        raise DomainError(
            ReturnError.INVALID, _("The window must open, fall due and close in that order"), field="due_on"
        )
    enterprises = list(Enterprise.objects.filter(pk__in=list(enterprise_ids)))
    if not enterprises:
        raise DomainError(ReturnError.INVALID, _("Choose at least one enterprise"), field="targets")
    form_version_use(version=version)
    campaign = Campaign.objects.create(version=version, period=period, title=title.strip()[:200], opens_on=opens_on,
                                       due_on=due_on, closes_on=closes_on, targets=dict(criteria or {}), created_by=by)  # fmt: skip
    filled = prefill(fields=version_fields(version), enterprises=enterprises, period_kind=version.form.period_kind,
                     period=period)  # fmt: skip
    Return.objects.bulk_create([Return(campaign=campaign, enterprise=e, values=filled[e.pk]) for e in enterprises])
    return campaign


# -- returns ------------------------------------------------------------------------------------------------------


def _tell(ret: Return, part: str | None, *, title: str, body: str) -> None:
    if part is None:
        return
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if part == Part.FIRM:
        people = users.filter(role=Role.ENTERPRISE_CONTACT, enterprise_id=ret.enterprise_id)
    elif part == Part.PARK:
        people = (
            users.filter(role=Role.PARK_OFFICER, park_id=ret.enterprise.park_id)
            if ret.enterprise.park_id
            else users.none()
        )
    else:
        people = users.filter(role=Role.ZONE_COORDINATOR)
    notify(list(people), title=title, body=body, url=f"/reporting/returns/{ret.pk}/")


@transaction.atomic
def return_act(*, ret: Return, action: str, by, comment: str = "", values: Mapping[str, Any] | None = None,
               explanations: Mapping[str, str] | None = None, seen_version: int | None = None,
               today: datetime.date | None = None) -> Return:  # fmt: skip
    """The one service that changes a return: locks it, checks the table, the user's part, the window and the
    comment, saves the values, checks the rules before a submission, records the history and tells the next."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("campaign__version__form", "enterprise__park")
        .get(pk=ret.pk)
    )
    if seen_version is not None and seen_version != ret.version:
        raise DomainError(ReturnError.STALE, _("Someone else has changed this return; reload it and try again"))
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(ReturnError.INVALID, _("Unknown action"))
    if transition.part not in parts_of(by, ret):
        raise DomainError(ReturnError.NOT_ALLOWED, _("You may not do this to this return"))
    if ret.state not in transition.sources:
        raise DomainError(ReturnError.NOT_ALLOWED, _("This return is %(state)s: it cannot be %(action)s now")
                          % {"state": ret.get_state_display(), "action": Action(action).label})  # fmt: skip
    if transition.in_window and not (window_open(ret.campaign, today) or ret.reopened):
        raise DomainError(ReturnError.WINDOW, _("The campaign's window is closed (%(opens)s to %(closes)s)")
                          % {"opens": ret.campaign.opens_on, "closes": ret.campaign.closes_on})  # fmt: skip
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise DomainError(ReturnError.INVALID, _("Say why, for the enterprise to correct it"), field="comment")
    fields = version_fields(ret.campaign.version)
    if transition.part == Part.FIRM and values is not None:
        cleaned, problems = values_clean(fields, values)
        if problems:
            code, message = next(iter(problems.items()))
            raise DomainError(ReturnError.INVALID, message, field=code)
        ret.values = cleaned
    if transition.part == Part.FIRM and explanations is not None:
        ret.explanations = {k: str(v).strip()[:500] for k, v in explanations.items() if str(v).strip()}
    if action == Action.SUBMIT:
        check = return_check(ret)
        if check.blocking:
            raise DomainError(ReturnError.BLOCKED, _submit_refusal(check))
    before = ret.state
    ret.state = transition.target
    ret.version += 1
    if action == Action.SUBMIT:
        ret.submitted_at = timezone.now()
        indicator_values_record(
            enterprise=ret.enterprise, period=ret.campaign.period, by=by, origin=Origin.RETURN,
            origin_ref=f"reporting.return:{ret.pk}", origin_version=ret.campaign.version.label,
            values={f.indicator.code: ret.values.get(f.indicator.code) for f in fields},
            units={f.indicator.code: f.unit for f in fields if f.unit},
        )  # fmt: skip
    if action == Action.REOPEN:
        ret.reopened = True
    ret.save()
    ReturnEvent.objects.create(ret=ret, action=action, from_state=before, to_state=ret.state, comment=comment, by=by)
    if NEXT.get(action):
        _tell(ret, NEXT[action], title=_("%(form)s of %(firm)s: %(action)s") % {
            "form": ret.campaign.title, "firm": ret.enterprise.name, "action": Action(action).label}, body=comment)  # fmt: skip
    return ret


def _submit_refusal(check) -> str:
    parts = []
    if check.missing_required:
        parts.append(
            _("required and empty: %(fields)s") % {"fields": "、".join(f.label for f in check.missing_required[:5])}
        )
    if check.evaluation.errors:
        parts.append(_("%(count)d errors to correct, first: %(message)s")
                     % {"count": len(check.evaluation.errors), "message": check.evaluation.errors[0].message})  # fmt: skip
    if check.unexplained:
        parts.append(_("%(count)d warnings need an explanation") % {"count": len(check.unexplained)})
    return _("Not submitted: %(reasons)s") % {"reasons": "；".join(parts)}


# -- reminders ----------------------------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 3


def campaign_remind(*, campaign: Campaign, by=None, today: datetime.date | None = None) -> int:
    """Remind every firm that has not submitted (the zone's one click, and the daily task): once a day at most."""
    today = today or timezone.localdate()
    with transaction.atomic():
        waiting = list(
            Return.objects.select_for_update(of=("self",))
            .filter(campaign=campaign, state__in=(ReturnState.NOT_STARTED, ReturnState.SAVED))
            .exclude(reminded_on=today)
            .select_related("enterprise__park")
        )
        for ret in waiting:
            _tell(ret, Part.FIRM, title=_("Reminder: %(campaign)s is due on %(due)s") % {
                "campaign": campaign.title, "due": campaign.due_on}, body=_("Please fill and submit your return."))  # fmt: skip
        Return.objects.filter(pk__in=[r.pk for r in waiting]).update(reminded_on=today)
    return len(waiting)


def returns_remind(today: datetime.date | None = None) -> int:
    """The daily task: firms that have not submitted, three days before the due date and on it."""
    today = today or timezone.localdate()
    due = [today + datetime.timedelta(days=REMIND_DAYS_BEFORE), today]
    return sum(campaign_remind(campaign=c, today=today) for c in Campaign.objects.filter(due_on__in=due))


# -- a form request for figures another module lacks -------------------------------------------------------------

REQUEST_DUE_WORKDAYS, REQUEST_CLOSES_WORKDAYS = 10, 20


def data_request_form(*, codes: Iterable[str]) -> dict | None:
    """The form version that asks for the most of these indicators (the latest version among equals), with the
    indicators it asks for; None when no form asks for any (registered as `reporting.data_request_form`)."""
    codes = sorted(set(codes))
    if not codes:
        return None
    best = (
        Field.objects.filter(indicator__code__in=codes)
        .values("section__version")
        .annotate(n=Count("indicator", distinct=True))
        .order_by("-n", "-section__version")
        .first()
    )
    if best is None:
        return None
    version = FormVersion.objects.select_related("form").get(pk=best["section__version"])
    asked = sorted(set(Field.objects.filter(section__version=version, indicator__code__in=codes)
                       .values_list("indicator__code", flat=True)))  # fmt: skip
    return {"version": version, "name": version.form.name, "codes": asked, "period_kind": version.form.period_kind}


def data_request(*, by, enterprise_ids: Iterable[int], codes: Iterable[str], period: str, title: str = "",
                 today: datetime.date | None = None) -> Campaign:  # fmt: skip
    """补充填报: the firms whose figures another module lacks (a policy's 待补充信息) are asked for them with the form
    that collects the most of them, in a campaign open from today, due in 10 working days (registered as
    `reporting.data_request`; only the zone office opens campaigns, as campaign_create says)."""
    found = data_request_form(codes=codes)
    if found is None:
        raise DomainError(ReturnError.INVALID, _("No form asks for these figures"), field="codes")
    today = today or timezone.localdate()
    name = title.strip() or _("%(form)s %(period)s: figures still missing") % {"form": found["name"], "period": period}
    return campaign_create(
        version=found["version"], period=period, title=name, opens_on=today, by=by, enterprise_ids=enterprise_ids,
        due_on=add_workdays(today, REQUEST_DUE_WORKDAYS), closes_on=add_workdays(today, REQUEST_CLOSES_WORKDAYS),
        criteria={"requested": sorted(set(codes)), "enterprises": sorted(set(enterprise_ids))},
    )  # fmt: skip
