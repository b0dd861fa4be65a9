"""Reader for duty lists published as text: one table row a line, cells separated by tabs or commas.

This is how lists copied out of a portal or a PDF usually arrive: the title line, a header
line (repeated at each page break), category lines, one line per matter with five or six
cells, and a closing note. Also what Excel saves: "文本文件(制表符分隔)", "Unicode 文本" (UTF-16)
and CSV, where a cell holding line breaks or the separator is quoted (``"1. 甲。\\n2. 乙。"``).
Encodings UTF-8, UTF-8 with BOM, UTF-16 and GBK, and CRLF line ends, all read alike.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..safe_io import read_input
from .base import Document, Grid, Part, decode, register, sha256_of

__all__ = ["TextReader", "text_rows"]

_TEXT_SUFFIXES = {".txt", ".tsv", ".text", ".csv", ""}
_QUOTED_CELL = re.compile(r'(?:^|\t)"', re.MULTILINE)


class TextReader:
    name = "text (tab- or comma-separated)"

    def can_read(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            return True
        # unknown suffix: take it when it does not start like a zip (xlsx/docx), HTML or PDF
        lowered = head.lstrip()[:64].lower()
        return not head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")) and not (
            lowered.startswith((b"<!doctype", b"<html"))
        )

    def read(self, path: Path) -> Document:
        data = read_input(path)
        rows = text_rows(decode(data, str(path)))
        grid = Grid(
            rows=tuple(cells for cells, _ in rows),
            wheres=tuple(f"line {line}" for _, line in rows),
        )
        return Document(str(path), sha256_of(data), (Part("", (grid,)),))


register(TextReader())


def text_rows(text: str) -> list[tuple[tuple[str, ...], int]]:
    """The rows of a text table with the line each starts on.

    Tabs separate cells when any line has one, else commas. Excel's quoting (a cell in double
    quotes may hold line breaks, separators and doubled quotes) is read when the text uses it;
    otherwise a quote is an ordinary character.

    >>> text_rows('序号\\t名称\\n1\\t"甲\\n乙"\\n')
    [(('序号', '名称'), 1), (('1', '甲\\n乙'), 2)]
    >>> text_rows("序号,名称\\n1,甲")
    [(('序号', '名称'), 1), (('1', '甲'), 2)]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    delimiter = "\t" if "\t" in text else ","
    if delimiter == "\t" and not _QUOTED_CELL.search(text):
        return [
            (tuple(line.split("\t")) if line.strip() else (), n) for n, line in enumerate(lines, 1)
        ]
    reader = csv.reader(io.StringIO("\n".join(lines) + "\n"), delimiter=delimiter)
    rows: list[tuple[tuple[str, ...], int]] = []
    start = 1
    for cells in reader:
        rows.append((tuple(cells) if any(c.strip() for c in cells) else (), start))
        start = reader.line_num + 1
    return rows
