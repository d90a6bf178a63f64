"""Importing an office's Excel ledger: every problem listed before anything is saved; then all or nothing."""

import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuqi.core.models import AuditRecord
from zhuqi.enterprises import ledger
from zhuqi.enterprises.ledger import ledger_import, ledger_parse
from zhuqi.enterprises.models import Contact, Enterprise, LedgerImport
from zhuqi.enterprises.tests.factories import TagFactory, credit_code_for

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属园区",
    "所属网格",
    "行业",
    "规模",
    "联系人",
    "联系电话",
    "从业人数",
    "标签",
]


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_row(n, park="创新创业服务园区"):
    return [
        f"平顶山导入{n}号电气有限公司",
        credit_code_for(50000 + n),
        park,
        "",
        "制造业",
        "规上",
        "王五",
        "13900001111",
        120,
        "",
    ]


def test_a_ledger_full_of_faults_lists_each_problem_by_row_and_column_and_saves_nothing(zone):
    TagFactory(name="危化企业")
    rows = [
        good_row(1),
        ["", credit_code_for(60001), "创新创业服务园区", "", "", "", "", "", "", ""],  # 2 no name
        ["坏代码公司", "914403001922038217", "", "", "", "", "", "", "", ""],  # 3 wrong check character
        ["未知园区公司", credit_code_for(60003), "月球园区", "", "", "", "", "", "", ""],  # 4
        [zone.enterprise_a.name, credit_code_for(60004), "", "", "", "", "", "", "", ""],  # 5 name already in registry
        ["重复代码公司", credit_code_for(50001), "", "", "", "", "", "", "", ""],  # 6 code repeats row 2
        ["规模错公司", credit_code_for(60006), "", "", "", "中型", "", "", "", ""],  # 7
        ["电话错公司", credit_code_for(60007), "", "", "", "", "李四", "12345", "", ""],  # 8
        ["人数错公司", credit_code_for(60008), "", "", "", "", "", "", "很多", ""],  # 9
        ["标签错公司", credit_code_for(60009), "", "", "", "", "", "", "", "危化企业、重点项目"],  # 10
        ["网格错公司", credit_code_for(60010), "", "G9999", "", "", "", "", "", ""],  # 11
    ]
    before = Enterprise.objects.count()
    parsed = ledger_parse(fileobj=workbook(rows), by=zone.users["coordinator"])
    found = {(p.row, p.column): p.reason for p in parsed.problems}
    assert found[(3, "企业名称")] == "必填项为空"
    assert "第18位应为" in found[(4, "统一社会信用代码")]
    assert found[(5, "所属园区")] == "园区“月球园区”不存在"
    assert found[(6, "企业名称")] == "同名企业已在库中"
    assert found[(7, "统一社会信用代码")] == "与第2行的信用代码重复"
    assert "规模" in found[(8, "规模")]
    assert "联系电话格式不正确" in found[(9, "联系电话")]
    assert found[(10, "从业人数")] == "从业人数应为非负整数"
    assert found[(11, "标签")] == "标签“重点项目”不存在"
    assert found[(12, "所属网格")] == "网格“G9999”不存在"
    assert len(parsed.rows) == 1 and not parsed.ok
    count, checked = ledger_import(fileobj=workbook(rows), by=zone.users["coordinator"])
    assert count == 0 and {(p.row, p.column) for p in checked.problems} == set(found)
    assert Enterprise.objects.count() == before


def test_a_clean_ledger_imports_every_row_with_contacts_tags_and_a_timeline_entry(zone):
    tag = TagFactory(name="危化企业")
    rows = [good_row(n) for n in range(1, 6)]
    rows[0][-1] = "危化企业"
    count, checked = ledger_import(fileobj=workbook(rows), by=zone.users["coordinator"], source_name="园区台账.xlsx")
    assert count == 5 and not checked.problems
    imported = Enterprise.objects.get(name="平顶山导入1号电气有限公司")
    assert imported.park == zone.park_a and imported.scale == "above" and imported.industry == "C"
    assert imported.name_initials == "pdsdr1hdqyxgs"
    assert list(imported.tags.all()) == [tag]
    assert imported.contacts.get().phone == "13900001111"
    assert imported.timeline.get().summary == "由台账“园区台账.xlsx”导入建档"
    assert AuditRecord.objects.filter(event="import", detail="导入企业 5 家").exists()


def test_a_failure_midway_leaves_nothing_half_saved(zone):
    before = (Enterprise.objects.count(), Contact.objects.count())
    real_insert, calls = ledger.insert_rows, []

    def dies_at_the_contacts(model, fields, rows, **more):
        calls.append(model)
        if model is Contact:
            raise RuntimeError("killed")
        real_insert(model, fields, rows, **more)

    with mock.patch.object(ledger, "insert_rows", dies_at_the_contacts), pytest.raises(RuntimeError):
        ledger_import(fileobj=workbook([good_row(n) for n in range(1, 4)]), by=zone.users["coordinator"])
    assert calls[0] is Enterprise  # the enterprises had been written before the failure
    assert (Enterprise.objects.count(), Contact.objects.count()) == before


def test_a_park_officer_may_only_import_their_own_parks_enterprises(zone):
    rows = [good_row(1, park="创新创业服务园区"), good_row(2, park="电气装备产业园区")]
    parsed = ledger_parse(fileobj=workbook(rows), by=zone.users["officer_a"])
    assert [(p.row, p.reason) for p in parsed.problems] == [(3, "只能导入本园区的企业")]


def test_missing_required_columns_are_named(zone):
    parsed = ledger_parse(fileobj=workbook([["某公司"]], headers=["企业名称"]), by=zone.users["coordinator"])
    assert parsed.problems[0].reason == "缺少必需的列：统一社会信用代码"


def test_a_file_that_is_not_xlsx_is_refused_with_a_chinese_message(zone):
    parsed = ledger_parse(fileobj=io.BytesIO(b"MZ\x90\x00this is a program"), by=zone.users["coordinator"])
    assert "不是 Excel 工作簿" in parsed.problems[0].reason


def test_upload_check_and_confirm_through_the_pages(zone, client, django_capture_on_commit_callbacks):
    client.force_login(zone.users["coordinator"])
    upload = SimpleUploadedFile("台账.xlsx", workbook([good_row(n) for n in range(1, 4)]).getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger-upload"), {"file": upload})
    job = LedgerImport.objects.get()
    assert response.url == reverse("ledger-import", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "检查通过：3 行全部无误" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger-import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "imported" and job.imported_count == 3
    assert Enterprise.objects.filter(name__startswith="平顶山导入").count() == 3


def test_a_faulty_upload_shows_the_problem_table_and_offers_no_import_button(
    zone, client, django_capture_on_commit_callbacks
):
    client.force_login(zone.users["coordinator"])
    upload = SimpleUploadedFile(
        "台账.xlsx", workbook([["坏代码公司", "123", "", "", "", "", "", "", "", ""]]).getvalue()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger-upload"), {"file": upload})
    response = client.get(reverse("ledger-import", args=[LedgerImport.objects.get().pk]))
    page = response.content.decode()
    assert "统一社会信用代码应为18位，当前为3位" in page
    assert "confirm-import" not in page
    job = LedgerImport.objects.get()
    assert client.post(reverse("ledger-import", args=[job.pk])).status_code == 302
    assert LedgerImport.objects.get().status == "checked"
    assert not Enterprise.objects.filter(name="坏代码公司").exists()


def test_exported_cells_that_look_like_formulas_stay_text(zone, client):
    Enterprise.objects.filter(pk=zone.enterprise_a.pk).update(address='=HYPERLINK("http://x")')
    client.force_login(zone.users["coordinator"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("enterprise-export")).content))
    addresses = [row[-1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in addresses


def test_the_one_pass_import_saves_a_clean_ledger(zone):
    count, checked = ledger.ledger_import(
        fileobj=workbook([good_row(n) for n in range(1, 6)]), by=zone.users["coordinator"], source_name="台账.xlsx"
    )
    assert (count, checked.problems) == (5, [])
    imported = Enterprise.objects.get(name="平顶山导入3号电气有限公司")
    assert imported.contacts.get().phone == "13900001111"
    assert imported.timeline.get().kind == "imported"


def test_a_fault_in_the_last_row_undoes_the_rows_already_written_and_lists_every_problem(zone):
    rows = [good_row(n) for n in range(1, 6)] + [
        ["坏代码公司", "123", "", "", "", "", "", "", "", ""],
        ["", credit_code_for(60001), "", "", "", "", "", "", "", ""],
    ]
    before = Enterprise.objects.count()
    count, checked = ledger.ledger_import(fileobj=workbook(rows), by=zone.users["coordinator"])
    assert count == 0
    assert [(p.row, p.column) for p in checked.problems] == [(7, "统一社会信用代码"), (8, "企业名称")]
    assert Enterprise.objects.count() == before
    assert not AuditRecord.objects.filter(event="import").exists()
