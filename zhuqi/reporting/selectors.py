"""Reads for forms, campaigns and returns: who sees which return, a return's values with last year's beside them
and every rule's outcome, and each campaign's progress by park (counted in SQL)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from zhuqi.core.errors import DomainError
from zhuqi.core.roles import Role
from zhuqi.core.scopes import enterprises_visible_to
from zhuqi.indicators.engine import Evaluation
from zhuqi.indicators.models import ValueKind
from zhuqi.indicators.periods import period_previous, period_start
from zhuqi.indicators.selectors import indicator_values, rule_book
from zhuqi.indicators.services import value_clean
from zhuqi.indicators.units import from_base, to_base

from .models import Campaign, Field, FormVersion, Return, ReturnState
from .workflow import FILLED, REVIEWED, TRANSITIONS, Action, Part


def returns_visible_to(user) -> QuerySet:
    """A firm its own returns, a park its firms', a department and the zone all; grid members and the
    administrators none."""
    if not can_browse_returns(user):
        return Return.objects.none()
    return Return.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def return_get_for_user(*, user, pk: int) -> Return:
    ret = returns_visible_to(user).select_related("campaign__version__form", "enterprise__park").filter(pk=pk).first()
    if ret is None:
        raise Http404
    return ret


def campaigns_visible_to(user) -> QuerySet:
    role = getattr(user, "role", None)
    if role in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER):
        return Campaign.objects.all()
    if role in (Role.PARK_OFFICER, Role.ENTERPRISE_CONTACT):
        return Campaign.objects.filter(pk__in=returns_visible_to(user).values("campaign_id"))
    return Campaign.objects.none()


def campaign_get_for_user(*, user, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user).select_related("version__form").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def can_run_campaigns(user) -> bool:
    return getattr(user, "role", None) == Role.ZONE_COORDINATOR


def can_browse_returns(user) -> bool:
    return getattr(user, "role", None) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER,
                                           Role.ENTERPRISE_CONTACT)  # fmt: skip


def parts_of(user, ret: Return) -> set[str]:
    role, parts = getattr(user, "role", None), set()
    if role == Role.ENTERPRISE_CONTACT and user.enterprise_id == ret.enterprise_id:
        parts.add(Part.FIRM)
    if role == Role.PARK_OFFICER and ret.enterprise.park_id is not None and user.park_id == ret.enterprise.park_id:
        parts.add(Part.PARK)
    if role == Role.ZONE_COORDINATOR:
        parts.add(Part.ZONE)
    return parts


def window_open(campaign: Campaign, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


def allowed_actions(user, ret: Return, today: datetime.date | None = None) -> list[str]:
    """The actions this user may take on this return now: the table decides the buttons and the service alike."""
    parts = parts_of(user, ret)
    open_now = window_open(ret.campaign, today) or ret.reopened
    return [
        action
        for action, t in TRANSITIONS.items()
        if ret.state in t.sources and t.part in parts and (not t.in_window or open_now)
    ]


def version_fields(version: FormVersion) -> list[Field]:
    return list(
        Field.objects.filter(section__version=version)
        .select_related("indicator", "section")
        .order_by("section__order", "order")
    )


def to_form_unit(field: Field, value: Any) -> Any:
    """A kept value (amounts in 元) in the field's unit, as the form shows it."""
    if value is None or field.indicator.value_kind != ValueKind.AMOUNT:
        return value
    return from_base(Decimal(value), field.unit).normalize()


def values_kept(fields: list[Field], values: dict) -> dict[str, Any]:
    """A return's values (form units, as stored on it) as the indicators keep them, for the rules."""
    kept = {}
    for f in fields:
        raw = values.get(f.indicator.code)
        if raw is None or raw == "":
            continue
        kind = f.indicator.value_kind
        if kind == ValueKind.AMOUNT:
            kept[f.indicator.code] = to_base(Decimal(raw), f.unit)
        elif kind == ValueKind.INTEGER:
            kept[f.indicator.code] = int(raw)
        elif kind == ValueKind.DECIMAL:
            kept[f.indicator.code] = Decimal(raw)
        else:
            kept[f.indicator.code] = raw
    return kept


def last_values(ret: Return) -> dict[str, Any]:
    """What the platform holds for the firm for the period before (last year's return, corrected if it was)."""
    previous = period_previous(ret.campaign.version.form.period_kind, ret.campaign.period)
    return indicator_values(enterprise=ret.enterprise_id, period=previous)


@dataclass
class ReturnCheck:
    evaluation: Evaluation
    missing_required: list[Field]
    unexplained: list[str] = field(default_factory=list)  # warnings without an explanation (rule codes)

    @property
    def blocking(self) -> bool:
        return bool(self.missing_required or self.evaluation.errors or self.unexplained)

    def by_field(self) -> dict[str, list]:
        """Each failing rule under the first field it reads, for the page to show beside the field."""
        shown: dict[str, list] = {}
        for outcome in self.evaluation.errors + self.evaluation.warnings:
            reads = self.evaluation.book.rules[self.evaluation.book.index[outcome.rule.code]].reads
            current = [code for last, code in reads if not last] or [reads[0][1]]
            shown.setdefault(current[-1] if outcome.rule.code.endswith(".yoy") else current[0], []).append(outcome)
        return shown


def return_check(ret: Return, values: dict | None = None, explanations: dict | None = None,
                 last: dict | None = None) -> ReturnCheck:  # fmt: skip
    """Every rule of the return's form version over its values (or those given), with last year's values."""
    version = ret.campaign.version
    fields = version_fields(version)
    values = ret.values if values is None else values
    explanations = ret.explanations if explanations is None else explanations
    kept = values_kept(fields, values)
    book = rule_book(
        ruleset=version.ruleset,
        on=period_start(version.form.period_kind, ret.campaign.period),
        industry=ret.enterprise.industry or None,
    )  # the firm's industry's ranges
    evaluation = book.evaluate(kept, last_values(ret) if last is None else last)
    missing = [f for f in fields if f.required and f.indicator.code not in kept]
    unexplained = [o.rule.code for o in evaluation.warnings if not str(explanations.get(o.rule.code, "")).strip()]
    return ReturnCheck(evaluation, missing, unexplained)


def campaign_progress(*, campaign: Campaign, user) -> list[dict]:
    """报送率 and 审核率 by park (of the returns this user sees), one GROUP BY."""
    rows = (
        returns_visible_to(user)
        .filter(campaign=campaign)
        .values("enterprise__park_id", "enterprise__park__name")
        .annotate(
            targets=Count("pk"),
            filled=Count("pk", filter=Q(state__in=FILLED)),
            park_reviewed=Count("pk", filter=Q(state__in=(ReturnState.PARK_APPROVED, ReturnState.ZONE_APPROVED))),
            reviewed=Count("pk", filter=Q(state__in=REVIEWED)),
            not_started=Count("pk", filter=Q(state=ReturnState.NOT_STARTED)),
        )
        .order_by("enterprise__park__name")
    )
    result = []
    for row in rows:
        targets = row["targets"] or 1
        result.append({
            "park_id": row["enterprise__park_id"], "park": row["enterprise__park__name"] or "—",
            "targets": row["targets"], "filled": row["filled"], "reviewed": row["reviewed"],
            "park_reviewed": row["park_reviewed"], "not_started": row["not_started"],
            "filled_rate": round(row["filled"] * 100 / targets, 1), "reviewed_rate": round(row["reviewed"] * 100 / targets, 1),
        })  # fmt: skip
    return result


def campaign_returns(*, campaign: Campaign, user, park: int | None = None, state: str | None = None) -> QuerySet:
    qs = returns_visible_to(user).filter(campaign=campaign).select_related("enterprise__park")
    if park:
        qs = qs.filter(enterprise__park_id=park)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("enterprise__park__name", "enterprise__name")


def returns_of_user(*, user) -> QuerySet:
    """A firm's returns (its 工作台 card and list), newest campaign first."""
    return (
        returns_visible_to(user)
        .select_related("campaign__version__form", "enterprise")
        .order_by("-campaign__opens_on", "enterprise__name")
    )


def return_card(user) -> dict | None:
    """工作台: the firm's returns still to file, the reviewer's returns waiting."""
    if getattr(user, "role", None) == Role.ENTERPRISE_CONTACT:
        waiting = returns_of_user(user=user).filter(state__in=(ReturnState.NOT_STARTED, ReturnState.SAVED))
    elif getattr(user, "role", None) == Role.PARK_OFFICER:
        waiting = returns_of_user(user=user).filter(state=ReturnState.SUBMITTED)
    elif getattr(user, "role", None) == Role.ZONE_COORDINATOR:
        waiting = returns_of_user(user=user).filter(state=ReturnState.PARK_APPROVED)
    else:
        return None
    waiting = list(waiting[:5])
    return {"returns": waiting} if waiting else None


ACTIONS_FOR_PAGE = [a for a in Action if a != Action.SAVE]


def return_detail(*, ret: Return, user) -> dict:
    """What a page or the API shows of a return: the check, last year's values in the form's units, the actions."""
    last = last_values(ret)
    fields = version_fields(ret.campaign.version)
    return {
        "check": return_check(ret, last=last),
        "last_year": {f.indicator.code: _shown(to_form_unit(f, last.get(f.indicator.code))) for f in fields
                      if last.get(f.indicator.code) is not None},
        "actions": allowed_actions(user, ret),
        "fields": fields,
    }  # fmt: skip


def _shown(value):
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return f"{value.normalize():f}" if isinstance(value, Decimal) else value


def stored_value(field: Field, value: Any) -> Any:
    """A kept value as a return keeps it: in the field's unit, numbers as text (exact), yes/no as a boolean."""
    if value is None or value == "":
        return None
    kind = field.indicator.value_kind
    if kind == ValueKind.BOOLEAN:
        return bool(value)
    if kind in (ValueKind.AMOUNT, ValueKind.DECIMAL):
        return f"{Decimal(to_form_unit(field, value)).normalize():f}"
    if kind == ValueKind.INTEGER:
        return str(int(value))
    return str(value)


def values_clean(fields: list[Field], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(values as a return keeps them, {code: problem}) for what the page or the file gave, field by field."""
    by_code = {f.indicator.code: f for f in fields}
    cleaned, problems = {}, {}
    for code, value in raw.items():
        f = by_code.get(code)
        if f is None:
            continue
        try:
            number, text = value_clean(f.indicator, value, unit=f.unit or None)
        except DomainError as exc:
            problems[code] = exc.message
            continue
        if number is None and not text:
            continue
        kind = f.indicator.value_kind
        cleaned[code] = (
            bool(number) if kind == ValueKind.BOOLEAN else text if kind == ValueKind.TEXT else stored_value(f, number)
        )
    return cleaned, problems


def return_page(*, ret: Return, user, section: str = "", typed: dict | None = None) -> dict:
    """A return as its page shows it: for the firm filling it, one section with each field's value and the messages
    of the rules that read it; for staff, every field beside last year's value and the change."""
    version = ret.campaign.version
    fields = version_fields(version)
    actions = allowed_actions(user, ret)
    filling = Action.SAVE in actions
    values = {**ret.values, **(typed or {})}
    cleaned, problems = values_clean(fields, values)
    last = last_values(ret)
    check = return_check(ret, values=cleaned, last=last)
    by_field = check.by_field()
    sections = list(version.sections.order_by("order"))
    codes = [s.code for s in sections] + ["submit"]
    current = section if section in codes else codes[0]
    shown = [f for f in fields if f.section.code == current] if filling else fields
    rows = []
    for f in shown:
        code = f.indicator.code
        previous = to_form_unit(f, last.get(code))
        value = values.get(code)
        change = None
        if f.unit and previous and code in cleaned:  # a number with a unit: a year or a yes/no has no change
            change = round((Decimal(cleaned[code]) - Decimal(previous)) * 100 / Decimal(previous), 1)
        rows.append({"field": f, "code": code, "value": value, "last": _shown(previous), "change": change,
                     "outcomes": by_field.get(code, []), "problem": problems.get(code)})  # fmt: skip
    at = codes.index(current)
    return {
        "version": version, "sections": sections, "section": current, "rows": rows, "check": check,
        "problems": problems, "filling": filling, "actions": [a for a in actions if a != Action.SAVE],
        "previous_section": codes[at - 1] if at > 0 else "", "next_section": codes[at + 1] if at + 1 < len(codes) else "",
        "explanations": ret.explanations, "window_open": window_open(ret.campaign), "events": ret.events.select_related("by"),
        "action_labels": dict(Action.choices),
    }  # fmt: skip
