"""Spreadsheets in and out: ledgers read safely whatever the office saved them as, and written formula-proof.

Reading goes through python-calamine (.xlsx, .xls, .ods) and the csv module (UTF-8 or GBK). calamine parses in
Rust and gives a formula cell's saved result, or nothing when the result was never saved; so for .xlsx the
sheet's XML is also scanned once, as a byte stream, for its <f> elements, and for .ods content.xml for its
table:formula attributes, to tell such a cell from an empty one (.xls keeps formulas in binary records: there a
formula without a saved result reads as empty).
Writing stays with openpyxl."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from posixpath import dirname, join, normpath

import openpyxl
import python_calamine
from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Excel's own sheet size: a ledger past it cannot have come from Excel
MAX_ROWS = 1_048_576
MAX_UNPACKED_BYTES = 2 * 1024**3


class WorkbookProblem(Exception):
    pass


@dataclass
class Table:
    """The first sheet's rows as plain values; rows[i] is the sheet's row i + 1, values from column first_column."""

    rows: Iterator[list]
    total_rows: int
    first_column: int = 0
    # (row number, column index from 0) -> the formula, for cells that hold one
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    kind: str = "xlsx"


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "ZHUQI_IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES),
        getattr(settings, "ZHUQI_IMPORT_MAX_ROWS", MAX_ROWS),
    )


def _damaged() -> WorkbookProblem:
    return WorkbookProblem(_("This Excel file cannot be read: it is damaged or in an unsupported format"))


def _not_a_sheet() -> WorkbookProblem:
    return WorkbookProblem(
        _(
            "The file is not an Excel workbook or a sheet we can read; upload an .xlsx, .xls, .ods or .csv file "
            "(UTF-8 or GBK)"
        )
    )


def _too_many_rows(rows: int, limit: int) -> WorkbookProblem:
    return WorkbookProblem(
        _("The sheet has %(rows)s rows, more than the %(limit)s a ledger may have; split it into several files")
        % {"rows": f"{rows:,}", "limit": f"{limit:,}"}
    )


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuses a zip that would unpack past the stated limit, before anything is unpacked."""
    max_bytes, _rows = _limits()
    unpacked = sum(i.file_size for i in archive.infolist())
    if unpacked > max_bytes:
        raise _unpacks_too_far(unpacked, max_bytes)


_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f\b([^>]*?)(/>|>(.*?)</f>)", re.S)
_CHUNK = 1 << 22
_OVERLAP = 8192  # more than one cell's opening tag and its formula


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part that holds the workbook's first sheet, as workbook.xml and its relationships name it."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook_path = "xl/workbook.xml"
    book = ElementTree.fromstring(archive.read(workbook_path))
    first = book.find("m:sheets/m:sheet", ns)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for item in rels:
        if item.get("Id") == first.get(rel):
            target = item.get("Target")
            if target.startswith("/"):
                return target.lstrip("/")
            return normpath(join(dirname(workbook_path), target))
    raise KeyError("first sheet")


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str) -> tuple[int, dict[tuple[int, int], str]]:
    """The sheet's row count and its formula cells, from one pass over its bytes (no XML tree is built).
    A sheet with a document type declaration (where XML entities are declared) is refused: a sheet never
    needs one. The declaration can only stand before the root element, so the first chunk tells."""
    max_bytes, max_rows = _limits()
    rows, formulas, seen, carry, first = 0, {}, 0, b"", True
    with archive.open(path) as stream:
        while True:
            data = stream.read(_CHUNK)
            seen += len(data)
            if seen > max_bytes:
                raise _unpacks_too_far(seen, max_bytes)
            if first:
                root = data.find(b"<worksheet")
                if root < 0 or b"<!DOCTYPE" in data[:root] or b"<!ENTITY" in data[:root]:
                    raise _damaged()
                first = False
            buffer = carry + data
            # whatever starts in the last _OVERLAP bytes is looked at with the next chunk, once whole
            limit = len(buffer) if not data else max(len(buffer) - _OVERLAP, 0)
            # a tag counts in the chunk where it starts (len("<row") - 1 == 3); a sheet's one <rowBreaks> at most
            # counts too, which the limit can bear
            rows += buffer.count(b"<row", 0, limit + 3)
            if b"<f" in buffer:
                for match in _FORMULA.finditer(buffer):
                    if match.start() >= limit:
                        break
                    cells = list(_CELL_REF.finditer(buffer, max(match.start() - 512, 0), match.start()))
                    if cells:
                        cell = cells[-1]
                        text = unescape((match.group(3) or b"").decode("utf-8", "replace"))
                        formulas[(int(cell.group(2)), _column_index(cell.group(1)))] = text
            if rows > max_rows:
                raise _too_many_rows(rows, max_rows)
            if not data:
                return rows, formulas
            carry = buffer[limit:]


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_CELLS = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")


def _ods_formulas(archive: zipfile.ZipFile) -> dict[tuple[int, int], str]:
    """The first table's formula cells, read from content.xml through defusedxml as a stream of rows (repeated
    rows and cells counted as LibreOffice writes them)."""
    formulas, row = {}, 0
    with archive.open("content.xml") as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == _ODS_TABLE + "table-row":
                column = 0
                for cell in element:
                    if cell.tag not in _ODS_CELLS:
                        continue
                    formula = cell.get(_ODS_TABLE + "formula")
                    if formula:
                        formulas[(row + 1, column)] = formula.split(":", 1)[-1].lstrip("=")
                    column += int(cell.get(_ODS_TABLE + "number-columns-repeated", "1"))
                row += int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
                element.clear()
            elif element.tag == _ODS_TABLE + "table":
                return formulas
    return formulas


def _unpacks_too_far(seen: int, max_bytes: int) -> WorkbookProblem:
    return WorkbookProblem(
        _(
            "The file unpacks to %(size)d MB, more than the %(limit)d MB a ledger may unpack to "
            "(a suspected zip bomb); it was refused"
        )
        % {"size": seen // 1048576, "limit": max_bytes // 1048576}
    )


def _calamine_table(content: bytes, kind: str, formulas=None, rows_counted=None) -> Table:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = book.get_sheet_by_index(0)
    except python_calamine.PasswordError as exc:
        raise WorkbookProblem(_("The file is protected by a password; save it without one and upload again")) from exc
    except Exception as exc:  # calamine's errors for damaged parts, and panics surfaced as exceptions
        raise _damaged() from exc
    _max_bytes, max_rows = _limits()
    start, end = sheet.start, sheet.end
    height = (end[0] + 1 if end else 0) if rows_counted is None else rows_counted
    if height > max_rows:
        raise _too_many_rows(height, max_rows)

    def rows():
        # iter_rows starts at the sheet's row 1 and at the first column that holds anything
        try:
            yield from sheet.iter_rows()
        except Exception as exc:
            raise _damaged() from exc
        finally:
            book.close()

    return Table(
        rows=rows() if start else iter(()),
        total_rows=end[0] + 1 if end else 0,
        first_column=start[1] if start else 0,
        formulas=formulas or {},
        kind=kind,
    )


def _csv_table(content: bytes) -> Table:
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.decode(content, encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text[:4096]:
        raise _not_a_sheet()
    head = text[:8192]
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in head):
        raise _not_a_sheet()
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise _damaged() from exc
    _max_bytes, max_rows = _limits()
    if len(rows) > max_rows:
        raise _too_many_rows(len(rows), max_rows)
    return Table(rows=iter(rows), total_rows=len(rows), kind="csv")


def read_table(fileobj) -> Table:
    """The first sheet of an uploaded ledger, whatever it was saved as; refused with a Chinese message when it is
    no spreadsheet, is damaged, or would unpack or run past the stated limits."""
    content = fileobj.read()
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                _check_archive(archive)
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    try:
                        sheet_path = _first_sheet_path(archive)
                        rows, formulas = _scan_sheet_xml(archive, sheet_path)
                    except WorkbookProblem:
                        raise
                    except Exception as exc:  # a missing part, defusedxml's refusals, a bad CRC
                        raise _damaged() from exc
                    return _calamine_table(content, "xlsx", formulas, rows)
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"
                ):
                    try:
                        formulas = _ods_formulas(archive)
                    except Exception as exc:  # defusedxml's refusal of entities, a damaged part
                        raise _damaged() from exc
                    return _calamine_table(content, "ods", formulas)
        except zipfile.BadZipFile as exc:
            raise _damaged() from exc
        raise _not_a_sheet()
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _calamine_table(content, "xls")
    return _csv_table(content)


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def safe_cell(value):
    """Text that Excel would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_sheet(title: str, headers: list[str], rows, widths: list[int] | None = None) -> bytes:
    """A ledger sheet in the offices' style: bold header, frozen first row, columns sized for Chinese text."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [16] * len(headers), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
