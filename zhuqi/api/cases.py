import datetime
import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus
from pydantic import field_validator

from zhuqi.cases import selectors, services
from zhuqi.cases.services import CaseError
from zhuqi.cases.workflow import TRANSITIONS, Source, module_fields
from zhuqi.core import scopes
from zhuqi.core.errors import DomainError
from zhuqi.enterprises import selectors as enterprise_selectors

from .types import Day, Id, Pages, PathId, Workdays
from .versions import etag, if_match_version, stale

router = Router(tags=["诉求与问题 cases"])


class CaseOut(Schema):
    id: int
    number: str | None
    kind: str
    category: str = Field(..., alias="category.name")
    enterprise_id: int | None
    enterprise: str | None = Field(None, alias="enterprise.name")
    description: str
    source: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    priority: str
    lead_department: str | None = Field(None, alias="lead_department.name")
    assigned_on: datetime.date | None
    deadline: datetime.date | None
    flag: str = ""
    workdays_left: int | None = None
    result: str
    rating: str
    rework_count: int
    version: int
    created_at: datetime.datetime


class EventOut(Schema):
    action: str
    actor: str = Field(..., alias="actor.full_name")
    at: datetime.datetime
    from_status: str
    to_status: str
    comment: str
    details: dict


class CaseDetailOut(CaseOut):
    result_text: str
    rating_comment: str
    closed_at: datetime.datetime | None
    closed_on_time: bool | None
    events: list[EventOut] = Field(..., alias="history")
    allowed_actions: list[str]


class CaseQuery(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    category: Id | None = None
    department: Id | None = None
    park: Id | None = None
    enterprise: Id | None = None
    source: str = ""
    campaign: Id | None = None
    flag: str = ""
    figure: str = ""
    date_from: Day | None = None
    date_to: Day | None = None


class CaseIn(Schema):
    category: Id
    description: str = Field(..., min_length=1, max_length=5000)
    enterprise: Id | None = None
    source: Source = Source.ENTERPRISE


class ActionIn(Schema):
    """The engine's actions' fields are named here; a module's action brings its own (workflow.FIELDS), which the
    body carries beside these and the view cleans with the same form fields as the case page."""

    action: str = Field(
        ..., description="办理动作：引擎的或模块登记的（见事项详情的 allowed_actions）",
        json_schema_extra=lambda schema: schema.update(enum=sorted(TRANSITIONS)),  # as registered when it is asked
    )  # fmt: skip
    comment: str = Field("", max_length=2000)
    public: bool = True
    department: Id | None = None
    assisting: list[Id] = Field(default_factory=list)
    deadline_workdays: Workdays | None = None
    days: Workdays | None = None
    approve: bool | None = None
    result: str | None = None
    rating: str | None = None
    master: str | None = Field(None, description="合并到的事项编号")
    reply_workdays: Workdays | None = None

    @field_validator("action")
    @classmethod
    def _registered(cls, value: str) -> str:
        if value not in TRANSITIONS:
            raise ValueError(f"没有“{value}”这一办理动作")
        return value


class FigureRow(Schema):
    id: int | None
    name: str | None
    received: int
    finished: int
    on_time: int
    solved: int
    rated: int
    satisfied: int
    reworked: int
    overdue: int
    finish_rate: float | None
    on_time_rate: float | None
    solve_rate: float | None
    satisfaction_rate: float | None
    rework_rate: float | None
    avg_workdays: float | None


class FiguresOut(Schema):
    group_by: str
    rows: list[FigureRow]
    total: FigureRow


def _detail(request, pk: int):
    [case] = selectors.with_time_left([selectors.case_get_for_user(user=request.user, pk=pk)])
    case.history = list(selectors.case_events_for(user=request.user, case=case))
    case.allowed_actions = [a.value for a in services.actions_available(user=request.user, case=case)]
    return case


@router.get("/", response=list[CaseOut], summary="诉求与问题列表（按权限范围）")
@paginate(Pages, page_size=50)
def case_list(request, filters: Query[CaseQuery]):
    if not scopes.can_browse_cases(request.user):
        raise DomainError(CaseError.NOT_ALLOWED, "无权查看")
    return selectors.case_list(user=request.user, filters=selectors.CaseFilters(**filters.dict()))


@router.get(
    "/figures",
    response=FiguresOut,
    summary="办理指标（受理数、办结率、按期办结率、解决率、满意率、返工率、超期件数、平均办理时长）",
)
def case_figures(request, filters: Query[CaseQuery], group_by: str = "department"):
    if not scopes.can_see_case_figures(request.user):
        raise DomainError(CaseError.NOT_ALLOWED, "无权查看指标")
    return selectors.case_figures(user=request.user, filters=selectors.CaseFilters(**filters.dict()), group_by=group_by)


@router.get("/{case_id}", response=CaseDetailOut, summary="事项详情与办理记录（ETag 为其版本，办理时放入 If-Match）")
def case_detail(request, case_id: PathId, response: HttpResponse):
    case = _detail(request, case_id)
    response.headers["ETag"] = etag(case.version)
    return case


@router.post("/", response={201: CaseDetailOut}, summary="提交诉求 / 登记问题")
def case_raise(request, payload: CaseIn):
    category = selectors.category_get(pk=payload.category)
    if category is None:
        raise DomainError(CaseError.INVALID, "请选择问题类别", field="category")
    enterprise = None
    if request.user.role == "enterprise_contact":
        enterprise = request.user.enterprise
    elif payload.enterprise:
        enterprise = enterprise_selectors.enterprise_get_for_user(user=request.user, pk=payload.enterprise)
    case = services.case_submit(
        by=request.user,
        category=category,
        description=payload.description,
        source=payload.source,
        enterprise=enterprise,
    )
    return HttpStatus(201, _detail(request, case.pk))


@router.post(
    "/{case_id}/actions",
    response=CaseDetailOut,
    summary="办理：交办、受理、退回、延期、挂起、反馈、核查、评价、督办等（须带 If-Match；版本不符返回 412）",
)
def case_act(request, case_id: PathId, payload: ActionIn, response: HttpResponse):
    case = selectors.case_get_for_user(user=request.user, pk=case_id)
    expected_version = if_match_version(request)
    if expected_version != case.version:
        raise stale()
    data = payload.dict(exclude_none=True)
    action, comment, public = data.pop("action"), data.pop("comment", ""), data.pop("public", True)
    fields = module_fields(action, case)
    extra = json.loads(request.body) if fields else {}  # the schema keeps only the names it declares
    for name, field in fields.items():
        try:
            value = field.clean(extra.get(name))
        except ValidationError as error:
            raise DomainError(CaseError.INVALID, f"{field.label}：{'；'.join(error.messages)}", field=name) from error
        if value not in (None, ""):
            data[name] = value
    if not data.get("assisting"):  # the service looks the departments up by id, refusing one that is not there
        data.pop("assisting", None)
    if "master" in data:
        data["master"] = scopes.cases_visible_to(request.user).filter(number=data["master"].strip().upper()).first()
    try:
        services.case_act(
            case=case, action=action, by=request.user, comment=comment, expected_version=expected_version,
            public=public, **data,
        )  # fmt: skip
    except DomainError as error:
        if error.code is CaseError.STALE:  # changed between our check and the service's lock
            raise stale() from error
        raise
    detail = _detail(request, case_id)
    response.headers["ETag"] = etag(detail.version)
    return detail
