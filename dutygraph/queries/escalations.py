"""Escalation chains: how far up a case the town cannot settle travels, inside one matter.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> escalations(G).loc[0, "chain"]
'示例镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局'
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel
from ..i18n import N_
from ._common import (
    CHAIN_SEP,
    EVIDENCE_SEP,
    UPWARD_RELS,
    directed_only,
    handoffs_by_matter,
    hop_evidence,
    hop_types,
    hops_of,
    matter_name,
    name_of,
    result_frame,
    town_node_of_list,
)
from ._cypher import MAX_HOP_BOUND, UPWARD_PATTERN, base_parameters, hop_bound, read
from .registry import Option, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "ESCALATIONS_CYPHER",
    "ESCALATION_COLUMNS",
    "QUESTION",
    "escalations",
    "escalations_cypher",
]

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


@directed_only
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
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
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
    import networkx as nx

    if min_hops < 1:
        raise ValueError(f"min_hops must be 1 or more, got {min_hops}")
    rows = []
    for matter_id, edges in handoffs_by_matter(G, UPWARD_RELS).items():
        town = town_node_of_list(G, edges[0].list_id)
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


#: The Cypher twin of ``escalations`` (Neo4j 5 and FalkorDB). ``{rest}`` is the hop bound after
#: the town's first hop (``cutoff - 1``, see ``_cypher.hop_bound``); all else is a parameter.
#: The first hop is matched on its own so that its matter bounds the rest of the walk (Neo4j
#: prunes the expansion on it); node-simple paths: every actor once (``single``). Parallel
#: edges of one hop are enumerated as separate paths, so the paths are made DISTINCT on their
#: actors and each hop's edges are matched again, in Handoff.order, for its types and evidence.
ESCALATIONS_CYPHER = f"""
MATCH (town:{NodeLabel.TOWN})-[first:{UPWARD_PATTERN}]->(next)
WHERE town.name = first.town AND ($list_ids IS NULL OR first.list_id IN $list_ids)
MATCH p = (next)-[:{UPWARD_PATTERN}*0..{{rest}}]->()
WITH first, [town] + nodes(p) AS actors, relationships(p) AS rels
WHERE size(rels) + 1 >= $min_hops
  AND all(r IN rels WHERE r.matter_id = first.matter_id)
  AND all(a IN actors WHERE single(b IN actors WHERE b = a))
WITH DISTINCT first.list_id AS list_id, first.town AS town, first.matter_id AS matter_id,
     first.matter AS matter, actors
UNWIND range(0, size(actors) - 2) AS i
WITH list_id, town, matter_id, matter, actors, i, actors[i] AS a, actors[i + 1] AS b
MATCH (a)-[r:{UPWARD_PATTERN}]->(b)
WHERE r.matter_id = matter_id
WITH list_id, town, matter_id, matter, actors, i, r
ORDER BY i, $type_rank[type(r)], r.handoff_id
WITH list_id, town, matter_id, matter, actors, i,
     collect(toLower(type(r))) AS types, collect(coalesce(r.evidence, '')) AS evidence
WITH list_id, town, matter_id, matter, actors, i,
     [t IN $handoff_types WHERE t IN types] AS types,
     reduce(seen = [], e IN evidence | CASE WHEN e IN seen THEN seen ELSE seen + [e] END)
       AS evidence
ORDER BY i
WITH list_id, town, matter_id, matter, actors,
     collect(reduce(s = head(types), t IN tail(types) | s + $hop_type_sep + t)) AS types,
     collect(reduce(s = head(evidence), e IN tail(evidence) | s + $hop_evidence_sep + e))
       AS evidence
OPTIONAL MATCH (m:{NodeLabel.MATTER})
WHERE m.id = $matter_node_prefix + matter_id
WITH list_id, town, matter, coalesce(m.name, '') AS matter_name,
     [a IN actors | coalesce(a.name, a.id)] AS names, types, evidence
RETURN list_id, town, matter, matter_name,
       reduce(s = head(names), n IN tail(names) | s + $chain_sep + n) AS chain,
       size(names) - 1 AS hops,
       reduce(s = head(types), t IN tail(types) | s + $chain_sep + t) AS types,
       reduce(s = head(evidence), e IN tail(evidence) | s + $evidence_sep + e) AS evidence
ORDER BY list_id, matter, chain
"""


def escalations_cypher(
    driver: Any,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    min_hops: int = 2,
    cutoff: int = 6,
) -> pd.DataFrame:
    """``escalations`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    Parameters
    ----------
    driver : neo4j.Driver
        From ``neo4j_backend.connect``.
    database : str
        The database (on FalkorDB, the graph) to read.
    list_ids : collection of str, optional
        Only these lists (``None``: every list in the database).
    min_hops, cutoff : int
        As for ``escalations``.

    Returns
    -------
    pandas.DataFrame
        The same columns and row order as ``escalations`` on the graph that was pushed.
    """
    if min_hops < 1:
        raise ValueError(f"min_hops must be 1 or more, got {min_hops}")
    if min_hops > cutoff:  # the Cypher could not express an empty range of hops
        return result_frame([], ESCALATION_COLUMNS, ["list_id", "matter", "chain"])
    (cypher,) = _statements(cutoff=cutoff)
    parameters = {**base_parameters(list_ids), "min_hops": min_hops}
    return read(
        driver,
        cypher,
        parameters,
        database=database,
        columns=ESCALATION_COLUMNS,
        sort_by=["list_id", "matter", "chain"],
    )


def _statements(*, cutoff: int = 6, **_: Any) -> list[str]:
    return [ESCALATIONS_CYPHER.format(rest=hop_bound(cutoff, minus=1))]


QUESTION = Question(
    name="escalations",
    title=N_("Escalation chains"),
    explanation=N_(
        "How far up a case the town cannot settle travels, step by step through reports "
        "and escalations: chains of two steps or more inside one matter."
    ),
    summary=(
        "Chains of upward handoffs (reports_to, escalates_to) from the town, inside one matter."
    ),
    columns=ESCALATION_COLUMNS,
    function=escalations,
    cypher=escalations_cypher,
    statements=_statements,
    options=(
        Option("min_hops", "The shortest chain listed, in hops.", 2, minimum=1),
        Option(
            "cutoff", "The longest chain followed, in hops.", 6, minimum=1, maximum=MAX_HOP_BOUND
        ),
    ),
    rank=10,
)
