"""Reader for Excel workbooks: ``.xlsx``/``.xlsm`` with openpyxl, ``.xls`` with python-calamine.

Each visible sheet is a part: its used cells as one table, merged ranges recorded, so a title
row or a category row merged across the columns, a department cell merged down over several
matters and a header merged over two rows read as the text reader reads them (``loaders.grid``).
A sheet with its own title starts a list; a sheet without one continues the list before it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from ..errors import ListFormatError
from ..i18n import gettext as _
from ..safe_io import read_input
from .base import Document, Grid, Part, register, sha256_of, zip_member_reader

__all__ = ["XlsReader", "XlsxReader", "cell_text"]

_OLE = b"\xd0\xcf\x11\xe0"  # the compound file of .xls and .doc


def cell_text(value: Any) -> str:
    """A cell's value as the text a reader sees (``1.0`` -> ``'1'``, dates as ISO dates).

    >>> cell_text(3.0), cell_text(None), cell_text("甲\\r\\n乙")
    ('3', '', '甲\\n乙')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def sheet_grid(
    sheet: str, values: list[list[str]], merges: list[tuple[int, int, int, int]]
) -> Grid | None:
    """A sheet's table from its values and merged ranges (0-based first row, col, last row, col).

    Empty rows and columns around the table are dropped; merged text is copied into every cell
    the merge covers. None for an empty sheet.
    """
    filled_rows = [r for r, row in enumerate(values) if any(v.strip() for v in row)]
    filled_cols = [c for row in values for c, v in enumerate(row) if v.strip()]
    if not filled_rows:
        return None
    width = max(filled_cols) + 1
    rows = [list(row[:width]) + [""] * (width - len(row[:width])) for row in values]
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if (r, c) != (r0, c0):
                    anchors[(r, c)] = (r0, c0)
                    rows[r][c] = rows[r0][c0]
    return Grid(
        rows=tuple(tuple(row) for row in rows),
        wheres=tuple(f"sheet {sheet}, row {r + 1}" for r in range(len(rows))),
        anchors=anchors,
        cell_refs=tuple(
            tuple(f"sheet {sheet}, cell {_column_name(c)}{r + 1}" for c in range(width))
            for r in range(len(rows))
        ),
    )


class XlsxReader:
    name = "Excel (.xlsx)"

    def can_read(self, path: Path, head: bytes) -> bool:
        return zip_member_reader(path, head, {".xlsx", ".xlsm"}, "xl/workbook.xml")

    def read(self, path: Path) -> Document:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        data = read_input(path)
        try:  # from the bytes: openpyxl refuses a path without .xlsx (附件1, x.xlsx.下载)
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as err:
            raise ListFormatError(
                str(path),
                None,
                _("an Excel workbook; it cannot be opened ({error})").format(error=err),
            ) from err
        parts = []
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            values = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            merges = [
                (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                for m in sheet.merged_cells.ranges
            ]
            grid = sheet_grid(sheet.title, values, merges)
            if grid is not None:
                parts.append(Part(f"sheet {sheet.title}", (grid,)))
        if not parts:
            raise ListFormatError(str(path), None, _("a duty list; every sheet is empty"))
        return Document(str(path), sha256_of(data), tuple(parts))


class XlsReader:
    """Excel 97-2003 (``.xls``), read with python-calamine when it is installed."""

    name = "Excel 97-2003 (.xls)"

    def can_read(self, path: Path, head: bytes) -> bool:
        return head.startswith(_OLE) and path.suffix.lower() in {".xls", ""}

    def read(self, path: Path) -> Document:
        try:
            from python_calamine import CalamineWorkbook
        except ImportError as err:
            raise ListFormatError(
                str(path),
                None,
                _(
                    "a format dutygraph can read: .xls needs python-calamine "
                    "(pip install python-calamine), or save the workbook as .xlsx"
                ),
            ) from err
        data = read_input(path)
        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception as err:  # calamine raises its own error types per format
            raise ListFormatError(
                str(path),
                None,
                _("an Excel workbook; it cannot be opened ({error})").format(error=err),
            ) from err
        parts = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            values = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            ranges = getattr(sheet, "merged_cell_ranges", None) or []
            merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]
            grid = sheet_grid(name, values, merges)
            if grid is not None:
                parts.append(Part(f"sheet {name}", (grid,)))
        if not parts:
            raise ListFormatError(str(path), None, _("a duty list; every sheet is empty"))
        return Document(str(path), sha256_of(data), tuple(parts))


register(XlsxReader())
register(XlsReader())
