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
