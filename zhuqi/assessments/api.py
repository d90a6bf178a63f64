"""The assessment through the API, read from the same selectors and scope as the pages: a month's ranking, one
unit's scores (its own unit for a department or park, 404 for another's) and the progress against the targets."""

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Path, Router, Schema

from zhuqi.core.api_types import Day

from . import selectors

router = Router(tags=["assessments 绩效考核"])

Year = Annotated[int, Path(ge=2000, le=2100)]
Month = Annotated[int, Path(ge=1, le=12)]
UnitKey = Annotated[str, Path(max_length=30, pattern=r"^(zone|department:\d{1,18}|park:\d{1,18})$")]


class RankOut(Schema):
    unit_key: str
    unit_name: str
    unit_kind: str
    score: Decimal
    rank: int
    previous_rank: int | None
    movement: int
    frozen: bool
    url: str


class ScoreOut(Schema):
    code: str
    name: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    points: Decimal
    max_points: Decimal
    formula: str
    adjustment: Decimal | None
    reason: str
    records_url: str | None


class ProgressOut(Schema):
    code: str
    name: str
    unit: str
    target: Decimal
    target_to_date: Decimal
    actual: Decimal | None
    percent: Decimal | None
    last_year: Decimal | None
    yoy_percent: Decimal | None
    records_url: str | None


def _allowed(request) -> None:
    if not selectors.can_see_assessment(request.user):
        raise PermissionDenied


@router.get("/ranking/{year}/{month}", response=list[RankOut], summary="月度考核排名")
def ranking(request, year: Year, month: Month):
    _allowed(request)
    return selectors.ranking(year=year, month=month)


@router.get("/units/{unit_key}/{year}/{month}", response=list[ScoreOut], summary="单位月度得分（逐项）")
def unit_scores(request, unit_key: UnitKey, year: Year, month: Month):
    _allowed(request)
    if unit_key == "zone":
        raise Http404
    selectors.unit_get_for_user(request.user, unit_key)
    return selectors.unit_scores(year=year, month=month, unit_key=unit_key)


@router.get("/progress/{unit_key}/{year}", response=list[ProgressOut], summary="目标完成进度")
def progress(request, unit_key: UnitKey, year: Year, on: Day | None = None):
    _allowed(request)
    if unit_key != "zone":
        selectors.unit_get_for_user(request.user, unit_key)
    return selectors.progress(year=year, unit_key=unit_key, on=on)
