"""`dutygraph neo4j push` and `dutygraph cypher` against the FalkorDB Bolt server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support_bolt import free_port

from dutygraph.cli import cli
from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.example import example_tables
from dutygraph.graphmodel.neo4j_backend import graph_counts
from dutygraph.store import Store
from dutygraph.tables import TABLE_COLUMNS, ListTables, empty_table

pytestmark = pytest.mark.neo4j


@pytest.fixture
def example_store(tmp_path) -> str:
    path = tmp_path / "example.db"
    tables = {n: f.reindex(columns=TABLE_COLUMNS[n]) for n, f in example_tables().items()}
    Store(path).save_list(ListTables(**tables, findings=empty_table("findings")))
    return str(path)


@pytest.fixture
def run(bolt_server, bolt_database, monkeypatch):
    """Invoke the CLI against the test server, with no NEO4J_* from the environment."""
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str, uri: str = bolt_server.uri, env: dict | None = None):
        return runner.invoke(cli, [*args, "--uri", uri, "--database", bolt_database], env=env or {})

    return invoke


@pytest.mark.usefixtures("english")
def test_push_twice_prints_the_same_counts_as_the_graph(run, example_store) -> None:
    first = run("neo4j", "push", "--store", example_store, "--format", "json")
    assert first.exit_code == 0, first.output
    second = run("neo4j", "push", "--store", example_store, "--format", "json")
    assert json.loads(second.stdout) == json.loads(first.stdout)
    expected = graph_counts(build_graph(Store(example_store)))
    assert {row["name"]: row["count"] for row in json.loads(first.stdout)} == {
        **expected.nodes,
        **expected.relationships,
    }
    assert "pushed" in first.stderr and "transactions" in first.stderr


def test_cypher_takes_values_only_as_parameters(run, example_store) -> None:
    assert run("neo4j", "push", "--store", example_store).exit_code == 0
    tricky = "区'民政局\" `x` {y}"
    result = run(
        "cypher",
        "MATCH (m:Matter) WHERE m.number = $n RETURN m.number AS number, $echo AS echo",
        "--param", "n=3",
        "--param", f"echo={tricky}",
        "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "number,echo"
    assert lines[1] == '3,"区\'民政局"" `x` {y}"'


def test_cypher_prints_nodes_as_plain_values(run, example_store) -> None:
    assert run("neo4j", "push", "--store", example_store).exit_code == 0
    G = graph_from_tables(example_tables())
    town = next(n for n, a in G.nodes(data=True) if a["label"] == "Town")
    result = run(
        "cypher", "MATCH (t:Town {id: $id}) RETURN t", "--param", f"id={town}", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    attrs = {k: v for k, v in G.nodes[town].items() if k != "label"}
    assert json.loads(result.stdout) == [{"t": {"labels": ["Town"], "id": town, **attrs}}]


@pytest.mark.usefixtures("english")
def test_a_bad_param_is_a_usage_error(run) -> None:
    result = run("cypher", "RETURN 1 AS one", "--param", "no-equals-sign")
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.output


@pytest.mark.usefixtures("english")
def test_bad_cypher_is_one_line_and_no_traceback(run) -> None:
    result = run("cypher", "MATC (n) RETURN n")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("english")
def test_a_server_that_is_down_is_one_line(run) -> None:
    result = run("cypher", "RETURN 1 AS one", uri=f"bolt://127.0.0.1:{free_port()}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach a Neo4j server at bolt://127.0.0.1:")
    assert result.stderr.count("\n") == 1


def test_an_empty_env_password_is_used_and_never_prompts(run) -> None:
    # CliRunner's stdin is no terminal: with NEO4J_PASSWORD set (even empty) nothing is asked.
    result = run("cypher", "RETURN 1 AS one", env={"NEO4J_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert "password" not in result.output.lower()


def test_a_wrong_env_password_is_one_line_without_the_password(run) -> None:
    result = run("cypher", "RETURN 1 AS one", env={"NEO4J_PASSWORD": "not-the-password"})
    assert result.exit_code == 1
    assert "not-the-password" not in result.output
    assert result.stderr.count("\n") == 1
