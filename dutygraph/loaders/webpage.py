"""Reader for web pages (``.html``/``.htm``): a saved portal page or a table copied from one.

The page is one part: its text blocks (navigation, the title, the closing note) and its
innermost ``<table>``s (a portal's layout tables hold the list's table) in reading order.
``rowspan`` and ``colspan`` are recorded as merges, ``<br>``, ``<p>`` and ``<li>`` in a cell
become its lines. The encoding is the one the page declares (``<meta charset=gbk>`` or
``content="text/html; charset=gb2312"``), else UTF-8, else GBK.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import ListFormatError
from ..i18n import gettext as _
from ..safe_io import read_input
from .base import Document, Grid, Part, TextLine, decode, register, sha256_of
from .cells import html_to_text

__all__ = ["WebPageReader", "page_encoding"]

_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mht"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "caption", "center",
    "section", "article", "pre", "blockquote", "dd", "dt",
}  # fmt: skip
_GBK_FAMILY = {"gbk", "gb2312", "gb_2312", "gb18030", "x-gbk", "cp936"}


def page_encoding(head: bytes) -> str | None:
    """The encoding a page declares in a ``<meta>`` tag (GBK and GB2312 read as GB18030).

    >>> page_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb18030'
    """
    match = _CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return "gb18030" if name in _GBK_FAMILY else name


class WebPageReader:
    name = "web page (.html)"

    def can_read(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _SUFFIXES:
            return True
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:256].lower()
        return start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta"))

    def read(self, path: Path) -> Document:
        import lxml.html

        data = read_input(path)
        text = _page_text(data, str(path))
        text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an XML declaration
        try:
            root = lxml.html.document_fromstring(text)
        except Exception as err:  # lxml's ParserError and XMLSyntaxError
            raise ListFormatError(
                str(path), None, _("a web page; it cannot be parsed ({error})").format(error=err)
            ) from err
        blocks: list[TextLine | Grid] = []
        tables = 0
        for element in _blocks_in_order(root):
            if element.tag == "table":
                tables += 1
                blocks.append(_table_grid(element, tables))
            else:
                line = " ".join(html_to_text(_inner_html(element)).split("\n")).strip()
                if line:
                    blocks.append(TextLine(line, "the page"))
        if not tables:
            raise ListFormatError(str(path), None, _("a duty list as an HTML <table>; found none"))
        return Document(str(path), sha256_of(data), (Part("the page", tuple(blocks)),))


register(WebPageReader())


def _page_text(data: bytes, path: str) -> str:
    encoding = None if data.startswith(b"\xef\xbb\xbf") else page_encoding(data[:4096])
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # a page that lies about its encoding: try the usual ones
    return decode(data, path)


def _blocks_in_order(root: Any) -> list[Any]:
    """Innermost tables and text blocks outside them, in document order."""
    out = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "head"}:
            continue
        if any(a.tag in {"script", "style", "head"} for a in element.iterancestors()):
            continue
        if element.tag == "table":
            if not element.xpath(".//table"):
                out.append(element)
            continue
        if element.tag in _BLOCKS and not _inside_leaf_table(element):
            has_block_inside = any(
                d.tag in _BLOCKS or d.tag == "table" for d in element.iterdescendants()
            )
            if not has_block_inside:
                out.append(element)
    return out


def _inside_leaf_table(element: Any) -> bool:
    return any(a.tag == "table" and not a.xpath(".//table") for a in element.iterancestors())


def _inner_html(element: Any) -> str:
    import lxml.html

    inner = element.text or ""
    for child in element:
        inner += lxml.html.tostring(child, encoding="unicode")
    return inner


def _table_grid(table: Any, number: int) -> Grid:
    """The table's rows with rowspan and colspan expanded into merges."""
    rows: list[list[str]] = []
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    taken: dict[tuple[int, int], tuple[int, int]] = {}
    trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for r, tr in enumerate(trs):
        placed: dict[int, str] = {}
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            text = html_to_text(_inner_html(cell))
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = (r, c)
                        anchors[(r + dr, c + dc)] = (r, c)
            placed[c] = text
            c += colspan
        rows.append([placed.get(i, "") for i in range(max(placed, default=-1) + 1)])
    width = max((len(row) for row in rows), default=0)
    width = max([width, *(c + 1 for (r, c) in taken if r < len(rows))])
    grid_rows = []
    for r, row in enumerate(rows):
        full = row + [""] * (width - len(row))
        for c in range(width):
            if (r, c) in anchors:
                r0, c0 = anchors[(r, c)]
                full[c] = rows[r0][c0] if c0 < len(rows[r0]) else ""
        grid_rows.append(tuple(full))
    return Grid(
        rows=tuple(grid_rows),
        wheres=tuple(f"table {number}, row {r + 1}" for r in range(len(rows))),
        anchors=anchors,
    )


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 1000))
    except ValueError:
        return 1
