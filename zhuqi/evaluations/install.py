"""The data the evaluations start from: the indicators of their own (and the one counted fact whose module declares
it only with its rules), a park's method from its TOML, and the national index system."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.db import transaction

from zhuqi.indicators.models import Indicator, Obtained, ValueKind

from .models import IndexIndicator, IndexSystem, Method
from .scoring import as_decimal

DATA = Path(__file__).parent / "data"

# indicators of the evaluations' own: entered by the park for its evaluation (reported), and the grade it counts
OWN = [
    ("land_area_mu", "用地面积（亩）", ValueKind.DECIMAL, "", Obtained.REPORTED),
    ("energy_tce", "综合能源消费量（吨标准煤）", ValueKind.DECIMAL, "吨", Obtained.REPORTED),
    ("in_liquidation", "是否正在清算", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("evaluation_grade", "企业绩效综合评价等级", ValueKind.TEXT, "", Obtained.COUNTED),
]
# the counted facts the method reads are declared by the modules that count them: years_registered (enterprises)
# and major_hazards_in_period (inspections) by their migrations, is_high_tech by growth's criteria and reporting's
# torch return. pollution declares pollution_noncompliance_in_period only when it installs its compliance rules, so a
# method may be imported before that: it is declared here as pollution declares it (same name and kind), whichever
# comes first
COUNTED_ELSEWHERE = [
    ("pollution_noncompliance_in_period", "重污染天气应急减排未落实次数", ValueKind.INTEGER),
]


def indicators_ensure() -> None:
    for code, name, kind, unit, obtained in OWN:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit,
                                                             "obtained": obtained})  # fmt: skip
    for code, name, kind in COUNTED_ELSEWHERE:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind,
                                                             "obtained": Obtained.COUNTED})  # fmt: skip


def method_spec(name: str = "huojuyuan_method.toml") -> dict:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def method_install(*, park, by, name: str = "huojuyuan_method.toml") -> Method:
    from .services import method_import

    indicators_ensure()
    return method_import(spec=method_spec(name), park=park, by=by)


@transaction.atomic
def index_system_install(name: str = "national_index.toml") -> IndexSystem:
    spec = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    head = spec["system"]
    system, _created = IndexSystem.objects.update_or_create(code=head["code"], defaults={
        "name": head["name"], "document": head["document"], "valid_from": head["valid_from"],
        "valid_to": head.get("valid_to"), "weights_assumed": head.get("weights_assumed", True),
        "target_rank": head["target_rank"], "rank_anchors": head["rank_anchors"], "notes": head.get("notes", ""),
    })  # fmt: skip
    system.indicators.all().delete()
    IndexIndicator.objects.bulk_create([
        IndexIndicator(system=system, group=i["group"], code=i["code"], name=i["name"], expression=i["expression"],
                       unit=i.get("unit", ""), weight=as_decimal(i["weight"]), benchmark=as_decimal(i["benchmark"]),
                       lower_is_better=i.get("lower_is_better", False), contributor=i.get("contributor", ""), order=n)
        for n, i in enumerate(spec["indicators"])
    ])  # fmt: skip
    return system
