"""The Neo4j backend against a real Bolt server (FalkorDB, started by tests/support_bolt.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j.exceptions import Neo4jError
from support_bolt import BoltServer, free_port

from dutygraph.errors import BackendError
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.graphmodel.example import example_tables
from dutygraph.graphmodel.neo4j_backend import writes
from dutygraph.graphmodel.neo4j_backend.connection import backend_errors
from dutygraph.graphmodel.neo4j_backend.servers import FalkorDBServer, bolt_handshake_dropped
from dutygraph.graphmodel.schema import (
    NodeLabel,
    RelType,
    department_node_id,
    duty_node_id,
    list_node_id,
    matter_node_id,
    town_node_id,
    village_node_id,
)

pytestmark = pytest.mark.neo4j

TRICKY = "it's \"区'民政局\" `drop` {x: 1} $name \\t C:\\dir\\ 中文（社区） ${}"


def small_graph(department: str = "区民政局") -> nx.MultiDiGraph:
    """Two matters of one list, the town, its villages and two departments, with two parallel
    handoffs between the same pair (told apart by their keys)."""
    G = nx.MultiDiGraph()
    list_id = "示例镇:配合"
    town, village = town_node_id("示例镇"), village_node_id("示例镇")
    dept, army = department_node_id(department), department_node_id("区人民武装部")
    G.add_node(list_node_id(list_id), label="List", name="示例镇配合清单", list_id=list_id)
    G.add_node(town, label="Town", name="示例镇", level="镇")
    G.add_node(village, label="Village", name="村（社区）", town="示例镇", level="村")
    G.add_node(dept, label="Department", name=department, level="区", in_vocabulary=True)
    G.add_node(army, label="Department", name="区人民武装部", level="区", in_vocabulary=False)
    G.add_edge(town, list_node_id(list_id), key="PUBLISHES", type="PUBLISHES", list_id=list_id)
    G.add_edge(village, town, key="BELOW", type="BELOW")
    for number, lead in ((1, army), (2, dept)):
        matter_id = f"{list_id}#{number}"
        matter = matter_node_id(matter_id)
        G.add_node(matter, label="Matter", name=f"事项{number}", number=number, list_id=list_id)
        G.add_edge(matter, list_node_id(list_id), key="IN_LIST", type="IN_LIST", list_id=list_id)
        G.add_edge(town, matter, key="COOPERATES_ON", type="COOPERATES_ON", list_id=list_id)
        G.add_edge(lead, matter, key="LEADS", type="LEADS", position=1, list_id=list_id)
        duty = duty_node_id(f"{matter_id}/t/1")
        G.add_node(duty, label="Duty", name="配合职责1", text=f"上报{department}", number=1)
        G.add_edge(town, duty, key="HAS_DUTY", type="HAS_DUTY", matter_id=matter_id)
        G.add_edge(duty, matter, key="DUTY_OF", type="DUTY_OF", matter_id=matter_id)
        for k, rel in enumerate(("REPORTS_TO", "ESCALATES_TO"), start=1):
            handoff_id = f"{matter_id}/t/1/h{k}"
            G.add_edge(
                town,
                lead,
                key=handoff_id,
                type=rel,
                handoff_id=handoff_id,
                matter_id=matter_id,
                evidence="上报",
                start=0,
                end=2,
                implicit=False,
            )
        G.add_edge(
            lead,
            town,
            key=f"{matter_id}/d1/1/h1",
            type="FEEDS_BACK_TO",
            handoff_id=f"{matter_id}/d1/1/h1",
            matter_id=matter_id,
            evidence="反馈街镇",
        )
    return G


# -- the fixture ----------------------------------------------------------------------------
def test_fixture_starts_a_server_that_answers_and_stops_it_cleanly() -> None:
    server = BoltServer.start()
    workdir, pid = server.workdir, server.process.pid
    try:
        assert server.process.poll() is None
        assert server._redis_pings() and server._bolt_answers()
        driver = nb.connect(nb.ConnectionSettings(uri=server.uri, database="probe"))
        try:
            assert nb.run_read(driver, "RETURN 1 AS one", database="probe")["one"].tolist() == [1]
        finally:
            nb.close(driver)
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert not workdir.exists()
    assert not server._bolt_answers() and not server._redis_pings()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_bolt_database_starts_each_test_on_an_empty_server(neo4j_driver, bolt_database) -> None:
    assert nb.counts(neo4j_driver, bolt_database) == nb.GraphCounts({}, {})


def test_server_kind_is_detected_as_falkordb(neo4j_driver, bolt_database) -> None:
    assert nb.server_kind(neo4j_driver, bolt_database) is nb.ServerKind.FALKORDB


def test_close_leaves_no_dropped_handshake_behind(bolt_server, bolt_database) -> None:
    settings = nb.ConnectionSettings(uri=bolt_server.uri, database=bolt_database)
    for _ in range(2):
        driver = nb.connect(settings)
        nb.run_read(driver, "RETURN 1 AS one", database=bolt_database)
        nb.close(driver)
        assert not bolt_handshake_dropped("127.0.0.1", bolt_server.bolt_port, timeout=2)


# -- schema ---------------------------------------------------------------------------------
def test_ensure_schema_indexes_every_label_once(neo4j_driver, bolt_database) -> None:
    first = nb.ensure_schema(neo4j_driver, bolt_database)
    assert len(first) == len(NodeLabel)
    assert FalkorDBServer().id_indexes(neo4j_driver, bolt_database) == set(NodeLabel)
    assert nb.ensure_schema(neo4j_driver, bolt_database) == []


# -- push -----------------------------------------------------------------------------------
def test_pushing_twice_leaves_the_same_counts(neo4j_driver, bolt_database) -> None:
    G = small_graph()
    nb.ensure_schema(neo4j_driver, bolt_database)
    report = nb.push(neo4j_driver, G, database=bolt_database, batch_size=3)
    once = nb.counts(neo4j_driver, bolt_database)
    nb.push(neo4j_driver, G, database=bolt_database, batch_size=3)
    assert once == nb.graph_counts(G)
    assert nb.counts(neo4j_driver, bolt_database) == once
    assert (report.nodes, report.relationships) == (G.number_of_nodes(), G.number_of_edges())


def test_push_of_the_example_list_from_the_builder(neo4j_driver, bolt_database) -> None:
    G = graph_from_tables(example_tables())
    nb.ensure_schema(neo4j_driver, bolt_database)
    nb.push(neo4j_driver, G, database=bolt_database)
    nb.push(neo4j_driver, G, database=bolt_database)
    assert nb.counts(neo4j_driver, bolt_database) == nb.graph_counts(G)


def test_parallel_handoffs_between_one_pair_stay_apart(neo4j_driver, bolt_database) -> None:
    nb.push(neo4j_driver, small_graph(), database=bolt_database)
    keys = nb.run_read(
        neo4j_driver,
        "MATCH (:Town {id: $town})-[r]->(:Department {id: $dept}) "
        "RETURN type(r) AS type, r.key AS key "
        "ORDER BY key",
        {"town": town_node_id("示例镇"), "dept": department_node_id("区民政局")},
        database=bolt_database,
    )
    assert keys.to_dict("records") == [
        {"type": "REPORTS_TO", "key": "示例镇:配合#2/t/1/h1"},
        {"type": "ESCALATES_TO", "key": "示例镇:配合#2/t/1/h2"},
    ]


class _Interrupted(Exception):
    pass


def test_push_interrupted_after_some_batches_then_rerun_equals_one_clean_push(
    neo4j_driver, bolt_database
) -> None:
    G = small_graph()

    def stop_after_four(done: int, total: int) -> None:
        if done == 4:
            raise _Interrupted

    with pytest.raises(_Interrupted):
        nb.push(neo4j_driver, G, database=bolt_database, batch_size=2, on_batch=stop_after_four)
    # four committed batches: one per label, in label order, each under the batch size
    assert nb.counts(neo4j_driver, bolt_database) == nb.GraphCounts(
        {"Department": 2, "Duty": 2, "List": 1, "Matter": 2}, {}
    )
    nb.push(neo4j_driver, G, database=bolt_database, batch_size=2)
    assert nb.counts(neo4j_driver, bolt_database) == nb.graph_counts(G)


_PUSH_IN_A_CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[3])
    from dutygraph.graphmodel import neo4j_backend as nb
    from test_neo4j_backend import small_graph

    driver = nb.connect(nb.ConnectionSettings(uri=sys.argv[1], database=sys.argv[2]))

    def report(done, total):
        print(done, flush=True)
        sys.stdin.readline()  # wait for the parent: it kills us here, mid-push

    nb.push(driver, small_graph(), database=sys.argv[2], batch_size=1, on_batch=report)
    """
)


def test_push_killed_mid_way_then_rerun_equals_one_clean_push(
    bolt_server, neo4j_driver, bolt_database
) -> None:
    tests_dir = str(Path(__file__).resolve().parent)
    child = subprocess.Popen(
        [sys.executable, "-c", _PUSH_IN_A_CHILD, bolt_server.uri, bolt_database, tests_dir],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        for expected in ("1", "2", "3"):
            assert child.stdout.readline().strip() == expected
            if expected != "3":
                child.stdin.write("\n")
                child.stdin.flush()
        child.send_signal(signal.SIGKILL)  # mid-push, no clean-up of any kind
    finally:
        child.kill()
        child.wait()
    assert sum(nb.counts(neo4j_driver, bolt_database).nodes.values()) == 3
    nb.push(neo4j_driver, small_graph(), database=bolt_database)
    assert nb.counts(neo4j_driver, bolt_database) == nb.graph_counts(small_graph())


def test_push_refuses_a_graph_that_breaks_the_convention_before_writing(
    neo4j_driver, bolt_database
) -> None:
    G = small_graph()
    G.add_node("x:1", label="Person) DETACH DELETE (n", name="bad")
    with pytest.raises(ValueError, match="attribute 'label' must be one of"):
        nb.push(neo4j_driver, G, database=bolt_database)
    assert nb.counts(neo4j_driver, bolt_database) == nb.GraphCounts({}, {})


def test_push_splits_batches_to_fit_falkordb_and_keeps_the_server_up(
    bolt_server, neo4j_driver, bolt_database
) -> None:
    G = small_graph()
    long_text = "负责对辖区内有关情况进行排查，发现问题及时上报区有关部门。" * 30  # 2.6 KB each
    for _, attrs in G.nodes(data=True):
        if attrs["label"] == "Duty":
            attrs["text"] = long_text
    report = nb.push(neo4j_driver, G, database=bolt_database, batch_size=1000)
    assert report.transactions > len({a["label"] for _, a in G.nodes(data=True)})
    assert bolt_server.process.poll() is None
    texts = nb.run_read(
        neo4j_driver, "MATCH (d:Duty) RETURN d.text AS text", database=bolt_database
    )
    assert texts["text"].tolist() == [long_text, long_text]


def test_a_row_too_large_for_falkordb_is_refused_before_it_crashes_the_server(
    bolt_server, neo4j_driver, bolt_database
) -> None:
    G = small_graph()
    G.add_node("duty:huge", label="Duty", name="职责", text="上报" * 3000)
    with pytest.raises(BackendError, match="'duty:huge' 对 FalkorDB 的 Bolt 接口过大"):
        nb.push(neo4j_driver, G, database=bolt_database)
    with pytest.raises(BackendError, match="对 FalkorDB 的 Bolt 接口过大"):
        nb.run_read(neo4j_driver, "RETURN $x AS x", {"x": "a" * 5000}, database=bolt_database)
    assert bolt_server.process.poll() is None


# -- values reach Cypher only as parameters --------------------------------------------------
def test_tricky_values_reach_cypher_only_as_parameters(
    neo4j_driver, bolt_database, monkeypatch
) -> None:
    sent: list[str] = []
    write_batch = writes.write_batch

    def recording(tx, cypher, rows):
        sent.append(cypher)
        return write_batch(tx, cypher, rows)

    monkeypatch.setattr(writes, "write_batch", recording)
    G = small_graph(department=TRICKY)
    nb.push(neo4j_driver, G, database=bolt_database)
    assert sent and not any(TRICKY in text or "区民政局" in text for text in sent)

    dept = department_node_id(TRICKY)
    found = nb.run_read(
        neo4j_driver,
        "MATCH (d:Department {id: $id})-[:LEADS]->(m:Matter) "
        "RETURN d.name AS name, m.name AS matter",
        {"id": dept},
        database=bolt_database,
    )
    assert found.to_dict("records") == [{"name": TRICKY, "matter": "事项2"}]
    duty_text = nb.run_read(
        neo4j_driver, "MATCH (d:Duty) RETURN DISTINCT d.text AS text", database=bolt_database
    )
    assert duty_text["text"].tolist() == [f"上报{TRICKY}"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_string_parameter_round_trips(neo4j_driver, bolt_database, value: str) -> None:
    frame = nb.run_read(
        neo4j_driver, "RETURN $value AS value", {"value": value}, database=bolt_database
    )
    assert frame["value"].tolist() == [value]


# -- reads ----------------------------------------------------------------------------------
def test_run_read_keeps_return_order_and_columns_of_an_empty_result(
    neo4j_driver, bolt_database
) -> None:
    nb.push(neo4j_driver, small_graph(), database=bolt_database)
    frame = nb.run_read(
        neo4j_driver,
        "MATCH (m:Matter) RETURN m.number AS number, m.name AS name ORDER BY number",
        database=bolt_database,
    )
    assert list(frame.columns) == ["number", "name"]
    assert frame.to_dict("records") == [
        {"number": 1, "name": "事项1"},
        {"number": 2, "name": "事项2"},
    ]
    empty = nb.run_read(
        neo4j_driver,
        "MATCH (m:Matter {id: 'none'}) RETURN m.id AS id, m.name AS name",
        database=bolt_database,
    )
    assert empty.empty and list(empty.columns) == ["id", "name"]


def test_counts_match_the_graph_per_label_and_type(neo4j_driver, bolt_database) -> None:
    nb.push(neo4j_driver, small_graph(), database=bolt_database)
    got = nb.counts(neo4j_driver, bolt_database)
    assert got.nodes == {
        "Department": 2,
        "Duty": 2,
        "List": 1,
        "Matter": 2,
        "Town": 1,
        "Village": 1,
    }
    assert got.relationships[RelType.REPORTS_TO] == 2
    assert got.to_frame().columns.tolist() == ["kind", "name", "count"]


# -- errors: one line each ------------------------------------------------------------------
def _one_line(err: pytest.ExceptionInfo[BackendError]) -> str:
    message = str(err.value)
    assert "\n" not in message and message
    return message


@pytest.mark.usefixtures("english")
def test_a_server_that_is_down_is_one_line() -> None:
    settings = nb.ConnectionSettings(uri=f"bolt://127.0.0.1:{free_port()}", database="x")
    with pytest.raises(BackendError) as err:
        nb.connect(settings, connection_timeout=5)
    message = _one_line(err)
    assert message.startswith(f"cannot reach a Neo4j server at {settings.uri}")
    assert "Connection refused" in message


def test_a_wrong_password_is_one_line_and_never_shows_the_password(bolt_server) -> None:
    settings = nb.ConnectionSettings(
        uri=bolt_server.uri, username="analyst", password="not-the-password", database="x"
    )
    with pytest.raises(BackendError) as err:
        nb.connect(settings)
    message = _one_line(err)
    assert "wrong username or password" in message
    assert "not-the-password" not in message and "not-the-password" not in repr(settings)


@pytest.mark.usefixtures("english")
def test_an_unknown_database_is_one_line() -> None:
    # FalkorDB accepts any database name, so this is Neo4j's own error, as the driver builds it.
    error = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Database.DatabaseNotFound",
        message="Database does not exist. Database name: 'nope'.",
    )
    with pytest.raises(BackendError) as err, backend_errors(None, database="nope"):
        raise error
    assert _one_line(err) == (
        "database 'nope' does not exist on the server (set NEO4J_DATABASE or --database)"
    )


@pytest.mark.usefixtures("english")
def test_a_neo4j_syntax_error_keeps_only_its_first_line() -> None:
    error = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Statement.SyntaxError",
        message="Invalid input 'MATC': expected 'MATCH' (line 1, column 1 (offset: 0))\n"
        '"MATC (n) RETURN n"\n ^',
    )
    with pytest.raises(BackendError) as err, backend_errors(None):
        raise error
    assert _one_line(err).startswith("Cypher syntax error: Invalid input 'MATC'")


def test_bad_cypher_on_the_server_is_one_line(neo4j_driver, bolt_database) -> None:
    with pytest.raises(BackendError) as err:
        nb.run_read(neo4j_driver, "MATC (n) RETURN n", database=bolt_database)
    assert "refused" in _one_line(err)


@pytest.mark.usefixtures("english")
def test_a_uri_that_is_not_bolt_is_one_line() -> None:
    with pytest.raises(BackendError) as err:
        nb.connect(nb.ConnectionSettings(uri="http://localhost:7474"))
    assert "expected one of the schemes" in _one_line(err)


# -- settings -------------------------------------------------------------------------------
def test_settings_take_flags_over_env_and_an_empty_env_password_counts() -> None:
    env = {
        "NEO4J_URI": "neo4j+s://a.databases.neo4j.io",
        "NEO4J_USERNAME": "u",
        "NEO4J_PASSWORD": "",
        "NEO4J_DATABASE": "d",
    }
    got = nb.ConnectionSettings.from_env(env, uri="bolt://b:7687", database="other")
    assert (got.uri, got.username, got.password, got.database) == (
        "bolt://b:7687",
        "u",
        "",
        "other",
    )
    assert nb.ConnectionSettings.from_env({}).password is None
    assert nb.ConnectionSettings.from_env({}, password="p").password == "p"
