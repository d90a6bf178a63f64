"""Hazards (安全隐患) as a kind of case: found by an inspector, sent straight to the enterprise with a rectification
deadline, rectified with the five in place (五到位) and closed by a re-inspection, not rated. The case engine
knows none of this: it is registered from apps.py (cases.workflow.case_kind_register)."""

import datetime

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuqi.cases.models import Case, Category, Result, Source
from zhuqi.cases.services import CaseError, case_act, case_close, case_raise, case_rework, deadline_set, retrying
from zhuqi.cases.workflow import COMMON, COMMON_TURNS, Action, Actor, Status, Transition, Turn, turn
from zhuqi.cases.workflow import row as _t
from zhuqi.core.errors import DomainError
from zhuqi.core.roles import Role
from zhuqi.core.workdays import add_workdays

from .models import HAZARD_KIND, Hazard, HazardGrade, RiskColour

KIND = HAZARD_KIND


class HazardAction(models.TextChoices):
    """The hazard's own steps, registered with the case engine (register() below)."""

    ORDER_RECTIFICATION = "order_rectification", gettext_lazy("Order rectification")  # 下达整改 (on arrival)
    RECTIFY = "rectify", gettext_lazy("Report rectification")  # 整改反馈
    RECHECK = "recheck", gettext_lazy("Re-inspect: rectified")  # 复查通过
    RECHECK_FAIL = "recheck_fail", gettext_lazy("Re-inspect: not rectified")  # 复查不通过


A, H, S, W = Action, HazardAction, Status, Actor

TRANSITIONS: list[Transition] = [
    *COMMON,
    _t(H.ORDER_RECTIFICATION, {S.PENDING}, S.IN_PROGRESS, {W.REPORTER}),
    _t(
        H.RECTIFY,
        {S.IN_PROGRESS},
        S.AWAITING_VERIFICATION,
        {W.ENTERPRISE, W.LEAD_DEPARTMENT},
        needs_comment=True,
        needs_evidence=True,
    ),  # fmt: skip
    _t(H.RECHECK, {S.AWAITING_VERIFICATION}, S.CLOSED, {W.RECHECKER}, needs_comment=True, needs_evidence=True),
    _t(H.RECHECK_FAIL, {S.AWAITING_VERIFICATION}, S.IN_PROGRESS, {W.RECHECKER}, needs_comment=True),
]
# the enterprise's turn to rectify, then the inspectors' to re-check; nobody waits on a hazard just found (the
# rectification is ordered on arrival) or on one closed (it is not rated)
TURNS: list[Turn] = [
    *COMMON_TURNS,
    turn({S.IN_PROGRESS}, {W.ENTERPRISE}),
    turn({S.AWAITING_VERIFICATION}, {W.RECHECKER}),
]


def _rectifier_id(case: Case) -> int | None:
    return Hazard.objects.filter(case_id=case.pk).values_list("rectified_by_id", flat=True).first()


def parts(user, case: Case) -> set:
    """复查人: an inspector of the department that found the hazard, or whoever found it — never the person who
    reported it rectified."""
    inspector = case.reporter_id == user.pk or (
        user.role == Role.DEPARTMENT_HANDLER and user.department_id == case.lead_department_id
    )
    if inspector and user.role != Role.ENTERPRISE_CONTACT and _rectifier_id(case) != user.pk:
        return {W.RECHECKER}
    return set()


def recheckers(case: Case, users):
    people = users.filter(
        Q(role=Role.DEPARTMENT_HANDLER, department_id=case.lead_department_id) | Q(pk=case.reporter_id)
    )
    rectified_by = _rectifier_id(case)
    return people.exclude(pk=rectified_by) if rectified_by else people


def rechecking(user) -> Q | None:
    """The hazards on which a user is 复查人: those they found, or (a department's inspectors) those their
    department leads, less those they reported rectified."""
    if user.role not in (Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.ZONE_COORDINATOR):
        return None
    inspectors = Q(reporter=user)
    if user.role == Role.DEPARTMENT_HANDLER:
        inspectors |= Q(lead_department_id=user.department_id)
    return inspectors & ~Q(hazard__rectified_by=user)


def _order_rectification(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    found_on = timezone.localdate(case.created_at)
    deadline = details.get("deadline") or add_workdays(found_on, case.category.deadline_workdays)
    if not found_on < deadline <= found_on + datetime.timedelta(days=366):
        raise DomainError(
            CaseError.INVALID, _("The rectification deadline must fall within a year after the day it was found"),
            field="deadline",
        )  # fmt: skip
    case.lead_department = by.department or case.category.department
    case.assigned_on = found_on
    deadline_set(case, deadline)
    return {"department": case.lead_department.name, "deadline": deadline.isoformat()}


FIVE_IN_PLACE = ("measures", "responsible", "funds", "time_limit", "plan")
# what the rectification's form asks for (the case page renders them, the API cleans them alike)
FIVE_IN_PLACE_FIELDS = {
    "measures": forms.CharField(label=gettext_lazy("Rectification measures"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 2})),
    "responsible": forms.CharField(label=gettext_lazy("Person responsible for rectification"), required=False,
                                   max_length=40),
    "funds": forms.DecimalField(label=gettext_lazy("Funds (10,000 yuan)"), required=False, min_value=0, max_digits=10,
                                decimal_places=2),
    "time_limit": forms.DateField(label=gettext_lazy("Rectification finished by"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
    "plan": forms.CharField(label=gettext_lazy("Contingency plan"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 2})),
}  # fmt: skip


def _rectify(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    """整改反馈 with the five in place (五到位); a general hazard needs at least the measures and the person
    responsible, a major one all five."""
    hazard = case.hazard
    values = {name: details.get(name) for name in FIVE_IN_PLACE}
    for name in ("measures", "responsible", "plan"):
        values[name] = (values[name] or "").strip()
    wanted = FIVE_IN_PLACE if hazard.grade == HazardGrade.MAJOR else ("measures", "responsible")
    missing = [Hazard._meta.get_field(name).verbose_name for name in wanted if values[name] in (None, "")]
    if missing:
        raise DomainError(
            CaseError.INVALID,
            _("Fill in: %(fields)s") % {"fields": "、".join(str(m) for m in missing)},
            field=next(name for name in wanted if values[name] in (None, "")),
        )
    if values["funds"] is not None and values["funds"] < 0:
        raise DomainError(CaseError.INVALID, _("The funds cannot be negative"), field="funds")
    for name, value in values.items():
        setattr(hazard, name, value if value is not None else getattr(hazard, name))
    hazard.measures, hazard.responsible = hazard.measures[:5000], hazard.responsible[:40]
    hazard.rectified_by, hazard.rectified_on = by, today
    hazard.save()
    case.result, case.result_text, case.reported_on = Result.SOLVED, comment, today
    return {"responsible": hazard.responsible, "funds": str(hazard.funds) if hazard.funds is not None else None}


def _recheck(case: Case, action, by, comment: str, details: dict, today: datetime.date) -> dict:
    hazard = case.hazard
    if hazard.rectified_by_id == by.pk:
        raise DomainError(CaseError.NOT_ALLOWED, _("The re-inspection is done by someone other than who rectified it"))
    hazard.rechecked_by, hazard.rechecked_on = by, today
    hazard.save(update_fields=["rechecked_by", "rechecked_on"])
    return case_close(case, today)


@retrying
def hazard_record(
    *,
    by,
    enterprise,
    category: Category,
    description: str,
    grade: str = HazardGrade.GENERAL,
    colour: str = RiskColour.YELLOW,
    place: str = "",
    deadline: datetime.date | None = None,
    inspection=None,
    item=None,
    files=(),
    raised_at: datetime.datetime | None = None,
) -> Case:
    """排查隐患: an inspector records a hazard at an enterprise; it goes to the enterprise at once with its
    rectification deadline (the category's working days unless the inspector sets a date)."""
    if by.role not in (Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.ZONE_COORDINATOR):
        raise DomainError(CaseError.NOT_ALLOWED, _("Hazards are recorded by inspectors"))
    if category.kind != KIND:
        raise DomainError(CaseError.INVALID, _("Choose a hazard category"), field="category")
    if enterprise is None:
        raise DomainError(CaseError.INVALID, _("Choose the enterprise"), field="enterprise")
    if grade not in HazardGrade.values:
        raise DomainError(CaseError.INVALID, _("Choose the hazard grade"), field="grade")
    if colour not in RiskColour.values:
        raise DomainError(CaseError.INVALID, _("Choose the risk colour"), field="colour")
    case = case_raise(
        by=by, category=category, description=description, source=Source.INSPECTION, enterprise=enterprise,
        files=files, raised_at=raised_at,
    )  # fmt: skip
    Hazard.objects.create(case=case, inspection=inspection, item=item, grade=grade, colour=colour, place=place[:100])
    return case_act(case=case, action=H.ORDER_RECTIFICATION, by=by, deadline=deadline)


def register() -> None:
    from zhuqi.cases.workflow import action_register, case_kind_register, part_register

    findings = gettext_lazy("Re-inspection findings")
    action_register(H.ORDER_RECTIFICATION, H.ORDER_RECTIFICATION.label, effect=_order_rectification, on_arrival=True,
                    sms="须整改，请于{due}前完成")  # fmt: skip
    action_register(H.RECTIFY, H.RECTIFY.label, effect=_rectify, reports_result=True, fields=FIVE_IN_PLACE_FIELDS,
                    attachments=True, comment_label=gettext_lazy("What was done"), sms="已报整改，请复查")  # fmt: skip
    action_register(H.RECHECK, H.RECHECK.label, effect=_recheck, informs=(W.ENTERPRISE, W.REPORTER), on_file=True,
                    attachments=True, comment_label=findings)  # fmt: skip
    action_register(H.RECHECK_FAIL, H.RECHECK_FAIL.label, effect=case_rework, informs=(W.REPORTER,),
                    attachments=True, comment_label=findings, sms="复查未通过，请于{due}前整改")  # fmt: skip
    part_register(W.RECHECKER, people=recheckers, cases=rechecking)
    case_kind_register(KIND, gettext_lazy("Safety hazard"), transitions=TRANSITIONS, turns=TURNS, parts=parts,
                       raised_by={Source.INSPECTION})  # fmt: skip
