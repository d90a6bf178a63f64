import datetime

from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zhuqi.core.masking import mask_phone
from zhuqi.core.personal import phones_unmasked_for_api
from zhuqi.enterprises import selectors, services

from .types import Day, Id, Pages, PathId

router = Router(tags=["企业 enterprises"])


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    park: str | None = Field(None, alias="park.name")
    grid: str | None = Field(None, alias="grid.code")
    industry: str
    scale: str
    headcount: int | None
    environmental_grade: str
    service_officer: str | None = Field(None, alias="service_officer.full_name")
    tags: list[str]

    @staticmethod
    def resolve_tags(obj):
        return [t.name for t in obj.tags.all()]


class ContactOut(Schema):
    name: str
    title: str
    phone: str
    is_primary: bool


class QualificationOut(Schema):
    kind: str
    certificate_no: str
    valid_from: datetime.date
    valid_until: datetime.date


class EnterpriseDetailOut(EnterpriseOut):
    address: str
    former_names: list[str]
    contacts: list[ContactOut]
    qualifications: list[QualificationOut]

    @staticmethod
    def resolve_contacts(obj, context):
        request = context["request"]
        full = request.GET.get("unmask") == "true" and phones_unmasked_for_api(user=request.user, enterprise=obj)
        return [
            {
                "name": c.name,
                "title": c.title,
                "phone": c.phone if full else mask_phone(c.phone),
                "is_primary": c.is_primary,
            }
            for c in obj.contacts.all()
        ]


class EnterpriseQuery(FilterSchema):
    q: str = ""
    park: Id | None = None
    grid: Id | None = None
    tag: Id | None = None
    qualification: str = ""
    scale: str = ""
    overdue: bool = False


class VisitOut(Schema):
    id: int
    visited_on: datetime.date
    topics: str
    findings: str
    people_met: str
    officers: list[str]
    problems: list[str]

    @staticmethod
    def resolve_officers(obj):
        return [str(u) for u in obj.officers.all()]

    @staticmethod
    def resolve_problems(obj):
        return [p.description for p in obj.problems.all()]


class VisitIn(Schema):
    visited_on: Day
    topics: str = Field(..., min_length=1, max_length=2000)
    people_met: str = Field("", max_length=200)
    other_officers: str = Field("", max_length=200)
    findings: str = Field("", max_length=4000)
    problems: list[str] = Field(default_factory=list, max_length=50)


@router.get("/", response=list[EnterpriseOut], summary="企业列表（按权限范围）")
@paginate(Pages, page_size=50)
def enterprise_list(request, filters: Query[EnterpriseQuery]):
    return selectors.enterprise_list(user=request.user, filters=selectors.EnterpriseFilters(**filters.dict()))


@router.get(
    "/{enterprise_id}",
    response=EnterpriseDetailOut,
    summary="一企一档（联系人电话默认脱敏；有权者加 unmask=true 取完整号码，记入审计日志）",
)
def enterprise_detail(request, enterprise_id: PathId, unmask: bool = False):  # read by resolve_contacts
    return selectors.enterprise_get_for_user(user=request.user, pk=enterprise_id)


@router.get("/{enterprise_id}/visits", response=list[VisitOut], summary="走访记录")
def visit_list(request, enterprise_id: PathId):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=enterprise_id)
    return list(selectors.enterprise_visits(enterprise=enterprise)[:200])


@router.post("/{enterprise_id}/visits", response={201: VisitOut}, summary="登记走访")
def visit_create(request, enterprise_id: PathId, payload: VisitIn):
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=enterprise_id)
    visit = services.visit_log(enterprise=enterprise, by=request.user, **payload.dict())
    return Status(201, selectors.visit_get_for_user(user=request.user, pk=visit.pk))
