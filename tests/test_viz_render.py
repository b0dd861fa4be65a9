"""The rendering engine (dutygraph.viz.render): offline pages, escaping, labels, layouts.

Browser tests open the page from file:// in headless Chromium (tests/support_browser.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dutygraph.viz.render import LegendItem, render_html, save_html, wrap_label

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'


def small_graph() -> tuple[list[dict], list[dict]]:
    """A matter-sized graph: a town, its villages, three departments, five handoffs."""
    nodes = [
        {
            "id": "town",
            "label": "卜尔汉图镇",
            "node_type": "Town",
            "shape": "ellipse",
            "color": "#f6c85f",
            "level": 2,
            "title": "镇：卜尔汉图镇",
        },
        {
            "id": "village",
            "label": "嘎查村（社区）",
            "node_type": "Village",
            "shape": "ellipse",
            "color": "#c8e6a0",
            "level": 3,
        },
        {
            "id": "d1",
            "label": "区住房和城乡建设局",
            "node_type": "Department",
            "shape": "box",
            "color": "#8ecae6",
            "level": 1,
            "title": "区住房和城乡建设局：牵头部门",
        },
        {
            "id": "d2",
            "label": "市住房和城乡建设局",
            "node_type": "Department",
            "shape": "box",
            "color": "#5fa8d3",
            "level": 0,
        },
        {
            "id": "d3",
            "label": "区城市管理综合执法局",
            "node_type": "Department",
            "shape": "box",
            "color": "#8ecae6",
            "level": 1,
        },
    ]
    edges = [
        {
            "id": "h1",
            "from": "town",
            "to": "d1",
            "edge_type": "reports_to",
            "color": "#1f77b4",
            "title": "上报区住房和城乡建设局",
        },
        {
            "id": "h2",
            "from": "d1",
            "to": "town",
            "edge_type": "feeds_back_to",
            "color": "#2ca02c",
            "title": "将核查结果反馈街镇",
        },
        {
            "id": "h3",
            "from": "town",
            "to": "d1",
            "edge_type": "escalates_to",
            "color": "#d62728",
            "title": "对拒不整改的上报",
        },
        {"id": "h4", "from": "d1", "to": "d2", "edge_type": "escalates_to", "color": "#d62728"},
        {
            "id": "h5",
            "from": "village",
            "to": "town",
            "edge_type": "reports_to",
            "color": "#1f77b4",
        },
    ]
    return nodes, edges


def write_page(tmp_path: Path, nodes: list[dict], edges: list[dict], **kwargs) -> Path:
    kwargs.setdefault("title", "卜尔汉图镇 · 配合履职事项清单 · 测试")
    return save_html(render_html(nodes, edges, **kwargs), tmp_path / "page.html")


def config_of(html: str) -> dict:
    block = re.search(
        r'<script id="dg-config" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    assert block, "the page has no config block"
    return json.loads(block.group(1))


# -- without a browser ------------------------------------------------------------------------


def test_long_chinese_names_are_broken_into_balanced_lines():
    assert wrap_label("区城市管理综合执法局") == "区城市管理\n综合执法局"
    assert wrap_label("内蒙古自治区包头市昆都仑区卜尔汉图镇人民政府", width=8).count("\n") == 2
    assert wrap_label("镇综合行政执法队") == "镇综合行政执法队"  # 8 characters fit


def test_line_never_starts_with_closing_punctuation():
    for line in wrap_label("嘎查村（社区）党群服务中心（便民服务站）", width=6).split("\n"):
        assert line[0] not in "）)，、。"


def test_latin_words_stay_whole():
    assert wrap_label("区工业和信息化局 reports_to escalates_to", width=8).count("reports_to") == 1


def test_page_has_no_external_reference(tmp_path):
    html = render_html(*small_graph(), title="t")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", html)
    assert "bootstrap" not in html and "tom-select" not in html
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html  # the CSP forbids any fetch even if something tries


def test_page_file_is_utf8_when_the_platform_encoding_is_ascii(tmp_path):
    # A child Python in the C locale without UTF-8 mode: open() defaults to ASCII there, as
    # it defaults to GBK on a Chinese Windows; pyvis's write_html would crash on Chinese.
    target = tmp_path / "page.html"
    title = "卜尔汉图镇 · 总览"
    # the command line itself must be ASCII in that locale: Chinese goes in as \u escapes
    script = textwrap.dedent(
        f"""
        import locale
        from dutygraph.viz.render import render_html, save_html
        encoding = locale.getpreferredencoding(False).lower()
        assert encoding in ("ansi_x3.4-1968", "ascii", "us-ascii"), encoding
        html = render_html([{{"id": "a", "label": {"区民政局"!a}}}], [], title={title!a})
        save_html(html, {str(target)!r})
        """
    )
    env = {
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    text = target.read_bytes().decode("utf-8")  # raises if not valid UTF-8
    assert title in text and "区民政局" in text and '<meta charset="utf-8">' in text


def test_auto_layout_turns_hierarchical_above_the_threshold():
    nodes = [{"id": str(i), "level": i % 3} for i in range(30)]
    assert (
        config_of(render_html(nodes, [], title="t", hierarchical_threshold=50))["layout"]
        == "physics"
    )
    config = config_of(render_html(nodes, [], title="t", hierarchical_threshold=20))
    assert config["layout"] == "hierarchical"
    assert config["options"]["physics"] == {"enabled": False}


def test_bad_input_is_refused_with_the_offending_value():
    with pytest.raises(ValueError, match="'nowhere'"):
        render_html([{"id": "a"}], [{"from": "a", "to": "nowhere"}], title="t")
    with pytest.raises(ValueError, match="given twice"):
        render_html([{"id": "a"}, {"id": "a"}], [], title="t")
    with pytest.raises(ValueError, match="every node or on none"):
        render_html([{"id": "a", "level": 0}, {"id": "b"}], [], title="t", layout="hierarchical")


# -- in Chromium --------------------------------------------------------------------------------


@pytest.mark.browser
def test_page_opens_offline_with_no_console_error_and_the_given_counts(tmp_path, open_diagram):
    nodes, edges = small_graph()
    page = open_diagram(write_page(tmp_path, nodes, edges))
    assert page.console_errors == []
    assert page.external_requests == []
    assert page.counts() == {"nodes": 5, "edges": 5, "totalNodes": 5, "totalEdges": 5}
    assert page.evaluate("() => window.dutygraphNodes.length") == 5
    assert page.evaluate("() => document.title") == "卜尔汉图镇 · 配合履职事项清单 · 测试"
    # physics stabilised, then stopped
    assert page.evaluate("() => window.dutygraphTimings.how") == "stabilized"
    assert page.evaluate("() => window.dutygraph.network.physics.options.enabled") is False


@pytest.mark.browser
def test_legend_explains_every_node_and_edge_type(tmp_path, open_diagram):
    names = {
        "Town": "镇",
        "Department": "部门",
        "Village": "嘎查村",
        "reports_to": "上报",
        "feeds_back_to": "反馈",
        "escalates_to": "提级上报",
    }
    page = open_diagram(write_page(tmp_path, *small_graph(), type_names=names))
    legend = page.page.locator("#dg-legend li").all_inner_texts()
    assert legend == ["镇", "嘎查村", "部门", "上报", "反馈", "提级上报"]


@pytest.mark.browser
def test_type_filters_hide_nodes_and_their_edges(tmp_path, open_diagram):
    page = open_diagram(write_page(tmp_path, *small_graph()))
    page.page.locator('input[data-kind="edge"][data-type="escalates_to"]').uncheck()
    assert page.counts()["edges"] == 3
    page.page.locator('input[data-kind="node"][data-type="Village"]').uncheck()
    assert page.counts() == {"nodes": 4, "edges": 2, "totalNodes": 5, "totalEdges": 5}
    page.page.locator('input[data-kind="edge"][data-type="escalates_to"]').check()
    page.page.locator('input[data-kind="node"][data-type="Village"]').check()
    assert page.counts()["edges"] == 5
    assert page.console_errors == []


@pytest.mark.browser
def test_search_box_selects_and_dims_by_name(tmp_path, open_diagram):
    page = open_diagram(write_page(tmp_path, *small_graph()))
    page.page.fill("#dg-search", "住房")
    page.page.press("#dg-search", "Enter")
    assert sorted(page.evaluate("() => window.dutygraph.network.getSelectedNodes()")) == [
        "d1",
        "d2",
    ]
    assert page.evaluate("() => window.dutygraphNodes.get('town').opacity") == 0.25
    assert "找到 2 个" in page.page.locator("#dg-search-status").inner_text()
    page.page.fill("#dg-search", "")
    page.page.press("#dg-search", "Enter")
    assert page.evaluate("() => window.dutygraph.network.getSelectedNodes()") == []


@pytest.mark.browser
def test_tooltips_show_markup_as_text_and_run_nothing(tmp_path, open_diagram):
    nodes = [
        {
            "id": "town",
            "label": "卜尔汉图镇",
            "title": f"镇职责：{XSS_SCRIPT} 和 {XSS_IMG}",
            "shape": "box",
            "level": 1,
        },
        {"id": "dept", "label": "区民政局", "title": "部门", "shape": "box", "level": 0},
    ]
    edges = [
        {
            "id": "h",
            "from": "town",
            "to": "dept",
            "edge_type": "reports_to",
            "title": f"证据：{XSS_IMG}{XSS_SCRIPT}",
            "width": 4,
        }
    ]
    page = open_diagram(write_page(tmp_path, nodes, edges, layout="hierarchical"))

    page.hover(page.node_point("town"))
    assert XSS_SCRIPT in page.tooltip_text() and XSS_IMG in page.tooltip_text()
    page.page.wait_for_timeout(300)  # an injected <img> would have fired onerror by now
    assert page.evaluate("() => typeof window.__pwned") == "undefined"

    box = page.page.locator("#dg-network").bounding_box()
    page.page.mouse.move(box["x"] + 10, box["y"] + 10)  # an empty corner of the canvas
    page.page.locator("div.vis-tooltip").wait_for(state="hidden")
    page.hover(page.edge_point("h"))
    assert page.tooltip_text().startswith(f"证据：{XSS_IMG}{XSS_SCRIPT}")
    page.page.wait_for_timeout(300)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.page.locator("div.vis-tooltip img, div.vis-tooltip script").count() == 0
    assert page.console_errors == []
    assert page.external_requests == []


@pytest.mark.browser
def test_title_legend_and_filter_names_with_markup_are_text(tmp_path, open_diagram):
    title = f"卜尔汉图镇 {XSS_IMG}"
    legend = [LegendItem("node", XSS_IMG, '"><img src=x onerror="window.__pwned=1')]
    page = open_diagram(
        write_page(
            tmp_path,
            [{"id": "a", "node_type": XSS_SCRIPT, "label": XSS_SCRIPT}],
            [],
            title=title,
            legend=legend,
            notes=[XSS_SCRIPT],
        )
    )
    assert page.page.locator("#dg-title").inner_text() == title
    assert XSS_IMG in page.page.locator("#dg-legend").inner_text()
    assert XSS_SCRIPT in page.page.locator("#dg-node-filter").inner_text()
    assert page.page.locator("body img").count() == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.console_errors == []


@pytest.mark.browser
def test_long_chinese_labels_reach_the_page_with_line_breaks(tmp_path, open_diagram):
    page = open_diagram(write_page(tmp_path, *small_graph()))
    assert page.evaluate("() => window.dutygraphNodes.get('d3').label") == "区城市管理\n综合执法局"
    assert page.evaluate("() => window.dutygraphNodes.get('d3').name") == "区城市管理综合执法局"


@pytest.mark.browser
def test_hierarchical_layout_puts_lower_levels_below(tmp_path, open_diagram):
    page = open_diagram(write_page(tmp_path, *small_graph(), layout="hierarchical"))
    y = page.evaluate(
        "() => Object.fromEntries(Object.entries(window.dutygraph.network.getPositions())"
        ".map(([id, p]) => [id, p.y]))"
    )
    assert y["d2"] < y["d1"] == y["d3"] < y["town"] < y["village"]
    assert page.evaluate("() => window.dutygraphTimings.how") == "drawn"
    assert page.console_errors == []


def test_a_wide_level_wraps_into_rows_below_the_level_above():
    nodes = [{"id": f"d{i}", "level": 0} for i in range(5)]
    nodes += [{"id": f"v{i}", "level": 1} for i in range(195)]
    edges = [{"from": f"v{i}", "to": f"d{i % 5}"} for i in range(195)]
    html = render_html(nodes, edges, title="t", layout="hierarchical")
    assert config_of(html)["arrangement"] == "banded"
    block = re.search(
        r'<script id="dg-nodes" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    placed = {n["id"]: (n["x"], n["y"]) for n in json.loads(block.group(1))}
    top = max(y for i, (x, y) in placed.items() if i.startswith("d"))
    below = [y for i, (x, y) in placed.items() if i.startswith("v")]
    assert top < min(below) and len(set(below)) > 1
    # children of the same department sit next to each other (ordered by their parent's x)
    xs_of_d0 = sorted(placed[f"v{i}"][0] for i in range(0, 195, 5))
    assert (
        xs_of_d0[-1] - xs_of_d0[0]
        < (max(x for x, _ in placed.values()) - min(x for x, _ in placed.values())) / 2
    )


@pytest.mark.browser
def test_saved_picture_has_the_title_above_and_the_legend_beside_the_drawing(
    tmp_path, open_diagram
):
    import struct

    names = {"reports_to": "上报", "escalates_to": "提级上报", "feeds_back_to": "反馈"}
    page = open_diagram(write_page(tmp_path, *small_graph(), type_names=names))
    with page.page.expect_download() as download:
        page.page.click("#dg-save")
    saved = tmp_path / "saved.png"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    graph = page.evaluate(
        "() => { const c = document.querySelector('#dg-network canvas');"
        " return [c.width, c.height]; }"
    )
    assert width > graph[0] + 200 and height > graph[1]  # room for the legend and the title
    assert download.value.suggested_filename.endswith(".png")
    # Pixels of the composed picture: dark title text on top; every legend colour on the right
    # of the drawing (the swatches), the legend's text too.
    found = page.evaluate(
        """(colours) => {
            const copy = window.dutygraph.imageCanvas();
            const ctx = copy.getContext('2d');
            const graph = document.querySelector('#dg-network canvas');
            const ratio = graph.width / document.querySelector('#dg-network').clientWidth;
            const top = ctx.getImageData(0, 0, copy.width, Math.round(40 * ratio)).data;
            let dark = 0;
            for (let i = 0; i < top.length; i += 4) if (top[i] + top[i+1] + top[i+2] < 200) dark++;
            const x0 = graph.width + 1;
            const side = ctx.getImageData(x0, 0, copy.width - x0, copy.height).data;
            const hits = {};
            for (const hex of colours) {
                const [r, g, b] = [1, 3, 5].map(k => parseInt(hex.slice(k, k + 2), 16));
                let n = 0;
                for (let i = 0; i < side.length; i += 4)
                    if (Math.abs(side[i] - r) + Math.abs(side[i+1] - g)
                        + Math.abs(side[i+2] - b) < 12) n++;
                hits[hex] = n;
            }
            return {dark, hits};
        }""",
        ["#f6c85f", "#8ecae6", "#1f77b4", "#2ca02c", "#d62728"],
    )
    assert found["dark"] > 100
    assert all(n > 10 for n in found["hits"].values()), found["hits"]
    assert page.console_errors == [] and page.external_requests == []


@pytest.mark.browser
def test_legend_draws_an_edge_without_arrowhead_as_it_is_drawn(tmp_path, open_diagram):
    nodes, edges = small_graph()
    edges[4]["arrows"] = {"to": {"enabled": False}}
    page = open_diagram(write_page(tmp_path, nodes, edges))
    swatches = page.page.locator("#dg-legend li svg")
    arrowheads = [swatches.nth(k).locator("polygon").count() for k in range(swatches.count())]
    legend = page.page.locator("#dg-legend li").all_inner_texts()
    # reports_to: its first edge (h1) has an arrow, so the legend line has one too
    assert arrowheads[legend.index("reports_to")] == 1
    page2 = open_diagram(
        write_page(tmp_path, nodes, [dict(e, id=f"x{e['id']}") for e in edges[4:]])
    )
    swatch = page2.page.locator("#dg-legend li svg").last
    assert swatch.locator("polygon").count() == 0 and swatch.locator("line").count() == 1


def test_parallel_edges_spread_to_both_sides_and_their_labels_become_one():
    nodes, edges = small_graph()
    edges.append(
        {"id": "h6", "from": "town", "to": "d1", "edge_type": "assigns_to", "label": "交办"}
    )
    for e in edges:
        e.setdefault("label", e["edge_type"])
    html = render_html(nodes, edges, title="t", layout="hierarchical")
    block = re.search(
        r'<script id="dg-edges" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    drawn = {e["id"]: e for e in json.loads(block.group(1))}
    # town–d1 carries four edges (h1, h2 back, h3, h6): two curves on each side
    sides = []
    for k in ("h1", "h2", "h3", "h6"):
        smooth = drawn[k]["smooth"]
        clockwise = smooth["type"] == "curvedCW"
        forward = drawn[k]["from"] == "d1"  # the pair's orientation is d1 -> town
        sides.append(clockwise == forward)
    assert sorted(sides) == [False, False, True, True]
    labels = [drawn[k]["label"] for k in ("h1", "h2", "h3", "h6")]
    own = [drawn[k]["own_label"] for k in ("h1", "h2", "h3", "h6")]
    assert sorted(labels) == ["", "", "", "\n".join(own)]
    assert "smooth" not in drawn["h4"]  # alone between its two nodes: vis's own curve
