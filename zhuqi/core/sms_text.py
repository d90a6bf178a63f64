"""SMS texts: one message (70 characters, signature included) that says which firm, what, and by when.

Each kind of notice composes its own text from a pattern whose fixed parts (case number, dates, what to do) are
never cut; the firm's name is shortened as a person would say it (森源电气 for 河南森源电气股份有限公司), and
the free parts (firm, category, point) are cut further, longest first, only when the whole would not fit."""

import datetime
import re

SMS_LIMIT = 70
SIGNATURE = "【助企】"

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_REGION = re.compile(r"^(中国|河南省|河南|平顶山市|平顶山|高新区|新华区|卫东区|湛河区|石龙区)+")
_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|分公司|总公司|公司|厂|集团)+$")


def firm_short(name: str) -> str:
    """The name a person would say: no region in front, no form of company behind, nothing in brackets."""
    short = _BRACKETS.sub("", name or "").strip()
    without_region = _REGION.sub("", short)
    short = without_region if len(without_region) >= 2 else short
    without_form = _FORM.sub("", short)
    return without_form if len(without_form) >= 2 else short


def short_date(day: datetime.date | None) -> str:
    return f"{day.month}月{day.day}日" if day else ""


def sms_fit(pattern: str, *, shrink: dict[str, str], **fixed) -> str:
    """The signature and `pattern` filled in, at most SMS_LIMIT characters: the `shrink` parts are cut (the
    longest first, down to two characters each) until it fits; a text still too long is cut at the end."""
    parts = {k: v or "" for k, v in shrink.items()}

    def text():
        return SIGNATURE + pattern.format(**parts, **fixed)

    while len(text()) > SMS_LIMIT:
        longest = max(parts, key=lambda k: len(parts[k]), default=None)
        if longest is None or len(parts[longest]) <= 2:
            break
        parts[longest] = parts[longest][:-1]
    result = text()
    return result if len(result) <= SMS_LIMIT else result[: SMS_LIMIT - 1] + "…"
