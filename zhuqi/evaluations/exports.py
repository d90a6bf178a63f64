"""A firm's evaluation sheet as a Word document: each item's value, points and source, the total and grade."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt


def _font(run, size: float, bold: bool = False, face: str = "仿宋") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = face
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def _value(line) -> str:
    value = line["value"]
    if value is None:
        return "无数据"
    if value is True or value is False:
        return "是" if value else "否"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + (f" {line['unit']}" if line["unit"] else "")


def score_sheet_docx(score, lines) -> bytes:
    run = score.run
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{run.park.name}{run.year} 年度企业绩效综合评价表"), 20, bold=True, face="方正小标宋简体")
    head = doc.add_paragraph()
    _font(head.add_run(f"企业：{score.enterprise.name}　评价办法：{run.method.name}（第 {run.method.version} 版，"
                       f"{run.method.document}）"), 12)  # fmt: skip
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["评价项目", "数值", "得分", "满分", "数据来源"], strict=True):
        _font(cell.paragraphs[0].add_run(text), 11, bold=True)
    for line in lines:
        cells = table.add_row().cells
        for cell, text in zip(cells, [line["name"], _value(line), str(line["points"]), str(line["weight"]),
                                      line["source"] or "—"], strict=True):  # fmt: skip
            _font(cell.paragraphs[0].add_run(text), 11)
    result = doc.add_paragraph()
    text = (f"合计 {score.total} 分，评定等级 {score.grade}，园区第 {score.rank} 名。" if score.grade
            else f"不参加本年度评价：{score.excluded}。")  # fmt: skip
    _font(result.add_run(text), 14, bold=True)
    state = doc.add_paragraph()
    _font(state.add_run(f"名单状态：{run.get_status_display()}"), 11)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
