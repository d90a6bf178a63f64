"""The yearly run: scores per firm item by item, the draft list, objections, the frozen final list, the grade on
the firm's file and in the facts the policy rules read."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhuqi.core.errors import DomainError
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.evaluations import selectors, services
from zhuqi.evaluations.models import ObjectionStatus, RunStatus, Score, ScoreChange
from zhuqi.indicators.selectors import facts_of
from zhuqi.indicators.services import indicator_values_record
from zhuqi.notifications.models import Notification

from .conftest import YEAR, evidence, facts_middle


def test_every_firm_of_the_park_is_scored_item_by_item_and_the_young_one_excluded(evaluation):
    scores = {s.enterprise_id: s for s in Score.objects.filter(run=evaluation.run)}
    assert set(scores) == {evaluation.enterprise_a.pk, evaluation.middle.pk, evaluation.young.pk}
    strong = scores[evaluation.enterprise_a.pk]
    assert (strong.total, strong.grade, strong.rank) == (Decimal("90.00"), "A", 1)
    lines = {line["code"]: line for line in selectors.score_lines(strong)}
    assert lines["major_hazards"]["points"] == Decimal("-10.00") and lines["tax_per_mu"]["value"] == 30
    assert "营业收入" not in lines["tax_per_mu"]["source"] and "taxes_paid" in lines["tax_per_mu"]["source"]
    assert scores[evaluation.middle.pk].grade == "C"
    assert scores[evaluation.young.pk].excluded == "成立不满一年" and scores[evaluation.young.pk].grade == ""


def test_a_draft_list_can_be_rescored_and_the_facts_come_in_a_few_queries(evaluation):
    """A few queries for the whole park — one per module counting facts, none per firm: ten more firms cost none."""
    officer = evaluation.users["officer_a"]
    with CaptureQueriesContext(connection) as three:
        services.run_score(run=evaluation.run, by=officer)
    for n in range(10):
        firm = EnterpriseFactory(name=f"平顶山新材料{n}有限公司", park=evaluation.park_a)
        indicator_values_record(enterprise=firm, period=str(YEAR), values=facts_middle(), by=officer)
    with CaptureQueriesContext(connection) as thirteen:
        services.run_score(run=evaluation.run, by=officer)
    assert Score.objects.filter(run=evaluation.run).count() == 13
    assert len(thirteen.captured_queries) == len(three.captured_queries) <= 30


def test_a_firm_objects_once_with_evidence_and_the_park_upholds_it_with_a_reason(published):
    firm_user = published.users["enterprise_a"]
    objection = services.objection_file(run=published.run, by=firm_user, item_code="valid_inventions",
                                        text="有效发明专利应为 12 项，附证书复印件", evidence=evidence())  # fmt: skip
    with pytest.raises(DomainError) as twice:
        services.objection_file(run=published.run, by=firm_user, text="再次提出异议", evidence=evidence())
    assert twice.value.code == services.EvaluationError.ALREADY_OBJECTED
    # rescoring is no longer possible once the list is out
    with pytest.raises(DomainError):
        services.run_score(run=published.run, by=published.users["officer_a"])
    objection = services.objection_decide(objection=objection, by=published.users["officer_a"], upheld=True,
                                          reason="核对证书，异议成立", corrected_value="2")  # fmt: skip
    assert objection.status == ObjectionStatus.UPHELD
    score = Score.objects.get(run=published.run, enterprise=published.enterprise_a)
    assert score.total == Decimal("84.00") and score.grade == "B"  # 10 → 4 points for 2 patents
    change = ScoreChange.objects.get(run=published.run)
    assert change.before["grade"] == "A" and change.after["grade"] == "B" and change.reason == "核对证书，异议成立"
    with pytest.raises(Exception):  # noqa: B017 - the log is append-only
        change.save()


def test_an_objection_needs_evidence_and_a_reason_and_only_the_firm_itself_may_file_it(published):
    with pytest.raises(DomainError) as no_evidence:
        services.objection_file(run=published.run, by=published.users["enterprise_a"], text="分数有误请复核",
                                evidence=None)  # fmt: skip
    assert no_evidence.value.field == "evidence"
    with pytest.raises(DomainError):  # 君易安 is not on park A's list
        services.objection_file(run=published.run, by=published.users["enterprise_b"], text="分数有误请复核",
                                evidence=evidence())  # fmt: skip
    objection = services.objection_file(run=published.run, by=published.users["enterprise_a"], text="分数有误请复核",
                                        evidence=evidence())  # fmt: skip
    with pytest.raises(DomainError) as no_reason:
        services.objection_decide(objection=objection, by=published.users["officer_a"], upheld=False, reason="")
    assert no_reason.value.field == "reason"


def test_the_final_list_waits_for_every_objection_then_is_frozen_and_on_the_firms_file(published):
    officer = published.users["officer_a"]
    objection = services.objection_file(run=published.run, by=published.users["enterprise_a"], text="分数有误请复核",
                                        evidence=evidence())  # fmt: skip
    with pytest.raises(DomainError):
        services.run_finalise(run=published.run, by=officer)
    services.objection_decide(objection=objection, by=officer, upheld=False, reason="所附材料不能证明，维持原评分")
    run = services.run_finalise(run=published.run, by=officer)
    assert run.status == RunStatus.FINAL
    # the firm was told at each step: the draft list out, its objection decided with the reason, the list final
    inbox = list(Notification.objects.filter(recipient=published.users["enterprise_a"], url__startswith="/evaluations/")
                 .order_by("pk"))  # fmt: skip
    park = published.park_a.name
    assert [n.title for n in inbox] == [f"{park}2023 年度企业绩效综合评价名单公示，异议截止 {run.objections_until}",
                                        "您对 2023 年度企业绩效综合评价的异议未获支持",
                                        f"{park}2023 年度企业绩效综合评价最终结果已公布"]  # fmt: skip
    assert "所附材料不能证明" in inbox[1].body
    assert not Notification.objects.filter(
        recipient=published.users["enterprise_b"], url__startswith="/evaluations/"
    ).exists()
    entry = TimelineEntry.objects.get(enterprise=published.enterprise_a, kind="evaluation")
    assert "A 级" in entry.summary
    # frozen: nothing rescored, nothing decided; later data shown beside, not applied
    with pytest.raises(DomainError):
        services.run_score(run=run, by=officer)
    indicator_values_record(enterprise=published.enterprise_a, period=str(YEAR), values={"taxes_paid": 1000000},
                            by=officer)  # fmt: skip
    score = Score.objects.get(run=run, enterprise=published.enterprise_a)
    assert score.total == Decimal("90.00")
    assert selectors.score_now(score).total < Decimal("90.00")


def test_the_published_grade_is_a_fact_the_policy_rules_read(published):
    assert facts_of(enterprises=[published.enterprise_a], period=str(YEAR), codes=["evaluation_grade"]) == {}
    services.run_finalise(run=published.run, by=published.users["officer_a"])
    facts = facts_of(enterprises=[published.enterprise_a, published.young], period=str(YEAR),
                     codes=["evaluation_grade"])  # fmt: skip
    assert facts == {published.enterprise_a.pk: {"evaluation_grade": "A"}}


def test_year_on_year_movement_against_last_years_final_grade(published):
    assert selectors.movement("A", "B") == "up" and selectors.movement("C", "B") == "down"
    assert selectors.movement("B", None) == "new" and selectors.movement("B", "B") == "same"


def test_brief_sentences_count_the_grades(published):
    sentences = selectors.brief_sentences(year=YEAR)
    assert "参评 2 家" in sentences[0] and "A 级 1 家" in sentences[0] and "不参评 1 家" in sentences[0]


def test_objections_after_the_window_are_refused(published):
    published.run.objections_until = datetime.date(2024, 1, 1)
    published.run.save()
    with pytest.raises(DomainError):
        services.objection_file(run=published.run, by=published.users["enterprise_a"], text="分数有误请复核",
                                evidence=evidence())  # fmt: skip


def test_a_fact_a_module_counts_wins_over_what_the_firm_reported(evaluation):
    """中和 wrote 'not high-tech' on its return, but its certificate is in force: growth's count is the fact scored."""
    indicator_values_record(enterprise=evaluation.middle, period=str(YEAR), values={"is_high_tech": False},
                            by=evaluation.users["officer_a"])  # fmt: skip
    scorer = selectors.scorer_for(evaluation.method)
    row = selectors.fact_rows(scorer=scorer, enterprises=[evaluation.middle.pk], year=YEAR)[evaluation.middle.pk]
    assert row[scorer.book.layout.index((False, "is_high_tech"))] is True
    assert row[scorer.book.layout.index((False, "staff"))] == 120
