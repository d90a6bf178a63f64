"""A torch return's life: filled, checked by the rules (an error blocks, a warning needs a sentence), submitted,
approved or sent back by the park and by the zone, only inside the window."""

import datetime
from decimal import Decimal

import pytest

from zhuqi.core.errors import DomainError
from zhuqi.indicators.models import Origin
from zhuqi.indicators.selectors import indicator_value_history, indicator_values
from zhuqi.indicators.services import indicator_values_record
from zhuqi.reporting.definitions import field_change, form_version_copy
from zhuqi.reporting.models import Field, ReturnEvent, ReturnState
from zhuqi.reporting.selectors import allowed_actions, return_check, returns_visible_to
from zhuqi.reporting.services import return_act

from .conftest import TODAY, good_values


def test_the_torch_form_ships_about_sixty_indicators_in_thousands_of_yuan_and_says_what_is_simplified(torch):
    fields = list(Field.objects.filter(section__version=torch).select_related("indicator", "section"))
    assert 55 <= len(fields) <= 70
    assert {f.section.title for f in fields} == {"企业概况", "经济概况", "人员概况", "科技活动概况"}
    assert {f.unit for f in fields if f.indicator.value_kind == "amount"} == {"千元"}
    assert "简化" not in torch.notes or torch.notes
    assert "主要产品概况" in torch.notes and any(f.simplified for f in fields)
    assert torch.ruleset.rules.filter(status="active").count() >= 80


def test_a_form_version_is_frozen_once_a_campaign_uses_it(zone, torch, campaign):
    torch.refresh_from_db()
    assert torch.in_use_at is not None
    field = Field.objects.filter(section__version=torch, indicator__code="revenue").get()
    with pytest.raises(DomainError, match="新版本"):
        field_change(field=field, by=zone.users["coordinator"], yoy_limit=50)
    new = form_version_copy(version=torch, by=zone.users["coordinator"])
    copied = Field.objects.get(section__version=new, indicator__code="revenue")
    field_change(field=copied, by=zone.users["coordinator"], yoy_limit=50)
    assert new.ruleset.rules.get(code="revenue.yoy").expression.count("50") == 2
    assert torch.ruleset.rules.get(code="revenue.yoy").expression.count("30") == 2


def test_a_return_is_prefilled_from_the_enterprise_file_and_last_year(zone, torch):
    from zhuqi.reporting.services import campaign_create

    indicator_values_record(enterprise=zone.enterprise_a, period="2023", values={"reg_type": "私营", "founded_year": 2009},
                            by=zone.users["enterprise_a"])  # fmt: skip
    campaign = campaign_create(version=torch, period="2024", title="2024", opens_on=TODAY, due_on=TODAY,
                               closes_on=TODAY, by=zone.users["coordinator"], enterprise_ids=[zone.enterprise_a.pk])  # fmt: skip
    ret = campaign.returns.get()
    assert ret.values["reg_type"] == "私营" and ret.values["founded_year"] == "2009"
    assert ret.values["industry_code"] == "C" and ret.values["is_high_tech"] is False


def test_an_error_blocks_and_a_warning_needs_an_explanation(zone, campaign):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    firm = zone.users["enterprise_a"]
    with pytest.raises(DomainError, match="研究开发人员 60 人多于科技活动人员 46 人"):
        return_act(ret=ret, action="submit", by=firm, values=good_values(rd_staff="60"), today=TODAY)
    ret.refresh_from_db()
    assert ret.state == ReturnState.NOT_STARTED  # nothing half-written

    indicator_values_record(enterprise=zone.enterprise_a, period="2023", values={"revenue": 35000}, units={"revenue": "千元"},
                            by=firm)  # fmt: skip
    check = return_check(ret, values=good_values())
    assert [o.message for o in check.evaluation.warnings] == ["营业收入比上年变化 242.9%（变化 30% 以上须说明原因）"]
    with pytest.raises(DomainError, match="1 条警示须说明"):
        return_act(ret=ret, action="submit", by=firm, values=good_values(), today=TODAY)
    ret = return_act(ret=ret, action="submit", by=firm, values=good_values(),
                     explanations={"revenue.yoy": "新生产线投产"}, today=TODAY)  # fmt: skip
    assert ret.state == ReturnState.SUBMITTED
    assert indicator_values(enterprise=zone.enterprise_a, period="2024")["revenue"] == Decimal("120000000")
    value = indicator_value_history(enterprise=zone.enterprise_a, code="revenue", period="2024").first()
    assert value.origin == Origin.RETURN and value.origin_ref == f"reporting.return:{ret.pk}"
    assert value.origin_version == "torch v1" and value.recorded_by == firm


def test_the_whole_life_with_a_send_back_at_each_level(zone, campaign):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    firm, park, other_park, office = (zone.users[k] for k in ("enterprise_a", "officer_a", "officer_b", "coordinator"))
    ret = return_act(ret=ret, action="save", by=firm, values=good_values(revenue="100000"), today=TODAY)
    assert ret.state == ReturnState.SAVED
    ret = return_act(ret=ret, action="submit", by=firm, values=good_values(), today=TODAY)

    with pytest.raises(DomainError, match="不能"):
        return_act(ret=ret, action="park_approve", by=other_park)
    with pytest.raises(DomainError, match="请填写意见"):
        return_act(ret=ret, action="park_return", by=park, comment=" ")
    ret = return_act(ret=ret, action="park_return", by=park, comment="研发费用请按审计报告填写")
    assert ret.state == ReturnState.SAVED
    ret = return_act(ret=ret, action="submit", by=firm, values=good_values(), today=TODAY)
    ret = return_act(ret=ret, action="park_approve", by=park)
    assert allowed_actions(office, ret) == ["zone_approve", "zone_return", "reopen"]
    ret = return_act(ret=ret, action="zone_return", by=office, comment="出口总额与海关数据不符")
    assert ret.state == ReturnState.SAVED
    ret = return_act(ret=ret, action="submit", by=firm, values=good_values(export_total="7000"), today=TODAY)
    ret = return_act(ret=ret, action="park_approve", by=park)
    ret = return_act(ret=ret, action="zone_approve", by=office)
    assert ret.state == ReturnState.ZONE_APPROVED
    events = list(ReturnEvent.objects.filter(ret=ret).values_list("action", "to_state", "comment"))
    assert [e[0] for e in events] == ["save", "submit", "park_return", "submit", "park_approve", "zone_return",
                                      "submit", "park_approve", "zone_approve"]  # fmt: skip
    assert events[2][2] == "研发费用请按审计报告填写"
    exports = indicator_value_history(enterprise=zone.enterprise_a, code="export_total", period="2024")
    assert [v.number for v in exports] == [Decimal("7000000"), Decimal("8000000")]


def test_the_firm_edits_only_inside_the_window_unless_the_zone_reopens_its_return(zone, campaign):
    ret = campaign.returns.get(enterprise=zone.enterprise_a)
    firm = zone.users["enterprise_a"]
    late = datetime.date(2025, 4, 16)
    with pytest.raises(DomainError, match="已关闭"):
        return_act(ret=ret, action="save", by=firm, values=good_values(), today=late)
    assert "save" not in allowed_actions(firm, ret, today=late)
    with pytest.raises(DomainError):
        return_act(ret=ret, action="save", by=firm, values=good_values(), today=datetime.date(2025, 1, 4))
    ret = return_act(ret=ret, action="reopen", by=zone.users["coordinator"], comment="企业申请补报")
    ret = return_act(ret=ret, action="submit", by=firm, values=good_values(), today=late)
    assert ret.state == ReturnState.SUBMITTED


def test_a_firm_sees_its_own_returns_and_a_park_its_firms(zone, campaign):
    assert set(returns_visible_to(zone.users["enterprise_a"]).values_list("enterprise", flat=True)) == {
        zone.enterprise_a.pk
    }
    assert set(returns_visible_to(zone.users["officer_b"]).values_list("enterprise", flat=True)) == {
        zone.enterprise_b.pk
    }
    assert returns_visible_to(zone.users["coordinator"]).count() == 2
    assert returns_visible_to(zone.users["auditor"]).count() == 0


def test_the_torch_form_is_installed_once_by_its_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("torch_form_install", stdout=out)
    call_command("torch_form_install", stdout=out)
    assert "4 张分表" in out.getvalue()
    from zhuqi.reporting.models import FormVersion

    assert FormVersion.objects.filter(form__code="torch").count() == 1
