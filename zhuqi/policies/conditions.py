"""Writing a policy's conditions as rules of the shared engine: each a CEL expression with its name, the message
that says what is lacking (values filled in), the clause it comes from, and two samples (one met, one not) that
the engine checks before the rule takes effect."""


def condition(code: str, name: str, expression: str, message: str, *, clause: str, ok: dict, bad: dict,
              values: dict | None = None) -> dict:  # fmt: skip
    return {"code": code, "name": name, "expression": expression, "message": message, "clause": clause,
            "values": values or {}, "samples": [{"values": ok, "expect": "true"}, {"values": bad, "expect": "false"}]}  # fmt: skip


def above_scale(clause: str) -> dict:
    return condition("above_scale", "规模以上企业", "registry_above_scale", "尚未纳入规模以上统计", clause=clause,
                     ok={"registry_above_scale": True}, bad={"registry_above_scale": False})  # fmt: skip


def high_tech(clause: str) -> dict:
    return condition("high_tech", "高新技术企业", "is_high_tech", "尚未认定为高新技术企业", clause=clause,
                     ok={"is_high_tech": True}, bad={"is_high_tech": False})  # fmt: skip


def revenue_at_least(wan: int, clause: str) -> dict:
    return condition(f"revenue_{wan}", f"营业收入不低于 {wan} 万元", f"revenue >= {wan * 10000}",
                     f"营业收入 {{revenue}} 千元，需不低于 {wan} 万元", clause=clause,
                     ok={"revenue": wan * 10000 + 1}, bad={"revenue": wan * 10000 - 1})  # fmt: skip


def rd_share_at_least(percent: int, clause: str) -> dict:
    return condition(f"rd_share_{percent}", f"研发费用占营业收入比例不低于 {percent}%",
                     f"rd_expense * 100 >= revenue * {percent}", f"研发费用占比 {{rd_share}}%，需 ≥ {percent}%",
                     clause=clause, values={"rd_share": "double(rd_expense) * 100.0 / double(revenue)"},
                     ok={"rd_expense": percent * 10000, "revenue": 1000000},
                     bad={"rd_expense": percent * 10000 - 1, "revenue": 1000000})  # fmt: skip


def taxes_at_least(wan: int, clause: str) -> dict:
    return condition(f"taxes_{wan}", f"实缴税费不低于 {wan} 万元", f"taxes_paid >= {wan * 10000}",
                     f"实缴税费 {{taxes_paid}} 千元，需不低于 {wan} 万元", clause=clause,
                     ok={"taxes_paid": wan * 10000}, bad={"taxes_paid": wan * 10000 - 1})  # fmt: skip


def staff_at_least(n: int, clause: str) -> dict:
    return condition(f"staff_{n}", f"从业人员不少于 {n} 人", f"staff >= {n}", f"从业人员 {{staff}} 人，需不少于 {n} 人",
                     clause=clause, ok={"staff": n}, bad={"staff": n - 1})  # fmt: skip


def staff_at_most(n: int, clause: str) -> dict:
    return condition(f"staff_max_{n}", f"从业人员不超过 {n} 人", f"staff <= {n}", f"从业人员 {{staff}} 人，需不超过 {n} 人",
                     clause=clause, ok={"staff": n}, bad={"staff": n + 1})  # fmt: skip


def output_at_least(wan: int, clause: str) -> dict:
    return condition(f"output_{wan}", f"工业总产值不低于 {wan} 万元", f"industrial_output >= {wan * 10000}",
                     f"工业总产值 {{industrial_output}} 千元，需不低于 {wan} 万元", clause=clause,
                     ok={"industrial_output": wan * 10000}, bad={"industrial_output": wan * 10000 - 1})  # fmt: skip


def inventions_at_least(n: int, clause: str) -> dict:
    return condition(f"inventions_{n}", f"有效发明专利不少于 {n} 项", f"valid_inventions >= {n}",
                     f"有效发明专利 {{valid_inventions}} 项，需不少于 {n} 项", clause=clause,
                     ok={"valid_inventions": n}, bad={"valid_inventions": n - 1})  # fmt: skip


def rd_positive(clause: str) -> dict:
    return condition("rd_expense", "有研究开发费用支出", "rd_expense > 0", "未填报研究开发费用", clause=clause,
                     ok={"rd_expense": 1}, bad={"rd_expense": 0})  # fmt: skip


# The exclusions of a 免申即享 list, over the facts the modules count (indicators.counted.*)
EXCLUSIONS = [
    condition("no_open_major_hazard", "无未整改重大隐患", "open_major_hazards == 0",
              "存在未整改的重大事故隐患 {open_major_hazards} 项", clause="安全生产“一票否决”",
              ok={"open_major_hazards": 0}, bad={"open_major_hazards": 1}),
    condition("no_overdue_hazard", "无超期未整改隐患", "overdue_hazards == 0",
              "有 {overdue_hazards} 项隐患超过整改期限未整改", clause="安全生产“一票否决”",
              ok={"overdue_hazards": 0}, bad={"overdue_hazards": 2}),
    condition("no_serious_breach", "未列入严重失信名单", "!serious_breach", "被列入严重失信主体名单",
              clause="信用联合惩戒", ok={"serious_breach": False}, bad={"serious_breach": True}),
    condition("not_grade_d", "环保绩效非 D 级", 'pollution_grade != "D"',
              "环保绩效分级为 D 级（重污染天气预警期间不予兑现）", clause="环保绩效分级管理",
              ok={"pollution_grade": "B"}, bad={"pollution_grade": "D"}),
]  # fmt: skip

# the indicators those read, declared here for a zone where the module that counts them is not installed yet
EXCLUSION_INDICATORS = [
    ("open_major_hazards", "未整改重大隐患数", "integer", "项"),
    ("overdue_hazards", "超期未整改隐患数", "integer", "项"),
    ("serious_breach", "严重失信主体", "boolean", ""),
    ("pollution_grade", "环保绩效分级", "text", ""),
]


def indicators_ensure() -> None:
    from zhuqi.indicators.models import Indicator

    for code, name, kind, unit in EXCLUSION_INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit,
                                                             "obtained": "counted"})  # fmt: skip
