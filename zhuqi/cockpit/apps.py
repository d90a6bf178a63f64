from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """驾驶舱: the zone at a glance for its leaders, on a wall screen or a phone; every figure read from the modules
    through their registered selectors (`cockpit.<module>`, `policies.figures`, `assessments.progress`)."""

    name = "zhuqi.cockpit"
    verbose_name = _("Cockpit")

    def ready(self):
        from zhuqi.core import registry

        from .selectors import READERS

        registry.urls_register("cockpit/", "zhuqi.cockpit.urls", order=95)
        registry.nav_register("cockpit", _("Cockpit"), "cockpit", order=50, area="statistics", roles=READERS,
                              icon="display")  # fmt: skip
