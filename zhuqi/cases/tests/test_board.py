"""扫码反映: each firm's printed board opens a form for that firm, usable without an account; the phone is
confirmed by an SMS code; codes are limited per phone and per address; the demand becomes a case of the firm."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhuqi.cases import board
from zhuqi.cases.models import BoardSubmission, Case, Kind, Source
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.core.errors import DomainError
from zhuqi.core.tests.browser import browser_marks
from zhuqi.notifications.models import Channel, OutboxMessage
from zhuqi.org.models import Department


@pytest.fixture
def category(zone):
    return CategoryFactory(name="用工招聘", kind=Kind.DEMAND, department=Department.objects.get(name="应急管理局"))


def _code_sent_to(phone):
    message = next(m for m in OutboxMessage.objects.filter(channel=Channel.SMS).order_by("-pk") if m.recipient == phone)
    return re.search(r"验证码(\d{6})", message.body).group(1), message.body


def _send(client, token, category, phone="13912345678", **extra):
    data = {"name": "张工", "phone": phone, "category": category.pk, "description": "宿舍热水器坏了一周"} | extra
    return client.post(reverse("board-demand", args=[token]), data)


def test_each_firms_board_carries_its_own_link_at_the_site_address(zone, client, settings):
    settings.ZHUQI_SITE_URL = "https://zhuqi.example.gov.cn"
    client.force_login(zone.users["officer_a"])
    page = client.get(reverse("enterprise-board", args=[zone.enterprise_a.pk])).content.decode()
    link = re.search(r'id="board-link">([^<]+)<', page).group(1)
    assert link.startswith("https://zhuqi.example.gov.cn/q/") and "/cases/new/" not in page
    token_a = link.rsplit("/q/", 1)[1].strip("/")
    token_b = board.board_token(enterprise=zone.enterprise_b)
    assert token_a != token_b
    assert board.board_enterprise(token=token_a) == zone.enterprise_a
    assert (
        board.board_enterprise(
            token=token_a.replace(str(zone.enterprise_a.pk) + ".", str(zone.enterprise_b.pk) + ".", 1)
        )
        is None
    )


def test_an_employee_without_an_account_raises_a_demand_of_the_firm(zone, category):
    client = Client(enforce_csrf_checks=False)
    token = board.board_token(enterprise=zone.enterprise_a)
    page = client.get(reverse("board-demand", args=[token])).content.decode()
    assert zone.enterprise_a.name in page and "刘经理" not in page and zone.enterprise_a.credit_code not in page
    response = _send(client, token, category)
    assert response.status_code == 302 and response.url == reverse("board-confirm", args=[token])
    code, text = _code_sent_to("13912345678")
    assert len(text) <= 70 and "10分钟" in text
    submission = BoardSubmission.objects.get()
    assert code not in submission.code_hash
    done = client.post(reverse("board-confirm", args=[token]), {"code": code})
    case = Case.objects.get()
    assert case.number in done.content.decode()
    assert (case.enterprise, case.kind, case.source) == (zone.enterprise_a, Kind.DEMAND, Source.QR_BOARD)
    assert "张工" in case.description and "13912345678" in case.description


def test_a_wrong_code_counts_and_the_fifth_ends_it(zone, category, client):
    token = board.board_token(enterprise=zone.enterprise_a)
    _send(client, token, category)
    code, _text = _code_sent_to("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = client.post(reverse("board-confirm", args=[token]), {"code": wrong}).content.decode()
        assert f"还可再试{left}次" in page
    page = client.post(reverse("board-confirm", args=[token]), {"code": wrong}).content.decode()
    assert "错误次数过多" in page
    page = client.post(reverse("board-confirm", args=[token]), {"code": code}).content.decode()
    assert "错误次数过多" in page and not Case.objects.exists()


def test_a_code_expires_after_ten_minutes(zone, category):
    submission = board.board_demand_start(
        enterprise=zone.enterprise_a, name="张工", phone="13912345678", category=category, description="热水器坏了",
        address="10.0.0.1", now=timezone.now() - datetime.timedelta(minutes=11),
    )  # fmt: skip
    code, _text = _code_sent_to("13912345678")
    with pytest.raises(DomainError, match="已过期"):
        board.board_demand_confirm(submission_pk=submission.pk, code=code)


def test_codes_are_limited_per_phone_and_per_address_with_clear_messages(zone, category, client):
    token = board.board_token(enterprise=zone.enterprise_a)
    for _n in range(board.PER_PHONE_PER_HOUR):
        assert _send(client, token, category).status_code == 302
    page = _send(client, token, category).content.decode()
    assert "该号码获取验证码次数过多" in page
    for n in range(board.PER_ADDRESS_PER_HOUR - board.PER_PHONE_PER_HOUR):
        assert _send(client, token, category, phone=f"1370000{n:04d}").status_code == 302
    page = _send(client, token, category, phone="13699999999").content.decode()
    assert "当前网络提交次数过多" in page


def test_a_reissued_or_withdrawn_board_no_longer_opens_the_form(zone, client):
    old = board.board_token(enterprise=zone.enterprise_a)
    client.force_login(zone.users["officer_a"])
    client.post(reverse("enterprise-board-reissue", args=[zone.enterprise_a.pk]))
    assert Client().get(reverse("board-demand", args=[old])).status_code == 404
    new = board.board_token(enterprise=zone.enterprise_a)
    assert Client().get(reverse("board-demand", args=[new])).status_code == 200
    client.post(reverse("enterprise-board-reissue", args=[zone.enterprise_a.pk]), {"revoke": "1"})
    assert Client().get(reverse("board-demand", args=[new])).status_code == 404
    client.force_login(zone.users["officer_b"])  # another park's officer may not reissue it
    assert client.post(reverse("enterprise-board-reissue", args=[zone.enterprise_a.pk])).status_code == 404


def test_the_public_form_refuses_a_post_without_its_csrf_token(zone, category):
    token = board.board_token(enterprise=zone.enterprise_a)
    response = _send(Client(enforce_csrf_checks=True), token, category)
    assert response.status_code == 403 and not BoardSubmission.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("_mark", [None], ids=["phone"])
def test_the_board_form_works_on_a_phone(zone, live_server, phone_page, _mark):
    for mark in browser_marks:
        if mark.name == "skipif" and mark.args[0]:
            pytest.skip(mark.kwargs["reason"])
    category = CategoryFactory(name="用工招聘", kind=Kind.DEMAND, department=Department.objects.get(name="应急管理局"))
    page, base = phone_page, live_server.url
    token = board.board_token(enterprise=zone.enterprise_a)
    page.goto(f"{base}/q/{token}/")
    page.fill("#id_name", "张工")
    page.fill("#id_phone", "13912345678")
    page.select_option("#id_category", label=category.name)
    page.fill("#id_description", "宿舍热水器坏了一周")
    page.click("button:has-text('获取验证码')")
    page.wait_for_selector("#board-confirm")
    code, _text = _code_sent_to("13912345678")
    page.fill("#id_code", code)
    page.click("button:has-text('提交')")
    page.wait_for_selector("#board-done")
    assert Case.objects.get().number in page.locator("#board-done").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
