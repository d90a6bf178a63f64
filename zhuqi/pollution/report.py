"""The report written when an alert is lifted (.docx, python-docx): the alert, its steps, the figures, the firms'
compliance and the cases raised — from the same selectors as the page."""

import io

from django.utils import timezone

from . import selectors
from .models import Compliance, Sector


def alert_report_docx(*, user, alert) -> bytes:
    from docx import Document
    from docx.shared import Pt

    figures = selectors.alert_figures(user=user, alert=alert, group="park")
    c = figures["counts"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "FangSong", Pt(14)
    doc.add_heading(f"平顶山高新区重污染天气{alert.get_level_display()}应急响应情况报告", level=1)
    start = timezone.localtime(alert.activated_at or alert.starts_at)
    end = timezone.localtime(alert.lifted_at) if alert.lifted_at else None
    doc.add_paragraph(
        f"根据{alert.document}，{alert.region}于{start:%Y年%m月%d日%H时}启动重污染天气{alert.get_level_display()}"
        + (f"，{end:%Y年%m月%d日%H时}解除。" if end else "，目前仍在响应中。")
        + f"高新区纳入应急减排清单企业 {c['firms']} 家，已通知 {c['notified']} 家，确认 {c['confirmed']} 家；"
        f"已落实 {c['complying']} 家、部分落实 {c['partial']} 家、未落实 {c['not_done']} 家、待核查 {c['pending']} 家；"
        f"现场抽查 {c['checked']} 家，立案 {c['cases']} 件。"
    )
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
