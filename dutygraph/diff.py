"""Two versions of one town's list: what was added, removed, renamed and changed.

``diff_tables(old, new)`` takes each version's tidy tables (from a store or a file, see
``read_version``) and returns a ``ListDiff`` of four DataFrames:

- ``matters``: matters ``added``, ``removed``, ``renamed`` (matched by similarity, with the
  score) or ``changed`` (departments, duties or handoffs differ), with what changed;
- ``duties``: per matched matter and owner, duties added, removed or changed, the change
  marked character by character (``[-旧-]{+新+}``);
- ``handoffs``: handoffs ``gained`` and ``lost`` at the grain (matter, sender, receiver,
  type), with their evidence and, where it follows, the feedback loop that ``closes`` or
  ``opens``;
- ``loops``: the (matter, department) feedback loops that close or open between the versions.

>>> from dutygraph.graphmodel.example import example_tables
>>> old = example_tables()
>>> new = {n: f.copy() for n, f in old.items()}
>>> new["matters"].loc[1, "name"] = "农村公益性墓地审批"
>>> back = new["handoffs"].iloc[[3]].assign(
...     handoff_id="示例镇:配合#2/d1.1/h1", duty_id="示例镇:配合#2/d1.1", src="区民政局",
...     src_kind="department", dst="示例镇", dst_kind="town", type="feeds_back_to",
...     evidence="将审批结果反馈街镇")
>>> new["handoffs"] = pd.concat([new["handoffs"], back], ignore_index=True)
>>> result = diff_tables(old, new)
>>> result.matters[["change", "old_name", "new_name", "score"]].values.tolist()
[['renamed', '农村公益性墓地申报审批', '农村公益性墓地审批', 0.9]]
>>> result.loops[["matter", "department", "change"]].values.tolist()
[[2, '区民政局', 'closes']]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .errors import DutygraphError, InputFileError
from .i18n import gettext as _
from .matching import MatchRules, assign, char_diff

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

__all__ = ["DIFF_PARTS", "ListDiff", "diff_tables", "read_version"]

MATTER_DIFF_COLUMNS: tuple[str, ...] = (
    "change",  # added | removed | renamed | changed
    "old_number",
    "new_number",
    "old_name",
    "new_name",
    "score",  # similarity of the two names (1 when equal; '' for added and removed)
    "details",  # what changed: departments, duties, handoffs
)
DUTY_DIFF_COLUMNS: tuple[str, ...] = (
    "matter",  # the new number (the old one for a removed matter's duties)
    "matter_name",
    "owner",
    "change",  # added | removed | changed
    "old_text",
    "new_text",
    "diff",  # the new text with [-removed-] and {+added+} marked
)
HANDOFF_DIFF_COLUMNS: tuple[str, ...] = (
    "matter",
    "matter_name",
    "change",  # gained | lost
    "src",
    "dst",
    "type",
    "evidence",
    "loop",  # the feedback loop of (matter, department) this edge decides (LOOP_COLUMNS' change)
)
LOOP_COLUMNS: tuple[str, ...] = (
    "matter",
    "matter_name",
    "department",
    # closes: nothing came back before, now the result does; opens: the reverse; new_loop,
    # new_gap: the town sends the department something it did not before, and the result
    # comes back (or does not)
    "change",
    "sent",
    "feedback",
)
#: The parts of a diff, as ``dutygraph diff --show`` and the workbook name them.
DIFF_PARTS: tuple[str, ...] = ("matters", "duties", "handoffs", "loops")
_TOWN = "（镇）"  # the town's role, whatever its name, when edges of two versions are compared


@dataclass(frozen=True)
class ListDiff:
    old_list: str
    new_list: str
    matters: pd.DataFrame
    duties: pd.DataFrame
    handoffs: pd.DataFrame
    loops: pd.DataFrame


def read_version(spec: str, store: Store | None) -> dict[str, pd.DataFrame]:
    """One version's tables: a list file (any format ``load`` reads), a store file holding one
    list, or a list id (or town) of ``store``.

    Raises
    ------
    DutygraphError
        The spec names no file and no list, or a store or selection holds not exactly one list;
        ``InputFileError`` when it is written as a file (``x.txt``, ``lists/x``) that is missing.
    """
    from .graphmodel.build import GRAPH_TABLES
    from .store import Store

    path = Path(spec)
    if not path.exists() and _names_a_file(spec):
        raise InputFileError(_("{path}: no such file").format(path=spec))
    if path.is_file() and _is_sqlite(path):
        store, chosen = Store(path), Store(path).resolve_lists(None)
    elif path.is_file():
        from .pipeline import load_list

        tables = load_list(path)
        return {name: tables.table(name) for name in GRAPH_TABLES}
    elif store is None:
        raise DutygraphError(
            _("{spec}: no such file, and no store to find a list of that name in").format(spec=spec)
        )
    else:
        chosen = store.resolve_lists(spec)
    if len(chosen) != 1:
        raise DutygraphError(
            _("{spec}: names {count} lists ({lists}); name one list id").format(
                spec=spec, count=len(chosen), lists="、".join(chosen)
            )
        )
    return {name: store.table(name, chosen) for name in GRAPH_TABLES}


def _names_a_file(spec: str) -> bool:
    """Whether ``spec`` is written as a file (a list's or a store's suffix, or a folder in it)
    rather than as a list id or a town."""
    from .batch import LIST_SUFFIXES

    suffix = Path(spec).suffix.lower()
    return suffix in (*LIST_SUFFIXES, ".db", ".sqlite") or "/" in spec or os.sep in spec


def towns_differ(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]) -> list[str]:
    """The two towns when the versions are lists of different towns (a diff of two towns'
    lists compares unrelated matters), else ``[]``."""
    towns = [str(t["lists"]["town"].iloc[0]) if len(t["lists"]) else "" for t in (old, new)]
    return towns if towns[0] != towns[1] else []


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def diff_tables(
    old: Mapping[str, pd.DataFrame],
    new: Mapping[str, pd.DataFrame],
    *,
    rules: MatchRules | None = None,
) -> ListDiff:
    """What changed from the ``old`` version of a list to the ``new`` one (tables of one list
    each, keyed as ``dutygraph.tables`` names them)."""
    rules = rules or MatchRules.load()
    pairs = _matter_pairs(old["matters"], new["matters"], rules)
    sides = _Sides(old, new, pairs)
    loops = _loops(sides)
    handoffs = _handoff_changes(sides, loops)
    duties = _duty_changes(sides, rules)
    matters = _matter_changes(sides, duties, handoffs)
    return ListDiff(
        _list_id(old), _list_id(new), matters, duties, handoffs, loops.drop(columns="key")
    )


def _list_id(tables: Mapping[str, pd.DataFrame]) -> str:
    ids = tables["lists"]["list_id"]
    return str(ids.iloc[0]) if len(ids) else ""


def _matter_pairs(
    old: pd.DataFrame, new: pd.DataFrame, rules: MatchRules
) -> list[tuple[int | None, int | None, float | None]]:
    """(old number, new number, score): matched matters, then the removed, then the added."""
    old_n, new_n = old["number"].astype(int).tolist(), new["number"].astype(int).tolist()
    keys_old = [rules.normalise(n) for n in old["name"]]
    keys_new = [rules.normalise(n) for n in new["name"]]
    found = assign(keys_old, keys_new, rules.matter_threshold)
    pairs: list[tuple[int | None, int | None, float | None]] = [
        (old_n[i], new_n[j], score) for i, j, score in found
    ]
    pairs += [(n, None, None) for i, n in enumerate(old_n) if i not in {p[0] for p in found}]
    pairs += [(None, n, None) for j, n in enumerate(new_n) if j not in {p[1] for p in found}]
    return pairs


class _Sides:
    """Both versions' tables with what the comparisons need: names, the town, matched keys."""

    def __init__(
        self,
        old: Mapping[str, pd.DataFrame],
        new: Mapping[str, pd.DataFrame],
        pairs: list[tuple[int | None, int | None, float | None]],
    ) -> None:
        self.tables = {"old": old, "new": new}
        self.pairs = pairs
        self.towns = {side: _town(t) for side, t in self.tables.items()}
        self.names = {
            side: dict(zip(t["matters"]["number"].astype(int), t["matters"]["name"], strict=True))
            for side, t in self.tables.items()
        }
        #: a matter number of each side -> the key both sides share (the pair's index)
        self.key: dict[str, dict[int, int]] = {"old": {}, "new": {}}
        for k, (o, n, _score) in enumerate(pairs):
            if o is not None:
                self.key["old"][o] = k
            if n is not None:
                self.key["new"][n] = k

    def label(self, key: int) -> tuple[int, str]:
        """The matter number and name a pair is shown by: the new one when it has one."""
        old, new, _ = self.pairs[key]
        if new is not None:
            return new, self.names["new"][new]
        assert old is not None
        return old, self.names["old"][old]

    def matched(self, key: int) -> bool:
        old, new, _ = self.pairs[key]
        return old is not None and new is not None

    def actor(self, side: str, name: str) -> str:
        return _TOWN if name == self.towns[side] else name


def _town(tables: Mapping[str, pd.DataFrame]) -> str:
    towns = tables["lists"]["town"]
    return str(towns.iloc[0]) if len(towns) else ""


# -- matters ------------------------------------------------------------------------------------
def _matter_changes(sides: _Sides, duties: pd.DataFrame, handoffs: pd.DataFrame) -> pd.DataFrame:
    leads = {
        side: t["matter_departments"].groupby("matter")["department"].agg(list).to_dict()
        for side, t in sides.tables.items()
    }
    rows = []
    for key, (old, new, score) in enumerate(sides.pairs):
        number, _ = sides.label(key)
        if old is None or new is None:
            change = "added" if old is None else "removed"
            rows.append(_matter_row(change, old, new, None, sides, ""))
            continue
        details = _details(
            leads["old"].get(old, []),
            leads["new"].get(new, []),
            duties[duties["matter"] == number],
            handoffs[handoffs["matter"] == number],
        )
        renamed = sides.names["old"][old] != sides.names["new"][new]
        if renamed or details:
            rows.append(
                _matter_row("renamed" if renamed else "changed", old, new, score, sides, details)
            )
    return pd.DataFrame(rows, columns=list(MATTER_DIFF_COLUMNS))


def _matter_row(
    change: str,
    old: int | None,
    new: int | None,
    score: float | None,
    sides: _Sides,
    details: str,
) -> dict[str, Any]:
    return {
        "change": change,
        "old_number": old if old is not None else "",
        "new_number": new if new is not None else "",
        "old_name": sides.names["old"][old] if old is not None else "",
        "new_name": sides.names["new"][new] if new is not None else "",
        "score": score if score is not None else "",
        "details": details,
    }


def _details(
    old_leads: list[str], new_leads: list[str], duties: pd.DataFrame, handoffs: pd.DataFrame
) -> str:
    """``部门 +区财政局 -区民政局；职责 +1 -0 ~2；交接 +1 -1``: the parts that changed."""
    parts = []
    added = [d for d in new_leads if d not in old_leads]
    removed = [d for d in old_leads if d not in new_leads]
    if added or removed:
        parts.append("部门 " + " ".join([*(f"+{d}" for d in added), *(f"-{d}" for d in removed)]))
    if len(duties):
        count = duties["change"].value_counts()
        parts.append(
            f"职责 +{count.get('added', 0)} -{count.get('removed', 0)} ~{count.get('changed', 0)}"
        )
    if len(handoffs):
        count = handoffs["change"].value_counts()
        parts.append(f"交接 +{count.get('gained', 0)} -{count.get('lost', 0)}")
    return "；".join(parts)


# -- duties ---------------------------------------------------------------------------------------
def _duty_changes(sides: _Sides, rules: MatchRules) -> pd.DataFrame:
    duties = {}
    for side, tables in sides.tables.items():
        frame = tables["duties"]
        duties[side] = {
            (sides.key[side][int(m)], sides.actor(side, str(o))): list(g["text"])
            for (m, o), g in frame.groupby(["matter", "owner"], sort=False)
        }
    rows = []
    for key, owner in dict.fromkeys([*duties["old"], *duties["new"]]):
        if not sides.matched(key):
            continue
        number, name = sides.label(key)
        old, new = duties["old"].get((key, owner), []), duties["new"].get((key, owner), [])
        shown = sides.towns["new"] if owner == _TOWN else owner
        for change, old_text, new_text in _aligned(old, new, rules.duty_threshold):
            rows.append(
                {
                    "matter": number,
                    "matter_name": name,
                    "owner": shown,
                    "change": change,
                    "old_text": old_text,
                    "new_text": new_text,
                    "diff": char_diff(old_text, new_text) if change == "changed" else "",
                }
            )
    frame = pd.DataFrame(rows, columns=list(DUTY_DIFF_COLUMNS))
    return frame.sort_values("matter", kind="stable", ignore_index=True)


def _aligned(old: list[str], new: list[str], threshold: float) -> list[tuple[str, str, str]]:
    """(change, old text, new text) for one owner's duties in one matter; equal texts drop."""
    found = assign(old, new, threshold)
    out = [("changed", old[i], new[j]) for i, j, score in found if score < 1]
    out += [("removed", t, "") for i, t in enumerate(old) if i not in {f[0] for f in found}]
    out += [("added", "", t) for j, t in enumerate(new) if j not in {f[1] for f in found}]
    return out


# -- handoffs and loops ---------------------------------------------------------------------------
def _edges(sides: _Sides, side: str) -> dict[tuple[int, str, str, str], str]:
    """(matter key, sender, receiver, type) -> the first evidence, for one version."""
    edges: dict[tuple[int, str, str, str], str] = {}
    for row in sides.tables[side]["handoffs"].itertuples(index=False):
        key = (
            sides.key[side][int(row.matter)],
            sides.actor(side, str(row.src)),
            sides.actor(side, str(row.dst)),
            str(row.type),
        )
        edges.setdefault(key, str(row.evidence))
    return edges


def _handoff_changes(sides: _Sides, loops: pd.DataFrame) -> pd.DataFrame:
    old, new = _edges(sides, "old"), _edges(sides, "new")
    decided = {(r.key, r.department): r.change for r in loops.itertuples(index=False)}
    rows = []
    for change, mine, theirs, side in (("gained", new, old, "new"), ("lost", old, new, "old")):
        for (key, src, dst, kind), evidence in mine.items():
            if (key, src, dst, kind) in theirs or not sides.matched(key):
                continue
            number, name = sides.label(key)
            department = dst if src == _TOWN else src
            rows.append(
                {
                    "matter": number,
                    "matter_name": name,
                    "change": change,
                    "src": sides.towns[side] if src == _TOWN else src,
                    "dst": sides.towns[side] if dst == _TOWN else dst,
                    "type": kind,
                    "evidence": evidence,
                    "loop": decided.get((key, department), "") if _TOWN in (src, dst) else "",
                }
            )
    frame = pd.DataFrame(rows, columns=list(HANDOFF_DIFF_COLUMNS))
    return frame.sort_values(["matter", "change"], kind="stable", ignore_index=True)


def _loops(sides: _Sides) -> pd.DataFrame:
    """The (matter, department) loops that close or open: from the feedback-gaps question on
    each version's graph."""
    from .graphmodel.build import graph_from_tables
    from .queries import feedback_gaps

    state: dict[str, dict[tuple[int, str], tuple[str, Any]]] = {}
    for side, tables in sides.tables.items():
        G = graph_from_tables(tables)
        state[side] = {}
        for closed in (False, True):
            for row in feedback_gaps(G, closed=closed).itertuples(index=False):
                pair = (sides.key[side][int(row.matter)], str(row.department))
                state[side][pair] = ("closed" if closed else "gap", row)
    rows = []
    for (key, department), (now, row) in state["new"].items():
        before = state["old"][(key, department)][0] if (key, department) in state["old"] else None
        if before == now:
            continue
        change = {"closed": "closes", "gap": "opens"}[now]
        if before is None:
            change = {"closed": "new_loop", "gap": "new_gap"}[now]
        number, name = sides.label(key)
        rows.append(
            {
                "key": key,
                "matter": number,
                "matter_name": name,
                "department": department,
                "change": change,
                "sent": row.sent,
                "feedback": row.feedback,
            }
        )
    frame = pd.DataFrame(rows, columns=["key", *LOOP_COLUMNS])
    return frame.sort_values("matter", kind="stable", ignore_index=True)
