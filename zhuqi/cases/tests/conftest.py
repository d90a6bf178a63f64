import datetime

import pytest

from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.org.models import Department


@pytest.fixture
def two_cases(zone):
    """Case A: enterprise A's demand led by 应急管理局 (the zone fixture's department); case B: enterprise B's,
    led by another department."""
    safety = Department.objects.get(name="应急管理局")
    other = Department.objects.create(name="经济发展局")
    category = CategoryFactory(name="安全生产", department=safety, deadline_workdays=5)
    common = {
        "status": Status.IN_PROGRESS,
        "assigned_on": datetime.date(2026, 11, 16),
        "deadline": datetime.date(2026, 11, 23),
    }
    case_a = CaseFactory(
        enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["enterprise_a"], category=category,
        lead_department=safety, description="车间消防通道被占用，希望指导整改", **common,
    )  # fmt: skip
    case_b = CaseFactory(
        enterprise=zone.enterprise_b, park=zone.park_b, reporter=zone.users["enterprise_b"], category=category,
        lead_department=other, description="厂房漏水，无人负责维修", **common,
    )  # fmt: skip
    return case_a, case_b
