"""The policies through the API, read from the same selectors and scopes as the pages: the catalogue and a policy, a
firm's matches, and the applications (申报) — a list, one with its materials and the steps the user may take, and the
same steps as the pages through the same service (the case engine's table decides)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhuqi.core.api_types import Id, PathId
from zhuqi.core.errors import DomainError

from . import applications, selectors
from .models import Category, Mode

router = Router(tags=["policies 惠企政策"])

Text = Annotated[str, Field(max_length=2000)]
Words = Annotated[str, Field(max_length=60)]


def _found(fn, **kwargs):
    try:
        return fn(**kwargs)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


class PolicyOut(Schema):
    id: int
    title: str
    doc_number: str
    issuer: str
    level: str
    category: str
    mode: str
    summary: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    materials: list[str]
    tags: list[str]


class ConditionOut(Schema):
    code: str = ""
    name: str = ""
    verdict: str = ""
    text: str = ""
    clause: str = ""


class MatchOut(Schema):
    policy: int = Field(..., alias="policy_id")
    title: str = Field(..., alias="policy.title")
    verdict: str
    amount: Decimal | None
    lacking: str
    missing: list[str]
    received: bool
    conditions: list[ConditionOut]


class ApplicationOut(Schema):
    id: int
    number: str
    policy: int
    title: str
    enterprise: str
    step: str
    status: str
    fast: bool
    amount_requested: Decimal
    amount_approved: Decimal | None
    submitted_on: datetime.date
    deadline: datetime.date | None
    publicity_until: datetime.date | None
    refusal_reason: str
    paid_on: datetime.date | None
    version: int


class MaterialOut(Schema):
    name: str
    files: list[str]


class ApplicationDetailOut(ApplicationOut):
    materials: list[MaterialOut]
    actions: list[str]


class ActIn(Schema):
    action: applications.ApplicationAction | None = None
    withdraw: bool = False
    comment: Text = ""
    amount: Decimal | None = Field(None, gt=0, le=applications.MAX_AMOUNT, max_digits=14, decimal_places=2)
    version: int | None = Field(None, ge=1, le=2**31)


class PolicyFilter(Schema):
    q: Words = ""
    category: Category | None = None
    mode: Mode | None = None


def _application(a) -> dict:
    case = a.case
    return {
        "id": a.pk, "number": case.number or "", "policy": a.policy_id, "title": a.policy.title,
        "enterprise": a.enterprise.name, "step": applications.step_label(a), "status": case.status, "fast": a.fast,
        "amount_requested": a.amount_requested, "amount_approved": a.amount_approved, "submitted_on": a.submitted_on,
        "deadline": case.deadline, "publicity_until": a.publicity_until, "refusal_reason": a.refusal_reason,
        "paid_on": a.payment.paid_on if a.payment_id else None, "version": case.version,
    }  # fmt: skip


def _detail(request, a) -> dict:
    return {
        **_application(a),
        "materials": [{"name": m["name"], "files": [f.attachment.original_name for f in m["files"]]}
                      for m in selectors.application_materials(a)],
        "actions": [str(x) for x in selectors.application_actions(user=request.user, application=a)],
    }  # fmt: skip


def _readers_only(request):
    if not selectors.can_read_catalogue(request.user):
        raise DomainError(applications.ApplicationError.NOT_ALLOWED, _("You may not do this for this policy"))


@router.get("/", response=list[PolicyOut], summary="政策目录（可按关键词、类别、方式筛选）")
def policy_list(request, filters: Query[PolicyFilter]):
    _readers_only(request)
    return list(
        selectors.policy_search(words=filters.q, category=filters.category or "", mode=filters.mode or "")[:500]
    )


@router.get("/matches", response=list[MatchOut], summary="本企业的政策匹配（符合、差一项、待补充信息）")
def my_matches(request):
    if not selectors.can_see_own_matches(request.user):
        return []
    groups = selectors.firm_matches(user=request.user, enterprise_id=request.user.enterprise_id)
    return [m for key in ("qualifies", "nearly", "unknown", "received") for m in groups[key]]


@router.get("/applications", response=list[ApplicationOut], summary="我可见的政策申报")
def application_list(request, policy: Id | None = None):
    _readers_only(request)
    return [_application(a) for a in selectors.applications_list(user=request.user, policy_id=policy)[:500]]


@router.get("/applications/{application_id}", response=ApplicationDetailOut, summary="申报详情（材料与可办理的环节）")
def application_detail(request, application_id: PathId):
    _readers_only(request)
    return _detail(request, _found(selectors.application_get, user=request.user, pk=application_id))


@router.post("/applications/{application_id}/act", response=ApplicationDetailOut,
             summary="办理一个环节：园区初审、退回补正、部门审核、不予支持、拨付、撤回")  # fmt: skip
def application_act(request, application_id: PathId, payload: ActIn):
    _readers_only(request)
    application = _found(selectors.application_get, user=request.user, pk=application_id)
    action = "withdraw" if payload.withdraw else (payload.action.value if payload.action else "")
    if action not in selectors.application_actions(user=request.user, application=application):
        raise DomainError(applications.ApplicationError.NOT_ALLOWED, _("This step cannot be taken now"))
    application = applications.application_act(application=application, action=action, by=request.user,
                                               comment=payload.comment, amount=payload.amount,
                                               expected_version=payload.version)  # fmt: skip
    return _detail(request, _found(selectors.application_get, user=request.user, pk=application.pk))


@router.get("/{policy_id}", response=PolicyOut, summary="一项政策")
def policy_detail(request, policy_id: PathId):
    _readers_only(request)
    return _found(selectors.policy_get, pk=policy_id)
