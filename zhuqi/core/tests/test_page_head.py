"""Detail pages carry the same page header as the lists: a trail back to where the user came from, the title, a
line under it and the page's actions, in one component (includes/page_head.html through {% pagehead %})."""

import re

from django.template import Context, Template
from django.urls import reverse

from zhuqi.cases.tests.factories import CaseFactory


def head_of(html: str) -> str:
    match = re.search(r'<div class="page-head"[^>]*>.*?</h1>', html, re.S)
    assert match, "no shared page header"
    return match.group(0)


def test_a_detail_page_has_the_shared_header_with_a_trail_back_to_its_list(zone, client_as):
    case = CaseFactory(enterprise=zone.enterprise_a, reporter=zone.users["enterprise_a"])
    page = client_as(zone.users["coordinator"]).get(reverse("case-detail", args=[case.pk])).content.decode()
    head = head_of(page)
    assert f'href="{reverse("case-list")}"' in head and 'aria-label="当前位置"' in head
    assert zone.enterprise_a.name in head and case.category.name in head
    firm = client_as(zone.users["coordinator"]).get(reverse("enterprise-detail", args=[zone.enterprise_a.pk]))
    assert f'href="{reverse("enterprise-list")}"' in head_of(firm.content.decode())


def test_a_firms_own_file_has_no_trail_to_the_registry_it_may_not_open(zone, client_as):
    page = client_as(zone.users["enterprise_a"]).get(reverse("enterprise-detail", args=[zone.enterprise_a.pk]))
    head = head_of(page.content.decode())
    assert zone.enterprise_a.name in head and reverse("enterprise-list") not in head


def test_the_header_escapes_a_title_and_keeps_the_parts_a_template_wrote():
    html = Template(
        '{% load zhuqi %}{% pagehead title=t back="/x/" back_label="列表" parent="/" parent_label="首页" %}'
        '<a class="btn" href="/do/">办理</a>{% part "sub" %}<b>副标题</b>{% part "badge" %}<i>已办结</i>{% endpagehead %}'
    ).render(Context({"t": "<script>标题</script>"}))
    assert "&lt;script&gt;标题&lt;/script&gt;" in html and "<script>" not in html
    assert html.index('href="/"') < html.index('href="/x/"')  # the trail reads from the farthest
    assert '<div class="page-actions"><a class="btn" href="/do/">办理</a></div>' in html
    assert "<b>副标题</b>" in html and "<i>已办结</i>" in html
