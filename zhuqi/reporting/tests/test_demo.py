"""The demo's torch statistics: last year's returns filed and approved, this year's under way."""

import datetime

from zhuqi.enterprises.models import Scale
from zhuqi.enterprises.tests.factories import EnterpriseFactory, QualificationFactory
from zhuqi.indicators.selectors import indicator_values_of
from zhuqi.reporting.demo import load_demo_returns
from zhuqi.reporting.models import Campaign, ReturnState
from zhuqi.reporting.selectors import return_check


def test_the_demo_files_2023_and_2024_returns_that_pass_every_error_rule(zone):
    above = EnterpriseFactory.create_batch(4, park=zone.park_a, scale=Scale.ABOVE)
    high_tech = EnterpriseFactory(park=zone.park_b)
    QualificationFactory(enterprise=high_tech, kind="high_tech")
    assert load_demo_returns(seed=1, today=datetime.date(2025, 2, 1)) >= 5
    c2023, c2024 = Campaign.objects.order_by("period")
    assert set(c2023.returns.values_list("state", flat=True)) == {ReturnState.ZONE_APPROVED}
    assert c2023.returns.count() == 5 and c2024.returns.count() == 5
    values = indicator_values_of(enterprises=[e.pk for e in above], period="2023")
    assert all(v["revenue"] >= 20_000_000 for v in values.values())  # 规上: 营业收入 2000 万元 and more
    for ret in c2024.returns.exclude(state=ReturnState.NOT_STARTED):
        assert return_check(ret).evaluation.errors == []
