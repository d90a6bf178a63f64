from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "zhuqi.monitoring"
    verbose_name = _("Risk monitoring and early warning")

    def ready(self):
        from zhuqi.cases.models import Source
        from zhuqi.cases.workflow import COMMON, COMMON_TURNS, LOOP, LOOP_TURNS, case_kind_register
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import tasks
        from .models import ALARM_KIND, TIMELINE_KIND
        from .selectors import (
            alarms_visible_to,
            cockpit_alarms,
            counted_facts,
            enterprise_monitoring_panel,
            has_points,
            latest_by_firm,
            outages_visible_to,
        )

        # an alarm escalated to a case follows the coordinator's loop
        case_kind_register(ALARM_KIND, _("Monitoring alarm"), transitions=[*LOOP, *COMMON],
                           turns=[*LOOP_TURNS, *COMMON_TURNS], raised_by={Source.MONITORING})  # fmt: skip
        registry.scope_register("alarms", visible_to=alarms_visible_to)
        registry.scope_register("outages", visible_to=outages_visible_to)
        registry.selector_register("enterprise.monitoring", enterprise_monitoring_panel)
        registry.counted_facts_register("monitoring", counted_facts, codes=["alarms_in_period"])
        from . import assessment

        registry.selector_register("assessment.figures.monitoring", assessment.assessment_figures)
        registry.selector_register("assessment.records.monitoring", assessment.assessment_records)
        registry.selector_register("monitoring.latest_by_firm", latest_by_firm)
        registry.selector_register("cockpit.monitoring", cockpit_alarms)
        registry.timeline_kind_register(TIMELINE_KIND, _("Monitoring alarm"), key="alarm", visible_to=alarms_visible_to)
        registry.periodic_task_register(tasks.alarms_sweep, minutes=1)
        registry.periodic_task_register(tasks.housekeeping, minutes=5)
        registry.urls_register("monitoring/", "zhuqi.monitoring.urls", order=60)
        registry.api_router_register("/monitoring", "zhuqi.api.monitoring.router", order=60)
        registry.demo_loader_register("monitoring", "zhuqi.monitoring.demo.load_demo_monitoring",
                                      summary="监测点 {} 个", order=40)  # fmt: skip
        registry.nav_register("monitoring.enterprise", _("Live monitoring"), "monitoring-overview", order=50, area="safety",
                              roles={Role.ENTERPRISE_CONTACT}, visible=has_points, icon="activity")  # fmt: skip
        registry.nav_register("monitoring", _("Live monitoring"), "monitoring-overview", order=65, area="safety",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}, icon="activity")  # fmt: skip
