"""The one exception hierarchy of dutygraph.

The library raises these with the offending value in the message; the CLI turns every
``DutygraphError`` into one line on stderr and a non-zero exit (see ``cli.main``).
"""

from __future__ import annotations

from .i18n import gettext as _
from .i18n import place

__all__ = [
    "BackendError",
    "DutygraphError",
    "ExportError",
    "InputFileError",
    "ListFormatError",
    "LoadFailedError",
    "QueryRefusedError",
    "ReviewError",
    "StoreError",
    "UnknownListError",
    "UnknownMatterError",
    "UnknownNameError",
    "VocabularyError",
]


class DutygraphError(Exception):
    """Root of every error a user can cause; never raised for a bug."""

    exit_code = 1


class ListFormatError(DutygraphError):
    """A document is not a duty list we can read, or a row or cell breaks the format.

    The place and the frame of the message are in the current language (the caller
    translates ``expected``):

    >>> import os; os.environ["DUTYGRAPH_LANG"] = "en"
    >>> str(ListFormatError("a.txt", "line 7", "5 tab-separated cells, found 3"))
    'a.txt, line 7: expected 5 tab-separated cells, found 3'
    >>> os.environ["DUTYGRAPH_LANG"] = "zh_CN"
    >>> str(ListFormatError("a.txt", "line 7", "5 个单元格，实际为 3 个"))
    'a.txt, 第 7 行：应为5 个单元格，实际为 3 个'
    """

    exit_code = 2

    def __init__(self, path: str, where: str | None, expected: str) -> None:
        self.path = str(path)
        self.where = where
        self.expected = expected
        at = f"{self.path}, {place(where)}" if where else self.path
        super().__init__(_("{place}: expected {expected}").format(place=at, expected=expected))

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str]]:
        """Pickled with its three parts (a worker process raises it, the CLI reports it)."""
        return (type(self), (self.path, self.where, self.expected))


class LoadFailedError(DutygraphError):
    """A file of a load failed; its reason was made where it was read (in a worker process)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        self.exit_code = exit_code
        super().__init__(message)


class InputFileError(DutygraphError):
    """An input file cannot be read at all: missing, not a regular file, too large."""

    exit_code = 2


class VocabularyError(DutygraphError):
    """A vocabulary or mapping file (departments, headings, rules) is malformed."""

    exit_code = 2


class StoreError(DutygraphError):
    """The local store is missing, unreadable or of another version."""


class UnknownListError(DutygraphError):
    """A ``--list`` value names no list in the store."""


class UnknownMatterError(DutygraphError):
    """A matter number names no matter in the chosen list(s)."""


class UnknownNameError(DutygraphError):
    """A department, actor, list or matter name matches none, or (``ambiguous``) several, of
    the candidates."""

    def __init__(self, message: str, *, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


class BackendError(DutygraphError):
    """The Neo4j (Bolt) backend failed: server down, wrong password, unknown database, bad query."""


class QueryRefusedError(BackendError):
    """A query or a parameter refused before it is sent: a write through the read-only
    ``cypher`` command, or a value the server could not receive exactly."""

    exit_code = 2


class ExportError(DutygraphError):
    """An export or report cannot be written (unwritable path, a sheet too large for Excel)."""


class ReviewError(DutygraphError):
    """A review workbook or CSV cannot be read (not xlsx/csv, no header row of column names)."""

    exit_code = 2
