from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "zhuqi.assessments"
    verbose_name = _("Targets and assessment")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors

        registry.scope_register("assessments.targets", visible_to=selectors.targets_visible_to)
        registry.selector_register("assessments.ranking", selectors.ranking)
        registry.selector_register("assessments.unit_scores", selectors.unit_scores)
        registry.selector_register("assessments.progress", selectors.progress)
        registry.selector_register("assessments.may_see_unit", selectors.may_see_unit)
        registry.urls_register("assessments/", "zhuqi.assessments.urls", order=85)
        registry.api_router_register("/assessments", "zhuqi.assessments.api.router", order=85)
        # after every module whose records the scores read
        registry.demo_loader_register("assessments", "zhuqi.assessments.demo.load_demo_assessments",
                                      summary="目标 {} 项", order=90)  # fmt: skip
        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}
        registry.nav_register("assessments.ranking", _("Monthly assessment"), "assessment-ranking", order=70,
                              area="assessment", icon="trophy", roles=staff)  # fmt: skip
        registry.nav_register("assessments.targets", pgettext_lazy("assessment", "Targets"), "assessment-targets", order=75,
                              area="assessment", icon="bullseye", roles=staff)  # fmt: skip
