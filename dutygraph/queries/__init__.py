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

from collections.abc import Callable

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
