from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "zhuqi.reporting"
    verbose_name = _("Statistics reporting")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import assessment, selectors, services, tasks

        registry.scope_register("returns", visible_to=selectors.returns_visible_to)
        # what another module asks of the forms: the figures its firms lack, requested with the form that has them
        registry.selector_register("reporting.data_request_form", services.data_request_form)
        registry.selector_register("reporting.data_request", services.data_request)
        registry.selector_register("assessment.figures.reporting", assessment.assessment_figures)
        registry.selector_register("assessment.records.reporting", assessment.assessment_records)
        registry.periodic_task_register(tasks.returns_remind, minutes=24 * 60)
        registry.workbench_card_register("reporting.returns", template="reporting/card.html",
                                         context=selectors.return_card, order=60)  # fmt: skip
        registry.urls_register("reporting/", "zhuqi.reporting.urls", order=60)
        registry.api_router_register("/reporting", "zhuqi.reporting.api.router", order=60)
        registry.demo_loader_register("reporting", "zhuqi.reporting.demo.load_demo_returns",
                                      summary="火炬统计报表 {} 份", order=40)  # fmt: skip
        registry.nav_register("reporting.returns", _("My returns"), "return-list", order=50, area="statistics",
                              roles={Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.nav_register("reporting.campaigns", _("Statistics campaigns"), "stats-campaign-list", order=70,
                              area="statistics", roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER,
                                                        Role.PARK_OFFICER})  # fmt: skip
