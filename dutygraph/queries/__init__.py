"""The analysts' questions, one module per question family.

Every question takes a handoff graph (``dutygraph.graphmodel.build``; a scoped view works too)
first and its options as keywords, and returns a DataFrame whose columns are the module's
``*_COLUMNS`` constant, in a documented, deterministic row order; every row names its
``list_id`` and ``town``. The Cypher twins (Neo4j backend) return the same columns row for row.
See docs/queries.md.
"""

from __future__ import annotations

from .dependents import DEPENDENT_COLUMNS, dependents
from .escalations import ESCALATION_COLUMNS, escalations
from .feedback_gaps import FEEDBACK_COLUMNS, feedback_gaps
from .paths import PATH_COLUMNS, paths
from .support_gaps import STRONG_KINDS, SUPPORT_GAP_COLUMNS, support_gaps
from .workload import WORKLOAD_COLUMNS, workload

__all__ = [
    "DEPENDENT_COLUMNS",
    "ESCALATION_COLUMNS",
    "FEEDBACK_COLUMNS",
    "PATH_COLUMNS",
    "QUESTION_COLUMNS",
    "STRONG_KINDS",
    "SUPPORT_GAP_COLUMNS",
    "WORKLOAD_COLUMNS",
    "dependents",
    "escalations",
    "feedback_gaps",
    "paths",
    "support_gaps",
    "workload",
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
