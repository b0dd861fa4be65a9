"""The reviewed graph: the extracted handoffs with the analysts' corrections applied.

Every answer (``handoffs``, ``explain``, the questions, the diagrams, the report, the exports
and the Neo4j push) reads its handoffs through :func:`reviewed_handoffs`, so a decision taken
in the review workbook shows everywhere.

A correction is stored against the list's district, town and kind, the matter's name and the
evidence clause (``tables.CORRECTION_KEY``), never against row ids: it finds its edge again
after the list is loaded again, and in a revised version where the clause is unchanged. A
matter is found by its name, else by its number; the edge by its clause and its ends and type
as extracted. A correction that finds nothing is returned by :func:`unapplied_corrections` with
the reason, and is never applied.

>>> from dutygraph.review.reviewed import actor_kind
>>> actor_kind("卜尔汉图镇", "卜尔汉图镇"), actor_kind("村（社区）", "卜尔汉图镇")
('town', 'village')
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..graphmodel.schema import VILLAGE_NAME
from ..i18n import N_
from ..i18n import gettext as _

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = [
    "REVIEW_SHOWN_COLUMNS",
    "REVIEW_STATE_COLUMNS",
    "UNAPPLIED_COLUMNS",
    "Review",
    "actor_kind",
    "review_state",
    "reviewed_handoffs",
    "unapplied_corrections",
]

#: What :func:`reviewed_handoffs` adds to the columns of the handoffs table.
#: ``decision`` and ``orig_*`` (the edge as extracted) let the review workbook show the decision
#: next to the extracted edge.
REVIEW_STATE_COLUMNS: tuple[str, ...] = (
    "status",
    "reviewer",
    "reviewed_at",
    "review_note",
    "was",
    "decision",
    "orig_src",
    "orig_dst",
    "orig_type",
)
#: The review columns a reader of the handoffs sees (the others serve the review workbook).
REVIEW_SHOWN_COLUMNS: tuple[str, ...] = REVIEW_STATE_COLUMNS[:5]
UNAPPLIED_COLUMNS: tuple[str, ...] = (
    "list_id",
    "matter",
    "matter_name",
    "src",
    "dst",
    "type",
    "decision",
    "evidence",
    "reviewer",
    "decided_at",
    "reason",
    "message",
)
#: Why a correction was not applied -> what the analyst reads (translated where shown).
UNAPPLIED_REASONS: dict[str, str] = {
    "vanished": N_("the clause is no longer in the list (revised?); not applied"),
    "not-extracted": N_(
        "the clause is still there, but the machine no longer extracts this handoff from it; "
        "not applied: review it again"
    ),
    "matter-gone": N_("the matter is no longer in the list; not applied"),
}
#: Names of the level below the town as a reviewer may write them.
VILLAGE_NAMES = frozenset({VILLAGE_NAME, "村(社区)", "嘎查村（社区）", "嘎查村", "村", "社区"})
_STATUS_OF_DECISION = {"ok": "confirmed", "wrong": "rejected", "fix": "corrected"}


@dataclass(frozen=True)
class Review:
    """Every handoff of some lists with its review status (rejected ones included), and the
    corrections that found no edge."""

    handoffs: pd.DataFrame
    unapplied: pd.DataFrame


def actor_kind(name: str, town: str) -> str:
    """town, village or department: the kind of a handoff end a reviewer names."""
    if name == town:
        return "town"
    return "village" if name in VILLAGE_NAMES else "department"


def reviewed_handoffs(
    store: Store,
    list_ids: Sequence[str] | None = None,
    *,
    include_rejected: bool = False,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The handoffs of some lists (default: all) as the analysts left them.

    The columns of the handoffs table and :data:`REVIEW_STATE_COLUMNS`: ``status`` (machine,
    confirmed, corrected, added, rejected), ``reviewer``, ``reviewed_at``, ``review_note`` and,
    for a corrected edge, ``was`` (the edge as extracted). Corrected edges carry the corrected
    ends and type; added edges are included; rejected ones only with ``include_rejected``.
       ``columns`` keeps only these columns of the handoffs table (and the review's).
    """
    handoffs = review_state(store, list_ids, columns=columns).handoffs
    if not include_rejected:
        handoffs = handoffs[handoffs["status"] != "rejected"]
    return handoffs.reset_index(drop=True)


def unapplied_corrections(store: Store, list_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Corrections of these lists that find no edge (columns :data:`UNAPPLIED_COLUMNS`)."""
    return review_state(store, list_ids).unapplied


def review_state(
    store: Store, list_ids: Sequence[str] | None = None, *, columns: Sequence[str] | None = None
) -> Review:
    """Apply the stored corrections to the extracted handoffs of some lists (default: all).

    ``columns``: the handoffs' columns wanted besides the review's. When no correction concerns
    these lists only those are read; else every column is (the matching needs them) and the
    others are dropped after.
    """
    ids = None if list_ids is None else list(list_ids)
    corrections = store.table("corrections")
    if columns is not None and corrections.empty:
        return Review(
            _with_review_columns(store.table("handoffs", ids, columns=columns)),
            _unapplied_frame([]),
        )
    review = _review_state(store, ids, corrections)
    if columns is None:
        return review
    keep = [*dict.fromkeys([*columns, *REVIEW_STATE_COLUMNS])]
    return Review(review.handoffs[keep], review.unapplied)


def _with_review_columns(handoffs: pd.DataFrame) -> pd.DataFrame:
    """Extracted handoffs, none reviewed yet: status machine, the other review columns empty."""
    for column in REVIEW_STATE_COLUMNS:  # None, not '': the graph leaves missing values out
        value = "machine" if column == "status" else None
        handoffs[column] = pd.Series(value, index=handoffs.index, dtype=object)
    for column in ("src", "dst", "type"):
        if column in handoffs.columns:
            handoffs[f"orig_{column}"] = handoffs[column]
    return handoffs


def _review_state(store: Store, ids: list[str] | None, corrections: pd.DataFrame) -> Review:
    handoffs = _with_review_columns(store.table("handoffs", ids))
    if corrections.empty:
        return Review(handoffs, _unapplied_frame([]))
    lists = store.table("lists", ids)
    place = ["district", "town", "kind"]
    corrections = corrections.assign(**{c: corrections[c].fillna("") for c in place})
    keys = lists[["list_id", *place]].assign(**{c: lists[c].fillna("") for c in place})
    corrections = corrections.merge(keys, on=place)
    if corrections.empty:
        return Review(handoffs, _unapplied_frame([]))
    return _Applier(handoffs, store.table("matters", ids), store.table("duties", ids), lists).run(
        corrections
    )


class _Applier:
    """Matches corrections to edges and applies them (one pass over the corrections)."""

    def __init__(
        self,
        handoffs: pd.DataFrame,
        matters: pd.DataFrame,
        duties: pd.DataFrame,
        lists: pd.DataFrame,
    ) -> None:
        self.handoffs = handoffs
        self.towns = dict(zip(lists["list_id"], lists["town"], strict=True))
        self.by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_number: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.numbers: dict[str, int] = {}
        for row in matters.itertuples(index=False):
            self.by_name[row.list_id, row.name].append(row.matter_id)
            self.by_number[row.list_id, int(row.number)].append(row.matter_id)
            self.numbers[row.matter_id] = int(row.number)
        self.duties: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in duties.itertuples(index=False):
            self.duties[row.matter_id].append((row.duty_id, str(row.text)))
        self.edges: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        key = ["list_id", "matter_id", "evidence", "src", "dst", "type"]
        for index, values in zip(
            handoffs.index, handoffs[key].itertuples(index=False), strict=True
        ):
            self.edges[tuple(values)].append(index)
        self.updates: dict[int, dict[str, Any]] = {}
        self.added: list[dict[str, Any]] = []
        self.unapplied: list[dict[str, Any]] = []

    def run(self, corrections: pd.DataFrame) -> Review:
        for row in corrections.fillna("").to_dict("records"):
            self._apply(row)
        handoffs = self.handoffs
        for index, values in self.updates.items():
            for column, value in values.items():
                handoffs.at[index, column] = value
        if self.added:
            handoffs = pd.concat([handoffs, pd.DataFrame(self.added)], ignore_index=True)
            order = {list_id: k for k, list_id in enumerate(self.towns)}
            handoffs = handoffs.assign(
                _list=handoffs["list_id"].map(order), _matter=handoffs["matter"].astype(int)
            )
            handoffs = handoffs.sort_values(["_list", "_matter"], kind="stable")
            handoffs = handoffs.drop(columns=["_list", "_matter"]).reset_index(drop=True)
            for column in ("start", "end", "implicit", "matter"):  # NULL offsets stay integers
                handoffs[column] = handoffs[column].astype("Int64")
            state = handoffs[list(REVIEW_STATE_COLUMNS)]  # concat made None NaN
            handoffs[list(REVIEW_STATE_COLUMNS)] = state.astype(object).where(state.notna(), None)
        return Review(handoffs, _unapplied_frame(self.unapplied))

    def _apply(self, c: dict[str, Any]) -> None:
        matter_ids = self.by_name.get((c["list_id"], c["matter_name"])) or self.by_number.get(
            (c["list_id"], int(c["matter"] or 0)), []
        )
        if not matter_ids:
            self._unapplied(c, "matter-gone")
            return
        if c["decision"] == "add":
            self._add(c, matter_ids)
            return
        hits = [
            index
            for matter_id in matter_ids
            for index in self.edges.get(
                (c["list_id"], matter_id, c["evidence"], c["src"], c["dst"], c["type"]), []
            )
        ]
        if not hits:
            found = self._clause(c["evidence"], matter_ids) is not None
            self._unapplied(c, "not-extracted" if found else "vanished")
            return
        for index in hits:
            self.updates[index] = self._update(c)

    def _update(self, c: dict[str, Any]) -> dict[str, Any]:
        values = {
            "status": _STATUS_OF_DECISION[c["decision"]],
            "reviewer": c["reviewer"],
            "reviewed_at": c["decided_at"],
            "review_note": c["note"],
            "decision": c["decision"],
        }
        if c["decision"] == "fix":
            town = self.towns[c["list_id"]]
            src, dst = c["new_src"] or c["src"], c["new_dst"] or c["dst"]
            values.update(
                src=src,
                dst=dst,
                src_kind=actor_kind(src, town),
                dst_kind=actor_kind(dst, town),
                type=c["new_type"] or c["type"],
                was=f"{c['src']} -> {c['dst']} {c['type']}",
            )
        return values

    def _add(self, c: dict[str, Any], matter_ids: list[str]) -> None:
        evidence = c["evidence"]
        clause = self._clause(evidence, matter_ids) if evidence else (matter_ids[0], "", -1)
        if clause is None:
            self._unapplied(c, "vanished")
            return
        matter_id, duty_id, start = clause
        existing = self.edges.get(
            (c["list_id"], matter_id, evidence, c["src"], c["dst"], c["type"])
        )
        if existing:  # the extractor proposes it (now): the addition confirms it
            for index in existing:
                self.updates[index] = self._update({**c, "decision": "ok"})
            return
        town = self.towns[c["list_id"]]
        digest = hashlib.sha1(
            "\x1f".join([evidence, c["src"], c["dst"], c["type"]]).encode()
        ).hexdigest()[:10]
        row = {
            "list_id": c["list_id"],
            "handoff_id": f"{matter_id}/review-{digest}",
            "matter_id": matter_id,
            "matter": self.numbers[matter_id],
            "src": c["src"],
            "src_kind": actor_kind(c["src"], town),
            "dst": c["dst"],
            "dst_kind": actor_kind(c["dst"], town),
            "type": c["type"],
            "evidence": evidence,
            "duty_id": duty_id or None,
            "start": start if start >= 0 else None,
            "end": start + len(evidence) if start >= 0 else None,
            "implicit": 0,
            "rule": "review",
            "status": "added",
            "reviewer": c["reviewer"],
            "reviewed_at": c["decided_at"],
            "review_note": c["note"],
            "was": "",
            "decision": "add",
            "orig_src": c["src"],
            "orig_dst": c["dst"],
            "orig_type": c["type"],
        }
        if "how" in self.handoffs.columns:
            row["how"] = "manual"
        self.added.append(row)

    def _clause(self, evidence: str, matter_ids: list[str]) -> tuple[str, str, int] | None:
        """(matter_id, duty_id, offset) of the first duty of these matters holding the clause."""
        if not evidence:
            return None
        for matter_id in matter_ids:
            for duty_id, text in self.duties.get(matter_id, []):
                start = text.find(evidence)
                if start >= 0:
                    return matter_id, duty_id, start
        return None

    def _unapplied(self, c: dict[str, Any], reason: str) -> None:
        self.unapplied.append(
            {**{k: c.get(k, "") for k in UNAPPLIED_COLUMNS}, "reason": reason}
            | {"message": _(UNAPPLIED_REASONS[reason])}
        )


def _unapplied_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(UNAPPLIED_COLUMNS))
