from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """政策: 助企手册, 政策匹配, 免申即享 and the 兑现台账."""

    name = "zhuqi.policies"
    verbose_name = _("Policies")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.core.roles import Role

        from . import applications, selectors, tasks, workbench
        from .models import TIMELINE_KIND

        applications.register()

        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}
        registry.scope_register("policies.matches", visible_to=selectors.matches_visible_to)
        registry.scope_register("policies.grants", visible_to=selectors.grants_visible_to)
        registry.scope_register("policies.payments", visible_to=selectors.payments_visible_to)
        registry.scope_register("policies.applications", visible_to=selectors.applications_visible_to)
        registry.selector_register("case_detail.policy_application", selectors.case_detail_panel)
        registry.timeline_kind_register(TIMELINE_KIND, _("Policy payment"), key="payment",
                                        visible_to=selectors.payments_visible_to)  # fmt: skip
        registry.counted_facts_register(
            "policies",
            selectors.counted_facts,
            codes=["policy_benefits_in_period", "registry_above_scale", "registry_headcount"],
        )
        from . import assessment

        registry.selector_register("assessment.figures.policies", assessment.assessment_figures)
        registry.selector_register("assessment.records.policies", assessment.assessment_records)
        registry.selector_register("policies.figures", selectors.policy_figures)
        registry.selector_register("policies.for_stage", selectors.policies_for_stage)
        registry.periodic_task_register(tasks.matches_refresh_changed, minutes=10)
        registry.periodic_task_register(tasks.matches_refresh_all, minutes=24 * 60)
        registry.workbench_card_register("policies.firm", template="policies/card_firm.html",
                                         context=workbench.firm_card, order=12, roles={Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.urls_register("policies/", "zhuqi.policies.urls", order=75)
        registry.api_router_register("/policies", "zhuqi.policies.api.router", order=78)
        registry.demo_loader_register("policies", "zhuqi.policies.demo.load_demo_policies",
                                      summary="惠企政策 {} 项", order=60)  # fmt: skip
        registry.nav_register("policies.firm", _("Policies for us"), "policy-mine", order=25, area="service",
                              roles={Role.ENTERPRISE_CONTACT}, icon="award")  # fmt: skip
        registry.nav_register("policies", _("Policies"), "policy-list", order=52, area="service", roles=staff,
                              icon="award")  # fmt: skip
        registry.nav_register("policies.figures", _("Policy figures"), "policy-figures", order=57, area="statistics",
                              roles=staff, icon="cash-coin")  # fmt: skip
