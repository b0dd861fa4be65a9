"""The tidy tables: their names and columns, in one place.

Every table has ``list_id`` so that a store can hold many lists. The README documents each
column; the store creates its SQLite tables from these definitions.

>>> TABLE_COLUMNS["matters"][:4]
('list_id', 'matter_id', 'number', 'name')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a frame is made, so that the CLI starts without pandas
    import pandas as pd

from .handoff_types import HandoffType
from .places import Place

__all__ = [
    "CORRECTION_KEY",
    "HANDOFF_SHOWN_COLUMNS",
    "HANDOFF_TYPES",
    "LIST_TABLES",
    "Given",
    "ListIdentity",
    "TABLE_COLUMNS",
    "ListTables",
    "empty_table",
]


@dataclass(frozen=True)
class Given:
    """What the analyst says about a list (``--town``, ``--kind``, ``--version``, ``--district``
    …), overriding what its document and folders say; the default says nothing."""

    town: str | None = None
    kind: str | None = None
    version: str | None = None
    place: Place = field(default_factory=Place)


@dataclass(frozen=True)
class ListIdentity:
    """What names a list: its town (and the places above it), kind and version."""

    town: str
    kind: str
    version: str
    place: Place = field(default_factory=Place)

    @property
    def list_id(self) -> str:
        """``town:kind`` or ``town:kind:version``, the town led by its district when known
        (``昆都仑区卜尔汉图镇:配合``: two districts' 城关镇 are two lists)."""
        return ":".join(p for p in (self.place.label or self.town, self.kind, self.version) if p)


#: The five handoff types of ../shared/handoff-types.md, in the order reports use.
HANDOFF_TYPES: tuple[str, ...] = tuple(t.value for t in HandoffType)

#: What names a handoff to an analyst: its list, matter, ends, type and evidence (the columns
#: ``browse`` shows first and a review file identifies its rows by).
HANDOFF_SHOWN_COLUMNS: tuple[str, ...] = ("list_id", "matter", "src", "dst", "type", "evidence")

#: column name -> SQLite type, per table, in display order
TABLE_SCHEMAS: dict[str, dict[str, str]] = {
    "lists": {
        "list_id": "TEXT",  # [district]town:kind[:version], e.g. 卜尔汉图镇:配合
        "town": "TEXT",  # the town's own name, from the title line or --town
        "province": "TEXT",  # where the town lies ('' when unknown): from the title, the
        "city": "TEXT",  # file's folders or --province/--city/--district, the levels above
        "district": "TEXT",  # a known name from vocab/places.yaml
        "kind": "TEXT",  # 配合 | 基本 | 收回
        "version": "TEXT",  # a year or date found in the document, or --version; '' if none
        "title": "TEXT",
        "source_file": "TEXT",
        "source_sha256": "TEXT",
        "loaded_at": "TEXT",  # ISO timestamp, UTC
        "matters": "INTEGER",
        "note": "TEXT",  # the closing note (注：…), if any
    },
    "categories": {
        "list_id": "TEXT",
        "category_id": "TEXT",  # list_id#position
        "position": "INTEGER",  # 1 for 一、, 2 for 二、 ...
        "name": "TEXT",
        "stated_count": "INTEGER",  # the （N项） of the category line; NULL if not stated
    },
    "matters": {
        "list_id": "TEXT",
        "matter_id": "TEXT",  # list_id#number
        "number": "INTEGER",  # 序号
        "name": "TEXT",
        "category_id": "TEXT",
        "category": "TEXT",
        "source": "TEXT",  # where in the source file, e.g. 'line 7'
        "basis": "TEXT",  # the 依据 column (law, policy, reason for taking back), '' if none
    },
    "departments": {
        "name": "TEXT",  # canonical name
        "level": "TEXT",  # 区 | 市 | 省 | 部 | 其他
        "in_vocabulary": "INTEGER",  # 1 when departments.csv knows it
    },
    "matter_departments": {
        "list_id": "TEXT",
        "matter_id": "TEXT",
        "matter": "INTEGER",
        "position": "INTEGER",  # order in cell 3, from 1
        "department": "TEXT",  # canonical name
        "raw_name": "TEXT",  # as written in the cell
    },
    "duties": {
        "list_id": "TEXT",
        # matter_id/<section>.<owner>.<k> for a department, matter_id/t.<k> for the town
        "duty_id": "TEXT",
        "matter_id": "TEXT",
        "matter": "INTEGER",
        "owner": "TEXT",  # canonical department name, or the town's name
        "owner_kind": "TEXT",  # department | town
        "heading": "TEXT",  # the heading it stands under as written ('' for the town's cell)
        "number": "INTEGER",  # the number as written (1, 2 …), or the position when unnumbered
        "text": "TEXT",
    },
    "guarantees": {
        "list_id": "TEXT",
        "guarantee_id": "TEXT",  # matter_id/g
        "matter_id": "TEXT",
        "matter": "INTEGER",
        "text": "TEXT",
        # comma-separated: guidance,training,funding,materials,information,personnel,policy
        "kinds": "TEXT",
    },
    "handoffs": {
        "list_id": "TEXT",
        "handoff_id": "TEXT",  # duty_id/h<k>
        "matter_id": "TEXT",
        "matter": "INTEGER",
        "src": "TEXT",  # actor name: department, town, or the level below the town
        "src_kind": "TEXT",  # town | department | village
        "dst": "TEXT",
        "dst_kind": "TEXT",
        "type": "TEXT",  # reports_to | feeds_back_to | escalates_to | assigns_to | refers_to
        "evidence": "TEXT",  # the shortest verbatim clause that proves the edge
        "duty_id": "TEXT",
        "start": "INTEGER",  # character offsets of evidence in the duty's text
        "end": "INTEGER",
        "implicit": "INTEGER",  # 1 when the clause does not name the receiver
        # explicit (both ends named) | inferred (receiver from another cell) | implicit
        "how": "TEXT",
        "rule": "TEXT",  # the frame that fired (handoff_frames.yaml), the verb and its reading
    },
    "unresolved": {
        "list_id": "TEXT",
        "matter_id": "TEXT",
        "matter": "INTEGER",
        "duty_id": "TEXT",
        "owner": "TEXT",  # whose duty the clause is in
        "verb": "TEXT",  # the handoff verb as written
        "verb_class": "TEXT",  # its class (handoff_rules.yaml, verbs)
        "reason": "TEXT",  # no_receiver | no_sender | no_frame
        "clause": "TEXT",  # the clause, verbatim
        "start": "INTEGER",  # character offsets of the clause in the duty's text
        "end": "INTEGER",
    },
    "findings": {
        "list_id": "TEXT",
        "severity": "TEXT",  # error | warning | info
        "code": "TEXT",  # e.g. category-count, numbering-gap, unknown-department
        "where": "TEXT",  # 'line 7', 'matter 12', ...
        "message": "TEXT",
    },
    # An analyst's decision on one handoff (dutygraph review apply). Not a list table: keyed
    # by the list's district, town and kind, the matter's name and the evidence clause, so that it
    # survives a reload of the list and a revised version where the clause is unchanged.
    "corrections": {
        "district": "TEXT",  # the list's district ('' when unknown): one town name, one place
        "town": "TEXT",
        "kind": "TEXT",
        "matter": "INTEGER",  # the 序号 when decided (found again by name first)
        "matter_name": "TEXT",
        "evidence": "TEXT",  # the verbatim clause ('' for an added edge with no clause)
        "src": "TEXT",  # the edge as extracted (for an added edge: the edge added)
        "dst": "TEXT",
        "type": "TEXT",
        "decision": "TEXT",  # ok | wrong | fix | add
        "new_src": "TEXT",  # fix: the corrected ends and type ('' where unchanged)
        "new_dst": "TEXT",
        "new_type": "TEXT",
        "note": "TEXT",
        "reviewer": "TEXT",
        "decided_at": "TEXT",  # ISO timestamp, UTC
        "source": "TEXT",  # the file and row it came from
    },
}

#: The columns that identify a correction (its primary key in the store).
CORRECTION_KEY: tuple[str, ...] = (
    "district",
    "town",
    "kind",
    "matter_name",
    "evidence",
    "src",
    "dst",
    "type",
)

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(c) for t, c in TABLE_SCHEMAS.items()}

#: Tables that belong to one list (replaced together when the list is loaded again).
LIST_TABLES: tuple[str, ...] = (
    "lists",
    "categories",
    "matters",
    "matter_departments",
    "duties",
    "guarantees",
    "handoffs",
    "unresolved",
    "findings",
)


def empty_table(name: str) -> pd.DataFrame:
    """An empty DataFrame with the columns of table ``name``."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLE_COLUMNS[name]})


@dataclass
class ListTables:
    """The tidy tables of one list, ready for the store (one DataFrame per table)."""

    lists: pd.DataFrame
    categories: pd.DataFrame
    matters: pd.DataFrame
    matter_departments: pd.DataFrame
    duties: pd.DataFrame
    guarantees: pd.DataFrame
    departments: pd.DataFrame
    handoffs: pd.DataFrame = field(default_factory=lambda: empty_table("handoffs"))
    unresolved: pd.DataFrame = field(default_factory=lambda: empty_table("unresolved"))
    findings: pd.DataFrame = field(default_factory=lambda: empty_table("findings"))

    @property
    def list_id(self) -> str:
        return str(self.lists["list_id"].iloc[0])

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)
