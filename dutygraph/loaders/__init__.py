"""Documents -> tidy tables.

>>> tables = load_list("data/000_5b382267ef9e6b6d.txt")
>>> tables.list_id, len(tables.matters), len(tables.categories)
('卜尔汉图镇:配合', 69, 11)
"""

from __future__ import annotations

import os

import pandas as pd

from ..places import Place
from ..tables import ListTables
from ..vocabulary import Vocabulary
from .base import READERS, RawList, RawRow, Reader, read_raw, reader_for, register
from .normalize import normalize

__all__ = [
    "READERS",
    "RawList",
    "RawRow",
    "Reader",
    "lint_list",
    "load_list",
    "normalize",
    "read_raw",
    "reader_for",
    "register",
]


def load_list(
    path: str | os.PathLike[str],
    *,
    town: str | None = None,
    kind: str | None = None,
    version: str | None = None,
    vocab: Vocabulary | None = None,
    extract: bool = True,
    place: Place | None = None,
) -> ListTables:
    """Read a duty list in any supported format into its tidy tables, handoffs included.

    ``town``, ``kind``, ``version`` and ``place`` (province, city, district) override what the
    document and its folders say.
    """
    vocab = vocab or Vocabulary.load()
    tables = normalize(
        read_raw(path), town=town, kind=kind, version=version, vocab=vocab, place=place
    )
    if extract:
        from ..graphmodel.extract import extract_handoffs

        tables.handoffs = extract_handoffs(tables, vocab=vocab)
        tables.departments = _with_handoff_actors(tables, vocab)
    return tables


def _with_handoff_actors(tables: ListTables, vocab: Vocabulary) -> pd.DataFrame:
    """Departments the handoffs name (市水务局, 区政府 …) join the departments table with their
    level."""
    handoffs = tables.handoffs
    named = set(handoffs.loc[handoffs["src_kind"] == "department", "src"])
    named |= set(handoffs.loc[handoffs["dst_kind"] == "department", "dst"])
    missing = sorted(named - set(tables.departments["name"]))
    rows = []
    for name in missing:
        dept = vocab.departments.resolve(name)
        rows.append(
            {"name": dept.name, "level": dept.level, "in_vocabulary": int(dept.in_vocabulary)}
        )
    if not rows:
        return tables.departments
    return pd.concat([tables.departments, pd.DataFrame(rows)], ignore_index=True)


def lint_list(path: str | os.PathLike[str], **options: object) -> pd.DataFrame:
    """The findings of a list checked against itself (the ``findings`` table), errors first."""
    tables = load_list(path, extract=False, **options)  # type: ignore[arg-type]
    order = {"error": 0, "warning": 1, "info": 2}
    findings = tables.findings.copy()
    findings["_order"] = findings["severity"].map(order)
    return (
        findings.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    )
