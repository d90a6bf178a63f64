"""Forwarded warnings read from the national exchange format (GB/T 35965.1-2018 应急信息交互协议 第1部分：预警信息,
an alert in CAP 1.2 XML). The file comes from outside: it is parsed by defusedxml with every DTD refused (no
entity expansion, no external reference), and anything but a well-formed CAP 1.2 alert is refused in Chinese."""

import datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhuqi.core.errors import DomainError

from .models import NoticeKind, WarningLevel
from .services import NoticeError, notice_create

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 512 * 1024
# GB/T 35965.1 carries the colour as CAP's severity: 特别严重 Extreme, 严重 Severe, 较重 Moderate, 一般 Minor
SEVERITY = {"Extreme": WarningLevel.RED, "Severe": WarningLevel.ORANGE, "Moderate": WarningLevel.YELLOW,
            "Minor": WarningLevel.BLUE}  # fmt: skip
COLOUR_WORDS = {"红色": WarningLevel.RED, "橙色": WarningLevel.ORANGE, "黄色": WarningLevel.YELLOW,
                "蓝色": WarningLevel.BLUE}  # fmt: skip


def _refuse(message: str):
    raise DomainError(NoticeError.INVALID, message, field="file")


def _moment(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        _refuse(_("The time “%(text)s” in the warning is not a CAP time with its offset") % {"text": text})
    return moment


def warning_parse(data: bytes) -> dict:
    """The fields of a notice from one CAP 1.2 alert (its first info block in Chinese, else its first)."""
    if not data:
        _refuse(_("The warning file is empty"))
    if len(data) > MAX_BYTES:
        _refuse(_("The warning file is larger than 512 KB"))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        _refuse(_("The warning file declares a DTD or entities, which are refused for safety; export it again "
                  "without them"))  # fmt: skip
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        _refuse(_("The warning file is not well-formed XML (line %(line)d, column %(column)d)")
                % {"line": line, "column": column})  # fmt: skip
    if root.tag != f"{{{CAP}}}alert":
        namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
        _refuse(_("This is not a CAP 1.2 warning: the root must be “alert” in the namespace %(cap)s, not “%(found)s”")
                % {"cap": CAP, "found": namespace or root.tag})  # fmt: skip

    def text(parent, name: str) -> str:
        found = parent.find(f"{{{CAP}}}{name}")
        return (found.text or "").strip() if found is not None else ""

    infos = root.findall(f"{{{CAP}}}info")
    if not infos:
        _refuse(_("The warning has no “info” block"))
    info = next((i for i in infos if text(i, "language").lower().startswith("zh")), infos[0])
    headline, event = text(info, "headline"), text(info, "event")
    level = SEVERITY.get(text(info, "severity"), "")
    for word, colour in COLOUR_WORDS.items():
        if not level and (word in headline or word in event):
            level = colour
    areas = [text(a, "areaDesc") for a in info.findall(f"{{{CAP}}}area")]
    identifier = text(root, "identifier")
    if not identifier or not headline:
        _refuse(_("The warning lacks its identifier or headline"))
    return {
        "identifier": identifier[:120],
        "title": headline[:120],
        "body": text(info, "description") or headline,
        "event": event[:60],
        "level": level,
        "area": "、".join(a for a in areas if a)[:200],
        "source_name": (text(info, "senderName") or text(root, "sender"))[:100],
        "effective_at": _moment(text(info, "effective") or text(info, "onset") or text(root, "sent")),
        "expires_at": _moment(text(info, "expires")),
        "measures": text(info, "instruction"),
    }


def warning_import(*, by, data: bytes, measures: str = "") -> object:
    """A draft warning notice from the file; the department then chooses the firms and sends it."""
    fields = warning_parse(data)
    if measures.strip():
        fields["measures"] = measures.strip()
    title, body = fields.pop("title"), fields.pop("body")
    return notice_create(by=by, kind=NoticeKind.WARNING, title=title, body=body, **fields)
