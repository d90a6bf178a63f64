from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Alarm, Gateway, MonitoringPoint


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(AuditedAdmin):
    list_display = [
        "enterprise",
        "code",
        "name",
        "quantity",
        "unit",
        "low_limit",
        "high_limit",
        "high_high_limit",
        "state",
    ]
    list_filter = ["quantity", "state", "is_active"]
    search_fields = ["enterprise__name", "code", "name"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["state", "last_value", "last_at", "pending_level", "pending_since"]


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    """Read-only: alarms are raised by the readings and handled on the monitoring pages."""

    list_display = ["point", "enterprise", "level", "status", "triggered_at", "case"]
    list_filter = ["level", "status"]
    list_select_related = ["point", "enterprise", "case"]
    date_hierarchy = "triggered_at"


@admin.register(Gateway)
class GatewayAdmin(ReadOnlyAdmin):
    """Read-only: gateways are made and revoked through monitoring.gateways (manage.py gateway), which audits it
    and shows the token once."""

    list_display = ["name", "enterprise", "mqtt_username", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "name"]
    exclude = ["token_hash", "mqtt_password_hash"]
