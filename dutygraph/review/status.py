"""How far the review of each list has come (``dutygraph review status``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .reviewed import review_state
from .workbook import unresolved_frame

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = ["STATUS_COLUMNS", "review_status"]

STATUS_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "extracted",  # handoffs the machine proposed
    "reviewed",  # of those, confirmed, corrected or rejected
    "confirmed",
    "corrected",
    "rejected",
    "added",  # handoffs the analysts added
    "unreviewed",
    "unapplied",  # stored decisions that find no edge (the clause vanished …)
    "unresolved",  # clauses extraction left unresolved (empty when not recorded)
)


def review_status(store: Store, list_ids: Sequence[str]) -> pd.DataFrame:
    """One row per list: the counts of :data:`STATUS_COLUMNS`."""
    state = review_state(store, list_ids)
    lists = store.table("lists", list_ids)
    unresolved = unresolved_frame(store, list_ids)
    rows = []
    for list_id, town in zip(lists["list_id"], lists["town"], strict=True):
        status = state.handoffs.loc[state.handoffs["list_id"] == list_id, "status"]
        counts = status.value_counts()
        extracted = int((status != "added").sum())
        reviewed = sum(int(counts.get(s, 0)) for s in ("confirmed", "corrected", "rejected"))
        rows.append(
            {
                "list_id": list_id,
                "town": town,
                "extracted": extracted,
                "reviewed": reviewed,
                "confirmed": int(counts.get("confirmed", 0)),
                "corrected": int(counts.get("corrected", 0)),
                "rejected": int(counts.get("rejected", 0)),
                "added": int(counts.get("added", 0)),
                "unreviewed": extracted - reviewed,
                "unapplied": int((state.unapplied["list_id"] == list_id).sum()),
                "unresolved": None
                if unresolved is None
                else int((unresolved["list_id"] == list_id).sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
