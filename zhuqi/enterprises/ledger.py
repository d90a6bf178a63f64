"""企业台账: import from the offices' ledgers (preview every problem, then all or nothing) and export.

Offices send ledgers as they keep them: a title and a date line above the header, headers with notes in brackets,
full-width letters, .xls, .ods or CSV. The header row is looked for, the columns are matched by what their header
says once normalised, and the check page says which column was taken as what."""

import datetime
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core import scopes
from zhuqi.core.audit import audit_record
from zhuqi.core.bulk import cycle_collection_paused, insert_rows
from zhuqi.core.excel import WorkbookProblem, column_letter, read_table, write_sheet
from zhuqi.core.masking import mask_phone
from zhuqi.core.models import AuditEvent
from zhuqi.core.pinyin import initials
from zhuqi.org.models import Grid, Park, Role

from .credit_code import credit_code_problem
from .models import Contact, Enterprise, Industry, Scale, Tag, TimelineEntry, TimelineKind

# column key -> the headers offices write for it (compared once brackets, spaces and punctuation are taken out)
COLUMNS = {
    "name": ("企业名称", "单位名称", "名称", "企业全称", "单位全称", "企业单位名称", "公司名称", "市场主体名称"),
    "credit_code": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "社会统一信用代码",
        "统一信用代码",
        "统一社会信用代码注册号",
        "统一社会信用代码或注册号",
    ),
    "park": ("所属园区", "园区", "园区名称", "所在园区"),
    "grid": ("所属网格", "网格", "网格编号", "网格名称", "所在网格"),
    "industry": ("行业", "所属行业", "行业门类", "行业类别", "国民经济行业"),
    "scale": ("规模", "企业规模", "是否规上", "规上规下"),
    "contact_name": ("联系人", "企业联系人", "联系人姓名", "负责人"),
    "contact_phone": ("联系电话", "手机号", "电话", "手机号码", "联系方式", "联系人电话", "移动电话", "手机"),
    "address": ("地址", "企业地址", "注册地址", "经营地址", "详细地址", "生产经营地址"),
    "headcount": ("从业人数", "职工人数", "员工人数", "从业人员", "职工数"),
    "tags": ("标签", "企业标签"),
    "environmental_grade": ("环保绩效分级", "绩效分级", "环保绩效等级", "环保分级"),
}
REQUIRED = ("name", "credit_code")
HEADER_OF = {key: names[0] for key, names in COLUMNS.items()}
HEADER_SEARCH_ROWS = 30
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
_SCALES = {"规上": Scale.ABOVE, "规模以上": Scale.ABOVE, "规下": Scale.BELOW, "规模以下": Scale.BELOW}
_GRADES = {"A": "A", "B": "B", "C": "C", "D": "D", "引领性": "leading", "": ""}

# header text: notes in brackets, marks of a required column and punctuation are not part of the name
_HEADER_NOTES = re.compile(r"[(\[【〔<《][^)\]】〕>》]*[)\]】〕>》]?")
_HEADER_NOISE = re.compile(r"[\s*※:：、/,，.。\-_—]+")
# full-width letters and digits and the ideographic space, as Chinese input methods type them
_WIDE = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
_WIDE[0x3000] = 0x20
_ODD = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\s]")
_SPACE_BY_CJK = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
_TAG_SPLIT = re.compile(r"[、,，;；\s]+")
_BRACKETS = str.maketrans({"(": "（", ")": "）", " ": None})


def header_key(title) -> str | None:
    """The column a header names, once normalised; None for a column we do not read."""
    text = unicodedata.normalize("NFKC", _text(title))
    text = _HEADER_NOISE.sub("", _HEADER_NOTES.sub("", text))
    return _ALIAS.get(text)


_ALIAS = {name: key for key, names in COLUMNS.items() for name in names}
_BLANK = dict.fromkeys(COLUMNS, "")


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
    header_row: int = 0
    # which column was taken as what: {"letter", "header" (as written), "field" (our name), or "" when ignored}
    columns: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_name(text: str) -> str:
    """Full-width letters and digits made plain, line breaks and runs of spaces made one space, and no space
    beside a Chinese character (a name wrapped in its cell keeps no trace of the wrap)."""
    if not _ODD.search(text):
        return text
    text = " ".join(text.translate(_WIDE).split())
    return _SPACE_BY_CJK.sub("", text)


def name_key(name: str) -> str:
    """What two names must share to be the same firm: as cleaned, without spaces, brackets of one width, one case."""
    if "(" in name or ")" in name or " " in name:
        name = name.translate(_BRACKETS)
    return name.upper()


def clean_code(text: str) -> str:
    if text.isascii() and " " not in text:
        return text.upper()
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def clean_phone(text: str) -> str:
    if text.isascii() and " " not in text:
        return text
    return "".join(unicodedata.normalize("NFKC", text).split())


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
        self.existing_names = {
            name_key(clean_name(n)) for n in Enterprise.everything.values_list("name", flat=True).iterator(5000)
        }
        self.industries = {str(label): value for value, label in Industry.choices}
        self.industries.update({value: value for value in Industry.values})
        self.own_park = by.park_id if by.role == Role.PARK_OFFICER else None


def _check_row(
    values: dict,
    rownum: int,
    lookups: _Lookups,
    seen_codes: dict,
    seen_names: dict,
    problems: list[Problem],
    formulas: frozenset = frozenset(),
) -> dict | None:
    def fail(key, reason):
        problems.append(Problem(rownum, HEADER_OF[key], values.get(key, ""), reason))

    count_before = len(problems)
    for key in REQUIRED:
        if not values.get(key) and key not in formulas:
            fail(key, _("Required, but empty"))
    name = clean_name(values.get("name", ""))
    code = clean_code(values.get("credit_code", ""))
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
        key = name_key(name)
        if len(name) > 100:
            fail("name", _("The enterprise name is longer than 100 characters"))
        elif key in lookups.existing_names:
            fail("name", _("An enterprise with this name is already registered"))
        elif key in seen_names:
            fail("name", _("Same enterprise name as row %(row)d") % {"row": seen_names[key]})
        seen_names.setdefault(key, rownum)
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
    for tag in filter(None, _TAG_SPLIT.split(values["tags"])) if values["tags"] else ():
        if tag in lookups.tags:
            tag_ids.append(lookups.tags[tag])
        else:
            fail("tags", _("There is no tag “%(v)s”") % {"v": tag})
    grade = _GRADES.get(values.get("environmental_grade", "").upper().removesuffix("级"))
    if grade is None:
        fail("environmental_grade", _("The environmental performance grade must be A, B, C, D or 引领性 (leading)"))
    phone = clean_phone(values.get("contact_phone", ""))
    if phone and not _PHONE.match(phone):
        fail(
            "contact_phone",
            _("The phone number is not valid (a mobile has 11 digits; a landline looks like 0375-1234567)"),
        )
    if phone and not values.get("contact_name"):
        fail("contact_name", _("A phone number is given but no contact name"))
    if len(problems) > count_before or formulas:
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


@dataclass
class _Opened:
    rows: Iterator[tuple[int, list]]
    items: list[tuple[str, int]]
    formulas: dict
    first_column: int


def _find_header(head: list[list]) -> tuple[int, dict[str, int]] | None:
    """The header row among the first rows: the first that names both required columns, or else the one that
    names the most columns (for the message). Returns its index and {key: position}."""
    best = None
    for index, row in enumerate(head):
        positions = {}
        for position, title in enumerate(row):
            key = header_key(title)
            if key and key not in positions:
                positions[key] = position
        if all(key in positions for key in REQUIRED):
            return index, positions
        if positions and (best is None or len(positions) > len(best[1])):
            best = index, positions
    return best


def _open_ledger(fileobj, result: ParsedLedger) -> _Opened | None:
    """The data rows (numbered as in the sheet) and the column positions; None, with the problem recorded, when
    the file cannot be read or has no usable header."""
    try:
        table = read_table(fileobj)
        head = []
        for row in table.rows:
            head.append(row)
            if len(head) == HEADER_SEARCH_ROWS:
                break
    except WorkbookProblem as exc:
        result.problems.append(Problem(0, "", "", str(exc)))
        return None
    if not any(_text(v) for row in head for v in row):
        result.problems.append(Problem(1, "", "", _("The worksheet is empty")))
        return None
    found = _find_header(head)
    if found is None:
        result.problems.append(
            Problem(
                0,
                "",
                "",
                _(
                    "No header row was found in the first %(n)d rows: the ledger needs a row with the column "
                    "names, among them %(cols)s"
                )
                % {"n": HEADER_SEARCH_ROWS, "cols": "、".join(HEADER_OF[key] for key in REQUIRED)},
            )
        )
        return None
    index, positions = found
    result.header_row = index + 1
    taken = {position: key for key, position in positions.items()}
    result.columns = [
        {
            "letter": column_letter(table.first_column + position),
            "header": _text(title),
            "field": HEADER_OF[taken[position]] if position in taken else "",
        }
        for position, title in enumerate(head[index])
        if _text(title)
    ]
    missing = [HEADER_OF[key] for key in REQUIRED if key not in positions]
    if missing:
        result.problems.append(
            Problem(
                result.header_row, "", "", _("Required columns are missing: %(cols)s") % {"cols": "、".join(missing)}
            )
        )
        return None
    result.total = max(table.total_rows - result.header_row, 0)

    def data_rows():
        rownum = result.header_row
        for row in head[index + 1 :]:
            rownum += 1
            yield rownum, row
        for row in table.rows:
            rownum += 1
            yield rownum, row

    return _Opened(data_rows(), list(positions.items()), table.formulas, table.first_column)


def _checked_rows(opened: _Opened, result: ParsedLedger, lookups: _Lookups, progress) -> Iterator[dict]:
    """Each data row that passes its checks; problems go to result.problems."""
    seen_codes, seen_names = {}, {}
    items, formulas, first_column = opened.items, opened.formulas, opened.first_column
    done = 0
    for rownum, raw in opened.rows:
        width = len(raw)
        values = dict(_BLANK)
        for key, i in items:
            if i < width:
                value = raw[i]
                # calamine gives str, float, int, bool or dates; most cells are text
                values[key] = value.strip() if value.__class__ is str else _text(value)
        done = rownum - result.header_row
        if progress and done % 1000 == 0:
            result.total = max(result.total, done)
            progress(done, result.total)
        in_formula = frozenset()
        if formulas:
            in_formula = frozenset(
                key for key, i in items if not values[key] and (rownum, first_column + i) in formulas
            )
            for key in in_formula:
                formula = formulas[(rownum, first_column + dict(items)[key])]
                result.problems.append(
                    Problem(
                        rownum,
                        HEADER_OF[key],
                        "=" + formula,
                        _(
                            "The cell holds a formula whose result was not saved in the file; open it in Excel, "
                            "save it, or paste the column as values"
                        ),
                    )
                )
        if any(values.values()) or in_formula:
            parsed = _check_row(values, rownum, lookups, seen_codes, seen_names, result.problems, in_formula)
            if parsed:
                yield parsed
    # the count of rows read is the truth: a sheet's own size record may be missing or wrong
    result.total = done


def ledger_parse(*, fileobj, by, progress: Callable[[int, int], None] | None = None) -> ParsedLedger:
    """Reads the whole ledger and lists every problem (row, column, reason); saves nothing."""
    result = ParsedLedger()
    opened = _open_ledger(fileobj, result)
    if opened is None:
        return result
    try:
        with cycle_collection_paused():
            result.rows = list(_checked_rows(opened, result, _Lookups(by), progress))
    except WorkbookProblem as exc:  # nothing is saved from a file that could not be read to its end
        result.rows = []
        result.problems.append(Problem(0, "", "", str(exc)))
    if not result.rows and not result.problems:
        result.problems.append(Problem(result.header_row + 1, "", "", _("There are no data rows")))
    return result


ENTERPRISE_FIELDS = [
    "name",
    "credit_code",
    "name_initials",
    "park_id",
    "grid_id",
    "address",
    "industry",
    "industry_detail",
    "scale",
    "headcount",
    "environmental_grade",
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
                r["park_id"],
                r["grid_id"],
                r["address"],
                r["industry"],
                r["industry_detail"],
                r["scale"],
                r["headcount"],
                r["environmental_grade"],
            )

    insert_rows(
        Enterprise,
        ENTERPRISE_FIELDS,
        enterprise_tuples(),
        constants={
            "former_names": [],
            "service_officer_id": None,
            "is_demo": False,
            "created_at": now,
            "updated_at": now,
        },
    )
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
        ["enterprise_id", "name", "phone"],
        [(pk, r["contact_name"], r["contact_phone"]) for pk, r in pairs if r["contact_name"]],
        constants={"title": "", "is_primary": True},
    )
    summary = _("Registered by importing the ledger “%(file)s”") % {"file": source_name[:100]}
    insert_rows(
        TimelineEntry,
        ["enterprise_id"],
        [(pk,) for pk, _r in pairs],
        constants={
            "occurred_at": now,
            "kind": TimelineKind.IMPORTED,
            "actor_id": by.pk,
            "summary": summary,
            "details": {},
            "visit_id": None,
        },
    )
    audit_record(
        actor=by,
        event=AuditEvent.IMPORT,
        object_type="enterprises.enterprise",
        object_repr=source_name[:200],
        detail=_("Imported %(n)d enterprises") % {"n": len(saved)},
    )
    return len(saved)


def ledger_import(
    *, fileobj, by, source_name: str = "", progress: Callable[[int, int], None] | None = None
) -> tuple[int, ParsedLedger]:
    """Checks and saves, all or nothing. On PostgreSQL in one pass: rows are written (COPY) as they pass their
    checks, and the first problem anywhere stops the writing and rolls the whole transaction back, while the rest
    of the file is still checked so that every problem is listed. SQLite takes its write lock when the
    transaction begins, so there the file is checked first and the transaction is kept to the writing."""
    if not scopes.can_import_enterprises(by):
        raise PermissionError(_("You may not import enterprise ledgers"))
    result = ParsedLedger()
    opened = _open_ledger(fileobj, result)
    if opened is None:
        return 0, result
    lookups = _Lookups(by)  # loaded now: once COPY streams, the connection is busy until it ends

    def clean_rows():
        for row in _checked_rows(opened, result, lookups, progress):
            if not result.problems:
                yield row

    with cycle_collection_paused():
        rows = clean_rows() if connection.vendor == "postgresql" else list(clean_rows())
        with transaction.atomic():
            count = 0 if result.problems else _save_rows(rows, by=by, source_name=source_name, progress=progress)
            if result.problems or not count:
                transaction.set_rollback(True)
                count = 0
    if not count and not result.problems:
        result.problems.append(Problem(result.header_row + 1, "", "", _("There are no data rows")))
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


class _Heartbeat:
    """Writes a step's progress and a sign of life onto its LedgerImport row every second, from a thread with a
    connection of its own in autocommit, so the page sees them while the step's transaction is still open.
    A write that would wait is skipped: on SQLite the import's transaction holds the one write lock while it
    writes (seconds); on PostgreSQL a row lock held by an open transaction around the step (as in tests)."""

    INTERVAL = 1.0

    def __init__(self, job_id: int):
        self.job_id, self.done, self.total = job_id, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ledger-import-{job_id}", daemon=True)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = min(done, total), total

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def _connection(self):
        from django.db.utils import load_backend

        settings_dict = dict(connection.settings_dict)
        settings_dict["OPTIONS"] = dict(settings_dict.get("OPTIONS") or {})
        if settings_dict["ENGINE"].endswith("sqlite3"):
            settings_dict["OPTIONS"].pop("transaction_mode", None)
            settings_dict["OPTIONS"]["timeout"] = 0.05
        else:
            settings_dict["OPTIONS"]["options"] = "-c lock_timeout=500 -c statement_timeout=2000"
        return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="ledger-heartbeat")

    def _run(self):
        side = self._connection()
        try:
            while True:
                try:
                    with side.cursor() as cursor:
                        cursor.execute(
                            "UPDATE enterprises_ledgerimport SET done_rows = %s, total_rows = %s, heartbeat_at = %s "
                            "WHERE id = %s",
                            [
                                self.done,
                                self.total,
                                side.ops.adapt_datetimefield_value(timezone.now()),
                                self.job_id,
                            ],
                        )
                except Exception:  # noqa: S110 -- a beat that would wait is skipped; the next one follows  # nosec B110
                    pass
                if self._stop.wait(self.INTERVAL):
                    return
        finally:
            side.close()


def _step_failed(job_id: int, exc: Exception) -> None:
    from .models import LedgerImport

    LedgerImport.objects.filter(pk=job_id).update(
        status=LedgerImport.Status.FAILED,
        heartbeat_at=None,
        error=(_("The step failed and nothing was saved: %(e)s") % {"e": str(exc) or type(exc).__name__})[:500],
    )


def _record_check(job_id: int, parsed: ParsedLedger, **more) -> None:
    from .models import LedgerImport

    LedgerImport.objects.filter(pk=job_id).update(
        status=LedgerImport.Status.CHECKED,
        total_rows=parsed.total,
        done_rows=parsed.total,
        valid_rows=len(parsed.rows) if "valid_rows" not in more else more.pop("valid_rows"),
        problem_count=len(parsed.problems),
        problems=[p.__dict__ for p in parsed.problems[:2000]],
        header_row=parsed.header_row,
        columns=parsed.columns,
        heartbeat_at=None,
        **more,
    )


def ledger_import_check(*, job_id: int) -> None:
    """Background step 1: read the stored file and record every problem, and which column was taken as what."""
    from .models import LedgerImport

    job = LedgerImport.objects.select_related("uploaded_by").get(pk=job_id)
    LedgerImport.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), done_rows=0, error="")
    try:
        with _Heartbeat(job_id) as beat, job.file.open("rb") as fileobj:
            parsed = ledger_parse(fileobj=fileobj, by=job.uploaded_by, progress=beat.progress)
    except Exception as exc:
        _step_failed(job_id, exc)
        raise
    _record_check(job_id, parsed)


def ledger_import_run(*, job_id: int) -> None:
    """Background step 2: check again (the registry may have changed) and save all rows or none. A worker
    killed half-way leaves nothing: its transaction dies with its connection, and the row's heartbeat stops."""
    from .models import LedgerImport

    job = LedgerImport.objects.select_related("uploaded_by").get(pk=job_id)
    LedgerImport.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), done_rows=0, error="")
    try:
        with _Heartbeat(job_id) as beat, job.file.open("rb") as fileobj:
            count, checked = ledger_import(
                fileobj=fileobj, by=job.uploaded_by, source_name=job.original_name, progress=beat.progress
            )
    except Exception as exc:
        _step_failed(job_id, exc)
        raise
    if checked.problems:
        _record_check(job_id, checked, valid_rows=0)
        return
    LedgerImport.objects.filter(pk=job_id).update(
        status=LedgerImport.Status.IMPORTED,
        imported_count=count,
        total_rows=checked.total,
        done_rows=checked.total,
        heartbeat_at=None,
    )
