"""The returns through the API: a firm's returns, one with its values, last year's and every rule's outcome,
and the same actions as the pages (save, submit, approve, send back) through the same service."""

import datetime
from typing import Annotated

from ninja import Field, Path, Router, Schema

from . import selectors, services
from .workflow import Action

router = Router(tags=["reporting 统计填报"])

PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # as zhuqi.api.types, which a module below the API cannot import

Text = Annotated[str, Field(max_length=2000)]
Value = Annotated[str, Field(max_length=100)] | float | bool | None


class ReturnOut(Schema):
    id: int
    campaign: str = Field(..., alias="campaign.title")
    period: str = Field(..., alias="campaign.period")
    enterprise: str = Field(..., alias="enterprise.name")
    state: str
    due_on: datetime.date = Field(..., alias="campaign.due_on")
    version: int


class OutcomeOut(Schema):
    rule: str
    name: str
    severity: str
    verdict: str
    explanation: str
    missing: list[str]


class ReturnDetailOut(Schema):
    id: int
    campaign: str
    period: str
    enterprise: str
    state: str
    due_on: datetime.date
    version: int
    values: dict
    last_year: dict
    explanations: dict
    outcomes: list[OutcomeOut]
    actions: list[str]


class ActIn(Schema):
    action: Action
    comment: Text = ""
    values: dict[Annotated[str, Field(max_length=40)], Value] | None = None
    explanations: dict[Annotated[str, Field(max_length=60)], Text] | None = None
    version: int | None = Field(None, ge=1, le=2**31)


@router.get("/returns", response=list[ReturnOut], summary="我可见的报表")
def return_list(request):
    return list(selectors.returns_of_user(user=request.user)[:500])


def _detail(request, ret):
    detail = selectors.return_detail(ret=ret, user=request.user)
    return {
        **{k: getattr(ret, k) for k in ("id", "state", "version", "values", "explanations")},
        "campaign": ret.campaign.title, "period": ret.campaign.period, "due_on": ret.campaign.due_on,
        "enterprise": ret.enterprise.name, "last_year": detail["last_year"],
        "outcomes": [
            {"rule": o.rule.code, "name": o.rule.name, "severity": o.rule.severity, "verdict": o.verdict,
             "explanation": o.explanation, "missing": list(o.missing_labels)}
            for o in detail["check"].evaluation.outcomes
        ],
        "actions": detail["actions"],
    }  # fmt: skip


@router.get("/returns/{return_id}", response=ReturnDetailOut, summary="报表详情（含上年数与校验结果）")
def return_detail(request, return_id: PathId):
    return _detail(request, selectors.return_get_for_user(user=request.user, pk=return_id))


@router.post("/returns/{return_id}/act", response=ReturnDetailOut, summary="保存、提交、审核或退回")
def return_act(request, return_id: PathId, payload: ActIn):
    ret = selectors.return_get_for_user(user=request.user, pk=return_id)
    ret = services.return_act(ret=ret, action=payload.action, by=request.user, comment=payload.comment,
                              values=payload.values, explanations=payload.explanations, seen_version=payload.version)  # fmt: skip
    return _detail(request, ret)
