"""The same duty list written in every format analysts receive, built in code from a text list.

``list_layout(path)`` reads a text list (the reference list, the other towns' lists) into its
title, header and rows of plain cell text (HTML fragments turned into lines); the ``write_*``
functions write that layout as UTF-16 text, comma CSV, Excel's quoted tab text, six columns,
an XLSX workbook with merges, a Word table with merges, Word numbering and a page split, a GBK
web page with rowspan and colspan, and a PDF printed from that page by headless Chromium.
``comparable(tables)`` keeps what must be equal whatever the format: matters, categories,
departments, duties, guarantees and handoffs, without the row positions each format names
differently.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from support_lists import REFERENCE_LIST

from dutygraph.loaders import read_raw
from dutygraph.loaders.cells import html_to_text
from dutygraph.tables import ListTables
from dutygraph.vocabulary import Vocabulary

__all__ = [
    "OTHER_TOWNS",
    "ListLayout",
    "comparable",
    "list_layout",
    "write_csv",
    "write_docx",
    "write_html",
    "write_pdf",
    "write_scanned_pdf",
    "write_six_columns",
    "write_tab_quoted",
    "write_utf16",
    "write_xls",
    "write_xlsx",
]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "other_towns"
OTHER_TOWNS = [
    FIXTURES / "green_county_town.txt",
    FIXTURES / "river_street.txt",
    FIXTURES / "third" / "xinan_township.txt",
]
ALL_LISTS = [REFERENCE_LIST, *OTHER_TOWNS]


@dataclass
class ListLayout:
    """A list as rows of plain text: ('title'|'header'|'category'|'matter'|'note', cells)."""

    source: Path
    rows: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def header(self) -> list[str]:
        return next(cells for kind, cells in self.rows if kind == "header")

    def of_kind(self, kind: str) -> list[list[str]]:
        return [cells for k, cells in self.rows if k == kind]


def list_layout(path: Path) -> ListLayout:
    """A text list's rows with every cell as plain lines (what a spreadsheet cell holds)."""
    layout = ListLayout(path)
    vocab = Vocabulary.load()
    import re

    category = re.compile(vocab.layout["category_line"])
    note = re.compile(vocab.layout["note_line"])
    for row in read_raw(path).rows:
        cells = [html_to_text(c) for c in row.cells]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if not layout.rows:
            layout.rows.append(("title", filled))
        elif filled[0] in {"序号", "编号"}:
            if not any(kind == "header" for kind, _ in layout.rows):
                layout.rows.append(("header", [c.strip() for c in row.cells]))
        elif len(filled) == 1 and category.match(filled[0]):
            layout.rows.append(("category", filled))
        elif len(filled) == 1 and note.match(filled[0]):
            layout.rows.append(("note", filled))
        else:
            layout.rows.append(("matter", cells))
    return layout


def comparable(tables: ListTables) -> dict[str, pd.DataFrame]:
    """The tables without what names a position in the file (line, sheet, cell, file name)."""
    keep = {
        "matters": ["number", "name", "category"],
        "categories": ["position", "name", "stated_count"],
        "matter_departments": ["matter", "position", "department", "raw_name"],
        "duties": ["duty_id", "owner", "owner_kind", "heading", "number", "text"],
        "guarantees": ["matter", "text", "kinds"],
        "handoffs": ["matter", "src", "dst", "type", "evidence", "duty_id", "implicit", "rule"],
    }
    out = {name: getattr(tables, name)[cols].reset_index(drop=True) for name, cols in keep.items()}
    out["lists"] = tables.lists[["list_id", "town", "kind", "version", "title", "note"]]
    return out


def assert_same_tables(found: ListTables, expected: ListTables) -> None:
    """Equal matters, duties, handoffs … (a failure names the table and the first difference)."""
    left, right = comparable(found), comparable(expected)
    for name in right:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


# -- text forms -----------------------------------------------------------------------------------
def write_utf16(source: Path, path: Path) -> Path:
    """Excel's "Unicode 文本": the same text, UTF-16 with a byte order mark, CRLF line ends."""
    text = source.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-16"))
    return path


def _write_delimited(layout: ListLayout, path: Path, delimiter: str, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for cells in rows:
        writer.writerow(cells + [""] * (len(layout.header) - len(cells)))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def write_csv(layout: ListLayout, path: Path) -> Path:
    """Comma CSV as Excel saves it: cells with line breaks or commas in double quotes."""
    return _write_delimited(layout, path, ",", [cells for _, cells in layout.rows])


def write_tab_quoted(layout: ListLayout, path: Path) -> Path:
    """Excel's tab-separated text: a cell with line breaks is quoted and spans lines."""
    return _write_delimited(layout, path, "\t", [cells for _, cells in layout.rows])


GUARANTEE_HEADING = "履职保障"


def six_columns(layout: ListLayout) -> ListLayout:
    """The list with 履职保障 moved out of the department cell into a sixth column."""
    import re

    heads = "|".join(
        sorted(map(re.escape, Vocabulary.load().layout["guarantee_headings"]), key=len)[::-1]
    )
    pattern = re.compile(rf"(?:^|(?<=[\s。；;]))(?:{heads})\s*[：:]")
    out = ListLayout(layout.source)
    for kind, cells in layout.rows:
        if kind == "header":
            cells = [*cells, GUARANTEE_HEADING]
        elif kind == "matter":
            duty_cell = cells[3]
            found = list(pattern.finditer(duty_cell))
            guarantee = ""
            if found:
                guarantee = duty_cell[found[-1].end() :].strip()
                duty_cell = duty_cell[: found[-1].start()].strip()
            cells = [*cells[:3], duty_cell, *cells[4:], guarantee]
        out.rows.append((kind, cells))
    return out


def write_six_columns(layout: ListLayout, path: Path) -> Path:
    """Tab-separated text with 履职保障 as a sixth column."""
    six = six_columns(layout)
    return _write_delimited(six, path, "\t", [cells for _, cells in six.rows])


# -- spreadsheets ----------------------------------------------------------------------------------
def _department_runs(layout: ListLayout) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs of matters with the same department cell (length > 1)."""
    runs = []
    rows = layout.rows
    i = 0
    while i < len(rows):
        j = i
        while (
            rows[i][0] == "matter"
            and j + 1 < len(rows)
            and rows[j + 1][0] == "matter"
            and rows[j + 1][1][2] == rows[i][1][2]
        ):
            j += 1
        if j > i:
            runs.append((i, j))
        i = j + 1
    return runs


def _sheet_rows(ws: Any, layout: ListLayout, *, title: bool, two_row_header: bool) -> None:
    """Write a layout to an openpyxl sheet: merged title, header, categories, departments."""
    width = layout.width
    rows = [(k, c) for k, c in layout.rows if title or k != "title"]
    excel_row = 0
    first_matter_row: dict[int, int] = {}
    layout_index = [i for i, (k, _) in enumerate(layout.rows) if title or k != "title"]
    for (kind, cells), index in zip(rows, layout_index, strict=True):
        excel_row += 1
        if kind == "header" and two_row_header:
            for c, heading in enumerate(cells[:3], start=1):
                ws.cell(excel_row, c, heading)
                ws.merge_cells(
                    start_row=excel_row, start_column=c, end_row=excel_row + 1, end_column=c
                )
            ws.cell(excel_row, 4, "职责分工")
            ws.merge_cells(start_row=excel_row, start_column=4, end_row=excel_row, end_column=width)
            for c, heading in enumerate(cells[3:], start=4):
                ws.cell(excel_row + 1, c, heading)
            excel_row += 1
            continue
        if kind in {"title", "category", "note"}:
            ws.cell(excel_row, 1, cells[0])
            ws.merge_cells(start_row=excel_row, start_column=1, end_row=excel_row, end_column=width)
            continue
        for c, text in enumerate(cells, start=1):
            value: Any = int(text) if c == 1 and kind == "matter" and text.isdigit() else text
            ws.cell(excel_row, c, value)
        first_matter_row[index] = excel_row
    for first, last in _department_runs(layout):
        if first in first_matter_row and last in first_matter_row:
            start, end = first_matter_row[first], first_matter_row[last]
            for r in range(start + 1, end + 1):
                ws.cell(r, 3).value = None
            ws.merge_cells(start_row=start, start_column=3, end_row=end, end_column=3)


def write_xlsx(
    layouts: list[ListLayout] | ListLayout,
    path: Path,
    *,
    two_row_header: bool = False,
    split_at_category: int | None = None,
) -> Path:
    """A workbook with one list a sheet, merged title and category rows, department cells merged
    down over runs of matters, optionally a header over two rows, or one list split over two
    sheets at its Nth category (the second sheet without a title)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for n, layout in enumerate(layouts if isinstance(layouts, list) else [layouts], start=1):
        if split_at_category is None:
            _sheet_rows(
                book.create_sheet(f"清单{n}"), layout, title=True, two_row_header=two_row_header
            )
            continue
        first, second = _split(layout, split_at_category)
        _sheet_rows(
            book.create_sheet(f"清单{n}-1"), first, title=True, two_row_header=two_row_header
        )
        _sheet_rows(
            book.create_sheet(f"清单{n}-2"), second, title=False, two_row_header=two_row_header
        )
    book.save(path)
    return path


def write_xls(layout: ListLayout, path: Path) -> Path:
    """An Excel 97-2003 workbook (xlwt) as an office saves an old list: the title and the
    category rows merged across, department cells merged down over runs of matters, line
    breaks inside cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("清单")
    width = layout.width
    rows = list(layout.rows)
    runs = {first: last for first, last in _department_runs(layout)}
    covered: set[int] = set()
    for r, (kind, cells) in enumerate(rows):
        if kind in {"title", "category", "note"}:
            sheet.write_merge(r, r, 0, width - 1, cells[0])
            continue
        for c, text in enumerate(cells):
            if c == 2 and r in covered:
                continue
            if c == 2 and kind == "matter" and runs.get(r, r) > r:
                sheet.write_merge(r, runs[r], 2, 2, text)
                covered.update(range(r + 1, runs[r] + 1))
                continue
            value: Any = int(text) if c == 0 and kind == "matter" and text.isdigit() else text
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def _split(layout: ListLayout, at_category: int) -> tuple[ListLayout, ListLayout]:
    """The list cut before its Nth category line; the second half repeats the header."""
    categories = [i for i, (k, _) in enumerate(layout.rows) if k == "category"]
    cut = categories[at_category - 1]
    header = ("header", layout.header)
    return (
        ListLayout(layout.source, layout.rows[:cut]),
        ListLayout(layout.source, [header, *layout.rows[cut:]]),
    )


# -- Word ----------------------------------------------------------------------------------------
_DECIMAL_ABSTRACT_ID = "90"


def _numbering(document: Any) -> Any:
    """A decimal ``1.`` list definition in the document's numbering part; its element."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_DECIMAL_ABSTRACT_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return numbering


def _new_list(numbering: Any) -> int:
    """A new numbering instance of the decimal list that restarts at 1; its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ids = [int(n.get(_w("numId"))) for n in numbering.findall(_w("num"))]
    num_id = max(ids, default=0) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{_DECIMAL_ABSTRACT_ID}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return num_id


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _numbered(paragraph: Any, num_id: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(
        0,
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        ),
    )


def _fill_cell(cell: Any, text: str, numbering: Any | None) -> None:
    """One paragraph a line; lines typed ``1. …`` become Word list items when ``numbering``."""
    import re

    lines = text.split("\n") if text else [""]
    typed = [re.match(r"^(\d{1,2})\.\s*(.*)$", line) for line in lines]
    as_list = (
        numbering is not None
        and all(typed)
        and [int(m.group(1)) for m in typed if m] == list(range(1, len(lines) + 1))
    )
    num_id = _new_list(numbering) if as_list else None
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if num_id is not None:
            match = typed[i]
            assert match is not None
            paragraph.text = match.group(2)
            _numbered(paragraph, num_id)
        else:
            paragraph.text = line


def write_docx(layout: ListLayout, path: Path, *, split_at_category: int | None = None) -> Path:
    """A Word document: the title as a paragraph, the list as a table with category rows merged
    across, department cells merged down, one paragraph a line, town duties typed ``1.`` turned
    into Word's own numbering; split into two tables at a page break before the Nth category."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    numbering = _numbering(document)
    document.add_paragraph(layout.of_kind("title")[0][0])
    width = layout.width
    body = [(k, c) for k, c in layout.rows if k not in {"title", "note"}]
    chunks = [body]
    if split_at_category is not None:
        categories = [i for i, (k, _) in enumerate(body) if k == "category"]
        cut = categories[split_at_category - 1]
        chunks = [body[:cut], [("header", layout.header), *body[cut:]]]
    for n, chunk in enumerate(chunks):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=len(chunk), cols=width)
        run_start: dict[str, int] = {}
        for r, (kind, cells) in enumerate(chunk):
            row = table.rows[r].cells
            if kind == "category":
                merged = row[0].merge(row[width - 1])
                merged.text = cells[0]
                run_start.clear()
                continue
            for c, text in enumerate(cells):
                _fill_cell(row[c], text, numbering if kind == "matter" and c == width - 1 else None)
            if kind == "matter":
                _merge_department_down(table, r, cells[2], run_start)
    for cells in layout.of_kind("note"):
        document.add_paragraph(cells[0])
    document.save(path)
    return path


def _merge_department_down(table: Any, r: int, department: str, run_start: dict[str, int]) -> None:
    start = run_start.get("row")
    if start is not None and run_start.get("text") == department:  # type: ignore[comparison-overlap]
        merged = table.cell(start, 2).merge(table.cell(r, 2))
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        merged.paragraphs[0].text = department
        return
    run_start["row"] = r
    run_start["text"] = department  # type: ignore[assignment]


# -- web pages and PDF ----------------------------------------------------------------------------
def _cell_html(text: str, style: str) -> str:
    lines = [html.escape(line) for line in text.split("\n")]
    if style == "p":
        return "".join(f"<p>{line}</p>" for line in lines)
    return "<br>".join(lines)


def page_html(layout: ListLayout, *, navigation: bool = True) -> str:
    """A portal page: navigation, the title, the table (categories colspan, departments rowspan,
    line breaks as ``<p>`` and ``<br>``), the closing note and a footer."""
    width = layout.width
    runs = {first: last - first + 1 for first, last in _department_runs(layout)}
    covered = {i for first, last in _department_runs(layout) for i in range(first + 1, last + 1)}
    head = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=gbk"><title>清单公开</title>'
        "<style>table{border-collapse:collapse;width:100%;font-size:11px}"
        "td,th{border:1px solid #000;padding:2px;vertical-align:top}"
        "p{margin:0}</style></head><body>"
    )
    out = [head]
    if navigation:
        out.append("<div class='nav'><a href='#'>首页</a> <a href='#'>政务公开</a></div>")
        out.append("<p>发布时间：2024-05-06 来源：本站</p>")
    out.append(f"<h2>{html.escape(layout.of_kind('title')[0][0])}</h2><table>")
    for index, (kind, cells) in enumerate(layout.rows):
        if kind == "header":
            out.append(
                "<thead><tr>"
                + "".join(f"<th>{html.escape(c)}</th>" for c in cells)
                + "</tr></thead><tbody>"
            )
        elif kind == "category":
            out.append(f"<tr><td colspan='{width}'>{html.escape(cells[0])}</td></tr>")
        elif kind == "matter":
            tds = []
            for c, text in enumerate(cells):
                if c == 2 and index in covered:
                    continue
                span = f" rowspan='{runs[index]}'" if c == 2 and index in runs else ""
                tds.append(f"<td{span}>{_cell_html(text, 'p' if c == 3 else 'br')}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    for cells in layout.of_kind("note"):
        out.append(f"<p>{html.escape(cells[0])}</p>")
    if navigation:
        out.append("<div class='footer'>主办单位：某区人民政府 网站标识码：1500000000</div>")
    out.append("</body></html>")
    return "\n".join(out)


def write_html(layout: ListLayout, path: Path, *, encoding: str = "gbk") -> Path:
    """The page saved as a browser saves it, GBK-encoded as its meta tag declares."""
    text = page_html(layout)
    if encoding != "gbk":
        text = text.replace("charset=gbk", f"charset={encoding}")
    path.write_bytes(text.encode(encoding, errors="xmlcharrefreplace"))
    return path


def write_pdf(layout: ListLayout, path: Path, browser: Any) -> Path:
    """The page printed to an A4 PDF by headless Chromium (the header repeats on each page)."""
    page_file = write_html(layout, path.with_suffix(".print.html"), encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.resolve().as_uri())
        page.pdf(
            path=str(path),
            format="A4",
            margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
        )
    finally:
        page.close()
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF with a page image and no text layer, as a scanner makes it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(image)
    for y in range(80, 800, 24):
        draw.line((40, y, 555, y), fill="black")
    image.save(path, "PDF", resolution=72)
    return path
