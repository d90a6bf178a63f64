from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend_sends(app_configs, **kwargs):
    """Production must not start with an SMS backend that only logs: alarms and overdue notices would reach nobody."""
    if getattr(settings, "ZHUQI_SMS_STAND_IN_ALLOWED", True):
        return []
    path = settings.ZHUQI_SMS_BACKEND
    try:
        backend = import_string(path)
    except ImportError:
        return [
            Error(
                f"短信网关类 {path} 无法导入，请检查环境变量 ZHUQI_SMS_BACKEND。 / "
                f"The SMS backend {path} cannot be imported: check ZHUQI_SMS_BACKEND.",
                id="zhuqi.E101",
            )
        ]
    errors = []
    if not getattr(backend, "sends", True):
        errors.append(
            Error(
                f"生产环境不能使用只记日志、不发送的短信后端 {path}：请设置环境变量 ZHUQI_SMS_BACKEND 为短信网关类"
                "（如 zhuqi.notifications.sms.HttpSMSBackend 并设置 ZHUQI_SMS_GATEWAY_URL）。 / "
                f"Production cannot use {path}, which sends nothing: set ZHUQI_SMS_BACKEND to the SMS gateway's "
                "backend (e.g. zhuqi.notifications.sms.HttpSMSBackend with ZHUQI_SMS_GATEWAY_URL).",
                id="zhuqi.E102",
            )
        )
    elif path.endswith(".HttpSMSBackend") and not settings.ZHUQI_SMS_GATEWAY_URL.startswith(("https://", "http://")):
        errors.append(
            Error(
                "HttpSMSBackend 需要短信网关地址：请设置环境变量 ZHUQI_SMS_GATEWAY_URL。 / "
                "HttpSMSBackend needs the gateway's address: set ZHUQI_SMS_GATEWAY_URL.",
                id="zhuqi.E103",
            )
        )
    return errors
