"""Reader for text-based PDFs of duty lists, with pdfplumber.

The pages are one part: the text above the first table (the title), every page's ruled table
as rows of one grid, and the text after the last table (the closing note). Inside a cell the
printed lines are rejoined: a line that runs up to the cell's right edge was wrapped and
continues on the next line, a line that stops short ends a paragraph (a duty). A row whose
number cell is empty at the top of a page continues the row that ended the page before; a
merged cell cut by a page break keeps its text; a header repeated on each page is read once
(by the normaliser). Radical code points the PDF's fonts carry (``⺠``, ``⽂``) are mapped to
ideographs by ``loaders.grid``. A PDF with no text layer (a scan) needs OCR first: one error
says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ListFormatError
from ..i18n import gettext as _
from ..safe_io import read_input
from .base import Document, Grid, Part, TextLine, register, sha256_of

__all__ = ["PdfReader"]

_MARKS = "（(①②③④⑤⑥⑦⑧⑨⑩"
_NO_LINE_START = "，。、；：？！）》」』”’"
_NO_LINE_END = "（《「『“‘"


@dataclass
class _Cell:
    text: str
    room: float  # free space after its last line, in characters (it may go on on the next page)
    box: tuple[float, float, float, float] | None  # None: covered by a merged cell
    merged_down: bool = False  # part of a cell merged down a column
    carried: bool = False  # the text of a merged cell the page break cut, not text of its own


class PdfReader:
    name = "PDF (text-based)"

    def can_read(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"%PDF") or (
            path.suffix.lower() == ".pdf" and b"%PDF" in head[:1024]
        )

    def read(self, path: Path) -> Document:
        import logging

        import pdfplumber

        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font descriptor chatter
        data = read_input(path)
        try:
            pdf = pdfplumber.open(path)
        except Exception as err:  # pdfminer raises many kinds of parse errors
            raise ListFormatError(
                str(path), None, _("a PDF; it cannot be opened ({error})").format(error=err)
            ) from err
        with pdf:
            if not any(page.chars for page in pdf.pages):
                raise ListFormatError(
                    str(path),
                    None,
                    _(
                        "a PDF with a text layer; its {pages} page(s) are images only (a scan): "
                        "run OCR on it first (e.g. ocrmypdf --language chi_sim) or load the "
                        "list's Word or Excel original"
                    ).format(pages=len(pdf.pages)),
                )
            blocks = _blocks(pdf)
        if not any(isinstance(b, Grid) for b in blocks):
            raise ListFormatError(
                str(path), None, _("a duty list as a ruled table; found no table")
            )
        return Document(str(path), sha256_of(data), (Part("the PDF", tuple(blocks)),))


register(PdfReader())


def _blocks(pdf: Any) -> list[TextLine | Grid]:
    before: list[TextLine] = []
    after: list[TextLine] = []
    rows: list[list[_Cell]] = []
    wheres: list[str] = []
    for number, page in enumerate(pdf.pages, start=1):
        tables = _tables(page)
        outside = _lines_outside(page, [t.bbox for t in tables])
        if not rows and not tables:
            before += [TextLine(text, f"page {number}") for text, _ in outside]
            continue
        if tables:
            first_top = tables[0].bbox[1]
            target = before if not rows else after
            target += [TextLine(t, f"page {number}") for t, top in outside if top < first_top]
            after = [
                TextLine(t, f"page {number}") for t, top in outside if top > tables[-1].bbox[3]
            ]
        for t_index, table in enumerate(tables):
            page_rows = [[_cell(page, box) for box in row.cells] for row in table.rows]
            for cells in page_rows:  # a cell taller than its row is merged down the column
                bottom = min((c.box[3] for c in cells if c.box), default=0.0)
                for cell in cells:
                    cell.merged_down = cell.box is not None and cell.box[3] > bottom + 1
            if rows:
                _carry_merges(rows[-1], page_rows, rows[0])
            _fill_merges(page_rows)
            first_data_row = True
            for r, cells in enumerate(page_rows):
                if rows and _texts(cells) == _texts(rows[0]):
                    continue  # the header, repeated on each page
                if rows and first_data_row and _continues(rows[-1], cells):
                    _join_rows(rows[-1], cells)
                    first_data_row = False
                    continue
                first_data_row = False
                rows.append(cells)
                wheres.append(f"page {number}, table {t_index + 1}, row {r + 1}")
    width = max((len(row) for row in rows), default=0)
    grid = Grid(
        rows=tuple(tuple(c.text for c in row) + ("",) * (width - len(row)) for row in rows),
        wheres=tuple(wheres),
    )
    return [*before, grid, *after]


def _tables(page: Any) -> list[Any]:
    """The page's ruled tables; a row or a merged cell cut by the page's end (no bottom rule) is
    closed where the table's vertical rules end."""
    tables = page.find_tables()
    if not tables:
        return tables
    last = tables[-1].bbox
    bottoms = [
        e["bottom"]
        for e in page.edges
        if e["orientation"] == "v" and last[0] - 1 <= e["x0"] <= last[2] + 1
    ]
    end = max(bottoms, default=last[3])
    return page.find_tables({"explicit_horizontal_lines": [end]})


def _texts(cells: list[_Cell]) -> list[str]:
    return [c.text for c in cells]


def _lines_outside(
    page: Any, boxes: list[tuple[float, float, float, float]]
) -> list[tuple[str, float]]:
    """Paragraphs of a page outside its tables, with their top; a line as wide as the widest
    continues on the next."""
    lines = [
        line
        for line in page.extract_text_lines(return_chars=True, y_tolerance=6)
        if line["text"].strip()
        and not any(
            x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top - 1 <= line["top"] <= bottom + 1
            for x0, top, x1, bottom in boxes
        )
    ]
    widest = max([line["x1"] for line in lines] + [box[2] for box in boxes], default=0.0)
    out: list[tuple[str, float]] = []
    room = 99.0
    for line in lines:
        text = line["text"].strip()
        if out and _wrapped(room, text):
            out[-1] = (_join(out[-1][0], text, room), out[-1][1])
        else:
            out.append((text, line["top"]))
        size = max(ch["size"] for ch in line["chars"]) if line["chars"] else 10.0
        room = (widest - line["x1"]) / size
    return out


def _cell(page: Any, box: tuple[float, float, float, float] | None) -> _Cell:
    if box is None:
        return _Cell("", 99.0, None)

    # a character belongs to the cell its middle is in: a closing mark at the end of a full line
    # may overhang the cell's edge
    def inside(obj: dict[str, Any]) -> bool:
        middle = (obj["x0"] + obj["x1"]) / 2
        return obj.get("object_type") != "char" or (
            box[0] <= middle <= box[2] and box[1] <= obj["top"] and obj["bottom"] <= box[3] + 1
        )

    lines = page.filter(inside).extract_text_lines(return_chars=True, y_tolerance=4)
    if not lines:
        return _Cell("", 99.0, box)
    left_pad = min(line["x0"] for line in lines) - box[0]
    right = box[2] - left_pad
    text = ""
    room = 99.0
    for line in lines:
        size = max(ch["size"] for ch in line["chars"]) if line["chars"] else 10.0
        line_text = line["text"].strip()
        text = _join(text, line_text, room) if text else line_text
        room = (right - line["x1"]) / size
    return _Cell(text, room, box)


_NUMBERED = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）]|[\u2460-\u2473])")


def _wrapped(room: float, line: str, last: str = "") -> bool:
    """Whether a line that left ``room`` characters free was wrapped before ``line``: less than
    a character free, or two when ``line`` starts with an opening mark (which may not end a
    line) or with a character and a closing mark (which may not start one), or the line ended
    with an ASCII mark (the space after it wrapped)."""
    kept_together = line[:1] in _NO_LINE_END or line[1:2] in _NO_LINE_START or last in ",;:"
    return room < (2.1 if kept_together else 1.1)


def _join(text: str, line: str, room: float) -> str:
    """Join a printed line to the text before it: a wrapped line continues the same paragraph.

    A line that ends short of the cell's edge (:func:`_wrapped`), or ends a sentence (。), ends
    a paragraph (a duty). Where the wrap may have swallowed a space, the space is put back as
    the writer types: between two Latin words and before a numbered item always, after an
    ASCII mark (``,`` ``;`` ``:``) when the cell's other marks are followed by one
    (:func:`_spaces_after_marks`).

    >>> _join("监督,检测,确保安全,", "防止疫情", 0.2), _join("分类, 按照规模,", "精准匹配", 0.2)
    ('监督,检测,确保安全,防止疫情', '分类, 按照规模, 精准匹配')
    """
    if not _wrapped(room, line, text[-1]) or text.endswith("。"):
        return f"{text}\n{line}"
    if text[-1] in ",;:":
        return f"{text} {line}" if _spaces_after_marks(text) else text + line
    if text[-1].isascii() and line[0].isascii() and text[-1].isalnum() and line[0].isalnum():
        return f"{text} {line}"
    if _NUMBERED.match(line):
        return f"{text} {line}"  # a numbered item: the space the wrap swallowed
    return text + line


def _spaces_after_marks(text: str) -> bool:
    """Whether the writer of ``text`` puts a space after ASCII marks: true unless the marks
    before its last one are more often followed by something else."""
    spaced = len(re.findall(r"[,;:] ", text[:-1]))
    unspaced = len(re.findall(r"[,;:][^ ]", text[:-1]))
    return spaced >= unspaced


def _fill_merges(rows: list[list[_Cell]]) -> None:
    """A position a merged cell covers takes the merged cell's text down a column (a
    department over several matters); across a row it stays empty (a category line)."""
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.box is not None:
                continue
            left = next((row[k] for k in range(c - 1, -1, -1) if row[k].box is not None), None)
            if left is not None and left.box is not None and left.box[2] > _column_x(rows, c):
                continue  # covered across the row
            above = next((rows[k][c] for k in range(r - 1, -1, -1) if rows[k][c].box), None)
            if above is not None:
                cell.text = above.text
                cell.merged_down = above.merged_down = True


def _column_x(rows: list[list[_Cell]], c: int) -> float:
    """The left edge of column ``c`` (from any row where it has a cell of its own)."""
    edges = [row[c].box[0] for row in rows if c < len(row) and row[c].box is not None]  # type: ignore[index]
    return min(edges, default=0.0) + 1


def _carry_merges(last: list[_Cell], page_rows: list[list[_Cell]], header: list[_Cell]) -> None:
    """A cell merged down a column and cut by the page's end goes on at the top of the next
    page as an empty cell: it takes the merged text."""
    first = next((row for row in page_rows if _texts(row) != _texts(header)), None)
    if first is None or len(first) != len(last):
        return
    for cell, above in zip(first, last, strict=True):
        if cell.box is not None and not cell.text and (above.merged_down or cell.merged_down):
            cell.text, cell.merged_down, cell.carried = above.text, True, True


def _continues(last: list[_Cell], cells: list[_Cell]) -> bool:
    """Whether the first row of a page is the rest of the page before's last row: its number
    cell is empty and some other cell has text."""
    return (
        bool(cells)
        and cells[0].box is not None
        and not cells[0].text
        and any(c.text for c in cells[1:])
        and len(cells) == len(last)
    )


def _join_rows(last: list[_Cell], cells: list[_Cell]) -> None:
    for previous, cell in zip(last, cells, strict=True):
        if cell.text and not cell.carried:
            previous.text = (
                _join(previous.text, cell.text, previous.room) if previous.text else cell.text
            )
            previous.room = cell.room
