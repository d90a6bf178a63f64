from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhuqi.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Gateway, MonitoringPoint, Outage


class GatewayChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.enterprise.name} · {obj.name}（{obj.mqtt_username}）"


class MonitoringPointForm(forms.ModelForm):
    """The gateway is chosen among those in use, each named with its firm; the model's clean() refuses another
    firm's gateway."""

    gateway = GatewayChoice(
        queryset=Gateway.objects.filter(revoked_at__isnull=True).select_related("enterprise").order_by(
            "enterprise__name", "name"
        ),
        required=False,
        label=MonitoringPoint._meta.get_field("gateway").verbose_name,
        help_text=_("The gateway that sends this point's readings: when all of a gateway's points fall silent it is "
                    "one outage told to the firm, not an offline alarm per point."),
    )  # fmt: skip

    class Meta:
        model = MonitoringPoint
        fields = ["enterprise", "gateway", "code", "name", "quantity", "unit", "low_limit", "high_limit",
                  "high_high_limit", "dead_band", "min_duration_seconds", "offline_after_seconds", "is_active"]  # fmt: skip


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(AuditedAdmin):
    """Configuring a sensor: which enterprise it belongs to (by name), what it measures, its limits. The readings,
    the point's state and the alarms are the enterprise's data and are not shown here (docs/security.md)."""

    form = MonitoringPointForm
    list_display = ["enterprise", "code", "name", "gateway", "quantity", "unit", "low_limit", "high_limit",
                    "high_high_limit"]  # fmt: skip
    list_filter = ["quantity", "is_active"]
    list_select_related = ["enterprise", "gateway"]
    search_fields = ["code", "name", "gateway__name"]
    autocomplete_fields = ["enterprise"]


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

    list_display = ["scope", "enterprise", "gateway", "started_at", "last_reading_at", "points", "ended_at", "case"]
    list_filter = ["scope", "ended_at"]
    list_select_related = ["enterprise", "gateway", "case"]
    search_fields = ["enterprise__name"]
