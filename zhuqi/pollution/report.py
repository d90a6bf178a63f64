"""The report written when an alert is lifted (.docx, python-docx): the alert, its steps, the figures, the firms'
compliance and the cases raised — from the same selectors as the page."""

import io

from django.utils import timezone

from . import selectors
from .models import Compliance, Sector


def alert_report_docx(*, user, alert) -> bytes:
    from docx import Document
    from docx.shared import Pt

    summary = selectors.alert_summary(user=user, alert=alert)
    figures = summary["figures"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "FangSong", Pt(14)
    doc.add_heading(f"平顶山高新区重污染天气{alert.get_level_display()}应急响应情况报告", level=1)
    doc.add_paragraph(summary["sentence"])
    doc.add_heading("减排成效", level=2)
    names = {"so2": "二氧化硫", "nox": "氮氧化物", "pm": "颗粒物", "vocs": "挥发性有机物"}
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["污染物", "正常排放(kg/日)", "要求减排", "实际减排", "目标比例"], strict=True
    ):
        cell.text = text
    for p, d in figures["zone"].items():
        row = table.add_row().cells
        row[0].text, row[1].text = names[p], f"{d['normal']:.1f}"
        row[2].text = f"{d['required']:.1f}（{d['required_pct'] or 0}%）"
        row[3].text = f"{d['achieved']:.1f}（{d['achieved_pct'] or 0}%）"
        row[4].text = f"{figures['target']}%"
    doc.add_heading("企业落实情况", level=2)
    tasks = selectors.tasks_of_alert(user=user, alert=alert)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["企业", "行业/分级", "措施", "落实情况"], strict=True):
        cell.text = text
    sectors, labels = dict(Sector.choices), dict(Compliance.choices)
    for t in tasks:
        row = table.add_row().cells
        row[0].text = t.enterprise.name
        row[1].text = f"{sectors.get(t.sector, t.sector)} / {t.get_grade_display()}"
        row[2].text = t.measure
        row[3].text = str(labels[t.compliance])
    doc.add_heading("响应过程", level=2)
    for e in alert.events.select_related("by").order_by("at", "id"):
        doc.add_paragraph(
            f"{timezone.localtime(e.at):%Y-%m-%d %H:%M} {e.by} {e.action} {e.from_level}→{e.to_level} {e.note}"
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
