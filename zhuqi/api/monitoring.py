import datetime
import math

from ninja import Field, Router, Schema
from pydantic import field_validator

from zhuqi.core import scopes
from zhuqi.core.errors import DomainError
from zhuqi.monitoring.models import MonitoringPoint
from zhuqi.monitoring.services import AlarmError, readings_store

router = Router(tags=["monitoring 监测预警"])


class ReadingIn(Schema):
    enterprise: str = Field(..., min_length=18, max_length=18, description="统一社会信用代码")
    point: str = Field(..., min_length=1, max_length=40, description="监测点编码")
    t: datetime.datetime = Field(..., description="ISO 8601, with a zone")
    v: float

    @field_validator("t")
    @classmethod
    def zoned(cls, value):
        if value.tzinfo is None:
            raise ValueError("时间须带时区（ISO 8601）")
        return value

    @field_validator("v")
    @classmethod
    def finite(cls, value):
        if not math.isfinite(value):
            raise ValueError("数值须为有限数")
        return value


class BatchIn(Schema):
    readings: list[ReadingIn] = Field(..., max_length=5000)


class BatchOut(Schema):
    received: int
    stored: int
    duplicates: int
    late: int
    unknown_points: int
    alarms: int


@router.post("/readings", response=BatchOut, summary="批量上报监测读数（同一监测点同一时间只记一次）")
def readings_post(request, payload: BatchIn):
    visible = scopes.enterprises_visible_to(request.user)
    if request.user.role not in ("zone_coordinator", "department_handler", "enterprise_contact"):
        raise DomainError(AlarmError.NOT_ALLOWED, "您无权上报监测数据")
    wanted = {(r.enterprise, r.point) for r in payload.readings}
    known = {
        (firm, code): pk
        for firm, code, pk in MonitoringPoint.objects.filter(
            enterprise__in=visible, enterprise__credit_code__in={w[0] for w in wanted}, is_active=True
        ).values_list("enterprise__credit_code", "code", "pk")
    }
    rows = [(known[(r.enterprise, r.point)], r.t, r.v) for r in payload.readings if (r.enterprise, r.point) in known]
    result = readings_store(rows)
    return {
        "received": len(payload.readings),
        "stored": result.stored,
        "duplicates": result.duplicates,
        "late": result.late,
        "unknown_points": len(payload.readings) - len(rows),
        "alarms": len({a.pk for a in result.alarms}),
    }
