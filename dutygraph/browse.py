"""The store's tables as analysts browse them: lists, matters, departments, duties.

Each function takes a ``Store`` and returns a DataFrame with stable English columns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

import pandas as pd

from .errors import UnknownMatterError, UnknownNameError
from .i18n import gettext as _
from .places import Place
from .review import review_state, reviewed_handoffs
from .review.reviewed import REVIEW_SHOWN_COLUMNS
from .store import Store
from .tables import HANDOFF_SHOWN_COLUMNS

__all__ = [
    "ExplainedDuty",
    "departments_table",
    "duties_table",
    "explain_matter",
    "handoffs_table",
    "lists_table",
    "matter_numbers",
    "matter_links",
    "matters_table",
]

LISTS_COLUMNS = [
    "list_id",
    "town",
    "district",
    "city",
    "province",
    "kind",
    "version",
    "matters",
    "duties",
    "handoffs",
    "source_file",
    "loaded_at",
]
MATTERS_COLUMNS = ["list_id", "town", "number", "name", "category", "departments", "also_in"]
LINK_COLUMNS = [
    "list_id",
    "town",
    "kind",
    "matter",
    "name",
    "other_list_id",
    "other_kind",
    "other_matter",
    "other_name",
]
DEPARTMENTS_COLUMNS = ["name", "body", "level", "in_vocabulary", "towns", "matters", "duties"]
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
    """Matters in list order; ``category`` matches the category name (substring; one no
    matter has is an ``UnknownNameError`` listing the categories), ``department`` a responsible
    department of these lists as ``naming.resolve_all`` finds it (exact, alias, short form,
    unique part; a name without level prefix is the district-tier bureau of each list: 区, 县
    or 旗; an unknown or ambiguous name is an ``UnknownNameError``)."""
    from .naming import resolve_all
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
    pairs = matter_links(store, list_ids)
    also_in = (
        (pairs["other_list_id"] + "#" + pairs["other_matter"].astype(str))
        .groupby(pairs["list_id"] + "#" + pairs["matter"].astype(str))
        .agg(" ".join)
        .to_dict()
    )
    matters["also_in"] = [also_in.get(matter_id, "") for matter_id in matters["matter_id"]]
    if category is not None:
        matters = matters[matters["category"].fillna("").str.contains(category, regex=False)]
        if not category.strip() or matters.empty:
            known = "、".join(dict.fromkeys(store.table("matters", list_ids)["category"].dropna()))
            raise UnknownNameError(
                _("no category {written!r} in the chosen lists; categories: {names}").format(
                    written=category, names=known or _("none")
                )
            )
    if department is not None:
        names = resolve_all(
            department,
            links["department"].astype(str),
            directory=Vocabulary.load().departments,
            what=_("department"),
        )
        ids = set(links.loc[links["department"].isin(names), "matter_id"])
        matters = matters[matters["matter_id"].isin(ids)]
    return matters[MATTERS_COLUMNS].reset_index(drop=True)


def matter_links(store: Store, list_ids: Sequence[str]) -> pd.DataFrame:
    """Matters of the chosen lists that a town's lists of another kind hold too (its 基本, 配合
    and 收回 lists), matched by name (``vocabulary.matter_key``), one row per pair, in list
    order. Two versions of one list (卜尔汉图镇:配合 and 卜尔汉图镇:配合:2025) are not linked:
    that is ``diff``'s question."""
    from .vocabulary import matter_key

    lists = store.table("lists")[["list_id", "town", "kind"]]
    matters = store.table("matters")[["list_id", "number", "name"]].merge(lists, on="list_id")
    matters["key"] = matters["name"].map(matter_key)
    pairs = matters.merge(matters, on=["town", "key"], suffixes=("", "_other"))
    pairs = pairs[(pairs["kind"] != pairs["kind_other"]) & pairs["list_id"].isin(list_ids)]
    pairs = pairs.rename(
        columns={
            "number": "matter",
            "list_id_other": "other_list_id",
            "kind_other": "other_kind",
            "number_other": "matter_other",
            "name_other": "other_name",
        }
    ).rename(columns={"matter_other": "other_matter"})
    pairs = pairs.sort_values(["list_id", "matter", "other_list_id", "other_matter"])
    return pairs[LINK_COLUMNS].reset_index(drop=True)


def departments_table(store: Store, list_ids: Sequence[str]) -> pd.DataFrame:
    """Departments the chosen lists name, one row per department and body (昆都仑区's 区民政局
    and 九原区's are two rows; a city's bureau is one row for all its towns), with the towns
    that name it, the matters it leads and its duties, counted in each town's latest version
    of each list (``Store.latest_versions``): three versions of one list are not three times
    the work."""
    list_ids = store.latest_versions(list_ids)
    departments = store.table("departments").drop_duplicates("name")
    levels = departments.set_index("name")["level"]
    places = {
        row["list_id"]: Place.of(row) for row in store.table("lists", list_ids).to_dict("records")
    }

    def with_body(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        frame = frame.rename(columns={column: "name"})
        level = frame["name"].map(levels).fillna("其他")
        frame["body"] = [places[i].body(lv) for i, lv in zip(frame["list_id"], level, strict=True)]
        return frame

    links = with_body(store.table("matter_departments", list_ids), "department")
    duties = store.table("duties", list_ids)
    duties = with_body(duties[duties["owner_kind"] == "department"], "owner")
    handoffs = reviewed_handoffs(store, list_ids)
    ends = [
        with_body(handoffs.loc[handoffs[f"{end}_kind"] == "department", ["list_id", end]], end)
        for end in ("src", "dst")
    ]
    named = pd.concat([f[["list_id", "name", "body"]] for f in (links, duties, *ends)])
    key = ["name", "body"]
    table = (
        named.assign(town=[places[i].key for i in named["list_id"]])
        .groupby(key)["town"]
        .nunique()
        .rename("towns")
        .reset_index()
        .merge(departments, on="name", how="left")
        .merge(
            links.groupby(key)["matter_id"].nunique().rename("matters").reset_index(), how="left"
        )
        .merge(duties.groupby(key).size().rename("duties").reset_index(), how="left")
    )
    for col in ("matters", "duties"):
        table[col] = table[col].fillna(0).astype(int)
    # a name only a reviewed handoff gives is in no list's departments table
    table["level"] = table["level"].fillna("其他")
    table["in_vocabulary"] = table["in_vocabulary"].fillna(0).astype(int)
    table = table.sort_values(
        ["matters", "duties", "name", "body"], ascending=[False, False, True, True]
    )
    return table[DEPARTMENTS_COLUMNS].reset_index(drop=True)


def matter_numbers(store: Store, list_ids: Sequence[str], written: str | int) -> dict[str, int]:
    """The matter ``written`` names in each of these lists that holds one, {list id: 序号}:
    its number, or its name resolved list by list (``naming.resolve_matters``);
    ``UnknownMatterError`` or ``UnknownNameError`` otherwise."""
    from .naming import resolve_matters

    return resolve_matters(written, store.table("matters", list_ids))


def _of_matter(
    store: Store, list_ids: Sequence[str], frame: pd.DataFrame, matter: int | str
) -> pd.DataFrame:
    """The rows of ``frame`` (with ``list_id`` and ``matter``) of the matter ``matter`` names."""
    numbers = matter_numbers(store, list_ids, matter)
    return frame[frame["list_id"].map(numbers) == frame["matter"]]


def duties_table(
    store: Store, list_ids: Sequence[str], *, matter: int | str | None = None
) -> pd.DataFrame:
    """Duties in document order (departments' first, then the town's), optionally of one matter
    (its number or name, :func:`matter_numbers`)."""
    duties = store.table("duties", list_ids)
    if matter is not None:
        duties = _of_matter(store, list_ids, duties, matter)
    return duties[DUTIES_COLUMNS].reset_index(drop=True)


HANDOFFS_COLUMNS = [
    *HANDOFF_SHOWN_COLUMNS,
    "implicit",
    "how",
    "rule",
    "duty_id",
    "start",
    "end",
    *REVIEW_SHOWN_COLUMNS,  # the analysts' review: status, reviewer, date, note, what it was
]

UNRESOLVED_COLUMNS = ["list_id", "matter", "owner", "verb", "verb_class", "reason", "clause"]


def handoffs_table(
    store: Store,
    list_ids: Sequence[str],
    *,
    matter: int | str | None = None,
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
        handoffs = _of_matter(store, list_ids, handoffs, matter)
    if handoff_type is not None:
        handoffs = handoffs[handoffs["type"] == handoff_type]
    if statuses:
        handoffs = handoffs[handoffs["status"].isin(set(statuses))]
    else:
        handoffs = handoffs[handoffs["status"] != "rejected"]
    return handoffs[HANDOFFS_COLUMNS].reset_index(drop=True)


def unresolved_table(
    store: Store, list_ids: Sequence[str], *, matter: int | str | None = None
) -> pd.DataFrame:
    """Clauses with a handoff verb that extraction could not give a receiver or a type, in
    document order: what a reader should check by hand (``matter``: its number or name)."""
    unresolved = store.table("unresolved", list_ids)
    if matter is not None:
        unresolved = _of_matter(store, list_ids, unresolved, matter)
    return unresolved[UNRESOLVED_COLUMNS].reset_index(drop=True)


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
    A handoff an analyst added without a clause comes last, under no duty (``number`` 0).
    A matter with no duties (a 收回 list's, whose work its 承接部门 took over) gives ``[]``."""
    duties = store.table("duties", list_ids)
    duties = duties[duties["matter"] == number]
    matters = store.table("matters", list_ids)
    if duties.empty and not (matters["number"] == number).any():
        raise UnknownMatterError(
            _("no matter {number} in {lists}").format(number=number, lists=", ".join(list_ids))
        )
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


@dataclass(frozen=True)
class ExplainedMatter:
    """One list's matter, its duties grouped by who owns them (for ``dutygraph explain``)."""

    list_id: str
    number: int
    name: str
    #: (owner, that owner's duties in list order), one entry per run of one owner's duties
    owners: list[tuple[str, list[ExplainedDuty]]]
    #: the list's kind: 配合, 基本 or 收回
    kind: str = "配合"
    #: the departments of its department cell, in order (a 收回 list's: who took the work over)
    departments: tuple[str, ...] = ()
    #: its 依据 cell (law or policy; a 收回 list's: why it was taken back), '' if none
    basis: str = ""


def explain_matters(store: Store, numbers: dict[str, int]) -> list[ExplainedMatter]:
    """Each list's matter of ``numbers`` ({list id: 序号}, :func:`matter_numbers`): its name
    and its duties (as :func:`explain_matter` gives them) grouped by owner. A handoff's ``how``
    is ``explicit`` where the table leaves it empty."""
    list_ids = list(numbers)
    matters = store.table("matters", list_ids)
    kinds = dict(store.table("lists", list_ids)[["list_id", "kind"]].itertuples(index=False))
    cells = store.table("matter_departments", list_ids)
    cells = cells[cells["list_id"].map(numbers) == cells["matter"]].sort_values("position")
    explained = []
    for list_id, number in numbers.items():
        row = matters[(matters["list_id"] == list_id) & (matters["number"] == number)]
        if row.empty:
            continue
        duties = [
            replace(
                duty, handoffs=duty.handoffs.assign(how=duty.handoffs["how"].fillna("explicit"))
            )
            for duty in explain_matter(store, [list_id], number)
        ]
        owners = [
            (str(owner), list(group)) for owner, group in groupby(duties, key=lambda d: d.owner)
        ]
        basis = row["basis"].iloc[0] if "basis" in row else ""
        explained.append(
            ExplainedMatter(
                list_id,
                number,
                str(row["name"].iloc[0]),
                owners,
                kind=str(kinds.get(list_id) or "配合"),
                departments=tuple(cells.loc[cells["list_id"] == list_id, "department"]),
                basis="" if pd.isna(basis) else str(basis),
            )
        )
    return explained
