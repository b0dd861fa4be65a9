"""Feedback gaps: the town hands a department something and nothing comes back to it.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> feedback_gaps(G)[["matter", "department"]].values.tolist()
[[2, '区民政局'], [3, '区住房和城乡建设局']]
>>> feedback_gaps(G, closed=True)[["matter", "department"]].values.tolist()
[[1, '区人民武装部']]
>>> feedback_gaps(G)[["matter", "sent_class"]].values.tolist()
[[2, 'application'], [3, 'case']]
>>> summary = feedback_gaps(G, by="department")
>>> summary[["department", "matters", "applications", "cases"]].values.tolist()
[['区住房和城乡建设局', 1, 0, 1], ['区民政局', 1, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType
from ..i18n import N_
from ._common import (
    EVIDENCE_SEP,
    NAME_SEP,
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
from ._words import GROUPINGS, SENT_CLASSES, choose, choose_all, coded_option
from ._words import sent_class as class_of_evidence
from .registry import Option, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "QUESTION",
    "FEEDBACK_COLUMNS",
    "FEEDBACK_GAPS_CYPHER",
    "FEEDBACK_SUMMARY_COLUMNS",
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
    "sent_class",  # what was sent, by its evidence: application | case | information | unclassified
    "sent",  # the types the town sends the department, joined by ','
    "handoffs",  # how many handoffs the town sends it
    "evidence",  # what the town sends: the distinct evidence clauses, joined by ' | '
    "feedback",  # what comes back: feeds_back_to evidence, joined by ' | '; '' for a gap
)

#: The columns of ``feedback_gaps(..., by="department")``: one row per department.
FEEDBACK_SUMMARY_COLUMNS: tuple[str, ...] = (
    "department",
    "body",  # the district, city or province it belongs to ('' when not known)
    "level",  # 区 | 市 | 省 | 部 | 其他
    "lists",  # the lists (towns) with such a matter
    "matters",  # the (list, matter) pairs: gaps (closed loops with closed=True)
    "handoffs",  # what the town sends in them
    "applications",  # of the matters, those whose sent_class is application
    "cases",  # … case
    "information_reports",  # … information
    "unclassified",  # … unclassified
    "matter_names",  # the matters' names, each once, by list then number, joined by '；'
)
#: sent_class -> its count column in the summary.
_CLASS_COLUMNS = dict(zip(SENT_CLASSES, FEEDBACK_SUMMARY_COLUMNS[6:10], strict=True))

_FEEDS_BACK = RelType.FEEDS_BACK_TO.value


@directed_only
def feedback_gaps(
    G: nx.MultiDiGraph,
    *,
    closed: bool = False,
    sent_class: Collection[str] = (),
    by: str | None = None,
) -> pd.DataFrame:
    """Each (matter, department) where the town hands the department something upward and
    nothing comes back to the town in that matter.

    The town hands something when it ``reports_to`` or ``escalates_to`` the department; it
    comes back when the department ``feeds_back_to`` the town in the same matter. A task the
    department pushes down (``assigns_to``) is not feedback: it starts the work, it does not
    return its result.

    Each pair is classed by what the town sends (``sent_class``), read from the evidence of
    its handoffs with the words of ``vocab/questions.yaml``: ``application`` (an application or
    a file awaiting a decision: 申请, 审批, 认定 …), ``case`` (a case, a problem, a hazard or a
    lead to be dealt with: 问题, 案件, 隐患, 线索 …), ``information`` (a report of information,
    where no reply is expected: 台账, 报表, 统计 …), or ``unclassified`` when no word fits.
    The first class in the file's order that fits is taken.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    closed : bool, default False
        List the pairs whose loop does close instead (feedback comes back).
    sent_class : collection of str, default ()
        Only the pairs of these classes (codes or their labels, 申请待审批 …); empty: all.
        ``("application", "case")`` drops the information reports, where no reply is expected.
    by : str, optional
        ``"department"`` (or 部门): one row per department, over the chosen lists, instead of
        one per pair.

    Returns
    -------
    pandas.DataFrame
        Columns ``FEEDBACK_COLUMNS``; sorted by list_id, matter, department. With
        ``by="department"``, columns ``FEEDBACK_SUMMARY_COLUMNS``, sorted by matters and
        handoffs (most first), then department.

    Raises
    ------
    UnknownNameError
        A class or a grouping it does not know.

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
    _read_options(sent_class, by)  # an unknown class or grouping fails before the work
    rows: list[dict[str, Any]] = []
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
                    "node": dept,
                    "body": G.nodes[dept].get("body") or "",
                    "level": G.nodes[dept].get("level", ""),
                }
            )
    return _answer(rows, sent_class, by)


_SORT_BY = ["list_id", "matter", "department"]
_SUMMARY_SORT = ["matters", "handoffs", "department", "body"]
_SUMMARY_ASC = [False, False, True, True]


def _read_options(sent_class: Collection[str], by: str | None) -> tuple[tuple[str, ...], bool]:
    """The classes kept (empty: all) and whether rows are summed up by department."""
    classes = choose_all("sent_class", sent_class, SENT_CLASSES) if sent_class else ()
    return classes, by is not None and choose("by", by, GROUPINGS) == "department"


def _answer(
    rows: list[dict[str, Any]], sent_class: Collection[str], by: str | None
) -> pd.DataFrame:
    """The pairs (one dict each, from the graph or from the server) classed by what was sent,
    kept by class, and returned as they are or summed up per department: one function for
    both backends."""
    classes, grouping = _read_options(sent_class, by)
    kept = []
    for row in rows:
        row = {**row, "sent_class": class_of_evidence(row["evidence"])}
        if not classes or row["sent_class"] in classes:
            kept.append(row)
    if grouping:
        summary = _summary(kept)
        return result_frame(summary, FEEDBACK_SUMMARY_COLUMNS, _SUMMARY_SORT, _SUMMARY_ASC)
    return result_frame(kept, FEEDBACK_COLUMNS, _SORT_BY)


def _summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pairs' rows summed up per department (node), over the lists."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["list_id"], r["matter"])):
        groups.setdefault(row["node"], []).append(row)
    summary = []
    for group in groups.values():
        counts = dict.fromkeys(_CLASS_COLUMNS.values(), 0)
        for row in group:
            counts[_CLASS_COLUMNS[row["sent_class"]]] += 1
        summary.append(
            {
                "department": group[0]["department"],
                "body": group[0]["body"],
                "level": group[0]["level"],
                "lists": len({r["list_id"] for r in group}),
                "matters": len(group),
                "handoffs": sum(r["handoffs"] for r in group),
                **counts,
                "matter_names": NAME_SEP.join(
                    dict.fromkeys(r["matter_name"] for r in group if r["matter_name"])
                ),
            }
        )
    return summary


#: The Cypher twin of ``feedback_gaps`` (Neo4j 5 and FalkorDB). Without ``EXISTS {}`` (FalkorDB
#: has none) the feedback is an OPTIONAL MATCH whose collected evidence is empty for a gap;
#: ``$closed`` picks the gaps or the closed loops. It returns the pairs with what the summary
#: needs of their department (node id, body, level); the class of what was sent, the
#: ``sent_class`` filter and the ``by`` summary are the networkx side's own ``_answer`` on
#: these rows (the class words as parameters and the summary in Cypher would pass the 3.5 KB
#: of query and parameters that FalkorDB's Bolt endpoint takes).
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
WITH d, list_id, town, matter, coalesce(m.name, '') AS matter_name,
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
         AS feedback,
       d.id AS node, coalesce(d.body, '') AS body, coalesce(d.level, '') AS level
ORDER BY list_id, matter, department
"""


def feedback_gaps_cypher(
    driver: Any,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    closed: bool = False,
    sent_class: Collection[str] = (),
    by: str | None = None,
) -> pd.DataFrame:
    """``feedback_gaps`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all); ``closed``, ``sent_class`` and ``by``
    as for ``feedback_gaps``. Returns the same columns and row order as ``feedback_gaps`` on
    the graph that was pushed.
    """
    _read_options(sent_class, by)
    parameters = {**base_parameters(list_ids), "closed": bool(closed)}
    pairs = read(
        driver,
        FEEDBACK_GAPS_CYPHER,
        parameters,
        database=database,
        columns=_PAIR_COLUMNS,
        sort_by=_SORT_BY,
    )
    return _answer(pairs.to_dict("records"), sent_class, by)


#: What the twin's Cypher returns of each pair.
_PAIR_COLUMNS = (*(c for c in FEEDBACK_COLUMNS if c != "sent_class"), "node", "body", "level")


QUESTION = Question(
    name="feedback-gaps",
    title=N_("Feedback gaps"),
    explanation=N_(
        "(matter, department) pairs where the town reports or escalates to the department "
        "and nothing in the same matter comes back to the town."
    ),
    summary=(
        "(matter, department) pairs where the town sends something up and nothing comes back, "
        "classed by what was sent (application, case, information)."
    ),
    columns=FEEDBACK_COLUMNS,
    function=feedback_gaps,
    cypher=feedback_gaps_cypher,
    statements=lambda **_: [FEEDBACK_GAPS_CYPHER],
    options=(
        Option("closed", "List the matters whose loop closes instead.", False, kind="flag"),
        coded_option(
            "sent_class",
            "Only what was sent of these classes, comma-separated: application (awaiting a "
            "decision), case (a case or problem), information (a report; no reply expected), "
            "unclassified.",
            "sent_class",
            SENT_CLASSES,
            several=True,
        ),
        coded_option(
            "by",
            "department: one row per department (how many gaps, of which class, which matters).",
            "by",
            GROUPINGS,
        ),
    ),
    rank=20,
)
