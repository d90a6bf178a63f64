"""The criteria as rules of the shared engine (zhuqi/indicators): 科技型中小企业评价 and 高新技术企业认定, each a rule
set whose rules carry their source document and validity, so that a revision is a new dated rule, not an edit.

This module holds what the rules say (CEL, over the torch form's indicator codes and a few of growth's own) and
installs them; selectors.py builds each firm's context through indicators.facts_of and reads the verdicts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zhuqi.indicators.models import Indicator, Obtained, Rule, RuleSet, RuleStatus, ValueKind
from zhuqi.indicators.services import rule_activate, rule_save, ruleset_ensure

SME_SET = "growth.tech_sme"
HIGH_TECH_SET = "growth.high_tech"
SME_SOURCE = "国科发政〔2022〕53号"
HIGH_TECH_SOURCE = "国科发火〔2016〕32号"

# (code, name, kind, unit, obtained): the torch form's codes are declared the same way it declares them, for a
# zone that runs growth before the torch form is installed (update_or_create there wins)
TORCH = [
    ("revenue", "营业收入", ValueKind.AMOUNT, "千元"),
    ("operating_cost", "营业成本", ValueKind.AMOUNT, "千元"),
    ("high_tech_product_revenue", "高新技术产品（服务）收入", ValueKind.AMOUNT, "千元"),
    ("total_assets", "年末资产总计", ValueKind.AMOUNT, "千元"),
    ("liabilities", "年末负债合计", ValueKind.AMOUNT, "千元"),
    ("staff", "年末从业人员", ValueKind.INTEGER, "人"),
    ("tech_staff", "科技活动人员", ValueKind.INTEGER, "人"),
    ("rd_expense", "研究开发费用合计", ValueKind.AMOUNT, "千元"),
    ("valid_inventions", "期末拥有有效发明专利数", ValueKind.INTEGER, "项"),
    ("founded_year", "成立年份", ValueKind.INTEGER, ""),
]
OWN = [  # reported by the firm or the 科技创新局, or computed here from three years of statistics
    ("total_cost", "成本费用总额", ValueKind.AMOUNT, "千元", Obtained.REPORTED),
    ("rd_expense_domestic", "境内研究开发费用", ValueKind.AMOUNT, "千元", Obtained.REPORTED),
    ("ip_class2", "有效Ⅱ类知识产权数", ValueKind.INTEGER, "项", Obtained.REPORTED),
    ("core_ip_owned", "拥有主要产品核心技术的知识产权", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("in_key_field", "属于《国家重点支持的高新技术领域》", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("national_award_5y", "近五年获国家级科技奖励", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("provincial_rd_institution", "拥有省部级以上研发机构", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("standard_led_5y", "近五年主导制定国家、行业或国际标准", ValueKind.BOOLEAN, "", Obtained.REPORTED),
    ("innov_ip_score", "创新能力评价：知识产权得分（≤30）", ValueKind.INTEGER, "", Obtained.REPORTED),
    ("innov_transfer_score", "创新能力评价：科技成果转化能力得分（≤30）", ValueKind.INTEGER, "", Obtained.REPORTED),
    ("innov_mgmt_score", "创新能力评价：研发组织管理水平得分（≤20）", ValueKind.INTEGER, "", Obtained.REPORTED),
    ("innov_growth_score", "创新能力评价：企业成长性得分（≤20，估算）", ValueKind.INTEGER, "", Obtained.COMPUTED),
    ("rd_expense_3y", "近三年研究开发费用合计", ValueKind.AMOUNT, "千元", Obtained.COMPUTED),
    ("revenue_3y", "近三年销售收入合计", ValueKind.AMOUNT, "千元", Obtained.COMPUTED),
    ("rd_domestic_3y", "近三年境内研究开发费用合计", ValueKind.AMOUNT, "千元", Obtained.COMPUTED),
]
COUNTED_HERE = [  # indicators.counted.growth
    ("is_tech_sme", "是否科技型中小企业"),
    ("is_high_tech", "是否高新技术企业"),
    ("is_specialised", "是否专精特新企业"),
    ("is_gazelle", "是否瞪羚企业"),
    ("is_little_giant", "是否小巨人企业"),
    ("in_cultivation_pool", "是否在高新技术企业后备培育库"),
]
COUNTED_ELSEWHERE = [  # counted by the safety and registry modules (contract): declared here too, idempotently
    ("years_registered", "成立年限", ValueKind.INTEGER),
    ("major_hazards_in_period", "期内重大隐患数", ValueKind.INTEGER),
    ("alarms_in_period", "期内确认的监测告警数", ValueKind.INTEGER),
    ("serious_breach", "严重失信", ValueKind.BOOLEAN),
]


def _bands(ratio_of: str, base: str, steps: list[tuple[int, int]]) -> str:
    """A banded score in CEL over whole numbers: `part * 100 >= base * pct ? points : …`, highest band first."""
    text = "0"
    for pct, points in reversed(steps):
        text = f"({ratio_of} * 100 >= {base} * {pct} ? {points} : {text})"
    return f"({base} <= 0 ? 0 : {text})"


STAFF_POINTS = _bands("tech_staff", "staff", [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)])
RD_SALES_POINTS = _bands("rd_expense", "revenue", [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)])
RD_COST_POINTS = _bands("rd_expense", "total_cost", [(30, 50), (25, 40), (20, 30), (15, 20), (10, 10)])
RD_POINTS = f"({RD_SALES_POINTS} >= {RD_COST_POINTS} ? {RD_SALES_POINTS} : {RD_COST_POINTS})"
IP_POINTS = ("(valid_inventions >= 1 ? 30 : (ip_class2 >= 4 ? 24 : (ip_class2 == 3 ? 18 : (ip_class2 == 2 ? 12 : "
             "(ip_class2 == 1 ? 6 : 0)))))")  # fmt: skip
SME_SCORE = f"{STAFF_POINTS} + {RD_POINTS} + {IP_POINTS}"
SHARE = "double(tech_staff) * 100.0 / double(staff)"
RD_NEED = "(revenue <= 50000000 ? 5 : (revenue <= 200000000 ? 4 : 3))"
RD_RATIO = "double(rd_expense_3y) * 100.0 / double(revenue_3y)"
INNOVATION = "innov_ip_score + innov_transfer_score + innov_mgmt_score + innov_growth_score"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    expression: str
    message: str
    samples: list = field(default_factory=list)
    values: dict = field(default_factory=dict)


def _s(values: dict, expect: str) -> dict:
    return {"values": values, "expect": expect}


SME_RULES = [
    Criterion("size_staff", "职工总数不超过 500 人", "staff <= 500", "职工总数 {staff}，超过 500 人",
              [_s({"staff": 500}, "true"), _s({"staff": 501}, "false")]),
    Criterion("size_revenue", "年销售收入不超过 2 亿元", "revenue <= 200000000", "年销售收入 {revenue} 千元，超过 2 亿元",
              [_s({"revenue": 200000000}, "true"), _s({"revenue": 200000001}, "false")]),
    Criterion("size_assets", "资产总额不超过 2 亿元", "total_assets <= 200000000", "资产总额 {total_assets} 千元，超过 2 亿元",
              [_s({"total_assets": 200000000}, "true"), _s({"total_assets": 200000001}, "false")]),
    Criterion("no_breach", "上一年度无严重失信行为", "!serious_breach", "企业有严重失信记录",
              [_s({"serious_breach": False}, "true"), _s({"serious_breach": True}, "false")]),
    Criterion("tech_item", "科技人员指标得分不为零（科技人员占比不低于 10%）", "tech_staff * 100 >= staff * 10",
              "科技人员占比 {share}%，低于 10%，该项得 0 分", [_s({"tech_staff": 10, "staff": 100}, "true"),
                                                  _s({"tech_staff": 9, "staff": 100}, "false")], {"share": SHARE}),
    Criterion("score", "综合评价得分不低于 60 分", f"{SME_SCORE} >= 60",
              "综合评价得分 {score} 分（科技人员 {staff_points}、研发投入 {rd_points}、知识产权 {ip_points}），需不低于 60 分",
              [_s({"tech_staff": 30, "staff": 100, "rd_expense": 6, "revenue": 100, "total_cost": 90,
                   "valid_inventions": 0, "ip_class2": 0}, "true"),
               _s({"tech_staff": 30, "staff": 100, "rd_expense": 3, "revenue": 100, "total_cost": 90,
                   "valid_inventions": 0, "ip_class2": 1}, "false")],
              {"score": SME_SCORE, "staff_points": STAFF_POINTS, "rd_points": RD_POINTS, "ip_points": IP_POINTS}),
    Criterion("direct", "直接确认条件（有效高企资格、国家级科技奖励、省部级以上研发机构、主导制定标准，满足一项）",
              "is_high_tech || national_award_5y || provincial_rd_institution || standard_led_5y",
              "不具备直接确认条件，须按评分评价",
              [_s({"is_high_tech": True}, "true"),
               _s({"is_high_tech": False, "national_award_5y": False, "provincial_rd_institution": False,
                   "standard_led_5y": False}, "false")]),
]  # fmt: skip

HIGH_TECH_RULES = [
    Criterion("registered", "注册成立一年以上", "years_registered >= 1", "成立 {years_registered} 年，不满一年",
              [_s({"years_registered": 1}, "true"), _s({"years_registered": 0}, "false")]),
    Criterion("core_ip", "拥有主要产品核心技术的知识产权", "core_ip_owned", "未拥有主要产品核心技术的知识产权",
              [_s({"core_ip_owned": True}, "true"), _s({"core_ip_owned": False}, "false")]),
    Criterion("key_field", "技术属于国家重点支持的高新技术领域", "in_key_field", "主要产品技术不在国家重点支持的高新技术领域内",
              [_s({"in_key_field": True}, "true"), _s({"in_key_field": False}, "false")]),
    Criterion("tech_staff", "科技人员占职工总数不低于 10%", "tech_staff * 100 >= staff * 10",
              "科技人员占比 {share}%，需不低于 10%", [_s({"tech_staff": 10, "staff": 100}, "true"),
                                             _s({"tech_staff": 9, "staff": 100}, "false")], {"share": SHARE}),
    Criterion("rd_ratio", "近三年研究开发费用占销售收入比例达标（≤5000万 5%，5000万–2亿 4%，>2亿 3%）",
              "revenue <= 50000000 ? rd_expense_3y * 100 >= revenue_3y * 5 : (revenue <= 200000000 ? "
              "rd_expense_3y * 100 >= revenue_3y * 4 : rd_expense_3y * 100 >= revenue_3y * 3)",
              "近三年研发费用占销售收入 {ratio}%，按最近一年销售收入 {revenue} 千元需不低于 {need}%",
              [_s({"revenue": 50000000, "rd_expense_3y": 5, "revenue_3y": 100}, "true"),
               _s({"revenue": 50000000, "rd_expense_3y": 4, "revenue_3y": 100}, "false")],
              {"ratio": RD_RATIO, "need": RD_NEED}),
    Criterion("rd_domestic", "境内研究开发费用占全部研发费用不低于 60%", "rd_domestic_3y * 100 >= rd_expense_3y * 60",
              "境内研发费用占比 {share}%，需不低于 60%",
              [_s({"rd_domestic_3y": 60, "rd_expense_3y": 100}, "true"),
               _s({"rd_domestic_3y": 59, "rd_expense_3y": 100}, "false")],
              {"share": "double(rd_domestic_3y) * 100.0 / double(rd_expense_3y)"}),
    Criterion("high_tech_revenue", "高新技术产品（服务）收入占总收入不低于 60%",
              "high_tech_product_revenue * 100 >= revenue * 60", "高新技术产品（服务）收入占比 {share}%，需不低于 60%",
              [_s({"high_tech_product_revenue": 60, "revenue": 100}, "true"),
               _s({"high_tech_product_revenue": 59, "revenue": 100}, "false")],
              {"share": "double(high_tech_product_revenue) * 100.0 / double(revenue)"}),
    Criterion("no_incident", "申请前一年内未发生重大安全、重大质量事故或严重环境违法行为",
              "major_hazards_in_period == 0 && alarms_in_period == 0",
              "上一年度有重大隐患 {major_hazards_in_period} 项、确认告警 {alarms_in_period} 次",
              [_s({"major_hazards_in_period": 0, "alarms_in_period": 0}, "true"),
               _s({"major_hazards_in_period": 1, "alarms_in_period": 0}, "false")]),
    Criterion("innovation", "企业创新能力评价高于 70 分", f"{INNOVATION} > 70",
              "创新能力评价估算 {total} 分（知识产权 {innov_ip_score}、成果转化 {innov_transfer_score}、研发管理 "
              "{innov_mgmt_score}、成长性 {innov_growth_score}），需高于 70 分",
              [_s({"innov_ip_score": 30, "innov_transfer_score": 21, "innov_mgmt_score": 10, "innov_growth_score": 10},
                  "true"),
               _s({"innov_ip_score": 30, "innov_transfer_score": 20, "innov_mgmt_score": 10, "innov_growth_score": 10},
                  "false")], {"total": INNOVATION}),
]  # fmt: skip

SETS = {
    SME_SET: ("科技型中小企业评价", SME_SOURCE, datetime.date(2022, 1, 1), SME_RULES),
    HIGH_TECH_SET: ("高新技术企业认定条件", HIGH_TECH_SOURCE, datetime.date(2016, 1, 1), HIGH_TECH_RULES),
}


def indicators_install() -> None:
    for code, name, kind, unit in TORCH:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit})
    for code, name, kind, unit, obtained in OWN:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit,
                                                             "obtained": obtained})  # fmt: skip
    for code, name in COUNTED_HERE:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": ValueKind.BOOLEAN,
                                                             "obtained": Obtained.COUNTED})  # fmt: skip
    for code, name, kind in COUNTED_ELSEWHERE:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind,
                                                             "obtained": Obtained.COUNTED})  # fmt: skip


def rule_code(criterion: str, edition: int) -> str:
    """A rule's code in its set: the condition and the edition (year) it came in with, `size_staff.2022`."""
    return f"{criterion}.{edition}"


def condition_of(code: str) -> str:
    return code.split(".", 1)[0]


@transaction.atomic
def criteria_install(*, by=None) -> None:
    """The indicators the criteria read and both rule sets, in effect (idempotent: a rule already there is kept)."""
    indicators_install()
    for set_code, (name, source, valid_from, criteria) in SETS.items():
        ruleset = ruleset_ensure(code=set_code, name=name)
        for order, c in enumerate(criteria):
            code = rule_code(c.code, valid_from.year)
            if Rule.objects.filter(ruleset=ruleset, code=code).exists():
                continue
            rule = rule_save(ruleset=ruleset, code=code, name=c.name, expression=c.expression, message=c.message,
                             by=by, values=c.values, valid_from=valid_from, source_document=source,
                             samples=c.samples, order=order * 10)  # fmt: skip
            rule_activate(rule=rule, by=by)


@transaction.atomic
def criterion_revise(
    *,
    ruleset_code: str,
    condition: str,
    effective: datetime.date,
    expression: str,
    message: str,
    source_document: str,
    samples: list,
    by,
    name: str = "",
    values: dict | None = None,
) -> Rule:
    """Next year's revision of one condition: the rule in effect ends the day before `effective` and a new rule
    (its own code, the edition's year) takes over — the old text stays readable for the years it governed."""
    ruleset = RuleSet.objects.get(code=ruleset_code)
    current = (Rule.objects.filter(ruleset=ruleset, status=RuleStatus.ACTIVE, code__startswith=f"{condition}.",
                                   valid_to__isnull=True).order_by("-valid_from").first())  # fmt: skip
    if current is not None:
        Rule.objects.filter(pk=current.pk).update(
            valid_to=effective - datetime.timedelta(days=1), updated_at=timezone.now()
        )
    rule = rule_save(ruleset=ruleset, code=rule_code(condition, effective.year), name=name or current.name,
                     expression=expression, message=message, by=by, values=values if values is not None else
                     (current.values if current else {}), valid_from=effective, source_document=source_document,
                     samples=samples, order=current.order if current else 0)  # fmt: skip
    return rule_activate(rule=rule, by=by)
