from ninja import NinjaAPI
from ninja.security import django_auth

from zhuqi.core import registry
from zhuqi.core.errors import DomainError

# DomainError codes a client can act on, as HTTP statuses
STATUS_OF = {
    "forbidden": 403, "not_allowed": 403, "not_visible": 404, "stale": 409, "wrong_status": 409,
    "precondition_required": 428, "precondition_failed": 412, "busy": 503,
}  # fmt: skip

api = NinjaAPI(
    title="zhuqi 助企 API",
    version="1",
    description="高新区企业服务与治理平台接口。会话登录（与网页相同的账号与权限）。",
    auth=django_auth,
    urls_namespace="api",
)
# each module's router, as registered from its AppConfig.ready() (core.registry.api_router_register)
for prefix, router in registry.api_routers():
    api.add_router(prefix, router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    status = STATUS_OF.get(exc.code.value, 400)
    return api.create_response(
        request, {"code": exc.code.value, "message": exc.message, "field": exc.field}, status=status
    )
