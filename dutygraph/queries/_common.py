"""What the question modules share: the handoff edges of a graph, grouped by matter, and the
separators their text columns are joined with (the Cypher twins join with the same ones).

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> [h.type for h in handoffs(G, UPWARD_RELS) if h.matter == 3]
['escalates_to', 'escalates_to']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..graphmodel.schema import (
    HANDOFF_TYPES,
    UPWARD_HANDOFF_TYPES,
    NodeLabel,
    RelType,
    list_node_id,
    matter_node_id,
)

if TYPE_CHECKING:  # imported where used: the CLI lists the questions without them
    import networkx as nx
    import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])


def directed_only(func: F) -> F:
    """networkx's ``not_implemented_for("undirected")``, with networkx imported only when a
    question is asked of an undirected graph (so that listing the questions stays light)."""

    @functools.wraps(func)
    def checked(G: Any, *args: Any, **kwargs: Any) -> Any:
        if not G.is_directed():
            import networkx as nx

            raise nx.NetworkXNotImplemented("not implemented for undirected type")
        return func(G, *args, **kwargs)

    return checked  # type: ignore[return-value]


#: RelType values of the five handoff types, and of the two that carry a case upward.
HANDOFF_RELS: frozenset[str] = frozenset(RelType.for_handoff(t).value for t in HANDOFF_TYPES)
UPWARD_RELS: frozenset[str] = frozenset(RelType.for_handoff(t).value for t in UPWARD_HANDOFF_TYPES)

#: Joins in text columns: the actors of a chain, the hops' types, the hops' evidence, the parallel
#: edges of one hop (types, then evidence), lists of matter numbers or types, and of matter
#: names (which may hold commas).
CHAIN_SEP = " -> "
EVIDENCE_SEP = " | "
HOP_TYPE_SEP = "+"
HOP_EVIDENCE_SEP = "；"
LIST_SEP = ","
NAME_SEP = "；"

_TYPE_ORDER = {t: i for i, t in enumerate(HANDOFF_TYPES)}


@dataclass(frozen=True)
class Handoff:
    """One handoff edge of the graph, with what the questions read of it."""

    src: str  # node ids
    dst: str
    key: str  # the handoff_id
    type: str  # reports_to | feeds_back_to | escalates_to | assigns_to | refers_to
    list_id: str
    town: str
    matter_id: str
    matter: int
    evidence: str
    duty_id: str
    implicit: bool = False  # the receiver was not written: presumed to be the lead department
    status: str = "machine"  # the review status (``review.reviewed_handoffs``)

    @property
    def order(self) -> tuple[int, str]:
        """Handoffs sort by type (in HANDOFF_TYPES order), then by handoff_id."""
        return (_TYPE_ORDER[self.type], self.key)


def handoffs(G: nx.MultiDiGraph, rels: Collection[str] = HANDOFF_RELS) -> Iterator[Handoff]:
    """The handoff edges of ``G`` whose RelType value is in ``rels``: the one reader of handoffs
    from a graph, for the questions and the diagrams."""
    for u, v, key, data in G.edges(keys=True, data=True):
        rel = data.get("type")
        if rel in rels:
            yield Handoff(
                src=u,
                dst=v,
                key=str(key),
                type=RelType(rel).handoff_type or "",
                list_id=data["list_id"],
                town=data["town"],
                matter_id=data["matter_id"],
                matter=data["matter"],
                evidence=data.get("evidence", ""),
                duty_id=data.get("duty_id", ""),
                implicit=bool(data.get("implicit", False)),
                status=str(data.get("status") or "machine"),
            )


def handoffs_by_matter(
    G: nx.MultiDiGraph, rels: Collection[str] = HANDOFF_RELS
) -> dict[str, list[Handoff]]:
    """``handoffs(G, rels)`` grouped by matter_id, each group in ``Handoff.order``."""
    groups: dict[str, list[Handoff]] = {}
    for handoff in handoffs(G, rels):
        groups.setdefault(handoff.matter_id, []).append(handoff)
    for group in groups.values():
        group.sort(key=lambda h: h.order)
    return groups


def hops_of(edges: Iterable[Handoff]) -> dict[tuple[str, str], list[Handoff]]:
    """Parallel handoffs collapsed into hops: (src, dst) -> its handoffs, in order."""
    hops: dict[tuple[str, str], list[Handoff]] = {}
    for handoff in sorted(edges, key=lambda h: h.order):
        hops.setdefault((handoff.src, handoff.dst), []).append(handoff)
    return hops


def join_types(types: Iterable[str], sep: str = HOP_TYPE_SEP) -> str:
    """Distinct handoff types in HANDOFF_TYPES order, joined by ``sep``."""
    return sep.join(sorted(set(types), key=_TYPE_ORDER.__getitem__))


def hop_types(edges: Iterable[Handoff]) -> str:
    """The distinct types of one hop's parallel edges, in HANDOFF_TYPES order, joined by '+'."""
    return join_types(h.type for h in edges)


def distinct_evidence(edges: Iterable[Handoff]) -> list[str]:
    """The distinct evidence clauses of some handoffs, in Handoff.order."""
    return list(dict.fromkeys(h.evidence for h in sorted(edges, key=lambda h: h.order)))


def hop_evidence(edges: Sequence[Handoff]) -> str:
    """The distinct evidence clauses of one hop, in Handoff.order, joined by '；'."""
    return HOP_EVIDENCE_SEP.join(distinct_evidence(edges))


def type_list(types: Iterable[str]) -> str:
    """Distinct handoff types in HANDOFF_TYPES order, joined by ','."""
    return join_types(types, LIST_SEP)


def number_list(numbers: Iterable[int]) -> str:
    """Distinct matter numbers, ascending, joined by ','."""
    return LIST_SEP.join(str(n) for n in sorted(set(numbers)))


def label_of(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", ""))


def name_of(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("name", node))


def is_town(G: nx.MultiDiGraph, node: str) -> bool:
    return label_of(G, node) == NodeLabel.TOWN.value


def is_department(G: nx.MultiDiGraph, node: str) -> bool:
    return label_of(G, node) == NodeLabel.DEPARTMENT.value


def matter_name(G: nx.MultiDiGraph, matter_id: str) -> str:
    node = matter_node_id(matter_id)
    return str(G.nodes[node].get("name", "")) if node in G else ""


def town_node_of_list(G: nx.MultiDiGraph, list_id: str) -> str:
    """The Town node that publishes a list ('' when the list is not in ``G``)."""
    node = list_node_id(list_id)
    if node not in G:
        return ""
    towns = (u for u, _, k in G.in_edges(node, keys=True) if k == RelType.PUBLISHES.value)
    return next(towns, "")


def town_of_list(G: nx.MultiDiGraph, list_id: str) -> str:
    node = list_node_id(list_id)
    return str(G.nodes[node].get("town", "")) if node in G else ""


def result_frame(
    rows: Iterable[dict[str, object]],
    columns: Sequence[str],
    sort_by: Sequence[str],
    ascending: bool | Sequence[bool] = True,
) -> pd.DataFrame:
    """Rows as a DataFrame with exactly ``columns``, sorted, with a fresh index."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(columns))
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return frame.sort_values(list(sort_by), ascending=ascending, kind="stable", ignore_index=True)
