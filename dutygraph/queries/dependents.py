"""Departments that depend on the town: whose own work waits on what the town hands up.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> dependents(G)["department"].tolist()
['区人民武装部', '区住房和城乡建设局', '区民政局']
>>> dependents(G).loc[0, "matter_names"]
'1 征兵工作'
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType, duty_node_id
from ..i18n import N_
from ._common import (
    NAME_SEP,
    UPWARD_RELS,
    Handoff,
    directed_only,
    handoffs,
    is_department,
    is_town,
    matter_name,
    name_of,
    number_list,
    result_frame,
)
from ._cypher import UPWARD_PATTERN, base_parameters, read
from ._words import GROUPINGS, choose, coded_option
from .registry import DUTY_COUNTS, HANDOFF_TABLES, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "QUESTION",
    "DEPENDENTS_CYPHER",
    "DEPENDENT_COLUMNS",
    "DEPENDENT_SUMMARY_COLUMNS",
    "dependents",
    "dependents_cypher",
]

#: The columns of ``dependents``, in order.
DEPENDENT_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "department",
    "level",  # 区 | 市 | 省 | 部 | 其他
    "matters",  # matters in which the town hands the department something upward
    "handoffs",  # those handoffs (reports_to and escalates_to, town -> department)
    "reports",  # of which reports_to
    "escalations",  # of which escalates_to
    "duties",  # the department's own duties that take them in ("根据街镇上报的…")
    "matter_list",  # the matters' numbers, ascending, joined by ','
    "matter_names",  # the same matters as 'number name', joined by '；'
)

#: The columns of ``dependents(..., by="department")``: one row per department, over the lists.
DEPENDENT_SUMMARY_COLUMNS: tuple[str, ...] = (
    "department",
    "body",  # the district, city or province it belongs to ('' when not known)
    "level",
    "lists",  # the lists (towns) whose town hands it something
    "matters",  # the (list, matter) pairs in which it does
    "handoffs",
    "reports",
    "escalations",
    "duties",
    "matter_names",  # the matters' names, each once, by list then number, joined by '；'
)


@directed_only
def dependents(G: nx.MultiDiGraph, *, by: str | None = None) -> pd.DataFrame:
    """Per list and department, what of its work waits on the town's upward handoffs.

    A department depends on the town in a matter when the town ``reports_to`` or
    ``escalates_to`` it there. Its dependent duties are those whose own text proves the handoff
    (the handoff's ``duty_id`` is a duty of that department, e.g. "根据街镇上报的…开展体检"); a
    handoff proved by the town's text names no department duty, and counts in ``matters`` and
    ``handoffs`` only. One row per (list, department), since a department serves many towns.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    by : str, optional
        ``"department"`` (or 部门): one row per department over the chosen lists (a district
        bureau that many towns hand things to), its counts summed, its matters named.

    Returns
    -------
    pandas.DataFrame
        Columns ``DEPENDENT_COLUMNS``. Ranked within each list by how many matters and duties
        wait on the town: sorted by list_id, then matters, duties and handoffs (most first),
        then department. With ``by="department"``, columns ``DEPENDENT_SUMMARY_COLUMNS``,
        sorted by matters, duties and handoffs (most first), then department and body.

    Raises
    ------
    UnknownNameError
        A grouping it does not know.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> dependents(G)[["department", "matters", "handoffs", "duties"]].to_dict("records")[0]
    {'department': '区人民武装部', 'matters': 1, 'handoffs': 2, 'duties': 1}

    Notes
    -----
    O(edges).
    """
    _grouped(by)  # an unknown grouping fails before the work
    groups: dict[tuple[str, str], list[Handoff]] = {}
    for handoff in handoffs(G, UPWARD_RELS):
        if is_town(G, handoff.src) and is_department(G, handoff.dst):
            groups.setdefault((handoff.list_id, handoff.dst), []).append(handoff)
    rows = [_row(G, dept, group) for (_, dept), group in groups.items()]
    return _answer(rows, by)


_SORT_BY = ["list_id", "matters", "duties", "handoffs", "department"]
_ASCENDING = [True, False, False, False, True]
_SUMMARY_SORT = ["matters", "duties", "handoffs", "department", "body"]
_SUMMARY_ASCENDING = [False, False, False, True, True]
_COUNTS = ("matters", "handoffs", "reports", "escalations", "duties")


def _grouped(by: str | None) -> bool:
    return by is not None and choose("by", by, GROUPINGS) == "department"


def _answer(rows: list[dict[str, Any]], by: str | None) -> pd.DataFrame:
    """The (list, department) rows, from the graph or from the server, with their matters
    named, as they are or summed up per department: one function for both backends. Each row
    brings its department's node id and body, and its matters' names in number order."""
    for row in rows:
        numbers = row["matter_list"].split(",") if row["matter_list"] else []
        row["matter_names"] = NAME_SEP.join(
            f"{number} {name}" if name else number
            for number, name in zip(numbers, row["names"], strict=True)
        )
    if not _grouped(by):
        return result_frame(rows, DEPENDENT_COLUMNS, _SORT_BY, ascending=_ASCENDING)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["list_id"]):
        groups.setdefault(row["node"], []).append(row)
    summary = [
        {
            "department": group[0]["department"],
            "body": group[0]["body"],
            "level": group[0]["level"],
            "lists": len(group),
            **{count: sum(int(r[count]) for r in group) for count in _COUNTS},
            "matter_names": NAME_SEP.join(
                dict.fromkeys(name for r in group for name in r["names"] if name)
            ),
        }
        for group in groups.values()
    ]
    return result_frame(
        summary, DEPENDENT_SUMMARY_COLUMNS, _SUMMARY_SORT, ascending=_SUMMARY_ASCENDING
    )


def _row(G: nx.MultiDiGraph, dept: str, group: Iterable[Handoff]) -> dict[str, Any]:
    group = list(group)
    name = name_of(G, dept)
    numbers = {h.matter: h.matter_id for h in sorted(group, key=lambda h: h.order)}
    return {
        "list_id": group[0].list_id,
        "town": group[0].town,
        "department": name,
        "level": G.nodes[dept].get("level", ""),
        "matters": len({h.matter_id for h in group}),
        "handoffs": len(group),
        "reports": sum(h.type == "reports_to" for h in group),
        "escalations": sum(h.type == "escalates_to" for h in group),
        "duties": len({h.duty_id for h in group if _owned_by(G, h.duty_id, name)}),
        "matter_list": number_list(h.matter for h in group),
        "names": [matter_name(G, numbers[n]) for n in sorted(numbers)],
        "node": dept,
        "body": G.nodes[dept].get("body") or "",
    }


def _owned_by(G: nx.MultiDiGraph, duty_id: str, department: str) -> bool:
    node = duty_node_id(duty_id)
    if node not in G:
        return False
    duty = G.nodes[node]
    return duty.get("owner_kind") == "department" and duty.get("owner") == department


#: The Cypher twin of ``dependents`` (Neo4j 5 and FalkorDB). The duty that proves a handoff is
#: found by its node id (``duty:`` + the handoff's ``duty_id``); counts are ``count(CASE …)``
#: because FalkorDB's ``sum`` of integers is a float; the matter numbers come out ascending
#: from ``range`` rather than from an ordered ``collect``, and each number's name is looked up
#: in the (number, name) pairs. The rows bring what ``_answer`` needs (the names, the node id
#: and body of the department), which names the matters and sums up ``by`` department for
#: both backends.
DEPENDENTS_CYPHER = f"""
MATCH (town:{NodeLabel.TOWN})-[r:{UPWARD_PATTERN}]->(d:{NodeLabel.DEPARTMENT})
WHERE $list_ids IS NULL OR r.list_id IN $list_ids
OPTIONAL MATCH (duty:{NodeLabel.DUTY})
WHERE duty.id = $duty_node_prefix + r.duty_id
  AND duty.owner_kind = $department_kind AND duty.owner = d.name
OPTIONAL MATCH (m:{NodeLabel.MATTER})
WHERE m.id = $matter_node_prefix + r.matter_id
WITH r.list_id AS list_id, d,
     head(collect(r.town)) AS town,
     count(DISTINCT r.matter_id) AS matters,
     count(r) AS handoffs,
     count(CASE WHEN type(r) = $reports_to THEN 1 END) AS reports,
     count(CASE WHEN type(r) = $escalates_to THEN 1 END) AS escalations,
     count(DISTINCT duty) AS duties,
     collect(DISTINCT r.matter) AS numbers,
     collect([r.matter, coalesce(m.name, '')]) AS named,
     min(r.matter) AS lowest, max(r.matter) AS highest
WITH list_id, town, d, matters, handoffs, reports, escalations, duties, named,
     [n IN range(lowest, highest) WHERE n IN numbers] AS numbers
RETURN list_id, town, coalesce(d.name, d.id) AS department, coalesce(d.level, '') AS level,
       matters, handoffs, reports, escalations, duties,
       reduce(s = toString(head(numbers)), n IN tail(numbers) | s + $list_sep + toString(n))
         AS matter_list,
       [n IN numbers | head([p IN named WHERE p[0] = n | p[1]])] AS names,
       d.id AS node, coalesce(d.body, '') AS body
ORDER BY list_id, matters DESC, duties DESC, handoffs DESC, department
"""


def dependents_cypher(
    driver: Any,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """``dependents`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all); ``by`` as for ``dependents``. Returns
    the same columns and row order as ``dependents`` on the graph that was pushed.
    """
    _grouped(by)
    parameters = {
        **base_parameters(list_ids),
        "duty_node_prefix": duty_node_id(""),
        "department_kind": "department",
        "reports_to": RelType.REPORTS_TO.value,
        "escalates_to": RelType.ESCALATES_TO.value,
    }
    rows = read(
        driver,
        DEPENDENTS_CYPHER,
        parameters,
        database=database,
        columns=_SERVER_COLUMNS,
        sort_by=_SORT_BY,
        ascending=_ASCENDING,
    )
    return _answer(rows.to_dict("records"), by)


#: What the twin's Cypher returns of each (list, department).
_SERVER_COLUMNS = (*DEPENDENT_COLUMNS[:-1], "names", "node", "body")


QUESTION = Question(
    name="dependents",
    title=N_("Departments depending on the town"),
    explanation=N_(
        "Which departments' own work waits on what the town hands them: ranked by matters, "
        "then duties, then handoffs."
    ),
    summary=(
        "Departments whose work waits on what the town hands them, ranked, with the matters named."
    ),
    columns=DEPENDENT_COLUMNS,
    function=dependents,
    cypher=dependents_cypher,
    statements=lambda **_: [DEPENDENTS_CYPHER],
    reads={**HANDOFF_TABLES, "duties": DUTY_COUNTS},
    options=(
        coded_option(
            "by",
            "department: one row per department over the chosen lists (how many towns and "
            "matters, which matters).",
            "by",
            GROUPINGS,
        ),
    ),
    rank=30,
)
