"""Feedback gaps: the town hands a department something and nothing comes back to it.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> feedback_gaps(G)[["matter", "department"]].values.tolist()
[[2, '区民政局'], [3, '区住房和城乡建设局']]
>>> feedback_gaps(G, closed=True)[["matter", "department"]].values.tolist()
[[1, '区人民武装部']]
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType
from ..i18n import N_
from ._common import (
    EVIDENCE_SEP,
    UPWARD_RELS,
    Handoff,
    directed_only,
    distinct_evidence,
    handoffs_by_matter,
    is_department,
    is_town,
    matter_name,
    name_of,
    result_frame,
    type_list,
)
from ._cypher import UPWARD_PATTERN, base_parameters, read
from .registry import Option, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "QUESTION",
    "FEEDBACK_COLUMNS",
    "FEEDBACK_GAPS_CYPHER",
    "feedback_gaps",
    "feedback_gaps_cypher",
]

#: The columns of ``feedback_gaps``, in order (the same with ``closed=True``).
FEEDBACK_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "matter",
    "matter_name",
    "department",
    "sent",  # the types the town sends the department, joined by ','
    "handoffs",  # how many handoffs the town sends it
    "evidence",  # what the town sends: the distinct evidence clauses, joined by ' | '
    "feedback",  # what comes back: feeds_back_to evidence, joined by ' | '; '' for a gap
)

_FEEDS_BACK = RelType.FEEDS_BACK_TO.value


@directed_only
def feedback_gaps(G: nx.MultiDiGraph, *, closed: bool = False) -> pd.DataFrame:
    """Each (matter, department) where the town hands the department something upward and
    nothing comes back to the town in that matter.

    The town hands something when it ``reports_to`` or ``escalates_to`` the department; it
    comes back when the department ``feeds_back_to`` the town in the same matter. A task the
    department pushes down (``assigns_to``) is not feedback: it starts the work, it does not
    return its result.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    closed : bool, default False
        List the pairs whose loop does close instead (feedback comes back).

    Returns
    -------
    pandas.DataFrame
        Columns ``FEEDBACK_COLUMNS``; sorted by list_id, matter, department.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> feedback_gaps(G).loc[0, "evidence"]
    '对相关材料进行初步审核并上报'
    >>> feedback_gaps(G, closed=True).loc[0, "feedback"]
    '将体检结果反馈街镇'

    Notes
    -----
    O(handoff edges).
    """
    rows = []
    for matter_id, edges in handoffs_by_matter(G, UPWARD_RELS | {_FEEDS_BACK}).items():
        sent: dict[str, list[Handoff]] = {}
        back: dict[str, list[Handoff]] = {}
        for h in edges:
            if h.type == "feeds_back_to":
                if is_department(G, h.src) and is_town(G, h.dst):
                    back.setdefault(h.src, []).append(h)
            elif is_town(G, h.src) and is_department(G, h.dst):
                sent.setdefault(h.dst, []).append(h)
        for dept, out in sent.items():
            returned = back.get(dept, [])
            if bool(returned) != closed:
                continue
            rows.append(
                {
                    "list_id": out[0].list_id,
                    "town": out[0].town,
                    "matter": out[0].matter,
                    "matter_name": matter_name(G, matter_id),
                    "department": name_of(G, dept),
                    "sent": type_list(h.type for h in out),
                    "handoffs": len(out),
                    "evidence": EVIDENCE_SEP.join(distinct_evidence(out)),
                    "feedback": EVIDENCE_SEP.join(distinct_evidence(returned)),
                }
            )
    return result_frame(rows, FEEDBACK_COLUMNS, _SORT_BY)


_SORT_BY = ["list_id", "matter", "department"]


#: The Cypher twin of ``feedback_gaps`` (Neo4j 5 and FalkorDB). Without ``EXISTS {}`` (FalkorDB
#: has none) the feedback is an OPTIONAL MATCH whose collected evidence is empty for a gap;
#: ``$closed`` picks the gaps or the closed loops.
FEEDBACK_GAPS_CYPHER = f"""
MATCH (:{NodeLabel.TOWN})-[r:{UPWARD_PATTERN}]->(d:{NodeLabel.DEPARTMENT})
WHERE $list_ids IS NULL OR r.list_id IN $list_ids
WITH d, r
ORDER BY $type_rank[type(r)], r.handoff_id
WITH d, r.matter_id AS matter_id, head(collect(r.list_id)) AS list_id,
     head(collect(r.town)) AS town, head(collect(r.matter)) AS matter,
     collect(toLower(type(r))) AS types, count(r) AS handoffs,
     collect(coalesce(r.evidence, '')) AS evidence
OPTIONAL MATCH (d)-[f:{RelType.FEEDS_BACK_TO}]->(:{NodeLabel.TOWN})
WHERE f.matter_id = matter_id
WITH d, matter_id, list_id, town, matter, types, handoffs, evidence, f
ORDER BY f.handoff_id
WITH d, matter_id, list_id, town, matter, types, handoffs, evidence,
     collect(CASE WHEN f IS NULL THEN NULL ELSE coalesce(f.evidence, '') END) AS feedback
WHERE (size(feedback) > 0) = $closed
OPTIONAL MATCH (m:{NodeLabel.MATTER})
WHERE m.id = $matter_node_prefix + matter_id
WITH list_id, town, matter, coalesce(m.name, '') AS matter_name,
     coalesce(d.name, d.id) AS department, handoffs,
     [t IN $handoff_types WHERE t IN types] AS sent,
     reduce(seen = [], e IN evidence | CASE WHEN e IN seen THEN seen ELSE seen + [e] END)
       AS evidence,
     reduce(seen = [], e IN feedback | CASE WHEN e IN seen THEN seen ELSE seen + [e] END)
       AS feedback
RETURN list_id, town, matter, matter_name, department,
       reduce(s = head(sent), t IN tail(sent) | s + $list_sep + t) AS sent,
       handoffs,
       reduce(s = head(evidence), e IN tail(evidence) | s + $evidence_sep + e) AS evidence,
       coalesce(reduce(s = head(feedback), e IN tail(feedback) | s + $evidence_sep + e), '')
         AS feedback
ORDER BY list_id, matter, department
"""


def feedback_gaps_cypher(
    driver: Any,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    closed: bool = False,
) -> pd.DataFrame:
    """``feedback_gaps`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all); ``closed`` as for ``feedback_gaps``.
    Returns the same columns and row order as ``feedback_gaps`` on the graph that was pushed.
    """
    parameters = {**base_parameters(list_ids), "closed": bool(closed)}
    return read(
        driver,
        FEEDBACK_GAPS_CYPHER,
        parameters,
        database=database,
        columns=FEEDBACK_COLUMNS,
        sort_by=_SORT_BY,
    )


QUESTION = Question(
    name="feedback-gaps",
    title=N_("Feedback gaps"),
    explanation=N_(
        "(matter, department) pairs where the town reports or escalates to the department "
        "and nothing in the same matter comes back to the town."
    ),
    summary="(matter, department) pairs where the town sends something up and nothing comes back.",
    columns=FEEDBACK_COLUMNS,
    function=feedback_gaps,
    cypher=feedback_gaps_cypher,
    statements=lambda **_: [FEEDBACK_GAPS_CYPHER],
    options=(Option("closed", "List the matters whose loop closes instead.", False, kind="flag"),),
    rank=20,
)
