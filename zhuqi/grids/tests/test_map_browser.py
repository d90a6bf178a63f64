"""On a phone: the grid map draws the outlines with a legend and labels that do not overlap, without a base map;
the grid member starts a patrol from the 工作台 with one big button."""

import pytest

from zhuqi.core.tests.browser import browser_marks, log_in
from zhuqi.org.models import Grid

pytestmark = browser_marks


def square(west, south, size=0.01):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.django_db(transaction=True)
def test_the_grid_map_has_a_legend_and_labels_that_do_not_overlap(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    Grid.objects.filter(pk=zone.grid_a.pk).update(name="祁营村第1网格", outline=square(113.20, 33.70))
    Grid.objects.filter(pk=zone.grid_b.pk).update(
        name="祁营村第2网格", outline=square(113.2046, 33.7048, 0.0004)
    )  # a small grid under the big one's label
    log_in(page, base, "coordinator")
    page.goto(f"{base}/grids/map/")
    page.locator("#grid-map .map-legend").wait_for()
    assert "网格内未办结事件" in page.locator("#grid-map .map-legend").inner_text()
    assert page.locator("#grid-map path.leaflet-interactive").count() == 2
    assert page.locator("#grid-map img.leaflet-tile").count() == 0  # no base map configured: nothing fetched
    shown = page.evaluate("""[...document.querySelectorAll('#grid-map .grid-label')]
        .filter(t => getComputedStyle(t).visibility !== 'hidden').map(t => t.getBoundingClientRect())""")
    assert len(shown) == 1  # the small grid's label gives way to the larger one's
    for i, a in enumerate(shown):  # no two labels shown on top of each other
        for b in shown[i + 1 :]:
            assert a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or \
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_grid_member_starts_a_patrol_from_the_workbench(zone, live_server, phone_page):
    page, base = phone_page, live_server.url
    log_in(page, base, "grid_a")
    for button in ("#patrol-action", "#report-action"):
        box = page.locator(button).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, button
    page.click("#patrol-action")
    page.wait_for_url(f"{base}/grids/")
    assert "巡查中" in page.locator("main").inner_text()
    assert page.console_errors == []
