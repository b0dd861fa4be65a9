"""Towns side by side: the matters they share and lack, departments × towns, gap rates.

``compare_tables`` takes the tidy tables of two lists or more (``compare_towns`` reads them
from a store) and returns a ``Comparison`` of four DataFrames with stable columns:

- ``towns``: one row per list: its matters, duties, handoffs, what the town sends up and how
  much of it comes back (``gap_rate``), its escalations, and the matters no other town has;
- ``departments``: one row per department (name and body: 昆都仑区's 区民政局 is not 九原区's)
  and list: matters led, handoffs, feedback gaps, escalations (``department_matrix`` pivots it,
  a town a column);
- ``matters``: every matter with the group of matters it matches in the other towns (by
  normalised name and similarity, ``vocab/compare.yaml``) and its score (``matter_matrix``
  pivots it);
- ``unshared``: the matters some towns have and others lack, with the towns that lack them.

>>> from dutygraph.graphmodel.example import example_tables
>>> import pandas as pd
>>> one = example_tables()
>>> two = {n: f.replace({"示例镇": "样板镇"}, regex=True) for n, f in one.items()}
>>> two["matters"].loc[1, "name"] = "农村公益性墓地审批"
>>> both = {n: pd.concat([one[n], two[n]], ignore_index=True) for n in one}
>>> both["departments"] = one["departments"]
>>> result = compare_tables(both)
>>> result.matters.query("matter == 2")[["group", "town", "matter_name", "score"]].values.tolist()
[[2, '示例镇', '农村公益性墓地申报审批', 1.0], [2, '样板镇', '农村公益性墓地审批', 0.9]]
>>> result.towns[["town", "feedback_gaps", "closed_loops", "gap_rate"]].values.tolist()
[['示例镇', 2, 1, 0.667], ['样板镇', 2, 1, 0.667]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .errors import DutygraphError
from .i18n import gettext as _
from .matching import MatchRules, assign
from .places import Place

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

__all__ = [
    "COMPARE_PARTS",
    "Comparison",
    "comparable_lists",
    "compare_tables",
    "compare_towns",
    "department_matrix",
    "matter_matrix",
    "town_labels",
]

TOWN_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "district",
    "matters",
    "duties",
    "handoffs",
    "sent_up",  # (matter, department) pairs the town reports or escalates to
    "feedback_gaps",  # of those, the pairs where nothing comes back
    "closed_loops",  # and those where the result comes back
    "gap_rate",  # feedback_gaps / sent_up
    "escalations",  # escalates_to handoffs the town sends
    "only_here",  # matters no other compared town has
)
DEPARTMENT_COLUMNS: tuple[str, ...] = (
    "department",
    "body",
    "level",
    "list_id",
    "town",
    "matters",  # matters it leads in that town's list
    "handoffs",  # handoffs it sends or receives there
    "feedback_gaps",  # (matter) pairs where the town sends it something and nothing comes back
    "escalations",  # escalates_to handoffs it sends or receives there
)
MATTER_COLUMNS: tuple[str, ...] = (
    "group",  # matters of one group are one matter in several towns
    "group_name",  # the group's name: its first matter's
    "towns",  # how many of the compared lists have it
    "list_id",
    "town",
    "matter",
    "matter_name",
    "score",  # similarity of the normalised name to the group's, 0 to 1
)
UNSHARED_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "matter",
    "matter_name",
    "towns",
    "lacking",  # the compared towns without it, joined by '、'
)

#: The parts of a comparison, as ``dutygraph compare --show`` and the workbook name them.
COMPARE_PARTS: tuple[str, ...] = ("towns", "departments", "matters", "unshared")
_COUNTS = ("matters", "handoffs", "feedback_gaps", "escalations")


@dataclass(frozen=True)
class Comparison:
    towns: pd.DataFrame
    departments: pd.DataFrame
    matters: pd.DataFrame
    unshared: pd.DataFrame


def compare_towns(
    store: Store, list_ids: Sequence[str], *, rules: MatchRules | None = None
) -> Comparison:
    """Compare the towns of the chosen lists: their ``comparable_lists`` (two or more).

    Raises
    ------
    DutygraphError
        Fewer than two towns' lists are chosen.
    """
    from .graphmodel.build import GRAPH_TABLES, reviewed_tables

    list_ids = comparable_lists(store, list_ids)
    if len(list_ids) < 2:
        raise DutygraphError(
            _(
                "compare needs the lists of two towns or more; the selection holds {count} "
                "(choose them with --list, --district or --town; two versions of one list: "
                "dutygraph diff)"
            ).format(count=len(list_ids))
        )
    if not store.table("corrections", columns=["town"]).empty:
        # an analyst corrected handoffs: every count and loop from the handoffs as reviewed,
        # like every other answer (the gaps on their graph)
        return compare_tables(reviewed_tables(store, list_ids), rules=rules)
    # no review: the gaps and closed loops load kept (``dutygraph.answers``), instead of a
    # graph of every list
    from .answers import answers

    tables = {name: store.table(name, list_ids) for name in GRAPH_TABLES}
    kept = answers(store, list_ids, ["feedback-gaps", "feedback-gaps --closed"])
    loops = (kept["feedback-gaps"], kept["feedback-gaps --closed"])
    return compare_tables(tables, rules=rules, loops=loops)


def comparable_lists(store: Store, list_ids: Sequence[str]) -> list[str]:
    """The lists of ``list_ids`` that compare towns: of one kind, 配合 when the selection holds
    any (else the kind of its first list), and each town's latest version of it
    (``Store.latest_versions``). One town's 基本, 配合 and 收回 lists, or two versions of one
    list, are not two towns."""
    lists = store.table("lists", list_ids).set_index("list_id")
    if lists.empty:
        return []
    kinds = [lists.at[i, "kind"] for i in list_ids if i in lists.index]
    kind = "配合" if "配合" in kinds else kinds[0]
    return store.latest_versions([i for i in list_ids if lists.at[i, "kind"] == kind])


def compare_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    rules: MatchRules | None = None,
    loops: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Comparison:
    """Compare the lists the tidy ``tables`` hold, in the order of their ``lists`` table.

    ``loops``: the lists' feedback gaps and closed loops (``queries.feedback_gaps``) when they
    are known; else they are answered on the graph of ``tables``.
    """
    rules = rules or MatchRules.load()
    lists = tables["lists"]
    labels = town_labels(lists)
    if loops is None:
        from .graphmodel.build import graph_from_tables
        from .queries import feedback_gaps

        G = graph_from_tables(tables)
        loops = (feedback_gaps(G), feedback_gaps(G, closed=True))
    gaps, closed = loops
    matters = _matched_matters(tables["matters"], list(lists["list_id"]), labels, rules)
    return Comparison(
        towns=_towns(tables, labels, gaps, closed, matters),
        departments=_departments(tables, labels, gaps),
        matters=matters,
        unshared=_unshared(matters, labels),
    )


def town_labels(lists: pd.DataFrame) -> dict[str, str]:
    """What to call each list among the others: its town, or the district and town when two
    towns share a name, or the list id when one town has several lists."""
    records = lists.to_dict("records")
    towns = [str(r["town"]) for r in records]
    placed = [Place.of(r).label for r in records]
    if len(set(towns)) == len(towns):
        names = towns
    elif len(set(placed)) == len(placed):
        names = placed
    else:
        names = [str(r["list_id"]) for r in records]
    return dict(zip((str(r["list_id"]) for r in records), names, strict=True))


# -- matters ------------------------------------------------------------------------------------
def _matched_matters(
    matters: pd.DataFrame, list_ids: list[str], labels: Mapping[str, str], rules: MatchRules
) -> pd.DataFrame:
    """Each list's matters joined to the groups of the lists before it (one matter per list
    and group, the best score first), or starting a group of its own."""
    groups: list[dict[str, Any]] = []
    rows = []
    for list_id in list_ids:
        own = matters[matters["list_id"] == list_id].sort_values("number", kind="stable")
        keys = [rules.normalise(n) for n in own["name"]]
        open_groups = [g for g in groups if list_id not in g["lists"]]
        found = {
            i: (open_groups[j], score)
            for i, j, score in assign(keys, [g["key"] for g in open_groups], rules.matter_threshold)
        }
        for i, row in enumerate(own.itertuples(index=False)):
            group, score = found.get(i, (None, 1.0))
            if group is None:
                group = {"id": len(groups) + 1, "name": row.name, "key": keys[i], "lists": set()}
                groups.append(group)
            group["lists"].add(list_id)
            rows.append(
                {
                    "group": group["id"],
                    "group_name": group["name"],
                    "list_id": list_id,
                    "town": labels[list_id],
                    "matter": int(row.number),
                    "matter_name": row.name,
                    "score": score,
                }
            )
    frame = pd.DataFrame(rows, columns=[c for c in MATTER_COLUMNS if c != "towns"])
    frame["towns"] = frame["group"].map(frame.groupby("group")["list_id"].nunique())
    order = {list_id: k for k, list_id in enumerate(list_ids)}
    frame = frame.sort_values(
        ["group", "list_id"], key=lambda c: c.map(order) if c.name == "list_id" else c
    )
    return frame.loc[:, list(MATTER_COLUMNS)].reset_index(drop=True)


def _unshared(matters: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    everyone = len(labels)
    rows = []
    having = matters.groupby("group")["list_id"].agg(set).to_dict()
    lacking: dict[Any, str] = {}  # group -> the towns lacking it (each group once)
    for row in matters[matters["towns"] < everyone].itertuples(index=False):
        if row.group not in lacking:
            lacking[row.group] = "、".join(labels[i] for i in labels if i not in having[row.group])
        rows.append({**row._asdict(), "lacking": lacking[row.group]})
    frame = pd.DataFrame(rows, columns=[*MATTER_COLUMNS, "lacking"])
    frame = frame.sort_values(["towns", "group"], ascending=[True, True], kind="stable")
    return frame.loc[:, list(UNSHARED_COLUMNS)].reset_index(drop=True)


def matter_matrix(comparison: Comparison) -> pd.DataFrame:
    """The matched matters, a town a column: ``#n`` (with the score when it is below 1)."""
    matters = comparison.matters
    towns = list(dict.fromkeys(comparison.towns["town"]))
    cell = matters["matter"].map("#{}".format) + matters["score"].map(
        lambda s: "" if s >= 1 else f" ({s:.2f})"
    )
    wide = (
        matters.assign(cell=cell)
        .pivot_table(
            index=["group", "group_name", "towns"], columns="town", values="cell", aggfunc="first"
        )
        .reindex(columns=towns)
        .fillna("")
        .reset_index()
    )
    wide.columns.name = None
    return wide.sort_values(["towns", "group"], ascending=[False, True], ignore_index=True)


# -- departments ----------------------------------------------------------------------------------
def _departments(
    tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str], gaps: pd.DataFrame
) -> pd.DataFrame:
    lists = tables["lists"]
    places = {str(r["list_id"]): Place.of(r) for r in lists.to_dict("records")}
    levels = tables["departments"].drop_duplicates("name").set_index("name")["level"]
    key = ["department", "body", "list_id"]

    def keyed(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        frame = frame.rename(columns={column: "department"})
        level = frame["department"].map(levels).fillna("其他")
        frame["body"] = [places[i].body(lv) for i, lv in zip(frame["list_id"], level, strict=True)]
        return frame

    leads = keyed(tables["matter_departments"], "department")
    handoffs = tables["handoffs"]
    ends = pd.concat(
        [
            keyed(handoffs.loc[handoffs[f"{end}_kind"] == "department"], end)
            for end in ("src", "dst")
        ]
    ).drop_duplicates([*key, "handoff_id"])
    counts = [
        leads.groupby(key)["matter_id"].nunique().rename("matters"),
        ends.groupby(key)["handoff_id"].nunique().rename("handoffs"),
        keyed(gaps, "department").groupby(key).size().rename("feedback_gaps"),
        ends[ends["type"] == "escalates_to"].groupby(key).size().rename("escalations"),
    ]
    frame = pd.concat(counts, axis=1).fillna(0).astype(int).reset_index()
    frame["level"] = frame["department"].map(levels).fillna("其他")
    frame["town"] = frame["list_id"].map(labels)
    frame["_total"] = frame.groupby(["department", "body"])["matters"].transform("sum")
    order = {list_id: k for k, list_id in enumerate(labels)}
    frame = frame.sort_values(
        ["_total", "department", "body", "list_id"],
        ascending=[False, True, True, True],
        key=lambda c: c.map(order) if c.name == "list_id" else c,
    )
    return frame.loc[:, list(DEPARTMENT_COLUMNS)].reset_index(drop=True)


def department_matrix(comparison: Comparison) -> pd.DataFrame:
    """Departments × towns: each cell ``matters/handoffs/feedback gaps/escalations``."""
    frame = comparison.departments
    towns = list(dict.fromkeys(comparison.towns["town"]))
    cell = frame[list(_COUNTS)].astype(str).agg("/".join, axis=1)
    wide = (
        frame.assign(cell=cell)
        .pivot_table(
            index=["department", "body"], columns="town", values="cell", aggfunc="first", sort=False
        )
        .reindex(columns=towns)
        .fillna("")
        .reset_index()
    )
    wide.columns.name = None
    return wide


# -- towns ----------------------------------------------------------------------------------------
def _towns(
    tables: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str],
    gaps: pd.DataFrame,
    closed: pd.DataFrame,
    matters: pd.DataFrame,
) -> pd.DataFrame:
    lists = tables["lists"].set_index("list_id")
    handoffs = tables["handoffs"]
    escalations = handoffs[(handoffs["type"] == "escalates_to") & (handoffs["src_kind"] == "town")]
    alone = matters[matters["towns"] == 1]
    rows = []
    for list_id, town in labels.items():
        n_gaps = int((gaps["list_id"] == list_id).sum())
        n_closed = int((closed["list_id"] == list_id).sum())
        sent = n_gaps + n_closed
        rows.append(
            {
                "list_id": list_id,
                "town": town,
                "district": lists.at[list_id, "district"] if "district" in lists else "",
                "matters": int((tables["matters"]["list_id"] == list_id).sum()),
                "duties": int((tables["duties"]["list_id"] == list_id).sum()),
                "handoffs": int((handoffs["list_id"] == list_id).sum()),
                "sent_up": sent,
                "feedback_gaps": n_gaps,
                "closed_loops": n_closed,
                "gap_rate": round(n_gaps / sent, 3) if sent else 0.0,
                "escalations": int((escalations["list_id"] == list_id).sum()),
                "only_here": int((alone["list_id"] == list_id).sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=list(TOWN_COLUMNS))
    frame["district"] = frame["district"].fillna("")
    return frame
