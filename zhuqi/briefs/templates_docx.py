"""The docxtpl templates of the briefs, built from the official layout (layout.py) so that they can be made again
(`manage.py briefs_templates`) rather than edited by hand in Word. The generated files are kept in docx/."""

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .layout import BODY_FONT, name_fonts, official_document

FOLDER = Path(__file__).resolve().parent / "docx"
KINDS = ("bulletin", "weekly", "campaign", "alert")


def _body(document) -> None:
    """The paragraphs, each a heading (一、) or body text, as the office edited them."""
    document.add_paragraph("{%p for p in paragraphs %}")
    document.add_paragraph("{%p if p.heading %}")
    document.add_paragraph("{{r p.rich }}", style="一级标题")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{r p.rich }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")


def _charts(document) -> None:
    document.add_paragraph("{%p for c in charts %}")
    document.add_paragraph("{{ c.image }}", style="图注")
    document.add_paragraph("{{ c.caption }}", style="图注")
    document.add_paragraph("{%p endfor %}")


def _ranking_table(document) -> None:
    document.add_paragraph("{%p if rows %}")
    table = document.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    heads = ["名次", "单位", "得分", "上月名次", "变动"]
    cells = ["{{ r.rank }}", "{{r r.name }}", "{{ r.score }}", "{{ r.previous }}", "{{ r.movement }}"]
    for row, texts in ((0, heads), (2, cells)):
        for cell, text in zip(table.rows[row].cells, texts, strict=True):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = "表格"
            if row == 0:
                name_fonts(cell.paragraphs[0].runs[0], "黑体")
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for r in rows %}"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    document.add_paragraph("{%p endif %}")


def build(kind: str):
    document = official_document()
    document.add_paragraph("{{ title }}", style="公文标题")
    issue = document.add_paragraph("{{ subtitle }}", style="图注")
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name_fonts(issue.runs[0], BODY_FONT, Pt(16))
    _body(document)
    if kind == "bulletin":
        _ranking_table(document)
    _charts(document)
    document.add_paragraph("")
    document.add_paragraph("{{ issuer }}", style="署名")
    document.add_paragraph("{{ dated }}", style="署名")
    core = document.core_properties
    core.author, core.last_modified_by, core.revision = "zhuqi", "zhuqi", 1
    import datetime

    core.created = core.modified = datetime.datetime(2026, 1, 1)  # noqa: DTZ001 (a fixed stamp: reproducible files)
    core.title = kind
    return document


def template_path(kind: str) -> Path:
    return FOLDER / f"{kind}.docx"


def write_all() -> list[Path]:
    FOLDER.mkdir(exist_ok=True)
    written = []
    for kind in KINDS:
        build(kind).save(template_path(kind))
        written.append(template_path(kind))
    return written
