"""Where the diagrams put things: spring lengths and fixed positions for the views drawn with
physics around the town. Top-down views give each node a ``level`` (``style.LEVELS``) and
leave the rows to ``render.render_html``.

>>> edges = [{"from": "town", "to": f"d{k}"} for k in range(9)]
>>> spring_lengths(edges)
>>> sorted({e["length"] for e in edges})  # the hub's neighbours on two rings
[245, 368]
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

__all__ = ["HUB_PHYSICS", "pin_single_town", "spring_lengths"]

# The town is a hub of 20-30 departments. Each edge's spring grows with the degree of its
# busier end (spring_lengths), so the hub's neighbours sit on a circle wide enough for their
# labels, alternately on an inner and an outer ring so neighbouring labels do not meet; the
# others stay close. Labels sit on a white background where edges cross them; "1" is not
# written on single handoffs. Tuned on the reference list by looking at the screenshots.
_SPRING_BASE = 110
_SPRING_PER_DEGREE = 45
_HUB_DEGREE = 8  # from this many neighbours a node is a hub whose neighbours are staggered
_OUTER_RING = 1.5
#: vis-network options of the views drawn with physics around the town.
HUB_PHYSICS = {
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


def pin_single_town(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Fix the one town at the centre: the departments then settle on rings around it
    (left free, the hub drifts to a side and its neighbours bunch up on the other).

    Departments with no handoff (they only lead matters) would be pushed far out by the hub
    and shrink the fitted drawing; they stand still in a column right of the rings instead.
    Call after :func:`spring_lengths`.
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


def spring_lengths(edges: list[dict[str, Any]]) -> None:
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
