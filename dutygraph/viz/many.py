"""Views of many towns: a district, a department across towns, a matter town by town, a
province by district.

- ``district_view``: the towns and the departments they exchange work with, every handoff
  between a department and a town summed into one edge per (sender, receiver), laid out top
  down by level (city, district, towns);
- ``department_across_towns``: one department and the towns it works with, an edge per town
  and direction, its tooltip the matters (which towns does 区住建局 rely on, for what);
- ``matter_panels``: matter N of each list side by side, one panel per town (a matter number
  names unrelated matters in two towns' lists);
- ``province_view``: districts as nodes (each district's towns and district departments
  folded into it) with the city and province departments they exchange work with; a
  district's tooltip says how to draw it (``dutygraph viz district --district NAME``).

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> "区县视图" in district_view(G)
True
"""

from __future__ import annotations

import html as html_lib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import UnknownMatterError
from ..graphmodel.schema import NodeLabel
from ..handoff_types import HandoffType
from ..i18n import gettext as _
from ..queries import Handoff, handoffs
from .layout import FIXED_ROWS, level_rows, town_relation_rows
from .registry import VIEWS
from .render import LegendItem, render_html
from .style import (
    LEVELS,
    actor_legend,
    actor_node,
    dim,
    dim_legend,
    handoff_legend,
    joined,
    page_title,
    type_names,
)

__all__ = [
    "department_across_towns",
    "district_view",
    "lists_with_matter",
    "matter_panels",
    "province_view",
]

_MAX_LINES = 12
#: Nodes per row of a level: a district's 30 departments wrap into three rows above its towns.
_ROW_WIDTH = 10


@dataclass
class _Pair:
    """The handoffs of one (sender, receiver), with what the tooltip lists."""

    src: str
    dst: str
    types: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)
    reviewed: int = 0  # how many of its handoffs an analyst confirmed, corrected or added

    def add(self, h: Handoff, line: str) -> None:
        """Count one handoff of this pair, with its tooltip line."""
        self.types[h.type] += 1
        self.lines.append(line)
        self.reviewed += h.status != "machine"

    @property
    def count(self) -> int:
        return sum(self.types.values())

    @property
    def main_type(self) -> str:
        """The most frequent type (ties: the registry's order)."""
        order = list(HandoffType)
        return min(self.types, key=lambda t: (-self.types[t], order.index(HandoffType(t))))


def _label_of(G: nx.MultiDiGraph, node: str, *, districts: bool) -> str:
    """A town with its district when the graph spans several; a department with its body when
    another body's department has its name."""
    data = G.nodes[node]
    name = str(data.get("name", node))
    if data.get("label") == NodeLabel.TOWN.value and districts:
        return f"{data.get('district', '')}{name}"
    return name


def _shared_names(G: nx.MultiDiGraph) -> set[str]:
    """Department names that more than one body's department carries."""
    seen = Counter(
        d.get("name") for _, d in G.nodes(data=True) if d.get("label") == NodeLabel.DEPARTMENT.value
    )
    return {name for name, count in seen.items() if count > 1}


def _districts(G: nx.MultiDiGraph) -> list[str]:
    return sorted(
        {
            str(d.get("district", ""))
            for _, d in G.nodes(data=True)
            if d.get("label") == NodeLabel.TOWN.value
        }
    )


def _node(G: nx.MultiDiGraph, node: str, *, shared: set[str], districts: bool) -> dict[str, Any]:
    record = actor_node(G, node, many_towns=True)
    label = _label_of(G, node, districts=districts)
    if label in shared and G.nodes[node].get("body"):
        label = f"{label}（{G.nodes[node]['body']}）"
    record.update(label=label, name=label)
    return record


def _matter_line(G: nx.MultiDiGraph, town: str, h: Handoff) -> str:
    matter = G.nodes.get(f"matter:{h.matter_id}", {})
    kind = HandoffType(h.type).label
    return _("{town} #{number} {name}: {type} {evidence}").format(
        town=town, number=h.matter, name=matter.get("name", ""), type=kind, evidence=h.evidence
    )


def _pair_edges(
    G: nx.MultiDiGraph, pairs: Iterable[_Pair], *, dim_unreviewed: bool = False
) -> list[dict[str, Any]]:
    edges = []
    for pair in pairs:
        kind = pair.main_type
        summary = _(", ").join(f"{HandoffType(t).label} {n}" for t, n in pair.types.most_common())
        lines = list(dict.fromkeys(pair.lines))
        more = (
            [_("… {count} more").format(count=len(lines) - _MAX_LINES)]
            if len(lines) > _MAX_LINES
            else []
        )
        edge = {
            "from": pair.src,
            "to": pair.dst,
            "edge_type": kind,
            "color": HandoffType(kind).colour,
            "label": str(pair.count),
            # its part of the one label of a pair drawn both ways (render: merged labels)
            "merge_label": f"{HandoffType(kind).label} {pair.count}",
            "width": 1 + 1.5 * math.sqrt(pair.count),
            "title": "\n".join(
                [_("{summary} (handoffs)").format(summary=summary), *lines[:_MAX_LINES], *more]
            ),
        }
        edges.append(dim(edge, pair.reviewed, dim_unreviewed))
    return edges


def _legend(
    nodes: list[dict[str, Any]], types: Iterable[str], edges: Iterable[dict[str, Any]]
) -> list[LegendItem]:
    return [*actor_legend(nodes), *handoff_legend(types), *dim_legend(edges)]


# -- district -------------------------------------------------------------------------------------
def district_view(G: nx.MultiDiGraph, *, dim_unreviewed: bool = False) -> str:
    """The towns of the graph and the departments they exchange work with, by level.

    One edge per (sender, receiver) between a town and a department, its number the handoffs
    it stands for (all matters), its colour the most frequent type, its tooltip the matters.
    """
    pairs: dict[tuple[str, str], _Pair] = {}
    several = len(_districts(G)) > 1
    for h in handoffs(G):
        u, v = h.src, h.dst
        town = next((n for n in (u, v) if G.nodes[n]["label"] == NodeLabel.TOWN.value), None)
        other = v if town == u else u
        if town is None or G.nodes[other]["label"] != NodeLabel.DEPARTMENT.value:
            continue
        pair = pairs.setdefault((u, v), _Pair(u, v))
        pair.add(h, _matter_line(G, _label_of(G, town, districts=several), h))
    towns = [n for n, d in G.nodes(data=True) if d.get("label") == NodeLabel.TOWN.value]
    actors = list(dict.fromkeys([*towns, *sorted({n for key in pairs for n in key})]))
    shared = _shared_names(G)
    nodes = [_node(G, n, shared=shared, districts=several) for n in actors]
    edges = _pair_edges(G, pairs.values(), dim_unreviewed=dim_unreviewed)
    n_depts = len(actors) - len(towns)
    n_handoffs = sum(p.count for p in pairs.values())
    return render_html(
        nodes,
        edges,
        title=page_title(G, VIEWS["district"].shown_title),
        subtitle=_(
            "{towns} towns (streets), {departments} departments, {handoffs} handoffs"
        ).format(towns=len(towns), departments=n_depts, handoffs=n_handoffs),
        legend=_legend(nodes, {p.main_type for p in pairs.values()}, edges),
        type_names=type_names(),
        layout="fixed",
        vis_options=FIXED_ROWS,
        label_width=7,
        captions=level_rows(nodes, edges, town_relation_rows(nodes, edges)),
        notes=[
            _(
                "Top: city departments; middle: district departments; bottom: towns (streets). "
                "Each edge sums every handoff of one (sender, receiver)."
            ),
            _(
                "The number on an edge = handoffs; colour = the most frequent type; hover for "
                "the matters and the evidence."
            ),
        ],
    )


# -- a department across towns --------------------------------------------------------------------
def department_across_towns(
    G: nx.MultiDiGraph, department: str, *, dim_unreviewed: bool = False
) -> str:
    """One department (a node id) and the towns it works with: per town and direction one
    edge, its number the matters, its tooltip each matter with the handoffs' evidence."""
    several = len(_districts(G)) > 1
    pairs: dict[tuple[str, str], _Pair] = {}
    matters: dict[tuple[str, str], set[str]] = defaultdict(set)
    for h in handoffs(G):
        u, v = h.src, h.dst
        if department not in (u, v):
            continue
        other = v if u == department else u
        if G.nodes[other]["label"] == NodeLabel.VILLAGE.value:
            continue
        pair = pairs.setdefault((u, v), _Pair(u, v))
        pair.add(h, _matter_line(G, _label_of(G, other, districts=several), h))
        matters[(u, v)].add(h.matter_id)
    towns = sorted({n for key in pairs for n in key} - {department})  # and other departments
    shared = _shared_names(G)
    nodes = [_node(G, n, shared=shared, districts=several) for n in [department, *towns]]
    nodes[0].update(borderWidth=3, font={"size": 18})
    edges = _pair_edges(G, pairs.values(), dim_unreviewed=dim_unreviewed)
    for edge in edges:
        count = len(matters[(edge["from"], edge["to"])])
        edge["label"] = _("{count} matters").format(count=count)
        edge["merge_label"] = f"{HandoffType(edge['edge_type']).label} {edge['label']}"
    name = nodes[0]["label"]
    relied = sum(1 for u, _ in pairs if u != department)
    return render_html(
        nodes,
        edges,
        title=page_title(
            G, _("{view} {name}: the towns").format(view=VIEWS["department"].shown_title, name=name)
        ),
        subtitle=_(
            "hands work with {towns} towns (streets) or departments; {relied} edges point to it"
        ).format(towns=len(towns), relied=relied),
        legend=_legend(nodes, {p.main_type for p in pairs.values()}, edges),
        type_names=type_names(),
        layout="physics",
        notes=[
            _(
                "Town → department: the matters it relies on the town to report or escalate; "
                "department → town: the matters it assigns or feeds back to the town."
            ),
            _("The number on an edge = matters; hover for each matter and the evidence."),
        ],
    )


# -- a matter, town by town -----------------------------------------------------------------------
_PANELS_CSS = """
body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
       sans-serif; background: #fafafa; }
header { padding: 8px 16px; }
h1 { font-size: 20px; margin: 4px 0; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(640px, 1fr)); gap: 8px;
          padding: 0 8px 8px; }
.panel { background: white; border: 1px solid #ccd; }
.panel h2 { font-size: 15px; margin: 6px 10px; }
.panel iframe { width: 100%; height: 820px; border: 0; }
"""
_PANELS_JS = """
(function () {
  window.dutygraphReady = false;
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.dg-panel"));
  window.dutygraphPanels = frames;
  function poll() {
    var ready = frames.every(function (f) {
      try { return f.contentWindow && f.contentWindow.dutygraphReady === true; }
      catch (e) { return true; }
    });
    if (ready) { window.dutygraphReady = true; } else { setTimeout(poll, 100); }
  }
  poll();
})();
"""
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)


def matter_panels(
    G: nx.MultiDiGraph, numbers: dict[str, int] | int, *, dim_unreviewed: bool = False
) -> str:
    """Each list's matter of ``numbers`` ({list id: 序号}, or one 序号 for every list that has
    it) side by side: one panel (the matter view of that list alone) per list, under one
    title. A town with several lists (kinds, versions) is named by its list id.

    Raises
    ------
    UnknownMatterError
        No list has a matter of that number.
    """
    from .views import matter_view

    if isinstance(numbers, int):
        number = numbers
        numbers = {list_id: number for list_id, _m in lists_with_matter(G, number)}
        if not numbers:
            raise UnknownMatterError(
                _("no matter number {number} in the chosen lists").format(number=number)
            )
    several = len(_districts(G)) > 1
    towns = {
        list_id: f"{G.nodes[f'list:{list_id}'].get('district', '') if several else ''}"
        f"{G.nodes[f'list:{list_id}'].get('town', list_id)}"
        for list_id in numbers
    }
    repeated = {t for t in towns.values() if list(towns.values()).count(t) > 1}
    panels, names = [], []
    for list_id, number in numbers.items():
        name = list_id if towns[list_id] in repeated else towns[list_id]
        names.append(name)
        matter = next(
            (
                str(d.get("name", ""))
                for _n, d in G.nodes(data=True)
                if d.get("label") == NodeLabel.MATTER.value
                and d.get("list_id") == list_id
                and d.get("number") == number
            ),
            "",
        )
        heading = f"{name}：#{number} {matter}"
        page = matter_view(G, number, list_id=list_id, dim_unreviewed=dim_unreviewed)
        panels.append(
            f'<section class="panel"><h2>{_e(heading)}</h2>'
            f'<iframe class="dg-panel" title="{_e(heading)}" '
            f'srcdoc="{html_lib.escape(page, quote=True)}"></iframe></section>'
        )
    shown = sorted(set(numbers.values()))
    if len(shown) == 1:
        title = _("Matter {number}: {towns}, a panel each").format(
            number=shown[0], towns=joined(names)
        )
    else:
        title = _("Matter {name}: {towns}, a panel each").format(
            name=_matter_title(G, numbers), towns=joined(names)
        )
    return _panel_page(title, panels)


def _matter_title(G: nx.MultiDiGraph, numbers: dict[str, int]) -> str:
    """The names the lists give the matter (最低生活保障审核确认、农村最低生活保障)."""
    names = [
        str(d.get("name", ""))
        for _n, d in G.nodes(data=True)
        if d.get("label") == NodeLabel.MATTER.value
        and numbers.get(str(d.get("list_id"))) == d.get("number")
    ]
    return "、".join(dict.fromkeys(names))


def lists_with_matter(G: nx.MultiDiGraph, number: int) -> list[tuple[str, str]]:
    """(list id, matter node) of every list with a matter of that number."""
    found = [
        (str(d.get("list_id")), n)
        for n, d in G.nodes(data=True)
        if d.get("label") == NodeLabel.MATTER.value and d.get("number") == number
    ]
    return sorted(found)


def _panel_page(title: str, panels: Sequence[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{_e(title)}</title>\n<style>{_PANELS_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1 id="dg-title">{_e(title)}</h1></header>\n'
        f'<div class="panels">{"".join(panels)}</div>\n'
        f"<script>{_PANELS_JS}</script>\n</body>\n</html>\n"
    )


def _e(text: object) -> str:
    return html_lib.escape(str(text), quote=True)


# -- a province, by district ----------------------------------------------------------------------
def province_view(G: nx.MultiDiGraph, *, dim_unreviewed: bool = False) -> str:
    """Districts as nodes: each district's towns and district departments fold into one node,
    joined to the city and province departments they exchange work with (and to each other).
    A district's tooltip lists its towns and how to draw it town by town."""
    district_of = _district_of_nodes(G)
    pairs: dict[tuple[str, str], _Pair] = {}
    towns: dict[str, set[str]] = defaultdict(set)
    for node, data in G.nodes(data=True):
        if data.get("label") == NodeLabel.TOWN.value:
            towns[district_of[node]].add(str(data.get("name", "")))
    for h in handoffs(G):
        src, dst = district_of.get(h.src, h.src), district_of.get(h.dst, h.dst)
        if src == dst or G.nodes.get(h.src, {}).get("label") == NodeLabel.VILLAGE.value:
            continue
        pair = pairs.setdefault((src, dst), _Pair(src, dst))
        town = G.nodes["list:" + h.list_id].get("town", "")
        pair.add(h, _matter_line(G, town, h))
    nodes = [_district_node(name, towns[name]) for name in sorted(towns)]
    others = sorted({n for key in pairs for n in key} - set(towns))
    shared = _shared_names(G)
    nodes += [_node(G, n, shared=shared, districts=True) for n in others]
    edges = _pair_edges(G, pairs.values(), dim_unreviewed=dim_unreviewed)
    return render_html(
        nodes,
        edges,
        title=page_title(G, VIEWS["province"].shown_title),
        subtitle=_(
            "{districts} districts, {departments} departments above them, {edges} summed edges"
        ).format(districts=len(towns), departments=len(others), edges=len(edges)),
        legend=[
            LegendItem(
                "node", _("district (its towns and departments folded in)"), "#f6c85f", "ellipse"
            ),
            *_legend(nodes[len(towns) :], {p.main_type for p in pairs.values()}, edges),
        ],
        type_names=type_names() | {"District": _("district")},
        layout="hierarchical",
        label_width=7,
        row_width=_ROW_WIDTH,
        notes=[
            _(
                "One node per district: its towns (streets) and district departments folded in; "
                "the number on an edge = handoffs."
            ),
            _(
                "A district's towns and departments: dutygraph viz district --district NAME "
                "(hover the district)."
            ),
        ],
    )


def _district_of_nodes(G: nx.MultiDiGraph) -> dict[str, str]:
    """Town, village and district-level department nodes -> the district node they fold into."""
    folded = {}
    for node, data in G.nodes(data=True):
        label = data.get("label")
        if label == NodeLabel.TOWN.value:
            folded[node] = f"district:{data.get('district') or '（区县未知）'}"
        elif label == NodeLabel.DEPARTMENT.value and data.get("level") in ("区", "其他"):
            folded[node] = f"district:{data.get('body') or '（区县未知）'}"
    for node, data in G.nodes(data=True):
        if data.get("label") == NodeLabel.VILLAGE.value:
            folded[node] = next(
                (folded[t] for t in G.successors(node) if t in folded), "district:（区县未知）"
            )
    return folded


def _district_node(node: str, towns: set[str]) -> dict[str, Any]:
    name = node.removeprefix("district:")
    listed = joined(sorted(towns)[:20]) + (" …" if len(towns) > 20 else "")
    return {
        "id": node,
        "label": f"{name}\n" + _("{count} towns").format(count=len(towns)),
        "name": name,
        "node_type": "District",
        "shape": "ellipse",
        "color": "#f6c85f",
        "level": LEVELS["区"].rank + 1,
        "size": 20 + 2 * math.sqrt(len(towns)),
        "title": f"{name}: {listed}\n"
        + _("draw its towns and departments: dutygraph viz district --district {name}").format(
            name=name
        ),
    }
