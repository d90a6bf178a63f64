from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "zhuqi.evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors
        from .models import TIMELINE_KIND

        registry.scope_register("evaluations.runs", visible_to=selectors.runs_visible_to)
        registry.scope_register("evaluations.scores", visible_to=selectors.scores_visible_to)
        registry.timeline_kind_register(TIMELINE_KIND, _("Yearly evaluation"), key="evaluation_score",
                                        visible_to=selectors.scores_visible_to)  # fmt: skip
        registry.counted_facts_register("evaluations", selectors.counted_grades, codes=["evaluation_grade"])
        registry.selector_register("evaluations.brief_sentences", selectors.brief_sentences)
        registry.urls_register("evaluations/", "zhuqi.evaluations.urls", order=80)
        registry.api_router_register("/evaluations", "zhuqi.evaluations.api.router", order=80)
        # after the modules whose records its method reads (growth's certificates, pollution's checks at 60)
        registry.demo_loader_register("evaluations", "zhuqi.evaluations.demo.load_demo_evaluations",
                                      summary="企业绩效评价 {} 家", order=70)  # fmt: skip
        registry.nav_register("evaluations.runs", _("Yearly evaluation"), "evaluation-run-list", order=80,
                              area="assessment", icon="award",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER,
                                     Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.nav_register("evaluations.index", _("National zone index"), "evaluation-index", order=85,
                              area="assessment", icon="graph-up",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER})  # fmt: skip
