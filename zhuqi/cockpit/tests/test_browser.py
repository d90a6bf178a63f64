"""In the browser: the cockpit on the wall screen (1920×1080, dark, no navigation, nothing outside the screen) and
on a phone (390×844, the usual layout, one column); every chart drawn, no console error (the CSP admits the page's
own scripts only), a tile refreshed in place, a tile opening its page. The screenshots are kept (test-artifacts)."""

import pytest

from zhuqi.core import registry
from zhuqi.core.tests.browser import ARTIFACTS, CHROMIUM, browser_marks, log_in
from zhuqi.monitoring.models import AlarmLevel

from . import records
from .test_cockpit import progress_stand_in, ranking_stand_in

pytestmark = browser_marks

SQUARE = [[0, 0], [0.012, 0], [0.012, 0.012], [0, 0.012], [0, 0]]


@pytest.fixture
def wall_page(live_server, monkeypatch, request):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])  # fmt: skip
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.console_errors = []
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        browser.close()


@pytest.fixture
def busy_zone(zone, monkeypatch):
    monkeypatch.setitem(registry._selectors, "assessments.progress", progress_stand_in)
    monkeypatch.setitem(registry._selectors, "assessments.ranking", ranking_stand_in)
    for n, grid in enumerate((zone.grid_a, zone.grid_b)):
        grid.outline = {"type": "Polygon",
                        "coordinates": [[[113.23 + x + n * 0.012, 33.76 + y] for x, y in SQUARE]]}  # fmt: skip
        grid.save()
    records.cases(zone, open_=3, overdue=2, on_time=6, late=1, satisfied=4, dissatisfied=1)
    records.incidents(zone, zone.grid_a, 3, closed=1)
    records.incidents(zone, zone.grid_b, 1)
    records.alarms(zone, levels=[AlarmLevel.HIGH_HIGH, AlarmLevel.HIGH], late=1)
    records.payments(zone, ["1200000.00", "350000.00"], automatic={0})
    records.stages([zone.enterprise_a, zone.enterprise_b])
    return zone


def charts_drawn(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-chart]')].map(
        (el) => [el.dataset.chart, Boolean(el.querySelector('canvas')) && el.clientHeight > 50]))""")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
def test_the_wall_screen_fills_the_screen_in_the_dark(busy_zone, live_server, wall_page):
    page, base = wall_page, live_server.url
    log_in(page, base, "coordinator")
    page.goto(f"{base}/cockpit/?wall=1")
    page.wait_for_selector("[data-chart=grid_map] canvas")
    page.wait_for_timeout(500)
    assert charts_drawn(page) == {"grid_map": True, "alarms": True, "cases": True, "growth": True}
    assert page.locator("#sidebar").count() == 0
    # everything on the screen, nothing to scroll to
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert no_sideways_scroll(page)
    tiles_inside = page.evaluate("""() => [...document.querySelectorAll('.cockpit-tile')].every((t) => {
        const r = t.getBoundingClientRect(); return r.bottom <= window.innerHeight && r.right <= window.innerWidth; })""")
    assert tiles_inside
    # light text on a dark ground
    ground = page.evaluate("getComputedStyle(document.querySelector('.tile-cases')).backgroundColor")
    ink = page.evaluate("getComputedStyle(document.querySelector('#cases-received')).color")
    assert sum(map(int, ground[4:-1].split(",")[:3])) < 150 < sum(map(int, ink[4:-1].split(",")[:3]))
    assert page.locator("#grid-open").inner_text() == "4"
    assert page.locator("#cases-received").inner_text() == "17"  # 12 demands and 5 grid incidents
    assert "新增市场主体" in page.locator("#target-list").inner_text()
    # a tile refreshed in place keeps the wall's look and draws its chart again
    page.evaluate("""htmx.ajax('GET', '/cockpit/tiles/cases/?wall=1', {target: '#tile-cases', swap: 'outerHTML'})""")
    page.wait_for_timeout(800)
    assert charts_drawn(page)["cases"]
    assert page.locator("#cases-received").inner_text() == "17"  # 12 demands and 5 grid incidents
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_cockpit_on_a_phone_in_one_column_and_a_tile_opens_its_page(busy_zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "department")  # a department's head reads it too
    page.goto(f"{base}/cockpit/")
    page.wait_for_selector("[data-chart=cases] canvas")
    page.wait_for_timeout(500)
    assert charts_drawn(page) == {"grid_map": True, "alarms": True, "cases": True, "growth": True}
    assert no_sideways_scroll(page)
    lefts = page.evaluate(
        "[...document.querySelectorAll('.cockpit-tile')].map((t) => Math.round(t.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) == 1  # one column
    assert page.locator("#alarms-open").inner_text() == "3"
    page.click("#tile-growth-title a")
    page.wait_for_url(f"{base}/growth/")
    assert page.console_errors == []
    page.goto(f"{base}/cockpit/")
    page.wait_for_selector("[data-chart=cases] canvas")
