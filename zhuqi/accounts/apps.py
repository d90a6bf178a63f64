from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhuqi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and sessions")

    def ready(self):
        from . import signals  # noqa: F401  (logins, logouts, lockouts and disabling are reachable only as signals)
