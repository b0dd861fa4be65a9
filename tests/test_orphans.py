"""``orphans``: departments a list names as responsible that have no duty and no handoff in it."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from support_graphs import ListBuilder, merge_tables

from dutygraph.cli import cli
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.scope import list_subgraph
from dutygraph.queries import QUESTIONS
from dutygraph.queries.orphans import ORPHAN_COLUMNS, orphans, orphans_cypher
from dutygraph.store import Store

CIVIL, FINANCE, WATER = "区民政局", "区财政局", "区水务局"


@pytest.fixture
def builders() -> tuple[ListBuilder, ListBuilder]:
    """甲镇 names 区财政局 in two matters and gives it nothing; 区水务局 only receives a report.
    乙镇 names 区财政局 too, with a duty there."""
    jia = ListBuilder("甲镇")
    jia.matter(1, "低保审核", [CIVIL, FINANCE]).duty(1, CIVIL, "负责审核。")
    jia.matter(2, "临时救助", [FINANCE])
    jia.matter(3, "河道巡查", [WATER]).handoff(3, "甲镇", WATER, "reports_to", "上报区水务局")
    yi = ListBuilder("乙镇")
    yi.matter(1, "低保审核", [FINANCE]).duty(1, FINANCE, "负责资金拨付。")
    return jia, yi


@pytest.fixture
def lists(builders) -> dict[str, pd.DataFrame]:
    return merge_tables(*builders)


def test_a_department_named_with_nothing_to_do_is_an_orphan_of_that_list_only(lists):
    found = orphans(graph_from_tables(lists))
    assert list(found.columns) == list(ORPHAN_COLUMNS)
    assert found.to_dict("records") == [
        {
            "list_id": "甲镇:配合",
            "town": "甲镇",
            "department": FINANCE,
            "level": "区",
            "matters": 2,
            "matter_list": "1,2",
        }
    ]


def test_a_handoff_or_a_duty_in_the_list_is_enough_to_not_be_an_orphan(lists):
    departments = set(orphans(graph_from_tables(lists))["department"])
    assert WATER not in departments  # only receives the town's report
    assert CIVIL not in departments  # has a duty


def test_it_answers_on_the_graph_of_what_it_reads_as_on_the_whole_graph(builders, tmp_path):
    store = Store(tmp_path / "dutygraph.db")
    store.save_lists([builder.list_tables() for builder in builders])
    lean = build_graph(store, tables=QUESTIONS["orphans"].reads)
    pd.testing.assert_frame_equal(orphans(lean), orphans(build_graph(store)))
    assert not orphans(lean).empty


def test_a_list_view_answers_for_that_list(lists):
    G = graph_from_tables(lists)
    assert orphans(list_subgraph(G, "乙镇:配合")).empty
    assert orphans(list_subgraph(G, "甲镇:配合"))["department"].tolist() == [FINANCE]


def test_the_registry_gives_it_a_command_and_a_place_in_the_reports(builders, tmp_path):
    assert QUESTIONS["orphans"].in_reports
    store = tmp_path / "dutygraph.db"
    Store(store).save_lists([builder.list_tables() for builder in builders])
    result = CliRunner().invoke(cli, ["query", "orphans", "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        ",".join(ORPHAN_COLUMNS),
        '甲镇:配合,甲镇,区财政局,区,2,"1,2"',
    ]


@pytest.mark.neo4j
def test_the_cypher_twin_answers_the_same_rows(lists, neo4j_driver, bolt_database):
    graph = graph_from_tables(lists)
    nb.push(neo4j_driver, graph, database=bolt_database)
    got = orphans_cypher(neo4j_driver, database=bolt_database)
    pd.testing.assert_frame_equal(got, orphans(graph))
    one = orphans_cypher(neo4j_driver, database=bolt_database, list_ids=["乙镇:配合"])
    assert one.empty
