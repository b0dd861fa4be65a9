"""Documents -> tidy tables.

>>> tables = read_list("data/000_5b382267ef9e6b6d.txt")
>>> tables.list_id, len(tables.matters), len(tables.categories)
('卜尔汉图镇:配合', 69, 11)
"""

from __future__ import annotations

import os

import pandas as pd

from ..places import Place
from ..tables import ListTables
from ..vocabulary import Vocabulary
from .base import READERS, RawList, RawRow, Reader, read_lists, read_raw, reader_for, register
from .normalize import normalize

__all__ = [
    "READERS",
    "RawList",
    "RawRow",
    "Reader",
    "lint_list",
    "normalize",
    "read_list",
    "read_lists",
    "read_raw",
    "reader_for",
    "register",
]


def read_list(
    path: str | os.PathLike[str],
    *,
    town: str | None = None,
    kind: str | None = None,
    version: str | None = None,
    vocab: Vocabulary | None = None,
    place: Place | None = None,
) -> ListTables:
    """Read a duty list in any supported format into its tidy tables (handoffs not yet extracted:
    see ``dutygraph.pipeline.load_list``).

    ``town``, ``kind``, ``version`` and ``place`` (province, city, district) override what the
    document and its folders say.
    """
    vocab = vocab or Vocabulary.load()
    return normalize(
        read_raw(path, vocab), town=town, kind=kind, version=version, vocab=vocab, place=place
    )


def lint_list(path: str | os.PathLike[str], **options: object) -> pd.DataFrame:
    """The findings of a list checked against itself (the ``findings`` table), errors first."""
    tables = read_list(path, **options)  # type: ignore[arg-type]
    order = {"error": 0, "warning": 1, "info": 2}
    findings = tables.findings.copy()
    findings["_order"] = findings["severity"].map(order)
    return (
        findings.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    )
