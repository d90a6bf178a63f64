from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "zhuqi.grids"
    verbose_name = _("Grid governance")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        registry.urls_register("grids/", "zhuqi.grids.urls", order=40)
        registry.nav_register("grids.patrol", _("Grid patrol"), "grid-home", order=30, roles={Role.GRID_MEMBER})
        registry.nav_register("grids.map", _("Grid map"), "grid-map", order=40,
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER})  # fmt: skip
