"""企业台账: import from the offices' Excel ledgers (preview every problem, then all or nothing) and export."""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.audit import audit_record
from zhuqi.core.bulk import cycle_collection_paused, insert_rows
from zhuqi.core.excel import WorkbookProblem, open_workbook, sheet_rows, write_sheet
from zhuqi.core.masking import mask_phone
from zhuqi.core.models import AuditEvent
from zhuqi.core.pinyin import initials
from zhuqi.org.models import Grid, Park, Role

from .credit_code import credit_code_problem, normalise
from .models import Contact, Enterprise, Industry, Scale, Tag, TimelineEntry, TimelineKind

# column key -> the headers offices write for it
COLUMNS = {
    "name": ("企业名称", "单位名称", "名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "park": ("所属园区", "园区"),
    "grid": ("所属网格", "网格", "网格编号"),
    "industry": ("行业", "所属行业", "行业门类"),
    "scale": ("规模", "企业规模"),
    "contact_name": ("联系人", "企业联系人"),
    "contact_phone": ("联系电话", "手机号", "电话"),
    "address": ("地址", "企业地址", "注册地址"),
    "headcount": ("从业人数", "职工人数", "员工人数"),
    "tags": ("标签", "企业标签"),
    "environmental_grade": ("环保绩效分级", "绩效分级"),
}
REQUIRED = ("name", "credit_code")
HEADER_OF = {key: names[0] for key, names in COLUMNS.items()}
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
_SCALES = {"规上": Scale.ABOVE, "规模以上": Scale.ABOVE, "规下": Scale.BELOW, "规模以下": Scale.BELOW}
_GRADES = {"A": "A", "B": "B", "C": "C", "D": "D", "引领性": "leading", "": ""}


@dataclass
class Problem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ParsedLedger:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self, by):
        self.parks = {}
        for park in Park.objects.all():
            self.parks[park.name] = park.pk
            if park.also_known_as:
                self.parks[park.also_known_as] = park.pk
        self.grids = dict(Grid.objects.values_list("code", "pk"))
        self.grids.update({name: pk for name, pk in Grid.objects.values_list("name", "pk")})
        self.tags = dict(Tag.objects.values_list("name", "pk"))
        # deleted enterprises too: they keep their code and name until restored
        self.existing_codes = set(Enterprise.everything.values_list("credit_code", flat=True))
        self.existing_names = set(Enterprise.everything.values_list("name", flat=True))
        self.industries = {label: value for value, label in Industry.choices}
        self.industries.update({value: value for value in Industry.values})
        self.own_park = by.park_id if by.role == Role.PARK_OFFICER else None


def _check_row(
    values: dict, rownum: int, lookups: _Lookups, seen_codes: dict, seen_names: dict, problems: list[Problem]
) -> dict | None:
    def fail(key, reason):
        problems.append(Problem(rownum, HEADER_OF[key], values.get(key, ""), reason))

    count_before = len(problems)
    for key in REQUIRED:
        if not values.get(key):
            fail(key, _("Required, but empty"))
    name = values.get("name", "")
    code = normalise(values.get("credit_code", ""))
    if code:
        problem = credit_code_problem(code)
        if problem:
            fail("credit_code", problem)
        elif code in lookups.existing_codes:
            fail("credit_code", _("An enterprise with this credit code is already registered"))
        elif code in seen_codes:
            fail("credit_code", _("Same credit code as row %(row)d") % {"row": seen_codes[code]})
        seen_codes.setdefault(code, rownum)
    if name:
        if len(name) > 100:
            fail("name", _("The enterprise name is longer than 100 characters"))
        elif name in lookups.existing_names:
            fail("name", _("An enterprise with this name is already registered"))
        elif name in seen_names:
            fail("name", _("Same enterprise name as row %(row)d") % {"row": seen_names[name]})
        seen_names.setdefault(name, rownum)
    park_id = None
    if values.get("park"):
        park_id = lookups.parks.get(values["park"])
        if park_id is None:
            fail("park", _("There is no park “%(v)s”") % {"v": values["park"]})
    if lookups.own_park and park_id != lookups.own_park:
        fail("park", _("You can only import enterprises of your own park"))
    grid_id = None
    if values.get("grid"):
        grid_id = lookups.grids.get(values["grid"])
        if grid_id is None:
            fail("grid", _("There is no grid “%(v)s”") % {"v": values["grid"]})
    industry, industry_detail = "", values.get("industry", "")
    if industry_detail:
        head = industry_detail.split()[0] if industry_detail.split() else ""
        industry = lookups.industries.get(industry_detail) or lookups.industries.get(head.upper(), "")
        if industry:
            industry_detail = ""
    scale = Scale.BELOW
    if values.get("scale"):
        scale = _SCALES.get(values["scale"])
        if scale is None:
            fail("scale", _("Scale must be “规上” (above designated size) or “规下” (below)"))
    headcount = None
    if values.get("headcount"):
        try:
            headcount = int(values["headcount"])
            if headcount < 0:
                raise ValueError
        except ValueError:
            fail("headcount", _("Headcount must be a whole number, zero or more"))
    tag_ids = []
    for tag in filter(None, re.split(r"[、,，;；\s]+", values.get("tags", ""))):
        if tag in lookups.tags:
            tag_ids.append(lookups.tags[tag])
        else:
            fail("tags", _("There is no tag “%(v)s”") % {"v": tag})
    grade = _GRADES.get(values.get("environmental_grade", "").upper().removesuffix("级"))
    if grade is None:
        fail("environmental_grade", _("The environmental performance grade must be A, B, C, D or 引领性 (leading)"))
    phone = values.get("contact_phone", "").replace(" ", "")
    if phone and not _PHONE.match(phone):
        fail(
            "contact_phone",
            _("The phone number is not valid (a mobile has 11 digits; a landline looks like 0375-1234567)"),
        )
    if phone and not values.get("contact_name"):
        fail("contact_name", _("A phone number is given but no contact name"))
    if len(problems) > count_before:
        return None
    return {
        "name": name,
        "credit_code": code,
        "park_id": park_id,
        "grid_id": grid_id,
        "industry": industry,
        "industry_detail": industry_detail[:60],
        "scale": scale,
        "headcount": headcount,
        "address": values.get("address", "")[:200],
        "environmental_grade": grade or "",
        "tag_ids": tag_ids,
        "contact_name": values.get("contact_name", "")[:40],
        "contact_phone": phone,
    }


def _open_ledger(fileobj, result: ParsedLedger):
    """The workbook, its data rows and the column positions; None (with the problem recorded) when unreadable."""
    try:
        workbook = open_workbook(fileobj)
        sheet = workbook.worksheets[0]
        rows = sheet_rows(sheet)
        header = next(rows, None)
    except WorkbookProblem as exc:
        result.problems.append(Problem(0, "", "", str(exc)))
        return None
    if header is None:
        result.problems.append(Problem(1, "", "", _("The worksheet is empty")))
        return None
    alias = {name: key for key, names in COLUMNS.items() for name in names}
    positions = {}
    for index, title in enumerate(header):
        key = alias.get(_text(title))
        if key and key not in positions:
            positions[key] = index
    missing = [HEADER_OF[key] for key in REQUIRED if key not in positions]
    if missing:
        result.problems.append(
            Problem(1, "", "", _("Required columns are missing: %(cols)s") % {"cols": "、".join(missing)})
        )
        return None
    result.total = max((sheet.max_row or 1) - 1, 0)
    return workbook, rows, list(positions.items())


def _checked_rows(rows, items, result: ParsedLedger, lookups: _Lookups, progress) -> Iterator[dict]:
    """Each data row that passes its checks; problems go to result.problems."""
    seen_codes, seen_names = {}, {}
    for rownum, raw in enumerate(rows, start=2):
        values = {key: _text(raw[i]) if i < len(raw) else "" for key, i in items}
        if any(values.values()):
            parsed = _check_row(values, rownum, lookups, seen_codes, seen_names, result.problems)
            if parsed:
                yield parsed
        if progress and rownum % 2000 == 0:
            progress(rownum - 1, result.total)
        # a sheet saved without its <dimension> reports no size until it has been read
        result.total = max(result.total, rownum - 1)


def ledger_parse(*, fileobj, by, progress: Callable[[int, int], None] | None = None) -> ParsedLedger:
    """Reads the whole ledger and lists every problem (row, column, reason); saves nothing."""
    result = ParsedLedger()
    opened = _open_ledger(fileobj, result)
    if opened is None:
        return result
    workbook, rows, items = opened
    try:
        with cycle_collection_paused():
            result.rows = list(_checked_rows(rows, items, result, _Lookups(by), progress))
    except WorkbookProblem as exc:  # nothing is saved from a file that could not be read to its end
        result.rows = []
        result.problems.append(Problem(0, "", "", str(exc)))
    workbook.close()
    if not result.rows and not result.problems:
        result.problems.append(Problem(2, "", "", _("There are no data rows")))
    return result


ENTERPRISE_FIELDS = [
    "name",
    "credit_code",
    "name_initials",
    "former_names",
    "park_id",
    "grid_id",
    "address",
    "industry",
    "industry_detail",
    "scale",
    "headcount",
    "environmental_grade",
    "service_officer_id",
    "is_demo",
    "created_at",
    "updated_at",
]


def _save_rows(rows: Iterable[dict], *, by, source_name: str, progress) -> int:
    """Writes checked rows: the enterprises as they come (streamed into COPY on PostgreSQL, so that the database
    indexes them on its own core while the next rows are read), then their tags, contacts and timeline entries."""
    now = timezone.now()
    saved: list[dict] = []
    watermark = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def enterprise_tuples():
        for r in rows:
            saved.append(r)
            yield (
                r["name"],
                r["credit_code"],
                initials(r["name"]),
                [],
                r["park_id"],
                r["grid_id"],
                r["address"],
                r["industry"],
                r["industry_detail"],
                r["scale"],
                r["headcount"],
                r["environmental_grade"],
                None,
                False,
                now,
                now,
            )

    insert_rows(Enterprise, ENTERPRISE_FIELDS, enterprise_tuples())
    if not saved:
        return 0
    # our own rows, by code, among those inserted since the watermark (others may have committed meanwhile)
    codes = {r["credit_code"] for r in saved}
    ids = {
        code: pk
        for code, pk in Enterprise.objects.filter(pk__gt=watermark).values_list("credit_code", "pk")
        if code in codes
    }
    pairs = [(ids[r["credit_code"]], r) for r in saved]
    insert_rows(
        Enterprise.tags.through, ["enterprise_id", "tag_id"], [(pk, tag) for pk, r in pairs for tag in r["tag_ids"]]
    )
    insert_rows(
        Contact,
        ["enterprise_id", "name", "title", "phone", "is_primary"],
        [(pk, r["contact_name"], "", r["contact_phone"], True) for pk, r in pairs if r["contact_name"]],
    )
    summary = _("Registered by importing the ledger “%(file)s”") % {"file": source_name[:100]}
    insert_rows(
        TimelineEntry,
        ["enterprise_id", "occurred_at", "kind", "actor_id", "summary", "details", "visit_id"],
        [(pk, now, TimelineKind.IMPORTED, by.pk, summary, {}, None) for pk, _r in pairs],
    )
    audit_record(
        actor=by,
        event=AuditEvent.IMPORT,
        object_type="enterprises.enterprise",
        object_repr=source_name[:200],
        detail=_("Imported %(n)d enterprises") % {"n": len(saved)},
    )
    if progress:
        progress(len(saved), len(saved))
    return len(saved)


def ledger_import(
    *, fileobj, by, source_name: str = "", progress: Callable[[int, int], None] | None = None
) -> tuple[int, ParsedLedger]:
    """Checks and saves in one pass, all or nothing: rows are written as they pass their checks, and the first
    problem anywhere stops the writing and rolls the whole transaction back, while the rest of the file is still
    checked so that every problem is listed."""
    if not scopes.can_import_enterprises(by):
        raise PermissionError(_("You may not import enterprise ledgers"))
    result = ParsedLedger()
    opened = _open_ledger(fileobj, result)
    if opened is None:
        return 0, result
    workbook, rows, items = opened
    lookups = _Lookups(by)  # loaded now: once COPY streams, the connection is busy until it ends

    def clean_rows():
        for row in _checked_rows(rows, items, result, lookups, progress):
            if not result.problems:
                yield row

    with cycle_collection_paused(), transaction.atomic():
        count = _save_rows(clean_rows(), by=by, source_name=source_name, progress=progress)
        if result.problems or not count:
            transaction.set_rollback(True)
            count = 0
    workbook.close()
    if not count and not result.problems:
        result.problems.append(Problem(2, "", "", _("There are no data rows")))
    return count, result


EXPORT_HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属园区",
    "所属网格",
    "行业",
    "规模",
    "从业人数",
    "标签",
    "环保绩效分级",
    "资质",
    "首席服务官",
    "联系人",
    "联系电话",
    "地址",
]


def ledger_export(*, enterprises, by, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()

    def rows():
        for number, e in enumerate(enterprises, start=1):
            contact = next(iter(e.contacts.all()), None)
            phone = ""
            if contact and contact.phone:
                phone = contact.phone if scopes.can_see_full_phone(by, e) else mask_phone(contact.phone)
            yield [
                number,
                e.name,
                e.credit_code,
                str(e.park or ""),
                str(e.grid.code if e.grid else ""),
                e.get_industry_display() or e.industry_detail,
                e.get_scale_display(),
                e.headcount,
                "、".join(t.name for t in e.tags.all()),
                e.get_environmental_grade_display() if e.environmental_grade else "",
                "、".join(q.get_kind_display() for q in e.qualifications.all() if q.valid_until >= today),
                str(e.service_officer or ""),
                contact.name if contact else "",
                phone,
                e.address,
            ]

    content = write_sheet(
        _("Enterprise ledger"),
        EXPORT_HEADERS,
        rows(),
        widths=[6, 36, 22, 18, 16, 20, 8, 10, 20, 12, 24, 12, 10, 14, 36],
    )
    audit_record(
        actor=by,
        event=AuditEvent.EXPORT,
        object_type="enterprises.enterprise",
        detail=_("Exported the enterprise ledger"),
    )
    return content


def ledger_import_check(*, job_id: int) -> None:
    """Background step 1: read the stored file and record every problem."""
    from zhuqi.core.background import progress_set

    from .models import LedgerImport

    job = LedgerImport.objects.select_related("uploaded_by").get(pk=job_id)
    with job.file.open("rb") as fileobj:
        parsed = ledger_parse(
            fileobj=fileobj,
            by=job.uploaded_by,
            progress=lambda done, total: progress_set(f"import-{job_id}", done, total),
        )
    LedgerImport.objects.filter(pk=job_id).update(
        status=LedgerImport.Status.CHECKED,
        total_rows=parsed.total,
        valid_rows=len(parsed.rows),
        problem_count=len(parsed.problems),
        problems=[p.__dict__ for p in parsed.problems[:2000]],
    )


def ledger_import_run(*, job_id: int) -> None:
    """Background step 2: check again (the registry may have changed) and save all rows or none, in one pass."""
    from zhuqi.core.background import progress_set

    from .models import LedgerImport

    job = LedgerImport.objects.select_related("uploaded_by").get(pk=job_id)
    report = lambda done, total: progress_set(f"import-{job_id}", done, total)  # noqa: E731
    try:
        with job.file.open("rb") as fileobj:
            count, checked = ledger_import(
                fileobj=fileobj, by=job.uploaded_by, source_name=job.original_name, progress=report
            )
    except Exception as exc:
        LedgerImport.objects.filter(pk=job_id).update(
            status=LedgerImport.Status.FAILED,
            error=_("The import failed and nothing was saved: %(e)s") % {"e": str(exc)[:300]},
        )
        raise
    if checked.problems:
        LedgerImport.objects.filter(pk=job_id).update(
            status=LedgerImport.Status.CHECKED,
            problem_count=len(checked.problems),
            problems=[p.__dict__ for p in checked.problems[:2000]],
            valid_rows=0,
        )
        return
    LedgerImport.objects.filter(pk=job_id).update(status=LedgerImport.Status.IMPORTED, imported_count=count)
