"""The views (dutygraph.viz.views) and `dutygraph viz`, opened in headless Chromium.

Each view is rendered for the reference list (卜尔汉图镇) and for a two-list store (甲镇, 乙镇),
opened from file://, and checked for console errors, network requests and the node and edge
counts the graph implies; the screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.errors import DutygraphError, UnknownMatterError
from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.schema import RelType
from dutygraph.graphmodel.scope import list_subgraph
from dutygraph.pipeline import load_list
from dutygraph.queries import escalations
from dutygraph.store import Store
from dutygraph.viz.registry import VIEWS
from dutygraph.viz.render import save_html
from dutygraph.viz.views import render_view

REFERENCE_LIST = Path(__file__).resolve().parent.parent / "data" / "000_5b382267ef9e6b6d.txt"
#: Targets of the views that take one, on the reference list and on the two-list store.
REFERENCE_TARGETS = {"matter": ["29", "1"], "department": ["区住房和城乡建设局"]}
TWO_TOWN_TARGETS = {"matter": ["1"], "department": ["区民政局"]}


def specs(targets: dict[str, list[str]]) -> list[tuple[str, str | None]]:
    """Every view of the registry, with each of its targets."""
    return [(name, t) for name in VIEWS for t in targets.get(name, [None])]


VIEW_SPECS = specs(REFERENCE_TARGETS)


@pytest.fixture(scope="module")
def reference_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    store = Store(tmp_path_factory.mktemp("viz") / "reference.db")
    store.save_list(load_list(REFERENCE_LIST))
    return build_graph(store)


def handoff_edges(G: nx.MultiDiGraph, matter: int | None = None) -> list[tuple[str, str, str]]:
    return [
        (u, v, d["type"])
        for u, v, d in G.edges(data=True)
        if RelType(d["type"]).is_handoff and (matter is None or d["matter"] == matter)
    ]


def expected_counts(G: nx.MultiDiGraph, view: str, target: str | None) -> tuple[int | None, int]:
    """Node and edge counts a view must show, worked out from the graph independently
    (None: not fixed by the graph alone)."""
    handoffs = handoff_edges(G)
    if view == "overview":  # one edge per (src, dst, type); nodes also count idle departments
        return None, len(set(handoffs))
    assert view == "matter"
    number = int(str(target))
    inside = handoff_edges(G, number)
    matters = [n for n, d in G.nodes(data=True) if d["label"] == "Matter" and d["number"] == number]
    leads = {u for m in matters for u, _, d in G.in_edges(m, data=True) if d["type"] == "LEADS"}
    towns = {"town:" + G.nodes["list:" + G.nodes[m]["list_id"]]["town"] for m in matters}
    actors = {n for u, v, _ in inside for n in (u, v)} | leads | towns
    # one edge per (src, dst, type): a handoff stated in two duties is drawn once, ×2
    return len(actors), len(set(inside))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("view", "target"), VIEW_SPECS, ids=[f"{v}-{t}" if t else v for v, t in VIEW_SPECS]
)
def test_view_of_the_reference_list_opens_offline(
    reference_graph, open_diagram, tmp_path, view, target
):
    page = open_diagram(save_html(render_view(reference_graph, view, target), tmp_path / "v.html"))
    assert page.console_errors == []
    assert page.external_requests == []
    counts = page.counts()
    assert counts["nodes"] > 0 and counts["edges"] > 0
    assert counts["nodes"] == counts["totalNodes"] and counts["edges"] == counts["totalEdges"]
    title = page.page.locator("#dg-title").inner_text()
    assert "卜尔汉图镇" in title and "清单" in title
    assert page.page.locator("#dg-legend li").count() >= 2


@pytest.mark.browser
def test_matter_29_shows_the_town_escalating_to_the_district_then_the_city(
    reference_graph, open_diagram, tmp_path
):
    page = open_diagram(
        save_html(render_view(reference_graph, "matter", "29"), tmp_path / "m.html")
    )
    n_nodes, n_edges = expected_counts(reference_graph, "matter", "29")
    assert page.counts()["totalNodes"] == n_nodes
    assert page.counts()["totalEdges"] == n_edges
    y = page.evaluate(
        "() => Object.fromEntries(Object.entries(window.dutygraph.network.getPositions())"
        ".map(([id, p]) => [id, p.y]))"
    )
    assert y["dept:市住房和城乡建设局"] < y["dept:区住房和城乡建设局"] < y["town:卜尔汉图镇"]
    evidence = page.evaluate(
        "() => window.dutygraphEdges.get().filter(e => e.edge_type === 'escalates_to')"
        ".map(e => e.tooltip)"
    )
    assert any("拒不" in text or "上报" in text for text in evidence)


@pytest.mark.browser
def test_overview_aggregates_handoffs_per_pair_and_type(reference_graph, open_diagram, tmp_path):
    page = open_diagram(save_html(render_view(reference_graph, "overview"), tmp_path / "o.html"))
    _, n_edges = expected_counts(reference_graph, "overview", None)
    assert page.counts()["totalEdges"] == n_edges
    total = page.evaluate("() => window.dutygraphEdges.get().reduce((s, e) => s + e.count, 0)")
    assert total == len(handoff_edges(reference_graph))
    # a "1" on most edges is noise: only counts above one are written (an edge's own label;
    # edges between the same two nodes share one label, tests/test_viz_layout.py)
    labels = page.evaluate(
        "() => window.dutygraphEdges.get().map(e => [e.count, e.own_label ?? e.label])"
    )
    assert all((label == "") == (count == 1) for count, label in labels)
    town = page.evaluate("() => window.dutygraphNodes.get('town:卜尔汉图镇')")
    assert isinstance(town["x"], int) and isinstance(town["y"], int)  # placed by level


LABEL_RECTS = """() => {
    const net = window.dutygraph.network;
    return Object.values(net.body.edges).filter(e => e.options.label).map(e => {
        const s = e.labelModule.size, v = e.labelModule.fontOptions.vadjust || 0;
        return [e.id, s.left, s.top + v, s.width, s.height];
    });
}"""


def overlapping(rects: list[list]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
        if a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("number", [29, 1])
def test_matter_view_draws_each_handoff_once_with_every_duty_and_no_label_overlap(
    reference_graph, open_diagram, tmp_path, number
):
    page = open_diagram(
        save_html(render_view(reference_graph, "matter", str(number)), tmp_path / "m.html")
    )
    inside = handoff_edges(reference_graph, number)
    edges = page.evaluate(
        "() => window.dutygraphEdges.get().map(e => [e.from, e.to, e.edge_type, e.count, "
        "e.own_label ?? e.label, e.tooltip])"
    )
    assert sorted((u, v, t.upper()) for u, v, t, *_ in edges) == sorted(set(inside))
    assert sum(e[3] for e in edges) == len(inside)
    for _, _, _, count, label, tooltip in edges:
        assert label.endswith(f" ×{count}") == (count > 1)
        # every evidence clause with the duty it comes from
        assert tooltip.count("证据") == count and tooltip.count("出自职责") == count
    assert overlapping(page.evaluate(LABEL_RECTS)) == []
    if number == 29:  # 提级上报 to the city is stated in two duties
        twice = [e for e in edges if e[1] == "dept:市住房和城乡建设局"]
        assert [(e[2], e[3], e[4]) for e in twice] == [("escalates_to", 2, "提级上报 ×2")]


@pytest.mark.browser
def test_department_legend_draws_the_lines_to_matters_as_they_are_drawn(
    reference_graph, open_diagram, tmp_path
):
    page = open_diagram(
        save_html(
            render_view(reference_graph, "department", "区住房和城乡建设局"), tmp_path / "d.html"
        )
    )
    leads = page.evaluate(
        "() => window.dutygraphEdges.get().filter(e => e.edge_type === 'LEADS')"
        ".map(e => e.arrows.to.enabled)"
    )
    assert leads and not any(leads)
    items = page.page.locator("#dg-legend li")
    arrows = {
        items.nth(k).inner_text(): items.nth(k).locator("polygon").count() > 0
        for k in range(items.count())
        if items.nth(k).locator("svg line").count()
    }
    assert arrows["牵头的事项"] is False
    assert arrows["上报（reports_to）"] is True


def test_viz_open_hands_the_file_uri_to_the_browser(two_town_store, tmp_path, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    out = tmp_path / "页面 gaps.html"
    result = CliRunner().invoke(
        cli, ["viz", "gaps", "--store", str(two_town_store), "-o", str(out), "--open"]
    )
    assert result.exit_code == 0, result.output
    assert opened == [out.resolve().as_uri()]
    assert opened[0].startswith("file:///") and "%20" in opened[0]


@pytest.mark.browser
def test_gaps_view_draws_gaps_red_and_closed_loops_green(reference_graph, open_diagram, tmp_path):
    from dutygraph.queries import feedback_gaps

    page = open_diagram(save_html(render_view(reference_graph, "gaps"), tmp_path / "g.html"))
    edges = page.evaluate(
        "() => window.dutygraphEdges.get().map(e => [e.edge_type, e.color, e.matters])"
    )
    gaps = [e for e in edges if e[0] == "gap"]
    closed = [e for e in edges if e[0] == "closed"]
    assert {e[1] for e in gaps} == {"#d62728"} and {e[1] for e in closed} == {"#2ca02c"}
    assert sum(e[2] for e in gaps) == len(feedback_gaps(reference_graph))
    assert sum(e[2] for e in closed) == len(feedback_gaps(reference_graph, closed=True))


@pytest.mark.browser
@pytest.mark.parametrize(("view", "target"), specs(TWO_TOWN_TARGETS))
def test_view_of_a_two_list_store_opens_offline(
    two_town_store, open_diagram, tmp_path, view, target
):
    out = tmp_path / f"{view}.html"
    args = [
        "viz",
        view,
        *([target] if target else []),
        "--store",
        str(two_town_store),
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    page = open_diagram(out)
    assert page.console_errors == []
    assert page.external_requests == []
    G = build_graph(Store(two_town_store))
    if view == "matter":  # a matter number of two lists: one panel per town, each its own
        frames = page.page.frames[1:]
        assert len(frames) == 2
        for frame, list_id in zip(frames, ["乙镇:配合", "甲镇:配合"], strict=True):
            view_of_one = list_subgraph(G, list_id)
            counts = frame.evaluate("() => window.dutygraph.visibleCounts()")
            assert (counts["totalNodes"], counts["totalEdges"]) == expected_counts(
                view_of_one, view, target
            )
    else:
        assert page.counts()["edges"] > 0
    title = page.page.locator("#dg-title").inner_text()
    assert "甲镇" in title and "乙镇" in title


def test_escalations_view_draws_every_hop_of_every_chain(two_town_graph):
    html = render_view(two_town_graph, "escalations")
    chains = escalations(two_town_graph)
    for chain in chains["chain"]:
        for name in chain.split(" -> "):
            assert name in html


def test_unknown_matter_and_ambiguous_department_are_clear_errors(two_town_graph):
    with pytest.raises(UnknownMatterError, match="99"):
        render_view(two_town_graph, "matter", "99")
    with pytest.raises(DutygraphError, match="对应 .* 个"):
        render_view(two_town_graph, "department", "区")
    with pytest.raises(DutygraphError, match="需要事项序号"):
        render_view(two_town_graph, "matter")


def test_cli_reports_a_bad_view_target_in_one_line(two_town_store, tmp_path):
    result = CliRunner().invoke(cli, ["viz", "matter", "abc", "--store", str(two_town_store)])
    assert result.exit_code != 0
    assert result.output.startswith("错误：没有名为 'abc' 的事项；是不是：")


def test_graph_from_tables_views_render_without_a_store(two_town_tables):
    G = graph_from_tables(two_town_tables)
    for view, target in [("overview", None), ("gaps", None), ("matter", "4")]:
        assert "<!DOCTYPE html>" in render_view(G, view, target)


def test_viz_help_lists_every_view_of_the_registry_in_its_order():
    result = CliRunner().invoke(cli, ["viz", "--help"])
    assert result.exit_code == 0
    commands = result.output.rsplit("\n\n", 1)[-1]  # the last block: the subcommands
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert listed == list(VIEWS)
