"""Ledgers as offices send them: a title above the header, headers with notes, full-width characters, formulas,
and .xls, .ods or CSV instead of .xlsx."""

import io

import openpyxl
import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from zhuqi.enterprises.ledger import ledger_import, ledger_parse
from zhuqi.enterprises.models import Enterprise
from zhuqi.enterprises.tests.factories import EnterpriseFactory, credit_code_for

OFFICE_HEADER = [
    "序号",
    "企业名称（全称）",
    "统一社会信用代码\n(18位)",
    "所属园区",
    "联系人",
    "联系电话（手机）",
    "备注",
]


def office_rows(codes=(71001, 71002)):
    return [
        ["平顶山高新区重点企业台账"],
        ["填报日期：2026年11月30日", "", "", "", "", "", "单位：家"],
        OFFICE_HEADER,
        [1, "平顶山台账一号电气有限公司", credit_code_for(codes[0]), "创新创业服务园区", "王五", "13900001111", ""],
        [
            2,
            "平顶山台账二号材料有限公司",
            credit_code_for(codes[1]),
            "创新创业服务园区",
            "赵六",
            "13900002222",
            "新入驻",
        ],
    ]


def xlsx(rows, offset_column=0) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1 + offset_column):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def xls(rows) -> io.BytesIO:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def ods(rows) -> io.BytesIO:
    document = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    buffer.seek(0)
    return buffer


def csv_file(rows, encoding) -> io.BytesIO:
    lines = [",".join(f'"{v}"' if "\n" in str(v) or "," in str(v) else str(v) for v in row) for row in rows]
    return io.BytesIO("\r\n".join(lines).encode(encoding))


def test_an_office_ledger_with_a_title_a_date_line_and_annotated_headers_is_read_and_says_what_it_took(zone):
    parsed = ledger_parse(fileobj=xlsx(office_rows(), offset_column=1), by=zone.users["coordinator"])
    assert parsed.problems == []
    assert [r["name"] for r in parsed.rows] == ["平顶山台账一号电气有限公司", "平顶山台账二号材料有限公司"]
    assert parsed.header_row == 3 and parsed.total == 2
    taken = {c["letter"]: (c["header"], c["field"]) for c in parsed.columns}
    assert taken["C"] == ("企业名称（全称）", "企业名称")
    assert taken["D"] == ("统一社会信用代码\n(18位)", "统一社会信用代码")
    assert taken["G"] == ("联系电话（手机）", "联系电话")
    assert taken["B"] == ("序号", "") and taken["H"] == ("备注", "")  # shown as not read


def test_a_problem_in_an_office_ledger_names_the_row_as_excel_numbers_it(zone):
    rows = office_rows()
    rows[4][2] = "123"
    parsed = ledger_parse(fileobj=xlsx(rows), by=zone.users["coordinator"])
    assert [(p.row, p.column) for p in parsed.problems] == [(5, "统一社会信用代码")]


def test_a_ledger_without_any_header_row_says_what_it_looked_for(zone):
    parsed = ledger_parse(fileobj=xlsx([["台账"], ["甲", "乙"]]), by=zone.users["coordinator"])
    assert "表头" in parsed.problems[0].reason and "统一社会信用代码" in parsed.problems[0].reason


@pytest.mark.parametrize(
    "make",
    [xls, ods, lambda rows: csv_file(rows, "utf-8-sig"), lambda rows: csv_file(rows, "gbk")],
    ids=["xls", "ods", "csv-utf8", "csv-gbk"],
)
def test_xls_ods_and_csv_ledgers_are_read_like_xlsx(zone, make):
    count, checked = ledger_import(fileobj=make(office_rows()), by=zone.users["coordinator"], source_name="台账")
    assert checked.problems == [] and count == 2
    imported = Enterprise.objects.get(credit_code=credit_code_for(71002))
    assert imported.name == "平顶山台账二号材料有限公司" and imported.park == zone.park_a
    assert imported.contacts.get().phone == "13900002222"


def test_full_width_characters_spaces_and_line_breaks_are_normalised_before_checking(zone):
    code = credit_code_for(72001)
    wide_code = " " + code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})[:10] + code[10:] + "\n"
    rows = [
        ["企业名称", "统一社会信用代码", "联系人", "联系电话"],
        ["ＰＤＳ 平顶山\n宽字符科技有限公司", wide_code, "王五", "１３９ ０００１　１１１１"],
    ]
    count, checked = ledger_import(fileobj=xlsx(rows), by=zone.users["coordinator"])
    assert checked.problems == [] and count == 1
    imported = Enterprise.objects.get(credit_code=code)
    assert imported.name == "PDS平顶山宽字符科技有限公司"
    assert imported.contacts.get().phone == "13900011111"


def test_names_that_differ_only_in_full_width_letters_or_spaces_are_the_same_firm(zone):
    EnterpriseFactory(name="ABC科技（平顶山）有限公司")
    rows = [
        ["企业名称", "统一社会信用代码"],
        ["ＡＢＣ科技(平顶山)有限公司", credit_code_for(73001)],
        ["XYZ 材料有限公司", credit_code_for(73002)],
        ["ＸＹＺ材料有限公司", credit_code_for(73003)],
    ]
    parsed = ledger_parse(fileobj=xlsx(rows), by=zone.users["coordinator"])
    assert [(p.row, p.reason) for p in parsed.problems] == [(2, "同名企业已在库中"), (4, "与第3行的企业名称重复")]


def test_a_formula_whose_result_was_never_saved_is_reported_as_a_formula_with_its_row(zone):
    rows = [
        ["企业名称", "统一社会信用代码", "备注"],
        ["平顶山公式一号有限公司", credit_code_for(74001), credit_code_for(74002)],
        ["平顶山公式二号有限公司", "=C2", ""],  # openpyxl saves the formula and no result, as some programs do
    ]
    parsed = ledger_parse(fileobj=xlsx(rows), by=zone.users["coordinator"])
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(3, "统一社会信用代码", "=C2")]
    assert "公式" in parsed.problems[0].reason and "必填" not in parsed.problems[0].reason


def test_text_with_backslashes_tabs_and_line_breaks_is_saved_as_written(zone):
    address = "建设路\\1号\t东门\r\n二楼 N"
    rows = [["企业名称", "统一社会信用代码", "地址"], ["平顶山转义测试有限公司", credit_code_for(75001), address]]
    count, checked = ledger_import(fileobj=xlsx(rows), by=zone.users["coordinator"])
    assert checked.problems == [] and count == 1
    assert Enterprise.objects.get(credit_code=credit_code_for(75001)).address == address.strip()


def test_a_formula_without_its_result_in_an_ods_ledger_is_reported_as_a_formula(zone):
    document = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for values in [["企业名称", "统一社会信用代码"], ["平顶山公式三号有限公司", None]]:
        tr = TableRow()
        for value in values:
            if value is None:
                cell = TableCell(formula="of:=[.C2]")  # as a program that does not calculate writes it
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    buffer.seek(0)
    parsed = ledger_parse(fileobj=buffer, by=zone.users["coordinator"])
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(2, "统一社会信用代码", "=[.C2]")]
    assert "公式" in parsed.problems[0].reason
