"""The catalogue written on its pages by the officers in charge: a new policy with its first condition, conditions
added and removed with their samples checked, and a revision from a date once firms have applied."""

import datetime

import pytest
from django.urls import reverse

from zhuqi.indicators.models import Rule, RuleStatus
from zhuqi.policies import matching
from zhuqi.policies.models import Match, Policy, Round

pytestmark = pytest.mark.django_db

STAFF_100 = {"name": "从业人员不少于 100 人", "expression": "staff >= 100", "message": "从业人员 {staff} 人，需不少于 100 人",
             "source_document": "平高管〔2025〕15号 第二条第（三）款", "samples": "成立：staff=100\n不成立：staff=99"}  # fmt: skip


def test_a_department_adds_a_condition_and_the_firms_are_matched_again(catalogue, client_as,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    matching.match_run(on=datetime.date.today())
    assert Match.objects.get(enterprise=catalogue.enterprise_b, policy=catalogue.award).verdict == "nearly"
    client = client_as(catalogue.users["science"])
    page = client.get(reverse("policy-detail", args=[catalogue.award.pk])).content.decode()
    assert reverse("policy-condition-new", args=[catalogue.award.pk]) in page

    refused = client.post(reverse("policy-condition-new", args=[catalogue.award.pk]),
                          {**STAFF_100, "samples": "成立：staff=100"})  # fmt: skip
    body = refused.content.decode()
    assert "至少" in body and "staff &gt;= 100" in body  # the message beside the samples; the condition as typed
    assert not Rule.objects.filter(expression="staff >= 100").exists()

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(reverse("policy-condition-new", args=[catalogue.award.pk]), STAFF_100)
    assert saved.status_code == 302
    assert Rule.objects.get(expression="staff >= 100").status == RuleStatus.ACTIVE
    # 君易安 (40 staff, R&D 2.8%) now misses two conditions: it no longer nearly qualifies
    assert not Match.objects.filter(enterprise=catalogue.enterprise_b, policy=catalogue.award,
                                    verdict__in=["nearly", "qualifies"]).exists()  # fmt: skip
    assert Match.objects.get(enterprise=catalogue.enterprise_a, policy=catalogue.award).verdict == "qualifies"

    code = Rule.objects.get(expression="staff >= 100").code
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("policy-condition-retire", args=[catalogue.award.pk, code]))
    assert Rule.objects.get(expression="staff >= 100").status == RuleStatus.RETIRED
    assert Match.objects.get(enterprise=catalogue.enterprise_b, policy=catalogue.award).verdict == "nearly"


def test_a_condition_whose_samples_disagree_is_not_saved(catalogue, client_as):
    client = client_as(catalogue.users["science"])
    response = client.post(reverse("policy-condition-new", args=[catalogue.award.pk]),
                           {**STAFF_100, "samples": "成立：staff=99\n不成立：staff=100"})  # fmt: skip
    assert response.status_code == 200
    assert "从业人员不少于 100 人" in response.content.decode()
    assert not Rule.objects.filter(expression="staff >= 100").exists()


def test_only_the_office_and_the_department_in_charge_write_a_policy(catalogue, client_as):
    url = reverse("policy-condition-new", args=[catalogue.award.pk])
    assert client_as(catalogue.users["department"]).get(url).status_code == 404  # another department
    assert client_as(catalogue.users["officer_a"]).get(url).status_code == 403  # a park
    assert client_as(catalogue.users["enterprise_a"]).get(url).status_code == 403
    assert client_as(catalogue.users["enterprise_a"]).get(reverse("policy-new")).status_code == 403
    assert client_as(catalogue.users["coordinator"]).get(url).status_code == 200


def test_once_a_list_is_drawn_the_rules_change_only_by_a_revision(catalogue, client_as):
    client = client_as(catalogue.users["science"])
    Round.objects.create(policy=catalogue.award, version=catalogue.award.versions.get(), period="2025",
                         drawn_by=catalogue.users["science"])  # fmt: skip
    refused = client.post(reverse("policy-condition-new", args=[catalogue.award.pk]), STAFF_100)
    assert "修订" in refused.content.decode()
    assert not Rule.objects.filter(expression="staff >= 100").exists()

    late = client.post(reverse("policy-revise", args=[catalogue.award.pk]),
                       {"valid_from": "2024-12-31", "benefit_kind": "fixed", "benefit": "100000"})  # fmt: skip
    assert late.status_code == 200 and catalogue.award.versions.count() == 1
    client.post(reverse("policy-revise", args=[catalogue.award.pk]),
                {"valid_from": "2026-07-01", "benefit_kind": "fixed", "benefit": "150000", "benefit_text": "15 万元"})  # fmt: skip
    old, new = catalogue.award.versions.order_by("number")
    assert (old.valid_to, new.valid_from, new.benefit) == (
        datetime.date(2026, 6, 30),
        datetime.date(2026, 7, 1),
        "150000",
    )
    assert (sorted(Rule.objects.filter(ruleset=new.conditions).values_list("expression", flat=True))
            == sorted(Rule.objects.filter(ruleset=old.conditions).values_list("expression", flat=True)))  # fmt: skip
    # the new version's conditions are open to change, the old one's are not
    saved = client.post(reverse("policy-condition-new", args=[catalogue.award.pk]), STAFF_100)
    assert saved.status_code == 302
    assert Rule.objects.filter(ruleset=new.conditions, expression="staff >= 100").exists()
    assert not Rule.objects.filter(ruleset=old.conditions, expression="staff >= 100").exists()


def test_a_policy_is_published_with_its_first_condition(catalogue, client_as):
    client = client_as(catalogue.users["science"])
    form = {"title": "研发投入后补助", "doc_number": "平高管〔2026〕3号", "issuer": "平顶山高新区管委会",
            "department": catalogue.users["science"].department_id, "level": "zone", "category": "innovation",
            "mode": "apply", "summary": "按研发投入给予后补助", "materials": "申请表\n研发支出辅助账",
            "tags": "科技型中小企业、高新技术企业", "valid_from": "2026-01-01", "priority": "larger", "benefit_kind": "fixed",
            "benefit": "50000", "benefit_text": "5 万元", "c-name": STAFF_100["name"],
            "c-expression": STAFF_100["expression"], "c-message": STAFF_100["message"],
            "c-source_document": ""}  # fmt: skip
    refused = client.post(reverse("policy-new"), {**form, "c-samples": STAFF_100["samples"]})
    assert refused.status_code == 200 and not Policy.objects.filter(title="研发投入后补助").exists()
    assert "研发投入后补助" in refused.content.decode()  # what was typed stays

    saved = client.post(
        reverse("policy-new"), {**form, "c-source_document": "第二条", "c-samples": STAFF_100["samples"]}
    )
    policy = Policy.objects.get(title="研发投入后补助")
    assert saved.url == reverse("policy-detail", args=[policy.pk])
    assert (policy.materials, policy.tags) == (["申请表", "研发支出辅助账"], ["科技型中小企业", "高新技术企业"])
    rule = Rule.objects.get(ruleset=policy.versions.get().conditions)
    assert (rule.expression, rule.source_document, rule.status) == ("staff >= 100", "第二条", RuleStatus.ACTIVE)
