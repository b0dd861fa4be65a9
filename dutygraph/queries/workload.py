"""Department workload: the matters each department leads, the town work they generate, and
the handoffs it sends and receives.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> workload(G)[["department", "matters_led", "town_duties"]].values.tolist()[:2]
[['区住房和城乡建设局', 1, 2], ['市住房和城乡建设局', 1, 2]]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType
from ..i18n import N_
from ._common import (
    HANDOFF_RELS,
    directed_only,
    is_department,
    is_town,
    label_of,
    name_of,
    result_frame,
    town_of_list,
)
from ._cypher import HANDOFF_PATTERN, base_parameters, read
from .registry import DUTY_COUNTS, HANDOFF_TABLES, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = ["QUESTION", "WORKLOAD_COLUMNS", "WORKLOAD_CYPHER", "workload", "workload_cypher"]

#: The columns of ``workload``, in order.
WORKLOAD_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "department",
    "level",  # 区 | 市 | 省 | 部 | 其他
    "matters_led",  # matters whose cell 3 names the department (LEADS)
    "own_duties",  # the department's own duties in the list
    "town_duties",  # the town's duties in the matters the department leads
    "handoffs_in",  # handoffs the department receives (any type, from anyone)
    "handoffs_out",  # handoffs the department sends
    "from_town",  # of handoffs_in, those the town sends
    "to_town",  # of handoffs_out, those it sends the town
)

_COUNTS = ("own_duties", "handoffs_in", "handoffs_out", "from_town", "to_town")


@directed_only
def workload(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Per list and department: matters led, town duties generated, handoffs in and out.

    ``town_duties`` counts, for each matter the department leads, all the town's duties in it:
    when two departments lead a matter, its town duties count for both.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.

    Returns
    -------
    pandas.DataFrame
        Columns ``WORKLOAD_COLUMNS``: a row for every department that leads a matter, owns a
        duty or takes part in a handoff of the list. Sorted by list_id, then matters_led (most
        first), town_duties (most first), then department.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> counts = ["handoffs_in", "handoffs_out", "from_town", "to_town"]
    >>> workload(G).set_index("department")[counts].to_dict("index")["区人民武装部"]
    {'handoffs_in': 2, 'handoffs_out': 1, 'from_town': 2, 'to_town': 1}

    Notes
    -----
    O(edges).
    """
    led: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    town_duties_in: Counter[str] = Counter()
    for u, v, data in G.edges(data=True):
        rel, list_id = data.get("type"), data.get("list_id")
        if rel == RelType.LEADS.value:
            led[(list_id, u)].add(data["matter_id"])
        elif rel == RelType.HAS_DUTY.value:
            if is_town(G, u):
                town_duties_in[data["matter_id"]] += 1
            elif is_department(G, u):
                counts[(list_id, u)]["own_duties"] += 1
        elif rel in HANDOFF_RELS:
            if is_department(G, v):
                counts[(list_id, v)]["handoffs_in"] += 1
                counts[(list_id, v)]["from_town"] += is_town(G, u)
            if is_department(G, u):
                counts[(list_id, u)]["handoffs_out"] += 1
                counts[(list_id, u)]["to_town"] += is_town(G, v)

    rows = []
    for list_id, dept in set(led) | set(counts):
        if label_of(G, dept) != NodeLabel.DEPARTMENT.value:
            continue
        matters = led.get((list_id, dept), set())
        tally = counts.get((list_id, dept), Counter())
        rows.append(
            {
                "list_id": list_id,
                "town": town_of_list(G, list_id),
                "department": name_of(G, dept),
                "level": G.nodes[dept].get("level", ""),
                "matters_led": len(matters),
                "town_duties": sum(town_duties_in[m] for m in matters),
                **{name: tally[name] for name in _COUNTS},
            }
        )
    return result_frame(rows, WORKLOAD_COLUMNS, _SORT_BY, ascending=_ASCENDING)


_SORT_BY = ["list_id", "matters_led", "town_duties", "department"]
_ASCENDING = [True, False, False, True]

#: The Cypher twin of ``workload`` (Neo4j 5 and FalkorDB). One pass over each department's
#: LEADS, HAS_DUTY and handoff relationships of the lists gives the (list, department) rows
#: and their counts (``count(CASE …)``: FalkorDB's ``sum`` of integers is a float; a label test
#: is ``$town_label IN labels(n)``: FalkorDB has no label expressions); then the town's duties
#: of the matters it leads (reached from the matter: a duty's HAS_DUTY and DUTY_OF carry the
#: same matter). A handoff between two departments counts for both, as in networkx.
WORKLOAD_CYPHER = f"""
MATCH (d:{NodeLabel.DEPARTMENT})-[e:{RelType.LEADS}|{RelType.HAS_DUTY}|{HANDOFF_PATTERN}]-(other)
WHERE e.list_id IS NOT NULL AND ($list_ids IS NULL OR e.list_id IN $list_ids)
WITH d, e, other, startNode(e) = d AS outgoing, type(e) IN $handoff_rels AS handoff,
     $town_label IN labels(other) AS with_town
WITH e.list_id AS list_id, d,
     count(CASE WHEN type(e) = $has_duty AND outgoing THEN 1 END) AS own_duties,
     count(CASE WHEN handoff AND NOT outgoing THEN 1 END) AS handoffs_in,
     count(CASE WHEN handoff AND outgoing THEN 1 END) AS handoffs_out,
     count(CASE WHEN handoff AND NOT outgoing AND with_town THEN 1 END) AS from_town,
     count(CASE WHEN handoff AND outgoing AND with_town THEN 1 END) AS to_town
OPTIONAL MATCH (d)-[led:{RelType.LEADS}]->(m:{NodeLabel.MATTER})
WHERE led.list_id = list_id
OPTIONAL MATCH (m)<-[:{RelType.DUTY_OF}]-(:{NodeLabel.DUTY})
               <-[duty:{RelType.HAS_DUTY}]-(:{NodeLabel.TOWN})
WITH list_id, d, own_duties, handoffs_in, handoffs_out, from_town, to_town,
     count(DISTINCT m) AS matters_led, count(duty) AS town_duties
OPTIONAL MATCH (l:{NodeLabel.LIST})
WHERE l.id = $list_node_prefix + list_id
RETURN list_id, coalesce(l.town, '') AS town, coalesce(d.name, d.id) AS department,
       coalesce(d.level, '') AS level, matters_led, own_duties, town_duties,
       handoffs_in, handoffs_out, from_town, to_town
ORDER BY list_id, matters_led DESC, town_duties DESC, department
"""


def workload_cypher(
    driver: Any, *, database: str, list_ids: Collection[str] | None = None
) -> pd.DataFrame:
    """``workload`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all). Returns the same columns and row order
    as ``workload`` on the graph that was pushed.
    """
    parameters = {
        **base_parameters(list_ids),
        "has_duty": RelType.HAS_DUTY.value,
        "handoff_rels": sorted(HANDOFF_RELS),
    }
    return read(
        driver,
        WORKLOAD_CYPHER,
        parameters,
        database=database,
        columns=WORKLOAD_COLUMNS,
        sort_by=_SORT_BY,
        ascending=_ASCENDING,
    )


QUESTION = Question(
    name="workload",
    title=N_("Department workload"),
    explanation=N_(
        "Per department: the matters it leads, its own duties, the town duties they bring, "
        "and the handoffs it sends and receives."
    ),
    summary="Per department: matters led, town duties generated, handoffs in and out.",
    columns=WORKLOAD_COLUMNS,
    function=workload,
    cypher=workload_cypher,
    statements=lambda **_: [WORKLOAD_CYPHER],
    reads={**HANDOFF_TABLES, "matter_departments": None, "duties": DUTY_COUNTS},
    rank=40,
)
