"""The zone writes and tests rules on its own page: rule_save's checks beside the field, nothing typed lost on a
refusal, a trial on the samples and on a firm's real values as it types (htmx), then brought into effect."""

import pytest
from django.urls import reverse

from zhuqi.indicators.forms import samples_parse, samples_text
from zhuqi.indicators.models import Rule, RuleStatus
from zhuqi.indicators.services import indicator_values_record, ruleset_ensure

from .factories import some_indicators

pytestmark = pytest.mark.django_db

RULE = {
    "code": "rd_share", "name": "研发费用占比", "expression": "rd_expense * 100 >= revenue * 3",
    "message": "研发费用占比低于 3%（研发费用 {rd_expense} 千元）", "severity": "warning",
    "source_document": "国科发火〔2016〕32号", "values": "", "industry": "", "replaces": "",
    "valid_from": "2024-01-01", "valid_to": "", "samples": "", "firm": "", "period": "",
}  # fmt: skip


@pytest.fixture
def ruleset(zone):
    some_indicators()
    return ruleset_ensure(code="policy:test", name="研发费用加计扣除条件")


@pytest.mark.parametrize("who, status", [("coordinator", 200), ("sysadmin", 200), ("officer_a", 403),
                                         ("department", 403), ("enterprise_a", 403)])  # fmt: skip
def test_only_the_zone_office_and_the_system_administrator_write_rules(zone, ruleset, client, who, status):
    client.force_login(zone.users[who])
    assert client.get(reverse("ruleset-list")).status_code == status
    assert client.get(reverse("rule-new", args=[ruleset.pk])).status_code == status
    assert client.post(reverse("rule-try", args=[ruleset.pk]), RULE).status_code == status


def test_a_refused_rule_keeps_what_was_typed_and_says_why_beside_the_condition(zone, ruleset, client):
    client.force_login(zone.users["coordinator"])
    response = client.post(
        reverse("rule-new", args=[ruleset.pk]), {**RULE, "expression": "rd_spend * 100 >= revenue * 3"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "未知指标" in form.errors["expression"][0] and "rd_spend" in form.errors["expression"][0]
    html = response.content.decode()
    assert "rd_spend * 100 &gt;= revenue * 3" in html and "国科发火〔2016〕32号" in html
    assert not Rule.objects.exists()

    bad_samples = client.post(reverse("rule-new", args=[ruleset.pk]), {**RULE, "samples": "也许：revenue=1"})
    assert "第 1 行" in bad_samples.context["form"].errors["samples"][0]


def test_a_rule_is_saved_as_a_draft_tried_and_brought_into_effect_once_its_samples_pass(zone, ruleset, client):
    client.force_login(zone.users["coordinator"])
    response = client.post(
        reverse("rule-new", args=[ruleset.pk]), {**RULE, "samples": "成立：rd_expense=50，revenue=1000"}
    )
    rule = Rule.objects.get(ruleset=ruleset, code="rd_share")
    assert response.status_code == 302 and rule.status == RuleStatus.DRAFT
    refused = client.post(reverse("rule-activate", args=[rule.pk]), follow=True)
    assert "至少一个样例上规则不成立" in refused.content.decode()
    rule.refresh_from_db()
    assert rule.status == RuleStatus.DRAFT

    samples = "成立：rd_expense=50，revenue=1000\n不成立：rd_expense=20，revenue=1000"
    edited = client.post(reverse("rule-edit", args=[rule.pk]), {**RULE, "samples": samples})
    assert edited.status_code == 302, edited.context["form"].errors
    activated = client.post(reverse("rule-activate", args=[rule.pk]), follow=True)
    assert "已启用" in activated.content.decode(), [str(m) for m in activated.context["messages"]]
    rule.refresh_from_db()
    assert rule.status == RuleStatus.ACTIVE and len(rule.samples) == 2
    assert 'text-bg-success">生效' in client.get(reverse("ruleset-detail", args=[ruleset.pk])).content.decode()


def test_the_trial_runs_the_typed_rule_on_its_samples_and_on_a_firms_real_values(zone, ruleset, client):
    indicator_values_record(enterprise=zone.enterprise_a, period="2024", values={"revenue": 1000, "rd_expense": 28},
                            by=zone.users["coordinator"], units={"revenue": "千元", "rd_expense": "千元"})  # fmt: skip
    client.force_login(zone.users["coordinator"])
    response = client.post(reverse("rule-try", args=[ruleset.pk]), {
        **RULE, "samples": "成立：rd_expense=50，revenue=1000\n成立：rd_expense=20，revenue=1000",
        "firm": zone.enterprise_a.name, "period": "2024",
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "符合预期" in html and "不符合预期" in html
    assert zone.enterprise_a.name in html and "研发费用 28 千元" in html

    typo = client.post(reverse("rule-try", args=[ruleset.pk]), {**RULE, "expression": "rd_expense * 100 >= "})
    assert "语法错误" in typo.content.decode()


def test_the_park_officers_firm_is_not_found_by_a_zone_rule_trial_of_another_scope(zone, ruleset, client):
    client.force_login(zone.users["sysadmin"])  # sees no firm
    response = client.post(reverse("rule-try", args=[ruleset.pk]), {**RULE, "firm": zone.enterprise_a.name,
                                                                     "period": "2024"})  # fmt: skip
    assert "未找到" in response.content.decode() and zone.enterprise_a.name not in response.content.decode()


def test_samples_are_written_one_a_line_and_read_back_the_same():
    samples = samples_parse('不成立：rd_expense=400，revenue=1000，last.revenue=900\n成立：is_high_tech=是, kind="A"')
    assert samples == [
        {"values": {"rd_expense": 400, "revenue": 1000}, "last": {"revenue": 900}, "expect": "false"},
        {"values": {"is_high_tech": True, "kind": "A"}, "last": {}, "expect": "true"},
    ]
    assert samples_parse(samples_text(samples)) == samples
