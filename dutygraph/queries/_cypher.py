"""What the Cypher twins of the questions share: the parameters every query takes, the one hop
bound that cannot be a parameter, and the run that turns the rows into the question's frame.

Each question module holds its Cypher next to its networkx code (``escalations.ESCALATIONS_CYPHER``
beside ``escalations``), and its ``*_cypher`` function runs it through :func:`read`. The text
runs unchanged on Neo4j 5 and on FalkorDB (the test server); what had to be avoided for
FalkorDB is said where it shows:

- No ``EXISTS {}`` / ``COUNT {}`` subqueries, no label expressions (``:A|B`` on nodes), no
  regex: labels are tested with ``labels(n)``, existence with ``OPTIONAL MATCH`` and counts.
- ``sum()`` of integers is a float on FalkorDB; counts are ``count(CASE WHEN … THEN 1 END)``.
- A named variable-length list (``-[rs:T*1..4]->``) fails over FalkorDB's Bolt; paths are
  ``p = …`` and their hops ``relationships(p)``.
- Neo4j 5 has no ``apoc`` by default and no list sort or string join: joins are ``reduce`` over
  ``head``/``tail``; orders come from ``ORDER BY`` before ``collect`` (both servers keep it
  within a group), from a parameter list (``[t IN $handoff_types WHERE t IN types]``) or, for
  matter numbers, from ``range`` (``[n IN range(min, max) WHERE n IN numbers]``).

Strings sort by code point on FalkorDB and in Python; Neo4j compares UTF-16 code units, which
differs only for characters beyond U+FFFF (rare CJK extensions). :func:`read` therefore
re-applies the question's documented sort (stable, a no-op when the server already sorted the
same way), so the row order is exactly the networkx one on both servers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import UnknownListError
from ..graphmodel.schema import (
    ACTOR_LABELS,
    HANDOFF_TYPES,
    UPWARD_HANDOFF_TYPES,
    NodeLabel,
    RelType,
    list_node_id,
    matter_node_id,
)
from ..selection import Selection, select_lists
from ._common import (
    CHAIN_SEP,
    EVIDENCE_SEP,
    HOP_EVIDENCE_SEP,
    HOP_TYPE_SEP,
    LIST_SEP,
    result_frame,
)

__all__ = [
    "ACTOR_LABEL_VALUES",
    "HANDOFF_PATTERN",
    "LISTS_CYPHER",
    "UPWARD_PATTERN",
    "base_parameters",
    "hop_bound",
    "read",
    "resolve_lists_cypher",
]

#: Relationship-type alternatives for a pattern, from the schema enum only:
#: ``REPORTS_TO|FEEDS_BACK_TO|…`` (every handoff) and ``REPORTS_TO|ESCALATES_TO`` (upward).
HANDOFF_PATTERN = "|".join(RelType.for_handoff(t).value for t in HANDOFF_TYPES)
UPWARD_PATTERN = "|".join(RelType.for_handoff(t).value for t in UPWARD_HANDOFF_TYPES)

#: The labels of the actors a handoff joins (Town, Department, Village).
ACTOR_LABEL_VALUES: tuple[str, ...] = tuple(label.value for label in ACTOR_LABELS.values())

#: The lists a database holds, in list_id order (for ``--list`` on the Neo4j backend).
LISTS_CYPHER = f"""
MATCH (l:{NodeLabel.LIST})
RETURN l.list_id AS list_id, coalesce(l.town, '') AS town, coalesce(l.district, '') AS district,
       coalesce(l.city, '') AS city, coalesce(l.province, '') AS province
ORDER BY list_id
"""

#: A hop bound above this is refused: path enumeration must stay bounded.
MAX_HOP_BOUND = 32


def hop_bound(cutoff: int, *, minus: int = 0) -> str:
    """The upper bound of a variable-length pattern, as Cypher text.

    It is the one value no Cypher server takes as a parameter (``*1..$cutoff`` is a syntax
    error on Neo4j 5 and FalkorDB), so it is checked to be a small int and written into the
    text; every other value reaches Cypher as a ``$parameter``.

    >>> hop_bound(6, minus=1)
    '5'
    """
    if isinstance(cutoff, bool) or not isinstance(cutoff, int):
        raise TypeError(f"cutoff must be an int, got {cutoff!r}")
    if not 1 <= cutoff <= MAX_HOP_BOUND:
        raise ValueError(f"cutoff must be 1 to {MAX_HOP_BOUND}, got {cutoff}")
    return str(cutoff - minus)


def base_parameters(list_ids: Collection[str] | None) -> dict[str, Any]:
    """The parameters every twin's Cypher may use: the lists to keep (``None``: all), the joins
    of text columns, the handoff types in report order and node-id prefixes of the schema."""
    return {
        "list_ids": None if list_ids is None else list(list_ids),
        "handoff_types": list(HANDOFF_TYPES),
        # rank of each relationship type in HANDOFF_TYPES order: Handoff.order in Cypher
        "type_rank": {RelType.for_handoff(t).value: i for i, t in enumerate(HANDOFF_TYPES)},
        "chain_sep": CHAIN_SEP,
        "evidence_sep": EVIDENCE_SEP,
        "hop_type_sep": HOP_TYPE_SEP,
        "hop_evidence_sep": HOP_EVIDENCE_SEP,
        "list_sep": LIST_SEP,
        "town_label": NodeLabel.TOWN.value,
        "actor_labels": list(ACTOR_LABEL_VALUES),
        "matter_node_prefix": matter_node_id(""),
        "list_node_prefix": list_node_id(""),
    }


def read(
    driver: Any,
    cypher: str,
    parameters: Mapping[str, Any],
    *,
    database: str,
    columns: Sequence[str],
    sort_by: Sequence[str],
    ascending: bool | Sequence[bool] = True,
    complete: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """Run one question's Cypher (a read, routed to a reader) and return its frame: exactly
    ``columns``, in the documented order, and for no rows the same empty frame as the
    networkx side. ``complete`` adds to each row what the question words in Python (the
    Chinese ``reason`` of support-gaps), with the very function its networkx side uses."""
    from ..graphmodel.neo4j_backend import run_read  # the neo4j driver only when needed

    rows = run_read(driver, cypher, parameters, database=database).to_dict("records")
    if complete is not None:
        rows = [complete(row) for row in rows]
    return result_frame(rows, columns, sort_by, ascending)


def resolve_lists_cypher(
    driver: Any, selector: Selection | str | Sequence[str] | None, *, database: str
) -> list[str] | None:
    """The list ids a selection (``--list``, ``--district``, ``--town``) names on the server,
    by the same function as ``Store.resolve_lists``. No selection returns ``None``, so that the
    questions read all lists without a long ``$list_ids`` (FalkorDB's Bolt endpoint fails on
    parameters of more than about 4 KB).

    Raises
    ------
    UnknownListError
        The database holds no list, or a value names none of its lists.
    """
    from ..graphmodel.neo4j_backend import run_read

    lists = run_read(driver, LISTS_CYPHER, database=database)
    if lists.empty:
        raise UnknownListError(
            f"database {database!r} holds no list; run `dutygraph neo4j push` first"
        )
    if not Selection.of(selector):
        return None
    return select_lists(lists, selector, where=f"database {database!r}")
