"""The 拨付台账 (.xlsx, the offices' columns) and the 助企手册 (.docx, by category), generated from the catalogue."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhuqi.core.audit import audit_record
from zhuqi.core.excel import write_sheet
from zhuqi.core.models import AuditEvent

from .selectors import LEDGER_HEADER, ledger_rows

CHINESE_NUMBERS = "一二三四五六七八九十"


def ledger_export(*, user, round) -> bytes:
    rows = ledger_rows(user=user, round=round)
    audit_record(actor=user, event=AuditEvent.EXPORT, obj=round, detail=f"拨付台账 {len(rows)} 行")
    return write_sheet("拨付台账", LEDGER_HEADER, rows, widths=[6, 32, 22, 20, 24, 14, 12, 32, 22, 10])


def _font(run, size, bold=False, face="仿宋"):
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, face
    run._element.rPr.rFonts.set(qn("w:eastAsia"), face)


def handbook_docx(groups) -> bytes:
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("平顶山高新区助企手册"), 22, bold=True, face="宋体")
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    count = sum(len(policies) for _v, _l, policies in groups)
    filled = sum(1 for _v, _l, policies in groups if policies)
    _font(note.add_run(f"{filled} 大类 {count} 项惠企内容 · {timezone.localdate():%Y年%m月%d日}生成"), 12)
    for i, (_value, label, policies) in enumerate((g for g in groups if g[2]), start=0):
        heading = document.add_paragraph()
        _font(heading.add_run(f"{CHINESE_NUMBERS[i]}、{label}"), 16, bold=True, face="黑体")
        for n, policy in enumerate(policies, start=1):
            p = document.add_paragraph()
            _font(p.add_run(f"{n}. {policy.title}"), 14, bold=True)
            version = policy.versions.all()[0] if policy.versions.all() else None
            lines = [
                ("依据", " ".join(x for x in (policy.issuer, policy.doc_number) if x)),
                ("内容", policy.summary),
                ("享受方式", policy.get_mode_display()),
                ("支持标准", version.benefit_text if version else ""),
                ("所需材料", "、".join(policy.materials)),
                ("咨询电话", policy.contacts),
            ]
            for name, text in lines:
                if text:
                    line = document.add_paragraph()
                    _font(line.add_run(f"{name}："), 12, bold=True)
                    _font(line.add_run(str(text)), 12)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
