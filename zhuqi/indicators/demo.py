"""The demo of what the zone collects beyond the forms: the firms' dates of establishment (from their torch returns'
开业年份, else a believable one), a computed indicator (研发投入强度) recorded over the filed returns, and a draft-able
rule set over counted facts (安全与信用底线) for the rule pages."""

import datetime
import random

from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Role, User

from .computed import computed_record_all, indicator_formula_save
from .models import Indicator, Obtained
from .selectors import indicator_values_of
from .services import rule_activate, rule_save, ruleset_ensure

BASELINE = [
    ("B01", "无未整改重大隐患", "open_major_hazards == 0", "尚有 {open_major_hazards} 项重大隐患未整改完毕", "error",
     "《安全生产法》第一百一十八条", [({"open_major_hazards": 1}, "false"), ({"open_major_hazards": 0}, "true")]),
    ("B02", "未列入严重失信主体名单", "!serious_breach", "企业已列入严重失信主体名单", "error",
     "国办发〔2019〕35号", [({"serious_breach": True}, "false"), ({"serious_breach": False}, "true")]),
    ("B03", "无逾期未整改隐患", "overdue_hazards == 0", "有 {overdue_hazards} 项隐患已过整改期限仍未整改", "warning",
     "", [({"overdue_hazards": 2}, "false"), ({"overdue_hazards": 0}, "true")]),
]  # fmt: skip


def load_demo_indicators(*, seed: int = 2024) -> int:
    rng = random.Random(seed + 61)
    office = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first()
    if office is None:
        return 0
    # 成立日期: the year a firm gave on its torch return, else a believable one
    firms = list(Enterprise.objects.filter(is_demo=True, established_on__isnull=True).order_by("pk"))
    founded = {pk: v.get("founded_year") for pk, v in
               indicator_values_of(enterprises=[f.pk for f in firms], period="2023", codes=["founded_year"]).items()}  # fmt: skip
    for firm in firms:
        year = founded.get(firm.pk)
        year = year if isinstance(year, int) and 1949 < year <= 2024 else rng.randint(1996, 2021)
        firm.established_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    Enterprise.objects.bulk_update(firms, ["established_on"], batch_size=500)

    count = 0
    if Indicator.objects.filter(code__in=["rd_expense", "revenue"]).count() == 2:
        intensity, _created = Indicator.objects.get_or_create(code="rd_intensity", defaults={
            "name": "研发投入强度", "value_kind": "decimal", "unit": "%", "period_kind": "year",
            "obtained": Obtained.COMPUTED,
            "definition": "研究开发费用 ÷ 营业收入 × 100，由火炬统计报表的两项数据计算。",
        })  # fmt: skip
        indicator_formula_save(indicator=intensity, formula="double(rd_expense) * 100.0 / double(revenue)", by=office)
        count += sum(computed_record_all(period=period, by=None, codes=["rd_intensity"]) for period in ("2023", "2024"))

    ruleset = ruleset_ensure(code="baseline:safety-credit", name="安全与信用底线（政策兑现、评优评先的前提）")
    for order, (code, name, when, message, severity, source, samples) in enumerate(BASELINE):
        rule = rule_save(ruleset=ruleset, code=code, name=name, expression=when, message=message, severity=severity,
                         source_document=source, order=order, by=office,
                         samples=[{"values": v, "last": {}, "expect": e} for v, e in samples])  # fmt: skip
        rule_activate(rule=rule, by=office)
    return count
