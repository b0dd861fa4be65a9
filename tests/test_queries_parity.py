"""Every question answers the same, row for row, in networkx and in Cypher on a real Bolt server.

The graph of a store is pushed to FalkorDB (tests/support_bolt.py) and each question is run both
ways, with its default and other options; the frames must be equal as they are (no
normalisation: same columns, dtypes, values and row order). Two stores: the reference list, and
the reference list loaded twice (the second time as 第二镇), where departments are shared by two
lists and every answer has rows for both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli
from dutygraph.errors import DutygraphError
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.build import build_graph
from dutygraph.graphmodel.neo4j_backend.servers import absorb_dropped_handshakes
from dutygraph.queries import QUESTION_FUNCTIONS
from dutygraph.store import Store

pytestmark = pytest.mark.neo4j

TOWN, SECOND_TOWN = "卜尔汉图镇", "第二镇"

#: (question, positional args, options): the defaults and the options analysts change.
CASES: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
    ("escalations", (), {}),
    ("escalations", (), {"min_hops": 1}),
    ("escalations", (), {"min_hops": 1, "cutoff": 1}),
    ("escalations", (), {"min_hops": 3, "cutoff": 2}),
    ("escalations", (), {"reaches": "市"}),
    ("escalations", (), {"reaches": "city", "kind": "report"}),
    ("escalations", (), {"reaches": "区", "kind": "提级处置", "min_hops": 2}),
    ("escalations", (), {"reaches": "省"}),
    ("dependents", (), {}),
    ("dependents", (), {"by": "department"}),
    ("feedback-gaps", (), {}),
    ("feedback-gaps", (), {"closed": True}),
    ("feedback-gaps", (), {"sent_class": ("application", "case")}),
    ("feedback-gaps", (), {"sent_class": ("信息报送",)}),
    ("feedback-gaps", (), {"by": "department"}),
    ("feedback-gaps", (), {"by": "部门", "closed": True}),
    ("feedback-gaps", (), {"by": "department", "sent_class": ("unclassified",)}),
    ("workload", (), {}),
    ("support-gaps", (), {}),
    ("support-gaps", (), {"min_town_duties": 2, "min_escalations": 2}),
    ("support-gaps", (), {"min_town_duties": 9, "strong_kinds": ("personnel",)}),
    ("path", (TOWN, "市住房和城乡建设局"), {}),
    ("path", ("区人民武装部", TOWN), {}),
    ("path", (TOWN, "区住房和城乡建设局"), {"cutoff": 1}),
    ("path", ("村（社区）", TOWN), {}),
    ("path", ("村（社区）", "区农牧局"), {"cutoff": 3}),
    ("path", ("区农牧局", "市农牧局"), {}),
]

#: Cases whose answer on the reference list has no row (parity would prove nothing otherwise).
EMPTY_CASES = {
    ("escalations", (), (("cutoff", 2), ("min_hops", 3))),
    ("escalations", (), (("reaches", "省"),)),  # the reference list goes no higher than 市
}


def _case_id(case: tuple[str, tuple[str, ...], dict[str, Any]]) -> str:
    name, args, options = case
    return "-".join([name, *args, *(f"{k}={v}" for k, v in sorted(options.items()))])


def _key(case: tuple[str, tuple[str, ...], dict[str, Any]]) -> tuple[Any, ...]:
    name, args, options = case
    return (name, args, tuple(sorted(options.items())))


def _two_list_store(path: str) -> Store:
    runner = CliRunner()
    for extra in ([], ["--town", SECOND_TOWN]):
        result = runner.invoke(cli, ["load", str(REFERENCE_LIST), "--store", path, "-q", *extra])
        assert result.exit_code == 0, result.output
    return Store(path)


class Pushed:
    """A store, its graph, and that graph pushed to the Bolt server."""

    def __init__(self, store: Store, driver: Any, database: str, uri: str) -> None:
        self.store, self.driver, self.database, self.uri = store, driver, database, uri
        self.graph = build_graph(store)

    def both(
        self, name: str, *args: str, list_ids: list[str] | None = None, **options: Any
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        on_graph, on_server = QUESTION_FUNCTIONS[name]
        graph = self.graph if list_ids is None else build_graph(self.store, list_ids)
        expected = on_graph(graph, *args, **options)
        got = on_server(self.driver, *args, database=self.database, list_ids=list_ids, **options)
        return expected, got


_NUMBERS = itertools.count(1)


@pytest.fixture(scope="module", params=["reference", "two_lists"])
def pushed(
    request: pytest.FixtureRequest,
    bolt_server: Any,
    reference_store: Store,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Pushed]:
    """One push per store for the whole module (pushing is the slow part). FalkorDB 4.16 keeps
    one graph whatever the database name, so the server is emptied first, as bolt_database
    does, and the two stores are pushed one after the other."""
    if request.param == "reference":
        store = reference_store
    else:
        store = _two_list_store(str(tmp_path_factory.mktemp("two") / "dutygraph.db"))
    absorb_dropped_handshakes("127.0.0.1", bolt_server.bolt_port)
    bolt_server.reset()
    database = f"parity{next(_NUMBERS)}_{request.param}"
    driver = nb.connect(nb.ConnectionSettings(uri=bolt_server.uri, database=database))
    try:
        target = Pushed(store, driver, database, bolt_server.uri)
        # the push cuts its batches to what FalkorDB's Bolt endpoint takes (servers.FalkorDBServer)
        nb.push(driver, target.graph, database=database)
        yield target
    finally:
        nb.close(driver)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_networkx_and_cypher_answer_the_same_rows(pushed: Pushed, case) -> None:
    name, args, options = case
    expected, got = pushed.both(name, *args, **options)
    pd.testing.assert_frame_equal(got, expected)
    if _key(case) not in EMPTY_CASES:
        assert not expected.empty, "a case with no rows proves nothing"
    if len(pushed.store.list_ids()) == 2 and TOWN not in args and not expected.empty:
        if "town" in expected:
            assert set(expected["town"]) == {TOWN, SECOND_TOWN}
        else:  # a summary over the lists: the departments both towns hand things to
            assert expected["lists"].max() == 2


@pytest.mark.parametrize("name", [n for n in QUESTION_FUNCTIONS if n != "path"])
def test_cypher_reads_only_the_chosen_list(pushed: Pushed, name: str) -> None:
    list_id = pushed.store.list_ids()[-1]
    expected, got = pushed.both(name, list_ids=[list_id])
    pd.testing.assert_frame_equal(got, expected)
    assert set(expected["list_id"]) <= {list_id}  # (rows at all: the cases above)


def test_path_between_the_second_town_and_a_shared_department(pushed: Pushed) -> None:
    towns = pushed.store.table("lists")["town"].tolist()
    expected, got = pushed.both("path", towns[-1], "区住房和城乡建设局", cutoff=2)
    pd.testing.assert_frame_equal(got, expected)
    assert set(expected["town"]) == {towns[-1]}


def test_an_unknown_actor_is_the_same_error_both_ways(pushed: Pushed) -> None:
    messages = []
    for side in QUESTION_FUNCTIONS["path"]:
        with pytest.raises(DutygraphError) as err:
            if side is QUESTION_FUNCTIONS["path"][0]:
                side(pushed.graph, "区民政所", "区民政局")
            else:
                side(pushed.driver, "区民政所", "区民政局", database=pushed.database)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("没有名为 '区民政所' 的主体；是不是：")


def test_a_short_name_finds_the_same_actors_both_ways(pushed: Pushed) -> None:
    on_graph, on_server = QUESTION_FUNCTIONS["path"]
    expected = on_graph(pushed.graph, "卜尔汉图", "住建局")
    assert len(expected)
    found = on_server(pushed.driver, "卜尔汉图", "住建局", database=pushed.database)
    assert found.equals(expected)


def _cli(pushed: Pushed, *args: str, backend: str) -> str:
    env = {
        "NEO4J_URI": pushed.uri,
        "NEO4J_DATABASE": pushed.database,
        "NEO4J_PASSWORD": None,
        "NEO4J_USERNAME": None,
    }
    result = CliRunner().invoke(
        cli,
        [
            "query",
            *args,
            "--store",
            str(pushed.store.path),
            "--backend",
            backend,
            "--format",
            "csv",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_prints_the_same_escalations_csv_from_neo4j(pushed: Pushed) -> None:
    from_store = _cli(pushed, "escalations", backend="networkx")
    from_server = _cli(pushed, "escalations", backend="neo4j")
    assert from_server == from_store
    assert len(from_server.splitlines()) > 1


@pytest.mark.parametrize(
    "args",
    [
        ("escalations", "--reaches", "市", "--kind", "提级处置"),
        ("feedback-gaps", "--sent-class", "application,case", "--by", "department"),
        ("dependents", "--by", "部门"),
    ],
    ids=" ".join,
)
def test_cli_answers_the_new_options_the_same_from_neo4j(pushed: Pushed, args) -> None:
    from_server = _cli(pushed, *args, backend="neo4j")
    assert from_server == _cli(pushed, *args, backend="networkx")
    assert len(from_server.splitlines()) > 1


def test_cli_list_option_selects_the_same_list_on_the_server(pushed: Pushed) -> None:
    town = pushed.store.table("lists")["town"].tolist()[-1]
    args = ("feedback-gaps", "--closed", "--list", town)
    assert _cli(pushed, *args, backend="neo4j") == _cli(pushed, *args, backend="networkx")
