"""The diagrams analysts ask for, each a function of the handoff graph that returns a page.

Every view takes the graph of ``dutygraph.graphmodel.build`` (one or many lists; a scoped view
works too) and returns one self-contained HTML string (``render.render_html``); write it with
``render.save_html``. The views:

- ``overview``: towns, villages and departments; handoffs aggregated per (src, dst, type),
  the count as label and width; departments sized by the matters they lead; rows by level.
- ``matter_view``: one matter, top-down by level, each handoff with its evidence on hover and
  each actor's duties in its tooltip.
- ``department_view``: one department, the matters it leads and its handoffs with the towns.
- ``escalations_view``: the escalation chains of ``queries.escalations``.
- ``gaps_view``: what the town hands up with nothing coming back (red) against closed loops
  (green), from ``queries.feedback_gaps``.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> html = render_view(G, "matter", "3")
>>> "事项 3" in html and "大跨度结构建筑安全排查" in html
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx
import pandas as pd

from ..errors import DutygraphError, UnknownMatterError
from ..graphmodel.schema import (
    HANDOFF_TYPES,
    TOWN_LEVEL,
    VILLAGE_LEVEL,
    NodeLabel,
    RelType,
)
from ..graphmodel.scope import actor_node_in_list
from ..handoff_types import HandoffType
from ..i18n import gettext as _
from ..queries import town_node_of_list
from ..review.terms import STATUS_NAMES as _STATUS_NAMES
from .render import LegendItem, render_html

__all__ = [
    "LEVELS",
    "Level",
    "VIEWS",
    "department_view",
    "escalations_view",
    "gaps_view",
    "matter_view",
    "overview",
    "render_view",
]

#: The views ``dutygraph viz`` knows, in the order its help lists them.
VIEWS: tuple[str, ...] = (
    "overview",
    "matter",
    "department",
    "escalations",
    "gaps",
    "district",
    "province",
)


@dataclass(frozen=True)
class Level:
    """How the actors of one level are drawn: row from the top of a top-down layout, the name in
    legends and tooltips, the fill colour."""

    rank: int
    name: str
    colour: str


#: The levels the graph gives its actors (departments: 部, 省, 市, 区 and 其他 from the
#: vocabulary; ``schema.TOWN_LEVEL``, ``schema.VILLAGE_LEVEL``), from the top down.
LEVELS: dict[str, Level] = {
    "部": Level(0, "国家部委", "#b8a9e0"),
    "省": Level(1, "自治区 / 省级部门", "#b8a9e0"),
    "市": Level(2, "市级部门", "#7fc6c0"),
    "区": Level(3, "区级部门", "#bcd8f2"),
    "其他": Level(3, "其他部门（级别未知）", "#dde1e6"),
    TOWN_LEVEL: Level(4, "镇（街道）", "#f6c85f"),
    VILLAGE_LEVEL: Level(5, "村（社区）", "#b5dd8c"),
}
#: The department levels, top down (the others are the town's and the village's).
_DEPT_LEVELS = [code for code in LEVELS if code not in (TOWN_LEVEL, VILLAGE_LEVEL)]
#: node_type -> the reader's name of it, in legend order.
_NODE_TYPE_NAMES = {
    "Town": LEVELS[TOWN_LEVEL].name,
    "Village": LEVELS[VILLAGE_LEVEL].name,
    **{f"dept:{code}": LEVELS[code].name for code in _DEPT_LEVELS},
    "Matter": "事项",
}
_MATTER_COLOUR = "#f4f1e8"
_LEADS_COLOUR = "#9aa5b1"
_GAP_COLOUR = "#d62728"
_CLOSED_COLOUR = "#2ca02c"
_MAX_TOOLTIP_LINES = 12
# The town is a hub of 20-30 departments. Each edge's spring grows with the degree of its
# busier end (_spring_lengths), so the hub's neighbours sit on a circle wide enough for their
# labels, alternately on an inner and an outer ring so neighbouring labels do not meet; the
# others stay close. Labels sit on a white background where edges cross them; "1" is not
# written on single handoffs. Tuned on the reference list by looking at the screenshots.
_SPRING_BASE = 110
_SPRING_PER_DEGREE = 45
_HUB_DEGREE = 8  # from this many neighbours a node is a hub whose neighbours are staggered
_OUTER_RING = 1.5
_HUB_PHYSICS = {
    "physics": {
        "forceAtlas2Based": {
            "gravitationalConstant": -120,
            "springConstant": 0.08,
            "centralGravity": 0.005,
            "avoidOverlap": 1,
        }
    },
    "nodes": {"font": {"size": 22, "background": "rgba(255,255,255,0.8)"}},
    "edges": {"font": {"size": 18}},
}


def _pin_single_town(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Fix the one town at the centre: the departments then settle on rings around it
    (left free, the hub drifts to a side and its neighbours bunch up on the other).

    Departments with no handoff (they only lead matters) would be pushed far out by the hub
    and shrink the fitted drawing; they stand still in a column right of the rings instead.
    Call after :func:`_spring_lengths`.
    """
    towns = [node for node in nodes if node["node_type"] == "Town"]
    if len(towns) != 1:
        return
    towns[0].update(x=0, y=0, fixed=True)
    linked = {end for edge in edges for end in (edge["from"], edge["to"])}
    idle = [node for node in nodes if node["id"] not in linked and node is not towns[0]]
    reach = max((edge.get("length", _SPRING_BASE) for edge in edges), default=_SPRING_BASE)
    per_column = max(4, math.ceil(math.sqrt(len(idle) * 2)))
    for k, node in enumerate(idle):
        column, row = divmod(k, per_column)
        rows = min(per_column, len(idle) - column * per_column)
        node.update(
            x=round(reach * 1.5 + column * 190),
            y=round((row - (rows - 1) / 2) * 110),
            fixed=True,
            physics=False,
        )


def _spring_lengths(edges: list[dict[str, Any]]) -> None:
    """Give each edge a spring length (vis ``length``) by the degree of its busier end."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        neighbours[edge["from"]].add(edge["to"])
        neighbours[edge["to"]].add(edge["from"])
    degree = {node: len(others) for node, others in neighbours.items()}
    outer: set[tuple[str, str]] = set()
    for hub, others in neighbours.items():
        if degree[hub] >= _HUB_DEGREE:
            ring = sorted(others, key=lambda n: (degree[n], n))
            outer.update((hub, n) for n in ring[1::2])
    for edge in edges:
        ends = (edge["from"], edge["to"])
        busier, other = sorted(ends, key=lambda n: (-degree[n], n))
        length = _SPRING_BASE + _SPRING_PER_DEGREE * math.sqrt(degree[busier])
        if (busier, other) in outer:
            length *= _OUTER_RING
        edge["length"] = round(length)


def _type_names() -> dict[str, str]:
    names = dict(_NODE_TYPE_NAMES)
    names.update({t.value: f"{t.label}（{t.value}）" for t in HandoffType})
    return names


# -- reading the graph ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Handoff:
    src: str
    dst: str
    type: str  # reports_to, …
    list_id: str
    matter_id: str
    matter: int
    evidence: str
    duty_id: str
    implicit: bool
    status: str = "machine"  # the review status (review.reviewed_handoffs)


def _handoffs(G: nx.MultiDiGraph) -> list[_Handoff]:
    found = []
    for u, v, data in G.edges(data=True):
        rel = data.get("type")
        if rel is None or rel not in RelType.__members__.values():
            continue
        handoff_type = RelType(rel).handoff_type
        if handoff_type is None:
            continue
        found.append(
            _Handoff(
                u,
                v,
                handoff_type,
                data.get("list_id", ""),
                data.get("matter_id", ""),
                int(data.get("matter", 0)),
                str(data.get("evidence", "")),
                str(data.get("duty_id", "")),
                bool(data.get("implicit", False)),
                str(data.get("status", "machine")),
            )
        )
    found.sort(key=lambda h: (h.list_id, h.matter, HANDOFF_TYPES.index(h.type), h.src, h.dst))
    return found


def _nodes_of(G: nx.MultiDiGraph, label: NodeLabel) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("label") == label.value]


def _name(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("name", node))


def _towns(G: nx.MultiDiGraph) -> list[str]:
    return sorted(_name(G, n) for n in _nodes_of(G, NodeLabel.TOWN))


def _page_title(G: nx.MultiDiGraph, view: str) -> str:
    """'卜尔汉图镇配合履职事项清单 · 总览': the list(s) (which name their town) and the view."""
    lists = sorted(_name(G, n) for n in _nodes_of(G, NodeLabel.LIST))
    towns = _towns(G)
    if not lists:
        subject = "、".join(towns) or "（空图）"
    elif len(lists) <= 3:
        subject = "、".join(lists)
    else:
        subject = f"{len(lists)} 份清单（{'、'.join(towns[:3])} 等 {len(towns)} 个镇街）"
    return f"{subject} · {view}"


def _matter_label(G: nx.MultiDiGraph, matter_id: str) -> str:
    node = f"matter:{matter_id}"
    if node in G:
        data = G.nodes[node]
        return f"#{data.get('number')} {data.get('name', '')}"
    return matter_id


def _duty_text(G: nx.MultiDiGraph, duty_id: str) -> str:
    node = f"duty:{duty_id}"
    return str(G.nodes[node].get("text", "")) if node in G else ""


def _clip(lines: list[str], limit: int = _MAX_TOOLTIP_LINES) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"…另有 {len(lines) - limit} 条"]


# -- nodes -------------------------------------------------------------------------------------


def _actor_node(
    G: nx.MultiDiGraph,
    node: str,
    *,
    many_towns: bool,
    dot: bool = False,
    size: float | None = None,
    tooltip: Iterable[str] = (),
) -> dict[str, Any]:
    """A town, village or department as a node dict, styled by its kind and level."""
    data = G.nodes[node]
    label = data.get("label")
    name = _name(G, node)
    lines = list(tooltip)
    if label == NodeLabel.TOWN.value:
        shape, colour = "diamond", LEVELS[TOWN_LEVEL].colour
        record = {"node_type": "Town", "level": LEVELS[TOWN_LEVEL].rank, "size": 26}
        head = f"镇（街道）：{name}"
    elif label == NodeLabel.VILLAGE.value:
        shape, colour = "triangleDown", LEVELS[VILLAGE_LEVEL].colour
        town = data.get("town", "")
        name = f"{town} {name}" if many_towns else name
        record = {"node_type": "Village", "level": LEVELS[VILLAGE_LEVEL].rank, "size": 18}
        head = f"{town}下辖的村（社区）（作为一个整体）"
    else:
        level = str(data.get("level", "其他"))
        level = level if level in _DEPT_LEVELS else "其他"
        shape = "dot" if dot else "box"
        colour = LEVELS[level].colour
        node_type = f"dept:{level}"
        record = {"node_type": node_type, "level": LEVELS[level].rank}
        head = f"{name}（{LEVELS[level].name}）"
    record.update(
        id=node, label=name, name=name, shape=shape, color=colour, title="\n".join([head, *lines])
    )
    if size is not None:
        record["size"] = size
    return record


@dataclass
class _Aggregate:
    """Handoffs of one (src, dst, type), with what the tooltip lists."""

    src: str
    dst: str
    type: str
    lines: list[str] = field(default_factory=list)
    matters: set[str] = field(default_factory=set)
    reviewed: int = 0  # how many of its handoffs an analyst confirmed, corrected or added

    @property
    def count(self) -> int:
        return len(self.lines)


def _aggregate(G: nx.MultiDiGraph, handoffs: Iterable[_Handoff]) -> list[_Aggregate]:
    groups: dict[tuple[str, str, str], _Aggregate] = {}
    for h in handoffs:
        group = groups.setdefault((h.src, h.dst, h.type), _Aggregate(h.src, h.dst, h.type))
        group.lines.append(f"{_matter_label(G, h.matter_id)}：{h.evidence}{_status_note(h)}")
        group.matters.add(h.matter_id)
        group.reviewed += h.status != "machine"
    return list(groups.values())


def _status_note(h: _Handoff) -> str:
    return "" if h.status == "machine" else f"（{_STATUS_NAMES.get(h.status, h.status)}）"


def _faded(colour: str) -> str:
    """A colour mixed 65 % with white: how an unreviewed edge is drawn with --dim-unreviewed."""
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * 0.65):02x}" for c in (red, green, blue))


def _dim(edge: dict[str, Any], reviewed: int, dim_unreviewed: bool) -> dict[str, Any]:
    """Draw an edge no analyst has looked at faded and dashed (when asked)."""
    if dim_unreviewed and reviewed == 0:
        edge.update(color=_faded(edge["color"]), dashes=True, unreviewed=True)
        edge["title"] += "\n（未复核：机器抽取）"
    return edge


def _dim_legend(edges: Iterable[Mapping[str, Any]]) -> list[LegendItem]:
    if any(e.get("unreviewed") for e in edges):
        return [LegendItem("edge", "浅色虚线 = 未复核（机器抽取）", _faded("#52606d"), dashes=True)]
    return []


def _aggregate_edge(
    G: nx.MultiDiGraph, agg: _Aggregate, *, label_ones: bool = True, dim_unreviewed: bool = False
) -> dict[str, Any]:
    """The edge of an aggregate; ``label_ones=False`` leaves single handoffs unlabelled (a
    crowded overview reads better without a "1" on most edges)."""
    zh, colour = HandoffType(agg.type).label, HandoffType(agg.type).colour
    head = (
        f"{zh}（{agg.type}）：{_name(G, agg.src)} → {_name(G, agg.dst)}，"
        f"{agg.count} 次，涉及 {len(agg.matters)} 个事项"
    )
    edge = {
        "from": agg.src,
        "to": agg.dst,
        "edge_type": agg.type,
        "color": colour,
        "label": str(agg.count) if label_ones or agg.count > 1 else "",
        "width": 1 + 1.5 * math.sqrt(agg.count),
        "title": "\n".join([head, *_clip(agg.lines)]),
        "count": agg.count,
    }
    return _dim(edge, agg.reviewed, dim_unreviewed)


def _matter_edges(
    G: nx.MultiDiGraph, handoffs: Iterable[_Handoff], *, dim_unreviewed: bool = False
) -> list[dict[str, Any]]:
    """One edge per (src, dst, type) of a matter: its type as label (with ×n when the same
    handoff is stated in n duties), every evidence clause with its duty in the tooltip."""
    groups: dict[tuple[str, str, str], list[_Handoff]] = defaultdict(list)
    for h in handoffs:
        groups[(h.src, h.dst, h.type)].append(h)
    edges = []
    for (src, dst, handoff_type), group in groups.items():
        zh, colour = HandoffType(handoff_type).label, HandoffType(handoff_type).colour
        n = len(group)
        head = f"{zh}（{handoff_type}）：{_name(G, src)} → {_name(G, dst)}"
        lines = [head + (f"，{n} 条职责写到" if n > 1 else "")]
        for k, h in enumerate(group, start=1):
            number = f" {k}" if n > 1 else ""
            lines.append(f"证据{number}：{h.evidence}{_status_note(h)}")
            duty = _duty_text(G, h.duty_id)
            if duty:
                lines.append(f"出自职责{number}：{duty}")
            if h.implicit:
                lines.append("（接收方未写明，按牵头部门推定）")
        edge = {
            "from": src,
            "to": dst,
            "edge_type": handoff_type,
            "color": colour,
            "label": zh if n == 1 else f"{zh} ×{n}",
            "width": 1 + math.sqrt(n),
            "title": "\n".join(lines),
            "matter": group[0].matter,
            "evidence": "；".join(h.evidence for h in group),
            "count": n,
        }
        reviewed = sum(h.status != "machine" for h in group)
        edges.append(_dim(edge, reviewed, dim_unreviewed))
    return edges


def _handoff_legend(types: Iterable[str]) -> list[LegendItem]:
    present = set(types)
    return [
        LegendItem("edge", f"{t.label}（{t.value}）", t.colour) for t in HandoffType if t in present
    ]


def _actor_legend(nodes: Iterable[Mapping[str, Any]], *, dot: bool = False) -> list[LegendItem]:
    seen: dict[str, Mapping[str, Any]] = {}
    for node in nodes:
        seen.setdefault(node["node_type"], node)
    return [
        LegendItem("node", _NODE_TYPE_NAMES[t], seen[t]["color"], seen[t]["shape"])
        for t in _NODE_TYPE_NAMES
        if t in seen
    ]


# -- views -------------------------------------------------------------------------------------


def overview(G: nx.MultiDiGraph, *, dim_unreviewed: bool = False) -> str:
    """Towns, villages and departments, with every handoff aggregated per (src, dst, type).

    Departments are dots sized by the matters they lead (``queries.workload``), in rows by
    level: city above district above the town above its villages. An edge's label and width
    give how many handoffs it stands for; its tooltip lists them with their evidence.
    """
    from ..queries import workload

    handoffs = _handoffs(G)
    led: dict[str, int] = defaultdict(int)
    town_duties: dict[str, int] = defaultdict(int)
    for row in workload(G).itertuples(index=False):
        node = actor_node_in_list(G, str(row.list_id), str(row.department))
        if node is not None:
            led[node] += int(row.matters_led)
            town_duties[node] += int(row.town_duties)
    actors: list[str] = [*_nodes_of(G, NodeLabel.TOWN)]
    actors += sorted({n for h in handoffs for n in (h.src, h.dst)} - set(actors))
    actors += sorted(set(led) - set(actors))
    many_towns = len(_towns(G)) > 1
    nodes = []
    for node in actors:
        if G.nodes[node].get("label") == NodeLabel.DEPARTMENT.value:
            n_led = led.get(node, 0)
            nodes.append(
                _actor_node(
                    G,
                    node,
                    many_towns=many_towns,
                    dot=True,
                    size=8 + 5 * math.sqrt(n_led),
                    tooltip=[
                        f"牵头 {n_led} 个事项，其中镇（街道）配合职责 {town_duties.get(node, 0)} 条"
                    ],
                )
            )
        else:
            nodes.append(_actor_node(G, node, many_towns=many_towns))
    aggregates = _aggregate(G, handoffs)
    edges = [
        _aggregate_edge(G, agg, label_ones=False, dim_unreviewed=dim_unreviewed)
        for agg in aggregates
    ]
    _spring_lengths(edges)
    _pin_single_town(nodes, edges)
    legend = _actor_legend(nodes) + _handoff_legend(a.type for a in aggregates)
    legend += _dim_legend(edges)
    return render_html(
        nodes,
        edges,
        title=_page_title(G, "总览"),
        subtitle=(
            f"{len(handoffs)} 条交接，按（发出方，接收方，类型）合并为 {len(edges)} 条连线；"
            f"{sum(1 for n in nodes if n['node_type'].startswith('dept:'))} 个部门"
        ),
        legend=legend,
        type_names=_type_names(),
        layout="physics",
        vis_options=_HUB_PHYSICS,
        notes=[
            "连线上的数字 = 交接次数（线越粗越多；没有数字 = 1 次）。",
            "部门圆点大小 = 牵头事项数；颜色 = 级别。",
        ],
    )


def _matter_number(G: nx.MultiDiGraph, target: str, list_id: str | None) -> int:
    """The number of the matter ``target`` names (its number, or its name: ``naming``)."""
    from ..naming import resolve_matter

    rows = [
        {"list_id": d.get("list_id"), "number": d.get("number"), "name": d.get("name", "")}
        for n in _nodes_of(G, NodeLabel.MATTER)
        for d in [G.nodes[n]]
        if list_id is None or d.get("list_id") == list_id
    ]
    frame = pd.DataFrame(rows, columns=["list_id", "number", "name"])
    return resolve_matter(target, frame)


def matter_view(
    G: nx.MultiDiGraph, number: int, *, list_id: str | None = None, dim_unreviewed: bool = False
) -> str:
    """One matter: its departments, the town, each handoff with its evidence, top-down.

    Each actor's duties in the matter are in its tooltip; a thick border marks the matter's
    responsible departments (对应上级部门). A matter number found in several lists draws them
    all (pass ``list_id`` to pick one).

    Raises
    ------
    UnknownMatterError
        No matter has that number (in that list).
    """
    matters = [
        n
        for n in _nodes_of(G, NodeLabel.MATTER)
        if G.nodes[n].get("number") == number
        and (list_id is None or G.nodes[n].get("list_id") == list_id)
    ]
    if not matters:
        lists = (G.nodes[n].get("list_id", n) for n in _nodes_of(G, NodeLabel.LIST))
        where = list_id or ", ".join(sorted(str(x) for x in lists))
        raise UnknownMatterError(
            _("no matter {number} in {lists}").format(number=number, lists=where)
        )
    matter_ids = {G.nodes[m].get("matter_id", m.removeprefix("matter:")) for m in matters}
    handoffs = [h for h in _handoffs(G) if h.matter_id in matter_ids]
    leads = {
        u
        for m in matters
        for u, _, d in G.in_edges(m, data=True)
        if d.get("type") == RelType.LEADS.value
    }
    duties, guarantees = _duties_and_guarantees(G, matters)
    towns = [town_node_of_list(G, str(G.nodes[m].get("list_id", ""))) for m in matters]
    actors = list(
        dict.fromkeys(
            [*sorted(leads), *towns, *sorted({n for h in handoffs for n in (h.src, h.dst)})]
        )
    )
    many_towns = len(set(towns)) > 1
    nodes = []
    for node in actors:
        if node not in G:
            continue
        role = ["牵头（对应上级部门）"] if node in leads else []
        record = _actor_node(
            G,
            node,
            many_towns=many_towns,
            tooltip=[*role, *(["本事项职责："] if duties[node] else []), *_clip(duties[node])],
        )
        if node in leads:
            record["borderWidth"] = 3
        nodes.append(record)
    edges = _matter_edges(G, handoffs, dim_unreviewed=dim_unreviewed)
    names = sorted({str(G.nodes[m].get("name", "")) for m in matters})
    categories = sorted({str(G.nodes[m].get("category", "")) for m in matters} - {""})
    notes = [
        "粗框 = 本事项的对应上级部门（牵头）。",
        "悬停部门或镇看它在本事项中的职责；悬停连线看原文证据和出处职责。",
        "同一交接写在几条职责里时合并为一条线，标“×几”。",
    ]
    if categories:
        notes.insert(0, f"类别：{'、'.join(categories)}")
    notes += list(dict.fromkeys(guarantees))
    if not handoffs:
        notes.insert(0, "本事项没有抽取到交接。")
    return render_html(
        nodes,
        edges,
        title=_page_title(G, f"事项 {number} {'、'.join(names)}"),
        subtitle=(
            f"{len(handoffs)} 条交接"
            + (f"，合并为 {len(edges)} 条连线" if len(edges) != len(handoffs) else "")
            + "；从上到下：市级、区级部门，镇（街道），村（社区）"
        ),
        legend=_actor_legend(nodes)
        + _handoff_legend(h.type for h in handoffs)
        + _dim_legend(edges),
        notes=notes,
        type_names=_type_names(),
        layout="hierarchical",
        label_width=7,
    )


def _duties_and_guarantees(
    G: nx.MultiDiGraph, matters: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Each actor's numbered duties in these matters, and their guarantee lines."""
    duties: dict[str, list[str]] = defaultdict(list)
    guarantees: list[str] = []
    for m in matters:
        for duty, _m, d in G.in_edges(m, data=True):
            if d.get("type") == RelType.DUTY_OF.value:
                for owner, _duty, e in G.in_edges(duty, data=True):
                    if e.get("type") == RelType.HAS_DUTY.value:
                        data = G.nodes[duty]
                        duties[owner].append(f"{data.get('number', '')}. {data.get('text', '')}")
            elif d.get("type") == RelType.GUARANTEES.value and G.nodes[duty].get("text"):
                text = str(G.nodes[duty]["text"]).removeprefix("履职保障：")
                where = f"（{_town_of(G, m)}）" if len(matters) > 1 else ""
                guarantees.append(f"履职保障{where}：{text}")
    return duties, guarantees


def _town_of(G: nx.MultiDiGraph, matter: str) -> str:
    list_node = f"list:{G.nodes[matter].get('list_id', '')}"
    return str(G.nodes[list_node].get("town", "")) if list_node in G else ""


def department_view(G: nx.MultiDiGraph, name: str, *, dim_unreviewed: bool = False) -> str:
    """One department: the matters it leads and its handoffs with the town(s) and others.

    ``name`` is a department's name, or a part of one that names exactly one department.

    Raises
    ------
    DutygraphError
        No department, or several, match ``name``.
    """
    node = _find_department(G, name)
    led = sorted(
        (m for _, m, d in G.out_edges(node, data=True) if d.get("type") == RelType.LEADS.value),
        key=lambda m: (G.nodes[m].get("list_id", ""), G.nodes[m].get("number", 0)),
    )
    handoffs = [h for h in _handoffs(G) if node in (h.src, h.dst)]
    involved = sorted(
        {f"matter:{h.matter_id}" for h in handoffs} - set(led),
        key=lambda m: (
            (G.nodes[m].get("list_id", ""), G.nodes[m].get("number", 0)) if m in G else ("", 0)
        ),
    )
    many_towns = len(_towns(G)) > 1
    dept_name = _name(G, node)
    actors = [node, *sorted({n for h in handoffs for n in (h.src, h.dst)} - {node})]
    nodes = [_actor_node(G, a, many_towns=many_towns) for a in actors]
    nodes[0].update(borderWidth=3, font={"size": 18})
    matter_nodes = []
    for m in [*led, *involved]:
        if m not in G:
            continue
        data = G.nodes[m]
        town = _town_of(G, m)
        matter_nodes.append(
            {
                "id": m,
                "label": f"#{data.get('number')} {data.get('name', '')}",
                "name": f"{data.get('number')} {data.get('name', '')}",
                "node_type": "Matter",
                "shape": "box",
                "color": _MATTER_COLOUR,
                "title": f"事项 {data.get('number')}：{data.get('name', '')}\n"
                f"{town} · {data.get('category', '')}"
                + ("" if m in led else "\n（不牵头，只有交接）"),
            }
        )
    edges = [
        {
            "from": node,
            "to": m["id"],
            "edge_type": "LEADS" if m["id"] in led else "INVOLVED",
            "color": _LEADS_COLOUR,
            "dashes": m["id"] not in led,
            "width": 1,
            "arrows": {"to": {"enabled": False}},
        }
        for m in matter_nodes
    ]
    aggregates = _aggregate(G, handoffs)
    edges += [_aggregate_edge(G, agg, dim_unreviewed=dim_unreviewed) for agg in aggregates]
    legend = _actor_legend(nodes) + [LegendItem("node", "事项", _MATTER_COLOUR, "box")]
    # the lines to matters have no arrowhead, and neither have their legend lines
    legend += [LegendItem("edge", "牵头的事项", _LEADS_COLOUR, arrow=False)]
    if involved:
        legend += [
            LegendItem("edge", "只有交接、不牵头的事项", _LEADS_COLOUR, dashes=True, arrow=False)
        ]
    legend += _handoff_legend(a.type for a in aggregates) + _dim_legend(edges)
    names = _type_names() | {"LEADS": "牵头", "INVOLVED": "只有交接"}
    return render_html(
        [*nodes, *matter_nodes],
        edges,
        title=_page_title(G, f"部门 {dept_name}"),
        subtitle=f"牵头 {len(led)} 个事项，{len(handoffs)} 条交接",
        legend=legend,
        type_names=names,
        layout="physics",
        notes=["连线上的数字 = 交接次数；悬停看涉及的事项和原文证据。"],
    )


def _find_department(G: nx.MultiDiGraph, name: str) -> str:
    """The department ``name`` names (``naming.resolve``: exact, alias, short form, unique part),
    by its name or by its body and name (``九原区区民政局``) when several bodies' departments
    share the name."""
    from ..errors import UnknownNameError
    from ..naming import resolve
    from ..vocabulary import Vocabulary

    spelled = {n: (_name(G, n), _qualified(G, n)) for n in _nodes_of(G, NodeLabel.DEPARTMENT)}
    pool = sorted({s for names in spelled.values() for s in names})
    directory = Vocabulary.load().departments
    written = resolve(name, pool, directory=directory, what=_("department"))
    found = [n for n, names in spelled.items() if written in names]
    if len(found) == 1:
        return found[0]
    raise UnknownNameError(
        _("{what} {written!r} matches {count}: {names}; give more of the name").format(
            what=_("department"),
            written=name,
            count=len(found),
            names="、".join(sorted(_qualified(G, n) for n in found)),
        ),
        ambiguous=True,
    )


def _qualified(G: nx.MultiDiGraph, node: str) -> str:
    """A department's name led by its body when known (``昆都仑区区民政局``)."""
    return f"{G.nodes[node].get('body', '')}{_name(G, node)}"


def escalations_view(
    G: nx.MultiDiGraph, chains: pd.DataFrame | None = None, *, dim_unreviewed: bool = False
) -> str:
    """The escalation chains (``queries.escalations``): who a case travels up to, per matter.

    Every hop of a chain is one edge per (src, dst), red when the hop includes an escalation
    (提级上报), blue when it is a report; its width and label give how many matters' chains
    pass along it, its tooltip the chains and their evidence.
    """
    from ..queries import CHAIN_SEP, EVIDENCE_SEP, escalations

    if chains is None:
        chains = escalations(G)
    hops: dict[tuple[str, str], dict[str, Any]] = {}
    for row in chains.itertuples(index=False):
        names = str(row.chain).split(CHAIN_SEP)
        types = str(row.types).split(CHAIN_SEP)
        evidence = str(row.evidence).split(EVIDENCE_SEP)
        ids = [_actor_id(G, n, str(row.list_id)) for n in names]
        for k, (src, dst) in enumerate(pairwise(ids)):
            hop = hops.setdefault((src, dst), {"matters": {}, "escalates": False})
            hop["escalates"] |= "escalates_to" in (types[k] if k < len(types) else "")
            hop["matters"].setdefault(
                (row.list_id, row.matter),
                f"#{row.matter} {row.matter_name}：{evidence[k] if k < len(evidence) else ''}",
            )
    actors = list(dict.fromkeys(n for pair in hops for n in pair))
    many_towns = len(_towns(G)) > 1
    nodes = [_actor_node(G, n, many_towns=many_towns) for n in actors if n in G]
    edges = []
    for (src, dst), hop in hops.items():
        kind = "escalates_to" if hop["escalates"] else "reports_to"
        colour = HandoffType(kind).colour
        lines = list(hop["matters"].values())
        edge = {
            "from": src,
            "to": dst,
            "edge_type": kind,
            "color": colour,
            "width": 2 + 2 * math.sqrt(len(lines)),
            "label": str(len(lines)),
            "title": "\n".join(
                [
                    f"{_name(G, src)} → {_name(G, dst)}：{len(lines)} 个事项的提级链经过",
                    *_clip(lines),
                ]
            ),
        }
        matter_ids = {f"{list_id}#{matter}" for list_id, matter in hop["matters"]}
        edges.append(_dim(edge, _reviewed_between(G, src, dst, matter_ids), dim_unreviewed))
    notes = [
        "每条链从镇（街道）出发，沿“上报”“提级上报”一级级向上，限于同一事项。",
        "连线上的数字 = 经过这一步的事项数；悬停看事项和原文证据。",
    ]
    if chains.empty:
        notes.insert(0, "没有找到两级以上的提级链。")
        nodes = [_actor_node(G, t, many_towns=many_towns) for t in _nodes_of(G, NodeLabel.TOWN)]
    legend = _actor_legend(nodes) + [
        LegendItem("edge", "含提级上报（escalates_to）的一步", HandoffType.ESCALATES_TO.colour),
        LegendItem("edge", "上报（reports_to）的一步", HandoffType.REPORTS_TO.colour),
        *_dim_legend(edges),
    ]
    return render_html(
        nodes,
        edges,
        title=_page_title(G, "提级链"),
        subtitle=(
            f"{len(chains)} 条提级链，{chains['matter'].nunique() if len(chains) else 0} 个事项"
        ),
        legend=legend,
        notes=notes,
        type_names=_type_names(),
        layout="hierarchical",
    )


def _reviewed_between(G: nx.MultiDiGraph, src: str, dst: str, matter_ids: set[str]) -> int:
    """How many handoffs src -> dst in these matters an analyst has reviewed."""
    edges = (G.get_edge_data(src, dst) or {}).values()
    return sum(
        1
        for data in edges
        if data.get("matter_id") in matter_ids and data.get("status", "machine") != "machine"
    )


def _actor_id(G: nx.MultiDiGraph, name: str, list_id: str) -> str:
    """The node a question's row names, in the context of its list."""
    return actor_node_in_list(G, list_id, name) or name


def gaps_view(
    G: nx.MultiDiGraph,
    gaps: pd.DataFrame | None = None,
    closed: pd.DataFrame | None = None,
    *,
    dim_unreviewed: bool = False,
) -> str:
    """Feedback gaps (``queries.feedback_gaps``) in red against closed loops in green.

    Per town and department: a red edge town → department for the matters where the town
    hands something up and nothing comes back, a green edge department → town for those
    where the result does come back; label and width give the number of matters, the tooltip
    lists them with what was sent and what came back.
    """
    from ..queries import feedback_gaps

    if gaps is None:
        gaps = feedback_gaps(G)
    if closed is None:
        closed = feedback_gaps(G, closed=True)
    edges = []
    actors: list[str] = list(_nodes_of(G, NodeLabel.TOWN))
    for frame, kind in ((gaps, "gap"), (closed, "closed")):
        lines: dict[tuple[str, str], list[str]] = defaultdict(list)
        matter_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in frame.itertuples(index=False):
            town = town_node_of_list(G, str(row.list_id))
            dept = _actor_id(G, str(row.department), str(row.list_id))
            matter_ids[(town, dept)].add(f"{row.list_id}#{row.matter}")
            text = f"#{row.matter} {row.matter_name}：上报 {row.evidence}"
            if kind == "closed":
                text += f"；反馈 {row.feedback}"
            lines[(town, dept)].append(text)
        for (town, dept), matter_lines in lines.items():
            actors.append(dept)
            n = len(matter_lines)
            head = (
                f"{_name(G, town)} → {_name(G, dept)}：{n} 个事项上报后没有反馈"
                if kind == "gap"
                else f"{_name(G, dept)} → {_name(G, town)}：{n} 个事项有反馈（闭环）"
            )
            ends = (town, dept) if kind == "gap" else (dept, town)
            edge = {
                "from": ends[0],
                "to": ends[1],
                "edge_type": kind,
                "color": _GAP_COLOUR if kind == "gap" else _CLOSED_COLOUR,
                "label": f"{n} 项{'无反馈' if kind == 'gap' else '闭环'}",
                "width": 1.5 + 1.5 * math.sqrt(n),
                "dashes": kind == "gap",
                "title": "\n".join([head, *_clip(matter_lines)]),
                "matters": n,
            }
            reviewed = _reviewed_between(G, *ends, matter_ids[(town, dept)])
            edges.append(_dim(edge, reviewed, dim_unreviewed))
    many_towns = len(_towns(G)) > 1
    nodes = [_actor_node(G, n, many_towns=many_towns) for n in dict.fromkeys(actors) if n in G]
    _spring_lengths(edges)
    _pin_single_town(nodes, edges)
    legend = _actor_legend(nodes) + [
        LegendItem("edge", "上报后没有反馈（缺口）", _GAP_COLOUR, dashes=True),
        LegendItem("edge", "结果反馈回镇（闭环）", _CLOSED_COLOUR),
        *_dim_legend(edges),
    ]
    return render_html(
        nodes,
        edges,
        title=_page_title(G, "反馈缺口"),
        subtitle=f"{len(gaps)} 个（事项，部门）上报后没有反馈，{len(closed)} 个有反馈",
        legend=legend,
        type_names={**_type_names(), "gap": "无反馈（缺口）", "closed": "有反馈（闭环）"},
        layout="physics",
        vis_options=_HUB_PHYSICS,
        notes=[
            "红色虚线：镇（街道）上报、提级上报给部门，同一事项中没有任何反馈回到镇。",
            "绿色实线：部门把结果反馈回镇，环路闭合。",
            "连线上的数字 = 事项数；悬停看事项和原文证据。",
        ],
    )


def _several(G: nx.MultiDiGraph) -> dict[str, bool]:
    """Whether the graph holds several towns, and several (known) districts."""
    towns = [d for _, d in G.nodes(data=True) if d.get("label") == NodeLabel.TOWN.value]
    districts = {d.get("district") for d in towns if d.get("district")}
    return {"towns": len(towns) > 1, "districts": len(districts) > 1}


def render_view(
    G: nx.MultiDiGraph,
    view: str,
    target: str | None = None,
    *,
    list_id: str | None = None,
    dim_unreviewed: bool = False,
) -> str:
    """Dispatch ``dutygraph viz VIEW [TARGET]``: the page of one view.

    ``dim_unreviewed`` draws the edges no analyst has reviewed faded and dashed.

    Raises
    ------
    DutygraphError
        An unknown view, a missing or malformed target (matter number, department name).
    """
    if view not in VIEWS:
        raise DutygraphError(
            _("unknown view {view!r}; expected one of {views}").format(
                view=view, views=", ".join(VIEWS)
            )
        )
    needs_target = view in ("matter", "department")
    if needs_target and not target:
        what = _("a matter number (序号)") if view == "matter" else _("a department name")
        raise DutygraphError(
            _("view {view} needs {what}: dutygraph viz {view} TARGET").format(view=view, what=what)
        )
    if not needs_target and target:
        raise DutygraphError(
            _("view {view} takes no target, got {target!r}").format(view=view, target=target)
        )
    from . import many

    several = _several(G)
    dim = dim_unreviewed
    if view == "overview":
        return many.province_view(G) if several["districts"] else overview(G, dim_unreviewed=dim)
    if view in ("district", "province"):
        return many.district_view(G) if view == "district" else many.province_view(G)
    if view == "matter":
        number = _matter_number(G, str(target), list_id)
        if list_id is None and len(many.lists_with_matter(G, number)) > 1:
            return many.matter_panels(G, number)
        return matter_view(G, number, list_id=list_id, dim_unreviewed=dim)
    if view == "department":
        if several["towns"]:
            return many.department_across_towns(G, _find_department(G, str(target)))
        return department_view(G, str(target), dim_unreviewed=dim)
    if view == "escalations":
        return escalations_view(G, dim_unreviewed=dim)
    return gaps_view(G, dim_unreviewed=dim)
