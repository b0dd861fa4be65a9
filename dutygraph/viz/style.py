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
from ..i18n import N_, current_language, label
from ..i18n import gettext as _
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
    "handoff_name",
    "joined",
    "node_type_names",
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
    name: str  # English msgid: shown through gettext (``shown_name``)
    colour: str

    @property
    def shown_name(self) -> str:
        """Its name in the analyst's language (区级部门 …)."""
        return _(self.name)


#: The levels the graph gives its actors (departments: 部, 省, 市, 区 and 其他 from the
#: vocabulary; ``schema.TOWN_LEVEL``, ``schema.VILLAGE_LEVEL``), from the top down.
LEVELS: dict[str, Level] = {
    "部": Level(0, N_("national ministries"), "#b8a9e0"),
    "省": Level(1, N_("provincial departments"), "#b8a9e0"),
    "市": Level(2, N_("city departments"), "#7fc6c0"),
    "区": Level(3, N_("district departments"), "#bcd8f2"),
    "其他": Level(3, N_("other departments (level unknown)"), "#dde1e6"),
    TOWN_LEVEL: Level(4, N_("towns (streets)"), "#f6c85f"),
    VILLAGE_LEVEL: Level(5, N_("villages (communities)"), "#b5dd8c"),
}
#: The department levels, top down (the others are the town's and the village's).
DEPARTMENT_LEVELS = [code for code in LEVELS if code not in (TOWN_LEVEL, VILLAGE_LEVEL)]
#: node_type -> the msgid of its name, in legend order (``node_type_names``).
_NODE_TYPES = {
    "Town": LEVELS[TOWN_LEVEL].name,
    "Village": LEVELS[VILLAGE_LEVEL].name,
    **{f"dept:{code}": LEVELS[code].name for code in DEPARTMENT_LEVELS},
    "Matter": N_("Matter"),
}
MATTER_COLOUR = "#f4f1e8"
LEADS_COLOUR = "#9aa5b1"
GAP_COLOUR = "#d62728"
CLOSED_COLOUR = "#2ca02c"
_MAX_TOOLTIP_LINES = 12


def node_type_names() -> dict[str, str]:
    """Node types -> what the legends call them in the analyst's language, in legend order."""
    return {node_type: _(name) for node_type, name in _NODE_TYPES.items()}


def type_names() -> dict[str, str]:
    """Node and edge types -> what the filters and legends call them."""
    names = node_type_names()
    names.update({t.value: handoff_name(t) for t in HandoffType})
    return names


def handoff_name(handoff_type: HandoffType) -> str:
    """'上报（reports_to）': a type's label with its code."""
    return _("{label} ({code})").format(label=handoff_type.label, code=handoff_type.value)


def joined(names: Iterable[str]) -> str:
    """Names in a row: 甲镇、乙镇 in Chinese, 甲镇, 乙镇 in English."""
    return ("、" if current_language().startswith("zh") else ", ").join(names)


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
        subject = joined(towns) or _("(empty graph)")
    elif len(lists) <= 3:
        subject = joined(lists)
    else:
        subject = _("{lists} lists ({towns} and others, {count} towns)").format(
            lists=len(lists), towns=joined(towns[:3]), count=len(towns)
        )
    return f"{subject} · {view}"


def clip(lines: list[str], limit: int = _MAX_TOOLTIP_LINES) -> list[str]:
    """A tooltip's lines, the ones past ``limit`` counted instead of listed."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], _("… {count} more").format(count=len(lines) - limit)]


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
        head = _("Town (street): {name}").format(name=name)
    elif label == NodeLabel.VILLAGE.value:
        shape, colour = "triangleDown", LEVELS[VILLAGE_LEVEL].colour
        town = data.get("town", "")
        name = f"{town} {name}" if many_towns else name
        record = {"node_type": "Village", "level": LEVELS[VILLAGE_LEVEL].rank, "size": 18}
        head = _("the villages (communities) of {town}, as a whole").format(town=town)
    else:
        level = str(data.get("level", "其他"))
        level = level if level in DEPARTMENT_LEVELS else "其他"
        shape = "dot" if dot else "box"
        colour = LEVELS[level].colour
        node_type = f"dept:{level}"
        record = {"node_type": node_type, "level": LEVELS[level].rank}
        head = _("{name} ({level})").format(name=name, level=LEVELS[level].shown_name)
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
        LegendItem("node", name, seen[t]["color"], seen[t]["shape"])
        for t, name in node_type_names().items()
        if t in seen
    ]


# -- edges ---------------------------------------------------------------------------------------


def handoff_legend(types: Iterable[str]) -> list[LegendItem]:
    """One legend entry per handoff type drawn, in the registry's order."""
    present = set(types)
    return [LegendItem("edge", handoff_name(t), t.colour) for t in HandoffType if t in present]


def status_note(h: Handoff) -> str:
    """'（已确认）' after a handoff an analyst reviewed; nothing after a machine one."""
    if h.status == "machine":
        return ""
    return _("({status})").format(status=label("status", h.status))


def faded(colour: str) -> str:
    """A colour mixed 65 % with white: how an unreviewed edge is drawn with --dim-unreviewed."""
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * 0.65):02x}" for c in (red, green, blue))


def dim(edge: dict[str, Any], reviewed: int, dim_unreviewed: bool) -> dict[str, Any]:
    """Draw an edge no analyst has looked at faded and dashed (when asked)."""
    if dim_unreviewed and reviewed == 0:
        edge.update(color=faded(edge["color"]), dashes=True, unreviewed=True)
        edge["title"] += "\n" + _("(not reviewed: machine-extracted)")
    return edge


def dim_legend(edges: Iterable[Mapping[str, Any]]) -> list[LegendItem]:
    """The legend entry of the faded edges, when some are drawn."""
    if any(e.get("unreviewed") for e in edges):
        text = _("pale dashed = not reviewed (machine-extracted)")
        return [LegendItem("edge", text, faded("#52606d"), dashes=True)]
    return []
