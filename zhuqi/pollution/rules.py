"""The compliance rules of a measure, as CEL rules of the shared engine (zhuqi.indicators): the percentage cut is
computed in the rule itself (baseline × (100 − cut) ÷ 100), so that the bureau reads and dates it as any other rule.
Each holds when the firm does what its measure asks; a value the firm has not given leaves the rule undecided."""

import datetime

from django.db import transaction

RULESET = "pollution.compliance"
SOURCE = "环办大气函〔2020〕340号"

INDICATORS = [
    # code, name, kind, obtained
    ("pollution_output", "当日产量", "decimal", "reported"),
    ("pollution_baseline", "产能基准（日）", "decimal", "computed"),
    ("pollution_cut_percent", "限产比例（%）", "integer", "computed"),
    ("pollution_lines_stopped", "停产生产线数", "integer", "reported"),
    ("pollution_lines_required", "应停生产线数", "integer", "computed"),
    ("pollution_transport_ban", "限制国四及以下重型货车", "boolean", "computed"),
    ("pollution_old_trucks_used", "使用国四及以下重型货车（辆次）", "integer", "reported"),
    ("pollution_load_kw", "用电负荷（kW）", "decimal", "counted"),
    ("pollution_normal_load_kw", "正常用电负荷（kW）", "decimal", "computed"),
    ("pollution_cems_mg", "排口在线监测最高浓度（mg/m³）", "decimal", "counted"),
    # what the module counts for other modules (indicators.counted.pollution)
    ("pollution_grade", "重污染天气绩效分级", "text", "counted"),
    ("pollution_noncompliance_in_period", "重污染天气应急减排未落实次数", "integer", "counted"),
]

RULES = [
    {
        "code": "output_within_cut", "name": "产量不超过限产后允许值",
        "when": "pollution_output * 100.0 <= pollution_baseline * double(100 - pollution_cut_percent)",
        "message": "当日产量 {pollution_output} 超过限产后允许的 {allowed}（基准 {pollution_baseline}，限产 {pollution_cut_percent}%）",
        "values": {"allowed": "pollution_baseline * double(100 - pollution_cut_percent) / 100.0"},
        "samples": [
            {"values": {"pollution_output": 79.0, "pollution_baseline": 100.0, "pollution_cut_percent": 20}, "expect": "true"},
            {"values": {"pollution_output": 85.0, "pollution_baseline": 100.0, "pollution_cut_percent": 20}, "expect": "false"},
        ],
    },
    {
        "code": "lines_stopped", "name": "停产生产线达到要求",
        "when": "pollution_lines_stopped >= pollution_lines_required",
        "message": "停产生产线 {pollution_lines_stopped} 条，少于应停的 {pollution_lines_required} 条",
        "samples": [
            {"values": {"pollution_lines_stopped": 2, "pollution_lines_required": 2}, "expect": "true"},
            {"values": {"pollution_lines_stopped": 1, "pollution_lines_required": 2}, "expect": "false"},
        ],
    },
    {
        "code": "no_old_trucks", "name": "未使用国四及以下重型货车",
        "when": "!pollution_transport_ban || pollution_old_trucks_used == 0",
        "message": "使用国四及以下重型货车 {pollution_old_trucks_used} 辆次",
        "samples": [
            {"values": {"pollution_transport_ban": True, "pollution_old_trucks_used": 0}, "expect": "true"},
            {"values": {"pollution_transport_ban": True, "pollution_old_trucks_used": 3}, "expect": "false"},
        ],
    },
    {
        "code": "load_within_cut", "name": "用电负荷与限产相符",
        # ten points above the cut for the load a stopped plant still draws (lighting, heating, safety systems)
        "when": "pollution_load_kw * 100.0 <= pollution_normal_load_kw * double(110 - pollution_cut_percent)",
        "message": "用电负荷 {pollution_load_kw} kW，高于限产后应有的 {allowed} kW",
        "values": {"allowed": "pollution_normal_load_kw * double(110 - pollution_cut_percent) / 100.0"},
        "samples": [
            {"values": {"pollution_load_kw": 500.0, "pollution_normal_load_kw": 1000.0, "pollution_cut_percent": 50}, "expect": "true"},
            {"values": {"pollution_load_kw": 900.0, "pollution_normal_load_kw": 1000.0, "pollution_cut_percent": 50}, "expect": "false"},
        ],
    },
    {
        "code": "stacks_idle_when_stopped", "name": "停产企业排口无烟气排放",
        # an analyser on a stack without flue gas reads near zero; a few mg/m³ at any outlet means a line still fires
        "when": "pollution_cut_percent < 100 || pollution_cems_mg <= 5.0",
        "message": "措施要求停产，排口在线监测浓度仍为 {pollution_cems_mg} mg/m³",
        "samples": [
            {"values": {"pollution_cems_mg": 1.2, "pollution_cut_percent": 100}, "expect": "true"},
            {"values": {"pollution_cems_mg": 38.0, "pollution_cut_percent": 100}, "expect": "false"},
            {"values": {"pollution_cems_mg": 38.0, "pollution_cut_percent": 20}, "expect": "true"},
        ],
    },
]  # fmt: skip

READING_RULES = {"load_within_cut", "stacks_idle_when_stopped"}
CEMS = ("cems_so2", "cems_nox", "cems_pm")  # the monitoring module's outlet quantities (mg/m³)
CEMS_IDLE_MG = 5  # the rule's figure, for the finding's “allowed”


@transaction.atomic
def rules_install(*, by=None) -> None:
    """The indicators the rules read and the rules themselves, tested on their samples and brought into effect;
    idempotent (a rule already in effect is left alone)."""
    from zhuqi.indicators.models import Indicator, Rule, RuleStatus
    from zhuqi.indicators.services import rule_activate, rule_save, ruleset_ensure

    for code, name, kind, obtained in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={
            "name": name, "value_kind": kind, "obtained": obtained, "period_kind": "day" if kind != "text" else "year"})  # fmt: skip
    ruleset = ruleset_ensure(code=RULESET, name="重污染天气应急减排落实")
    for order, item in enumerate(RULES):
        if Rule.objects.filter(ruleset=ruleset, code=item["code"], status=RuleStatus.ACTIVE).exists():
            continue
        rule = rule_save(ruleset=ruleset, code=item["code"], name=item["name"], expression=item["when"],
                         message=item["message"], values=item.get("values"), samples=item["samples"],
                         source_document=SOURCE, valid_from=datetime.date(2020, 6, 23), order=order, by=by)  # fmt: skip
        rule_activate(rule=rule, by=by)
