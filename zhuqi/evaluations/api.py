"""The evaluations through the API, read from the same selectors and scopes as the pages: the lists a user may see,
a list's scores, one firm's sheet item by item, and the zone's index of a year."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Path, Router, Schema

from . import selectors

router = Router(tags=["evaluations 企业评价"])

PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Year = Annotated[int, Path(ge=2000, le=2100)]


class RunOut(Schema):
    id: int
    park: str = Field(..., alias="park.name")
    year: int
    status: str
    method: str = Field(..., alias="method.name")
    method_version: int = Field(..., alias="method.version")


class ScoreOut(Schema):
    id: int
    enterprise: str = Field(..., alias="enterprise.name")
    total: Decimal | None
    grade: str
    excluded: str
    rank: int | None


class LineOut(Schema):
    code: str
    name: str
    value: float | int | bool | None
    points: Decimal
    weight: Decimal
    source: str


class SheetOut(Schema):
    id: int
    enterprise: str
    total: Decimal | None
    grade: str
    excluded: str
    rank: int | None
    year: int
    lines: list[LineOut]


class IndexLineOut(Schema):
    code: str
    name: str
    group: str
    value: Decimal | None
    points: Decimal
    lost: Decimal
    weight: Decimal


class IndexOut(Schema):
    year: int
    total: Decimal
    rank: int | None
    weights_assumed: bool
    indicators: list[IndexLineOut]


@router.get("/runs", response=list[RunOut], summary="我可见的年度评价")
def run_list(request):
    return list(selectors.runs_visible_to(request.user).distinct().order_by("-year", "park__name")[:200])


@router.get("/runs/{run_id}/scores", response=list[ScoreOut], summary="评价名单")
def run_scores(request, run_id: PathId):
    return list(selectors.run_list(selectors.run_get_for_user(request.user, run_id)))


@router.get("/scores/{score_id}", response=SheetOut, summary="企业评价表（逐项得分及来源）")
def score_sheet(request, score_id: PathId):
    score = selectors.score_get_for_user(request.user, score_id)
    return {"id": score.pk, "enterprise": score.enterprise.name, "total": score.total, "grade": score.grade,
            "excluded": score.excluded, "rank": score.rank, "year": score.run.year,
            "lines": selectors.score_lines(score)}  # fmt: skip


@router.get("/index/{year}", response={200: IndexOut, 404: dict}, summary="国家高新区综合评价指数测算")
def index_of_year(request, year: Year):
    from django.core.exceptions import PermissionDenied

    if not selectors.can_see_index(request.user):
        raise PermissionDenied
    result = selectors.index_of_year(year)
    if result is None:
        return 404, {"detail": "本年度尚无数据"}
    return {"year": year, "total": result["total"], "rank": result["rank"],
            "weights_assumed": result["system"].weights_assumed, "indicators": result["indicators"]}  # fmt: skip
