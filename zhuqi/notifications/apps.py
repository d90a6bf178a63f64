from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhuqi.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from zhuqi.core import registry

        from . import checks, outbox, tasks  # noqa: F401  (checks registers the production check of the SMS backend)

        registry.urls_register("inbox/", "zhuqi.notifications.urls", order=30)
        registry.periodic_task_register(tasks.outbox_deliver, minutes=1)
        # the layers below (accounts' password links) write to the outbox without importing it
        registry.selector_register("outbox.write", outbox.outbox_write)
