"""The local store: one SQLite file holding every loaded list's tidy tables.

Why SQLite: it is one file an analyst can copy or mail, it ships with Python (nothing to
install on an intranet machine), a load is one transaction (an interrupted load leaves the
store as it was), and with indexes on ``list_id``/``matter_id`` it holds a province's lists
(~1,500 towns, 150,000 matters, millions of duty rows: a few GB) and reads one list's rows
in milliseconds. pandas reads and writes it directly.

>>> import tempfile, os
>>> store = Store(os.path.join(tempfile.mkdtemp(), "t.db"))
>>> store.list_ids()
[]
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import messages as msg
from .errors import InputFileError, StoreError
from .safe_io import file_kind
from .selection import Selection, select_lists
from .tables import (
    CORRECTION_KEY,
    LIST_TABLES,
    TABLE_COLUMNS,
    TABLE_SCHEMAS,
    ListIdentity,
    ListTables,
)

if TYPE_CHECKING:  # pandas is imported when a table is read, not when the CLI starts
    import pandas as pd

__all__ = ["DEFAULT_STORE", "Store", "default_store_path", "store_error"]

DEFAULT_STORE = "dutygraph.db"
#: The store's schema version (``PRAGMA user_version``); ``_MIGRATIONS`` takes older stores to it.
SCHEMA_VERSION = 6

_INDEXES = {
    "matters": ("list_id", "matter_id"),
    "categories": ("list_id",),
    "matter_departments": ("list_id", "matter_id", "department"),
    "duties": ("list_id", "matter_id"),
    "guarantees": ("list_id",),
    "handoffs": ("list_id", "matter_id"),
    "findings": ("list_id",),
    "unresolved": ("list_id",),
}


_PRIMARY_KEYS = {
    "departments": ", PRIMARY KEY (name)",
    "corrections": f", PRIMARY KEY ({', '.join(CORRECTION_KEY)})",
}


def default_store_path() -> str:
    """``$DUTYGRAPH_STORE`` if set, else ``./dutygraph.db``."""
    return os.environ.get("DUTYGRAPH_STORE") or DEFAULT_STORE


class Store:
    """A dutygraph store file. The constructor does no I/O; the file is created on first write."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path if path is not None else default_store_path())
        self._integrity_checked = False  # by the first load of this object (_check_integrity)

    # -- connection -------------------------------------------------------------------------
    @contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        """A connection to the store. ``create`` (``load``, ``review apply``): read-write, and
        the store is created when the file is missing or empty. Otherwise read-only: nothing in
        the file changes, and a store in a read-only folder still reads. A file that is not a
        dutygraph store is refused untouched; every SQLite failure is one line saying what it
        is."""
        _check_regular_file(self.path, missing_ok=create)
        try:
            conn = self._open_writable() if create else self._open_read_only()
        except (OSError, sqlite3.Error) as err:
            raise store_error(self.path, err) from err
        try:
            self._check_identity(conn, create=create)
            if create:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                self._ensure_schema(conn)
            yield conn
        except sqlite3.Error as err:
            raise store_error(self.path, err) from err
        finally:
            conn.close()

    def _open_writable(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for place, what in ((self.path, "文件不可写"), (self.path.parent, "文件夹不可写")):
            if place.exists() and not os.access(place, os.W_OK):
                raise StoreError(msg.STORE_READ_ONLY.format(path=self.path, detail=what))
        return sqlite3.connect(self.path, isolation_level=None)

    def _open_read_only(self) -> sqlite3.Connection:
        """A connection that cannot write (``query_only``), on a file and folder that may be
        written: the last connection to close removes the ``-wal`` and ``-shm`` files beside
        the store, which a ``mode=ro`` one cannot. Else ``mode=ro``; in a read-only folder
        SQLite cannot make the WAL index of a WAL-mode file, so there the file is opened
        ``immutable`` (nobody can write it there either)."""
        if os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK):
            conn = sqlite3.connect(self.path, isolation_level=None)
            conn.execute("PRAGMA query_only = ON")
            return conn
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as err:
            if not _errorname(err).startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
            conn.close()
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
        return conn

    def _check_identity(self, conn: sqlite3.Connection, *, create: bool) -> None:
        """Refuse, before anything is written, a file that is not a store of this version."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == SCHEMA_VERSION and "lists" in tables:
            return
        if 0 < version < SCHEMA_VERSION and "lists" in tables:
            if not create:
                self._upgrade(version)
            return  # an older store of ours: _ensure_schema migrates it
        if version == 0 and not tables:
            if create:
                return  # a new store: the file was missing or empty
            raise StoreError(msg.STORE_EMPTY.format(path=self.path))
        if version <= SCHEMA_VERSION:
            raise StoreError(msg.STORE_FOREIGN.format(path=self.path))
        raise StoreError(
            msg.STORE_VERSION.format(path=self.path, version=version, expected=SCHEMA_VERSION)
        )

    def _upgrade(self, version: int) -> None:
        """Migrate an older store before a read (the one write a read command makes, and only
        to a dutygraph store); a read-only one says how to upgrade it."""
        if not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
            raise StoreError(
                msg.STORE_OLD_READ_ONLY.format(
                    path=self.path, version=version, expected=SCHEMA_VERSION
                )
            )
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                self._ensure_schema(conn)
            finally:
                conn.close()
        except sqlite3.Error as err:
            raise store_error(self.path, err) from err

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        """Create the tables of a new store, or add those a version-1 store lacks."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN")
        if version:  # an older store: each step in order, in one transaction
            try:
                for step in range(version, SCHEMA_VERSION):
                    _MIGRATIONS[step](conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        for table, columns in TABLE_SCHEMAS.items():
            cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
            conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{table}" ({cols}{_PRIMARY_KEYS.get(table, "")})'
            )
        for table, indexed in _INDEXES.items():
            for col in indexed:
                conn.execute(
                    f'CREATE INDEX IF NOT EXISTS "ix_{table}_{col}" ON "{table}" ("{col}")'
                )
        _add_answers(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")

    # -- writing ----------------------------------------------------------------------------
    def save_list(self, tables: ListTables) -> None:
        """Write one list's tables, replacing an earlier load of the same list, in one
        transaction."""
        self.save_lists([tables])

    def save_lists(self, many: Iterable[ListTables]) -> None:
        """Write several lists in one transaction: all of them land, or none does.

        ``many`` may be a generator: each list is written as it comes (a province's lists are
        never all in memory at once). Two of them with one list id are refused. A store this
        call created is removed again when the load fails (only ``load`` creates one, and only
        with its lists in it).
        """
        fresh = not self.path.exists()
        try:
            with self._connect(create=True) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    self._write_lists(conn, many)
                except BaseException:
                    if conn.in_transaction:  # SQLite rolls back by itself on a full disk
                        conn.execute("ROLLBACK")
                    raise
        except BaseException:
            if fresh:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    with suppress(OSError):
                        Path(f"{self.path}{suffix}").unlink()
            raise

    def _write_lists(self, conn: sqlite3.Connection, many: Iterable[ListTables]) -> None:
        sources: dict[str, str] = {}
        for tables in many:
            _refuse_duplicate_list(sources, tables)
            self._write_list(conn, tables)
        self._check_integrity(conn)
        conn.execute("COMMIT")

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        """``PRAGMA integrity_check`` inside the load's transaction: a store that fails it
        takes no load (the transaction is rolled back). Once per ``Store``: a folder's files
        are each one transaction, and checking the whole store after each made a province's
        load quadratic (the check reads every page)."""
        if self._integrity_checked:
            return
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            detail = "; ".join(problems)
            raise StoreError(msg.STORE_INTEGRITY.format(path=self.path, detail=detail))
        self._integrity_checked = True

    def _write_list(self, conn: sqlite3.Connection, tables: ListTables) -> None:
        list_id = tables.list_id
        for table in LIST_TABLES:
            conn.execute(f'DELETE FROM "{table}" WHERE list_id = ?', (list_id,))
            frame = tables.table(table)
            self._insert(conn, table, frame)
        departments = tables.departments
        if len(departments):
            cols = TABLE_COLUMNS["departments"]
            conn.executemany(
                "INSERT INTO departments (name, level, in_vocabulary) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET level = excluded.level, "
                "in_vocabulary = excluded.in_vocabulary",
                _rows(departments, cols),
            )

    def save_corrections(self, corrections: pd.DataFrame) -> int:
        """Store analysts' decisions in one transaction; a decision on an edge already decided
        (same ``CORRECTION_KEY``) replaces the earlier one. Returns how many rows were written."""
        if corrections.empty:
            return 0
        cols = TABLE_COLUMNS["corrections"]
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        with self._connect(create=True) as conn:  # read-write (the store exists: apply read it)
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    f"INSERT OR REPLACE INTO corrections ({names}) VALUES ({marks})",
                    _rows(corrections, cols),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return len(corrections)

    def _insert(self, conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> None:
        if frame is None or not len(frame):
            return
        cols = TABLE_COLUMNS[table]
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise StoreError(f"table {table} lacks columns {missing} (a bug in the caller)")
        marks = ", ".join("?" for _ in cols)
        names = ", ".join(f'"{c}"' for c in cols)
        conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _rows(frame, cols))

    def save_answers(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        """Keep answers (``dutygraph.answers``): (question, list_id, group, code, rows as JSON)
        rows, replacing those kept for the same question and list, in one transaction. Any
        later write to a list's rows drops the answers of its group (triggers, schema 6)."""
        with self._connect(create=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO answers (question, list_id, grp, code, rows) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def kept_answers(
        self, questions: Sequence[str], list_ids: Sequence[str] | None, code: str
    ) -> list[tuple[str, str, str, str]]:
        """The kept (question, list_id, group, rows as JSON) of these questions and lists (None:
        all) that ``code`` computed."""
        sql = "SELECT question, list_id, grp, rows FROM answers WHERE code = ?"
        sql += f" AND question IN ({', '.join('?' for _ in questions)})"
        params = [code, *questions]
        if list_ids is not None:
            sql += f" AND list_id IN ({', '.join('?' for _ in list_ids)})"
            params += list(list_ids)
        with self._connect(create=False) as conn:
            return conn.execute(sql, params).fetchall()

    # -- reading ----------------------------------------------------------------------------
    def table(
        self,
        name: str,
        list_ids: Sequence[str] | None = None,
        *,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """One table as a DataFrame, optionally only the rows of some lists and some columns."""
        if name not in TABLE_COLUMNS:
            raise StoreError(f"no table {name!r}; tables are {', '.join(TABLE_COLUMNS)}")
        unknown = [c for c in columns or () if c not in TABLE_COLUMNS[name]]
        if unknown:
            raise StoreError(f"table {name!r} has no columns {unknown}")
        cols = ", ".join(f'"{c}"' for c in columns or TABLE_COLUMNS[name])
        sql = f'SELECT {cols} FROM "{name}"'
        params: list[str] = []
        if list_ids is not None and "list_id" in TABLE_COLUMNS[name]:
            sql += f" WHERE list_id IN ({', '.join('?' for _ in list_ids)})"
            params = list(list_ids)
        sql += " ORDER BY rowid"
        import pandas as pd

        with self._connect(create=False) as conn:
            self._check_columns(conn, name)
            try:
                frame = pd.read_sql_query(sql, conn, params=params)
            except pd.errors.DatabaseError as err:
                raise store_error(self.path, err.__cause__ or err) from err
        return frame

    def _check_columns(self, conn: sqlite3.Connection, name: str) -> None:
        """The table and its columns are there (SQLite would read a missing column's quoted
        name as a string)."""
        found = {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
        if not found:
            raise StoreError(msg.STORE_MISSING_PART.format(path=self.path, detail=f"表 {name}"))
        missing = [c for c in TABLE_COLUMNS[name] if c not in found]
        if missing:
            detail = f"表 {name} 的列 {', '.join(missing)}"
            raise StoreError(msg.STORE_MISSING_PART.format(path=self.path, detail=detail))

    def list_ids(self) -> list[str]:
        """The ids of the stored lists ([] when there is no store file yet)."""
        if not self.path.exists():
            return []
        with self._connect(create=False) as conn:
            return [r[0] for r in conn.execute("SELECT list_id FROM lists ORDER BY rowid")]

    def list_towns(self) -> list[tuple[str, str]]:
        """(list_id, town) of every list, in load order."""
        with self._connect(create=False) as conn:
            return conn.execute("SELECT list_id, town FROM lists ORDER BY rowid").fetchall()

    def latest_versions(self, list_ids: Sequence[str]) -> list[str]:
        """Of ``list_ids``, each town's latest version of each kind of list, in the order
        given: the highest version (a list with none is the oldest), of two alike the one
        loaded last. 卜尔汉图镇:配合, 卜尔汉图镇:配合:2025 and :2026 -> 卜尔汉图镇:配合:2026."""
        from .places import Place

        lists = self.table("lists", list_ids)
        if lists.empty:
            return []
        lists = lists.assign(
            place=[Place.of(row).key for row in lists.to_dict("records")],
            version=lists["version"].fillna(""),
            loaded_at=lists["loaded_at"].fillna(""),
        )
        newest = lists.sort_values(["version", "loaded_at"]).drop_duplicates(
            ["place", "kind"], keep="last"
        )
        keep = set(newest["list_id"])
        return [list_id for list_id in list_ids if list_id in keep]

    def resolve_lists(self, selector: Selection | str | Sequence[str] | None) -> list[str]:
        """The list ids that ``--list``, ``--district`` and ``--town`` select (a ``Selection``;
        a plain string is a ``--list`` value: a list id or a town). ``None`` selects every list.
        """
        return select_lists(self.table("lists"), selector, where=str(self.path))


# -- migrations -------------------------------------------------------------------------------
def _add_places(conn: sqlite3.Connection) -> None:
    """1 -> 2: lists carry province, city and district. A town read with the places above it
    (``杭州市临安区青石镇``) keeps its own name, and its list id, with every id built on it, is
    the one a new load gives (``临安区青石镇:配合``)."""
    from .places import Place
    from .vocabulary import Vocabulary

    present = {r[1] for r in conn.execute("PRAGMA table_info(lists)")}
    for level in ("province", "city", "district"):
        if level not in present:
            conn.execute(f"ALTER TABLE lists ADD COLUMN {level} TEXT")
    places = Vocabulary.load().places
    rows = conn.execute(
        "SELECT list_id, town, kind, version, province, city, district FROM lists"
    ).fetchall()
    for list_id, town, kind, version, *above in rows:
        given = Place(*(value or "" for value in above))
        place = places.complete(given.filled_from(places.split(town or "")))
        conn.execute(
            "UPDATE lists SET town = ?, province = ?, city = ?, district = ? WHERE list_id = ?",
            (place.town, place.province, place.city, place.district, list_id),
        )
        if place.town != town:
            _rename_town(conn, list_id, town, place.town)
        new_id = ListIdentity(place.town, kind, version or "", place).list_id
        if new_id != list_id:
            _rename_list(conn, list_id, new_id)


def _rename_town(conn: sqlite3.Connection, list_id: str, old: str, new: str) -> None:
    """The town's own name where its rows name it (duty owner, handoff ends)."""
    for table, column, kind in (
        ("duties", "owner", "owner_kind"),
        ("handoffs", "src", "src_kind"),
        ("handoffs", "dst", "dst_kind"),
    ):
        conn.execute(
            f'UPDATE "{table}" SET "{column}" = ? '
            f'WHERE list_id = ? AND "{column}" = ? AND "{kind}" = \'town\'',
            (new, list_id, old),
        )


def _rename_list(conn: sqlite3.Connection, old: str, new: str) -> None:
    """A list's id, and every id built on it (``old#3/t.1`` -> ``new#3/t.1``), in every table."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        if "list_id" not in columns:
            continue
        for column in [c for c in columns if c.endswith("_id") and c != "list_id"]:
            conn.execute(
                f'UPDATE "{table}" SET "{column}" = ? || substr("{column}", ?) '
                f'WHERE list_id = ? AND substr("{column}", 1, ?) = ?',
                (new, len(old) + 1, old, len(old), old),
            )
        conn.execute(f'UPDATE "{table}" SET list_id = ? WHERE list_id = ?', (new, old))


def _add_basis(conn: sqlite3.Connection) -> None:
    """3 -> 4: matters carry ``basis`` (the 依据 column of 基本 and 收回 lists; '' before)."""
    present = {r[1] for r in conn.execute("PRAGMA table_info(matters)")}
    if "basis" not in present:
        conn.execute("ALTER TABLE matters ADD COLUMN basis TEXT DEFAULT ''")


def _add_how(conn: sqlite3.Connection) -> None:
    """Version 3: each handoff says how it was found (``how``); the ``unresolved`` table is
    created with the others. Handoffs loaded before say ``explicit`` or ``implicit`` as their
    ``implicit`` flag did (load the list again for ``inferred``)."""
    columns = {row[1] for row in conn.execute('PRAGMA table_info("handoffs")')}
    if "how" not in columns:  # an earlier step may have rebuilt the table with it
        conn.execute('ALTER TABLE handoffs ADD COLUMN "how" TEXT')
    conn.execute(
        "UPDATE handoffs SET how = CASE WHEN implicit = 1 THEN 'implicit' ELSE 'explicit' END "
        "WHERE how IS NULL"
    )


def _add_corrections(conn: sqlite3.Connection) -> None:
    """4 -> 5: the analysts' decisions (``dutygraph review apply``) get their table."""
    columns = TABLE_SCHEMAS["corrections"]
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS corrections ({cols}{_PRIMARY_KEYS['corrections']})")


def _answers_follow(conn: sqlite3.Connection) -> None:
    """5 -> 6: nothing to change in the tables; ``_add_answers`` runs after every table exists
    (a trigger needs its table)."""


def _add_answers(conn: sqlite3.Connection) -> None:
    """Schema 6: the kept answers (``dutygraph.answers``) and the triggers that drop them when
    what they were computed from changes: a list's rows (its group's answers), a correction or
    a department's level (all of them)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS answers (question TEXT, list_id TEXT, grp TEXT, code TEXT, "
        "rows TEXT, PRIMARY KEY (question, list_id))"
    )
    conn.execute('CREATE INDEX IF NOT EXISTS "ix_answers_list_id" ON answers (list_id)')
    stale = "DELETE FROM answers WHERE grp IN (SELECT grp FROM answers WHERE list_id IN ({}))"
    for table in LIST_TABLES:
        for event, ends in (
            ("INSERT", "NEW.list_id"),
            ("DELETE", "OLD.list_id"),
            ("UPDATE", "OLD.list_id, NEW.list_id"),
        ):
            conn.execute(
                f'CREATE TRIGGER IF NOT EXISTS "answers_{table}_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN {stale.format(ends)}; END'
            )
    for event in ("INSERT", "DELETE", "UPDATE"):
        conn.execute(
            f'CREATE TRIGGER IF NOT EXISTS "answers_corrections_{event.lower()}" '
            f"AFTER {event} ON corrections BEGIN DELETE FROM answers; END"
        )
    conn.execute(
        'CREATE TRIGGER IF NOT EXISTS "answers_departments_update" AFTER UPDATE ON departments '
        "WHEN OLD.name IS NOT NEW.name OR OLD.level IS NOT NEW.level "
        "OR OLD.in_vocabulary IS NOT NEW.in_vocabulary BEGIN DELETE FROM answers; END"
    )
    conn.execute(
        'CREATE TRIGGER IF NOT EXISTS "answers_departments_delete" AFTER DELETE ON departments '
        "BEGIN DELETE FROM answers; END"
    )


#: ``_MIGRATIONS[v]`` takes a store of version ``v`` to ``v + 1``, inside the open transaction.
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _add_places,
    2: _add_how,
    3: _add_basis,
    4: _add_corrections,
    5: _answers_follow,
}


def _rows(frame: pd.DataFrame, cols: Sequence[str]) -> Iterator[tuple[object, ...]]:
    """The frame's rows as tuples of plain Python values (None for a missing value), for sqlite3.

    Column by column (``tolist`` turns numpy scalars into Python ones), not cell by cell.
    """
    columns = []
    for col in cols:
        series = frame[col]
        values = series.tolist()
        missing = series.isna()
        if missing.any():
            values = [None if gap else v for v, gap in zip(values, missing.tolist(), strict=True)]
        columns.append(values)
    return zip(*columns, strict=True)


# -- failures -------------------------------------------------------------------------------------
def _check_regular_file(path: Path, *, missing_ok: bool) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if missing_ok:
            return
        raise StoreError(msg.STORE_MISSING.format(path=path)) from None
    except OSError as err:
        raise store_error(path, err) from err
    if not stat.S_ISREG(mode):
        raise StoreError(msg.STORE_NOT_FILE.format(path=path, what=file_kind(mode)))


def _errorname(err: BaseException) -> str:
    return str(getattr(err, "sqlite_errorname", "") or "")


def store_error(path: Path, err: BaseException) -> StoreError:
    """One line saying what an SQLite or file-system failure on the store is, and what to do."""
    detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if isinstance(err, OSError):
        return StoreError(msg.STORE_OS.format(path=path, detail=err.strerror or detail))
    name = _errorname(err)
    kinds = [
        (("SQLITE_BUSY", "SQLITE_LOCKED"), msg.STORE_LOCKED),
        (("SQLITE_READONLY",), msg.STORE_READ_ONLY),
        (("SQLITE_FULL",), msg.STORE_DISK_FULL),
        (("SQLITE_NOTADB",), msg.STORE_NOT_SQLITE),
        (("SQLITE_CORRUPT",), msg.STORE_DAMAGED),
        (("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"), msg.STORE_OS),
    ]
    for prefixes, template in kinds:
        if name.startswith(prefixes):
            return StoreError(template.format(path=path, detail=detail))
    if detail.startswith(("no such table", "no such column")):
        return StoreError(msg.STORE_MISSING_PART.format(path=path, detail=f" {detail}"))
    return StoreError(msg.STORE_SQLITE.format(path=path, detail=detail))


def _refuse_duplicate_list(sources: dict[str, str], tables: ListTables) -> None:
    """Two files of one load that are the same list would replace each other silently."""
    source = str(tables.lists["source_file"].iloc[0]) if len(tables.lists) else "?"
    if tables.list_id in sources:
        raise InputFileError(
            msg.DUPLICATE_LIST.format(
                first=sources[tables.list_id], second=source, list_id=tables.list_id
            )
        )
    sources[tables.list_id] = source
