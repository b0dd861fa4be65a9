"""The reader interface every input format plugs into, and the registry that picks a reader.

A reader turns a document into a ``RawList``: the rows of its table as cells of text (HTML
fragments kept; the normaliser strips them), each row knowing where it came from (``line 7``
of a text file, ``Sheet1!A7`` of a workbook, ``table 1, row 7`` of a DOCX). Everything after
that (headings, categories, departments, duties) is done once, for every format, by
``loaders.normalize``. A new format is one new module with a class that has ``can_read`` and
``read``, registered in ``READERS``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import ListFormatError
from ..safe_io import check_input_file

__all__ = ["READERS", "RawList", "RawRow", "Reader", "decode", "read_raw", "reader_for", "register"]


@dataclass(frozen=True)
class RawRow:
    """One row of the document's table: its cells and where it is (for error messages)."""

    cells: tuple[str, ...]
    where: str

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass(frozen=True)
class RawList:
    """A document read into rows, before any interpretation."""

    source: str  # the file path as given
    rows: tuple[RawRow, ...]
    sha256: str  # of the file's bytes: the same file loaded twice is recognisably the same


@runtime_checkable
class Reader(Protocol):
    """What every format's reader provides."""

    name: str

    def can_read(self, path: Path, head: bytes) -> bool:
        """Whether this reader handles ``path`` (``head``: the file's first bytes)."""

    def read(self, path: Path) -> RawList:
        """Read the file into rows; raise ``ListFormatError`` for a file it cannot read."""


READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader to the registry (a format module calls this at import)."""
    READERS.append(reader)
    return reader


def reader_for(path: str | os.PathLike[str]) -> Reader:
    """The first registered reader that can read ``path``."""
    from . import text  # noqa: F401  (registers the built-in readers)

    file = Path(path)
    check_input_file(file)  # a regular file within the size cap (not /dev/zero, a pipe …)
    with file.open("rb") as handle:
        head = handle.read(4096)
    for reader in READERS:
        if reader.can_read(file, head):
            return reader
    names = ", ".join(r.name for r in READERS)
    raise ListFormatError(str(path), None, f"a duty list in a format dutygraph reads ({names})")


def read_raw(path: str | os.PathLike[str]) -> RawList:
    """Read any supported document into a ``RawList``."""
    return reader_for(path).read(Path(path))


def decode(data: bytes, path: str) -> str:
    """Bytes of a text document as str: UTF-8 (with or without BOM), else GBK/GB18030.

    Raises ``ListFormatError`` for binary data or text in no known encoding.

    >>> decode("序号".encode("gbk"), "x.txt")
    '序号'
    >>> decode(b"\\xef\\xbb\\xbfabc", "x.txt")
    'abc'
    """
    if not data.strip():
        raise ListFormatError(path, None, "a duty list; the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ListFormatError(
                path, f"byte {err.start}", "UTF-16 text (it starts with a UTF-16 byte order mark)"
            ) from err
    nul = data.find(b"\x00")
    if nul != -1:
        odd, even = data[1:4096:2].count(0), data[0:4096:2].count(0)
        if max(odd, even) >= 8 and min(odd, even) * 4 < max(odd, even):  # ASCII, every 2nd byte
            raise ListFormatError(
                path,
                None,
                "UTF-16 text with a byte order mark, or UTF-8; this is UTF-16 without one",
            )
        raise ListFormatError(path, f"byte {nul}", "a text file; found binary data (a NUL byte)")
    furthest: UnicodeDecodeError | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            furthest = err if furthest is None or err.start > furthest.start else furthest
            continue
        if _looks_binary(text):
            break
        return text
    if furthest is None:
        raise ListFormatError(path, None, "a text file in UTF-8 or GBK; found control characters")
    line = data.count(b"\n", 0, furthest.start) + 1
    bad = data[furthest.start : furthest.start + 4].hex(" ")
    raise ListFormatError(
        path,
        f"line {line}, byte {furthest.start}",
        f"a text file in UTF-8 or GBK; found bytes {bad} that neither decodes",
    )


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, CR and LF in more than 1% of the text."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(text) // 100)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
