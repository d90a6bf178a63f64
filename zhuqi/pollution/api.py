"""重污染天气应急 through the API (registered under /api/pollution): a firm's tasks, confirming and checking in; an
alert's live figures — through the same selectors and services as the pages."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Router, Schema

from zhuqi.core.api_types import PathId
from zhuqi.core.errors import DomainError

from . import selectors, services
from .services import PollutionError

router = Router(tags=["pollution 重污染天气应急"])


class TaskOut(Schema):
    id: int
    alert_id: int
    enterprise_id: int
    level: str
    measure: str
    from_at: datetime.datetime
    baseline: Decimal
    allowed_output: Decimal
    confirmed_at: datetime.datetime | None
    compliance: str
    closed_at: datetime.datetime | None


class CheckInIn(Schema):
    output: Annotated[Decimal, Field(ge=0, le=Decimal("9999999999"))]
    lines_stopped: Annotated[int, Field(ge=0, le=1000)]
    lines_cut: Annotated[int, Field(ge=0, le=1000)] = 0
    old_trucks_used: Annotated[int, Field(ge=0, le=100000)] = 0
    note: Annotated[str, Field(max_length=300)] = ""


def _task(request, task_id: int):
    try:
        return selectors.task_get_for_user(user=request.user, pk=task_id)
    except ObjectDoesNotExist:
        raise DomainError(PollutionError.NOT_ALLOWED, "任务不存在或无权查看") from None


@router.get("/tasks", response=list[TaskOut], summary="应急减排任务（企业只见本企业）")
def task_list(request):
    return list(selectors.tasks_visible_to(request.user).order_by("-from_at")[:500])


@router.post("/tasks/{task_id}/confirm", response=TaskOut, summary="企业确认收到并落实减排措施")
def task_confirm(request, task_id: PathId):
    return services.task_confirm(task=_task(request, task_id), by=request.user)


@router.post("/tasks/{task_id}/checkin", response=TaskOut, summary="每日落实情况报送")
def checkin(request, task_id: PathId, payload: CheckInIn):
    task = _task(request, task_id)
    services.checkin_submit(task=task, by=request.user, values=payload.dict())
    return selectors.task_get_for_user(user=request.user, pk=task.pk)


@router.get("/alerts/{alert_id}/figures", summary="预警期间实时数据")
def figures(request, alert_id: PathId, by: str = "park"):
    if not selectors.can_see_figures(request.user):
        raise DomainError(PollutionError.NOT_ALLOWED, "无权查看")
    try:
        alert = selectors.alert_get_for_user(user=request.user, pk=alert_id)
    except ObjectDoesNotExist:
        raise DomainError(PollutionError.NOT_ALLOWED, "预警不存在或无权查看") from None
    data = selectors.alert_figures(user=request.user, alert=alert, group=by)
    return {"counts": data["counts"], "target_percent": data["target"],
            "zone": {p: {k: (float(v) if v is not None else None) for k, v in d.items()} for p, d in data["zone"].items()}}  # fmt: skip
