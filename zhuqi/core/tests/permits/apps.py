from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "zhuqi.core.tests.permits"
    label = "permits"
    verbose_name = "审批许可（示例模块）"

    def ready(self):
        from zhuqi.cases.workflow import COMMON, COMMON_TURNS, case_kind_register
        from zhuqi.core import registry

        from . import workflow
        from .selectors import permits_visible_to

        workflow.register_actions()
        case_kind_register(workflow.KIND, "审批许可", transitions=[*COMMON, *workflow.TRANSITIONS],
                           turns=[*COMMON_TURNS, *workflow.TURNS], raised_by={"enterprise"})  # fmt: skip
        registry.scope_register("permits", visible_to=permits_visible_to)
        registry.timeline_kind_register(workflow.TIMELINE_KIND, "许可决定", key="case", visible_to=permits_visible_to)
        registry.workbench_card_register("permits", template="permits/card.html", context=workflow.card, order=70)
        registry.periodic_task_register(workflow.permits_remind, minutes=30)
