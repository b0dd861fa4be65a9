"""The fuzz layer (issue 13): hypothesis over the CLI's arguments, over list text, and over
``--param`` values against the live FalkorDB fixture. Whatever comes in: no traceback, exit code
0, 1 or 2, and the store (or the graph) unchanged after any failure."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: A smaller list for the loads: the reference list's first 30 lines (its first 12 matters).
SMALL_LIST = "\n".join(REFERENCE_LIST.read_text(encoding="utf-8").split("\n")[:30]) + "\n"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "small.txt").write_text(SMALL_LIST, encoding="utf-8")
    store = folder / "base.db"
    result = CliRunner().invoke(cli, ["load", str(folder / "small.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def _content(store: Path) -> str:
    """Every row of every table (not the file's bytes, which a checkpoint may rewrite)."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def _assert_clean(result: Any) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in result.output


# -- the CLI's arguments ---------------------------------------------------------------------------
_HOSTILE = st.sampled_from(
    ["", "-", "--", "=1+1", "'", '"', "\x1b[31m", "\u202e", "../../etc/passwd", "/dev/zero",
     "99999999999999999999", "-1", "0", "nan", "区民政局", "卜尔汉图镇", "卜尔汉图镇:配合",
     "%s%n", "{}", "$x", "`", "\\", "a" * 300]
)  # fmt: skip
_TEXT = _HOSTILE | st.text(max_size=20) | st.integers(-(2**70), 2**70).map(str)
_COMMANDS = st.sampled_from(
    [
        ["lists"],
        ["matters", "--category"],
        ["matters", "--department"],
        ["matters", "--list"],
        ["duties", "--matter"],
        ["handoffs", "--matter"],
        ["handoffs", "--type"],
        ["explain"],
        ["lint"],
        ["load"],
        ["evaluate"],
        ["query", "escalations", "--min-hops"],
        ["query", "escalations", "--cutoff"],
        ["query", "path", "卜尔汉图镇"],
        ["query", "support-gaps", "--strong-kinds"],
        ["query", "dependents", "--list"],
        ["viz", "matter"],
        ["viz", "department"],
        ["cypher", "--uri"],
        ["--format"],
        ["matters", "--format"],
    ]
)


@FUZZ
@given(command=_COMMANDS, values=st.lists(_TEXT, min_size=1, max_size=3))
def test_any_arguments_give_a_clean_exit_and_leave_the_store(base_store, command, values) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "s.db"
        shutil.copy(base_store, store)
        before = _content(store)
        args = [*command, *values, "--store", str(store)]
        if command[0] == "viz":
            args += ["-o", str(Path(folder) / "v.html")]
        if command[0] == "cypher":
            args = ["cypher", "RETURN 1 AS x", "--uri", *values]
        result = CliRunner().invoke(cli, args, env={"NEO4J_PASSWORD": ""})
        _assert_clean(result)
        # a folder load keeps the files that loaded and reports the others (exit 2)
        partial = result.exit_code == 2 and "已载入" in result.output
        assert _content(store) == before or (
            command == ["load"] and (result.exit_code == 0 or partial)
        )


# -- list text -------------------------------------------------------------------------------------
_LINES = SMALL_LIST.split("\n")
_CONTROLS = st.sampled_from(["\t", "\n", "\r", "\x00", "\x1b"])
_JUNK = st.text(st.characters(exclude_categories=("Cs",)) | _CONTROLS, max_size=30)


@st.composite
def mangled_lists(draw: st.DrawFn) -> bytes:
    """The small list with lines dropped, repeated or spliced with junk, in some encoding."""
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "splice", "replace"]))
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        else:
            junk = draw(_JUNK)
            cut = draw(st.integers(0, len(lines[at])))
            keep = lines[at][cut:] if action == "splice" else ""
            lines[at] = lines[at][:cut] + junk + keep
        if not lines:
            lines = [""]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=mangled_lists() | st.binary(max_size=200))
def test_any_list_text_loads_or_fails_in_one_line_and_leaves_the_store(base_store, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "s.db"
        shutil.copy(base_store, store)
        before = _content(store)
        path = Path(folder) / "list.txt"
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store), "-q"])
        _assert_clean(result)
        if result.exit_code != 0:
            assert len(result.output.strip().splitlines()) == 1, result.output
            assert _content(store) == before


# -- --param values against the live server --------------------------------------------------------
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**66), 2**66)
    | st.floats()
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=5), inner, max_size=3
        )
    ),
    max_leaves=8,
)
_PARAM_TEXT = _JSON.map(json.dumps) | st.text(max_size=20) | _HOSTILE


@pytest.mark.neo4j
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_PARAM_TEXT)
def test_any_param_value_on_falkordb_comes_back_or_is_refused_and_the_graph_stays(
    bolt_server, bolt_database, neo4j_driver, monkeypatch, text
) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    count = "MATCH (n) RETURN count(n) AS c"
    if not neo4j_driver.execute_query(count, database_=bolt_database).records[0]["c"]:
        neo4j_driver.execute_query(
            "UNWIND range(1, 4) AS i CREATE (:Probe {i: i})", database_=bolt_database
        )
    before = neo4j_driver.execute_query(count, database_=bolt_database).records[0]["c"]
    result = CliRunner().invoke(
        cli,
        ["cypher", "RETURN $p AS p", "--param", f"p={text}", "--format", "json"]
        + ["--uri", bolt_server.uri, "--database", bolt_database],
    )
    _assert_clean(result)
    if result.exit_code == 0:
        try:
            sent = json.loads(text)
        except ValueError:
            sent = text
        assert json.loads(result.stdout) == [{"p": sent}]
    else:
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert neo4j_driver.execute_query(count, database_=bolt_database).records[0]["c"] == before
