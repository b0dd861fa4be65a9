"""The reader interface every input format plugs into, and the registry that picks a reader.

A reader turns a document into a ``Document``: its parts (a workbook's sheets, a Word file's
body, a web page, a PDF) as blocks of text lines and tables (``loaders.grid.Grid``), merged
cells recorded, each row knowing where it came from (``line 7`` of a text file, ``sheet 清单,
row 7`` of a workbook, ``table 1, row 7`` of a DOCX). ``loaders.grid`` turns every document the
same way into ``RawList``s (one per list it holds): the rows of the list's table as cells of text
(HTML fragments kept; the normaliser strips them). Everything after that (headings, categories,
departments, duties) is done once, for every format, by ``loaders.normalize``. A new format is
one new module with a class that has ``can_read`` and ``read``, passed to ``register``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import InputFileError, ListFormatError
from ..i18n import N_
from ..i18n import gettext as _
from ..safe_io import check_input_file
from ..vocabulary import Vocabulary

__all__ = [
    "READERS",
    "Document",
    "RawList",
    "RawRow",
    "Reader",
    "decode",
    "read_lists",
    "read_raw",
    "reader_for",
    "register",
]


@dataclass(frozen=True)
class RawRow:
    """One row of the document's table: its cells and where it is (for error messages)."""

    cells: tuple[str, ...]
    where: str
    cell_refs: tuple[str, ...] = ()  # names of the cells (``sheet 清单, D7``) where they have one

    def cell_where(self, index: int) -> str:
        """Where cell ``index`` (from 0) is, for error messages."""
        if index < len(self.cell_refs):
            return self.cell_refs[index]
        return f"{self.where}, cell {index + 1}"

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass(frozen=True)
class RawList:
    """A document read into rows, before any interpretation."""

    source: str  # the file path as given
    rows: tuple[RawRow, ...]
    sha256: str  # of the file's bytes: the same file loaded twice is recognisably the same
    part: str = ""  # where in the file the list is, when the file holds several (``sheet 2``)


@dataclass(frozen=True)
class Document:
    """A file as its reader sees it: parts (sheets, pages, bodies) of text lines and tables."""

    source: str
    sha256: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Part:
    """One sheet, body or page: its blocks in reading order (``TextLine`` or ``Grid``)."""

    label: str  # 'sheet 清单', 'the body', 'the page'
    blocks: tuple[TextLine | Grid, ...]


@dataclass(frozen=True)
class TextLine:
    """A paragraph outside any table (a title, a note), or one line of a text file."""

    text: str
    where: str


@dataclass(frozen=True)
class Grid:
    """A table as drawn: rows of cell text (lines joined by ``\\n``) with its merges.

    ``anchors`` maps each cell covered by a merged cell to the merged cell's top-left corner;
    readers copy the merged cell's text into every cell it covers.
    """

    rows: tuple[tuple[str, ...], ...]
    wheres: tuple[str, ...]  # one per row
    anchors: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    cell_refs: tuple[tuple[str, ...], ...] = ()  # per row, per cell, when cells have names


@runtime_checkable
class Reader(Protocol):
    """What every format's reader provides."""

    name: str

    def can_read(self, path: Path, head: bytes) -> bool:
        """Whether this reader handles ``path`` (``head``: the file's first bytes)."""

    def read(self, path: Path) -> Document:
        """Read the file's parts; raise ``ListFormatError`` for a file it cannot read."""


READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader to the registry (a format module calls this at import)."""
    READERS.append(reader)
    return reader


def reader_for(path: str | os.PathLike[str]) -> Reader:
    """The first registered reader that can read ``path``."""
    from . import builtin  # noqa: F401  (registers the built-in readers)
    from .text import TextReader

    file = Path(path)
    check_input_file(file)  # a regular file within the size cap (not /dev/zero, a pipe …)
    with file.open("rb") as handle:
        head = handle.read(4096)
    claimed = _CLAIMED.get(file.suffix.lower())
    for reader in READERS:
        if reader.can_read(file, head):
            if claimed and isinstance(reader, TextReader):  # would read a .docx as text
                break
            return reader
    if claimed:
        raise InputFileError(_(claimed).format(path=path))
    names = ", ".join(r.name for r in READERS)
    hint = _SAVE_AS.get(file.suffix.lower(), "")
    raise ListFormatError(
        str(path),
        None,
        _("a duty list in a format dutygraph reads ({names})").format(names=names) + hint,
    )


def binary_list_file(path: str | os.PathLike[str]) -> bool:
    """Whether a reader of a binary format (a workbook, a Word document, a PDF) recognises the
    file by its content, whatever its name (``附件1`` is a workbook saved without ``.xlsx``)."""
    from . import builtin  # noqa: F401  (registers the built-in readers)
    from .text import TextReader

    file = Path(path)
    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return any(r.can_read(file, head) for r in READERS if not isinstance(r, TextReader))


#: Suffixes that promise a binary format: a file with one whose content is not that format
#: (damaged, or a .doc renamed .docx, as users do) is refused, not read as text.
_CLAIMED = {
    ".docx": N_("{path}: not a valid Word (.docx) file (damaged, or a .doc renamed)"),
    ".docm": N_("{path}: not a valid Word (.docx) file (damaged, or a .doc renamed)"),
    ".xlsx": N_("{path}: not a valid Excel (.xlsx) file (damaged, or a .xls renamed)"),
    ".xlsm": N_("{path}: not a valid Excel (.xlsx) file (damaged, or a .xls renamed)"),
    ".pdf": N_("{path}: not a valid PDF file (damaged, or another file renamed .pdf)"),
}

#: Formats no maintained Python library reads, and what to save them as.
_SAVE_AS = {
    ".doc": "; this is a Word 97-2003 file: save it as .docx",
    ".wps": "; this is a WPS document: save it as .docx",
    ".et": "; this is a WPS spreadsheet: save it as .xlsx",
    ".ofd": "; OFD is not read: export it to PDF or save the list as .docx",
}


def read_lists(path: str | os.PathLike[str], vocab: Vocabulary | None = None) -> list[RawList]:
    """Read any supported document into one ``RawList`` per list it holds."""
    from .grid import raw_lists

    return raw_lists(reader_for(path).read(Path(path)), vocab or Vocabulary.load())


def read_raw(path: str | os.PathLike[str], vocab: Vocabulary | None = None) -> RawList:
    """Read a document that holds one list into a ``RawList``."""
    return only_list(read_lists(path, vocab), path)


def only_list(lists: list[RawList], path: str | os.PathLike[str]) -> RawList:
    """The one list of a file; a file of several lists is an error naming them."""
    if len(lists) > 1:
        parts = ", ".join(raw.part for raw in lists)
        raise ListFormatError(
            str(path),
            None,
            _("one list; the file holds {count} ({parts}): load it whole").format(
                count=len(lists), parts=parts
            ),
        )
    return lists[0]


def decode(data: bytes, path: str) -> str:
    """Bytes of a text document as str: UTF-16 (Excel's "Unicode 文本"), UTF-8 (with or without
    BOM), else GBK/GB18030.

    Raises ``ListFormatError`` for binary data or text in no known encoding.

    >>> decode("序号".encode("gbk"), "x.txt")
    '序号'
    >>> decode(b"\\xef\\xbb\\xbfabc", "x.txt")
    'abc'
    >>> decode("序号\\t名称".encode("utf-16"), "x.txt")
    '序号\\t名称'
    """
    if not data.strip():
        raise ListFormatError(path, None, _("a duty list; the file is empty"))
    utf16 = _utf16_encoding(data)
    if utf16:
        try:
            return data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError as err:
            raise ListFormatError(
                path,
                f"byte {err.start}",
                _("UTF-16 text ({encoding}); found an odd number of bytes").format(encoding=utf16),
            ) from err
    nul = data.find(b"\x00")
    if nul != -1:
        odd, even = data[1:4096:2].count(0), data[0:4096:2].count(0)
        if max(odd, even) >= 8 and min(odd, even) * 4 < max(odd, even):  # ASCII, every 2nd byte
            raise ListFormatError(
                path,
                None,
                _(
                    "UTF-16 text with a byte order mark, or UTF-8; this looks like UTF-16 "
                    "without one"
                ),
            )
        raise ListFormatError(path, f"byte {nul}", _("a text file; found binary data (a NUL byte)"))
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
        raise ListFormatError(
            path, None, _("a text file in UTF-8 or GBK; found control characters")
        )
    line = data.count(b"\n", 0, furthest.start) + 1
    bad = data[furthest.start : furthest.start + 4].hex(" ")
    raise ListFormatError(
        path,
        f"line {line}, byte {furthest.start}",
        _("a text file in UTF-8 or GBK; found bytes {bad} that neither decodes").format(bad=bad),
    )


def _utf16_encoding(data: bytes) -> str | None:
    """'utf-16' for text with a UTF-16 byte order mark, 'utf-16-le'/'-be' for BOM-less UTF-16.

    Without a BOM, UTF-16 shows as NUL bytes in every other position (ASCII tabs, digits, line
    ends), at even offsets for big-endian and odd ones for little-endian.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 16 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # ASCII (tabs, digits, line ends) puts a NUL in every other byte; an ideograph rarely does
    if odd >= 8 and even * 4 < odd:
        return "utf-16-le"
    if even >= 8 and odd * 4 < even:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, CR and LF in more than 1% of the text."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(text) // 100)


def zip_member_reader(path: Path, head: bytes, suffixes: set[str], member: str) -> bool:
    """Whether a file is an Office zip package of one kind: by its ``member``
    (``xl/workbook.xml``, ``word/document.xml``), whatever its suffix says (a workbook renamed
    ``.docx`` is a workbook); a damaged package by its suffix (its reader says what is wrong)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return path.suffix.lower() in suffixes


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
