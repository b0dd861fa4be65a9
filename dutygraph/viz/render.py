"""Turn plain node and edge dicts into one self-contained, offline HTML page (vis-network).

This is the rendering engine under every diagram; it knows nothing of duty lists. A view
(``dutygraph.viz.views``) decides what the nodes and edges are, their colours and shapes and
the legend; :func:`render_html` turns them into a page that opens from ``file://`` on a machine
with no internet, and :func:`save_html` writes it as UTF-8.

What pyvis 0.3.2 (its last release) does for us, and where we replace it:

- used: the vis-network 9.1.2 build pyvis ships (``pyvis/templates/lib/vis-9.1.2``), inlined
  into the page; pyvis's ``Network`` as the container of nodes, edges and options and its
  ``generate_html`` to render, through ``set_template_dir``, *our* template.
- replaced: pyvis's own ``template.html``. Even with ``cdn_resources="in_line"`` it links
  bootstrap (and tom-select for its menus) from a CDN, prints the heading twice and, when a
  title contains "href", shows tooltips with ``innerHTML``. Our ``templates/page.html`` has no
  external reference at all (and a Content-Security-Policy that forbids one), a legend, type
  filters and a search box; tooltips are DOM elements filled with ``textContent``.
- replaced: ``Network.add_node``/``add_edge``, which check every id against a list (quadratic);
  we build the node and edge lists directly.
- replaced: ``Network.write_html``, which opens the file in the platform encoding (GBK on a
  Chinese Windows crashes on it); :func:`save_html` writes UTF-8.
- added: vis-network wraps labels only at spaces, so :func:`wrap_label` breaks long Chinese
  names itself.

>>> html = render_html(
...     [{"id": "a", "label": "区城市管理综合执法局", "node_type": "Department"},
...      {"id": "b", "label": "卜尔汉图镇", "node_type": "Town"}],
...     [{"from": "b", "to": "a", "edge_type": "reports_to", "title": "上报<b>台账</b>"}],
...     title="卜尔汉图镇 · 配合履职事项清单 · 总览",
... )
>>> import re; re.search(r"<(script|link|img)[^>]*(src|href)=", html) is None  # nothing to fetch
True
>>> "上报\\\\u003cb\\\\u003e台账" in html   # markup in data is escaped inside the JSON block
True
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..i18n import current_language
from ..i18n import gettext as _

__all__ = [
    "Caption",
    "AGGREGATE_THRESHOLD",
    "FONT_STACK",
    "HIERARCHICAL_THRESHOLD",
    "LegendItem",
    "render_html",
    "save_html",
    "wrap_label",
]

#: System fonts only (nothing is downloaded): Noto/Source Han on Linux, YaHei on Windows,
#: PingFang/Hiragino on macOS, WenQuanYi on older Linux desktops.
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif'
)

#: Above this many nodes ``layout="auto"`` drops physics and lays the graph out top-down by
#: level. Measured by ``bench/bench_viz.py`` (bench/RESULTS.md, section "Diagrams"): with
#: physics, 1000 nodes become interactive in about 2.8 s in headless Chromium and 3000 take
#: about 6 s; the hierarchical (banded) layout stays under 3 s to 10000 nodes.
HIERARCHICAL_THRESHOLD = 1000

#: Views with more nodes than this should aggregate (duties into tooltips, handoffs into one
#: edge per pair and type): past it each redraw, so each pan or zoom, costs 40 ms at 3000
#: nodes and 240 ms at 10000 (bench/RESULTS.md), and nobody reads the labels any more.
AGGREGATE_THRESHOLD = 3000

#: Up to this many nodes the hierarchical layout also reduces edge crossings.
_CROSSING_REDUCTION_MAX = 300

#: By default a level with more nodes than this wraps into rows (see _place_in_bands).
ROW_WIDTH = 40
_CELL_X, _CELL_Y = 170.0, 90.0

Layout = Literal["auto", "physics", "hierarchical", "fixed"]
Arrangement = Literal["physics", "hierarchical", "banded", "fixed"]
#: Up to this many nodes, a page tidies itself once laid out (``dutygraph.js``; a physics
#: layout once it has settled): an edge that would run through a node is bent around it, and
#: each edge label is put where it covers no node, no caption and no other label.
TIDY_MAX_NODES = 300


@dataclass(frozen=True)
class Caption:
    """A line of text drawn on the canvas at (x, y), right-aligned: the name of a row."""

    x: float
    y: float
    text: str


_TEMPLATE_DIR = Path(__file__).with_name("templates")
_STATIC_DIR = Path(__file__).with_name("static")
_VIS_DIR = "templates/lib/vis-9.1.2"  # inside the pyvis package


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: a swatch (node shape or edge line) and what it means.

    ``kind`` is ``"node"`` or ``"edge"``; ``shape`` is a vis-network node shape (dot, box,
    ellipse, diamond, triangle, star, square, hexagon…); ``dashes`` draws a dashed edge and
    ``arrow`` its arrowhead (turn it off for edges drawn without one).
    """

    kind: Literal["node", "edge"]
    text: str
    color: str
    shape: str = "dot"
    dashes: bool = False
    arrow: bool = True


# -- labels -------------------------------------------------------------------------------------

# A character is "wide" (counts 1) if it is CJK or full-width; latin letters count about half.
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_TOKEN = re.compile(r"[A-Za-z0-9_.\-/%+]+|\s+|.", re.DOTALL)
# Kinsoku: never start a line with closing punctuation, never end one with opening punctuation.
_NO_LINE_START = set("）)》」』】〕，,。.、；;：:！!？?”’·")
_NO_LINE_END = set("（(《「『【〔“‘")
_BREAK_AFTER = set("和与及、/·")


def _weight(token: str) -> float:
    if token.isspace():
        return 0.3
    return sum(1.0 if _WIDE.match(ch) else 0.55 for ch in token)


def wrap_label(text: str, width: int = 8) -> str:
    """Break a label into lines of about ``width`` Chinese characters, balanced in length.

    vis-network wraps a label only at spaces, so a long Chinese name is one wide line unless we
    break it. Latin words stay whole, existing line breaks are kept, and a line never starts
    with closing punctuation.

    >>> wrap_label("区城市管理综合执法局")
    '区城市管理\\n综合执法局'
    >>> wrap_label("区人力资源和社会保障局")
    '区人力资源和\\n社会保障局'
    >>> wrap_label("卜尔汉图镇")
    '卜尔汉图镇'
    >>> wrap_label("reports_to 3")
    'reports_to 3'
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    return "\n".join(
        wrapped for line in str(text).split("\n") for wrapped in _wrap_line(line, width)
    )


def _wrap_line(line: str, width: int) -> list[str]:
    tokens = [t for t in _TOKEN.findall(line)]
    weights = [_weight(t) for t in tokens]
    total = sum(weights)
    if total <= width:
        return [line.strip()]
    lines: list[str] = []
    start = 0
    remaining_lines = math.ceil(total / width)
    while start < len(tokens):
        remaining = sum(weights[start:])
        if remaining_lines <= 1 or remaining <= width:
            lines.append("".join(tokens[start:]).strip())
            break
        # balanced: 10 characters at width 8 give 5 + 5, not 8 + 2
        cap = math.ceil(remaining / remaining_lines)
        end = _line_end(tokens, weights, start, cap)
        lines.append("".join(tokens[start:end]).strip())
        start = end
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        remaining_lines -= 1
    return [text for text in lines if text]


def _line_end(tokens: list[str], weights: list[float], start: int, cap: int) -> int:
    """Index after the last token of the line that starts at ``start``."""
    used, end = 0.0, start
    while end < len(tokens) and (end == start or used + weights[end] <= cap):
        used += weights[end]
        end += 1
    # Prefer, within two characters before the cap, a break after a space or a joining word
    # (区住房和 / 城乡建设局 reads better than 区住房和城 / 乡建设局).
    for candidate in range(end, max(start + 1, end - 2) - 1, -1):
        if candidate < len(tokens) and (
            tokens[candidate - 1] in _BREAK_AFTER or tokens[candidate].isspace()
        ):
            end = candidate
            break
    # Kinsoku: pull closing punctuation up, push opening punctuation down.
    while end < len(tokens) and tokens[end] in _NO_LINE_START:
        end += 1
    while end - 1 > start and tokens[end - 1] in _NO_LINE_END:
        end -= 1
    return end


# -- data -------------------------------------------------------------------------------------


def _node_records(nodes: Iterable[Mapping[str, Any]], label_width: int) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for node in nodes:
        if "id" not in node:
            raise ValueError(f"a node has no 'id': {dict(node)!r}")
        record = dict(node)
        record["id"] = str(record["id"])
        if record["id"] in seen:
            raise ValueError(f"node id {record['id']!r} is given twice")
        seen.add(record["id"])
        name = str(record.get("name") or record.get("label") or record["id"])
        record["name"] = name  # unwrapped, for the search box
        record["label"] = wrap_label(str(record.get("label", name)), label_width)
        record.setdefault("node_type", record.get("group") or "node")
        record["node_type"] = str(record["node_type"])
        if record.get("title") is not None:
            record["title"] = str(record["title"])
        records.append(record)
    return records


def _edge_records(edges: Iterable[Mapping[str, Any]], node_ids: set[str]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, edge in enumerate(edges):
        record = dict(edge)
        for end in ("from", "to"):
            if end not in record:
                raise ValueError(f"edge {number} has no {end!r}: {dict(edge)!r}")
            record[end] = str(record[end])
            if record[end] not in node_ids:
                raise ValueError(
                    f"edge {number} points {end} node {record[end]!r}, not among the nodes"
                )
        record["id"] = str(record.get("id", f"e{number}"))
        if record["id"] in seen:
            raise ValueError(f"edge id {record['id']!r} is given twice")
        seen.add(record["id"])
        record.setdefault("edge_type", "edge")
        record["edge_type"] = str(record["edge_type"])
        if record.get("title") is not None:
            record["title"] = str(record["title"])
        if record.get("label") is not None:
            record["label"] = str(record["label"])
        records.append(record)
    return records


#: Roundness between neighbouring curves of edges that share their two ends. vis-network's
#: ``curvedCW`` moves a curve's middle by about roundness × length / 2.
_CURVE_STEP = 0.4
_EDGE_FONT_SIZE = 12
#: Joins the labels of edges that share their two ends into the one label drawn (one a line:
#: narrow labels fit between the edges fanning out of a hub).
LABEL_JOIN = "\n"


def _separate_parallel_edges(records: list[dict[str, Any]]) -> None:
    """Spread edges that share their two ends (in either direction) so none hides another, and
    write their labels once.

    vis-network draws parallel edges on one curve, their labels on top of each other. The
    ``n`` edges of a pair get curves spread symmetrically about the straight line (roundness
    ``_CURVE_STEP`` apart; the middle one of an odd number stays straight), the side measured
    in one orientation of the pair so an edge back bends to its own side too. Their labels
    become one (:func:`_merge_parallel_labels`).
    """
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_pair[_pair(record["from"], record["to"])].append(record)
    for (first, _second), group in by_pair.items():
        n = len(group)
        if n == 1:
            continue
        for k, record in enumerate(group):
            offset = (k - (n - 1) / 2) * _CURVE_STEP  # > 0: to the right of first -> other
            if offset:
                clockwise = (offset > 0) == (record["from"] == first)
                record.setdefault(
                    "smooth",
                    {
                        "enabled": True,
                        "type": "curvedCW" if clockwise else "curvedCCW",
                        "roundness": abs(offset),
                    },
                )
        _merge_parallel_labels(group)


def _merge_parallel_labels(group: list[dict[str, Any]]) -> None:
    """One label for the edges between two nodes: their texts joined (``LABEL_JOIN``) on the
    middle edge (straight when their number is odd), none on the others.

    An edge's ``merge_label``, when given, is its text in the joined label (a view whose labels
    are bare counts names the type there: 上报 23 · 反馈 4); each edge keeps its own label in
    ``own_label``.
    """
    parts = [str(r.get("merge_label") or r.get("label") or "") for r in group]
    if sum(bool(p) for p in parts) < 2:
        return
    carrier = group[(len(group) - 1) // 2]
    for record in group:
        record["own_label"] = record.get("label") or ""
        record["label"] = ""
    carrier["label"] = LABEL_JOIN.join(p for p in parts if p)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _colour_of(value: Any, default: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get("background") or value.get("color") or default)
    return str(value) if value else default


def _auto_legend(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    type_names: Mapping[str, str],
) -> list[LegendItem]:
    """One legend line per node type and per edge type, drawn as the first item of the type."""
    items: list[LegendItem] = []
    for node in _first_of_each(nodes, "node_type"):
        items.append(
            LegendItem(
                "node",
                type_names.get(node["node_type"], node["node_type"]),
                _colour_of(node.get("color"), "#97c2fc"),
                str(node.get("shape", "dot")),
            )
        )
    for edge in _first_of_each(edges, "edge_type"):
        items.append(
            LegendItem(
                "edge",
                type_names.get(edge["edge_type"], edge["edge_type"]),
                _colour_of(edge.get("color"), "#848484"),
                dashes=bool(edge.get("dashes")),
                arrow=_has_arrow(edge),
            )
        )
    return items


def _has_arrow(edge: Mapping[str, Any]) -> bool:
    """Whether vis draws the edge with an arrowhead (``arrows`` may be a string or a dict)."""
    arrows = edge.get("arrows")
    if arrows is None:
        return True  # the default of our options
    if isinstance(arrows, str):
        return bool(arrows.strip())
    if isinstance(arrows, Mapping):
        ends = [arrows.get(end) for end in ("to", "from", "middle")]
        return any(e is True or (isinstance(e, Mapping) and e.get("enabled", True)) for e in ends)
    return bool(arrows)


def _first_of_each(items: Sequence[Mapping[str, Any]], key: str) -> list[Mapping[str, Any]]:
    first: dict[str, Mapping[str, Any]] = {}
    for item in items:
        first.setdefault(item[key], item)
    return list(first.values())


def _filters(
    items: Sequence[Mapping[str, Any]], key: str, type_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    counts = Counter(item[key] for item in items)
    return [
        {"type": kind, "text": type_names.get(kind, kind), "count": counts[kind]}
        for kind in counts  # in order of first appearance, which the view controls
    ]


# -- layout -----------------------------------------------------------------------------------


def _arrange(
    nodes: list[dict[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    layout: Layout,
    threshold: int,
    row_width: int,
) -> Arrangement:
    """Pick how the page lays the graph out; for ``"banded"`` also give the nodes x and y."""
    if layout not in ("auto", "physics", "hierarchical", "fixed"):
        raise ValueError(
            f"layout must be 'auto', 'physics', 'hierarchical' or 'fixed', got {layout!r}"
        )
    if layout == "fixed":
        unplaced = [node["id"] for node in nodes if node.get("x") is None or node.get("y") is None]
        if unplaced:
            raise ValueError(f"the fixed layout needs x and y on every node; not on {unplaced[:5]}")
        return "fixed"
    if layout == "physics" or (layout == "auto" and len(nodes) <= threshold):
        return "physics"
    levels = [node.get("level") for node in nodes]
    with_level = sum(level is not None for level in levels)
    if 0 < with_level < len(nodes):
        raise ValueError(
            f"hierarchical layout needs a level on every node or on none; "
            f"{len(nodes) - with_level} of {len(nodes)} nodes have none"
        )
    bad = next((lv for lv in levels if lv is not None and not isinstance(lv, int)), None)
    if bad is not None:
        raise ValueError(f"node level must be an int rank (0 at the top), got {bad!r}")
    if with_level and max(Counter(levels).values()) > row_width:
        _place_in_bands(nodes, edges, row_width)
        return "banded"
    return "hierarchical"


def _place_in_bands(
    nodes: list[dict[str, Any]], edges: Sequence[Mapping[str, Any]], row_width: int
) -> None:
    """Top-down by level like vis's hierarchical layout, but a wide level wraps into rows.

    vis-network puts each level on one row: 1500 duties become a strip 200 000 px wide that
    fits the window as a line. Here each level is a band of columns, filled column by column
    in the order of the mean x of each node's neighbours already placed above (so edges stay
    short), and the bands together keep about the window's aspect ratio. O(n log n + e).
    """
    by_level: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        by_level[node["level"]].append(node)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        neighbours[edge["from"]].append(edge["to"])
        neighbours[edge["to"]].append(edge["from"])
    columns = max(row_width, math.ceil(math.sqrt(len(nodes) * 1.6 * _CELL_Y / _CELL_X)))
    x_of: dict[str, float] = {}
    y = 0.0
    for level in sorted(by_level):
        band = by_level[level]

        def order(node: Mapping[str, Any]) -> tuple[int, float, str]:
            xs = [x_of[m] for m in neighbours[node["id"]] if m in x_of]
            if xs:
                return (0, sum(xs) / len(xs), node["id"])
            return (1, -len(neighbours[node["id"]]), node["id"])

        band.sort(key=order)
        rows = math.ceil(len(band) / columns)
        used_columns = math.ceil(len(band) / rows)
        left = -(used_columns - 1) * _CELL_X / 2
        for k, node in enumerate(band):
            column, row = divmod(k, rows)
            # odd columns shift half a row so labels of neighbouring columns do not line up
            node["x"] = left + column * _CELL_X
            node["y"] = y + row * _CELL_Y + (_CELL_Y / 2 if column % 2 and rows > 1 else 0)
            x_of[node["id"]] = node["x"]
        y += (rows + 1.5) * _CELL_Y


def _stabilization_iterations(n_nodes: int) -> int:
    # Each iteration costs about n log n; fewer iterations on big graphs keep them near the
    # 3 s budget (bench/bench_viz.py), small graphs get enough to settle fully.
    if n_nodes <= 200:
        return 400
    if n_nodes <= 1000:
        return 200
    return 100


def _vis_options(
    nodes: Sequence[Mapping[str, Any]], n_edges: int, arrangement: Arrangement
) -> dict[str, Any]:
    n_nodes = len(nodes)
    large = n_nodes > HIERARCHICAL_THRESHOLD or n_edges > 2 * HIERARCHICAL_THRESHOLD
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {"face": FONT_STACK, "size": 14, "color": "#1f2933"},
            "borderWidth": 1,
            "margin": 8,
            "shapeProperties": {"interpolation": False},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {
                "face": FONT_STACK,
                "size": _EDGE_FONT_SIZE,
                "align": "horizontal",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "color": {"inherit": False},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": True,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
        # improvedLayout clusters and runs Kamada-Kawai first: worth it on small graphs only.
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
    }
    if arrangement in ("banded", "fixed"):
        # positions come with the nodes (_place_in_bands, or the view's); vis only draws them
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
    elif arrangement == "hierarchical":
        hierarchical: dict[str, Any] = {
            "enabled": True,
            "direction": "UD",
            "levelSeparation": 150,
            "nodeSpacing": 150,
            "treeSpacing": 180,
            # vis's crossing reduction is superlinear in a level's width: 4.1 s instead of
            # 0.5 s at 1000 nodes (bench/bench_viz.py), so only small views get it.
            "blockShifting": n_nodes <= _CROSSING_REDUCTION_MAX,
            "edgeMinimization": n_nodes <= _CROSSING_REDUCTION_MAX,
            "parentCentralization": True,
        }
        if all(node.get("level") is None for node in nodes):
            hierarchical["sortMethod"] = "directed"
        options["layout"]["hierarchical"] = hierarchical
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = (
            False
            if large
            else {
                "enabled": True,
                "type": "cubicBezier",
                "forceDirection": "vertical",
                "roundness": 0.4,
            }
        )
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.01,
                "springLength": 130,
                "springConstant": 0.06,
                "avoidOverlap": 0.6 if not large else 0,
            },
            "minVelocity": 1,
            "stabilization": {
                "enabled": True,
                "iterations": _stabilization_iterations(n_nodes),
                "updateInterval": 25,
                "fit": True,
            },
        }
        options["edges"]["smooth"] = False if large else {"enabled": True, "type": "continuous"}
    return options


# -- page -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    vis_dir = resources.files("pyvis").joinpath(_VIS_DIR)
    vis_js = vis_dir.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    # The source map is not shipped; drop the reference so nothing ever asks for it.
    vis_js = re.sub(r"//# sourceMappingURL=\S+", "", vis_js)
    vis_css = vis_dir.joinpath("vis-network.css").read_text(encoding="utf-8")
    for name, text in (("vis-network.min.js", vis_js), ("vis-network.css", vis_css)):
        if re.search(r"</(script|style)", text, re.IGNORECASE):  # would end our inline block early
            raise RuntimeError(f"pyvis's {name} contains a closing tag; cannot inline it")
    return {
        "vis_js": vis_js,
        "vis_css": vis_css,
        "page_js": (_STATIC_DIR / "dutygraph.js").read_text(encoding="utf-8"),
        "page_css": (_STATIC_DIR / "dutygraph.css").read_text(encoding="utf-8"),
    }


def _page_texts() -> dict[str, str]:
    """The page's own words (toolbar, legend, status lines) in the analyst's language."""
    return {
        "search": _("Find a name"),
        "placeholder": _("a department, matter or duty…"),
        "nodes": _("Nodes"),
        "edges": _("Edges"),
        "fitTitle": _("Put the whole graph back in the window"),
        "fit": _("Whole graph"),
        "saveTitle": _("Save the drawing as a PNG picture"),
        "save": _("Save picture"),
        "loading": _("Laying out…"),
        "legend": _("Legend"),
        "hint": _(
            "Hover a node or an edge for details; scroll to zoom, drag to pan; tick the types "
            "above to show or hide them."
        ),
        "counts": _("showing {nodes}/{totalNodes} nodes, {edges}/{totalEdges} edges"),
        "found": _("{count} found"),
        "notFound": _("nothing matches “{text}”"),
    }


def render_html(
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    *,
    title: str,
    subtitle: str = "",
    legend: Sequence[LegendItem] | None = None,
    notes: Sequence[str] = (),
    type_names: Mapping[str, str] | None = None,
    layout: Layout = "auto",
    hierarchical_threshold: int = HIERARCHICAL_THRESHOLD,
    row_width: int = ROW_WIDTH,
    label_width: int = 8,
    vis_options: Mapping[str, Any] | None = None,
    captions: Sequence[Caption] = (),
) -> str:
    """Render nodes and edges as one self-contained HTML page that works offline.

    Parameters
    ----------
    nodes
        Dicts with ``id`` and any of ``label``, ``title`` (tooltip, plain text: markup in it
        shows as text), ``group``, ``level`` (int rank, 0 at the top, for the hierarchical
        layout), ``shape``, ``color``, ``size``, ``node_type`` (what the type filter and the
        automatic legend use; default ``group``) and any other data, kept in the page's
        DataSet. ``name`` (default ``label``) is what the search box matches.
    edges
        Dicts with ``from`` and ``to`` (node ids) and any of ``id``, ``label``, ``title``,
        ``color``, ``width``, ``dashes``, ``edge_type`` and other data.
    title, subtitle
        The page's heading (name the list, the town and the view) and a line under it.
    legend
        The legend's lines; by default one per node type and edge type, drawn like the first
        node or edge of that type and named through ``type_names``.
    notes
        Sentences shown under the legend (how to read the view).
    type_names
        Display names of node and edge types, for the legend and the filters.
    layout
        ``"physics"`` (force-directed, stabilised then frozen), ``"hierarchical"`` (top-down by
        ``level``, no physics), ``"fixed"`` (every node brings its ``x`` and ``y``; no
        physics) or ``"auto"``: hierarchical above ``hierarchical_threshold`` nodes. Once laid
        out, a page of up to ``TIDY_MAX_NODES`` nodes bends an edge that would run through a
        node around it and puts each edge label where it covers no node, caption or label.
    row_width
        In the hierarchical layout, a level of more nodes than this wraps into a band of rows
        (vis-network would put it on one row, too wide to read).
    label_width
        Chinese characters per label line (see :func:`wrap_label`).
    vis_options
        vis-network options merged over ours (e.g. a longer ``springLength`` for a hub).
    captions
        Text drawn on the canvas (the names of a fixed layout's rows).

    Returns
    -------
    str
        The page. Write it with :func:`save_html` (UTF-8). In the page, ``window.dutygraph``
        holds ``network``, ``nodes`` and ``edges`` (vis DataSets), ``visibleCounts()`` and
        ``search(text)``; ``window.dutygraphReady`` turns true once the layout has settled and
        the graph is drawn, with the time in ``window.dutygraphTimings.ready`` (ms).

    Raises
    ------
    ValueError
        A node without id, a duplicate id, an edge to an unknown node, a level that is not an
        int, or levels on some nodes only in the hierarchical layout.

    Notes
    -----
    Linear in the number of nodes and edges (pyvis's ``add_node`` is quadratic).
    """
    # pyvis imports jinja2 and IPython helpers: import it only when a page is rendered.
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from pyvis.network import Network  # type: ignore[import-untyped]

    names = dict(type_names or {})
    node_records = _node_records(nodes, label_width)
    edge_records = _edge_records(edges, {record["id"] for record in node_records})
    arrangement = _arrange(node_records, edge_records, layout, hierarchical_threshold, row_width)
    options = _merged(_vis_options(node_records, len(edge_records), arrangement), vis_options or {})
    _separate_parallel_edges(edge_records)
    legend_items = (
        list(legend) if legend is not None else _auto_legend(node_records, edge_records, names)
    )

    net = Network(directed=True, cdn_resources="in_line", heading=title)
    # Direct assignment instead of add_node/add_edge (quadratic; see the module docstring).
    net.nodes = node_records
    net.edges = edge_records
    net.node_ids = [record["id"] for record in node_records]
    net.node_map = {record["id"]: record for record in node_records}
    net.options = options
    net.set_template_dir(str(_TEMPLATE_DIR) + "/", "page.html")
    # pyvis's Environment does not autoescape; ours does, so no text reaches the page as markup.
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True),
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    texts = _page_texts()
    env.globals["page"] = {
        "lang": "zh-CN" if current_language().startswith("zh") else "en",
        "texts": texts,
        "title": title,
        "subtitle": subtitle,
        "legend": legend_items,
        "notes": list(notes),
        "node_filters": _filters(node_records, "node_type", names),
        "edge_filters": _filters(edge_records, "edge_type", names),
        "config": {
            "options": options,
            "layout": "physics" if arrangement == "physics" else "hierarchical",
            "arrangement": arrangement,
            "physics": arrangement == "physics",
            "tidy": len(node_records) <= TIDY_MAX_NODES,
            "captions": [dataclasses.asdict(caption) for caption in captions],
            "texts": texts,
            "fileStem": _file_stem(title),
            # for the saved PNG, which draws the title and the legend next to the graph
            "title": title,
            "subtitle": subtitle,
            "legend": [dataclasses.asdict(item) for item in legend_items],
        },
        **_assets(),
    }
    net.templateEnv = env
    return net.generate_html()


def _merged(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merged(base[key], value)
        else:
            base[key] = value
    return base


def _file_stem(title: str) -> str:
    stem = re.sub(r'[\\/:*?"<>|\s·]+', "-", title).strip("-")
    return stem[:80] or "dutygraph"


def save_html(html: str, path: str | Path) -> Path:
    """Write a page as UTF-8 (whatever the platform's encoding), atomically, and return its
    path (``ExportError``, one line, when it cannot be written).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = save_html("<p>区民政局</p>", os.path.join(tmp, "a.html"))
    ...     p.read_bytes().decode("utf-8")
    '<p>区民政局</p>'
    """
    from ..safe_io import write_text

    return write_text(html, path)
