"""A brief as a Word file: its kind's docxtpl template (docx/, in the official layout) filled with the brief's text,
each number that has a list behind it a hyperlink to that list, and the charts as images."""

import io

from django.conf import settings
from docx.shared import Mm

from . import charts, wording
from .templates_docx import template_path


def _rich(tpl, text: str, links: list[dict], base: str):
    """The paragraph with its linked numbers as hyperlinks (those the office's edits left in the text)."""
    from docxtpl import RichText

    rich = RichText()
    rest = text
    for link in links:
        at = rest.find(link["text"])
        if at < 0 or not link.get("url"):
            continue
        if at:
            rich.add(rest[:at])
        url = link["url"] if link["url"].startswith("http") else base.rstrip("/") + link["url"]
        rich.add(link["text"], url_id=tpl.build_url_id(url), color="0000FF", underline=True)
        rest = rest[at + len(link["text"]) :]
    if rest:
        rich.add(rest)
    return rich


def brief_docx(brief, *, base_url: str | None = None, dated=None) -> bytes:
    from docxtpl import DocxTemplate, InlineImage

    base = base_url or settings.ZHUQI_SITE_URL
    tpl = DocxTemplate(str(template_path(brief.kind)))
    pictures = []
    for chart in brief.charts:
        items = [(label, value) for label, value in chart["items"]]
        png, named = charts.bar_chart(items)
        pictures.append(
            {
                "image": InlineImage(tpl, io.BytesIO(png), width=Mm(150)),
                "caption": charts.caption_for(chart["title"], items, named),
            }  # fmt: skip
        )
    context = {
        "title": brief.title,
        "subtitle": brief.subtitle,
        "paragraphs": [
            {"heading": p.get("heading", False), "rich": _rich(tpl, p["text"], p.get("links", []), base)}
            for p in brief.paragraphs
            if p["text"].strip()
        ],
        "rows": [
            {**r, "name": _rich(tpl, r["name"], [{"text": r["name"], "url": r.get("url")}], base)} for r in brief.rows
        ],
        "charts": pictures,
        "issuer": brief.issuer,
        "dated": wording.full_date(dated or brief.period_end),
    }
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
