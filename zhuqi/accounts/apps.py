from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhuqi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and sessions")

    def ready(self):
        from zhuqi.core import registry

        from . import services, signals, tasks  # noqa: F401  (logins, logouts, lockouts and disabling are reachable only as signals)

        registry.periodic_task_register(tasks.accounts_disable_idle, minutes=60)
        registry.personal_data_register("account", purge=services.accounts_anonymise_expired)
        registry.nav_register("accounts", _("Accounts"), "account-list", order=5, roles={"system_admin"}, icon="people")
