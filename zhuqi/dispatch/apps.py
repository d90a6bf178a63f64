from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "zhuqi.dispatch"
    verbose_name = _("Daily dispatch")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors, tasks, workbench
        from .models import TIMELINE_KIND

        registry.scope_register("dispatch.reports", visible_to=selectors.reports_visible_to)
        registry.scope_register("dispatch.periods", visible_to=selectors.periods_visible_to)
        registry.timeline_kind_register(TIMELINE_KIND, _("Daily dispatch report"), key="dispatch_report",
                                        visible_to=selectors.reports_visible_to)  # fmt: skip
        registry.selector_register("cockpit.dispatch", selectors.cockpit_dispatch)
        registry.periodic_task_register(tasks.reminders_send, minutes=5)
        registry.workbench_card_register("dispatch", template="dispatch/workbench_card.html", context=workbench.card,
                                         order=5, roles={Role.ZONE_COORDINATOR, Role.PARK_OFFICER,
                                                         Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.urls_register("dispatch/", "zhuqi.dispatch.urls", order=70)
        registry.api_router_register("/dispatch", "zhuqi.dispatch.api.router", order=70)
        registry.demo_loader_register("dispatch", "zhuqi.dispatch.demo.load_demo_dispatch",
                                      summary="每日调度报送 {} 份", order=50)  # fmt: skip
        registry.nav_register("dispatch.enterprise", _("Daily dispatch"), "dispatch-list", order=35, area="service",
                              roles={Role.ENTERPRISE_CONTACT}, icon="calendar-check")  # fmt: skip
        registry.nav_register("dispatch", _("Daily dispatch"), "dispatch-list", order=58, area="statistics",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER},
                              icon="calendar-check")  # fmt: skip
