from pathlib import Path

import polib
from django.utils import translation

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation_and_the_compiled_catalog_matches():
    entries = [e for e in polib.pofile(str(CATALOG)) if not e.obsolete]
    untranslated = [e.msgid for e in entries if not (e.msgstr or all(e.msgstr_plural.values())) or "fuzzy" in e.flags]
    assert untranslated == []
    with translation.override("zh-hans"):
        stale = [
            e.msgid
            for e in entries
            if not e.msgctxt and not e.msgid_plural and translation.gettext(e.msgid) != e.msgstr
        ]
        stale += [e.msgid for e in entries if e.msgctxt and translation.pgettext(e.msgctxt, e.msgid) != e.msgstr]
    assert stale == [], "run: manage.py compilemessages -l zh_Hans --ignore=.venv"


def test_english_is_available():
    with translation.override("en"):
        assert translation.gettext("Visit overdue") == "Visit overdue"
    with translation.override("zh-hans"):
        assert translation.gettext("Visit overdue") == "走访逾期"


def test_chinese_text_uses_chinese_punctuation():
    import re

    after_chinese = re.compile(r"[\u4e00-\u9fff）」][:;,.!?](?!\d)|[\u4e00-\u9fff]\s?, ")
    texts = [s for e in polib.pofile(str(CATALOG)) for s in (e.msgstr, *e.msgstr_plural.values()) if s]
    assert [t for t in texts if after_chinese.search(t)] == []
    templates = Path(__file__).resolve().parents[2] / "templates"
    label_colon = re.compile(r"\{% (?:translate|endblocktranslate)[^%]*%\}[:.](?:\s|<|\{)")
    found = [str(p) for p in templates.rglob("*.html") if label_colon.search(p.read_text(encoding="utf-8"))]
    assert found == []
