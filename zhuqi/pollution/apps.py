from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollutionConfig(AppConfig):
    """重污染天气应急: grades and reduction lists, alerts, one-click activation, proof of compliance."""

    name = "zhuqi.pollution"
    verbose_name = _("Heavy-pollution weather")

    def ready(self):
        from zhuqi.cases.models import Source
        from zhuqi.cases.workflow import COMMON, COMMON_TURNS, LOOP, LOOP_TURNS, case_kind_register
        from zhuqi.core import registry
        from zhuqi.core.roles import Role

        from . import selectors, tasks, workbench
        from .models import CASE_KIND, TIMELINE_KIND

        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.GRID_MEMBER}
        # a firm found producing beyond its list: a case for the ecology and environment bureau, the usual loop
        case_kind_register(CASE_KIND, _("Emergency reduction not carried out"), transitions=[*LOOP, *COMMON],
                           turns=[*LOOP_TURNS, *COMMON_TURNS], raised_by={Source.INSPECTION, Source.MONITORING})  # fmt: skip
        registry.scope_register("pollution.tasks", visible_to=selectors.tasks_visible_to)
        registry.scope_register("pollution.firms", visible_to=selectors.firms_visible_to)
        registry.scope_register("pollution.alerts", visible_to=selectors.alerts_visible_to)
        registry.timeline_kind_register(TIMELINE_KIND, _("Heavy-pollution alert"), key="pollution_task",
                                        visible_to=selectors.tasks_visible_to)  # fmt: skip
        registry.counted_facts_register(
            "pollution", selectors.counted, codes=["pollution_grade", "pollution_noncompliance_in_period"]
        )
        registry.selector_register("brief.figures.pollution", selectors.brief_figures)
        registry.selector_register("brief.subjects.pollution", selectors.brief_subjects)
        registry.selector_register("cockpit.pollution", selectors.cockpit_alert)
        registry.periodic_task_register(tasks.days_open, minutes=60)
        registry.periodic_task_register(tasks.unconfirmed_remind, minutes=10)
        registry.workbench_card_register("pollution", template="pollution/workbench_card.html", context=workbench.card,
                                         order=4, roles={*staff, Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.urls_register("pollution/", "zhuqi.pollution.urls", order=75)
        registry.api_router_register("/pollution", "zhuqi.pollution.api.router", order=75)
        registry.demo_login_register("huanbao", "重污染天气应急的生态环境局经办")
        registry.demo_login_register("shenma", "列入减排清单的企业")
        registry.demo_loader_register("pollution", "zhuqi.pollution.demo.load_demo_pollution",
                                      summary="重污染天气应急企业 {} 家", order=60)  # fmt: skip
        registry.nav_register("pollution.enterprise", _("Heavy-pollution alerts"), "pollution-index", order=36,
                              area="environment", roles={Role.ENTERPRISE_CONTACT}, visible=selectors.is_listed,
                              icon="cloud-haze2")  # fmt: skip
        registry.nav_register("pollution", _("Heavy-pollution alerts"), "pollution-index", order=66, area="environment",
                              roles=staff, icon="cloud-haze2")  # fmt: skip
