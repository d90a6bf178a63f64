"""The demo's evaluations (registered in apps.py, loaded once by load_demo_zone): 火炬园 (创新创业服务园区) evaluated
its firms for 2022 (final, no objections) and evaluates them for 2023 by its published method — land and energy
from the park's ledger, the rest from the firms' torch returns and the platform's records — with two objections,
one upheld and one rejected, and the final list published; and the zone's national index for 2020–2024, its 2020
figures entered as the zone reported them (88th place). Land, energy and the zone totals before the platform are
generated and marked as demo figures. The park is drafting the method's next version."""

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile

from zhuqi.core.roles import Role
from zhuqi.enterprises.models import Enterprise
from zhuqi.indicators.models import Origin
from zhuqi.indicators.selectors import indicator_values_of
from zhuqi.indicators.services import indicator_values_record
from zhuqi.org.models import Park, User

from . import services
from .install import index_system_install, indicators_ensure, method_spec
from .models import Objection, Run, Score, ZoneFigure

PARK = "创新创业服务园区"
YEAR = 2023
PREVIOUS = 2022
LEDGER = "园区用地及能耗台账（演示数据）"

# the zone's totals (元, 人, 项) as entered from the torch centre's feedback tables (the demo's own returns cover
# only its sample of firms, so the zone's whole figures are entered by hand and win over their sums); generated for the demo, scaled so that 2020 stands where it was reported (88th)
HISTORY = {
    2020: {"revenue": 62e9, "rd_expense": 1.55e9, "rd_staff": 5100, "staff": 41000, "valid_inventions": 1350,
           "high_tech_product_revenue": 24e9, "tech_income": 2.4e9, "new_product_sales": 15.5e9, "value_added": 16e9,
           "staff_graduates": 1400, "export_total": 3.6e9, "staff_returnees": 70, "staff_foreign": 12,
           "total_profit": 3.3e9, "high_tech_firms": 56},
    2021: {"revenue": 70e9, "rd_expense": 1.85e9, "rd_staff": 5600, "staff": 42500, "valid_inventions": 1560,
           "high_tech_product_revenue": 28e9, "tech_income": 2.9e9, "new_product_sales": 18e9, "value_added": 18e9,
           "staff_graduates": 1500, "export_total": 4.1e9, "staff_returnees": 78, "staff_foreign": 13,
           "total_profit": 3.9e9, "high_tech_firms": 68},
    2022: {"revenue": 76e9, "rd_expense": 2.1e9, "rd_staff": 6000, "staff": 43500, "valid_inventions": 1780,
           "high_tech_product_revenue": 31e9, "tech_income": 3.3e9, "new_product_sales": 20e9, "value_added": 19.5e9,
           "staff_graduates": 1600, "export_total": 4.6e9, "staff_returnees": 85, "staff_foreign": 14,
           "total_profit": 4.2e9, "high_tech_firms": 82},
    2023: {"revenue": 80e9, "rd_expense": 2.3e9, "rd_staff": 6300, "staff": 44000, "valid_inventions": 1950,
           "high_tech_product_revenue": 33e9, "tech_income": 3.5e9, "new_product_sales": 21.5e9, "value_added": 20.5e9,
           "staff_graduates": 1650, "export_total": 4.9e9, "staff_returnees": 90, "staff_foreign": 15,
           "total_profit": 4.3e9, "high_tech_firms": 86},
    2024: {"revenue": 84e9, "rd_expense": 2.5e9, "rd_staff": 6600, "staff": 44800, "valid_inventions": 2120,
           "high_tech_product_revenue": 35e9, "tech_income": 3.8e9, "new_product_sales": 23e9, "value_added": 21.5e9,
           "staff_graduates": 1700, "export_total": 5.2e9, "staff_returnees": 96, "staff_foreign": 15,
           "total_profit": 4.6e9, "high_tech_firms": 91},
}  # fmt: skip
ZONE = {  # city GDP (元), land (km²), energy (吨标准煤): 平顶山's statistical bulletins, rounded; energy generated
    2020: (245.6e9, 28.6, 1.0e6), 2021: (269.4e9, 28.6, 1.05e6), 2022: (284.6e9, 28.6, 1.08e6),
    2023: (284.8e9, 28.6, 1.1e6), 2024: (296.0e9, 28.6, 1.12e6),
}  # fmt: skip


def _index(office) -> None:
    index_system_install()
    figures = []
    for year, (gdp, land, energy) in ZONE.items():
        rows = {"city_gdp": (gdp, "平顶山市国民经济和社会发展统计公报"), "land_km2": (land, "高新区规划面积"),
                "zone_energy_tce": (energy, "能耗统计（演示数据）")}  # fmt: skip
        for code, value in HISTORY.get(year, {}).items():
            rows[code] = (value, "火炬中心反馈的高新区汇总数（演示数据，生成）")
        for code, (value, source) in rows.items():
            figures.append(ZoneFigure(year=year, code=code, value=Decimal(str(value)), source=source,
                                      entered_by=office))  # fmt: skip
    figures.append(ZoneFigure(year=2020, code="reported_rank", value=88, source="平顶山日报 2021-02-19",
                              entered_by=office))  # fmt: skip
    ZoneFigure.objects.bulk_create(figures)


def _previous_year(method, firms, officer, rng) -> None:
    """2022: each firm's figures from the park's ledger of that year (its 2023 figures scaled back, each firm by its
    own growth, taxes and R&D moving apart from output), scored, published and final without objections."""
    codes = ["revenue", "taxes_paid", "rd_expense", "staff", "tech_staff", "valid_inventions", "land_area_mu",
             "energy_tce"]  # fmt: skip
    now = indicator_values_of(enterprises=firms, period=str(YEAR), codes=codes)
    had = indicator_values_of(enterprises=firms, period=str(PREVIOUS), codes=codes)
    for firm in firms:
        growth = Decimal(str(round(rng.uniform(0.72, 1.12), 3)))
        values = {}
        for code, value in now.get(firm.pk, {}).items():
            if code in had.get(firm.pk, {}):
                continue
            if code in ("staff", "tech_staff"):
                values[code] = max(1, int(Decimal(value) * growth))
            elif code == "valid_inventions":
                values[code] = max(0, value - rng.choice([0, 0, 1, 2]))
            elif code == "land_area_mu":
                values[code] = value
            else:
                moved = (
                    growth * Decimal(str(round(rng.uniform(0.8, 1.2), 3)))
                    if code in ("taxes_paid", "rd_expense")
                    else growth
                )
                values[code] = (Decimal(value) * moved).quantize(Decimal("0.1"))
        values["in_liquidation"] = False
        indicator_values_record(enterprise=firm, period=str(PREVIOUS), values=values, by=officer, origin=Origin.IMPORT,
                                origin_ref=LEDGER.replace("台账", f"台账 {PREVIOUS}"))  # fmt: skip
    run = services.run_create(method=method, year=PREVIOUS, by=officer)
    services.run_score(run=run, by=officer)
    services.run_publish_draft(run=run, by=officer, objections_until=datetime.date(PREVIOUS + 1, 2, 28))
    services.run_finalise(run=run, by=officer)
    final = datetime.datetime(PREVIOUS + 1, 3, 10, 1, tzinfo=datetime.UTC)
    Run.objects.filter(pk=run.pk).update(published_at=final - datetime.timedelta(days=20), finalised_at=final)


def load_demo_evaluations(*, seed: int = 2024) -> int:
    rng = random.Random(seed + 22)
    office = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first()
    park = Park.objects.filter(name=PARK).first()
    if office is None or park is None:
        return 0
    _index(office)
    officer = User.objects.filter(role=Role.PARK_OFFICER, park=park).order_by("pk").first() or office
    firms = list(Enterprise.objects.filter(park=park).order_by("pk"))
    if not firms:
        return 0
    indicators_ensure()
    spec = method_spec()  # in force since the 2022 evaluation, so that the firms' movement shows in 2023
    spec["method"].update(valid_from=datetime.date(PREVIOUS, 1, 1),
                          document="创新创业服务园区《企业绩效综合评价意见》（2022 年度起适用，演示版本）")  # fmt: skip
    method = services.method_publish(method=services.method_import(spec=spec, park=park, by=officer), by=officer)
    known = indicator_values_of(enterprises=firms, period=str(YEAR),
                                codes=["revenue", "taxes_paid", "staff", "tech_staff", "rd_expense"])  # fmt: skip
    for n, firm in enumerate(firms):
        facts = known.get(firm.pk, {})
        revenue = facts.get("revenue")
        if revenue is None:  # a small firm without a torch return: the park's ledger has its main figures
            revenue = Decimal(rng.randint(3, 60) * 1_000_000)
            staff = rng.randint(12, 90)
            values = {"revenue": revenue, "taxes_paid": revenue * Decimal(rng.uniform(0.01, 0.06)).quantize(Decimal("0.001")),
                      "staff": staff, "tech_staff": max(1, int(staff * rng.uniform(0.05, 0.35))),
                      "valid_inventions": rng.choice([0, 0, 1, 2, 3])}  # fmt: skip
            if rng.random() < 0.6:
                values["rd_expense"] = revenue * Decimal(rng.uniform(0.01, 0.07)).quantize(Decimal("0.001"))
            indicator_values_record(enterprise=firm, period=str(YEAR), values=values, by=officer,
                                    origin=Origin.IMPORT, origin_ref=LEDGER)  # fmt: skip
        # land sized to output: a dense firm takes little, a sprawling one much
        per_mu = Decimal(rng.choice([60, 110, 160, 220, 300, 420])) * 10000
        own = {"land_area_mu": max(Decimal(3), (Decimal(revenue) / per_mu).quantize(Decimal("0.1"))),
               "energy_tce": (Decimal(revenue) / 10000 * Decimal(rng.uniform(0.04, 0.45))).quantize(Decimal("0.1")),
               "in_liquidation": n == len(firms) - 1}  # fmt: skip
        indicator_values_record(enterprise=firm, period=str(YEAR), values=own, by=officer, origin=Origin.IMPORT,
                                origin_ref=LEDGER)  # fmt: skip
    _previous_year(method, firms, officer, rng)
    run = services.run_create(method=method, year=YEAR, by=officer)
    services.run_score(run=run, by=officer)
    services.run_publish_draft(run=run, by=officer, objections_until=datetime.date(2024, 2, 29))
    Run.objects.filter(pk=run.pk).update(published_at=datetime.datetime(2024, 2, 20, 1, tzinfo=datetime.UTC))
    scored = list(Score.objects.filter(run=run, grade__in=["B", "C"]).select_related("enterprise").order_by("rank"))
    contacts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE_CONTACT)}
    objected = []
    for score, (item, text) in zip(scored[:1] + scored[-1:], [
        ("valid_inventions", "本企业 2023 年 11 月新获授权发明专利 2 项，年报漏填，附专利证书复印件，请予更正。"),
        ("tax_per_mu", "用地面积含代建仓库 10 亩，应予扣除后计算亩均税收，附土地证及租赁合同。"),
    ], strict=False):  # fmt: skip
        objected.append(Objection.objects.create(
            run=run, enterprise=score.enterprise, item_code=item, text=text,
            evidence=ContentFile(b"%PDF-1.4\n% demo evidence\n", name="证明材料.pdf"),
            filed_by=contacts.get(score.enterprise_id, officer),
            filed_at=datetime.datetime(2024, 2, 23, 2, tzinfo=datetime.UTC),
        ))  # fmt: skip
    if objected:
        first = objected[0]
        value = (Score.objects.get(run=run, enterprise=first.enterprise).items["v"][4] or 0) + 2
        services.objection_decide(objection=first, by=officer, upheld=True, corrected_value=value,
                                  reason="经核对专利证书，异议成立，按更正后的有效发明专利数计分。")  # fmt: skip
    if len(objected) > 1:
        services.objection_decide(objection=objected[1], by=officer, upheld=False,
                                  reason="代建仓库在企业土地证范围内，按办法第五条应计入用地面积，维持原评分。")  # fmt: skip
    services.run_finalise(run=run, by=officer)
    # the park drafting next year's version (the method's second, not yet published)
    services.method_new_version(method=method, by=officer)
    return Score.objects.filter(run=run).count()
