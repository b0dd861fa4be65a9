"""Only `load` creates a store; a foreign or read-only file is refused untouched or read
read-only; every SQLite failure says what it is (issue 13, point 4)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli
from dutygraph.store import Store, store_error

READ_COMMANDS = [
    ["lists"],
    ["matters"],
    ["handoffs"],
    ["explain", "3"],
    ["query", "escalations"],
    ["viz", "overview", "-o", "{tmp}/o.html"],
    ["report", "-o", "{tmp}/r.html"],
    ["export", "xlsx", "-o", "{tmp}/x.xlsx"],
]


def _run(args: list[str], store: Path, tmp: Path):
    args = [a.format(tmp=tmp) for a in args]
    return CliRunner().invoke(cli, [*args, "--store", str(store)])


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def loaded(tmp_path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    store = folder / "s.db"
    result = CliRunner().invoke(cli, ["load", str(REFERENCE_LIST), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def foreign(tmp_path) -> Path:
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "app.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [*READ_COMMANDS, ["load", str(REFERENCE_LIST)]])
def test_a_foreign_sqlite_file_is_refused_untouched(foreign, tmp_path, command) -> None:
    before = _fingerprint(foreign.parent)
    line = _one_line_error(_run(command, foreign, tmp_path))
    assert "其他程序的 SQLite 文件" in line
    assert _fingerprint(foreign.parent) == before  # no tables, no user_version, no WAL files


@pytest.mark.parametrize("command", READ_COMMANDS[:5])
def test_only_load_creates_a_store(tmp_path, command) -> None:
    line = _one_line_error(_run(command, tmp_path / "none.db", tmp_path))
    assert "没有 dutygraph 存储" in line and not (tmp_path / "none.db").exists()


def test_a_file_that_is_no_sqlite_is_refused_untouched(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database, just notes\n" * 50)
    before = path.read_bytes()
    for command in (["lists"], ["load", str(REFERENCE_LIST)]):
        assert "不是 SQLite 文件" in _one_line_error(_run(command, path, tmp_path))
    assert path.read_bytes() == before


def test_a_store_of_another_version_says_so(loaded, tmp_path) -> None:
    conn = sqlite3.connect(loaded)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    assert "结构版本是 7" in _one_line_error(_run(["lists"], loaded, tmp_path))


@pytest.mark.parametrize(
    ("command", "change"),
    [
        (["handoffs"], "DROP TABLE handoffs"),
        (["matters"], "ALTER TABLE matters DROP COLUMN category"),
    ],
)
def test_a_store_missing_a_table_or_column_is_one_line(loaded, tmp_path, command, change) -> None:
    conn = sqlite3.connect(loaded)
    conn.execute(change)
    conn.commit()
    conn.close()
    assert "存储缺少" in _one_line_error(_run(command, loaded, tmp_path))


def _corrupt(path: Path) -> None:
    """Overwrite the middle pages of a store with garbage (the header stays valid)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 7 * page):
        data[offset : offset + page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_a_damaged_store_says_damaged_and_a_load_into_it_does_not_report_success(
    loaded, tmp_path
) -> None:
    _corrupt(loaded)
    assert "损坏" in _one_line_error(_run(["handoffs"], loaded, tmp_path))
    result = _run(["load", str(REFERENCE_LIST), "-q"], loaded, tmp_path)
    line = _one_line_error(result)
    assert "loaded" not in result.output and "载入" not in result.output
    assert "integrity_check" in line


def test_a_load_into_a_store_failing_integrity_check_is_rolled_back(loaded, tmp_path) -> None:
    # two indexes of one table swap their pages: every row is readable, the check fails
    conn = sqlite3.connect(loaded)
    pages = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type='index'"))
    a, b = "ix_categories_list_id", "ix_findings_list_id"
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET rootpage=? WHERE name=?", (pages[b], a))
    conn.execute("UPDATE sqlite_master SET rootpage=? WHERE name=?", (pages[a], b))
    conn.commit()
    conn.close()
    rows_before = sqlite3.connect(loaded).execute("SELECT count(*) FROM lists").fetchone()
    other = tmp_path / "other.txt"
    other.write_text(REFERENCE_LIST.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(["load", str(other), "--town", "另一镇", "-q"], loaded, tmp_path)
    assert "integrity_check" in _one_line_error(result) or "损坏" in result.output
    assert sqlite3.connect(loaded).execute("SELECT count(*) FROM lists").fetchone() == rows_before


def test_a_locked_store_says_try_again(loaded, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sqlite3, "connect", _quick(sqlite3.connect))
    holder = sqlite3.connect(loaded, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = _one_line_error(_run(["load", str(REFERENCE_LIST), "-q"], loaded, tmp_path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "锁定" in line and "稍后再试" in line


def _quick(connect):
    def quick(*args, **kwargs):
        kwargs["timeout"] = 0.2
        return connect(*args, **kwargs)

    return quick


def test_a_full_disk_says_disk_full_and_leaves_the_store(loaded, tmp_path, monkeypatch) -> None:
    before = Store(loaded).table("lists")
    opened = Store._open_writable

    def small_disk(self):
        conn = opened(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    monkeypatch.setattr(Store, "_open_writable", small_disk)
    other = tmp_path / "other.txt"
    other.write_text(REFERENCE_LIST.read_text(encoding="utf-8"), encoding="utf-8")
    line = _one_line_error(_run(["load", str(other), "--town", "另一镇", "-q"], loaded, tmp_path))
    assert "磁盘已满" in line
    assert Store(loaded).table("lists").equals(before)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("SQLITE_BUSY", "锁定"),
        ("SQLITE_READONLY_DIRECTORY", "只读"),
        ("SQLITE_FULL", "磁盘已满"),
        ("SQLITE_CORRUPT", "integrity_check"),
        ("SQLITE_NOTADB", "不是 SQLite"),
    ],
)
def test_each_sqlite_failure_is_named(name, says) -> None:
    err = sqlite3.OperationalError("something")
    err.sqlite_errorname = name
    assert says in str(store_error(Path("s.db"), err))


# -- a read-only folder: reads work, load says read-only -------------------------------------------
def _in_read_only_folder(folder: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``folder`` read-only: a read-only bind mount when we are root (root
    ignores file modes), else the folder's and its files' modes."""
    command = [sys.executable, "-m", "dutygraph.cli", *args]
    if os.geteuid() == 0:
        if not shutil.which("unshare"):
            pytest.skip("root without unshare: cannot make a folder read-only")
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, str(folder), *command]
    else:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o755)
    if "mount" in done.stderr and "ermission" in done.stderr:
        pytest.skip(f"no read-only bind mount here: {done.stderr.strip()}")
    return done


def test_a_store_in_a_read_only_folder_reads_and_refuses_a_load(loaded) -> None:
    folder = loaded.parent
    before = _fingerprint(folder)
    read = _in_read_only_folder(folder, ["lists", "--store", str(loaded), "--format", "csv"])
    assert read.returncode == 0, read.stderr
    assert "卜尔汉图镇:配合" in read.stdout
    load = _in_read_only_folder(folder, ["load", str(REFERENCE_LIST), "--store", str(loaded)])
    assert load.returncode != 0 and "Traceback" not in load.stderr
    assert "只读" in load.stderr, load.stderr
    assert _fingerprint(folder) == before


def test_an_output_into_a_read_only_folder_is_one_line(loaded, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["export", "cypher", "-o", str(out / "g.cypher"), "--store", str(loaded)]
    done = _in_read_only_folder(out, args)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "无法写入" in done.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", READ_COMMANDS[:4], ids=lambda c: " ".join(c))
def test_the_store_is_one_file_again_when_a_command_ends(loaded, tmp_path, command) -> None:
    assert sorted(p.name for p in loaded.parent.iterdir()) == ["s.db"]  # after the load
    result = _run(command, loaded, tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in loaded.parent.iterdir()) == ["s.db"]  # no -wal, no -shm
