from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhuqi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from zhuqi.core import registry, scopes
        from zhuqi.org.models import Role

        from . import scopes as case_scopes
        from . import selectors, services, tasks, workbench
        from .figures import case_deleted, case_restored
        from .models import TIMELINE_KIND, Case
        from .workflow import COMMON, COMMON_TURNS, LOOP, LOOP_TURNS, Kind, case_kind_register

        # the enterprises' demands: the coordinator's loop (grids, monitoring and inspections register their kinds)
        case_kind_register(Kind.DEMAND, Kind.DEMAND.label, transitions=[*LOOP, *COMMON],
                           turns=[*LOOP_TURNS, *COMMON_TURNS])  # fmt: skip
        registry.scope_register("cases.visible", visible_to=case_scopes.cases_seen_by)
        registry.timeline_kind_register(TIMELINE_KIND, _("Demand or problem"), key="case",
                                        visible_to=scopes.cases_visible_to)  # fmt: skip
        registry.deletable_register("case", Case, _("Case"), deleted=case_deleted, restored=case_restored)
        registry.deletion_guard_register("enterprise", services.enterprise_open_cases)
        registry.counted_facts_register("cases", selectors.counted_facts, codes=["cases_closed_in_period"])
        from . import assessment

        registry.selector_register("assessment.figures.cases", assessment.assessment_figures)
        registry.selector_register("assessment.records.cases", assessment.assessment_records)
        registry.selector_register("brief.figures.cases", selectors.brief_figures)
        registry.selector_register("cockpit.cases", selectors.cockpit_figures)
        registry.periodic_task_register(tasks.reminders_send, minutes=5)
        registry.urls_register("cases/", "zhuqi.cases.urls", order=20)
        registry.urls_register("q/", "zhuqi.cases.board_urls", order=21)
        registry.api_router_register("/cases", "zhuqi.api.cases.router", order=20)
        registry.demo_loader_register("cases", "zhuqi.cases.demo.load_demo_cases", summary="诉求和问题 {} 件", order=20)
        registry.demo_loader_register("cases.seed_figures", "zhuqi.cases.demo.load_demo_seed_figures",
                                      summary="简报所报走访和调查诉求 {} 件", order=42)  # fmt: skip
        registry.workbench_card_register("cases.queue", template="cases/workbench_queue.html", context=workbench.queue,
                                         order=10)  # fmt: skip
        registry.workbench_card_register("cases.recent", template="cases/workbench_recent.html",
                                         context=workbench.recent, order=60, roles={Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.nav_register("cases.mine", _("Our demands"), "case-list", order=20, area="service",
                              roles={Role.ENTERPRISE_CONTACT}, icon="chat-left-text")  # fmt: skip
        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.GRID_MEMBER}
        registry.nav_register("cases", _("Demands and problems"), "case-list", order=50, area="service",
                              roles=staff, icon="chat-left-text")  # fmt: skip
        registry.nav_register("cases.figures", _("Figures"), "case-figures", order=55, area="statistics",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}, icon="bar-chart-line")  # fmt: skip
