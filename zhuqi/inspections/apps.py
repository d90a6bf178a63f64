from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "zhuqi.inspections"
    verbose_name = _("Inspections and hazards")

    def ready(self):
        from zhuqi.enterprises.models import TimelineKind
        from zhuqi.enterprises.selectors import timeline_scope_register

        from .selectors import inspections_visible_to

        timeline_scope_register(TimelineKind.INSPECTION, key="inspection", visible_to=inspections_visible_to)
