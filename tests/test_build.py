"""The networkx build: conventions, the way back to tables, scoped views."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from dutygraph.graphmodel.build import (
    GRAPH_TABLES,
    build_graph,
    graph_from_tables,
    tables_from_graph,
)
from dutygraph.graphmodel.schema import (
    HANDOFF_PROPERTIES,
    NODE_PROPERTIES,
    NodeLabel,
    RelType,
    department_node_id,
    town_node_id,
    village_node_id,
)
from dutygraph.graphmodel.scope import (
    category_subgraph,
    list_subgraph,
    matter_subgraph,
    town_subgraph,
)
from dutygraph.store import Store

ROUND_TRIP_KEYS = {
    "lists": ["list_id"],
    "categories": ["category_id"],
    "matters": ["matter_id"],
    "departments": ["name"],
    "matter_departments": ["matter_id", "position"],
    "duties": ["duty_id"],
    "guarantees": ["guarantee_id"],
    "handoffs": ["handoff_id"],
}


def _normalised(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.sort_values(keys, ignore_index=True)


@pytest.mark.parametrize("table", GRAPH_TABLES)
def test_tables_round_trip_through_the_graph(two_town_tables, table):
    back = tables_from_graph(graph_from_tables(two_town_tables))
    expected = two_town_tables[table]
    assert list(back[table].columns) == list(expected.columns)
    pd.testing.assert_frame_equal(
        _normalised(back[table], ROUND_TRIP_KEYS[table]),
        _normalised(expected, ROUND_TRIP_KEYS[table]),
    )


def test_nodes_carry_their_label_and_only_schema_properties(two_town_graph):
    for node, data in two_town_graph.nodes(data=True):
        label = NodeLabel(data["label"])
        assert set(data) - {"label"} <= set(NODE_PROPERTIES[label]), node
        assert all(v is not None for v in data.values()), node


def test_actors_one_town_one_village_per_town_and_shared_departments(two_town_graph):
    G = two_town_graph
    assert G.nodes[town_node_id("甲镇")] == {"label": "Town", "name": "甲镇", "level": "镇"}
    assert G.nodes[village_node_id("甲镇")] == {
        "label": "Village",
        "name": "村（社区）",
        "town": "甲镇",
        "level": "村",
    }
    assert G.has_edge(village_node_id("乙镇"), town_node_id("乙镇"), key="BELOW")
    dept = G.nodes[department_node_id("市住房和城乡建设局")]
    assert dept["level"] == "市" and dept["in_vocabulary"] is True
    lists_using_it = {
        d["list_id"] for _, _, d in G.in_edges(department_node_id("区住房和城乡建设局"), data=True)
    }
    assert lists_using_it == {"甲镇:配合", "乙镇:配合"}


def test_a_department_the_departments_table_lacks_gets_level_other(two_town_tables):
    tables = dict(two_town_tables)
    tables["departments"] = tables["departments"].iloc[0:0]
    G = graph_from_tables(tables)
    assert G.nodes[department_node_id("区民政局")]["level"] == "其他"
    assert G.nodes[department_node_id("区民政局")]["in_vocabulary"] is False


def test_handoff_edges_are_keyed_by_handoff_id_and_carry_the_town(two_town_graph, two_town_tables):
    G = two_town_graph
    handoffs = [
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if RelType(d["type"]).is_handoff
    ]
    assert sorted(k for _, _, k, _ in handoffs) == sorted(two_town_tables["handoffs"]["handoff_id"])
    for _, _, key, data in handoffs:
        assert data["handoff_id"] == key
        # reviewer and reviewed_at only on edges an analyst reviewed
        assert set(HANDOFF_PROPERTIES) - {"reviewer", "reviewed_at"} | {"town"} == set(data)
        assert data["town"] == data["list_id"].split(":")[0]


def test_structural_edges_are_keyed_by_their_type(two_town_graph):
    for _, _, key, data in two_town_graph.edges(keys=True, data=True):
        if not RelType(data["type"]).is_handoff:
            assert key == data["type"]


def test_the_graph_exports_to_graphml(two_town_graph, tmp_path):
    nx.write_graphml(two_town_graph, tmp_path / "g.graphml")
    assert (
        nx.read_graphml(tmp_path / "g.graphml").number_of_nodes()
        == two_town_graph.number_of_nodes()
    )


def test_a_handoff_in_an_unknown_matter_is_a_clear_error(two_town_tables):
    tables = dict(two_town_tables)
    tables["handoffs"] = tables["handoffs"].assign(matter_id="甲镇:配合#99")
    with pytest.raises(ValueError, match="matter '甲镇:配合#99'"):
        graph_from_tables(tables)


def test_a_table_without_its_id_column_is_a_clear_error(two_town_tables):
    tables = dict(two_town_tables)
    tables["duties"] = tables["duties"].drop(columns=["duty_id"])
    with pytest.raises(ValueError, match=r"duties lacks columns \['duty_id'\]"):
        graph_from_tables(tables)


def test_missing_tables_build_a_graph_without_them(two_town_tables):
    G = graph_from_tables({n: two_town_tables[n] for n in ("lists", "matters")})
    assert {d["label"] for _, d in G.nodes(data=True)} == {"List", "Town", "Village", "Matter"}


# -- scoped views ----------------------------------------------------------------------------
def test_a_list_view_holds_one_list_and_the_departments_it_uses(two_town_graph):
    view = list_subgraph(two_town_graph, "乙镇:配合")
    assert town_node_id("甲镇") not in view
    assert department_node_id("区住房和城乡建设局") in view
    assert department_node_id("区民政局") not in view
    assert {d["list_id"] for _, _, d in view.edges(data=True) if "list_id" in d} == {"乙镇:配合"}
    back = tables_from_graph(view)
    assert set(back["matters"]["number"]) == {1, 2, 3}
    assert set(back["handoffs"]["list_id"]) == {"乙镇:配合"}


def test_a_view_is_not_a_copy(two_town_graph):
    view = matter_subgraph(two_town_graph, "甲镇:配合#2")
    assert nx.is_frozen(view)
    two_town_graph.nodes["matter:甲镇:配合#2"]["name"] = "改名"
    assert view.nodes["matter:甲镇:配合#2"]["name"] == "改名"


def test_a_matter_view_reaches_actors_named_only_in_its_handoffs(two_town_graph):
    view = matter_subgraph(two_town_graph, "甲镇:配合#3")
    assert department_node_id("自治区住房和城乡建设厅") in view
    assert {d["matter_id"] for _, _, d in view.edges(data=True) if "matter_id" in d} == {
        "甲镇:配合#3"
    }
    assert village_node_id("甲镇") not in view  # no handoff of matter 3 touches the villages
    assert village_node_id("甲镇") in matter_subgraph(two_town_graph, "甲镇:配合#5")


def test_a_category_view_holds_its_matters_only(two_town_graph):
    view = category_subgraph(two_town_graph, "甲镇:配合", "安全生产")
    numbers = sorted(d["number"] for _, d in view.nodes(data=True) if d["label"] == "Matter")
    assert numbers == [3, 5]
    assert (
        category_subgraph(two_town_graph, "甲镇:配合", 3).number_of_nodes()
        == view.number_of_nodes()
    )


def test_a_town_view_equals_its_one_list(two_town_graph):
    town = town_subgraph(two_town_graph, "甲镇")
    one = list_subgraph(two_town_graph, "甲镇:配合")
    assert set(town.nodes) == set(one.nodes)
    assert set(town.edges(keys=True)) == set(one.edges(keys=True))


def test_views_of_unknown_scopes_raise_key_error(two_town_graph):
    with pytest.raises(KeyError):
        matter_subgraph(two_town_graph, "甲镇:配合#99")
    with pytest.raises(KeyError):
        list_subgraph(two_town_graph, "丙镇:配合")
    with pytest.raises(KeyError):
        category_subgraph(two_town_graph, "甲镇:配合", "不存在")


# -- from the store --------------------------------------------------------------------------
def test_build_graph_reads_the_chosen_lists_from_the_store(two_town_store):
    store = Store(two_town_store)
    both = build_graph(store)
    assert {d["list_id"] for _, d in both.nodes(data=True) if d["label"] == "List"} == {
        "甲镇:配合",
        "乙镇:配合",
    }
    one = build_graph(store, store.resolve_lists("乙镇"))
    assert town_node_id("甲镇") not in one
    assert department_node_id("区民政局") not in one


def test_a_town_endpoint_is_the_lists_own_town_whatever_the_row_calls_it(two_town_tables):
    tables = dict(two_town_tables)
    handoffs = tables["handoffs"].copy()
    handoffs.loc[handoffs["src_kind"] == "town", "src"] = "街镇"
    tables["handoffs"] = handoffs
    G = graph_from_tables(tables)
    assert "town:街镇" not in G
    assert G.out_degree(town_node_id("乙镇")) == graph_from_tables(two_town_tables).out_degree(
        town_node_id("乙镇")
    )


def test_an_unknown_handoff_type_is_a_clear_error(two_town_tables):
    tables = dict(two_town_tables)
    tables["handoffs"] = tables["handoffs"].assign(type="hands_to")
    with pytest.raises(ValueError, match="type 'hands_to'; expected one of reports_to"):
        graph_from_tables(tables)


def test_handoff_edges_name_their_matter_even_when_the_table_leaves_it_out(two_town_tables):
    tables = dict(two_town_tables)
    tables["handoffs"] = tables["handoffs"].drop(columns=["matter"])
    G = graph_from_tables(tables)
    assert (
        G.edges[town_node_id("乙镇"), department_node_id("区人民武装部"), "乙镇:配合#1/t.3/h1"][
            "matter"
        ]
        == 1
    )
