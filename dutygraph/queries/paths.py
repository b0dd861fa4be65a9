"""Paths between two actors: how cases travel from one to the other, matter by matter.

>>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
>>> G = graph_from_tables(example_tables())
>>> paths(G, "示例镇", "市住房和城乡建设局")["chain"].tolist()
['示例镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx
import pandas as pd
from networkx.utils import not_implemented_for

from ..errors import DutygraphError
from ..graphmodel.schema import ACTOR_LABELS
from ._common import (
    CHAIN_SEP,
    Handoff,
    handoffs_by_matter,
    hops_of,
    join_types,
    name_of,
    number_list,
    result_frame,
)

__all__ = ["PATH_COLUMNS", "paths"]

#: The columns of ``paths``, in order.
PATH_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "source",  # the actor the path starts at (A, or B for the way back)
    "target",
    "chain",  # actor names joined by ' -> '
    "hops",
    "matters",  # how many matters of the list carry the whole path
    "matter_list",  # their numbers, ascending, joined by ','
    "types",  # per hop, the types seen on it in those matters ('+'-joined), joined by ' -> '
)

_ACTOR_LABELS = frozenset(label.value for label in ACTOR_LABELS.values())


@not_implemented_for("undirected")
def paths(G: nx.MultiDiGraph, a: str, b: str, *, cutoff: int = 4) -> pd.DataFrame:
    """How cases travel between actors ``a`` and ``b``: every handoff path from one to the
    other, in either direction, with the matters that carry it.

    A path is a simple path (no actor twice) of at most ``cutoff`` handoffs of any type, all in
    one matter: a case travels inside its matter, so hops from two matters never join. The
    same path in several matters of a list is one row, with those matters and, per hop, every
    type seen on it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    a, b : str
        Actor names: a town's name, a department's canonical name, or '村（社区）' for the level
        below the towns.
    cutoff : int, default 4
        The longest path followed, in hops.

    Returns
    -------
    pandas.DataFrame
        Columns ``PATH_COLUMNS``; sorted by list_id, direction (paths from ``a`` first, then the
        way back from ``b``), hops, then chain.

    Raises
    ------
    DutygraphError
        ``a`` or ``b`` names no actor of ``G``; the message lists names that contain it.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
    >>> G = graph_from_tables(example_tables())
    >>> found = paths(G, "区人民武装部", "示例镇")
    >>> found[["source", "hops", "matter_list", "types"]].values.tolist()
    [['区人民武装部', 1, '1', 'feeds_back_to'], ['示例镇', 1, '1', 'reports_to']]

    Notes
    -----
    Per matter that holds both actors, O(number of simple paths of at most ``cutoff`` hops).
    """
    sources, targets = _actors_named(G, a), _actors_named(G, b)
    found: dict[tuple[str, tuple[str, ...]], _Path] = {}
    for edges in handoffs_by_matter(G).values():
        hops = hops_of(edges)
        flow = nx.DiGraph(list(hops))
        for start, end in _pairs(sources, targets, flow):
            for path in nx.all_simple_paths(flow, start, end, cutoff=cutoff):
                key = (edges[0].list_id, tuple(path))
                if key not in found:
                    found[key] = _Path(edges[0].list_id, edges[0].town, path)
                found[key].add(edges[0].matter, hops)
    rows = [p.row(G, from_a=p.nodes[0] in sources) for p in found.values()]
    frame = result_frame(
        rows, [*PATH_COLUMNS, "way_back"], ["list_id", "way_back", "hops", "chain"]
    )
    return frame.loc[:, list(PATH_COLUMNS)]


@dataclass
class _Path:
    """One path of one list, as it collects the matters that carry it."""

    list_id: str
    town: str
    nodes: list[str]
    numbers: set[int] = field(default_factory=set)
    types: list[set[str]] = field(default_factory=list)

    def add(self, matter: int, hops: dict[tuple[str, str], list[Handoff]]) -> None:
        self.numbers.add(matter)
        if not self.types:
            self.types = [set() for _ in range(len(self.nodes) - 1)]
        for seen, step in zip(self.types, pairwise(self.nodes)):
            seen.update(h.type for h in hops[step])

    def row(self, G: nx.MultiDiGraph, *, from_a: bool) -> dict[str, object]:
        return {
            "list_id": self.list_id,
            "town": self.town,
            "source": name_of(G, self.nodes[0]),
            "target": name_of(G, self.nodes[-1]),
            "chain": CHAIN_SEP.join(name_of(G, n) for n in self.nodes),
            "hops": len(self.nodes) - 1,
            "matters": len(self.numbers),
            "matter_list": number_list(self.numbers),
            "types": CHAIN_SEP.join(join_types(t) for t in self.types),
            "way_back": not from_a,
        }


def _actors_named(G: nx.MultiDiGraph, name: str) -> set[str]:
    nodes = {
        n
        for n, d in G.nodes(data=True)
        if d.get("label") in _ACTOR_LABELS and d.get("name") == name
    }
    if not nodes:
        near = sorted(
            {
                str(d["name"])
                for _, d in G.nodes(data=True)
                if d.get("label") in _ACTOR_LABELS and name and name in str(d.get("name", ""))
            }
        )
        hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
        raise DutygraphError(f"no actor named {name!r} in the chosen lists{hint}")
    return nodes


def _pairs(sources: set[str], targets: set[str], flow: nx.DiGraph) -> Iterator[tuple[str, str]]:
    """(start, end) pairs present in one matter's handoffs, both directions."""
    for one, other in ((sources, targets), (targets, sources)):
        for start in one & set(flow):
            for end in other & set(flow):
                if start != end:
                    yield start, end
