"""The analysts' questions, one module per question family.

Every question takes a handoff graph (``dutygraph.graphmodel.build``; a ``graphmodel.scope``
view works too) first and its options as keywords, and returns a DataFrame whose columns are
the module's ``*_COLUMNS`` constant, in a documented, deterministic row order; every row names
its ``list_id`` and ``town`` (but the ``by="department"`` summaries of ``dependents`` and
``feedback_gaps``, ``*_SUMMARY_COLUMNS``, one row per department over the lists). The Cypher
twin of each (``<question>_cypher(driver, *, database, list_ids=None, <same options>)``, in the
same module) returns the same columns row for row from a Neo4j or FalkorDB database that
``graphmodel.neo4j_backend.push`` filled.
Each question module registers itself with one ``QUESTION`` (:class:`registry.Question`);
:data:`QUESTIONS` holds them all, found by scanning this package, in report order. The CLI, the
workbook, the report and the tests iterate it: a new question is a new module.
See docs/queries.md.

>>> list(QUESTIONS)[:2]
['escalations', 'feedback-gaps']
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ._common import (
    CHAIN_SEP,
    EVIDENCE_SEP,
    HOP_EVIDENCE_SEP,
    HOP_TYPE_SEP,
    LIST_SEP,
    Handoff,
    handoffs,
    town_node_of_list,
)
from ._cypher import resolve_lists_cypher
from .dependents import (
    DEPENDENT_COLUMNS,
    DEPENDENT_SUMMARY_COLUMNS,
    dependents,
    dependents_cypher,
)
from .escalations import ESCALATION_COLUMNS, escalations, escalations_cypher
from .feedback_gaps import (
    FEEDBACK_COLUMNS,
    FEEDBACK_SUMMARY_COLUMNS,
    feedback_gaps,
    feedback_gaps_cypher,
)
from .paths import PATH_COLUMNS, paths, paths_cypher
from .registry import Option, Question, ordered
from .support_gaps import STRONG_KINDS, SUPPORT_GAP_COLUMNS, support_gaps, support_gaps_cypher
from .workload import WORKLOAD_COLUMNS, workload, workload_cypher

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHAIN_SEP",
    "EVIDENCE_SEP",
    "HOP_EVIDENCE_SEP",
    "HOP_TYPE_SEP",
    "LIST_SEP",
    "DEPENDENT_COLUMNS",
    "DEPENDENT_SUMMARY_COLUMNS",
    "ESCALATION_COLUMNS",
    "FEEDBACK_COLUMNS",
    "FEEDBACK_SUMMARY_COLUMNS",
    "Handoff",
    "PATH_COLUMNS",
    "QUESTION_COLUMNS",
    "QUESTION_FUNCTIONS",
    "QUESTION_TABLES",
    "QUESTIONS",
    "Option",
    "Question",
    "STRONG_KINDS",
    "SUPPORT_GAP_COLUMNS",
    "WORKLOAD_COLUMNS",
    "dependents",
    "dependents_cypher",
    "escalations",
    "escalations_cypher",
    "feedback_gaps",
    "feedback_gaps_cypher",
    "handoffs",
    "paths",
    "paths_cypher",
    "resolve_lists_cypher",
    "support_gaps",
    "support_gaps_cypher",
    "tables_for",
    "town_node_of_list",
    "workload",
    "workload_cypher",
]


def _registered() -> dict[str, Question]:
    """Every ``QUESTION`` of the modules of this package, by name, in rank order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name != "registry":
            question = getattr(
                importlib.import_module(f"{__name__}.{module.name}"), "QUESTION", None
            )
            if isinstance(question, Question):
                found.append(question)
    return ordered(found)


#: Every question, by name (as ``dutygraph query`` spells it), in report order.
QUESTIONS: dict[str, Question] = _registered()

#: Each question's name -> its column list.
QUESTION_COLUMNS: dict[str, tuple[str, ...]] = {q.name: q.columns for q in QUESTIONS.values()}

#: Each question's name -> (networkx function, its Cypher twin).
QUESTION_FUNCTIONS: dict[str, tuple[Callable[..., pd.DataFrame], Callable[..., pd.DataFrame]]] = {
    q.name: (q.function, q.cypher) for q in QUESTIONS.values()
}

#: What each question reads of the store (``Question.reads``): table -> columns (None: all).
QUESTION_TABLES: dict[str, dict[str, tuple[str, ...] | None]] = {
    q.name: dict(q.reads) for q in QUESTIONS.values()
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
