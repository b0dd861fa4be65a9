"""Every reader's tables become the normaliser's rows here, by the same rules.

A reader gives a ``Document``: parts (sheets, bodies, pages) of text lines and tables
(``Grid``s) with their merged cells. This module turns it into one ``RawList`` per list:

- a cell covered by a merge across columns is blank (a category row merged over the whole
  table is one cell), a cell covered by a merge down a column keeps the merged text (a
  department cell merged down over several matters belongs to each of them);
- a header merged over two rows (``职责分工`` over ``上级部门职责`` and ``乡镇配合职责``) is read
  as one header row, the lower heading where there is one;
- a matter whose number cell is merged down over several rows is one matter, its other
  cells joined line by line;
- a category line written in another column than the first is moved to the first;
- radical code points (``⺠``, ``⽂``) become their ideographs (``vocab/radicals.csv``);
- a title line (one cell naming a list kind: ``…配合履职事项清单``) after a list's header
  starts the next list; a part without a title continues the list before it (one list over
  several sheets, a Word table split at a page break), and lines before a title are dropped
  (a portal page's navigation). Paragraphs after a table are kept only as the closing note.

>>> grid = Grid(rows=(("序号", "事项", "部门"), ("一、民生", "", ""), ("1", "甲", "区民政局"),
...     ("2", "乙", "区民政局")), wheres=("r1", "r2", "r3", "r4"),
...     anchors={(1, 1): (1, 0), (1, 2): (1, 0), (3, 2): (2, 2)})
>>> title = TextLine("某镇配合履职事项清单", "r0")
>>> doc = Document("x.xlsx", "0", (Part("sheet 1", (title, grid)),))
>>> for row in raw_lists(doc, Vocabulary.load())[0].rows:
...     print(row.cells)
('某镇配合履职事项清单',)
('序号', '事项', '部门')
('一、民生', '', '')
('1', '甲', '区民政局')
('2', '乙', '区民政局')
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from ..vocabulary import Vocabulary, compact
from .base import Document, Grid, Part, RawList, RawRow, TextLine

__all__ = ["Document", "Grid", "Part", "TextLine", "grid_rows", "map_radicals", "raw_lists"]


@cache
def _radical_table() -> dict[int, str]:
    text = (resources.files("dutygraph") / "vocab" / "radicals.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {ord(row["radical"]): row["ideograph"] for row in csv.DictReader(lines)}


def map_radicals(text: str) -> str:
    """Radical code points replaced by the ideographs they stand for.

    >>> map_radicals("市⺠政局 ⽂明 改⾰")
    '市民政局 文明 改革'
    """
    return text.translate(_radical_table())


class _Rules:
    """The patterns of ``list_format.yaml`` this module needs, compiled once per document."""

    def __init__(self, vocab: Vocabulary) -> None:
        layout = vocab.layout
        self.number = [re.compile(p) for p in layout["columns"]["number"]]
        kind_phrases = [phrase for phrases in layout["kinds"].values() for phrase in phrases]
        self.title_words = [*layout.get("title_words", []), *kind_phrases]
        self.category = re.compile(layout["category_line"])
        self.note = re.compile(layout["note_line"])

    def is_number_heading(self, cell: str) -> bool:
        text = compact(cell)
        return any(p.search(text) for p in self.number)

    def is_title(self, cells: tuple[str, ...]) -> bool:
        filled = [c for c in cells if c.strip()]
        if len(filled) != 1 or self.note.match(filled[0]) or self.category.match(filled[0]):
            return False
        text = compact(filled[0])
        return len(text) <= 60 and any(word in text for word in self.title_words)

    def header_number_column(self, cells: list[str]) -> int | None:
        """The index of the 序号 column when ``cells`` look like a header row, else None."""
        if len([c for c in cells if c.strip()]) < 3:
            return None
        for index, cell in enumerate(cells):
            if cell.strip():
                return index if self.is_number_heading(cell) else None
        return None


def raw_lists(document: Document, vocab: Vocabulary) -> list[RawList]:
    """One ``RawList`` per list the document holds, in the order they appear."""
    rules = _Rules(vocab)
    lists: list[tuple[str, list[RawRow]]] = []
    has_header = False
    parts = [
        [(block, _block_rows(block, rules)) for block in part.blocks] for part in document.parts
    ]
    listed = any(
        isinstance(block, Grid) and _holds_a_list(rows, rules)
        for part in parts
        for block, rows in part
    )
    for index, (part, blocks) in enumerate(zip(document.parts, parts, strict=True)):
        if listed:  # drop a page's layout or link tables, a sheet of notes
            blocks = [
                (block, rows)
                for block, rows in blocks
                if isinstance(block, TextLine) or _holds_a_list(rows, rules)
            ]
            if index and not any(isinstance(block, Grid) for block, _ in blocks):
                continue
        for block, rows in blocks:
            for row in rows:
                if not lists or (has_header and rules.is_title(row.cells)):
                    lists.append((part.label, []))
                    has_header = False
                current = lists[-1][1]
                if not has_header:
                    if rules.is_title(row.cells):
                        current.clear()  # what came before the title is not the list's
                    has_header = rules.header_number_column(list(row.cells)) is not None
                    current.append(row)
                elif isinstance(block, Grid) or rules.note.match(row.cells[0]):
                    current.append(row)
    return [
        RawList(document.source, tuple(rows), document.sha256, part=label)
        for label, rows in lists
        if rows
    ] or [RawList(document.source, (), document.sha256)]


def _block_rows(block: TextLine | Grid, rules: _Rules) -> list[RawRow]:
    if isinstance(block, TextLine):
        return [RawRow((map_radicals(_clean(block.text)),), block.where)]
    return grid_rows(block, rules)


def _holds_a_list(rows: list[RawRow], rules: _Rules) -> bool:
    """Whether a table has a header or a numbered row (a table continuing a list may have none)."""
    return any(
        rules.header_number_column(list(row.cells)) is not None
        or (row.cells and re.fullmatch(r"\d{1,5}", row.cells[0]))
        for row in rows
    )


def grid_rows(grid: Grid, rules: _Rules) -> list[RawRow]:
    """The rows of one table, merges resolved (see the module's docstring)."""
    out: list[tuple[list[str], str, tuple[str, ...]]] = []
    number_column = 0
    skip_next = False
    for r, row in enumerate(grid.rows):
        if skip_next:
            skip_next = False
            continue
        cells = [map_radicals(_clean(c)) for c in row]
        for c in range(len(cells)):
            anchor = grid.anchors.get((r, c))
            if anchor is not None and anchor[1] != c:
                cells[c] = ""  # covered by a merge across columns
        refs = grid.cell_refs[r] if r < len(grid.cell_refs) else ()
        header_column = rules.header_number_column(cells)
        if header_column is not None:
            number_column = header_column
            if _merged_down(grid, r):
                cells = _two_row_header(grid, r, cells)
                skip_next = True
        elif out and _is_down_copy(grid, r, number_column):
            _continue_matter(out[-1][0], grid, r, cells)
            continue
        else:
            cells = _category_first(cells, rules)
        out.append((cells, grid.wheres[r], refs))
    return [RawRow(tuple(cells), where, refs) for cells, where, refs in out]


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_down_copy(grid: Grid, r: int, c: int) -> bool:
    anchor = grid.anchors.get((r, c))
    return anchor is not None and anchor[1] == c and anchor[0] < r


def _merged_down(grid: Grid, r: int) -> bool:
    width = len(grid.rows[r])
    return r + 1 < len(grid.rows) and any(_is_down_copy(grid, r + 1, c) for c in range(width))


def _two_row_header(grid: Grid, r: int, upper: list[str]) -> list[str]:
    """A header over two rows: the lower heading of each column, else the upper one."""
    lower = grid.rows[r + 1]
    merged = []
    for c, top in enumerate(upper):
        below = _clean(lower[c]) if c < len(lower) else ""
        use_lower = below and not _is_down_copy(grid, r + 1, c)
        merged.append(map_radicals(below) if use_lower else top)
    return merged


def _continue_matter(previous: list[str], grid: Grid, r: int, cells: list[str]) -> None:
    """Join a row whose number cell is merged with the row above into that matter."""
    for c, text in enumerate(cells):
        if c < len(previous) and text and not _is_down_copy(grid, r, c):
            previous[c] = f"{previous[c]}\n{text}" if previous[c] else text


def _category_first(cells: list[str], rules: _Rules) -> list[str]:
    """A category line written in another column moves to the first."""
    filled = [i for i, c in enumerate(cells) if c]
    if len(filled) == 1 and filled[0] > 0 and rules.category.match(cells[filled[0]]):
        return [cells[filled[0]]] + [""] * (len(cells) - 1)
    return cells
