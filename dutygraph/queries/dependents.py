"""Departments that depend on the town: whose own work waits on what the town hands up.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> dependents(G)["department"].tolist()
['区人民武装部', '区住房和城乡建设局', '区民政局']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType, duty_node_id
from ..i18n import N_
from ._common import (
    UPWARD_RELS,
    Handoff,
    directed_only,
    handoffs,
    is_department,
    is_town,
    name_of,
    number_list,
    result_frame,
)
from ._cypher import UPWARD_PATTERN, base_parameters, read
from .registry import DUTY_COUNTS, HANDOFF_TABLES, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = ["QUESTION", "DEPENDENTS_CYPHER", "DEPENDENT_COLUMNS", "dependents", "dependents_cypher"]

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
)


@directed_only
def dependents(G: nx.MultiDiGraph) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Columns ``DEPENDENT_COLUMNS``. Ranked within each list by how many matters and duties
        wait on the town: sorted by list_id, then matters, duties and handoffs (most first),
        then department.

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
    groups: dict[tuple[str, str], list[Handoff]] = {}
    for handoff in handoffs(G, UPWARD_RELS):
        if is_town(G, handoff.src) and is_department(G, handoff.dst):
            groups.setdefault((handoff.list_id, handoff.dst), []).append(handoff)
    rows = [_row(G, dept, group) for (_, dept), group in groups.items()]
    return result_frame(rows, DEPENDENT_COLUMNS, _SORT_BY, ascending=_ASCENDING)


_SORT_BY = ["list_id", "matters", "duties", "handoffs", "department"]
_ASCENDING = [True, False, False, False, True]


def _row(G: nx.MultiDiGraph, dept: str, group: Iterable[Handoff]) -> dict[str, object]:
    group = list(group)
    name = name_of(G, dept)
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
#: from ``range`` rather than from an ordered ``collect``.
DEPENDENTS_CYPHER = f"""
MATCH (town:{NodeLabel.TOWN})-[r:{UPWARD_PATTERN}]->(d:{NodeLabel.DEPARTMENT})
WHERE $list_ids IS NULL OR r.list_id IN $list_ids
OPTIONAL MATCH (duty:{NodeLabel.DUTY})
WHERE duty.id = $duty_node_prefix + r.duty_id
  AND duty.owner_kind = $department_kind AND duty.owner = d.name
WITH r.list_id AS list_id, d,
     head(collect(r.town)) AS town,
     count(DISTINCT r.matter_id) AS matters,
     count(r) AS handoffs,
     count(CASE WHEN type(r) = $reports_to THEN 1 END) AS reports,
     count(CASE WHEN type(r) = $escalates_to THEN 1 END) AS escalations,
     count(DISTINCT duty) AS duties,
     collect(DISTINCT r.matter) AS numbers,
     min(r.matter) AS lowest, max(r.matter) AS highest
WITH list_id, town, d, matters, handoffs, reports, escalations, duties,
     [n IN range(lowest, highest) WHERE n IN numbers | toString(n)] AS numbers
RETURN list_id, town, coalesce(d.name, d.id) AS department, coalesce(d.level, '') AS level,
       matters, handoffs, reports, escalations, duties,
       reduce(s = head(numbers), n IN tail(numbers) | s + $list_sep + n) AS matter_list
ORDER BY list_id, matters DESC, duties DESC, handoffs DESC, department
"""


def dependents_cypher(
    driver: Any, *, database: str, list_ids: Collection[str] | None = None
) -> pd.DataFrame:
    """``dependents`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all). Returns the same columns and row order
    as ``dependents`` on the graph that was pushed.
    """
    parameters = {
        **base_parameters(list_ids),
        "duty_node_prefix": duty_node_id(""),
        "department_kind": "department",
        "reports_to": RelType.REPORTS_TO.value,
        "escalates_to": RelType.ESCALATES_TO.value,
    }
    return read(
        driver,
        DEPENDENTS_CYPHER,
        parameters,
        database=database,
        columns=DEPENDENT_COLUMNS,
        sort_by=_SORT_BY,
        ascending=_ASCENDING,
    )


QUESTION = Question(
    name="dependents",
    title=N_("Departments depending on the town"),
    explanation=N_(
        "Which departments' own work waits on what the town hands them: ranked by matters, "
        "then duties, then handoffs."
    ),
    summary="Departments whose work waits on what the town hands them, ranked.",
    columns=DEPENDENT_COLUMNS,
    function=dependents,
    cypher=dependents_cypher,
    statements=lambda **_: [DEPENDENTS_CYPHER],
    reads={**HANDOFF_TABLES, "duties": DUTY_COUNTS},
    rank=30,
)
