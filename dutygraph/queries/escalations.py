"""Escalation chains: how far up a case the town cannot settle travels, inside one matter.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> escalations(G).loc[0, "chain"]
'示例镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局'
>>> escalations(G, reaches="市")[["matter", "reaches", "chain_kind"]].values.tolist()
[[3, '市', 'enforcement']]
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
    is_department,
    matter_name,
    name_of,
    result_frame,
    town_node_of_list,
)
from ._cypher import MAX_HOP_BOUND, UPWARD_PATTERN, base_parameters, hop_bound, read
from ._words import (
    CHAIN_KINDS,
    ENFORCEMENT,
    OTHER_LEVEL,
    REPORT,
    choose,
    coded_option,
    highest_level,
    level_code,
    question_words,
)
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
    "reaches",  # the level of the chain's highest department: 部 | 省 | 市 | 区 | 其他
    "chain_kind",  # enforcement (an escalates_to hop) | report (reports_to only)
    "chain",  # actor names joined by ' -> ', the town first
    "hops",  # number of hops (actors - 1)
    "types",  # per hop, its types joined by ' -> '; parallel edges of a hop joined by '+'
    "evidence",  # per hop, its evidence joined by ' | '; parallel edges of a hop joined by '；'
)


@directed_only
def escalations(
    G: nx.MultiDiGraph,
    *,
    min_hops: int | None = None,
    cutoff: int = 6,
    reaches: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Every chain of upward handoffs that starts at a town, inside one matter.

    A chain is a simple path (no actor twice) from the town of a matter's list along
    ``reports_to`` and ``escalates_to`` edges that all belong to that matter. Every such path of
    ``min_hops`` to ``cutoff`` hops is a row, prefixes included: with the default
    ``min_hops=2``, town -> A -> B -> C yields the rows town -> A -> B and town -> A -> B -> C.
    Parallel edges between the same two actors (a town that both reports and escalates to a
    bureau) make one hop, whose types and evidence list them all.

    Each chain names the level it reaches (``reaches``: the level of its highest department,
    部 above 省 above 市 above 区; 其他 when none has a known level) and its kind
    (``chain_kind``): ``enforcement`` when a hop is an ``escalates_to`` (a case the town hands
    up to be dealt with: 提级处置), ``report`` when every hop is a ``reports_to`` (an
    application or a file passed up for review: 逐级上报).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    min_hops : int, optional
        The shortest chain listed; 1 lists the town's single upward hops as well. By default
        2, or 1 with ``reaches`` (a town's own hop to a city bureau goes beyond the district).
    cutoff : int, default 6
        The longest chain followed (a bound on path enumeration).
    reaches : str, optional
        Only the chains that reach this level or above: 国家 (部), 省, 市 or 区, in Chinese or
        English (``city``), as ``vocab/questions.yaml`` names them. ``市`` answers "which
        matters escalate beyond the district".
    kind : str, optional
        Only the chains of this kind: ``enforcement`` or ``report`` (or their labels,
        提级处置 / 逐级上报).

    Returns
    -------
    pandas.DataFrame
        Columns ``ESCALATION_COLUMNS``; sorted by list_id, matter, then chain (so a chain follows
        its prefix).

    Raises
    ------
    ValueError
        ``min_hops`` below 1.
    UnknownNameError
        ``reaches`` names no level, or ``kind`` no kind.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> escalations(G)[["matter", "hops", "types"]].to_dict("records")
    [{'matter': 3, 'hops': 2, 'types': 'escalates_to -> escalates_to'}]
    >>> len(escalations(G, min_hops=1))  # the single hops too: matters 1, 2 and 3
    4
    >>> escalations(G, reaches="省").empty, escalations(G, kind="report").empty
    (True, True)

    Notes
    -----
    Per matter, O(number of simple paths of at most ``cutoff`` hops) in the matter's upward
    edges; matters hold a handful of actors, so this is linear in the handoffs in practice.
    Cycles (A reports to B, B to A) are followed once: no actor repeats in a chain.
    """
    import networkx as nx

    wanted = _Filter.of(min_hops, reaches, kind)
    rows = []
    for matter_id, edges in handoffs_by_matter(G, UPWARD_RELS).items():
        town = town_node_of_list(G, edges[0].list_id)
        hops = hops_of(edges)
        upward = nx.DiGraph(list(hops))
        if town not in upward:
            continue
        for path in nx.all_simple_paths(upward, town, set(upward) - {town}, cutoff=cutoff):
            if len(path) - 1 < wanted.min_hops:
                continue
            steps = [hops[step] for step in pairwise(path)]
            level = highest_level(G.nodes[n].get("level", "") for n in path if is_department(G, n))
            escalating = any(h.type == "escalates_to" for step in steps for h in step)
            chain_kind = ENFORCEMENT if escalating else REPORT
            if not wanted.keeps(level, chain_kind):
                continue
            rows.append(
                {
                    "list_id": edges[0].list_id,
                    "town": edges[0].town,
                    "matter": edges[0].matter,
                    "matter_name": matter_name(G, matter_id),
                    "reaches": level,
                    "chain_kind": chain_kind,
                    "chain": CHAIN_SEP.join(name_of(G, n) for n in path),
                    "hops": len(path) - 1,
                    "types": CHAIN_SEP.join(hop_types(s) for s in steps),
                    "evidence": EVIDENCE_SEP.join(hop_evidence(s) for s in steps),
                }
            )
    return result_frame(rows, ESCALATION_COLUMNS, ["list_id", "matter", "chain"])


class _Filter:
    """The options that choose chains, read once, the same for both backends."""

    def __init__(self, min_hops: int, reaches: str | None, kind: str | None) -> None:
        self.min_hops, self.reaches, self.kind = min_hops, reaches, kind
        self.rank = question_words().level_rank

    @classmethod
    def of(cls, min_hops: int | None, reaches: str | None, kind: str | None) -> _Filter:
        level = None if reaches is None else level_code(reaches)
        hops = min_hops if min_hops is not None else (2 if level is None else 1)
        if hops < 1:
            raise ValueError(f"min_hops must be 1 or more, got {hops}")
        return cls(hops, level, None if kind is None else choose("chain_kind", kind, CHAIN_KINDS))

    def keeps(self, level: str, chain_kind: str) -> bool:
        if self.kind is not None and chain_kind != self.kind:
            return False
        if self.reaches is None:
            return True
        return level in self.rank and self.rank[level] <= self.rank[self.reaches]

    def parameters(self) -> dict[str, Any]:
        """The Cypher parameters of the filter (the level as its rank, from the top)."""
        return {
            "min_hops": self.min_hops,
            "levels": list(self.rank),
            "other_level": OTHER_LEVEL,
            "reaches_rank": None if self.reaches is None else self.rank[self.reaches],
            "kind": self.kind,
            "escalates_to": "escalates_to",
            "enforcement": ENFORCEMENT,
            "report": REPORT,
        }


#: The Cypher twin of ``escalations`` (Neo4j 5 and FalkorDB). ``{rest}`` is the hop bound after
#: the town's first hop (``cutoff - 1``, see ``_cypher.hop_bound``); all else is a parameter.
#: The first hop is matched on its own so that its matter bounds the rest of the walk (Neo4j
#: prunes the expansion on it); node-simple paths: every actor once (``single``). Parallel
#: edges of one hop are enumerated as separate paths, so the paths are made DISTINCT on their
#: actors and each hop's edges are matched again, in Handoff.order, for its types and evidence.
#: The level reached is the first of ``$levels`` (top down) that an actor has; the town's and
#: the village's levels are not among them.
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
       AS evidence,
     collect($escalates_to IN types) AS escalating
WITH list_id, town, matter_id, matter, actors, types, evidence,
     CASE WHEN any(e IN escalating WHERE e) THEN $enforcement ELSE $report END AS chain_kind,
     [k IN range(0, size($levels) - 1) WHERE $levels[k] IN [a IN actors | a.level]] AS ranks
WHERE ($kind IS NULL OR chain_kind = $kind)
  AND ($reaches_rank IS NULL OR (size(ranks) > 0 AND head(ranks) <= $reaches_rank))
OPTIONAL MATCH (m:{NodeLabel.MATTER})
WHERE m.id = $matter_node_prefix + matter_id
WITH list_id, town, matter, coalesce(m.name, '') AS matter_name,
     CASE WHEN size(ranks) = 0 THEN $other_level ELSE $levels[head(ranks)] END AS reaches,
     chain_kind, [a IN actors | coalesce(a.name, a.id)] AS names, types, evidence
RETURN list_id, town, matter, matter_name, reaches, chain_kind,
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
    min_hops: int | None = None,
    cutoff: int = 6,
    reaches: str | None = None,
    kind: str | None = None,
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
    min_hops, cutoff, reaches, kind
        As for ``escalations``.

    Returns
    -------
    pandas.DataFrame
        The same columns and row order as ``escalations`` on the graph that was pushed.
    """
    wanted = _Filter.of(min_hops, reaches, kind)
    if wanted.min_hops > cutoff:  # the Cypher could not express an empty range of hops
        return result_frame([], ESCALATION_COLUMNS, ["list_id", "matter", "chain"])
    (cypher,) = _statements(cutoff=cutoff)
    parameters = {**base_parameters(list_ids), **wanted.parameters()}
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
        "Chains of upward handoffs (reports_to, escalates_to) from the town, inside one matter, "
        "with the level each reaches and its kind; --reaches 市: the matters that escalate "
        "beyond the district."
    ),
    columns=ESCALATION_COLUMNS,
    function=escalations,
    cypher=escalations_cypher,
    statements=_statements,
    options=(
        Option(
            "reaches",
            "Only the chains that reach this level or above: 区, 市, 省 or 国家 (district, "
            "city, province, national). 市: the matters that escalate beyond the district.",
            None,
            kind="text",
            choices=("区", "市", "省", "国家"),
            check=level_code,
        ),
        coded_option(
            "kind",
            "Only the chains of this kind: enforcement (an escalation, 提级处置) or report "
            "(reports only, 逐级上报).",
            "chain_kind",
            CHAIN_KINDS,
        ),
        Option(
            "min_hops",
            "The shortest chain listed, in hops [default: 2; 1 with --reaches].",
            None,
            minimum=1,
        ),
        Option(
            "cutoff", "The longest chain followed, in hops.", 6, minimum=1, maximum=MAX_HOP_BOUND
        ),
    ),
    rank=10,
)
