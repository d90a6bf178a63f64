from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "zhuqi.inspections"
    verbose_name = _("Inspections and hazards")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import hazards, selectors, services
        from .models import TIMELINE_KIND, Inspection, ResponsibleOfficial

        hazards.register()
        registry.scope_register("inspections", visible_to=selectors.inspections_visible_to)
        registry.timeline_kind_register(TIMELINE_KIND, _("Inspection"), key="inspection",
                                        visible_to=selectors.inspections_visible_to)  # fmt: skip
        registry.deletable_register("inspection", Inspection, _("Inspection"), shown_with=["enterprise"])
        registry.personal_data_register(
            "official", model=ResponsibleOfficial, purge=services.officials_anonymise_expired
        )
        registry.selector_register("enterprise.safety", selectors.enterprise_safety_panel)
        from . import assessment

        registry.selector_register("assessment.figures.inspections", assessment.assessment_figures)
        registry.selector_register("assessment.records.inspections", assessment.assessment_records)
        registry.selector_register("case_figures.hazards", selectors.case_figures_panel)
        registry.selector_register("case_detail.hazard", selectors.case_detail_panel)
        registry.counted_facts_register(
            "inspections",
            selectors.counted_facts,
            codes=["open_major_hazards", "overdue_hazards", "major_hazards_in_period"],
        )
        registry.selector_register("brief.figures.inspections", selectors.brief_figures)
        registry.selector_register("brief.subjects.inspections", selectors.brief_subjects)
        registry.urls_register("inspections/", "zhuqi.inspections.urls", order=50)
        registry.demo_loader_register("inspections", "zhuqi.inspections.demo.load_demo_inspections",
                                      summary="安全检查 {} 次", order=30)  # fmt: skip
        registry.nav_register("inspections.enterprise", _("Inspections"), "inspection-list", order=40, area="safety",
                              roles={Role.ENTERPRISE_CONTACT}, icon="clipboard-check")  # fmt: skip
        registry.nav_register("inspections", _("Inspections"), "inspection-list", order=60, area="safety",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}, icon="clipboard-check")  # fmt: skip
