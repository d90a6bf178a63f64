"""On a phone: a firm fills the torch form, meets an error beside the field as it types and a warning it must
explain, submits; its park sends the return back with a comment."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhuqi.core.tests.browser import ARTIFACTS, browser_marks, log_in
from zhuqi.indicators.services import indicator_values_record
from zhuqi.reporting.definitions import torch_install
from zhuqi.reporting.models import ReturnState
from zhuqi.reporting.services import campaign_create, return_act

from .conftest import good_values

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_a_firm_fills_the_torch_form_on_a_phone_and_the_park_sends_it_back(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    today = timezone.localdate()
    campaign = campaign_create(
        version=torch_install(), period="2024", title="2024 年火炬统计年报", opens_on=today - datetime.timedelta(days=3),
        due_on=today + datetime.timedelta(days=20), closes_on=today + datetime.timedelta(days=30),
        by=zone.users["coordinator"], enterprise_ids=[zone.enterprise_a.pk],
    )  # fmt: skip
    ret = campaign.returns.get()
    firm = zone.users["enterprise_a"]
    indicator_values_record(enterprise=zone.enterprise_a, period="2023", values={"revenue": 35000},
                            units={"revenue": "千元"}, by=firm)  # fmt: skip
    values = good_values()
    del values["rd_staff"]
    return_act(ret=ret, action="save", by=firm, values=values)

    log_in(page, base, "enterprise_a")
    page.goto(f"{base}/reporting/returns/{ret.pk}/?section=people")
    page.fill("#v-rd_staff", "60")
    message = page.locator("#msg-rd_staff")
    message.get_by_text("研究开发人员 60 人多于科技活动人员 46 人").wait_for()
    page.fill("#v-rd_staff", "30")
    expect(message).not_to_contain_text("多于")
    page.click("#save-next")
    page.wait_for_url(f"{base}/reporting/returns/{ret.pk}/?section=technology")
    page.click("#section-submit")
    warning = page.locator("[data-rule='revenue.yoy']")
    assert "营业收入比上年变化 242.9%" in warning.inner_text()
    page.click("#submit-return")
    assert "1 条警示须说明原因" in page.locator("body").inner_text()
    page.fill("#x-revenue\\.yoy", "新生产线投产，销售收入大幅增加")
    page.click("#submit-return")
    page.locator("#return-state").get_by_text("已提交").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "torch-return-phone.png"), full_page=True)

    log_in(page, base, "officer_a")
    page.goto(f"{base}/reporting/returns/{ret.pk}/")
    assert "新生产线投产" in page.locator("main").inner_text()
    page.fill("#comment", "研发费用请按审计报告口径填写")
    page.click("#act-park_return")
    page.locator("#return-state").get_by_text("已保存").wait_for()
    ret.refresh_from_db()
    assert ret.state == ReturnState.SAVED and ret.events.last().comment == "研发费用请按审计报告口径填写"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.console_errors == []
