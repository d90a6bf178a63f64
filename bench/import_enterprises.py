"""Importing a 100,000-row enterprise ledger: ours (read, check every row, save all or nothing), beside
python-calamine reading the same file (floor: what ours reads it with, and nothing else) and django-import-export
importing it into the same model at its documented fastest settings (peer)."""

import time

import openpyxl
import python_calamine
from django.db import connection, transaction

from bench.common import empty_registry, ledger_rows
from zhuqi.core.bulk import mark_worker_process
from zhuqi.enterprises.ledger import ledger_import
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Park

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
    "地址",
]


def write_ledger(path, rows, parks):
    if path.exists():
        return
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("企业台账")
    sheet.append(HEADERS)
    for row in ledger_rows(rows, parks):
        sheet.append(row)
    book.save(path)


def checkpoint():
    """Flush what the previous phase wrote, so that its WAL is not written out during the next one's timing."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def floor_calamine(path) -> float:
    started = time.perf_counter()
    with open(path, "rb") as fileobj:
        book = python_calamine.CalamineWorkbook.from_filelike(fileobj)
        count = sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) - 1
        book.close()
    return count / (time.perf_counter() - started)


def ours(path) -> float:
    user = empty_registry()
    checkpoint()
    started = time.perf_counter()
    with open(path, "rb") as fileobj:
        count, checked = ledger_import(fileobj=fileobj, by=user, source_name=path.name)
    assert not checked.problems, checked.problems[:5]
    elapsed = time.perf_counter() - started
    assert Enterprise.objects.count() == count
    return count / elapsed


def peer_import_export(path, rows: int) -> float:
    """django-import-export as its performance notes advise for an import that only creates: bulk_create in
    batches of 1,000 (use_bulk, batch_size; None is documented to be slower), no lookup of an existing instance
    per row (force_init_instance), no diff (skip_diff, so skip_unchanged stays off), and the foreign-key widget
    caching the parks instead of a query per row."""
    import tablib
    from import_export import fields, resources, widgets

    class CachedParkWidget(widgets.ForeignKeyWidget):
        def __init__(self):
            super().__init__(Park, "name")
            self.parks = {park.name: park for park in Park.objects.all()}

        def clean(self, value, row=None, **kwargs):
            return self.parks.get(value) if value else None

    class EnterpriseResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="企业名称")
        credit_code = fields.Field(attribute="credit_code", column_name="统一社会信用代码")
        park = fields.Field(attribute="park", column_name="所属园区", widget=CachedParkWidget())
        headcount = fields.Field(attribute="headcount", column_name="从业人数", widget=widgets.IntegerWidget())
        address = fields.Field(attribute="address", column_name="地址")

        class Meta:
            model = Enterprise
            fields = ("name", "credit_code", "park", "headcount", "address")
            import_id_fields = ("credit_code",)
            use_bulk = True
            batch_size = 1000
            force_init_instance = True
            skip_diff = True
            skip_unchanged = False
            skip_html_diff = True

    empty_registry()
    checkpoint()
    started = time.perf_counter()
    with open(path, "rb") as fileobj:
        dataset = tablib.Dataset().load(fileobj.read(), format="xlsx")
    if rows < len(dataset):
        dataset = dataset.subset(rows=range(rows))
    with transaction.atomic():
        result = EnterpriseResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    assert Enterprise.objects.count() == len(dataset)
    return len(dataset) / elapsed


STORED = {
    "enterprises_enterprise": "id, name, credit_code, name_initials, former_names, park_id, grid_id, address, industry, "
    "industry_detail, scale, headcount, environmental_grade, service_officer_id, is_demo, created_at, updated_at, "
    "established_on, serious_breach_on, serious_breach_source",
    "enterprises_contact": "enterprise_id, name, title, phone, phone_hash, is_primary",
    "enterprises_timelineentry": "enterprise_id, occurred_at, kind, actor_id, summary, details, visit_id",
}


def database_alone() -> float:
    """Not a BENCH figure, but the bound under ours: the rows the last import stored, read back as COPY text and
    written again in one transaction into the same tables (same indexes, foreign keys checked at commit), with no
    file read and nothing checked, encrypted or converted. No import into this schema can go faster."""
    saved = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT actor_id FROM enterprises_timelineentry")
        actor = cursor.fetchall()
        for table, columns in STORED.items():
            with cursor.cursor.copy(f"COPY (SELECT {columns} FROM {table} ORDER BY id) TO STDOUT") as copy:  # noqa: S608
                saved[table] = b"".join(bytes(block) for block in copy)
    count = saved["enterprises_enterprise"].count(b"\n")
    user = empty_registry()
    assert actor == [(user.pk,)], actor  # TRUNCATE ... RESTART IDENTITY: the new importer has the old one's id
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns in STORED.items():
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(saved[table])
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('enterprises_enterprise', 'id'), max(id)) FROM enterprises_enterprise"
        )
    assert Enterprise.objects.count() == count
    return count / elapsed


PARKS = ["创新创业服务园区", "电气装备产业园区", "临港物流产业园区", "皇台产业园区"]


def _ledger(rows: int, out):
    for i, name in enumerate(PARKS):
        Park.objects.get_or_create(name=name, defaults={"sort_order": i})
    path = out / f"ledger-{rows}.xlsx"
    write_ledger(path, rows, PARKS)
    return path


def load(*, rows: int, out) -> None:
    """The registry the later benchmarks search and hang cases on, without timing anything."""
    mark_worker_process()
    ours(_ledger(rows, out))


def run(*, rows: int, peer_rows: int, out) -> str:
    mark_worker_process()  # this process serves no requests: the import may pause the cyclic collector
    path = _ledger(rows, out)
    # best of two for the floor and for ours alike; the peer, at a minute or more a run, once
    floor = max(floor_calamine(path) for _ in range(2))
    print(f"import_enterprises: python-calamine reading alone {floor:,.0f} rows/s")
    peer = peer_import_export(path, peer_rows)
    print(f"import_enterprises: django-import-export {peer:,.0f} rows/s ({peer_rows:,} rows)")
    value = max(ours(path) for _ in range(2))
    print(f"import_enterprises: zhuqi {value:,.0f} rows/s ({rows:,} rows, checked and saved)")
    alone = max(database_alone() for _ in range(2))
    print(
        f"import_enterprises: PostgreSQL alone storing the same rows {alone:,.0f} rows/s "
        f"(COPY of ready rows into the same tables; ours/that {value / alone:.2f}, that/floor {alone / floor:.2f})"
    )
    return f"BENCH import_enterprises {value:.0f} rows/s floor={floor:.0f} peer={peer:.0f}"
