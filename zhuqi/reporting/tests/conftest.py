import datetime

import pytest

from zhuqi.reporting.definitions import torch_install
from zhuqi.reporting.services import campaign_create

TODAY = datetime.date(2025, 2, 10)


@pytest.fixture
def torch(db):
    return torch_install()


@pytest.fixture
def campaign(zone, torch):
    return campaign_create(
        version=torch, period="2024", title="2024 年火炬统计年报", opens_on=datetime.date(2025, 1, 5),
        due_on=datetime.date(2025, 3, 31), closes_on=datetime.date(2025, 4, 15), by=zone.users["coordinator"],
        enterprise_ids=[zone.enterprise_a.pk, zone.enterprise_b.pk],
    )  # fmt: skip


def good_values(**changes) -> dict:
    """A plausible torch return, in the form's units (千元, 人, 项)."""
    values = {
        "reg_type": "有限责任公司", "industry_code": "C", "founded_year": "2012", "is_high_tech": True,
        "is_tech_sme": False, "revenue": "120000", "main_revenue": "115000", "tech_income": "3000",
        "high_tech_product_revenue": "90000", "new_product_sales": "20000", "industrial_output": "118000",
        "industrial_sales": "116000", "value_added": "30000", "operating_cost": "90000", "total_profit": "9000",
        "net_profit": "7600", "taxes_paid": "5200", "income_tax": "1400", "vat": "3100", "tax_relief": "2100",
        "rd_deduction_relief": "1200", "high_tech_relief": "800", "export_total": "8000", "high_tech_export": "5000",
        "total_assets": "150000", "fixed_assets": "60000", "liabilities": "70000", "wages": "21000", "staff": "230",
        "staff_avg": "225", "staff_doctors": "2", "staff_masters": "15", "staff_bachelors": "80", "staff_college": "60",
        "staff_senior_title": "12", "staff_mid_title": "30", "tech_staff": "46", "rd_staff": "30", "rd_fte": "26.5",
        "tech_expense": "6500", "rd_expense": "5400", "rd_internal": "5000", "rd_external": "400",
        "rd_personnel_cost": "2600", "rd_gov_funds": "300", "patents_applied": "12", "inventions_applied": "4",
        "patents_granted": "9", "inventions_granted": "2", "valid_inventions": "11",
    }  # fmt: skip
    values.update(changes)
    return values
