import datetime
import math

from ninja import Field, Router, Schema
from ninja.security import APIKeyHeader, HttpBearer, django_auth
from pydantic import field_validator

from zhuqi.core.errors import DomainError
from zhuqi.monitoring.gateways import gateway_for_token, gateway_points, is_gateway
from zhuqi.monitoring.services import AlarmError, readings_store

router = Router(tags=["monitoring 监测预警"])


def _gateway(token: str):
    gateway = gateway_for_token(token)
    if gateway is None:
        raise DomainError(AlarmError.NOT_ALLOWED, "设备令牌无效或已吊销")
    return gateway


class GatewayBearer(HttpBearer):
    def authenticate(self, request, token):
        return _gateway(token)


class GatewayHeader(APIKeyHeader):
    param_name = "X-Gateway-Token"

    def authenticate(self, request, key):
        return _gateway(key) if key else None


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


@router.post(
    "/readings", response=BatchOut, auth=[GatewayBearer(), GatewayHeader(), django_auth],
    summary="采集网关批量上报监测读数（设备令牌：Authorization: Bearer 或 X-Gateway-Token；只收本企业的监测点；同一监测点同一时间只记一次）",
)  # fmt: skip
def readings_post(request, payload: BatchIn):
    gateway = request.auth
    if not is_gateway(gateway):  # a person's session: readings come from the firm's own gateway only
        raise DomainError(AlarmError.NOT_ALLOWED, "监测读数只能由企业的采集网关凭设备令牌上报，人员账号不能上报")
    firm = gateway.enterprise.credit_code
    others = sorted({r.enterprise for r in payload.readings} - {firm})
    if others:
        raise DomainError(
            AlarmError.NOT_ALLOWED, f"该网关只能上报本企业（{firm}）的监测点，不能上报 {'、'.join(others[:5])}",
            field="readings",
        )  # fmt: skip
    known = gateway_points(gateway, {r.point for r in payload.readings})
    rows = [(known[r.point], r.t, r.v) for r in payload.readings if r.point in known]
    result = readings_store(rows)
    return {
        "received": len(payload.readings),
        "stored": result.stored,
        "duplicates": result.duplicates,
        "late": result.late,
        "unknown_points": len(payload.readings) - len(rows),
        "alarms": len({a.pk for a in result.alarms}),
    }
