"""Excel helpers shared by every ledger: safe reading and formula-proof writing."""

import io
import zipfile
from collections.abc import Iterator

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class WorkbookProblem(Exception):
    pass


def open_workbook(fileobj) -> openpyxl.Workbook:
    """A read-only workbook, refused with a Chinese message when it is not .xlsx or is a zip bomb."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            uncompressed = sum(i.file_size for i in infos)
            compressed = sum(i.compress_size for i in infos) or 1
            if "[Content_Types].xml" not in archive.namelist():
                raise WorkbookProblem(_("The file is not an Excel workbook (.xlsx)"))
    except zipfile.BadZipFile as exc:
        raise WorkbookProblem(
            _("The file is not an Excel workbook (.xlsx); save an old .xls file as .xlsx in Excel first")
        ) from exc
    if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
        raise WorkbookProblem(_("The file unpacks to an abnormal size (a suspected zip bomb) and was refused"))
    fileobj.seek(0)
    try:
        return openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookProblem(_("This Excel file cannot be read: it is damaged or in an unsupported format")) from exc


def sheet_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as values. openpyxl reads a sheet as it goes, through defusedxml: XML entities or a
    damaged part met on the way end the reading with a WorkbookProblem, not an error page."""
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:  # defusedxml's refusals and openpyxl's many kinds of parse error
        raise WorkbookProblem(_("This Excel file cannot be read: it is damaged or in an unsupported format")) from exc


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
