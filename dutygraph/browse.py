"""The store's tables as analysts browse them: lists, matters, departments, duties.

Each function takes a ``Store`` and returns a DataFrame with stable English columns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from .errors import UnknownMatterError
from .review import review_state, reviewed_handoffs
from .review.reviewed import REVIEW_SHOWN_COLUMNS
from .store import Store

__all__ = [
    "ExplainedDuty",
    "departments_table",
    "duties_table",
    "explain_matter",
    "handoffs_table",
    "lists_table",
    "matters_table",
]

LISTS_COLUMNS = [
    "list_id",
    "town",
    "kind",
    "version",
    "matters",
    "duties",
    "handoffs",
    "source_file",
    "loaded_at",
]
MATTERS_COLUMNS = ["list_id", "town", "number", "name", "category", "departments"]
DEPARTMENTS_COLUMNS = ["name", "level", "in_vocabulary", "matters", "duties"]
DUTIES_COLUMNS = ["list_id", "matter", "owner", "owner_kind", "number", "text", "duty_id"]


def lists_table(store: Store) -> pd.DataFrame:
    """One row per loaded list, with its matter, duty and handoff counts."""
    lists = store.table("lists")
    duties = store.table("duties").groupby("list_id").size()
    handoffs = reviewed_handoffs(store).groupby("list_id").size()
    lists["duties"] = lists["list_id"].map(duties).fillna(0).astype(int)
    lists["handoffs"] = lists["list_id"].map(handoffs).fillna(0).astype(int)
    return lists[LISTS_COLUMNS]


def _towns(store: Store, list_ids: Sequence[str]) -> dict[str, str]:
    lists = store.table("lists", list_ids)
    return dict(zip(lists["list_id"], lists["town"], strict=True))


def matters_table(
    store: Store,
    list_ids: Sequence[str],
    *,
    category: str | None = None,
    department: str | None = None,
) -> pd.DataFrame:
    """Matters in list order; ``category`` matches the category name (substring), ``department``
    a responsible department (canonical name or any alias)."""
    from .vocabulary import Vocabulary

    matters = store.table("matters", list_ids)
    links = store.table("matter_departments", list_ids)
    joined = (
        links.sort_values(["matter_id", "position"])
        .groupby("matter_id")["department"]
        .agg(" ".join)
    )
    matters["departments"] = matters["matter_id"].map(joined).fillna("")
    matters["town"] = matters["list_id"].map(_towns(store, list_ids))
    if category:
        matters = matters[matters["category"].fillna("").str.contains(category, regex=False)]
    if department:
        name = Vocabulary.load().departments.resolve(department).name
        ids = set(links.loc[links["department"] == name, "matter_id"])
        matters = matters[matters["matter_id"].isin(ids)]
    return matters[MATTERS_COLUMNS].reset_index(drop=True)


def departments_table(store: Store, list_ids: Sequence[str]) -> pd.DataFrame:
    """Departments the chosen lists name, with the matters they lead and their duty counts."""
    departments = store.table("departments")
    links = store.table("matter_departments", list_ids)
    duties = store.table("duties", list_ids)
    handoffs = reviewed_handoffs(store, list_ids)
    used = set(links["department"]) | set(duties.loc[duties["owner_kind"] == "department", "owner"])
    used |= set(handoffs.loc[handoffs["src_kind"] == "department", "src"])
    used |= set(handoffs.loc[handoffs["dst_kind"] == "department", "dst"])
    departments = departments[departments["name"].isin(used)].copy()
    departments["matters"] = departments["name"].map(
        links.groupby("department")["matter_id"].nunique()
    )
    departments["duties"] = departments["name"].map(duties.groupby("owner").size())
    for col in ("matters", "duties"):
        departments[col] = departments[col].fillna(0).astype(int)
    departments = departments.sort_values(
        ["matters", "duties", "name"], ascending=[False, False, True]
    )
    return departments[DEPARTMENTS_COLUMNS].reset_index(drop=True)


def duties_table(
    store: Store, list_ids: Sequence[str], *, matter: int | None = None
) -> pd.DataFrame:
    """Duties in document order (departments' first, then the town's), optionally of one matter."""
    duties = store.table("duties", list_ids)
    if matter is not None:
        duties = duties[duties["matter"] == matter]
        if duties.empty:
            raise UnknownMatterError(f"no matter {matter} in {', '.join(list_ids)}")
    return duties[DUTIES_COLUMNS].reset_index(drop=True)


HANDOFFS_COLUMNS = [
    "list_id",
    "matter",
    "src",
    "dst",
    "type",
    "evidence",
    "implicit",
    "rule",
    "duty_id",
    "start",
    "end",
    *REVIEW_SHOWN_COLUMNS,  # the analysts' review: status, reviewer, date, note, what it was
]


def handoffs_table(
    store: Store,
    list_ids: Sequence[str],
    *,
    matter: int | None = None,
    handoff_type: str | None = None,
    statuses: Collection[str] | None = None,
) -> pd.DataFrame:
    """Handoffs as reviewed, in document order, each with its review status.

    ``matter`` is a 序号, ``handoff_type`` e.g. reports_to, ``statuses`` review statuses
    (machine, confirmed, corrected, added, rejected). Rejected handoffs are listed only when
    ``statuses`` asks for them.
    """
    handoffs = review_state(store, list_ids).handoffs
    if matter is not None:
        if not (store.table("matters", list_ids)["number"] == matter).any():
            raise UnknownMatterError(f"no matter {matter} in {', '.join(list_ids)}")
        handoffs = handoffs[handoffs["matter"] == matter]
    if handoff_type is not None:
        handoffs = handoffs[handoffs["type"] == handoff_type]
    if statuses:
        handoffs = handoffs[handoffs["status"].isin(set(statuses))]
    else:
        handoffs = handoffs[handoffs["status"] != "rejected"]
    return handoffs[HANDOFFS_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class ExplainedDuty:
    """One duty and the handoffs extracted from it (for ``dutygraph explain``)."""

    list_id: str
    owner: str
    number: int
    text: str
    handoffs: pd.DataFrame


def explain_matter(store: Store, list_ids: Sequence[str], number: int) -> list[ExplainedDuty]:
    """A matter's duties, in order, each with the handoffs it produced and the rule that fired,
    as reviewed (with their ``status``; rejected ones included, so that the reader sees them).
    A handoff an analyst added without a clause comes last, under no duty (``number`` 0)."""
    duties = store.table("duties", list_ids)
    duties = duties[duties["matter"] == number]
    if duties.empty:
        raise UnknownMatterError(f"no matter {number} in {', '.join(list_ids)}")
    handoffs = review_state(store, list_ids).handoffs
    handoffs = handoffs[handoffs["matter"] == number]
    by_duty = {k: v for k, v in handoffs.groupby("duty_id")}
    empty = handoffs.iloc[0:0]
    explained = [
        ExplainedDuty(
            row.list_id, row.owner, int(row.number), row.text, by_duty.get(row.duty_id, empty)
        )
        for row in duties.itertuples(index=False)
    ]
    for list_id, loose in handoffs[handoffs["duty_id"].isna()].groupby("list_id"):
        explained.append(ExplainedDuty(str(list_id), "人工添加（未引原文）", 0, "", loose))
    return explained
