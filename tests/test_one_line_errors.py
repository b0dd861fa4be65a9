"""Every failure a user can cause is one line and a non-zero exit, never a traceback, and a
failed write leaves nothing half-written (issue 13, points 5, 6 and 7)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST, write_list

from dutygraph import safe_io
from dutygraph.cli import cli
from dutygraph.store import Store


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def one_line(result, exit_code: int | None = None) -> str:
    assert result.exit_code != 0, result.output
    if exit_code is not None:
        assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


# -- point 5: only regular files, and a cap --------------------------------------------------------
def test_a_device_is_refused_before_reading(tmp_path) -> None:
    line = one_line(invoke("load", "/dev/zero", "--store", tmp_path / "s.db"), 2)
    assert "不是普通文件（设备）" in line and not (tmp_path / "s.db").exists()


def test_a_pipe_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "list.txt"
    os.mkfifo(fifo)
    assert "管道" in one_line(invoke("lint", fifo), 2)


def usage_error(result) -> str:
    """click's own refusal of an argument: its usage lines and one error line, exit 2."""
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_folder_where_a_list_is_expected_is_refused(tmp_path) -> None:
    (tmp_path / "d.txt").mkdir()
    assert "文件夹" in usage_error(invoke("lint", tmp_path / "d.txt"))


def test_a_list_larger_than_the_cap_names_the_cap(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(safe_io, "MAX_INPUT_BYTES", 1000)
    line = one_line(invoke("load", REFERENCE_LIST, "--store", tmp_path / "s.db"), 2)
    assert "上限 1000 字节" in line


# -- point 6: outputs that cannot be written -------------------------------------------------------
OUTPUT_COMMANDS = [
    ["viz", "overview", "-o"],
    ["report", "-o"],
    ["export", "xlsx", "-o"],
    ["export", "graphml", "-o"],
    ["export", "cypher", "-o"],
]
#: The suffix each writes (findings 18: another is refused before any work).
SUFFIX = {"viz": ".html", "report": ".html", "xlsx": ".xlsx", "graphml": ".graphml"}


def suffix_of(command: list[str]) -> str:
    return SUFFIX.get(command[0]) or SUFFIX.get(command[1]) or ".cypher"


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: " ".join(c[:-1]))
@pytest.mark.parametrize("where", ["under a file", "name too long", "a folder"])
def test_an_output_that_cannot_be_written_is_one_line(
    reference_store, tmp_path, command, where
) -> None:
    (tmp_path / "file.txt").write_text("x")
    target = {
        "under a file": tmp_path / "file.txt" / f"out{suffix_of(command)}",
        "name too long": tmp_path / ("长" * 200 + suffix_of(command)),
        "a folder": tmp_path,
    }[where]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(*command, target, "--store", reference_store.path)
    if where == "a folder":
        assert "文件夹" in usage_error(result)
    else:
        assert str(target) in one_line(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing half-written


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: " ".join(c[:-1]))
def test_a_full_disk_leaves_the_earlier_file_and_no_partial_one(
    reference_store, tmp_path, monkeypatch, command
) -> None:
    target = tmp_path / f"out{suffix_of(command)}"
    target.write_text("earlier")
    real_replace = os.replace

    def disk_full(src, dst):
        Path(src).write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_io.os, "replace", disk_full)
    line = one_line(invoke(*command, target, "--store", reference_store.path))
    monkeypatch.setattr(safe_io.os, "replace", real_replace)
    assert "No space left on device" in line
    assert target.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: " ".join(c[:-1]))
def test_an_output_named_for_another_format_is_refused_naming_the_suffix(
    reference_store, tmp_path, command
) -> None:
    target = tmp_path / ("答复.pdf" if command[0] != "export" else "答复.csv")
    line = one_line(invoke(*command, target, "--store", reference_store.path), 1)
    assert line.startswith("错误：") and f"以 {suffix_of(command)} 结尾" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [*OUTPUT_COMMANDS, ["query", "workload", "-o"], ["matters", "-o"]],
    ids=lambda c: " ".join(c[:-1]),
)
def test_an_output_into_a_folder_that_does_not_exist_is_refused_and_no_folder_made(
    reference_store, tmp_path, command
) -> None:
    suffix = ".csv" if command[0] in ("query", "matters") else suffix_of(command)
    target = tmp_path / "typo" / "dir" / f"out{suffix}"
    line = one_line(invoke(*command, target, "--store", reference_store.path), 1)
    assert f"文件夹 {tmp_path / 'typo' / 'dir'} 不存在" in line
    assert list(tmp_path.iterdir()) == []


def test_a_store_under_a_file_is_one_line(tmp_path) -> None:
    (tmp_path / "file.txt").write_text("x")
    store = tmp_path / "file.txt" / "s.db"
    assert "s.db" in one_line(invoke("load", REFERENCE_LIST, "--store", store))
    assert "s.db" in one_line(invoke("lists", "--store", store))


# -- vocabulary files ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("handoff_rules.yaml", "verbs: [unclosed\n", "YAML"),
        ("list_format.yaml", "category_line: '([unclosed'\n", "正则表达式"),
        ("handoff_rules.yaml", "verbs: 5\n", "verbs 应是映射"),
        ("handoff_rules.yaml", "refusals: [1, 2]\n", "refusals[0] 应是文本"),
        ("departments.csv", b"\xff\xfe\x00\x01\x80\x81binary", "无法按 UTF-8 解码"),
        ("guarantees.yaml", b"\x89PNG\r\n\x1a\n\x00\x00", "无法按 UTF-8 解码"),
    ],
)
def test_a_malformed_vocabulary_file_is_one_line(tmp_path, name, content, says) -> None:
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    path = vocab / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    line = one_line(invoke("load", REFERENCE_LIST, "--store", tmp_path / "s.db", "--vocab", vocab))
    assert says in line
    assert not (tmp_path / "s.db").exists()


# -- evaluate's gold file --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "无法按 UTF-8 解码"),
        (b"matter,from,to\n1,a,b\n", "缺少列 src,dst,type"),
        (b'matter,src,dst,type\n1,"a,b\n', "CSV"),
    ],
)
def test_a_bad_gold_file_is_one_line(reference_store, tmp_path, content, says) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_bytes(content)
    line = one_line(invoke("evaluate", gold, "--store", reference_store.path), 2)
    assert says in line and "gold.csv" in line


# -- the server's URI ------------------------------------------------------------------------------
@pytest.mark.parametrize("uri", ["bolt://localhost:notaport", "bolt://[::1", "http://x:7474"])
def test_a_malformed_uri_is_one_line(uri) -> None:
    line = one_line(invoke("cypher", "RETURN 1 AS x", "--uri", uri, env={"NEO4J_PASSWORD": ""}))
    assert "URI" in line


def test_a_password_in_the_uri_is_never_printed() -> None:
    env = {"NEO4J_URI": "bolt://neo4j:s3cretpw@127.0.0.1:1", "NEO4J_PASSWORD": ""}
    line = one_line(invoke("cypher", "RETURN 1 AS x", env=env))
    assert "s3cretpw" not in line and "neo4j:***@127.0.0.1:1" in line


# -- point 7: one load, one file per list; encoding errors name line and byte ----------------------
def test_two_files_of_one_list_in_one_load_are_refused(tmp_path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(REFERENCE_LIST, copy)
    store = tmp_path / "s.db"
    load = ("load", REFERENCE_LIST, copy, "--store", store, "-q")
    line = one_line(invoke(*load, "--all-or-nothing"), 2)
    assert "卜尔汉图镇:配合" in line and "copy.txt" in line
    assert not store.exists() or Store(store).list_ids() == []
    result = invoke(*load)  # without it: the first loads, the second is reported
    assert result.exit_code == 2
    failed = [row for row in result.output.splitlines() if "copy.txt" in row and "失败" in row]
    assert len(failed) == 1 and "卜尔汉图镇:配合" in failed[0]
    assert Store(store).list_ids() == ["卜尔汉图镇:配合"]


@pytest.mark.usefixtures("english")
def test_an_undecodable_byte_names_its_line_and_byte(tmp_path) -> None:
    path = write_list(tmp_path / "bad.txt", ["一、测试（1项）", "1\t事项\t区民政局\t职责\t配合"])
    data = bytearray(path.read_bytes())
    at = data.index("\t事项\t".encode()) + 1
    data[at : at + 2] = b"\xff\xfe"
    path.write_bytes(bytes(data))
    line = one_line(invoke("lint", path), 2)
    assert f"line 5, byte {at}" in line


def test_utf16_text_is_read_not_called_binary(tmp_path) -> None:
    text = REFERENCE_LIST.read_text(encoding="utf-8")
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))  # Excel's "Unicode 文本": UTF-16 with a BOM
    result = invoke("load", path, "--store", tmp_path / "s.db", "-q")
    assert result.exit_code == 0, result.output
    assert "binary" not in result.output


def test_utf16_without_a_byte_order_mark_is_read_too(tmp_path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(REFERENCE_LIST.read_text(encoding="utf-8").encode("utf-16-le"))
    result = invoke("load", path, "--store", tmp_path / "s.db", "-q")
    assert result.exit_code == 0, result.output
    assert "binary" not in result.output


def test_a_password_in_the_settings_never_shows_in_their_repr() -> None:
    from dutygraph.graphmodel.neo4j_backend import ConnectionSettings

    assert "s3cret" not in repr(ConnectionSettings(uri="bolt://neo4j:s3cret@db:7687"))
