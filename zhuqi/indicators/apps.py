from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "zhuqi.indicators"
    verbose_name = _("Indicators and rules")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.org.models import Role

        from . import selectors

        registry.scope_register("indicator_values", visible_to=selectors.indicator_values_visible_to)
        registry.selector_register("indicators.values", selectors.indicator_values)
        registry.selector_register("indicators.values_of", selectors.indicator_values_of)
        registry.selector_register("indicators.facts_of", selectors.facts_of)
        registry.selector_register("rules.evaluate", selectors.rules_evaluate)
        registry.demo_loader_register("indicators", "zhuqi.indicators.demo.load_demo_indicators",
                                      summary="研发投入强度计算值 {} 项", order=45)  # fmt: skip
        registry.urls_register("indicators/", "zhuqi.indicators.urls", order=65)
        registry.nav_register("indicators.rules", _("Rules"), "ruleset-list", order=80, area="statistics",
                              roles={Role.ZONE_COORDINATOR, Role.SYSTEM_ADMIN}, icon="check2-square")  # fmt: skip
