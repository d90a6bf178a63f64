from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "zhuqi.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from zhuqi.core import registry, scopes
        from zhuqi.org.models import Role

        from . import scopes as enterprise_scopes
        from . import selectors, services, workbench
        from .models import Contact, Enterprise, TimelineKind

        for kind in TimelineKind:
            registry.timeline_kind_register(kind.value, kind.label)
        registry.scope_register("enterprises.visible", visible_to=enterprise_scopes.enterprises_seen_by,
                                may_see=scopes.can_see_enterprise)  # fmt: skip
        registry.scope_register("enterprises.editable", visible_to=scopes.enterprises_editable_by,
                                may_see=scopes.can_edit_enterprise)  # fmt: skip
        registry.scope_register("enterprises.visitable", visible_to=scopes.enterprises_visitable_by,
                                may_see=scopes.can_log_visit)  # fmt: skip
        registry.scope_register("visits", visible_to=enterprise_scopes.visits_seen_by)
        registry.deletable_register("enterprise", Enterprise, _("Enterprise"))
        registry.personal_data_register("contact", model=Contact, purge=services.contacts_anonymise_expired)
        registry.counted_facts_register(
            "enterprises", selectors.counted_facts, codes=["serious_breach", "years_registered"]
        )
        from . import assessment

        registry.selector_register("assessment.figures.enterprises", assessment.assessment_figures)
        registry.selector_register("assessment.records.enterprises", assessment.assessment_records)
        registry.selector_register("brief.figures.enterprises", selectors.brief_figures)
        registry.urls_register("enterprises/", "zhuqi.enterprises.urls", order=10)
        registry.api_router_register("/enterprises", "zhuqi.api.enterprises.router", order=10)
        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER, Role.GRID_MEMBER}
        registry.workbench_card_register("enterprises", template="enterprises/workbench_card.html",
                                         context=workbench.card, order=50, roles=staff)  # fmt: skip
        registry.nav_register("enterprise-file", _("Our enterprise file"), "enterprise-detail", order=30, area="service",
                              roles={Role.ENTERPRISE_CONTACT}, args=lambda user: [user.enterprise_id], icon="building")  # fmt: skip
        registry.nav_register("enterprises", _("Enterprises"), "enterprise-list", order=20, area="service",
                              roles=staff, icon="building")  # fmt: skip
        registry.nav_register("visit-coverage", _("Visit coverage"), "visit-coverage", order=90, area="statistics",
                              roles={Role.ZONE_COORDINATOR, Role.PARK_OFFICER}, icon="pie-chart")  # fmt: skip
        registry.nav_register("qualifications-expiring", _("Expiring qualifications"), "qualifications-expiring",
                              order=95, area="service", roles=staff, icon="patch-exclamation")  # fmt: skip
