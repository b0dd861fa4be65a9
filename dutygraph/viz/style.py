"""How the diagrams look: the levels' rows and colours, node and edge styles, legends, titles.

Handoff edges take their colour and their name from the registry
(``dutygraph.handoff_types.HandoffType``) and actors theirs from :data:`LEVELS`, so a new
handoff type or level is drawn, filtered and explained in the legend without a change here.
The views (``views.py``, ``many.py``) decide what to draw; this module how; ``layout.py`` where.

>>> LEVELS["市"].rank < LEVELS["区"].rank < LEVELS[TOWN_LEVEL].rank
True
>>> faded("#d62728")
'#f1b3b4'
>>> [item.color for item in handoff_legend(["feeds_back_to", "reports_to"])]
['#1f77b4', '#2ca02c']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import TOWN_LEVEL, VILLAGE_LEVEL, NodeLabel
from ..handoff_types import HandoffType
from ..review.terms import STATUS_NAMES
from .render import LegendItem

if TYPE_CHECKING:
    import networkx as nx

    from ..queries import Handoff

__all__ = [
    "CLOSED_COLOUR",
    "GAP_COLOUR",
    "LEADS_COLOUR",
    "LEVELS",
    "Level",
    "MATTER_COLOUR",
    "actor_legend",
    "actor_node",
    "clip",
    "dim",
    "dim_legend",
    "faded",
    "handoff_legend",
    "name_of",
    "nodes_of",
    "page_title",
    "status_note",
    "town_names",
    "type_names",
]


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
DEPARTMENT_LEVELS = [code for code in LEVELS if code not in (TOWN_LEVEL, VILLAGE_LEVEL)]
#: node_type -> the reader's name of it, in legend order.
NODE_TYPE_NAMES = {
    "Town": LEVELS[TOWN_LEVEL].name,
    "Village": LEVELS[VILLAGE_LEVEL].name,
    **{f"dept:{code}": LEVELS[code].name for code in DEPARTMENT_LEVELS},
    "Matter": "事项",
}
MATTER_COLOUR = "#f4f1e8"
LEADS_COLOUR = "#9aa5b1"
GAP_COLOUR = "#d62728"
CLOSED_COLOUR = "#2ca02c"
_MAX_TOOLTIP_LINES = 12


def type_names() -> dict[str, str]:
    """Node and edge types -> what the filters and legends call them."""
    names = dict(NODE_TYPE_NAMES)
    names.update({t.value: f"{t.label}（{t.value}）" for t in HandoffType})
    return names


# -- what the graph names ------------------------------------------------------------------------


def nodes_of(G: nx.MultiDiGraph, label: NodeLabel) -> list[str]:
    """The nodes of one label."""
    return [n for n, d in G.nodes(data=True) if d.get("label") == label.value]


def name_of(G: nx.MultiDiGraph, node: str) -> str:
    """A node's name (its id when it has none)."""
    return str(G.nodes[node].get("name", node))


def town_names(G: nx.MultiDiGraph) -> list[str]:
    """The names of the graph's towns, sorted."""
    return sorted(name_of(G, n) for n in nodes_of(G, NodeLabel.TOWN))


def page_title(G: nx.MultiDiGraph, view: str) -> str:
    """'卜尔汉图镇配合履职事项清单 · 总览': the list(s) (which name their town) and the view."""
    lists = sorted(name_of(G, n) for n in nodes_of(G, NodeLabel.LIST))
    towns = town_names(G)
    if not lists:
        subject = "、".join(towns) or "（空图）"
    elif len(lists) <= 3:
        subject = "、".join(lists)
    else:
        subject = f"{len(lists)} 份清单（{'、'.join(towns[:3])} 等 {len(towns)} 个镇街）"
    return f"{subject} · {view}"


def clip(lines: list[str], limit: int = _MAX_TOOLTIP_LINES) -> list[str]:
    """A tooltip's lines, the ones past ``limit`` counted instead of listed."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"…另有 {len(lines) - limit} 条"]


# -- nodes ---------------------------------------------------------------------------------------


def actor_node(
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
    name = name_of(G, node)
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
        level = level if level in DEPARTMENT_LEVELS else "其他"
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


def actor_legend(nodes: Iterable[Mapping[str, Any]]) -> list[LegendItem]:
    """One legend entry per kind of actor drawn, in level order."""
    seen: dict[str, Mapping[str, Any]] = {}
    for node in nodes:
        seen.setdefault(node["node_type"], node)
    return [
        LegendItem("node", NODE_TYPE_NAMES[t], seen[t]["color"], seen[t]["shape"])
        for t in NODE_TYPE_NAMES
        if t in seen
    ]


# -- edges ---------------------------------------------------------------------------------------


def handoff_legend(types: Iterable[str]) -> list[LegendItem]:
    """One legend entry per handoff type drawn, in the registry's order."""
    present = set(types)
    return [
        LegendItem("edge", f"{t.label}（{t.value}）", t.colour) for t in HandoffType if t in present
    ]


def status_note(h: Handoff) -> str:
    """'（已确认）' after a handoff an analyst reviewed; nothing after a machine one."""
    return "" if h.status == "machine" else f"（{STATUS_NAMES.get(h.status, h.status)}）"


def faded(colour: str) -> str:
    """A colour mixed 65 % with white: how an unreviewed edge is drawn with --dim-unreviewed."""
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * 0.65):02x}" for c in (red, green, blue))


def dim(edge: dict[str, Any], reviewed: int, dim_unreviewed: bool) -> dict[str, Any]:
    """Draw an edge no analyst has looked at faded and dashed (when asked)."""
    if dim_unreviewed and reviewed == 0:
        edge.update(color=faded(edge["color"]), dashes=True, unreviewed=True)
        edge["title"] += "\n（未复核：机器抽取）"
    return edge


def dim_legend(edges: Iterable[Mapping[str, Any]]) -> list[LegendItem]:
    """The legend entry of the faded edges, when some are drawn."""
    if any(e.get("unreviewed") for e in edges):
        return [LegendItem("edge", "浅色虚线 = 未复核（机器抽取）", faded("#52606d"), dashes=True)]
    return []
