"""Extraction of handoff edges from duty text (placeholder until the rules land)."""
from __future__ import annotations
import pandas as pd
from ..tables import ListTables, empty_table
from ..vocabulary import Vocabulary


def extract_handoffs(tables: ListTables, *, vocab: Vocabulary | None = None) -> pd.DataFrame:
    return empty_table("handoffs")
