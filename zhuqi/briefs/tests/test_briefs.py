"""Briefs: the seeds' sentences from the demo's records, every template rendered and read back, the layout of the
official document, the lifecycle (edit, issue, version 2) and the scope."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from zhuqi.briefs import layout, selectors, services, wording
from zhuqi.briefs.demo import load_demo_briefs
from zhuqi.briefs.models import Brief, BriefStatus, BriefVersion
from zhuqi.briefs.templates_docx import KINDS, build, template_path
from zhuqi.cases.demo import categories_load, load_demo_seed_figures
from zhuqi.core import registry
from zhuqi.enterprises.demo.loader import load_demo_zone
from zhuqi.inspections.demo import load_demo_inspections
from zhuqi.org.models import Department, Park, User

TODAY = datetime.date(2026, 11, 23)


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def demo_records(django_db_setup, django_db_blocker):
    """The demo zone's records, loaded once for the module in a transaction undone at its end; each test runs in a
    savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_zone(seed=2024, today=TODAY)
        categories_load()
        load_demo_inspections(seed=2024, today=TODAY, history=10)
        load_demo_seed_figures(seed=2024)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_records, db):
    return User.objects.get(username="zone")


def unit(name: str) -> str:
    found = Department.objects.filter(name=name).first()
    return f"department:{found.pk}" if found else f"park:{Park.objects.get(name=name).pk}"


def draft_and_render(*, by, kind, unit_key, start, end, subject=None) -> str:
    brief = services.brief_draft(kind=kind, unit_key=unit_key, start=start, end=end, subject=subject, by=by)
    version = services.brief_issue(brief=brief, by=by)
    return text_of(bytes(version.docx))


def test_the_weekly_briefs_say_what_the_seeds_say(demo):
    zone = demo
    d = datetime.date
    text = draft_and_render(
        by=zone, kind="weekly", unit_key=unit("应急管理局"), start=d(2024, 2, 5), end=d(2024, 2, 19)
    )
    assert "截至 2 月 19 日，该局累计出动 48 人次、检查指导企业 49 家次" in text
    assert "三个暗访指导组、抽调 9 名业务骨干" in text
    text = draft_and_render(
        by=zone, kind="weekly", unit_key=unit("创新创业服务园区"), start=d(2024, 1, 1), end=d(2024, 2, 19)
    )
    assert "走访园区企业 19 家，收集问题 27 件" in text and "解决率 100%" in text
    text = draft_and_render(
        by=zone, kind="weekly", unit_key=unit("临港物流产业园区"), start=d(2022, 1, 1), end=d(2022, 12, 31)
    )
    assert "甄别回复诉求 150 余件，办结率 100%" in text
    text = draft_and_render(
        by=zone, kind="weekly", unit_key=unit("科技创新局"), start=d(2023, 1, 1), end=d(2023, 12, 31)
    )
    assert "走访企业 75 家次" in text and "解决问题 36 个" in text
    text = draft_and_render(
        by=zone, kind="weekly", unit_key=unit("城市管理和综合执法局"), start=d(2024, 1, 26), end=d(2024, 2, 24)
    )
    for sentence in ("店外占道经营 21 宗", "乱拉挂 23 宗", "乱堆放 26 宗", "违规烟花爆竹 28 宗", "燃气安全隐患 15 宗"):
        assert sentence in text


def test_each_seed_figure_is_a_query_over_the_records(demo):
    d = datetime.date
    safety = Department.objects.get(name="应急管理局").pk
    f = registry.selector("brief.figures.inspections")(start=d(2024, 2, 5), end=d(2024, 2, 19), department=safety)
    assert (f["outings"], f["visits"]) == (48, 49)
    assert [(c["teams"], c["people"]) for c in f["campaigns"]] == [(3, 9)]
    park = Park.objects.get(name="创新创业服务园区").pk
    v = registry.selector("brief.figures.enterprises")(start=d(2024, 1, 1), end=d(2024, 2, 19), park=park)
    c = registry.selector("brief.figures.cases")(start=d(2024, 1, 1), end=d(2024, 2, 19), park=park)
    assert v["enterprises"] == 19 and c["visit_problems"] == {"raised": 27, "solved": 27}
    logistics = Park.objects.get(name="临港物流产业园区").pk
    c = registry.selector("brief.figures.cases")(start=d(2022, 1, 1), end=d(2022, 12, 31), park=logistics)
    assert 150 <= c["survey"] < 160 and c["survey_closed"] == c["survey"]
    science = Department.objects.get(name="科技创新局").pk
    v = registry.selector("brief.figures.enterprises")(start=d(2023, 1, 1), end=d(2023, 12, 31), department=science)
    c = registry.selector("brief.figures.cases")(start=d(2023, 1, 1), end=d(2023, 12, 31), department=science)
    assert v["visits"] == 75 and c["visit_problems"]["solved"] == 36
    city = Department.objects.get(name="城市管理和综合执法局").pk
    c = registry.selector("brief.figures.cases")(start=d(2024, 1, 26), end=d(2024, 2, 24), department=city)
    assert {i["category"]: i["count"] for i in c["incidents"]} == {
        "占道经营": 21, "乱拉挂": 23, "乱堆放": 26, "违规燃放烟花爆竹": 28, "燃气隐患": 15
    }  # fmt: skip


def test_the_campaign_summary_names_the_teams_in_chinese_numerals(demo):
    campaign = next(s for s in selectors.subjects_for(demo, "campaign") if "节后复工复产" in s["label"])
    text = draft_and_render(by=demo, kind="campaign", unit_key=unit("应急管理局"), subject=campaign["id"],
                            start=datetime.date(2024, 2, 5), end=datetime.date(2024, 2, 19))  # fmt: skip
    assert "2 月 5 日至 2 月 19 日，应急管理局组建三个暗访指导组、抽调 9 名业务骨干" in text
    assert "累计出动 48 人次、检查指导企业 49 家次" in text
    assert "第一暗访指导组检查指导企业" in text


def stand_ins(monkeypatch, ranking, scores):
    table = dict(registry.selectors())
    table["assessments.ranking"] = lambda *, year, month: ranking
    table["assessments.unit_scores"] = lambda *, year, month, unit_key: scores
    monkeypatch.setattr(registry, "_selectors", table)


def test_the_monthly_bulletin_reads_the_assessments_ranking(demo, monkeypatch):
    assert [k for k in selectors.kinds_for(demo) if k["value"] == "bulletin" and k["available"]]
    ranking = [
        {"unit_key": "park:1", "unit_name": "创新创业服务园区", "unit_kind": "park", "score": Decimal("96.50"), "rank": 1,
         "previous_rank": 3, "movement": 2, "frozen": True, "url": "/assessments/1/"},
        {"unit_key": "department:2", "unit_name": "应急管理局", "unit_kind": "department", "score": Decimal("88.00"),
         "rank": 2, "previous_rank": 1, "movement": -1, "frozen": True, "url": "/assessments/2/"},
    ]  # fmt: skip
    scores = [{"code": "on_time", "name": "按期办结率", "unit": "%", "value": Decimal("80"), "target": Decimal("95"),
               "points": Decimal("8"), "max_points": Decimal("10"), "formula": "", "adjustment": None, "reason": "",
               "records_url": "/cases/?figure=late"}]  # fmt: skip
    stand_ins(monkeypatch, ranking, scores)
    text = draft_and_render(by=demo, kind="bulletin", unit_key="zone", start=datetime.date(2024, 2, 1),
                            end=datetime.date(2024, 2, 29))  # fmt: skip
    assert "创新创业服务园区以 96.50 分位列第一" in text
    assert "创新创业服务园区（上升 2 位）" in text and "应急管理局（下降 1 位）" in text
    assert "按期办结率（得 8 分，满分 10 分）" in text
    assert "↑2" in text and "96.50" in text


def test_the_alert_report_reuses_the_pollution_figures(demo):
    from zhuqi.pollution.demo import load_demo_pollution

    load_demo_pollution(seed=2024)
    alert = selectors.subjects_for(demo, "alert")
    if not alert:
        pytest.skip("the pollution demo activated no alert")
    text = draft_and_render(by=demo, kind="alert", unit_key="zone", subject=alert[0]["id"],
                            start=TODAY, end=TODAY)  # fmt: skip
    assert "应急响应情况报告" in text and "纳入应急减排清单企业" in text


def test_the_templates_lay_the_page_out_as_gbt_9704_says():
    for kind in KINDS:
        doc = Document(str(template_path(kind)))
        section = doc.sections[0]
        mm = [
            round(length.mm, 1)
            for length in (
                section.page_width,
                section.page_height,
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        ]
        assert mm == [210, 297, 37, 35, 28, 26]  # A4; top, bottom, left, right
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
        normal = doc.styles["Normal"]
        assert normal.font.size == Pt(16) and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert normal.paragraph_format.line_spacing == layout.LINE_SPACING
        title = doc.styles["公文标题"]
        assert title.font.size == Pt(22) and title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        footer = section.footer.paragraphs[0]
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and footer.runs[0].font.size == Pt(14)
        assert section.even_page_footer.paragraphs[0].alignment == 0  # even pages: the number on the left
        assert doc.settings.odd_and_even_pages_header_footer


def test_the_committed_templates_are_the_generated_ones():
    for kind in KINDS:
        kept = Document(str(template_path(kind)))
        made = build(kind)
        assert kept.element.xml == made.element.xml, kind


def test_an_issued_brief_is_frozen_and_reissuing_makes_version_2(demo, client_as):
    brief = services.brief_draft(kind="weekly", unit_key=unit("应急管理局"), start=datetime.date(2024, 2, 5),
                                 end=datetime.date(2024, 2, 19), by=demo)  # fmt: skip
    client = client_as(demo)
    texts = [p["text"] for p in brief.paragraphs]
    texts[0] = texts[0] + "各组严格落实“四不两直”要求。"
    response = client.post(reverse("brief-detail", args=[brief.pk]), {"title": "应急管理局节后复工复产工作简报",
                           "subtitle": "第 1 期", "paragraph": texts, "seen_at": ""})  # fmt: skip
    assert response.status_code == 302
    client.post(reverse("brief-issue", args=[brief.pk]))
    brief.refresh_from_db()
    assert brief.status == BriefStatus.ISSUED and brief.issued_versions == 1
    first = client.get(reverse("brief-version-docx", args=[brief.pk, 1])).content
    assert "四不两直" in text_of(first) and "应急管理局节后复工复产工作简报" in text_of(first)
    texts[0] = texts[0].replace("四不两直", "明查暗访")
    client.post(reverse("brief-detail", args=[brief.pk]), {"title": brief.title, "subtitle": "第 1 期",
                                                            "paragraph": texts, "seen_at": ""})  # fmt: skip
    brief.refresh_from_db()
    assert brief.status == BriefStatus.DRAFT
    client.post(reverse("brief-issue", args=[brief.pk]))
    assert list(BriefVersion.objects.filter(brief=brief).values_list("number", flat=True)) == [2, 1]
    assert "四不两直" in text_of(client.get(reverse("brief-version-docx", args=[brief.pk, 1])).content)
    assert "明查暗访" in text_of(client.get(reverse("brief-version-docx", args=[brief.pk, 2])).content)
    page = client.get(reverse("brief-detail", args=[brief.pk])).content.decode()
    assert page.count("v1") >= 1 and "v2" in page
    assert [e.action for e in brief.events.order_by("at", "id")] == ["draft", "edit", "issue", "edit", "issue"]
    # the number's link survives the edit: the paragraph still says 48 人次
    doc = Document(io.BytesIO(client.get(reverse("brief-version-docx", args=[brief.pk, 2])).content))
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert any("/inspections/?" in link for link in links)


def test_a_unit_sees_and_drafts_only_its_own_briefs(demo, client_as):
    safety = User.objects.get(username="yingji")
    other_unit = unit("科技创新局")
    theirs = services.brief_draft(kind="weekly", unit_key=other_unit, start=datetime.date(2023, 1, 1),
                                  end=datetime.date(2023, 12, 31), by=demo)  # fmt: skip
    own = services.brief_draft(kind="weekly", unit_key=unit("应急管理局"), start=datetime.date(2024, 2, 5),
                               end=datetime.date(2024, 2, 19), by=safety)  # fmt: skip
    client = client_as(safety)
    assert client.get(reverse("brief-detail", args=[own.pk])).status_code == 200
    for name in ("brief-detail", "brief-docx"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("brief-issue", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("brief-version-docx", args=[own.pk, 1])).status_code == 404
    listed = client.get(reverse("brief-list")).content.decode()
    assert own.title in listed and reverse("brief-detail", args=[theirs.pk]) not in listed
    response = client.post(reverse("brief-new"), {"kind": "weekly", "unit": other_unit, "start": "2023-01-01",
                                                  "end": "2023-12-31"})  # fmt: skip
    assert response.status_code == 200 and Brief.objects.count() == 2
    assert client_as(User.objects.get(username="zone")).get(reverse("brief-detail", args=[own.pk])).status_code == 200


def test_the_offices_forms_of_numbers():
    assert wording.month_day(datetime.date(2024, 2, 9)) == "2 月 9 日"
    assert [wording.chinese_numeral(n) for n in (3, 10, 12, 20, 36)] == ["三", "十", "十二", "二十", "三十六"]
    assert wording.about(153) == "150 余" and wording.about(150) == "150" and wording.about(27) == "27"
    assert wording.wan(Decimal("1234567")) == "123.46 万元" and wording.wan(0) == "0.00 万元"
    assert wording.percent(27, 27) == "100%" and wording.percent(1, 3) == "33.3%"
    assert wording.change(120, 100, "同比") == "同比增长 20%" and wording.change(90, 100, "环比") == "环比下降 10%"
    assert wording.change(5, 0, "同比") == ""


def test_a_chart_without_a_chinese_font_numbers_its_bars_and_the_caption_names_them(monkeypatch):
    from PIL import Image

    from zhuqi.briefs import charts

    items = [("乱拉挂", 23), ("乱堆放", 26)]
    monkeypatch.setattr(charts, "_cjk_font_path", lambda: None)
    png, named = charts.bar_chart(items)
    assert not named and Image.open(io.BytesIO(png)).format == "PNG"
    assert charts.caption_for("查处问题分类（宗）", items, named) == "查处问题分类（宗）（1. 乱拉挂；2. 乱堆放）"


def test_without_an_assessment_module_the_bulletin_is_said_to_be_unavailable(demo, monkeypatch):
    table = {k: v for k, v in registry.selectors().items() if not k.startswith("assessments.")}
    monkeypatch.setattr(registry, "_selectors", table)
    assert [k for k in selectors.kinds_for(demo) if k["value"] == "bulletin" and not k["available"]]


def test_the_demo_has_last_months_bulletin_issued_and_a_bureaus_weekly_brief_in_draft(demo, client_as):
    assert load_demo_briefs(today=TODAY) == 2
    bulletin = Brief.objects.get(kind="bulletin")
    assert (bulletin.status, bulletin.period_start, bulletin.period_end) == (
        BriefStatus.ISSUED,
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )
    assert BriefVersion.objects.filter(brief=bulletin, number=1).exists()
    weekly = Brief.objects.get(kind="weekly")
    assert weekly.status == BriefStatus.DRAFT and weekly.department.name == "应急管理局"
    assert load_demo_briefs(today=TODAY) == 0  # loaded once
    page = client_as(User.objects.get(username="yingji")).get(reverse("brief-list")).content.decode()
    assert reverse("brief-detail", args=[weekly.pk]) in page
