from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """项目库: investment projects from 谋划 to 达产, their milestones and stalls, and 招商线索."""

    name = "zhuqi.projects"
    verbose_name = _("Investment projects")

    def ready(self):
        from zhuqi.cases.models import Source
        from zhuqi.cases.workflow import COMMON, COMMON_TURNS, LOOP, LOOP_TURNS, case_kind_register
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors
        from .models import PROBLEM_KIND

        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}
        # a project's problem follows the coordinator's loop like a demand
        case_kind_register(PROBLEM_KIND, _("Project problem"), transitions=[*LOOP, *COMMON],
                           turns=[*LOOP_TURNS, *COMMON_TURNS], raised_by={Source.VISIT})  # fmt: skip
        registry.scope_register("projects", visible_to=selectors.projects_visible_to)
        registry.scope_register("projects.leads", visible_to=selectors.leads_visible_to)
        registry.urls_register("projects/", "zhuqi.projects.urls", order=85)
        registry.api_router_register("/projects", "zhuqi.projects.api.router", order=82)
        registry.demo_loader_register("projects", "zhuqi.projects.demo.load_demo_projects",
                                      summary="投资项目 {} 个", order=65)  # fmt: skip
        registry.nav_register("projects", _("Investment projects"), "project-list", order=82, area="growth",
                              roles=staff, icon="kanban")  # fmt: skip
        registry.nav_register("projects.leads", _("Investment leads"), "lead-list", order=83, area="growth",
                              roles=staff, icon="person-lines-fill")  # fmt: skip
