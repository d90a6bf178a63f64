from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """通报与简报: briefs drafted from the platform's figures, edited by the office, issued in the official layout."""

    name = "zhuqi.briefs"
    verbose_name = _("Briefs")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors

        registry.scope_register("briefs", visible_to=selectors.briefs_visible_to)
        registry.urls_register("briefs/", "zhuqi.briefs.urls", order=85)
        # after the assessment, whose month the bulletin reads
        registry.demo_loader_register("briefs", "zhuqi.briefs.demo.load_demo_briefs", summary="简报 {} 份", order=95)
        registry.nav_register("briefs", _("Briefs"), "brief-list", order=90, area="assessment", icon="file-earmark-text",
                              roles={Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER})  # fmt: skip
