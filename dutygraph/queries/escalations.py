"""Escalation chains: how far up a case the town cannot settle travels, inside one matter.

>>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
>>> G = graph_from_tables(example_tables())
>>> escalations(G).loc[0, "chain"]
'示例镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局'
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pandas as pd
from networkx.utils import not_implemented_for

from ..graphmodel.schema import town_node_id
from ._common import (
    CHAIN_SEP,
    EVIDENCE_SEP,
    UPWARD_RELS,
    handoffs_by_matter,
    hop_evidence,
    hop_types,
    hops_of,
    matter_name,
    name_of,
    result_frame,
)

__all__ = ["ESCALATION_COLUMNS", "escalations"]

#: The columns of ``escalations``, in order.
ESCALATION_COLUMNS: tuple[str, ...] = (
    "list_id",  # the list the matter belongs to
    "town",  # the list's town, where every chain starts
    "matter",  # the matter's number (序号)
    "matter_name",
    "chain",  # actor names joined by ' -> ', the town first
    "hops",  # number of hops (actors - 1)
    "types",  # per hop, its types joined by ' -> '; parallel edges of a hop joined by '+'
    "evidence",  # per hop, its evidence joined by ' | '; parallel edges of a hop joined by '；'
)


@not_implemented_for("undirected")
def escalations(G: nx.MultiDiGraph, *, min_hops: int = 2, cutoff: int = 6) -> pd.DataFrame:
    """Every chain of upward handoffs that starts at a town, inside one matter.

    A chain is a simple path (no actor twice) from the town of a matter's list along
    ``reports_to`` and ``escalates_to`` edges that all belong to that matter. Every such path of
    ``min_hops`` to ``cutoff`` hops is a row, prefixes included: with the default
    ``min_hops=2``, town -> A -> B -> C yields the rows town -> A -> B and town -> A -> B -> C.
    Parallel edges between the same two actors (a town that both reports and escalates to a
    bureau) make one hop, whose types and evidence list them all.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    min_hops : int, default 2
        The shortest chain listed; 1 lists the town's single upward hops as well.
    cutoff : int, default 6
        The longest chain followed (a bound on path enumeration).

    Returns
    -------
    pandas.DataFrame
        Columns ``ESCALATION_COLUMNS``; sorted by list_id, matter, then chain (so a chain follows
        its prefix).

    Raises
    ------
    ValueError
        ``min_hops`` below 1.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
    >>> G = graph_from_tables(example_tables())
    >>> escalations(G)[["matter", "hops", "types"]].to_dict("records")
    [{'matter': 3, 'hops': 2, 'types': 'escalates_to -> escalates_to'}]
    >>> len(escalations(G, min_hops=1))  # the single hops too: matters 1, 2 and 3
    4

    Notes
    -----
    Per matter, O(number of simple paths of at most ``cutoff`` hops) in the matter's upward
    edges; matters hold a handful of actors, so this is linear in the handoffs in practice.
    Cycles (A reports to B, B to A) are followed once: no actor repeats in a chain.
    """
    if min_hops < 1:
        raise ValueError(f"min_hops must be 1 or more, got {min_hops}")
    rows = []
    for matter_id, edges in handoffs_by_matter(G, UPWARD_RELS).items():
        town = town_node_id(edges[0].town)
        hops = hops_of(edges)
        upward = nx.DiGraph(list(hops))
        if town not in upward:
            continue
        for path in nx.all_simple_paths(upward, town, set(upward) - {town}, cutoff=cutoff):
            if len(path) - 1 < min_hops:
                continue
            steps = [hops[step] for step in pairwise(path)]
            rows.append(
                {
                    "list_id": edges[0].list_id,
                    "town": edges[0].town,
                    "matter": edges[0].matter,
                    "matter_name": matter_name(G, matter_id),
                    "chain": CHAIN_SEP.join(name_of(G, n) for n in path),
                    "hops": len(path) - 1,
                    "types": CHAIN_SEP.join(hop_types(s) for s in steps),
                    "evidence": EVIDENCE_SEP.join(hop_evidence(s) for s in steps),
                }
            )
    return result_frame(rows, ESCALATION_COLUMNS, ["list_id", "matter", "chain"])
