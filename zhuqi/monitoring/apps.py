from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "zhuqi.monitoring"
    verbose_name = _("Risk monitoring and early warning")

    def ready(self):
        from zhuqi.enterprises.models import TimelineKind
        from zhuqi.enterprises.selectors import timeline_scope_register

        from .selectors import alarms_visible_to

        timeline_scope_register(TimelineKind.ALARM, key="alarm", visible_to=alarms_visible_to)
