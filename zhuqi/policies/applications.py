"""申报 as a kind of case: a firm applies with the checklist's materials; the park checks it first (园区初审), the
department in charge reviews it (部门审核) and sets the amount, the decision is shown publicly for five working days
(公示), then paid (拨付, written into the 兑现台账 in the same transaction) — or refused with its reason (不予支持). The
park and the department may return it for supplement (退回补正): the clock stops until the firm sends what was
missing, the materials already sent stay. 快申快享 applications carry the province's 60-working-day payment limit
as the case's deadline, so an overdue one is red on the lists and the 督办 like any other case.

The case engine knows none of this: the table, the turns and the effects are registered from apps.py (register()).
The steps ride on the engine's statuses: 园区初审 = assigned, 部门审核 = in progress, 公示 = awaiting verification,
退回补正 = suspended, 拨付 / 不予支持 = closed (with the result solved / cannot be solved)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhuqi.cases.models import Case, Result, Source
from zhuqi.cases.models import Category as CaseCategory
from zhuqi.cases.services import CaseError, case_act, case_close, case_raise, deadline_set, retrying
from zhuqi.cases.workflow import COMMON, COMMON_TURNS, LOOP, Action, Actor, Status, Transition, Turn, status_label, turn
from zhuqi.cases.workflow import row as _t
from zhuqi.core.attachments import attachment_problem, attachment_store
from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.core.roles import Role
from zhuqi.core.workdays import add_workdays, workdays_between
from zhuqi.indicators.services import ruleset_freeze

from . import matching
from .models import (
    APPLICATION_KIND,
    FAST_PAYMENT_WORKDAYS,
    PUBLICITY_WORKDAYS,
    REVIEW_WORKDAYS,
    Application,
    ApplicationMaterial,
    Mode,
)

KIND = APPLICATION_KIND
MAX_AMOUNT = Decimal("100000000")  # 1 亿元: no zone policy pays more to one firm


class ApplicationAction(models.TextChoices):
    SUBMIT = "application_submit", gettext_lazy("Submit the application")  # 提交申报 (on arrival)
    PARK_PASS = "park_pass", gettext_lazy("Park review: pass to the department")  # 园区初审通过
    PARK_RETURN = "park_return", gettext_lazy("Return for supplement")  # 退回补正 (园区)
    PARK_REFUSE = "park_refuse", gettext_lazy("Not supported")  # 不予支持 (园区)
    APPROVE = "application_approve", gettext_lazy("Approve: start the publicity")  # 部门审核通过，进入公示
    DEPARTMENT_RETURN = "department_return", pgettext_lazy("department", "Return for supplement")  # 退回补正 (部门)
    REFUSE = "application_refuse", pgettext_lazy("department", "Not supported")  # 不予支持 (部门)
    SUPPLEMENT = "supplement", gettext_lazy("Send the supplement")  # 补正后重新提交
    PAY = "application_pay", gettext_lazy("Record the payment")  # 拨付


P, S, W = ApplicationAction, Status, Actor
_WITHDRAW = next(t for t in LOOP if t.action == Action.WITHDRAW)  # the firm withdraws before the park has decided

TRANSITIONS: list[Transition] = [
    *COMMON,
    _WITHDRAW,
    _t(P.SUBMIT, {S.PENDING}, S.ASSIGNED, {W.REPORTER}),
    _t(P.PARK_PASS, {S.ASSIGNED}, S.IN_PROGRESS, {W.COORDINATOR}),
    _t(P.PARK_RETURN, {S.ASSIGNED}, S.SUSPENDED, {W.COORDINATOR}, needs_comment=True),
    _t(P.PARK_REFUSE, {S.ASSIGNED}, S.CLOSED, {W.COORDINATOR}, needs_comment=True),
    _t(P.APPROVE, {S.IN_PROGRESS}, S.AWAITING_VERIFICATION, {W.LEAD_DEPARTMENT}),
    _t(P.DEPARTMENT_RETURN, {S.IN_PROGRESS}, S.SUSPENDED, {W.LEAD_DEPARTMENT}, needs_comment=True),
    _t(P.REFUSE, {S.IN_PROGRESS, S.AWAITING_VERIFICATION}, S.CLOSED, {W.LEAD_DEPARTMENT}, needs_comment=True),
    _t(P.SUPPLEMENT, {S.SUSPENDED}, S.ASSIGNED, {W.ENTERPRISE}),
    _t(P.PAY, {S.AWAITING_VERIFICATION}, S.CLOSED, {W.LEAD_DEPARTMENT}),
]


def publicity_over() -> Q:
    """The department's turn comes back once the five working days of publicity are over."""
    return Q(policy_application__publicity_until__lt=timezone.localdate())


TURNS: list[Turn] = [
    *COMMON_TURNS,
    turn({S.ASSIGNED}, {W.COORDINATOR}),  # 园区初审: the park office (the zone office for a firm without a park)
    turn({S.IN_PROGRESS}, {W.LEAD_DEPARTMENT}),  # 部门审核
    turn({S.AWAITING_VERIFICATION}, {W.LEAD_DEPARTMENT}, when=publicity_over),  # 拨付
    turn({S.SUSPENDED}, {W.ENTERPRISE}),  # 补正
]

# each step as the firm and the officers call it (the engine's statuses carry it)
STEPS: dict[str, str] = {
    S.PENDING: gettext_lazy("Submitted"),
    S.ASSIGNED: gettext_lazy("Park review"),
    S.IN_PROGRESS: gettext_lazy("Department review"),
    S.AWAITING_VERIFICATION: gettext_lazy("Publicity"),
    S.SUSPENDED: gettext_lazy("Returned for supplement"),
    S.WITHDRAWN: gettext_lazy("Withdrawn"),
}
# the steps shown in order on the application's page
STEP_ORDER = [S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_VERIFICATION, S.CLOSED]


def step_label(application: Application) -> str:
    status = application.case.status
    if status in (S.CLOSED, S.RATED):
        return str(_("Paid") if application.payment_id else _("Not supported"))
    return str(status_label(application.case.kind, status))


# -- effects ----------------------------------------------------------------------------------------------------


def _materials_store(application: Application, materials: dict, by) -> list[str]:
    """The uploads of the checklist's materials, each checked (type and size, Chinese messages), kept beside the
    earlier ones."""
    stored = []
    for name, upload in (materials or {}).items():
        if upload is None:
            continue
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(CaseError.INVALID, problem, field="materials")
        attachment = attachment_store(owner=application, upload=upload, by=by)
        ApplicationMaterial.objects.create(application=application, name=str(name)[:100], attachment=attachment)
        stored.append(str(name))
    return stored


def _submit(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """On arrival: the department in charge leads it, and the clock runs — 60 working days to the payment for a
    快申快享 policy, the review's time otherwise."""
    application = case.policy_application
    case.lead_department_id = application.policy.department_id
    case.assigned_on = today
    days = FAST_PAYMENT_WORKDAYS if application.fast else case.category.deadline_workdays
    deadline_set(case, add_workdays(today, days))
    return {"amount": str(application.amount_requested), "deadline": case.deadline.isoformat(), "workdays": days}


def _records_only(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    return {}


def _return_for_supplement(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """退回补正: the clock stops while the firm supplements (the working days are added back when it does)."""
    case.suspended_on = today
    return {"materials": case.policy_application.materials.count()}


def supplement_fields(case: Case) -> dict:
    """补正 on the case page: one upload per material of the application's checklist, as on its own page."""
    names = case.policy_application.policy.materials
    return {f"material_{i}": forms.FileField(label=name, required=False) for i, name in enumerate(names)}


def _supplement(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    application = case.policy_application
    materials = dict(details.get("materials") or {})
    for i, name in enumerate(application.policy.materials):  # as the case page's fields name them
        if details.get(f"material_{i}"):
            materials[name] = details[f"material_{i}"]
    stored = _materials_store(application, materials, by)
    if not stored and not comment.strip():
        raise DomainError(CaseError.COMMENT_REQUIRED, _("Upload the missing materials or say what you supplement"),
                          field="comment")  # fmt: skip
    paused = max(workdays_between(case.suspended_on or today, today), 0)
    case.paused_workdays += paused
    deadline_set(case, add_workdays(case.deadline, paused))
    case.suspended_on = None
    return {"materials": stored, "paused_workdays": paused, "deadline": case.deadline.isoformat()}


def _amount(value, default: Decimal) -> Decimal:
    if value in (None, ""):
        return default
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise DomainError(CaseError.INVALID, _("Give an amount in 元 above 0"), field="amount")
    return amount.quantize(Decimal("0.01"))


def _approve(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """部门审核通过: the amount approved (at most the amount asked), then 5 working days of publicity."""
    application = case.policy_application
    amount = _amount(details.get("amount"), application.amount_requested)
    if amount > application.amount_requested:
        raise DomainError(CaseError.INVALID, _("The amount approved cannot exceed the amount requested"),
                          field="amount")  # fmt: skip
    application.amount_approved = amount
    application.publicity_until = add_workdays(today, PUBLICITY_WORKDAYS)
    application.save(update_fields=["amount_approved", "publicity_until"])
    case.reported_on = today
    return {"amount": str(amount), "publicity_until": application.publicity_until.isoformat()}


def _refuse(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """不予支持, with the reason the firm reads."""
    application = case.policy_application
    application.refusal_reason = comment[:500]
    application.save(update_fields=["refusal_reason"])
    case.result, case.result_text = Result.NOT_SOLVABLE, comment
    return case_close(case, today)


def _pay(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """拨付 once the publicity is over: the payment goes into the 兑现台账 and on the firm's file, in this transaction."""
    from .services import payment_record

    application = case.policy_application
    if application.publicity_until is None or today <= application.publicity_until:
        raise DomainError(CaseError.WRONG_STATUS, _("The publicity runs until %(day)s; pay after it")
                          % {"day": application.publicity_until}, field="comment")  # fmt: skip
    payment = payment_record(policy=application.policy, enterprise=application.enterprise,
                             amount=application.amount_approved, paid_on=today, started_on=application.submitted_on,
                             by=by, note=_("Application %(number)s") % {"number": case.number})  # fmt: skip
    application.payment = payment
    application.save(update_fields=["payment"])
    case.result, case.result_text = Result.SOLVED, comment or _("Paid %(amount)s 元") % {
        "amount": f"{payment.amount:,.2f}"}  # fmt: skip
    return {"payment": payment.pk, "amount": str(payment.amount), **case_close(case, today)}


# -- services -----------------------------------------------------------------------------------------------------


class ApplicationError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"


def can_apply(user, policy) -> bool:
    return (
        getattr(user, "role", None) == Role.ENTERPRISE_CONTACT and user.enterprise_id is not None
        and policy.mode in (Mode.FAST, Mode.APPLY) and policy.department_id is not None
    )  # fmt: skip


def _category(policy) -> CaseCategory:
    """The case category of the department's applications (one per department, made the first time)."""
    category, _created = CaseCategory.objects.get_or_create(
        kind=KIND, name=f"政策申报·{policy.department.name}"[:30],
        defaults={"department": policy.department, "deadline_workdays": REVIEW_WORKDAYS},
    )  # fmt: skip
    return category


@retrying
def application_submit(*, by, policy, amount, materials: dict | None = None, note: str = "",
                       today: datetime.date | None = None) -> Application:  # fmt: skip
    """申报: the firm's application under the version in force today, with every material of the checklist; it
    goes to the park's initial review at once."""
    if not can_apply(by, policy):
        raise DomainError(ApplicationError.NOT_ALLOWED, _("This policy is not applied for online by your account"))
    today = today or timezone.localdate()
    version = matching.versions_in_force(today, [policy.pk])
    if not version:
        raise DomainError(ApplicationError.INVALID, _("The policy is not in force"))
    enterprise = by.enterprise
    under_way = Application.objects.filter(policy=policy, enterprise=enterprise, case__is_counted=True,
                                           case__is_finished=False)  # fmt: skip
    if under_way.exists():
        raise DomainError(ApplicationError.INVALID, _("Your firm already has an application for this policy under way"))
    amount = _amount(amount, Decimal(0))
    materials = {name: upload for name, upload in (materials or {}).items() if upload}
    lacking = [name for name in policy.materials if name not in materials]
    if lacking:
        raise DomainError(ApplicationError.INVALID, _("Upload: %(names)s") % {"names": "、".join(lacking)},
                          field="materials")  # fmt: skip
    for upload in materials.values():
        problem = attachment_problem(upload)
        if problem:
            raise DomainError(ApplicationError.INVALID, problem, field="materials")
    text = _("Application under “%(policy)s” for %(amount)s 元") % {"policy": policy.title, "amount": f"{amount:,.2f}"}
    if note.strip():
        text = f"{text}：{note.strip()[:1000]}"
    case = case_raise(by=by, category=_category(policy), description=text, source=Source.ENTERPRISE,
                      enterprise=enterprise)  # fmt: skip
    application = Application.objects.create(case=case, policy=policy, version=version[0], enterprise=enterprise,
                                             fast=policy.mode == Mode.FAST, amount_requested=amount,
                                             submitted_on=today)  # fmt: skip
    _materials_store(application, materials, by)
    ruleset_freeze(ruleset=version[0].conditions)  # applied under these rules: a change is now a revision
    case_act(case=case, action=P.SUBMIT, by=by)
    audit_record(actor=by, event=AuditEvent.CREATE, obj=application)
    application.refresh_from_db()
    return application


def application_act(*, application: Application, action: str, by, comment: str = "", amount=None,
                    materials: dict | None = None, expected_version: int | None = None) -> Application:  # fmt: skip
    """One step of the application, through the case engine (its table decides who may do what, when)."""
    details = {}
    if amount not in (None, ""):
        details["amount"] = amount
    if materials:
        details["materials"] = materials
    case_act(case=application.case, action=action, by=by, comment=comment, expected_version=expected_version,
             **details)  # fmt: skip
    return Application.objects.select_related("case", "policy", "payment").get(pk=application.pk)


# what the department's approval asks for beyond the comment (the case page renders it, the API cleans it alike)
APPROVE_FIELDS = {
    "amount": forms.DecimalField(label=gettext_lazy("Amount approved (元)"), required=False, min_value=Decimal("0.01"),
                                 max_digits=14, decimal_places=2),
}  # fmt: skip


def register() -> None:
    from zhuqi.cases.workflow import action_register, case_kind_register

    reason = gettext_lazy("Reason")
    missing = gettext_lazy("What is missing")
    action_register(P.SUBMIT, P.SUBMIT.label, effect=_submit, on_arrival=True)
    action_register(P.PARK_PASS, P.PARK_PASS.label, effect=_records_only, sms="政策申报待部门审核")
    action_register(P.PARK_RETURN, P.PARK_RETURN.label, effect=_return_for_supplement, comment_label=missing,
                    sms="政策申报被退回补正，请补充材料")  # fmt: skip
    action_register(P.PARK_REFUSE, P.PARK_REFUSE.label, effect=_refuse, informs=(W.ENTERPRISE,), comment_label=reason)
    action_register(P.APPROVE, P.APPROVE.label, effect=_approve, informs=(W.ENTERPRISE, W.COORDINATOR),
                    fields=APPROVE_FIELDS)  # fmt: skip
    action_register(P.DEPARTMENT_RETURN, P.DEPARTMENT_RETURN.label, effect=_return_for_supplement,
                    comment_label=missing, sms="政策申报被退回补正，请补充材料")  # fmt: skip
    action_register(P.REFUSE, P.REFUSE.label, effect=_refuse, informs=(W.ENTERPRISE, W.COORDINATOR),
                    comment_label=reason)  # fmt: skip
    action_register(P.SUPPLEMENT, P.SUPPLEMENT.label, effect=_supplement, fields=supplement_fields)
    action_register(P.PAY, P.PAY.label, effect=_pay, informs=(W.ENTERPRISE, W.COORDINATOR))
    case_kind_register(KIND, gettext_lazy("Policy application"), transitions=TRANSITIONS, turns=TURNS, statuses=STEPS,
                       raised_by={Source.ENTERPRISE})  # fmt: skip
