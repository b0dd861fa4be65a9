"""Documents -> tidy tables.

>>> tables = read_list("data/000_5b382267ef9e6b6d.txt")
>>> tables.list_id, len(tables.matters), len(tables.categories)
('卜尔汉图镇:配合', 69, 11)
"""

from __future__ import annotations

import os

import pandas as pd

from ..tables import Given, ListTables
from ..vocabulary import Vocabulary
from .base import (
    READERS,
    RawList,
    RawRow,
    Reader,
    binary_list_file,
    read_lists,
    read_raw,
    reader_for,
    register,
)
from .normalize import normalize

__all__ = [
    "READERS",
    "RawList",
    "RawRow",
    "Reader",
    "binary_list_file",
    "lint_list",
    "normalize",
    "read_list",
    "read_lists",
    "read_raw",
    "reader_for",
    "register",
]


def read_list(
    path: str | os.PathLike[str], *, given: Given | None = None, vocab: Vocabulary | None = None
) -> ListTables:
    """Read a duty list in any supported format into its tidy tables (handoffs not yet extracted:
    see ``dutygraph.pipeline.load_list``). What ``given`` says overrides what the document and
    its folders say.
    """
    vocab = vocab or Vocabulary.load()
    return normalize(read_raw(path, vocab), given=given, vocab=vocab)


def lint_list(
    path: str | os.PathLike[str], *, given: Given | None = None, vocab: Vocabulary | None = None
) -> pd.DataFrame:
    """The findings of a list checked against itself (the ``findings`` table), errors first."""
    tables = read_list(path, given=given, vocab=vocab)
    order = {"error": 0, "warning": 1, "info": 2}
    findings = tables.findings.copy()
    findings["_order"] = findings["severity"].map(order)
    return (
        findings.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    )
