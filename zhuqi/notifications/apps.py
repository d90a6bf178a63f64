from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhuqi.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from zhuqi.core import registry

        registry.urls_register("inbox/", "zhuqi.notifications.urls", order=30)
