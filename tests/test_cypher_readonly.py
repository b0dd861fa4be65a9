"""`dutygraph cypher` is read-only on every server: a client-side check refuses updating
clauses before sending (FalkorDB ignores the read access mode; issue 13, point 2)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.errors import QueryRefusedError
from dutygraph.graphmodel.cypher_safety import refuse_writes

#: One query per updating clause, each of which FalkorDB runs when asked through Bolt.
WRITES = {
    "CREATE": "CREATE (n:Probe {i: 99}) RETURN n.i AS i",
    "create (lower case)": "create (n:Probe) return n",
    "MERGE": "MERGE (n:Probe {i: 100}) RETURN n.i AS i",
    "SET": "MATCH (n:Probe) SET n.x = 1 RETURN count(n) AS c",
    "ON CREATE SET": "MERGE (n:Probe {i: 1}) ON CREATE SET n.x = 1 RETURN n.i AS i",
    "DELETE": "MATCH (n:Probe)-[r]->() DELETE r RETURN count(*) AS c",
    "DETACH DELETE": "MATCH (n) DETACH DELETE n",
    "DETACH DELETE over lines and a comment": "MATCH (n)\n/* all */ DETACH\n  DELETE n",
    "REMOVE": "MATCH (n:Probe) REMOVE n.i RETURN count(n) AS c",
    "CREATE INDEX": "CREATE INDEX FOR (n:Probe) ON (n.i)",
    "DROP INDEX": "DROP INDEX FOR (n:Probe) ON (n.i)",
    "LOAD CSV": "LOAD CSV FROM 'file:///etc/hostname' AS row RETURN row",
    "FOREACH": "MATCH (n:Probe) WITH collect(n) AS ns FOREACH (m IN ns | SET m.y = 1)",
    "SET in a subquery": "MATCH (n:Probe) CALL { WITH n SET n.z = 1 } RETURN count(n) AS c",
    "a write after UNION": "RETURN 1 AS x UNION CREATE (n:Probe) RETURN 2 AS x",
    "CALL db.idx.fulltext.createNodeIndex": "CALL db.idx.fulltext.createNodeIndex('Probe', 'i')",
    "CALL db.idx.fulltext.drop": "CALL db.idx.fulltext.drop('Probe')",
    "CALL a backquoted write procedure": "CALL `db`.`idx`.fulltext.createNodeIndex('Probe', 'i')",
    "CALL GRAPH.DELETE": "CALL GRAPH.DELETE('falkordb')",
}

#: Reads whose strings, names and comments hold those words: they must still run.
READS = {
    "a string": "MATCH (n:Probe) WHERE n.name <> 'CREATE (x) DETACH DELETE n' RETURN count(n) AS c",
    "an escaped quote in a string": "RETURN 'it\\'s SET' AS x, \"a \\\" MERGE\" AS y",
    "a backquoted alias": "RETURN 1 AS `DELETE`",
    "map keys": "RETURN {set: 1, create: 2, `merge`: 3} AS m",
    "properties": "MATCH (n:Probe) RETURN n.set AS s, n.delete AS d LIMIT 1",
    "a comment": "RETURN 1 AS x // DETACH DELETE n",
    "a block comment": "RETURN /* CREATE (n) */ 1 AS x",
    "a parameter named like a clause": "RETURN $create AS x",
    "a read procedure": "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "a read subquery": "CALL { MATCH (n:Probe) RETURN n } RETURN count(n) AS c",
}


@pytest.mark.parametrize("query", WRITES.values(), ids=WRITES.keys())
def test_every_updating_clause_is_refused_in_one_line(query) -> None:
    with pytest.raises(QueryRefusedError, match="只运行只读查询") as caught:
        refuse_writes(query)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("query", READS.values(), ids=READS.keys())
def test_words_in_strings_names_and_comments_are_not_clauses(query) -> None:
    refuse_writes(query)


def test_the_refusal_names_line_and_column() -> None:
    with pytest.raises(QueryRefusedError, match="第 3 行第 3 列的 SET"):
        refuse_writes("MATCH (n)\nWITH n\n  SET n.a = 1")


@pytest.mark.parametrize("query", ["RETURN 'open", "RETURN `open", "RETURN 1 /* open"])
def test_an_unterminated_string_name_or_comment_is_one_line(query) -> None:
    with pytest.raises(QueryRefusedError, match="没有结束"):
        refuse_writes(query)


# -- live: FalkorDB would run every one of them ----------------------------------------------------
def _snapshot(driver: Any, database: str) -> tuple[Any, ...]:
    def rows(cypher: str) -> list[Any]:
        return [dict(r) for r in driver.execute_query(cypher, database_=database).records]

    return (
        rows("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.i"),
        rows("MATCH ()-[r]->() RETURN type(r) AS t, properties(r) AS p"),
        rows("CALL db.indexes() YIELD label, properties RETURN label, properties"),
    )


@pytest.fixture
def cypher_cli(bolt_server, bolt_database, neo4j_driver, monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    neo4j_driver.execute_query(
        "UNWIND range(1, 3) AS i CREATE (:Probe {i: i, name: 'p'})-[:NEXT]->(:Other {i: i})",
        database_=bolt_database,
    )

    def run(query: str):
        return CliRunner().invoke(
            cli,
            ["cypher", query, "--param", "create=1"]
            + ["--uri", bolt_server.uri, "--database", bolt_database],
        )

    return run


@pytest.mark.neo4j
@pytest.mark.parametrize("query", WRITES.values(), ids=WRITES.keys())
def test_cypher_refuses_each_write_on_falkordb_and_the_graph_is_unchanged(
    cypher_cli, neo4j_driver, bolt_database, query
) -> None:
    before = _snapshot(neo4j_driver, bolt_database)
    result = cypher_cli(query)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "只读" in result.output
    assert _snapshot(neo4j_driver, bolt_database) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("query", READS.values(), ids=READS.keys())
def test_cypher_still_runs_reads_holding_those_words(
    cypher_cli, neo4j_driver, bolt_database, query
) -> None:
    before = _snapshot(neo4j_driver, bolt_database)
    result = cypher_cli(query)
    assert result.exit_code == 0, result.output
    assert _snapshot(neo4j_driver, bolt_database) == before
