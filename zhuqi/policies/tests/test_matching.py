import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.notifications.models import Notification
from zhuqi.policies import conditions as c
from zhuqi.policies import matching, selectors, services
from zhuqi.policies.models import Match

from .conftest import TODAY, certificate_end, record

pytestmark = pytest.mark.django_db


def test_each_firm_is_judged_three_valued_with_the_value_the_threshold_and_the_clause(catalogue):
    third = EnterpriseFactory(name="平顶山宁科商贸有限公司", park=catalogue.park_a)
    matching.match_run(on=TODAY)
    a = Match.objects.get(enterprise=catalogue.enterprise_a, policy=catalogue.award)
    b = Match.objects.get(enterprise=catalogue.enterprise_b, policy=catalogue.award)
    assert not Match.objects.filter(enterprise=third).exists()  # a firm that does not qualify keeps no row
    unknown = matching.pair_judged(enterprise_id=third.pk, policy_id=catalogue.award.pk, on=TODAY)  # its page
    assert (a.verdict, a.amount, a.period) == ("qualifies", Decimal("100000.00"), "2025")
    assert [x["verdict"] for x in a.conditions] == ["true", "true"]
    assert b.verdict == "nearly"
    assert b.lacking == "研发费用占比 2.8%，需 ≥ 3%"
    failed = [x for x in b.conditions if x["verdict"] == "false"][0]
    assert failed["clause"] == "平高管〔2025〕15号 第二条第（二）款"
    # not on the growth register: not high-tech (growth counts it), whatever its figures; those it never reported
    # are named
    assert unknown.verdict == "fails"
    assert set(unknown.missing) == {"研究开发费用合计", "营业收入"}
    assert [x["verdict"] for x in unknown.conditions] == ["false", "unknown"]


def test_a_firm_that_misses_two_conditions_does_not_qualify(catalogue):
    certificate_end(catalogue.enterprise_b)
    matching.match_run(on=TODAY)
    assert not Match.objects.filter(enterprise=catalogue.enterprise_b).exists()
    judged = matching.pair_judged(enterprise_id=catalogue.enterprise_b.pk, policy_id=catalogue.award.pk, on=TODAY)
    assert judged.verdict == "fails"
    assert [x["text"] for x in judged.conditions if x["verdict"] == "false"] == ["尚未认定为高新技术企业",
                                                                             "研发费用占比 2.8%，需 ≥ 3%"]  # fmt: skip


def test_a_firm_newly_eligible_is_told_once(catalogue):
    matching.match_run(on=TODAY)
    assert Notification.objects.filter(recipient=catalogue.users["enterprise_a"]).count() == 1
    assert not Notification.objects.filter(recipient=catalogue.users["enterprise_b"]).exists()
    matching.match_run(on=TODAY)
    assert Notification.objects.filter(recipient=catalogue.users["enterprise_a"]).count() == 1
    record(catalogue.enterprise_b, catalogue.users["coordinator"], rd_expense=400_000)
    matching.match_run(enterprise_ids=[catalogue.enterprise_b.pk], on=TODAY)
    assert Notification.objects.filter(recipient=catalogue.users["enterprise_b"]).count() == 1


def test_exclusions_set_a_qualifying_firm_aside_with_the_reason(catalogue):
    catalogue.hazards.major_hazard(catalogue.enterprise_a)
    catalogue.hazards.pollution_grade(catalogue.enterprise_a, "D")
    matching.match_run(on=TODAY)
    a = Match.objects.get(enterprise=catalogue.enterprise_a)
    assert a.verdict == "qualifies"
    assert a.excluded == ["存在未整改的重大事故隐患 1 项", "环保绩效分级为 D 级（重污染天气预警期间不予兑现）"]


def test_changed_data_are_rematched_by_the_task(catalogue):
    from zhuqi.policies import tasks

    matching.match_run()
    record(catalogue.enterprise_b, catalogue.users["coordinator"], rd_expense=400_000)
    assert tasks.matches_refresh_changed() == Match.objects.filter(enterprise=catalogue.enterprise_b).count()
    assert Match.objects.get(enterprise=catalogue.enterprise_b).verdict == "qualifies"


def test_a_revised_policy_keeps_the_old_rounds_on_the_old_rules(catalogue):
    office = catalogue.users["coordinator"]
    old = services.round_draw(policy=catalogue.award, by=office, on=TODAY)
    assert [g.amount for g in old.grants.all()] == [Decimal("100000.00")]
    services.policy_revise(
        policy=catalogue.award, by=office, valid_from=datetime.date(2026, 7, 1), benefit="150000",
        conditions=[c.high_tech("平高管〔2026〕3号 第二条"), c.rd_share_at_least(5, "平高管〔2026〕3号 第二条")],
    )  # fmt: skip
    old.refresh_from_db()
    assert old.version.number == 1 and old.grants.get().amount == Decimal("100000.00")
    assert matching.versions_in_force(TODAY, [catalogue.award.pk])[0].number == 1
    matching.match_run(on=datetime.date(2026, 7, 2))
    a = Match.objects.get(enterprise=catalogue.enterprise_a)
    assert (a.version.number, a.verdict, a.amount) == (2, "nearly", None)
    assert a.lacking == "研发费用占比 4%，需 ≥ 5%"


def test_policies_search_by_words_category_and_tag(catalogue):
    assert list(selectors.policy_search(words="高新 奖励")) == [catalogue.award]
    assert list(selectors.policy_search(category="tax")) == []
    assert selectors.policy_search(tag="高新技术企业") == []


def test_the_counted_fact_counts_payments_in_the_period(catalogue):
    services.payment_record(policy=catalogue.award, enterprise=catalogue.enterprise_a, amount=Decimal(100000),
                            paid_on=datetime.date(2025, 5, 1), started_on=datetime.date(2025, 3, 1),
                            by=catalogue.users["coordinator"])  # fmt: skip
    facts = selectors.counted_facts(enterprise_ids=[catalogue.enterprise_a.pk, catalogue.enterprise_b.pk],
                                    period="2025")  # fmt: skip
    assert facts[catalogue.enterprise_a.pk]["policy_benefits_in_period"] == 1
    assert facts[catalogue.enterprise_b.pk]["policy_benefits_in_period"] == 0
    assert (
        selectors.counted_facts(enterprise_ids=[catalogue.enterprise_a.pk], period="2025Q3")[catalogue.enterprise_a.pk][
            "policy_benefits_in_period"
        ]
        == 0
    )


def test_a_firm_that_misses_two_conditions_is_explained_when_its_match_is_read(catalogue, client_as):
    certificate_end(catalogue.enterprise_b)
    matching.match_run(on=TODAY)
    page = (
        client_as(catalogue.users["officer_b"])
        .get(reverse("policy-match", args=[catalogue.award.pk, catalogue.enterprise_b.pk]))
        .content.decode()
    )
    assert "尚未认定为高新技术企业" in page
    own = client_as(catalogue.users["enterprise_b"]).get(reverse("policy-detail", args=[catalogue.award.pk]))
    assert "不符合" in own.content.decode() and "研发费用占比 2.8%，需 ≥ 3%" in own.content.decode()
    other = client_as(catalogue.users["enterprise_a"]).get(
        reverse("policy-match", args=[catalogue.award.pk, catalogue.enterprise_b.pk]))  # fmt: skip
    assert other.status_code in (403, 404)
    assert "研发费用占比 2.8%，需 ≥ 3%" in page and "平高管〔2025〕15号 第二条第（二）款" in page


def test_a_change_is_caught_even_after_another_firm_was_matched_later(catalogue):
    from zhuqi.policies import tasks

    matching.match_run()
    record(catalogue.enterprise_b, catalogue.users["coordinator"], rd_expense=400_000)
    matching.match_run(enterprise_ids=[catalogue.enterprise_a.pk])  # a later match of another firm
    tasks.matches_refresh_changed()
    assert Match.objects.get(enterprise=catalogue.enterprise_b).verdict == "qualifies"
    assert tasks.matches_refresh_changed() == 0
