"""The one exception hierarchy of dutygraph.

The library raises these with the offending value in the message; the CLI turns every
``DutygraphError`` into one line on stderr and a non-zero exit (see ``cli.main``).
"""

from __future__ import annotations

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
    "VocabularyError",
]


class DutygraphError(Exception):
    """Root of every error a user can cause; never raised for a bug."""

    exit_code = 1


class ListFormatError(DutygraphError):
    """A document is not a duty list we can read, or a row or cell breaks the format.

    >>> str(ListFormatError("a.txt", "line 7", "5 tab-separated cells, found 3"))
    'a.txt, line 7: expected 5 tab-separated cells, found 3'
    """

    exit_code = 2

    def __init__(self, path: str, where: str | None, expected: str) -> None:
        self.path = str(path)
        self.where = where
        self.expected = expected
        place = f"{self.path}, {where}" if where else self.path
        super().__init__(f"{place}: expected {expected}")

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
