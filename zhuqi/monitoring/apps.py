from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "zhuqi.monitoring"
    verbose_name = _("Risk monitoring and early warning")
