from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """工作提示 · 预警信息 · 宣教培训: notices, forwarded warnings and training sessions that reach the firms."""

    name = "zhuqi.notices"
    verbose_name = _("Notices and training")

    def ready(self):
        from zhuqi.core import registry
        from zhuqi.core.roles import Role

        from . import selectors, tasks, training, workbench
        from .models import NOTICE_TIMELINE_KIND, TRAINING_TIMELINE_KIND

        staff = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}
        registry.scope_register("notices", visible_to=selectors.notices_visible_to)
        registry.scope_register("notices.receipts", visible_to=selectors.receipts_visible_to)
        registry.scope_register("notices.training", visible_to=selectors.sessions_visible_to)
        registry.scope_register("notices.attendance", visible_to=selectors.attendances_visible_to)
        registry.timeline_kind_register(NOTICE_TIMELINE_KIND, _("Notice"), key="receipt",
                                        visible_to=selectors.receipts_visible_to)  # fmt: skip
        registry.timeline_kind_register(TRAINING_TIMELINE_KIND, _("Training attended"), key="attendance",
                                        visible_to=selectors.attendances_visible_to)  # fmt: skip
        registry.periodic_task_register(tasks.notices_remind, minutes=60)
        registry.personal_data_register("training_attendee", purge=training.attendees_anonymise_expired)
        registry.api_router_register("/notices", "zhuqi.api.notices.router", order=70)
        registry.selector_register("notices.unit_figures", selectors.unit_figures)
        registry.workbench_card_register("notices.firm", template="notices/card_firm.html",
                                         context=workbench.firm_card, order=15, roles={Role.ENTERPRISE_CONTACT})  # fmt: skip
        registry.workbench_card_register("notices.follow_up", template="notices/card_follow_up.html",
                                         context=workbench.follow_up_card, order=60, roles={Role.PARK_OFFICER})  # fmt: skip
        registry.urls_register("notices/", "zhuqi.notices.urls", order=70)
        registry.urls_register("t/", "zhuqi.notices.sign_in_urls", order=71)
        registry.demo_loader_register("notices", "zhuqi.notices.demo.load_demo_notices",
                                      summary="通知与宣教培训 {} 项", order=50)  # fmt: skip
        registry.nav_area_register("outreach", _("Notices and training"), order=5)
        registry.nav_register("notices.firm", _("Notices"), "notice-list", order=20, area="outreach",
                              roles={Role.ENTERPRISE_CONTACT}, icon="megaphone")  # fmt: skip
        registry.nav_register("notices", _("Notices"), "notice-list", order=70, area="outreach", roles=staff,
                              icon="megaphone")  # fmt: skip
        registry.nav_register("notices.training", _("Training"), "training-list", order=71, area="outreach",
                              roles=staff, icon="mortarboard")  # fmt: skip
        registry.nav_register("notices.figures", _("Outreach figures"), "notice-figures", order=72, area="outreach",
                              roles=staff, icon="clipboard-data")  # fmt: skip
