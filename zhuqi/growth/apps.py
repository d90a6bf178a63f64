from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    """培育: firms from 科技型中小企业 to 高新技术企业 — criteria as rules, stages and certificates, the pool, rounds."""

    name = "zhuqi.growth"
    verbose_name = _("Growth pipeline")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors, tasks, workbench
        from .models import FACT_OF_KIND

        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}
        registry.scope_register("growth.stages", visible_to=selectors.stages_visible_to)
        registry.counted_facts_register("growth", selectors.counted_facts, codes=FACT_OF_KIND.values())
        registry.selector_register("cockpit.growth", selectors.cockpit_pipeline)
        registry.periodic_task_register(tasks.growth_remind, minutes=24 * 60)
        registry.workbench_card_register("growth.firm", template="growth/card_firm.html", context=workbench.firm_card,
                                         order=20, roles={Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.urls_register("growth/", "zhuqi.growth.urls", order=80)
        registry.api_router_register("/growth", "zhuqi.growth.api.router", order=80)
        registry.demo_loader_register("growth", "zhuqi.growth.demo.load_demo_growth",
                                      summary="培育阶段与证书 {} 条", order=60)  # fmt: skip
        registry.nav_register("growth.standing", _("My growth standing"), "growth-standing", order=40, area="growth",
                              roles={Role.ENTERPRISE_CONTACT}, icon="graph-up-arrow")  # fmt: skip
        registry.nav_register("growth.pool", _("Cultivation pool"), "growth-pool", order=80, area="growth",
                              roles=staff, icon="graph-up-arrow")  # fmt: skip
        registry.nav_register("growth.funnel", _("Recognition rounds"), "growth-funnel", order=81, area="growth",
                              roles=staff, icon="funnel")  # fmt: skip
