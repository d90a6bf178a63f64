"""Writes of the policies module: the catalogue (a policy with its first version, a revision), the 免申即享 round
(drawn, checked against the budget in the order of priority, confirmed by the department, answered by each firm,
paid in a batch). Each in one transaction, audited; the re-matching runs as a task after commit."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from enum import Enum

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.background import run_in_background
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.roles import Role
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.indicators.models import Rule, RuleStatus
from zhuqi.indicators.services import rule_activate, rule_save, ruleset_ensure, ruleset_freeze
from zhuqi.notifications.services import notify

from . import matching
from .models import (
    TIMELINE_KIND,
    Grant,
    GrantStatus,
    Match,
    PaymentBatch,
    Policy,
    PolicyPayment,
    PolicyVersion,
    Priority,
    Round,
    Verdict,
)


class PolicyError(Enum):
    FORBIDDEN = "forbidden"
    NOT_AUTOMATIC = "not_automatic"
    STATE = "wrong_state"
    ACCOUNT = "invalid_account"
    REASON = "reason_required"
    DATE = "invalid_date"
    EMPTY = "nothing_to_pay"


def _rules_write(*, code: str, name: str, rules: list[dict], by, valid_from, valid_to=None):
    """A rule set of the shared engine with each rule brought into effect (its samples must pass)."""
    ruleset = ruleset_ensure(code=code, name=name)
    for order, spec in enumerate(rules):
        rule = rule_save(
            ruleset=ruleset, code=spec["code"], name=spec["name"], expression=spec["expression"],
            message=spec["message"], values=spec.get("values"), by=by, source_document=spec.get("clause", ""),
            samples=spec["samples"], valid_from=valid_from, valid_to=valid_to, order=order,
        )  # fmt: skip
        rule_activate(rule=rule, by=by)
    return ruleset


def can_manage_catalogue(user) -> bool:
    return getattr(user, "role", None) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER)


@transaction.atomic
def policy_create(*, by, conditions: list[dict], exclusions: list[dict] | None = None, benefit: str = "",
                  benefit_kind: str = "fixed", benefit_text: str = "", source_document: str = "",
                  rematch: bool = True, **fields) -> Policy:  # fmt: skip
    """A policy and its first version. `conditions` and `exclusions`: [{"code", "name", "expression", "message",
    "clause", "samples"}] — rules of the shared engine, each with the clause it comes from."""
    policy = Policy(**fields)
    policy.full_clean()
    policy.save()
    _version_add(policy=policy, by=by, number=1, valid_from=policy.valid_from, conditions=conditions,
                 exclusions=exclusions, benefit=benefit, benefit_kind=benefit_kind, benefit_text=benefit_text,
                 source_document=source_document or policy.doc_number)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=policy)
    if rematch:
        run_in_background(matching.policy_rematch, policy.pk)
    return policy


def _version_add(*, policy, by, number, valid_from, conditions, exclusions, benefit, benefit_kind, benefit_text,
                 source_document) -> PolicyVersion:  # fmt: skip
    conditions_set = _rules_write(code=f"policy.{policy.pk}.v{number}", name=f"{policy.title}（第{number}版）条件",
                                  rules=conditions, by=by, valid_from=valid_from)  # fmt: skip
    exclusions_set = _rules_write(code=f"policy.{policy.pk}.v{number}.exclusions",
                                  name=f"{policy.title}（第{number}版）排除情形", rules=exclusions, by=by,
                                  valid_from=valid_from) if exclusions else None  # fmt: skip
    if benefit:
        try:
            matching.benefit_of(benefit, _infos_for(benefit))
        except (ValueError, KeyError) as exc:
            raise DomainError(PolicyError.STATE, _("The benefit cannot be computed: %(error)s") % {"error": exc},
                              field="benefit") from None  # fmt: skip
    return PolicyVersion.objects.create(
        policy=policy, number=number, valid_from=valid_from, conditions=conditions_set, exclusions=exclusions_set,
        benefit=benefit, benefit_kind=benefit_kind, benefit_text=benefit_text, source_document=source_document,
    )  # fmt: skip


def _infos_for(expression: str):
    from zhuqi.indicators.engine import names_in
    from zhuqi.indicators.selectors import indicator_infos

    return indicator_infos({code for (_l, code), _s, _e in names_in(expression)})


@transaction.atomic
def policy_revise(*, policy: Policy, by, valid_from: datetime.date, conditions: list[dict],
                  exclusions: list[dict] | None = None, benefit: str = "", benefit_kind: str = "fixed",
                  benefit_text: str = "", source_document: str = "") -> PolicyVersion:  # fmt: skip
    """A new version from a date: the one before ends the day before and stays with the rounds, grants and matches
    made under it (their amounts and rules do not move)."""
    current = policy.versions.select_for_update().order_by("-number").first()
    if valid_from <= current.valid_from:
        raise DomainError(PolicyError.DATE, _("A revision takes effect after the version it replaces"),
                          field="valid_from")  # fmt: skip
    current.valid_to = valid_from - datetime.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    version = _version_add(policy=policy, by=by, number=current.number + 1, valid_from=valid_from,
                           conditions=conditions, exclusions=exclusions, benefit=benefit, benefit_kind=benefit_kind,
                           benefit_text=benefit_text, source_document=source_document)  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=policy, changes={"version": [current.number, version.number]})
    run_in_background(matching.policy_rematch, policy.pk)
    return version


def can_edit_policy(user, policy: Policy) -> bool:
    """The zone office edits every policy; a department the policies it is in charge of."""
    role = getattr(user, "role", None)
    if role == Role.ZONE_COORDINATOR:
        return True
    return role == Role.DEPARTMENT_HANDLER and policy.department_id is not None and (
        policy.department_id == getattr(user, "department_id", None))  # fmt: skip


@transaction.atomic
def policy_update(*, policy: Policy, by, **fields) -> Policy:
    """The catalogue entry (title, text, contacts, budget …); what a firm qualifies for changes only by its
    conditions and benefit, which a revision dates."""
    _require(can_edit_policy(by, policy))
    before = {name: getattr(policy, name) for name in fields}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    changes = {name: [str(before[name]), str(value)] for name, value in fields.items() if before[name] != value}
    if changes:
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=policy, changes=changes)
    return policy


def version_current(policy: Policy) -> PolicyVersion | None:
    return policy.versions.order_by("-number").first()


def version_in_use(version: PolicyVersion) -> bool:
    """A version some firm has applied under or been granted under: its rules no longer change."""
    from .models import Application

    return (version.conditions.frozen_at is not None or Round.objects.filter(version=version).exists()
            or Application.objects.filter(version=version).exists())  # fmt: skip


def version_freeze(version: PolicyVersion) -> None:
    ruleset_freeze(ruleset=version.conditions)
    if version.exclusions_id:
        ruleset_freeze(ruleset=version.exclusions)


def _rematch_after_commit(policy: Policy) -> None:
    transaction.on_commit(lambda: run_in_background(matching.policy_rematch, policy.pk))


def _version_to_change(policy: Policy, by) -> PolicyVersion:
    """The policy's current version, locked, if its rules may still change: none firms have applied or been
    granted under (their rules stay as they were; a revision from a date changes them)."""
    _require(can_edit_policy(by, policy))
    version = PolicyVersion.objects.select_for_update().select_related("conditions").get(pk=version_current(policy).pk)
    if version_in_use(version):
        raise DomainError(PolicyError.STATE, _("Firms have applied or been granted under this version: revise the "
                                               "policy to change its conditions from a date"))  # fmt: skip
    return version


@transaction.atomic
def policy_condition_save(*, policy: Policy, by, name: str, expression: str, message: str, samples: list,
                          source_document: str = "", values: dict | None = None, code: str = "") -> Rule:  # fmt: skip
    """A condition of the policy's current version written or changed, checked and brought into effect at once:
    its samples must give what they say (one met, one not), or nothing is saved. A version firms have applied or
    been granted under keeps its rules: the change is then a revision from a date."""
    version = _version_to_change(policy, by)
    rules = Rule.objects.filter(ruleset=version.conditions)
    if not code:
        taken = set(rules.values_list("code", flat=True))
        code = next(f"c{n}" for n in range(1, len(taken) + 2) if f"c{n}" not in taken)
        order = rules.count()
    else:
        existing = rules.filter(code=code).first()
        if existing is None:
            raise DomainError(PolicyError.STATE, _("No such condition"))
        order = existing.order
    rule = rule_save(ruleset=version.conditions, code=code, name=name, expression=expression, message=message,
                     values=values, by=by, source_document=source_document, samples=samples,
                     valid_from=version.valid_from, order=order)  # fmt: skip
    rule_activate(rule=rule, by=by)
    _rematch_after_commit(policy)
    return rule


@transaction.atomic
def policy_condition_retire(*, policy: Policy, by, code: str) -> None:
    version = _version_to_change(policy, by)
    rule = Rule.objects.filter(ruleset=version.conditions, code=code, status=RuleStatus.ACTIVE).first()
    if rule is None:
        raise DomainError(PolicyError.STATE, _("No such condition"))
    if Rule.objects.filter(ruleset=version.conditions, status=RuleStatus.ACTIVE).count() == 1:
        raise DomainError(PolicyError.STATE, _("A policy keeps at least one condition"))
    Rule.objects.filter(pk=rule.pk).update(status=RuleStatus.RETIRED, updated_at=timezone.now())
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=rule, changes={"status": [RuleStatus.ACTIVE, "retired"]})
    _rematch_after_commit(policy)


def conditions_of(version: PolicyVersion) -> list[dict]:
    """A version's conditions in effect as rule_save takes them: what a revision starts from."""
    return [{"code": r.code, "name": r.name, "expression": r.expression, "message": r.message, "values": r.values,
             "clause": r.source_document, "samples": r.samples}
            for r in Rule.objects.filter(ruleset=version.conditions, status=RuleStatus.ACTIVE).order_by("order", "code")]  # fmt: skip


# -- 免申即享 -------------------------------------------------------------------------------------------------------


def can_run_rounds(user, policy: Policy) -> bool:
    role = getattr(user, "role", None)
    return role == Role.ZONE_COORDINATOR or (
        role == Role.DEPARTMENT_HANDLER and policy.department_id is not None
        and user.department_id == policy.department_id
    )  # fmt: skip


def _require(ok: bool) -> None:
    if not ok:
        raise DomainError(PolicyError.FORBIDDEN, _("You may not do this for this policy"))


@transaction.atomic
def round_draw(*, policy: Policy, by, on: datetime.date | None = None) -> Round:
    """The list from the stored matches: every firm that qualifies with its amount; firms an exclusion rule sets
    aside, with its reason; then, in the policy's order of priority (the larger or the smaller amount first, or the
    first told it qualifies; then by name), those
    the budget still covers — the rest over budget, said so."""
    _require(can_run_rounds(by, policy))
    if policy.mode != "automatic":
        raise DomainError(PolicyError.NOT_AUTOMATIC, _("Only a 免申即享 policy draws its list"))
    on = on or timezone.localdate()
    version = matching.versions_in_force(on, [policy.pk])
    if not version:
        raise DomainError(PolicyError.STATE, _("The policy is not in force"))
    version = version[0]
    version_freeze(version)
    matching.match_run(policy_ids=[policy.pk], on=on, notify_new=False)
    rnd = Round.objects.create(policy=policy, version=version, period=matching.match_period(on), drawn_by=by)
    order = {Priority.LARGER: [F("amount").desc(nulls_last=True)], Priority.SMALLER: [F("amount").asc(nulls_last=True)],
             Priority.EARLIER: [F("notified_at").asc(nulls_last=True)]}[policy.priority]  # fmt: skip
    matches = list(Match.objects.filter(policy=policy, version=version, verdict=Verdict.QUALIFIES, received=False)
                   .select_related("enterprise").order_by(*order, "enterprise__name"))  # fmt: skip
    budget, committed, grants = policy.budget, Decimal(0), []
    for priority, match in enumerate(matches, start=1):
        amount = match.amount or Decimal(0)
        grant = Grant(round=rnd, enterprise=match.enterprise, amount=amount, priority=priority)
        if match.excluded:
            grant.status, grant.reasons = GrantStatus.EXCLUDED, list(match.excluded)
        elif budget is not None and committed + amount > budget:
            grant.status = GrantStatus.DEFERRED
            grant.reasons = [_("Over budget: %(sum)s 元 already listed of a budget of %(budget)s 元")
                             % {"sum": f"{committed:,.2f}", "budget": f"{budget:,.2f}"}]  # fmt: skip
        else:
            committed += amount
        grants.append(grant)
    Grant.objects.bulk_create(grants)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=rnd, detail=f"{len(grants)} firms")
    return rnd


@transaction.atomic
def round_approve(*, round: Round, by) -> Round:
    """The department confirms the list: each firm listed is asked for its one-tap confirmation."""
    rnd = Round.objects.select_for_update().select_related("policy").get(pk=round.pk)
    _require(can_run_rounds(by, rnd.policy))
    if rnd.approved_at is not None:
        raise DomainError(PolicyError.STATE, _("This list is already confirmed"))
    rnd.approved_at, rnd.approved_by = timezone.now(), by
    rnd.save(update_fields=["approved_at", "approved_by"])
    listed = list(rnd.grants.filter(status=GrantStatus.LISTED).select_related("enterprise"))
    rnd.grants.filter(status=GrantStatus.LISTED).update(status=GrantStatus.APPROVED)
    from zhuqi.org.models import User

    for grant in listed:
        people = User.objects.filter(role=Role.ENTERPRISE_CONTACT, enterprise=grant.enterprise, is_active=True)
        notify(people, title=_("%(policy)s: %(amount)s 元 for you, confirm to receive it")
               % {"policy": rnd.policy.title, "amount": f"{grant.amount:,.2f}"},
               url=f"/policies/grants/{grant.pk}/")  # fmt: skip
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=rnd, changes={"approved": [None, len(listed)]})
    return rnd


ACCOUNT = re.compile(r"^\d{8,30}$")


@transaction.atomic
def grant_answer(*, grant: Grant, by, accept: bool, bank_name: str = "", bank_account: str = "",
                 reason: str = "") -> Grant:  # fmt: skip
    """意愿确认: the firm accepts with its account (one step) or declines (recorded, with its reason if it gives one)."""
    grant = Grant.objects.select_for_update().select_related("round__policy").get(pk=grant.pk)
    _require(getattr(by, "role", None) == Role.ENTERPRISE_CONTACT and by.enterprise_id == grant.enterprise_id)
    if grant.status != GrantStatus.APPROVED:
        raise DomainError(PolicyError.STATE, _("This grant is not waiting for your confirmation"))
    if accept:
        account = re.sub(r"[\s-]", "", bank_account or "")
        if not ACCOUNT.match(account):
            raise DomainError(PolicyError.ACCOUNT, _("A bank account is 8 to 30 digits"), field="bank_account")
        if not bank_name.strip():
            raise DomainError(PolicyError.ACCOUNT, _("Give the bank of the account"), field="bank_name")
        grant.status, grant.bank_name, grant.bank_account = GrantStatus.ACCEPTED, bank_name.strip()[:60], account
    else:
        grant.status, grant.decline_reason = GrantStatus.DECLINED, reason.strip()[:200]
    grant.answered_at, grant.answered_by = timezone.now(), by
    grant.save()
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=grant, changes={"status": [GrantStatus.APPROVED, grant.status]})
    return grant


@transaction.atomic
def batch_pay(*, round: Round, by, paid_on: datetime.date) -> PaymentBatch:
    """The payment batch: every firm that confirmed is paid on the date; the money goes on its file."""
    rnd = Round.objects.select_for_update().select_related("policy").get(pk=round.pk)
    _require(can_run_rounds(by, rnd.policy))
    if paid_on > timezone.localdate():
        raise DomainError(PolicyError.DATE, _("The payment date cannot be in the future"), field="paid_on")
    grants = list(rnd.grants.select_for_update().filter(status=GrantStatus.ACCEPTED).select_related("enterprise"))
    if not grants:
        raise DomainError(PolicyError.EMPTY, _("No firm has confirmed yet: nothing to pay"))
    batch = PaymentBatch.objects.create(round=rnd, paid_on=paid_on, created_by=by)
    started = timezone.localtime(rnd.drawn_at).date()
    for grant in grants:
        grant.status, grant.batch = GrantStatus.PAID, batch
    Grant.objects.bulk_update(grants, ["status", "batch"])
    payments = PolicyPayment.objects.bulk_create([
        PolicyPayment(policy=rnd.policy, enterprise=g.enterprise, amount=g.amount, paid_on=paid_on,
                      started_on=started, automatic=True, grant=g)
        for g in grants
    ])  # fmt: skip
    TimelineEntry.objects.bulk_create([
        TimelineEntry(enterprise=p.enterprise, kind=TIMELINE_KIND, actor=by,
                      summary=_("%(policy)s: %(amount)s 元 paid on %(day)s (免申即享)") % {
                          "policy": rnd.policy.title, "amount": f"{p.amount:,.2f}", "day": paid_on.isoformat()},
                      details={"policy": rnd.policy_id, "payment": p.pk, "amount": str(p.amount)})
        for p in payments
    ])  # fmt: skip
    Match.objects.filter(policy=rnd.policy, enterprise__in=[g.enterprise_id for g in grants]).update(received=True)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=batch,
                 detail=f"{len(grants)} firms, {sum(g.amount for g in grants)} 元")  # fmt: skip
    return batch


@transaction.atomic
def payment_record(*, policy: Policy, enterprise, amount: Decimal, paid_on: datetime.date, started_on: datetime.date,
                   by, note: str = "") -> PolicyPayment:  # fmt: skip
    """A payment after an application or by another office (the 兑现台账's own line), on the firm's file."""
    payment = PolicyPayment.objects.create(policy=policy, enterprise=enterprise, amount=amount, paid_on=paid_on,
                                           started_on=started_on, note=note)  # fmt: skip
    TimelineEntry.objects.create(
        enterprise=enterprise, kind=TIMELINE_KIND, actor=by if getattr(by, "pk", None) else None,
        summary=_("%(policy)s: %(amount)s 元 paid on %(day)s") % {
            "policy": policy.title, "amount": f"{amount:,.2f}", "day": paid_on.isoformat()},
        details={"policy": policy.pk, "payment": payment.pk, "amount": str(amount)},
    )  # fmt: skip
    Match.objects.filter(policy=policy, enterprise=enterprise).update(received=True)
    return payment


# -- missing data → a form request --------------------------------------------------------------------------------


@transaction.atomic
def data_request_send(*, by, policy: Policy, enterprise_ids: list[int] | None = None):
    """The firms whose data are missing for a policy (those chosen among them) are asked for the figures with the
    form that collects them: a reporting campaign, opened through the registered `reporting.data_request`."""
    from zhuqi.core import registry

    from .selectors import can_request_data, missing_data

    if not can_request_data(by):
        raise DomainError(PolicyError.FORBIDDEN, _("The zone office asks firms for their figures"))
    found = missing_data(user=by, policy=policy)
    chosen = [pk for pk in found["enterprise_ids"] if enterprise_ids is None or pk in set(enterprise_ids)]
    if not chosen:
        raise DomainError(PolicyError.EMPTY, _("Choose the firms whose figures are missing"), field="enterprise")
    if found["form"] is None:
        raise DomainError(PolicyError.STATE, _("No form asks for the figures this policy lacks"))
    campaign = registry.selector("reporting.data_request")(
        by=by, enterprise_ids=chosen, codes=found["codes"], period=found["period"],
        title=_("%(policy)s: figures for matching (%(period)s)") % {"policy": policy.title, "period": found["period"]},
    )  # fmt: skip
    audit_record(actor=by, event=AuditEvent.CREATE, obj=policy, detail=f"data request: {len(chosen)} firms")
    return campaign
