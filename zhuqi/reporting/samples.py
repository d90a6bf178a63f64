"""Plausible torch returns, consistent with the form's rules, for the demo zone and the benchmark: every figure
follows from the firm's revenue (千元), its headcount and whether it is a high-tech enterprise."""

import random
from decimal import ROUND_HALF_UP, Decimal


def _k(value: float) -> str:
    """An amount in 千元, to one decimal."""
    return f"{Decimal(repr(value)).quantize(Decimal('0.1'), ROUND_HALF_UP):f}"


def torch_values(rng: random.Random, *, revenue: float, high_tech: bool, tech_sme: bool = False,
                 founded: int = 2010, industry: str = "C") -> dict[str, object]:  # fmt: skip
    """One year's return in the form's units (strings for numbers, as a page would send them)."""
    r = revenue
    taxes = r * rng.uniform(0.03, 0.06)
    relief = r * rng.uniform(0.005, 0.02)
    export = r * rng.choice([0, 0, rng.uniform(0.02, 0.15)])
    assets = r * rng.uniform(1.0, 1.6)
    staff = max(12, int(r / rng.uniform(350, 700)))
    staff_avg = max(10, int(staff * rng.uniform(0.92, 1.02)))
    tech_staff = max(3, int(staff * (rng.uniform(0.14, 0.3) if high_tech else rng.uniform(0.05, 0.15))))
    rd_staff = max(1, int(tech_staff * rng.uniform(0.5, 0.8)))
    # 高新技术企业 by revenue: 5% up to 5,000 万元, 4% to 2 亿, 3% above; a margin above each
    rd_share = (
        (0.055 if r <= 50_000 else 0.045 if r <= 200_000 else 0.035) + rng.uniform(0, 0.02)
        if high_tech
        else rng.uniform(0.01, 0.03)
    )
    rd = float(_k(r * rd_share))
    rd_internal = float(_k(rd * rng.uniform(0.8, 0.95)))
    total_profit = r * rng.uniform(0.03, 0.12)
    applied = staff // rng.randint(15, 30)
    granted = int(applied * rng.uniform(0.5, 0.9))
    return {
        "reg_type": rng.choice(["有限责任公司", "有限责任公司", "股份有限公司", "私营"]),
        "industry_code": industry, "founded_year": str(founded), "is_high_tech": high_tech, "is_tech_sme": tech_sme,
        "is_listed": False, "has_rd_institution": high_tech,
        "revenue": _k(r), "main_revenue": _k(r * rng.uniform(0.9, 0.99)), "tech_income": _k(r * rng.uniform(0, 0.05)),
        "high_tech_product_revenue": _k(r * (rng.uniform(0.65, 0.9) if high_tech else rng.uniform(0.0, 0.3))),
        "new_product_sales": _k(r * rng.uniform(0.05, 0.3)), "industrial_output": _k(r * rng.uniform(0.98, 1.05)),
        "industrial_sales": _k(r * rng.uniform(0.95, 1.0)), "value_added": _k(r * rng.uniform(0.2, 0.3)),
        "operating_cost": _k(r * rng.uniform(0.65, 0.85)), "total_profit": _k(total_profit),
        "net_profit": _k(total_profit * rng.uniform(0.8, 0.9)), "taxes_paid": _k(taxes),
        "income_tax": _k(taxes * rng.uniform(0.15, 0.3)), "vat": _k(taxes * rng.uniform(0.5, 0.65)),
        "tax_relief": _k(relief), "rd_deduction_relief": _k(relief * rng.uniform(0.3, 0.5)),
        "high_tech_relief": _k(relief * rng.uniform(0.2, 0.4) if high_tech else 0), "export_total": _k(export),
        "high_tech_export": _k(export * rng.uniform(0, 0.7)), "total_assets": _k(assets),
        "fixed_assets": _k(assets * rng.uniform(0.3, 0.5)), "liabilities": _k(assets * rng.uniform(0.3, 0.6)),
        "wages": _k(staff_avg * rng.uniform(60, 110)), "staff": str(staff), "staff_avg": str(staff_avg),
        "staff_doctors": str(int(staff * 0.01)), "staff_masters": str(int(staff * 0.06)),
        "staff_bachelors": str(int(staff * 0.35)), "staff_college": str(int(staff * 0.25)),
        "staff_senior_title": str(int(staff * 0.05)), "staff_mid_title": str(int(staff * 0.12)),
        "staff_graduates": str(int(staff * 0.04)), "staff_returnees": str(int(staff * 0.005)), "staff_foreign": "0",
        "tech_staff": str(tech_staff), "rd_staff": str(rd_staff), "rd_fte": _k(rd_staff * rng.uniform(0.7, 0.95)),
        "tech_expense": _k(rd * rng.uniform(1.05, 1.3)), "rd_expense": _k(rd), "rd_internal": _k(rd_internal),
        "rd_external": _k(rd - rd_internal), "rd_personnel_cost": _k(rd_internal * rng.uniform(0.4, 0.6)),
        "rd_gov_funds": _k(rd * rng.uniform(0, 0.08)), "rd_equipment": _k(rd * rng.uniform(0.05, 0.15)),
        "patents_applied": str(applied), "inventions_applied": str(applied // 3), "patents_granted": str(granted),
        "inventions_granted": str(granted // 4), "valid_inventions": str(rng.randint(0, 12) if high_tech else rng.randint(0, 3)),
        "pct_applied": "0", "software_copyrights": str(staff // 60), "standards": str(rng.choice([0, 0, 1])),
        "rd_institutions": "1" if high_tech else "0",
    }  # fmt: skip


def firm_years(
    seed: int,
    *,
    revenue: float,
    growths: list[float],
    high_tech: bool,
    tech_sme: bool = False,
    founded: int = 2010,
    industry: str = "C",
) -> list[dict]:
    """A firm's returns over consecutive years: the same shape each year (its ratios drawn from its own seed),
    its revenue moving by each growth in turn."""
    years = []
    for growth in [0.0, *growths]:
        revenue *= 1 + growth
        years.append(torch_values(random.Random(seed), revenue=revenue, high_tech=high_tech, tech_sme=tech_sme,
                                  founded=founded, industry=industry))  # fmt: skip
    return years
