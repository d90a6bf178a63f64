from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Gateway, MonitoringPoint, Outage


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(AuditedAdmin):
    """Configuring a sensor: which enterprise it belongs to (by name), what it measures, its limits. The readings,
    the point's state and the alarms are the enterprise's data and are not shown here (docs/security.md)."""

    list_display = ["enterprise", "code", "name", "quantity", "unit", "low_limit", "high_limit", "high_high_limit"]
    list_filter = ["quantity", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["enterprise"]
    exclude = ["state", "last_value", "last_at", "pending_level", "pending_since"]


@admin.register(Gateway)
class GatewayAdmin(ReadOnlyAdmin):
    """Read-only: gateways are made and revoked through monitoring.gateways (manage.py gateway), which audits it
    and shows the token once."""

    list_display = ["name", "enterprise", "mqtt_username", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "name"]
    exclude = ["token_hash", "mqtt_password_hash"]


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    """停报: the ingestion or a firm's gateway silent, opened and ended by the alarm sweep (monitoring.outages)."""

    list_display = ["scope", "enterprise", "started_at", "last_reading_at", "points", "ended_at"]
    list_filter = ["scope", "ended_at"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name"]
