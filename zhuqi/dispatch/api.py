"""每日调度 through the API: the periods, the figures, the reports and the cut-off list as the pages show them,
and the day's report submitted through the same service (registered under /api/dispatch)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from zhuqi.cases.services import categories_raisable_by_hand
from zhuqi.core.api_types import Day, Id, PathId
from zhuqi.core.errors import DomainError

from . import selectors, services
from .models import OperatingStatus, PeriodKind
from .services import DispatchError

router = Router(tags=["dispatch 每日调度"])


def _period(request, period_id: int):
    try:
        return selectors.period_get_for_user(user=request.user, pk=period_id)
    except ObjectDoesNotExist:
        raise DomainError(DispatchError.NOT_VISIBLE, "调度不存在或无权查看") from None


class PeriodOut(Schema):
    id: int
    name: str
    kind: PeriodKind
    status: str
    starts_on: datetime.date
    ends_on: datetime.date
    cutoff: datetime.time
    target_count: int


class FiguresOut(Schema):
    targets: int
    reported: int
    working: int
    on_duty: int
    planned: int
    output: Decimal = Field(..., description="当日产值合计（万元）")
    resumption_rate: Decimal | None = Field(None, description="复工率 %：报正常或部分开工的目标企业 ÷ 全部目标企业")
    report_rate: Decimal | None = Field(None, description="报送率 %")
    staff_return_rate: Decimal | None = Field(None, description="返岗率 %：Σ在岗人数 ÷ Σ计划人数（已报企业）")
    capacity_recovery_rate: Decimal | None = Field(
        None, description="产能恢复率 %：Σ当日产值 ÷ Σ正常日产值（已报企业）"
    )


class GroupOut(Schema):
    name: str
    figures: FiguresOut


class PeriodFiguresOut(Schema):
    day: datetime.date
    zone: FiguresOut
    groups: list[GroupOut]
    days: list[datetime.date]
    series: list[FiguresOut]


class ReportIn(Schema):
    enterprise_id: Id | None = Field(None, description="代报时填写企业；企业账号省略")
    operating_status: OperatingStatus
    staff_on_duty: int = Field(..., ge=0, le=services.MAX_STAFF, description="在岗人数")
    staff_planned: int = Field(..., ge=1, le=services.MAX_STAFF, description="计划人数（正常在岗人数）")
    output_value: Decimal | None = Field(None, ge=0, le=services.MAX_OUTPUT, description="当日产值（万元）")
    capacity_utilisation: Decimal | None = Field(None, ge=0, le=services.MAX_UTILISATION,
                                                 description="产能利用率 %（不填当日产值时）")  # fmt: skip
    normal_output: Decimal = Field(..., gt=0, le=services.MAX_OUTPUT, description="正常日产值（万元）")
    problems: str = Field("", max_length=services.MAX_PROBLEMS, description="困难和问题")
    case_category_id: Id | None = Field(None, description="填写则困难和问题同时登记为诉求（此类别）")


class ReportOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str = Field(..., alias="enterprise.name")
    day: datetime.date
    operating_status: str
    staff_on_duty: int
    staff_planned: int
    output_value: Decimal
    normal_output: Decimal
    capacity_utilisation: Decimal
    problems: str
    case_number: str | None = Field(None, alias="case.number")
    is_late: bool
    reported_at: datetime.datetime


class MissingOut(Schema):
    enterprise_id: int
    enterprise: str = Field(..., alias="enterprise.name")
    park: str | None = Field(None, alias="park.name")
    service_officer: str | None = Field(None, alias="enterprise.service_officer.full_name")


@router.get("/periods", response=list[PeriodOut], summary="调度期（按权限范围）")
def period_list(request):
    return list(selectors.period_list(user=request.user)[:200])


@router.get("/periods/{period_id}/figures", response=PeriodFiguresOut,
            summary="复工率、返岗率、产能恢复率：按园区（by=park）或行业（by=industry），逐日")  # fmt: skip
def period_figures(request, period_id: PathId, day: Day | None = None, by: str = "park"):
    if not selectors.can_see_figures(request.user):
        raise DomainError(DispatchError.NOT_ALLOWED, "调度统计由管委会、部门和园区查看")
    if by not in selectors.GROUPS:
        raise DomainError(DispatchError.INVALID, "分组只能是 park（园区）或 industry（行业）", field="by")
    figures = selectors.period_figures(user=request.user, period=_period(request, period_id), group=by, day=day)
    figures["groups"] = [{"name": str(g["name"]), "figures": g["figures"]} for g in figures["groups"]]
    return figures


@router.get("/periods/{period_id}/reports", response=list[ReportOut], summary="某日报送（企业只见本企业）")
def report_list(request, period_id: PathId, day: Day | None = None):
    period = _period(request, period_id)
    return list(selectors.reports_of_day(user=request.user, period=period, day=day or timezone.localdate()))


@router.get("/periods/{period_id}/missing", response=list[MissingOut], summary="截止时间未报送的企业")
def missing_list(request, period_id: PathId, day: Day | None = None):
    if not selectors.can_see_figures(request.user):
        raise DomainError(DispatchError.NOT_ALLOWED, "未报送名单由管委会、部门和园区查看")
    period = _period(request, period_id)
    return list(selectors.targets_not_reported(user=request.user, period=period, day=day or timezone.localdate()))


@router.post("/periods/{period_id}/reports", response={201: ReportOut},
             summary="报送今日调度（同一天再报即更正；可同时把困难和问题登记为诉求）")  # fmt: skip
def report_submit(request, period_id: PathId, payload: ReportIn):
    period = _period(request, period_id)
    firm_id = payload.enterprise_id or request.user.enterprise_id
    enterprise = selectors.enterprises_reportable_by(request.user).filter(pk=firm_id or 0).first()
    if enterprise is None:
        raise DomainError(DispatchError.NOT_VISIBLE, "无权为该企业报送", field="enterprise_id")
    category = None
    if payload.case_category_id:
        category = categories_raisable_by_hand().filter(pk=payload.case_category_id).first()
        if category is None:
            raise DomainError(DispatchError.INVALID, "没有这个诉求类别", field="case_category_id")
    values = payload.dict(exclude={"enterprise_id", "case_category_id"})
    report = services.report_submit(by=request.user, period=period, enterprise=enterprise, values=values,
                                    case_category=category)  # fmt: skip
    return Status(
        201, selectors.reports_visible_to(request.user).select_related("enterprise", "case").get(pk=report.pk)
    )
