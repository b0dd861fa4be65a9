"""Loading a list end to end: read it into tables (``loaders``), extract its handoffs
(``extraction``), and add the departments the handoffs name to the departments table.

>>> tables = load_list("data/000_5b382267ef9e6b6d.txt")
>>> tables.list_id, len(tables.matters), len(tables.handoffs) > 0
('卜尔汉图镇:配合', 69, True)
"""

from __future__ import annotations

import os

import pandas as pd

from .extraction import extract
from .loaders import binary_list_file, read_list
from .tables import Given, ListTables
from .vocabulary import Vocabulary

__all__ = ["binary_list_file", "load_list", "load_lists"]


def load_list(
    path: str | os.PathLike[str],
    *,
    given: Given | None = None,
    vocab: Vocabulary | None = None,
    extract_handoffs: bool = True,
) -> ListTables:
    """Read a duty list in any supported format into its tidy tables, handoffs included. What
    ``given`` says (town, kind, version, place) overrides what the document and its folders say.
    """
    vocab = vocab or Vocabulary.load()
    tables = read_list(path, given=given, vocab=vocab)
    if extract_handoffs:
        found = extract(tables, vocab=vocab)
        tables.handoffs, tables.unresolved = found.handoffs, found.unresolved
        tables.departments = _with_handoff_actors(tables, vocab)
    return tables


def load_lists(
    path: str | os.PathLike[str], *, given: Given | None = None, vocab: Vocabulary | None = None
) -> list[ListTables]:
    """Every duty list a document holds (a workbook may hold one a sheet), handoffs included."""
    from .loaders import normalize, read_lists

    vocab = vocab or Vocabulary.load()
    out = []
    for raw in read_lists(path, vocab):
        tables = normalize(raw, given=given, vocab=vocab)
        found = extract(tables, vocab=vocab)
        tables.handoffs, tables.unresolved = found.handoffs, found.unresolved
        tables.departments = _with_handoff_actors(tables, vocab)
        out.append(tables)
    return out


def _with_handoff_actors(tables: ListTables, vocab: Vocabulary) -> pd.DataFrame:
    """Departments the handoffs name (市水务局, 区政府 …) join the departments table with their
    level."""
    handoffs = tables.handoffs
    named = set(handoffs.loc[handoffs["src_kind"] == "department", "src"])
    named |= set(handoffs.loc[handoffs["dst_kind"] == "department", "dst"])
    missing = sorted(named - set(tables.departments["name"]))
    rows = [vocab.departments.table_row(name) for name in missing]
    if not rows:
        return tables.departments
    return pd.concat([tables.departments, pd.DataFrame(rows)], ignore_index=True)
