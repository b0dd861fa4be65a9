"""Where the diagrams put things: rows by level with fixed positions (:func:`level_rows`), for
the overview and the gaps view, the departments of a level grouped by how they relate to the
town (:func:`town_relation_rows`). Top-down views give each node a ``level``
(``style.LEVELS``) and leave the rows to vis-network; every page then bends edges around nodes
and places the edge labels itself (``render.TIDY_MAX_NODES``, ``static/dutygraph.js``).

>>> nodes = [{"id": "t", "node_type": "Town", "level": 4},
...          {"id": "a", "node_type": "dept:区", "level": 3},
...          {"id": "b", "node_type": "dept:区", "level": 3}]
>>> edges = [{"from": "t", "to": "a"}]
>>> captions = level_rows(nodes, edges, town_relation_rows(nodes, edges))
>>> [(n["id"], n["y"]) for n in nodes]  # b (no handoff) above a (the town hands it work)
[('t', 378), ('a', 135), ('b', 0)]
>>> [c.text for c in captions]
['区级部门 · 只牵头事项，无交接', '区级部门 · 只接收镇的交接', '镇（街道）']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..i18n import N_
from ..i18n import gettext as _
from .render import Caption

__all__ = ["FIXED_ROWS", "TOWN_RELATIONS", "Row", "level_rows", "town_relation_rows"]

# -- rows by level ---------------------------------------------------------------------------------

#: Distance between neighbours in a row, and between rows (vis canvas units).
ROW_STEP_X = 185
ROW_STEP_Y = 135
#: Nodes in one row at most; a longer group wraps onto the next row.
ROW_LENGTH = 8
#: Rows of two levels stand this many ROW_STEP_Y apart; the town's row further from the
#: departments' (the edges fanning out of it need room for their labels).
LEVEL_GAP = 1.3
HUB_GAP = 1.8


@dataclass(frozen=True)
class Row:
    """One row of a layout by level: its place from the top, and its caption."""

    order: tuple[int, int]  # (level row, group): rows sort by it, top first
    caption: str
    hub: bool = False  # the town's row: further from its neighbours


def level_rows(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    row_of: Callable[[dict[str, Any]], Row],
) -> list[Caption]:
    """Put every node on a row (fixed ``x`` and ``y``) and return the rows' captions.

    ``row_of`` names a node's row: its level, then its group within the level (a level's
    groups are rows of their own, in ``Row.order``). A row of more than ``ROW_LENGTH`` nodes
    wraps. In a row, nodes stand in the order of the mean position of their neighbours (two
    sweeps, so edges run as upright as they can), centred on the middle; the captions stand
    left of the widest row, one per row.
    """
    rows: dict[Row, list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(nodes, key=lambda n: str(n.get("name") or n["id"])):
        rows[row_of(node)].append(node)
    lines: list[tuple[Row, list[dict[str, Any]]]] = []
    for row in sorted(rows, key=lambda r: r.order):
        members = rows[row]
        for start in range(0, len(members), ROW_LENGTH):
            lines.append((row, members[start : start + ROW_LENGTH]))
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        neighbours[edge["from"]].append(edge["to"])
        neighbours[edge["to"]].append(edge["from"])
    x_of: dict[str, float] = {}
    for _sweep in range(2):
        for line, (_row, members) in enumerate(lines):
            members.sort(key=lambda n: _barycentre(n["id"], neighbours, x_of))
            # alternate rows stand half a step aside (like bricks): a node does not stand right
            # above the one below it, and an edge to a row further up passes between them
            shift = 0.5 if (len(members) % 2 == 1) == (line % 2 == 1) else 0.0
            for k, node in enumerate(members):
                x_of[node["id"]] = (k - (len(members) - 1) / 2 + shift) * ROW_STEP_X
    captions: list[Caption] = []
    left = min((x for x in x_of.values()), default=0.0) - ROW_STEP_X * 0.6
    y = 0.0
    for k, (row, members) in enumerate(lines):
        if k:  # levels stand further apart than a level's groups: room for the edge labels
            y += ROW_STEP_Y * _gap(lines[k - 1][0], row)
        for node in members:
            node.update(x=round(x_of[node["id"]]), y=round(y))
        if not captions or captions[-1].text != row.caption:
            captions.append(Caption(left, round(y), row.caption))
    return captions


def _gap(above: Row, below: Row) -> float:
    if above.order[0] == below.order[0]:
        return 1.0
    return HUB_GAP if above.hub or below.hub else LEVEL_GAP


def _barycentre(node: str, neighbours: Mapping[str, list[str]], x_of: Mapping[str, float]) -> float:
    """The mean x of a node's placed neighbours (its own x, or 0, when none is placed)."""
    xs = [x_of[m] for m in neighbours[node] if m in x_of]
    return sum(xs) / len(xs) if xs else x_of.get(node, 0.0)


#: How a department relates to the town(s), in the order of its rows from the top: the
#: groups nearest the town's row are the ones that exchange work with it.
TOWN_RELATIONS: dict[str, str] = {
    "idle": N_("leads matters only"),
    "departments": N_("with departments only"),
    "from_dept": N_("hands work to the town"),
    "to_dept": N_("takes work from the town"),
    "both": N_("both ways with the town"),
}


def town_relation_rows(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    relations: Mapping[str, str] = TOWN_RELATIONS,
) -> Callable[[dict[str, Any]], Row]:
    """Rows by level (国家 and 省 share the top one), the departments of a level in groups by
    how they relate to the town(s), named by ``relations`` (the keys of ``TOWN_RELATIONS``):
    for :func:`level_rows`."""
    towns = {node["id"] for node in nodes if node["node_type"] == "Town"}
    sends: set[str] = set()
    receives: set[str] = set()
    linked: set[str] = set()
    for edge in edges:
        linked.update((edge["from"], edge["to"]))
        if edge["from"] in towns:
            receives.add(edge["to"])
        if edge["to"] in towns:
            sends.add(edge["from"])

    def relation(node_id: str) -> str:
        if node_id in sends and node_id in receives:
            return "both"
        if node_id in receives:
            return "to_dept"
        if node_id in sends:
            return "from_dept"
        return "departments" if node_id in linked else "idle"

    groups = list(TOWN_RELATIONS)

    def row_of(node: dict[str, Any]) -> Row:
        level = max(int(node.get("level", 0)), 1)  # 部 and 省 share the top row
        if not str(node["node_type"]).startswith("dept:"):
            return Row((level, 0), _level_name(node), hub=node["id"] in towns)
        group = relation(node["id"])
        return Row((level, groups.index(group)), f"{_level_name(node)} · {_(relations[group])}")

    return row_of


def _level_name(node: Mapping[str, Any]) -> str:
    from .style import LEVELS, node_type_names  # style imports render, as this module does

    if int(node.get("level", 0)) <= LEVELS["省"].rank:
        return _("national / provincial departments")
    return node_type_names().get(str(node["node_type"]), str(node["node_type"]))


#: vis-network options of the views laid out in rows (:func:`level_rows`): labels large
#: enough to read at the fitted zoom, on a white ground where edges pass under them.
FIXED_ROWS = {
    "nodes": {"font": {"size": 22, "background": "rgba(255,255,255,0.85)"}},
    "edges": {"font": {"size": 17}},
}
