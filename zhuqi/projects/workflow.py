"""A project's stages as one transition table: each step forward, from where, to where, what it needs."""

from dataclasses import dataclass

from .models import Stage


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    needs: str  # what the evidence must show


TRANSITIONS = [
    Step(Stage.PLANNING, Stage.NEGOTIATING, "洽谈纪要或意向书"),
    Step(Stage.NEGOTIATING, Stage.SIGNED, "投资协议（签约文本）"),
    Step(Stage.SIGNED, Stage.STARTED, "施工许可证或开工仪式记录"),
    Step(Stage.STARTED, Stage.BUILDING, "主体工程施工进度材料"),
    Step(Stage.BUILDING, Stage.OPERATING, "竣工验收或试生产材料"),
    Step(Stage.OPERATING, Stage.FULL, "达产产值或产能证明"),
]
STEP_FROM = {step.source: step for step in TRANSITIONS}
