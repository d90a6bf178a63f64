"""Files and errors from outside: Excel uploads checked before they are parsed, and a failing page that shows
a plain apology, never a stack trace."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from zhuqi.core.excel import WorkbookProblem, read_table, safe_cell
from zhuqi.enterprises.ledger import ledger_parse


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "统一社会信用代码"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewritten(xlsx: bytes, name: str, change) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == name else data)
    out.seek(0)
    return out


def _padded(megabytes: int) -> io.BytesIO:
    """A genuine workbook whose sheet is followed by blank space: it packs to almost nothing."""
    return _rewritten(_xlsx(), "xl/worksheets/sheet1.xml", lambda data: data + b" " * (megabytes * 1024 * 1024))


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_parsing_and_the_limit_is_named(settings):
    settings.ZHUQI_IMPORT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
    with translation.override("zh-hans"), pytest.raises(WorkbookProblem, match="压缩炸弹") as refused:
        read_table(_padded(30))
    assert "20 MB" in str(refused.value)


def test_a_workbook_that_packs_tightly_is_read_when_it_unpacks_within_the_limit():
    # the old guard refused any file packed more than 200 to 1, such as a genuine 51 MB, 780,000-row ledger
    table = read_table(_padded(30))
    assert next(table.rows)[:2] == ["企业名称", "统一社会信用代码"]


def test_a_sheet_with_more_rows_than_the_limit_is_refused_with_the_limit_named(settings):
    settings.ZHUQI_IMPORT_MAX_ROWS = 5
    book = openpyxl.Workbook()
    for n in range(10):
        book.active.append([f"第{n}行"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with translation.override("zh-hans"), pytest.raises(WorkbookProblem) as refused:
        read_table(buffer)
    assert "10" in str(refused.value) and "5" in str(refused.value) and "行" in str(refused.value)
    csv_file = io.BytesIO("\n".join(f"第{n}行" for n in range(10)).encode())
    with pytest.raises(WorkbookProblem):
        read_table(csv_file)


def test_a_ledger_declaring_xml_entities_is_refused_not_expanded(zone):
    laughs = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'

    def with_entities(data: bytes) -> bytes:
        return laughs + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)

    ledger = _rewritten(_xlsx(), "xl/worksheets/sheet1.xml", with_entities)
    with translation.override("zh-hans"):
        result = ledger_parse(fileobj=ledger, by=zone.users["coordinator"])
        assert result.rows == [] and "无法读取" in result.problems[0].reason


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00this is a program", b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04not a zip at all"]
)
def test_a_file_that_is_no_spreadsheet_is_refused_with_a_chinese_message(content):
    with translation.override("zh-hans"), pytest.raises(WorkbookProblem, match="不是 Excel|无法读取"):
        read_table(io.BytesIO(content))


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_text_that_excel_would_run_as_a_formula_is_exported_as_text(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("河南森源电气股份有限公司") == "河南森源电气股份有限公司" and safe_cell(-2) == -2


def test_a_failing_page_shows_a_plain_apology_and_no_stack_trace(zone, client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals: /work/main/zhuqi/settings")

    monkeypatch.setattr("zhuqi.notifications.selectors.unread_count", broken)
    client.raise_request_exception = False
    client.force_login(zone.users["officer_a"])
    response = client.get(reverse("enterprise-list"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "出错" in page or "错误" in page
    assert "Traceback" not in page and "secret internals" not in page and "RuntimeError" not in page


def test_text_with_a_nul_character_is_refused_with_a_chinese_message(zone, client):
    client.force_login(zone.users["coordinator"])
    api = client.get("/api/enterprises/", {"q": "森源\x00"})
    assert api.status_code == 400 and "空字符" in api.json()["message"]
    page = client.get(reverse("enterprise-list"), {"q": "森源\x00"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    body = client.post("/api/cases/", '{"category": 1, "description": "\\u0000"}', content_type="application/json")
    assert body.status_code == 400


def test_an_ods_ledger_declaring_xml_entities_is_refused_not_expanded():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(Table(name="台账"))
    buffer = io.BytesIO()
    document.write(buffer)
    laughs = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    ods = _rewritten(buffer.getvalue(), "content.xml", lambda data: laughs + data.split(b"?>", 1)[1])
    with translation.override("zh-hans"), pytest.raises(WorkbookProblem, match="无法读取"):
        read_table(ods)
