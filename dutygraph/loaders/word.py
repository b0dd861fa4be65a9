"""Reader for Word documents (``.docx``) with python-docx.

The body is one part: its paragraphs (the title, the closing note) and tables in reading
order. A cell's paragraphs are its lines; a paragraph numbered by Word's list formatting
(``w:numPr``) gets the number Word shows (``1.``, ``（2）``, ``③``, ``一、``) in front of its
text, as if typed. Cells merged across columns or down rows are recorded, so a list split
into several tables at page breaks, category rows merged across the table and department cells
merged down read as the text reader reads them (``loaders.grid``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ListFormatError
from ..i18n import gettext as _
from ..safe_io import read_input
from .base import Document, Grid, Part, TextLine, register, sha256_of, zip_member_reader

__all__ = ["WordReader", "format_number"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(97 + rest) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}


def format_number(number_format: str, n: int) -> str:
    """One level's number as Word shows it (``chineseCounting`` 12 -> ``十二``).

    >>> format_number("decimalEnclosedCircle", 3), format_number("chineseCounting", 12)
    ('③', '十二')
    """
    return _FORMATS.get(number_format, str)(n)


class _Numbering:
    """Word's list numbering: the label each numbered paragraph shows, in document order."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = _style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.findall(f"{_W}abstractNum")}
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            if definition is None:
                continue
            levels = {
                int(lvl.get(f"{_W}ilvl")): _level(lvl) for lvl in definition.findall(f"{_W}lvl")
            }
            for override in num.findall(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                ilvl = int(override.get(f"{_W}ilvl"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(f"{_W}val")))
            self.levels[num.get(f"{_W}numId")] = levels

    def label(self, paragraph: Any) -> str:
        """The number a paragraph shows ('' when it is not numbered or is a bullet)."""
        ppr = paragraph._p.pPr
        own = _num_pr_of(ppr)
        if own is False:
            style = ppr.find(f"{_W}pStyle") if ppr is not None else None
            num_pr = self.styles.get(style.get(f"{_W}val") if style is not None else None)
        else:
            num_pr = own if isinstance(own, tuple) else None
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        number_format, text, _ = levels[ilvl]
        if number_format in {"bullet", "none"}:
            return ""
        for level, (fmt, _, start) in levels.items():
            text = text.replace(f"%{level + 1}", format_number(fmt, counters.get(level, start)))
        return text


def _level(lvl: Any) -> tuple[str, str, int]:
    def value(tag: str, default: str) -> str:
        node = lvl.find(f"{_W}{tag}")
        return node.get(f"{_W}val", default) if node is not None else default

    return value("numFmt", "decimal"), value("lvlText", ""), int(value("start", "1"))


def _num_pr_of(ppr: Any) -> tuple[str, int] | None | bool:
    """(numId, level) a ``w:pPr`` sets; None when it switches numbering off (numId 0); False
    when it says nothing."""
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is None:
        return False
    num_id = num_pr.find(f"{_W}numId")
    ilvl = num_pr.find(f"{_W}ilvl")
    if num_id is None or num_id.get(f"{_W}val") == "0":
        return None
    return num_id.get(f"{_W}val"), int(ilvl.get(f"{_W}val")) if ilvl is not None else 0


def _style_numbering(document: Any) -> dict[str | None, tuple[str, int] | None]:
    """Paragraph style id -> the numbering it gives (through ``basedOn``); key None: the
    default paragraph style. Read once: python-docx's ``paragraph.style`` is slow per call."""
    styles = {
        s.get(f"{_W}styleId"): s
        for s in document.styles.element.findall(f"{_W}style")
        if s.get(f"{_W}type") == "paragraph"
    }

    def numbering(style_id: str | None, depth: int = 0) -> tuple[str, int] | None:
        style = styles.get(style_id)
        if style is None or depth > 10:
            return None
        found = _num_pr_of(style.find(f"{_W}pPr"))
        if found is not False:
            return found  # type: ignore[return-value]
        based = style.find(f"{_W}basedOn")
        return numbering(based.get(f"{_W}val"), depth + 1) if based is not None else None

    out: dict[str | None, tuple[str, int] | None] = {sid: numbering(sid) for sid in styles}
    default = next((sid for sid, s in styles.items() if s.get(f"{_W}default") == "1"), None)
    out[None] = out.get(default) if default else None
    return out


class WordReader:
    name = "Word (.docx)"

    def can_read(self, path: Path, head: bytes) -> bool:
        return zip_member_reader(path, head, {".docx", ".docm"}, "word/document.xml")

    def read(self, path: Path) -> Document:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        data = read_input(path)
        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as err:
            raise ListFormatError(
                str(path),
                None,
                _("a Word document; it cannot be opened ({error})").format(error=err),
            ) from err
        numbering = _Numbering(document)
        blocks: list[TextLine | Grid] = []
        tables = 0
        for index, child in enumerate(document.element.body.iterchildren(), start=1):
            if child.tag == f"{_W}p":
                text = _paragraph_text(Paragraph(child, document), numbering)
                if text:
                    blocks.append(TextLine(text, f"paragraph {index}"))
            elif child.tag == f"{_W}tbl":
                tables += 1
                blocks.append(_table_grid(Table(child, document), tables, numbering))
        if not tables:
            raise ListFormatError(str(path), None, _("a duty list as a Word table; found no table"))
        return Document(str(path), sha256_of(data), (Part("the document", tuple(blocks)),))


register(WordReader())


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    label = numbering.label(paragraph)
    text = paragraph.text.strip()
    return f"{label} {text}" if label and text else text


def _table_grid(table: Any, number: int, numbering: _Numbering) -> Grid:
    """A Word table as a grid; merged cells are the same cell object in python-docx."""
    cells = table._cells
    width = table._column_count
    height = len(cells) // width if width else 0
    rows: list[list[str]] = []
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(height):
        row: list[str] = []
        for c in range(width):
            cell = cells[r * width + c]
            if c and cell._tc is cells[r * width + c - 1]._tc:
                anchors[(r, c)] = anchors.get((r, c - 1), (r, c - 1))
                row.append(row[-1])
            elif r and cell._tc is cells[(r - 1) * width + c]._tc:
                anchors[(r, c)] = anchors.get((r - 1, c), (r - 1, c))
                row.append(rows[r - 1][c])
            else:
                lines = (_paragraph_text(p, numbering) for p in cell.paragraphs)
                row.append("\n".join(line for line in lines if line))
        rows.append(row)
    return Grid(
        rows=tuple(tuple(row) for row in rows),
        wheres=tuple(f"table {number}, row {r + 1}" for r in range(height)),
        anchors=anchors,
    )
