from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhuqi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from zhuqi.core import scopes
        from zhuqi.core.deletion import deletion_hooks_register
        from zhuqi.enterprises.models import TimelineKind
        from zhuqi.enterprises.selectors import timeline_scope_register

        from .figures import case_deleted, case_restored
        from .models import Case

        timeline_scope_register(TimelineKind.CASE, key="case", visible_to=scopes.cases_visible_to)
        deletion_hooks_register(Case, deleted=case_deleted, restored=case_restored)
