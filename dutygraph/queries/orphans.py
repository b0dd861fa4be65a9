"""Orphan departments: named in a list as responsible for matters, with no duty and no handoff.

A department in cell 3 (对应上级部门) of some matters that owns no duty anywhere in that list
and sends or receives no handoff in it: the list names it and gives it nothing to do, which
analysts check first (a wrong department, or work the list forgot to write down).

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> orphans(graph_from_tables(example_tables())).empty  # every department of it has duties
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType
from ..i18n import N_
from ._common import (
    HANDOFF_RELS,
    LIST_SEP,
    directed_only,
    is_department,
    name_of,
    number_list,
    result_frame,
    town_of_list,
)
from ._cypher import HANDOFF_PATTERN, base_parameters, read
from .registry import DUTY_COUNTS, HANDOFF_TABLES, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = ["ORPHAN_COLUMNS", "ORPHANS_CYPHER", "QUESTION", "orphans", "orphans_cypher"]

#: The columns of ``orphans``, in order.
ORPHAN_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "department",
    "level",  # 区 | 市 | 省 | 部 | 其他
    "matters",  # how many of the list's matters name it in cell 3
    "matter_list",  # their numbers, ascending, joined by ','
)

_SORT_BY = ["list_id", "department"]


@directed_only
def orphans(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Per list, the departments that lead matters in it but own no duty and take part in no
    handoff in it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph, or a scoped view of one.

    Returns
    -------
    pandas.DataFrame
        :data:`ORPHAN_COLUMNS`, one row per (list, department), by list_id then department.

    Notes
    -----
    One pass over each department's edges: O(E).
    """
    rows = []
    for dept in (n for n in G if is_department(G, n)):
        led: dict[str, set[int]] = defaultdict(set)
        busy: set[str] = set()
        for _, matter, data in G.out_edges(dept, data=True):
            if data.get("type") == RelType.LEADS.value:
                led[data["list_id"]].add(int(G.nodes[matter]["number"]))
        for *_, data in [*G.out_edges(dept, data=True), *G.in_edges(dept, data=True)]:
            if data.get("type") == RelType.HAS_DUTY.value or data.get("type") in HANDOFF_RELS:
                busy.add(data.get("list_id", ""))
        for list_id in led.keys() - busy:
            rows.append(
                {
                    "list_id": list_id,
                    "town": town_of_list(G, list_id),
                    "department": name_of(G, dept),
                    "level": str(G.nodes[dept].get("level", "")),
                    "matters": len(led[list_id]),
                    "matter_list": number_list(led[list_id]),
                }
            )
    return result_frame(rows, ORPHAN_COLUMNS, _SORT_BY)


#: The Cypher twin of ``orphans`` (Neo4j 5 and FalkorDB): departments with LEADS in a list,
#: then those without HAS_DUTY and without handoffs (either way) in that list, counted with
#: OPTIONAL MATCH (FalkorDB has no EXISTS subquery). Matter numbers are ordered through range.
ORPHANS_CYPHER = f"""
MATCH (d:{NodeLabel.DEPARTMENT})-[led:{RelType.LEADS}]->(m:{NodeLabel.MATTER})
WHERE $list_ids IS NULL OR led.list_id IN $list_ids
WITH d, led.list_id AS list_id, collect(DISTINCT m.number) AS numbers,
     min(m.number) AS lowest, max(m.number) AS highest
OPTIONAL MATCH (d)-[duty:{RelType.HAS_DUTY}]->()
WHERE duty.list_id = list_id
WITH d, list_id, numbers, lowest, highest, count(duty) AS duties
WHERE duties = 0
OPTIONAL MATCH (d)-[sent:{HANDOFF_PATTERN}]->()
WHERE sent.list_id = list_id
WITH d, list_id, numbers, lowest, highest, count(sent) AS sent
WHERE sent = 0
OPTIONAL MATCH (d)<-[received:{HANDOFF_PATTERN}]-()
WHERE received.list_id = list_id
WITH d, list_id, numbers, lowest, highest, count(received) AS received
WHERE received = 0
OPTIONAL MATCH (l:{NodeLabel.LIST})
WHERE l.list_id = list_id
WITH list_id, coalesce(l.town, '') AS town, d,
     [n IN range(lowest, highest) WHERE n IN numbers | toString(n)] AS numbers
RETURN list_id, town, d.name AS department, coalesce(d.level, '') AS level,
       size(numbers) AS matters,
       reduce(s = head(numbers), n IN tail(numbers) | s + $list_sep + n) AS matter_list
ORDER BY list_id, department
"""


def orphans_cypher(
    driver: Any, *, database: str, list_ids: Collection[str] | None = None
) -> pd.DataFrame:
    """``orphans`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all). Returns the same columns and row order
    as ``orphans`` on the graph that was pushed.
    """
    parameters = {**base_parameters(list_ids), "list_sep": LIST_SEP}
    return read(
        driver,
        ORPHANS_CYPHER,
        parameters,
        database=database,
        columns=ORPHAN_COLUMNS,
        sort_by=_SORT_BY,
    )


QUESTION = Question(
    name="orphans",
    title=N_("Orphan departments"),
    explanation=N_(
        "Departments a list names as responsible for matters that own no duty and send or "
        "receive no handoff in it."
    ),
    summary="Departments named responsible in a list with no duty and no handoff in it.",
    columns=ORPHAN_COLUMNS,
    function=orphans,
    cypher=orphans_cypher,
    statements=lambda **_: [ORPHANS_CYPHER],
    reads={**HANDOFF_TABLES, "matter_departments": None, "duties": DUTY_COUNTS},
    rank=55,
)
