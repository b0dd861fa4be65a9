"""Many lists at once: the files under folders, named or matched by globs, parsed in parallel.

``list_files`` finds the files; ``parse_files`` reads each into its lists (one a sheet for a
workbook of several), in worker processes when there is more than one file and more than one
core, and yields one ``Outcome`` per file in the order given: the lists it holds, or the
one-line reason it failed. A bad file never stops the others; what to do with the failures
(report them, or write nothing) is the caller's choice.

>>> [p.name for p in list_files(["data"])]
['000_5b382267ef9e6b6d.txt']
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path

import pandas as pd

from .errors import DutygraphError, InputFileError, ListFormatError, LoadFailedError
from .i18n import gettext as _
from .store import Store
from .tables import Given, ListTables

__all__ = [
    "LIST_SUFFIXES",
    "Outcome",
    "list_files",
    "skipped_files",
    "skipped_rows",
    "outcome_rows",
    "outcomes_table",
    "parse_files",
    "store_outcomes",
    "LoadResult",
    "StoredList",
]

#: the suffixes a folder is searched for
LIST_SUFFIXES = (
    ".txt", ".tsv", ".csv", ".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm", ".pdf",
)  # fmt: skip


@dataclass
class Outcome:
    """What became of one file: its lists, or why it failed."""

    path: str
    lists: list[ListTables] = field(default_factory=list)
    error: str = ""  # one line naming the file, the row or cell, and what was expected
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return not self.error

    def without_repeats(self, seen: dict[str, str]) -> Outcome:
        """This outcome, failed when a list of it was already loaded from another file of the
        same load (``seen``: list id -> file; updated): the two would replace each other."""
        from . import messages as msg

        for tables in self.lists:
            if tables.list_id in seen:
                error = f"{self.path}: " + msg.DUPLICATE_LIST.format(
                    first=seen[tables.list_id], second=self.path, list_id=tables.list_id
                )
                return Outcome(self.path, error=error, exit_code=2)
        seen.update((tables.list_id, self.path) for tables in self.lists)
        return self

    @property
    def reason(self) -> str:
        """The error without the file's name it starts with (the table names the file)."""
        for lead in (f"{self.path}: ", f"{self.path}, "):
            if self.error.startswith(lead):
                return self.error[len(lead) :]
        return self.error


def list_files(inputs: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The files ``inputs`` name: files as given, folders searched (with their subfolders) for
    files with a list's suffix, no suffix, or content a reader recognises, glob patterns
    (``lists/*.xlsx``, ``**/*.pdf``) expanded. In the order given, each folder's and pattern's files
    sorted, each file once.

    A name that is neither a file, a folder nor a pattern matching something is an error, and
    so is a folder holding no list file.
    """
    found: list[Path] = []
    for item in map(str, inputs):
        path = Path(item)
        if path.is_dir():
            in_folder = [p for p in _folder_files(path) if _is_list_file(p)]
            if not in_folder:
                raise InputFileError(
                    _("{folder}: the folder holds no list file (looked for {suffixes})").format(
                        folder=item, suffixes=" ".join(LIST_SUFFIXES)
                    )
                )
            found += in_folder
        elif path.exists() or not glob.has_magic(item):
            found.append(path)  # a missing file fails on its own, with the others loaded
        else:
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matches:
                raise ListFormatError(item, None, _("files matching the pattern; none matches"))
            found += matches
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def skipped_files(inputs: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The files under the folders of ``inputs`` that ``list_files`` leaves out: neither a
    list's suffix, nor no suffix, nor content a reader recognises (a workbook, Word document or
    PDF saved under another name). Hidden files are not counted."""
    return [
        p
        for item in map(Path, inputs)
        if item.is_dir()
        for p in _folder_files(item)
        if not _is_list_file(p)
    ]


def _folder_files(folder: Path) -> list[Path]:
    """The regular files under ``folder`` and its subfolders, sorted, hidden ones left out."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _is_list_file(path: Path) -> bool:
    """Whether a file found in a folder is read: a list's suffix, no suffix (text, or a binary
    format its reader knows by content, as ``附件1`` saved without ``.xlsx``), or another suffix
    whose content a reader of a binary format recognises."""
    from .pipeline import binary_list_file

    return path.suffix.lower() in LIST_SUFFIXES or not path.suffix or binary_list_file(path)


def _parse_one(path: str, *, vocab_dir: str | None, given: Given | None) -> Outcome:
    """Read one file into its lists (in a worker process, or here)."""
    from .pipeline import load_lists
    from .vocabulary import Vocabulary

    vocab = Vocabulary.load(vocab_dir)  # cached per process
    try:
        return Outcome(path, load_lists(path, given=given, vocab=vocab))
    except DutygraphError as err:
        return Outcome(path, error=str(err), exit_code=err.exit_code)
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        # a damaged file a parser library trips over: one line, and the other files go on
        message = f"{path}: expected a readable duty list; reading it failed ({err})"
        return Outcome(path, error=message, exit_code=2)


def parse_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    vocab_dir: str | None = None,
    jobs: int | None = None,
    given: Given | None = None,
) -> Iterator[Outcome]:
    """One ``Outcome`` per file, in the order given, each as soon as it and those before it are
    read (the caller may store it and let it go).

    ``jobs``: worker processes (default: the cores, ``parallel.default_jobs``; at most one a
    file; 1 reads here, in this process). ``given`` overrides what each document says, as in
    ``load_lists``.
    """
    from .parallel import default_jobs

    names = [str(p) for p in paths]
    read = partial(_parse_one, vocab_dir=vocab_dir, given=given)
    jobs = min(default_jobs() if jobs is None else jobs, len(names))
    if jobs <= 1:
        yield from map(read, names)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(read, names, chunksize=_CHUNK)


#: Files handed to a worker at a time: enough to keep the pipe busy, few enough to stay in order.
_CHUNK = 4


def outcome_rows(outcome: Outcome) -> list[dict[str, object]]:
    """The rows ``outcomes_table`` shows for one file: one per list, or its failure."""
    if not outcome.ok:
        return [{"file": outcome.path, "status": "failed", "reason": outcome.reason}]
    return [
        {
            "file": outcome.path,
            "status": "loaded",
            "list_id": tables.list_id,
            "matters": len(tables.matters),
            "duties": len(tables.duties),
            "handoffs": len(tables.handoffs),
        }
        for tables in outcome.lists
    ]


def skipped_rows(paths: Sequence[Path]) -> list[dict[str, object]]:
    """The rows ``outcomes_table`` shows for files of a folder that were not read."""
    reason = _("not a duty list dutygraph reads (by its suffix or its content)")
    return [{"file": str(p), "status": "skipped", "reason": reason} for p in paths]


def outcomes_table(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """What became of each file of a load, from ``outcome_rows`` and ``skipped_rows``: one row
    per list loaded, per file that failed and per file of a folder that was skipped."""
    columns = ["file", "status", "list_id", "matters", "duties", "handoffs", "reason"]
    return pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns)


@dataclass(frozen=True)
class StoredList:
    """One list a load stored: its counts and its lint warnings and errors."""

    list_id: str
    matters: int
    categories: int
    duties: int
    handoffs: int
    warnings: pd.DataFrame  # the findings table's rows that are not info

    @classmethod
    def of(cls, tables: ListTables) -> StoredList:
        findings = tables.findings
        return cls(
            tables.list_id,
            len(tables.matters),
            len(tables.categories),
            len(tables.duties),
            len(tables.handoffs),
            findings[findings["severity"] != "info"],
        )

    def counts(self) -> dict[str, object]:
        """Its id and counts by name (``list_id``, ``matters``, ``categories`` …)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "warnings"}


@dataclass
class LoadResult:
    """What a load stored, and what became of each file (``outcome_rows``)."""

    stored: list[StoredList] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(row["status"] == "failed" for row in self.rows)


def same_file_lists(store: Store, list_ids: Sequence[str]) -> dict[str, list[str]]:
    """Of ``list_ids``, those whose list the store already holds under another list id: the
    same file (its sha256) and the same list in it (title, kind, version, matter count), as
    when one file is loaded with and without ``--district``; each with those ids. Loading
    again replaces a list only under the same id; these are second copies. (Two lists of one
    workbook share the file's sha256 but not their title or matters.)"""
    same = ["source_sha256", "title", "kind", "version", "matters"]
    lists = store.table("lists")[["list_id", *same]].fillna("")
    found: dict[str, list[str]] = {}
    for list_id in list_ids:
        mine = lists[lists["list_id"] == list_id]
        if mine.empty or not mine["source_sha256"].iloc[0]:
            continue
        alike = (lists[same] == mine[same].iloc[0]).all(axis=1)
        others = lists[alike & (lists["list_id"] != list_id)]
        if not others.empty:
            found[list_id] = others["list_id"].tolist()
    return found


def store_outcomes(store: Store, outcomes: Iterable[Outcome], *, all_at_once: bool) -> LoadResult:
    """Store the lists of each file's outcome as they come (the tables are not kept).

    ``all_at_once``: every list in one transaction, and the first file that failed raises its
    ``LoadFailedError`` with nothing stored. Otherwise one transaction a file: a file that failed,
    or whose list another file of this load already gave, is a failed row and the others load.
    """
    result = LoadResult()

    def stored(lists: Iterable[ListTables]) -> Iterator[ListTables]:
        for tables in lists:
            result.stored.append(StoredList.of(tables))
            yield tables

    if all_at_once:
        store.save_lists(stored(_lists_or_fail(outcomes, result.rows)))
        return result
    seen: dict[str, str] = {}  # list id -> the file that loaded it in this run
    for outcome in outcomes:
        outcome = outcome.without_repeats(seen)
        if outcome.ok:
            store.save_lists(stored(outcome.lists))
        result.rows += outcome_rows(outcome)
    return result


def _lists_or_fail(
    outcomes: Iterable[Outcome], rows: list[dict[str, object]]
) -> Iterator[ListTables]:
    """The lists of each file in turn; a file that failed raises its one-line error."""
    for outcome in outcomes:
        if not outcome.ok:
            raise LoadFailedError(outcome.error, outcome.exit_code)
        rows += outcome_rows(outcome)
        yield from outcome.lists
