"""Diagrams that read at first glance, measured in headless Chromium (marker ``browser``).

Every view of the registry is drawn for the reference list and for a two-town store; the page
is asked for what it drew: each node's box (``network.getBoundingBox`` joined with its label's box),
each edge label's box (``labelModule.size``, where ``dutygraph.js`` placed it), the row
captions' boxes, and points along every edge (``edgeType.getPoint``). No label covers another
label, a node or a caption; no edge between two nodes of one row runs through a third node.
The overview stands in rows by level with fixed positions. Screenshots:
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from support_graphs import ListBuilder

from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.schema import RelType
from dutygraph.handoff_types import HandoffType
from dutygraph.i18n import gettext
from dutygraph.pipeline import load_list
from dutygraph.store import Store
from dutygraph.viz.layout import TOWN_RELATIONS
from dutygraph.viz.registry import VIEWS
from dutygraph.viz.render import render_html, save_html
from dutygraph.viz.views import render_view

pytestmark = pytest.mark.browser

REFERENCE_LIST = Path(__file__).resolve().parent.parent / "data" / "000_5b382267ef9e6b6d.txt"
#: Targets of the views that take one; matters 40 and 43 hand work between two 区 departments.
TARGETS = {"matter": ["29", "40", "43"], "department": ["区住房和城乡建设局"]}
TWO_TOWN_TARGETS = {"matter": ["1"], "department": ["区民政局"]}

#: What the page drew, in canvas coordinates.
DRAWN = """() => {
    const d = window.dutygraph, net = d.network;
    const box = (id, b) => ({id: id, left: b.left, top: b.top, right: b.right, bottom: b.bottom});
    const shown = d.nodes.get().filter(n => !n.hidden);
    const nodes = shown.map(n => Object.assign(box(n.id, d.nodeBox(n.id)),
        {x: net.getPositions([n.id])[n.id].x, y: net.getPositions([n.id])[n.id].y}));
    const labels = Object.values(net.body.edges)
        .filter(e => e.options.label && !d.edges.get(e.id).hidden)
        .map(e => { const s = e.labelModule.size;
            return {id: e.id, text: e.options.label, left: s.left, top: s.top,
                    right: s.left + s.width, bottom: s.top + s.height}; });
    const captions = d.captionBoxes().map(c => box("caption " + c.text, c));
    const edges = Object.values(net.body.edges).filter(e => !d.edges.get(e.id).hidden)
        .map(e => { const points = [];
            for (let t = 0.02; t < 0.985; t += 0.01) { const p = e.edgeType.getPoint(t);
                points.push([p.x, p.y]); }
            return {id: e.id, from: e.fromId, to: e.toId, points: points}; });
    return {nodes: nodes, labels: labels, captions: captions, edges: edges};
}"""


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def collisions(drawn: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of things drawn over each other: labels, nodes (with their labels), captions."""
    labels = [dict(item, id=f"label {item['text']!r}") for item in drawn["labels"]]
    things = [*labels, *drawn["nodes"], *drawn["captions"]]
    return [
        (a["id"], b["id"]) for i, a in enumerate(things) for b in things[i + 1 :] if overlaps(a, b)
    ]


def same_row_edges_through_nodes(drawn: dict[str, Any]) -> tuple[int, list[tuple[str, str, str]]]:
    """How many edges join two nodes of one row, and those that pass through a third node."""
    nodes = {node["id"]: node for node in drawn["nodes"]}
    same_row = [
        e
        for e in drawn["edges"]
        if e["from"] != e["to"] and abs(nodes[e["from"]]["y"] - nodes[e["to"]]["y"]) < 1
    ]
    through = []
    for edge in same_row:
        for node in nodes.values():
            if node["id"] in (edge["from"], edge["to"]):
                continue
            if any(
                node["left"] < x < node["right"] and node["top"] < y < node["bottom"]
                for x, y in edge["points"]
            ):
                through.append((edge["from"], edge["to"], node["id"]))
    return len(same_row), through


@pytest.fixture(scope="module")
def reference_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    store = Store(tmp_path_factory.mktemp("layout") / "reference.db")
    store.save_list(load_list(REFERENCE_LIST))
    return build_graph(store)


def specs(targets: dict[str, list[str]]) -> list[tuple[str, str | None]]:
    """Every view of the registry, with each of its targets."""
    return [(name, t) for name in VIEWS for t in targets.get(name, [None])]


def _drawn(open_diagram: Any, html: str, path: Path) -> tuple[Any, dict[str, Any]]:
    page = open_diagram(save_html(html, path))
    assert page.console_errors == []
    return page, page.evaluate(DRAWN)


@pytest.mark.parametrize(("view", "target"), specs(TARGETS))
def test_no_label_covers_a_label_a_node_or_a_caption_on_the_reference_list(
    reference_graph, open_diagram, tmp_path, view, target
):
    _, drawn = _drawn(open_diagram, render_view(reference_graph, view, target), tmp_path / "v.html")
    assert drawn["nodes"]
    assert collisions(drawn) == []
    _, through = same_row_edges_through_nodes(drawn)
    assert through == []


@pytest.mark.parametrize(("view", "target"), specs(TWO_TOWN_TARGETS))
def test_no_label_covers_another_thing_with_two_towns(
    two_town_graph, open_diagram, tmp_path, view, target
):
    html = render_view(two_town_graph, view, target)
    page = open_diagram(save_html(html, tmp_path / "v.html"))
    assert page.console_errors == []
    frames = page.page.frames[1:] or [page.page]  # matter N of two lists: a panel each
    for frame in frames:
        drawn = frame.evaluate(DRAWN)
        assert collisions(drawn) == []
        assert same_row_edges_through_nodes(drawn)[1] == []


def test_an_edge_along_a_row_bends_around_the_nodes_between_its_ends(open_diagram, tmp_path):
    nodes = [
        {"id": name, "label": name, "x": x, "y": 0, "node_type": "dept"}
        for name, x in (("区民政局", 0), ("区财政局", 200), ("区应急管理局", 400))
    ]
    edges = [
        {"from": "区民政局", "to": "区应急管理局", "label": "平级移交"},
        {"from": "区民政局", "to": "区财政局", "label": "上报"},
    ]
    html = render_html(nodes, edges, title="一行", layout="fixed")
    _, drawn = _drawn(open_diagram, html, tmp_path / "row.html")
    count, through = same_row_edges_through_nodes(drawn)
    assert count == 2 and through == []
    assert collisions(drawn) == []


def test_same_row_edges_of_the_reference_matters_are_checked(
    reference_graph, open_diagram, tmp_path
):
    # matter 43: 区自然资源分局 hands to 区应急管理局 and to 区政府, all three on the 区 row
    _, drawn = _drawn(
        open_diagram, render_view(reference_graph, "matter", "43"), tmp_path / "m.html"
    )
    count, through = same_row_edges_through_nodes(drawn)
    assert count >= 2 and through == []


def test_the_overview_stands_in_rows_by_level_grouped_by_relation_to_the_town(
    reference_graph, open_diagram, tmp_path
):
    page, drawn = _drawn(
        open_diagram, render_view(reference_graph, "overview"), tmp_path / "o.html"
    )
    assert page.evaluate("() => window.dutygraph.config.options.physics.enabled") is False
    data = {n["id"]: n for n in page.evaluate("() => window.dutygraph.nodes.get()")}
    y = {node["id"]: node["y"] for node in drawn["nodes"]}
    # fixed positions: what Python placed is where the page drew it
    assert all(
        data[n]["x"] == node["x"] and data[n]["y"] == y[n]
        for n, node in ((node["id"], node) for node in drawn["nodes"])
    )

    def rows(node_type: str) -> set[float]:
        return {y[n] for n, d in data.items() if d["node_type"] == node_type}

    top_down = [rows("dept:部"), rows("dept:市"), rows("dept:区"), rows("Town"), rows("Village")]
    for upper, lower in zip(top_down, top_down[1:], strict=False):
        assert max(upper) < min(lower)
    # a row of 区 departments holds one relation to the town, written in its caption
    edges = {
        tuple(e)
        for e in page.evaluate("() => window.dutygraph.edges.get().map(e => [e.from, e.to])")
    }
    town = "town:卜尔汉图镇"

    def relation(node: str) -> str:
        sends = (node, town) in edges
        receives = (town, node) in edges
        if sends and receives:
            return "both"
        if receives:
            return "to_dept"
        if sends:
            return "from_dept"
        return "departments" if any(node in e for e in edges) else "idle"

    by_row: dict[float, set[str]] = {}
    for node, d in data.items():
        if d["node_type"] == "dept:区":
            by_row.setdefault(y[node], set()).add(relation(node))
    assert all(len(relations) == 1 for relations in by_row.values())
    captions = {c["id"] for c in drawn["captions"]}
    for row_y, (group,) in by_row.items():
        assert any(gettext(TOWN_RELATIONS[group]) in c for c in captions), (row_y, group)
    # the groups that exchange work with the town stand nearest to it
    nearest = max(by_row)
    assert by_row[nearest] <= {"both", "to_dept", "from_dept"}


def test_labels_of_edges_between_the_same_two_nodes_are_one_label(
    reference_graph, open_diagram, tmp_path
):
    page, _ = _drawn(open_diagram, render_view(reference_graph, "overview"), tmp_path / "o.html")
    edges = page.evaluate(
        "() => window.dutygraph.edges.get().map(e => [e.from, e.to, e.label || '', e.count])"
    )
    labelled: dict[frozenset[str], list[str]] = {}
    for src, dst, label, _count in edges:
        if label:
            labelled.setdefault(frozenset((src, dst)), []).append(label)
    assert all(len(labels) == 1 for labels in labelled.values())
    # the town and 区民政局 exchange several types: one label names each with its count
    pair = ("town:卜尔汉图镇", "dept:区民政局")
    counts = Counter(
        HandoffType(RelType(d["type"]).handoff_type)
        for u, v, d in reference_graph.edges(data=True)
        if {u, v} == set(pair) and RelType(d["type"]).is_handoff
    )
    assert len(counts) > 1
    (merged,) = labelled[frozenset(pair)]
    assert merged.split("\n") == [f"{t.label} {counts[t]}" for t in HandoffType if t in counts]


def test_the_gaps_view_of_one_town_with_a_gap_and_a_loop_to_one_department(open_diagram, tmp_path):
    builder = (
        ListBuilder("甲镇").matter(1, "低保审核", ["区民政局"]).matter(2, "救助", ["区民政局"])
    )
    builder.handoff(1, "甲镇", "区民政局", "reports_to", "镇上报区民政局")
    builder.handoff(2, "甲镇", "区民政局", "reports_to", "镇上报区民政局")
    builder.handoff(2, "区民政局", "甲镇", "feeds_back_to", "区民政局反馈镇")
    graph = graph_from_tables(builder.tables())
    page, drawn = _drawn(open_diagram, render_view(graph, "gaps"), tmp_path / "g.html")
    labels = [label["text"] for label in drawn["labels"]]
    assert labels == ["1 项无反馈\n1 项闭环"]
    assert collisions(drawn) == []


CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: What the page writes itself (not the names from the list): title tail, legend, notes,
#: filters, buttons, status line and the rows' captions.
PAGE_WORDS = """() => ({
    title: document.getElementById("dg-title").textContent,
    legend: Array.from(document.querySelectorAll("#dg-legend li, #dg-legend p, #dg-legend h2"))
        .map(e => e.textContent),
    toolbar: Array.from(document.querySelectorAll(".dg-toolbar label, .dg-toolbar legend, "
        + ".dg-toolbar button, #dg-counts")).map(e => e.textContent),
    captions: window.dutygraph.captionBoxes().map(c => c.text),
    lang: document.documentElement.lang,
})"""


@pytest.mark.parametrize("view", ["overview", "gaps", "escalations"])
def test_a_diagram_speaks_english_with_dutygraph_lang_en(
    reference_graph, open_diagram, tmp_path, monkeypatch, view
):
    monkeypatch.setenv("DUTYGRAPH_LANG", "en")
    english = open_diagram(save_html(render_view(reference_graph, view), tmp_path / "en.html"))
    words = english.evaluate(PAGE_WORDS)
    monkeypatch.setenv("DUTYGRAPH_LANG", "zh_CN")
    chinese = open_diagram(save_html(render_view(reference_graph, view), tmp_path / "zh.html"))
    chinese_words = chinese.evaluate(PAGE_WORDS)
    assert words["lang"] == "en" and chinese_words["lang"] == "zh-CN"
    assert words["title"].endswith(VIEWS[view].title)
    assert chinese_words["title"].endswith(
        {"overview": "总览", "gaps": "反馈缺口"}.get(view, "提级链")
    )
    # the page's own words are English; only the department and town names stay Chinese
    for text in [*words["legend"], *words["toolbar"]]:
        assert not CHINESE.search(text), text
    for caption in words["captions"]:
        assert not CHINESE.search(caption), caption
    assert all(CHINESE.search(text) for text in chinese_words["legend"][:3])
    assert len(words["legend"]) == len(chinese_words["legend"])
