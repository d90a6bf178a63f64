"""督办单 as a Word document in the offices' layout: title, number, addressee, the matter, the requirement."""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import SupervisionNotice


def _font(run, size: int, bold: bool = False, face: str = "仿宋") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = face
    run._element.rPr.rFonts.set(qn("w:eastAsia"), face)


def supervision_notice_docx(notice: SupervisionNotice) -> bytes:
    case = notice.case
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{settings.ZHUQI_ZONE_NAME}{_('Supervision notice')}"), 22, bold=True, face="方正小标宋简体")
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(notice.number), 16)
    addressee = doc.add_paragraph()
    _font(addressee.add_run(f"{notice.department.name}："), 16)
    lines = [
        _("Case %(number)s, raised %(raised)s by %(enterprise)s:")
        % {
            "number": case.number,
            "raised": timezone.localtime(case.created_at).strftime("%Y-%m-%d"),
            "enterprise": case.enterprise.name if case.enterprise else "—",
        },
        case.description,
        _("Assigned on %(assigned)s with a deadline of %(deadline)s.")
        % {"assigned": case.assigned_on or "—", "deadline": case.deadline or "—"},
        notice.requirement,
        _("Please reply in writing by %(due)s.") % {"due": notice.reply_due.strftime("%Y-%m-%d")},
    ]
    for text in lines:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(text), 16)
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(signature.add_run(f"{settings.ZHUQI_ZONE_NAME}\n{timezone.localtime(notice.issued_at):%Y-%m-%d}"), 16)
    if notice.replied_at:
        reply = doc.add_paragraph()
        _font(
            reply.add_run(
                _("Reply (%(date)s): %(text)s")
                % {"date": f"{timezone.localtime(notice.replied_at):%Y-%m-%d}", "text": notice.reply}
            ),
            14,
        )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
