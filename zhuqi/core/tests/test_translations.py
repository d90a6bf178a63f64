from pathlib import Path

import polib
import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
CATALOG = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# a module arrives as one app folder, its messages in its own catalogue beside its code
CATALOGS = [CATALOG, *sorted(PACKAGE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))]


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_has_a_chinese_translation_and_the_compiled_catalog_matches(catalog):
    entries = [e for e in polib.pofile(str(catalog)) if not e.obsolete]
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
    texts = [s for c in CATALOGS for e in polib.pofile(str(c)) for s in (e.msgstr, *e.msgstr_plural.values()) if s]
    assert [t for t in texts if after_chinese.search(t)] == []
    label_colon = re.compile(r"\{% (?:translate|endblocktranslate)[^%]*%\}[:.](?:\s|<|\{)")
    pages = [*PACKAGE.glob("templates/**/*.html"), *PACKAGE.glob("*/templates/**/*.html")]
    found = [str(p) for p in pages if label_colon.search(p.read_text(encoding="utf-8"))]
    assert found == []
