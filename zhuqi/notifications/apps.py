from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhuqi.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import checks  # noqa: F401  (registers the production check of the SMS backend)
