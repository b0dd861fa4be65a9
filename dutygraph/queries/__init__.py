"""The analysts' questions, one module per question family.

Every question takes a handoff graph (``dutygraph.graphmodel.build``; a scoped view works too)
first and its options as keywords, and returns a DataFrame whose columns are the module's
``*_COLUMNS`` constant, in a documented, deterministic row order; every row names its
``list_id`` and ``town``. The Cypher twin of each (``<question>_cypher(driver, *, database,
list_ids=None, <same options>)``, in the same module) returns the same columns row for row from
a Neo4j or FalkorDB database that ``graphmodel.neo4j_backend.push`` filled.
See docs/queries.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from ._cypher import resolve_lists_cypher
from .dependents import DEPENDENT_COLUMNS, dependents, dependents_cypher
from .escalations import ESCALATION_COLUMNS, escalations, escalations_cypher
from .feedback_gaps import FEEDBACK_COLUMNS, feedback_gaps, feedback_gaps_cypher
from .paths import PATH_COLUMNS, paths, paths_cypher
from .support_gaps import STRONG_KINDS, SUPPORT_GAP_COLUMNS, support_gaps, support_gaps_cypher
from .workload import WORKLOAD_COLUMNS, workload, workload_cypher

__all__ = [
    "DEPENDENT_COLUMNS",
    "QUESTION_TABLES",
    "tables_for",
    "ESCALATION_COLUMNS",
    "FEEDBACK_COLUMNS",
    "PATH_COLUMNS",
    "QUESTION_COLUMNS",
    "QUESTION_FUNCTIONS",
    "STRONG_KINDS",
    "SUPPORT_GAP_COLUMNS",
    "WORKLOAD_COLUMNS",
    "dependents",
    "dependents_cypher",
    "escalations",
    "escalations_cypher",
    "feedback_gaps",
    "feedback_gaps_cypher",
    "paths",
    "paths_cypher",
    "resolve_lists_cypher",
    "support_gaps",
    "support_gaps_cypher",
    "workload",
    "workload_cypher",
]

#: Each question's name (as the CLI spells it) -> its column list.
QUESTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "escalations": ESCALATION_COLUMNS,
    "dependents": DEPENDENT_COLUMNS,
    "feedback-gaps": FEEDBACK_COLUMNS,
    "workload": WORKLOAD_COLUMNS,
    "support-gaps": SUPPORT_GAP_COLUMNS,
    "path": PATH_COLUMNS,
}

#: Each question's name (as the CLI spells it) -> (networkx function, its Cypher twin).
QUESTION_FUNCTIONS: dict[str, tuple[Callable[..., pd.DataFrame], Callable[..., pd.DataFrame]]] = {
    "escalations": (escalations, escalations_cypher),
    "dependents": (dependents, dependents_cypher),
    "feedback-gaps": (feedback_gaps, feedback_gaps_cypher),
    "workload": (workload, workload_cypher),
    "support-gaps": (support_gaps, support_gaps_cypher),
    "path": (paths, paths_cypher),
}

#: What each question reads of the store: table -> columns (None: all). The graph built from
#: these answers the question exactly as the whole graph does (a test checks), without the duty
#: texts, the categories and the tables it never looks at: at a province's 1,500 lists the duty
#: rows are most of the store.
_HANDOFF_TABLES: dict[str, tuple[str, ...] | None] = dict.fromkeys(
    ("lists", "matters", "departments", "handoffs")
)
_DUTY_COUNTS = ("list_id", "duty_id", "matter_id", "matter", "owner", "owner_kind", "number")
QUESTION_TABLES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "escalations": _HANDOFF_TABLES,
    "feedback-gaps": _HANDOFF_TABLES,
    "path": _HANDOFF_TABLES,
    "dependents": {**_HANDOFF_TABLES, "duties": _DUTY_COUNTS},
    "workload": {**_HANDOFF_TABLES, "matter_departments": None, "duties": _DUTY_COUNTS},
    "support-gaps": {
        **_HANDOFF_TABLES,
        "matter_departments": None,
        "duties": _DUTY_COUNTS,
        "guarantees": None,
    },
}


def tables_for(questions: Iterable[str]) -> dict[str, tuple[str, ...] | None]:
    """What several questions read together: each table any of them reads, with the union of
    their columns (None, all columns, when one reads it whole).

    >>> sorted(tables_for(["escalations", "dependents"]))
    ['departments', 'duties', 'handoffs', 'lists', 'matters']
    """
    merged: dict[str, tuple[str, ...] | None] = {}
    for question in questions:
        for table, columns in QUESTION_TABLES[question].items():
            if columns is None or (table in merged and merged[table] is None):
                merged[table] = None
            else:
                merged[table] = tuple(dict.fromkeys((*(merged.get(table) or ()), *columns)))
    return merged
