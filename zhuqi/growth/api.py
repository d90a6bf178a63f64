"""The growth pipeline through the API (registered under /api/growth), read from the same selectors and scopes as
the pages: a firm's standing against the 科技型中小企业 and 高新技术企业 criteria with its gaps nearest first, its
stages and the policies its next stage would open (a firm sees only itself), and the cultivation pool."""

import datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhuqi.core.api_types import PathId
from zhuqi.core.errors import DomainError

from . import selectors
from .services import GrowthError

router = Router(tags=["growth 梯度培育"])


class ConditionOut(Schema):
    code: str
    name: str
    verdict: str  # true / false / unknown
    explanation: str
    distance: float | None  # how far short, as a share of the bar; null when it cannot be decided
    need: str
    missing: list[str]


class StageOut(Schema):
    kind: str
    label: str
    number: str
    granted_on: datetime.date
    valid_until: datetime.date | None


class PolicyOut(Schema):
    id: int
    title: str
    benefit: str


class NextStageOut(Schema):
    kind: str
    label: str
    policies: list[PolicyOut]


class StandingOut(Schema):
    enterprise_id: int
    name: str
    year: int
    tech_sme: str
    high_tech: str
    sme_score: int | None
    conditions_met: int
    conditions: list[ConditionOut]
    gaps: list[ConditionOut]
    sme_conditions: list[ConditionOut]
    projection: str
    projection_text: str
    stages: list[StageOut]
    next_stage: NextStageOut | None


class PoolRowOut(Schema):
    enterprise_id: int
    name: str
    park: str
    tech_sme: str
    high_tech: str
    sme_score: int | None
    conditions_met: int
    nearest: float | None
    gaps: list[str]


class PoolFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    sort: Literal["nearest", "met", "score", "park", "name"] = "nearest"
    scope: Literal["pool", "all"] = "pool"


def _condition(c) -> dict:
    return {"code": c.code, "name": c.name, "verdict": str(c.verdict), "explanation": c.explanation,
            "distance": c.distance, "need": c.need, "missing": [str(m) for m in c.missing]}  # fmt: skip


def _year(year: int | None) -> int:
    default = selectors.data_year(timezone.localdate())
    return year if year and 2000 <= year <= default + 1 else default


def _standing(enterprise, year: int) -> dict:
    today = timezone.localdate()
    standing = selectors.standing_of(enterprise=enterprise, year=year)
    held = selectors.stage_counts_of(enterprise=enterprise, on=today)
    return {
        "enterprise_id": enterprise.pk, "name": enterprise.name, "year": year, "tech_sme": str(standing.sme),
        "high_tech": str(standing.high_tech), "sme_score": standing.sme_score, "conditions_met": standing.met,
        "conditions": [_condition(c) for c in standing.conditions], "gaps": [_condition(c) for c in standing.gaps],
        "sme_conditions": [_condition(c) for c in standing.sme_conditions], "projection": str(standing.projection),
        "projection_text": standing.projection_text,
        "stages": [{"kind": s.kind, "label": str(s.get_kind_display()), "number": s.number, "granted_on": s.granted_on,
                    "valid_until": s.valid_until} for s in held],
        "next_stage": selectors.next_stage_policies(held=[s.kind for s in held], on=today),
    }  # fmt: skip


@router.get(
    "/standing", response=StandingOut, summary="本企业的培育评价：科技型中小企业与高企条件、差距、下一阶段可享政策"
)
def own_standing(request, year: int | None = Query(None, ge=2000, le=2100)):
    if not selectors.can_see_own_standing(request.user):
        raise DomainError(GrowthError.NOT_ALLOWED, _("Only a firm's own account sees its standing here"))
    return _standing(selectors.enterprise_for_growth(user=request.user, pk=request.user.enterprise_id), _year(year))


@router.get("/firms/{enterprise_id}/standing", response=StandingOut, summary="企业的培育评价与差距（企业只能看本企业）")
def firm_standing(request, enterprise_id: PathId, year: int | None = Query(None, ge=2000, le=2100)):
    own = selectors.can_see_own_standing(request.user) and request.user.enterprise_id == enterprise_id
    if not (selectors.can_see_pipeline(request.user) or own):
        raise Http404
    try:
        enterprise = selectors.enterprise_for_growth(user=request.user, pk=enterprise_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    return _standing(enterprise, _year(year))


@router.get("/pool", response=list[PoolRowOut], summary="后备培育库：各企业对照高企条件的差距（可排序）")
def pool(request, filters: Query[PoolFilter]):
    if not selectors.can_see_pipeline(request.user):
        raise DomainError(GrowthError.NOT_ALLOWED, _("You may not see the cultivation pool"))
    rows = selectors.pool_board(user=request.user, year=_year(filters.year), sort=filters.sort, scope=filters.scope)
    return [{"enterprise_id": r["enterprise"].pk, "name": r["enterprise"].name,
             "park": r["enterprise"].park.name if r["enterprise"].park_id else "", "tech_sme": str(r["standing"].sme),
             "high_tech": str(r["standing"].high_tech), "sme_score": r["standing"].sme_score,
             "conditions_met": r["standing"].met, "nearest": r["standing"].nearest,
             "gaps": [c.name for c in r["standing"].gaps]} for r in rows]  # fmt: skip
