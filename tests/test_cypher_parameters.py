"""Parameters reach the server as values, never as Cypher: FalkorDB pastes them into the query
text, so every string, map key and number is escaped or refused (issue 13, point 1)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutygraph.cli import cli
from dutygraph.errors import BackendError, DutygraphError, QueryRefusedError
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.cypher_safety import (
    MAX_PARAMETER_DEPTH,
    check_parameters,
    falkordb_parameters,
)

#: The issue's attack: a map key that closes the map literal and empties the graph.
ATTACK_KEY = "k: 1} MATCH (n) DETACH DELETE n RETURN 1 AS m //"
ATTACKS: list[Any] = [
    {ATTACK_KEY: 1},
    {"outer": [{ATTACK_KEY: "x"}]},
    {"k": "'}) MATCH (n) DETACH DELETE n //"},
    {"k\\": 1, "'": "\\'", "a b": {"c: d": ["e' MATCH (n) DELETE n //"]}},
    ["x', y: 1}) MATCH (n) DETACH DELETE n //", {"`": 1}],
    "\\' MATCH (n) DETACH DELETE n //",
]


def _seed(driver: Any, database: str) -> int:
    driver.execute_query(
        "UNWIND range(1, 5) AS i CREATE (:Probe {i: i})-[:NEXT]->(:Probe {i: -i})",
        database_=database,
    )
    return _node_count(driver, database)


def _node_count(driver: Any, database: str) -> int:
    return int(
        driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=database).records[0]["c"]
    )


def _same(sent: Any, got: Any) -> bool:
    """Equal, and of the same JSON type at every depth (1 is not True, 1.0 is not 1)."""
    if isinstance(sent, (list, tuple)):
        return isinstance(got, list) and len(sent) == len(got) and all(map(_same, sent, got))
    if isinstance(sent, dict):
        return (
            isinstance(got, dict)
            and sent.keys() == got.keys()
            and all(_same(v, got[k]) for k, v in sent.items())
        )
    if isinstance(sent, float) and isinstance(got, float):
        return sent == got and math.copysign(1, sent) == math.copysign(1, got)
    return type(sent) is type(got) and sent == got


def _echo(driver: Any, database: str, value: Any) -> Any:
    frame = nb.run_read(driver, "RETURN [$value] AS value", {"value": value}, database=database)
    return frame["value"].tolist()[0][0]


# -- the attack and its variants, live -------------------------------------------------------------
live = pytest.mark.neo4j


@live
@pytest.mark.parametrize("value", ATTACKS, ids=range(len(ATTACKS)))
def test_an_injection_through_a_parameter_leaves_the_graph_and_comes_back_equal(
    neo4j_driver, bolt_database, value
) -> None:
    before = _seed(neo4j_driver, bolt_database)
    try:
        echoed = _echo(neo4j_driver, bolt_database, value)
    except QueryRefusedError as err:
        assert "\n" not in str(err)
        assert "`" in json.dumps(value)  # only a backquote in a key is refused here
    else:
        assert _same(value, echoed)
    assert _node_count(neo4j_driver, bolt_database) == before


@live
def test_the_issues_attack_through_the_cli_leaves_the_graph(
    bolt_server, neo4j_driver, bolt_database, monkeypatch
) -> None:
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    before = _seed(neo4j_driver, bolt_database)
    result = CliRunner().invoke(
        cli,
        ["cypher", "RETURN $m AS m", "--param", f"m={json.dumps({ATTACK_KEY: 1})}"]
        + ["--format", "json", "--uri", bolt_server.uri, "--database", bolt_database],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"m": {ATTACK_KEY: 1}}]
    assert _node_count(neo4j_driver, bolt_database) == before


# -- what cannot be carried exactly is refused in one line -----------------------------------------
def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (2**63, "64 位整数"),
        (-(2**63) - 1, "64 位整数"),
        ("a\ud800b", "代理字符"),
        ({"k\udfff": 1}, "代理字符"),
        (_nested(MAX_PARAMETER_DEPTH + 1), f"嵌套超过 {MAX_PARAMETER_DEPTH} 层"),
        (b"bytes", "不支持 bytes"),
    ],
)
def test_values_no_server_takes_exactly_are_refused_on_every_server(value, says) -> None:
    with pytest.raises(QueryRefusedError, match=says) as caught:
        check_parameters({"x": value})
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (0.1234567, "浮点数"),
        ({"a": [1e-7]}, r"a\[0\].*浮点数"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        ("a\x00b", "NUL"),
        ({"a`b": 1}, "反引号"),
    ],
)
def test_values_falkordb_cannot_carry_are_refused_with_where(value, says) -> None:
    with pytest.raises(QueryRefusedError, match=says) as caught:
        falkordb_parameters({"x": value})
    assert "\n" not in str(caught.value) and str(caught.value).startswith("参数 x")


def test_parameter_names_on_falkordb_are_plain_names() -> None:
    with pytest.raises(QueryRefusedError, match="参数名"):
        falkordb_parameters({"x=1, y": 1})


def test_every_key_is_backquoted_and_every_string_escaped_at_every_depth() -> None:
    escaped = falkordb_parameters({"m": {"a'": [{"b": "c'\\"}]}})
    assert escaped == {"m": {"`a'`": [{"`b`": "c\\'\\\\"}]}}


@pytest.mark.parametrize("value", [0.1, 123456.789, -0.0, 1e20, 1e300, 3.0, 0.0025])
def test_floats_falkordb_writes_exactly_pass(value) -> None:
    assert falkordb_parameters({"x": value}) == {"x": value}


# -- fuzz: arbitrary JSON, live --------------------------------------------------------------------
_keys = st.text(st.characters(exclude_categories=()), max_size=6)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(st.characters(exclude_categories=()), max_size=12)
)
JSON_VALUES = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=12,
)


@live
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=JSON_VALUES)
def test_any_json_parameter_comes_back_equal_or_is_refused_in_one_line(
    neo4j_driver, bolt_database, value
) -> None:
    if not _node_count(neo4j_driver, bolt_database):
        _seed(neo4j_driver, bolt_database)
    before = _node_count(neo4j_driver, bolt_database)
    try:
        echoed = _echo(neo4j_driver, bolt_database, value)
    except DutygraphError as err:
        assert isinstance(err, (QueryRefusedError, BackendError)) and "\n" not in str(err)
        assert "unknown error" not in str(err)  # refused before sending, not by the server
    else:
        assert _same(value, echoed), (value, echoed)
    assert _node_count(neo4j_driver, bolt_database) == before


# -- the command line: one line, never a traceback -------------------------------------------------
def test_deeply_nested_json_in_param_is_one_line_before_connecting() -> None:
    result = CliRunner().invoke(
        cli, ["cypher", "RETURN $m AS m", "--param", "m=" + "[" * 100_000 + "]" * 100_000]
    )
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "JSON 嵌套过深" in result.output


@live
@pytest.mark.parametrize("value", ["1" + "0" * 30, "[" * 40 + "]" * 40, "1e-9"])
def test_params_no_server_can_take_are_one_line_on_the_cli(
    bolt_server, bolt_database, monkeypatch, value
) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result = CliRunner().invoke(
        cli,
        ["cypher", "RETURN $m AS m", "--param", f"m={value}"]
        + ["--uri", bolt_server.uri, "--database", bolt_database],
    )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert len(result.output.strip().splitlines()) == 1 and "参数 m" in result.output
