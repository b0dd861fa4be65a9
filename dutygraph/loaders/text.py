"""Reader for duty lists published as text: one table row a line, cells separated by tabs.

This is how lists copied out of a portal or a PDF usually arrive: the title line, a header
line (repeated at each page break), category lines, one line per matter with five cells, and
a closing note. Encodings UTF-8, UTF-8 with BOM and GBK, and CRLF line ends, all read alike.
"""

from __future__ import annotations

from pathlib import Path

from ..safe_io import read_input
from .base import RawList, RawRow, decode, register, sha256_of

__all__ = ["TextReader"]

_TEXT_SUFFIXES = {".txt", ".tsv", ".text", ""}


class TextReader:
    name = "text (tab-separated)"

    def can_read(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            return True
        # unknown suffix: take it when it does not start like a zip (xlsx/docx) or HTML document
        lowered = head.lstrip()[:64].lower()
        return not head.startswith(b"PK\x03\x04") and not lowered.startswith(
            (b"<!doctype", b"<html")
        )

    def read(self, path: Path) -> RawList:
        data = read_input(path)
        text = decode(data, str(path))
        rows = tuple(
            RawRow(tuple(line.split("\t")) if line.strip() else (), f"line {number}")
            for number, line in enumerate(_lines(text), start=1)
        )
        return RawList(source=str(path), rows=rows, sha256=sha256_of(data))


register(TextReader())


def _lines(text: str) -> list[str]:
    """Split on LF, CRLF and CR only (str.splitlines also splits on form feeds and U+2028)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
