from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "zhuqi.grids"
    verbose_name = _("Grid governance")

    def ready(self):
        from django.core import checks

        from zhuqi.cases.models import Source
        from zhuqi.cases.workflow import COMMON, COMMON_TURNS, LOOP, LOOP_TURNS, case_kind_register
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors, workbench
        from .basemap import check_basemap
        from .models import INCIDENT_KIND

        checks.register(check_basemap)

        # incidents reported on patrol follow the coordinator's loop
        case_kind_register(INCIDENT_KIND, _("Grid incident"), transitions=[*LOOP, *COMMON],
                           turns=[*LOOP_TURNS, *COMMON_TURNS], raised_by={Source.PATROL})  # fmt: skip
        registry.urls_register("grids/", "zhuqi.grids.urls", order=40)
        registry.selector_register("cockpit.grids", selectors.cockpit_map)
        registry.demo_loader_register("grids", "zhuqi.grids.demo.load_demo_patrols", summary="网格巡查 {} 次", order=25)
        registry.workbench_card_register("grids.actions", template="grids/workbench_actions.html",
                                         context=workbench.actions, order=10, roles={Role.GRID_MEMBER})  # fmt: skip
        registry.nav_register("grids.patrol", _("Grid patrol"), "grid-home", order=30, area="grid",
                              roles={Role.GRID_MEMBER}, icon="signpost-split")  # fmt: skip
        registry.nav_register("grids.map", _("Grid map"), "grid-map", order=40, area="grid",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER}, icon="map")  # fmt: skip
