"""The module registry: what each app registers from its AppConfig.ready(), and the shared parts that read it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from zhuqi.core import registry

pytestmark = pytest.mark.django_db


def test_every_scopes_predicate_agrees_with_its_queryset_for_every_role(zone):
    from zhuqi.cases.tests.factories import CaseFactory

    CaseFactory(enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["enterprise_a"])
    CaseFactory(enterprise=zone.enterprise_b, park=zone.park_b, reporter=zone.users["enterprise_b"])
    checked = 0
    for entry in registry.scopes():
        if entry.may_see is None:
            continue
        everything = entry.visible_to(zone.users["coordinator"]).model._default_manager.all()
        for user in zone.users.values():
            seen = set(entry.visible_to(user).values_list("pk", flat=True))
            for obj in everything:
                assert entry.may_see(user, obj) == (obj.pk in seen), (entry.name, user.username, obj)
                checked += 1
    assert checked > 0


def test_the_shared_layers_find_what_the_modules_registered():
    assert {"enterprises.visible", "cases.visible", "inspections", "alarms"} <= {s.name for s in registry.scopes()}
    assert {"case", "inspection", "alarm", "registered", "visit"} <= set(registry.timeline_kinds())
    assert list(registry.deletables()) == ["enterprise", "case", "inspection"]
    assert {"account", "contact", "official"} <= set(registry.personal_data())
    assert {"cases.tasks.reminders_send", "monitoring.tasks.alarms_sweep"} <= {
        t.name for t in registry.periodic_tasks()
    }
    assert [d.name for d in registry.demo_loaders()][:4] == ["cases", "grids", "inspections", "monitoring"]
    assert {"enterprises/", "cases/", "inspections/", "grids/", "monitoring/", "inbox/"} <= {
        m.prefix for m in registry.url_includes()
    }
    assert [prefix for prefix, _router in registry.api_routers()][:3] == ["/enterprises", "/cases", "/monitoring"]


def test_a_name_registered_twice_is_refused():
    registry.scope_register("test.twice", visible_to=list)
    with pytest.raises(registry.RegistryError):
        registry.scope_register("test.twice", visible_to=dict)


def test_an_entry_of_an_unregistered_kind_is_refused(zone):
    from zhuqi.enterprises.models import TimelineEntry

    with pytest.raises(ValueError, match="unregistered timeline kind"):
        TimelineEntry.objects.create(enterprise=zone.enterprise_a, kind="no_such_kind", summary="x")


@pytest.mark.parametrize(
    "role, expected",
    [
        # 实时监测 only for a firm with sensors (monitoring/tests/test_screens.py): this one has none
        (
            "enterprise_a",
            [
                "workbench",
                "case-list",
                "notice-list",
                "policy-mine",
                "enterprise-detail",
                "dispatch-list",
                "growth-standing",
                "inspection-list",
                "return-list",
                "evaluation-run-list",
            ],
        ),
        (
            "grid_a",
            ["workbench", "enterprise-list", "grid-home", "case-list", "pollution-index", "qualifications-expiring"],
        ),
        (
            "coordinator",
            [
                "workbench",
                "enterprise-list",
                "grid-map",
                "case-list",
                "cockpit",
                "policy-list",
                "case-figures",
                "policy-figures",
                "dispatch-list",
                "inspection-list",
                "monitoring-overview",
                "pollution-index",
                "assessment-ranking",
                "notice-list",
                "stats-campaign-list",
                "training-list",
                "notice-figures",
                "assessment-targets",
                "evaluation-run-list",
                "growth-pool",
                "ruleset-list",
                "growth-funnel",
                "project-list",
                "lead-list",
                "evaluation-index",
                "brief-list",
                "visit-coverage",
                "qualifications-expiring",
            ],
        ),  # fmt: skip
        ("auditor", ["audit-list"]),
        ("sysadmin", ["account-list", "admin:index", "ruleset-list"]),  # the accounts page, the admin, the rules
    ],
)
def test_each_role_is_offered_the_navigation_its_modules_register_for_it(zone, role, expected):
    assert [entry.url_name for entry in registry.nav_entries(zone.users[role])] == expected


def test_the_navigation_bar_links_what_the_registry_offers(zone, client):
    client.force_login(zone.users["enterprise_a"])
    page = client.get(reverse("workbench")).content.decode()
    assert reverse("enterprise-detail", args=[zone.enterprise_a.pk]) in page
    assert reverse("case-figures") not in page


class _Navigation(HTMLParser):
    """The left navigation as shown: [(area label or None, [its links])], in order."""

    def __init__(self):
        super().__init__()
        self.shown, self.inside, self.text = [], False, None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and "app-nav" in classes:
            self.inside = True
        elif self.inside and "app-nav-group" in classes:
            self.shown.append((None, []))
        elif self.inside and ("app-nav-area" in classes or (tag == "a" and "nav-link" in classes)):
            self.text = ["area" if "app-nav-area" in classes else "link"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False
        elif self.text and tag in ("div", "a"):
            what, label = self.text[0], "".join(self.text[1:]).strip()
            area, links = self.shown[-1]
            self.shown[-1] = (label, links) if what == "area" else (area, [*links, label])
            self.text = None

    def handle_data(self, data):
        if self.text:
            self.text.append(data)


OUTREACH = ("通知与宣教培训", ["通知", "宣教培训", "通知与培训统计"])
GROWTH = ("企业成长", ["后备培育库", "认定工作", "项目库", "招商线索"])
GROWTH_FIRM = ("企业成长", ["培育对标"])
POLLUTION = ("生态环境", ["重污染天气应急"])


@pytest.mark.parametrize(
    "role, shown",
    [
        ("enterprise_a", [(None, ["工作台"]), ("企业服务", ["我的诉求", "政策", "本企业档案", "每日调度"]),
                          ("安全生产", ["安全检查"]), GROWTH_FIRM, ("通知与宣教培训", ["通知"]), ("统计分析", ["我的报表"]),
                          ("考核评价", ["年度绩效评价"])]),  # no sensors here: no 实时监测
        ("grid_a", [(None, ["工作台"]), ("企业服务", ["企业", "诉求办理", "资质到期"]), ("网格化治理", ["网格巡查"]), POLLUTION]),
        ("officer_a", [(None, ["工作台"]), ("企业服务", ["企业", "诉求办理", "惠企政策", "资质到期"]),
                       ("安全生产", ["安全检查", "实时监测"]), POLLUTION, GROWTH, OUTREACH,
                       ("统计分析", ["指标统计", "政策兑现统计", "每日调度", "填报任务", "走访覆盖"]), ("考核评价", ["月度考核", "目标任务", "年度绩效评价", "通报简报"])]),
        ("department", [(None, ["工作台"]), ("企业服务", ["企业", "诉求办理", "惠企政策", "资质到期"]), ("网格化治理", ["网格地图"]),
                        ("安全生产", ["安全检查", "实时监测"]), POLLUTION, GROWTH, OUTREACH,
                        ("统计分析", ["驾驶舱", "指标统计", "政策兑现统计", "每日调度", "填报任务"]), ("考核评价", ["月度考核", "目标任务", "年度绩效评价", "国家高新区评价指数", "通报简报"])]),
        ("coordinator", [(None, ["工作台"]), ("企业服务", ["企业", "诉求办理", "惠企政策", "资质到期"]), ("网格化治理", ["网格地图"]),
                         ("安全生产", ["安全检查", "实时监测"]), POLLUTION, GROWTH, OUTREACH,
                         ("统计分析", ["驾驶舱", "指标统计", "政策兑现统计", "每日调度", "填报任务", "规则", "走访覆盖"]),
                         ("考核评价", ["月度考核", "目标任务", "年度绩效评价", "国家高新区评价指数", "通报简报"])]),
        ("auditor", [(None, ["审计记录"])]),
        ("sysadmin", [(None, ["账号管理", "系统配置"]), ("统计分析", ["规则"])]),
    ],
)  # fmt: skip
def test_the_left_navigation_groups_each_roles_entries_under_their_area(zone, client, role, shown):
    """Each area this role has entries in, under its name, in the areas' order; the 工作台 (or the back office's
    pages) first, without a name; the page being shown marked as current."""
    client.force_login(zone.users[role])
    page = client.get(reverse("password-change")).content.decode()
    navigation = _Navigation()
    navigation.feed(page)
    assert navigation.shown == shown
    assert 'aria-current="page"' not in page  # the password page is in no area


def test_the_current_page_is_marked_in_the_left_navigation(zone, client):
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("enterprise-list")).content.decode()
    current = page[page.index('aria-current="page"') - 200 : page.index('aria-current="page"')]
    assert f'href="{reverse("enterprise-list")}"' in current


def test_only_the_closest_entry_is_current_when_one_address_lies_under_another(zone, client):
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("case-figures"), follow=True).content.decode()
    assert page.count('aria-current="page"') == 1
    current = page[page.index('aria-current="page"') - 200 : page.index('aria-current="page"')]
    assert f'href="{reverse("case-figures")}"' in current
