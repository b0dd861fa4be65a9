"""Read an analyst's decisions back from a review workbook (or a CSV of the same columns),
check every row, and store the good ones as corrections.

Every row with a decision is checked on its own; a row that fails gives one line naming the
file, the row and what was expected (:attr:`ApplyResult.problems`), and the other rows are
stored. Applying the same file again changes nothing: a decision is keyed on the edge
(``tables.CORRECTION_KEY``), and an unchanged decision keeps its first date.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ReviewError
from ..graphmodel.schema import VILLAGE_NAME
from ..i18n import gettext as _
from ..tables import CORRECTION_KEY, HANDOFF_SHOWN_COLUMNS, TABLE_COLUMNS
from .reviewed import VILLAGE_NAMES
from .terms import (
    DECISION_CHOICES,
    DECISION_COLUMNS,
    TYPE_CHOICES,
    parse_decision,
    parse_type,
)
from .workbook import REVIEW_SHEETS

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..vocabulary import Vocabulary

__all__ = ["REQUIRED_COLUMNS", "ApplyResult", "apply_review", "read_review_rows"]

#: The English column names (row 2 of the workbook, the CSV header) a review file must have.
REQUIRED_COLUMNS: tuple[str, ...] = (*HANDOFF_SHOWN_COLUMNS, *DECISION_COLUMNS)
#: The header row is looked for among the first rows (row 2 in our workbooks, 1 in a CSV).
_HEADER_SEARCH = 5


@dataclass
class ApplyResult:
    """What ``review apply`` did: the corrections stored, one line per row that was not, and
    how many rows had no decision."""

    stored: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    undecided: int = 0
    unchanged: int = 0  # decisions the store already held as they are


def apply_review(
    store: Store, path: str | Path, *, reviewer: str | None = None, vocab: Vocabulary | None = None
) -> ApplyResult:
    """Check every decided row of a review file and store the valid ones.

    Parameters
    ----------
    store : Store
    path : str or Path
        A ``.xlsx`` from ``dutygraph review export`` (edited), or a ``.csv`` of the same columns.
    reviewer : str, optional
        Who decided, for rows whose 复核人 cell is empty.
    vocab : Vocabulary, optional
        Resolves department names (aliases such as 区工业与信息化局); default: the packaged one.

    Raises
    ------
    ReviewError
        The file is neither xlsx nor csv, cannot be read, or lacks the column names.
    """
    from ..vocabulary import Vocabulary

    checker = _Checker(store, vocab or Vocabulary.load(), str(path), reviewer or "")
    undecided = 0
    for where, row in read_review_rows(path):
        if not row.get("decision"):
            undecided += _names_an_edge(row)
            continue
        try:
            checker.check(row, where)
        except _RowProblem as problem:
            checker.problems.append(f"{where}: {problem}")
    decided = checker.corrections()
    stored = _changed(decided, store.table("corrections"))
    store.save_corrections(stored)
    return ApplyResult(stored, checker.problems, undecided, len(decided) - len(stored))


def _names_an_edge(row: dict[str, str]) -> int:
    """1 for a row of an edge (it names a matter), 0 for an empty one."""
    return int(bool(row.get("matter")))


# -- reading ---------------------------------------------------------------------------------
def read_review_rows(path: str | Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(where, row) for every row under the header row of English column names; ``where`` is
    how a problem names the row (``review.xlsx, 交接复核 第 7 行``); cells as stripped text."""
    target = Path(path)
    if not target.is_file():
        raise ReviewError(_("{path}: no such file").format(path=target))
    suffix = target.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheet, rows = _xlsx_rows(target)
        where = _("{file}, {sheet} row {row}")
    elif suffix in (".csv", ".txt"):
        sheet, rows = "", _csv_rows(target)
        where = _("{file}, row {row}")
    else:
        raise ReviewError(_("{path}: expected a .xlsx workbook or a .csv file").format(path=target))
    header_at, header = _header(target, rows)
    for number, values in rows[header_at + 1 :]:
        cells = {name: _text(values[k]) if k < len(values) else "" for k, name in header.items()}
        yield where.format(file=target, sheet=sheet, row=number), cells


def _xlsx_rows(path: Path) -> tuple[str, list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or foreign file
        raise ReviewError(
            _("{path}: cannot read the workbook ({error})").format(path=path, error=err)
        ) from err
    try:
        names = [name for name in REVIEW_SHEETS if name in book.sheetnames]
        ws = book[names[0]] if names else book.worksheets[0]
        rows = [
            (number, list(values))
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        return ws.title, rows
    finally:
        book.close()


def _csv_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """The CSV's rows: UTF-8 (with or without BOM), else GB18030 (Excel's CSV on Chinese
    Windows)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReviewError(_("{path}: expected a CSV in UTF-8 or GB18030 (GBK)").format(path=path))
    return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))


def _header(path: Path, rows: Sequence[tuple[int, list[Any]]]) -> tuple[int, dict[int, str]]:
    for at, (_number, values) in enumerate(rows[:_HEADER_SEARCH]):
        names = [_text(v) for v in values]
        if "decision" in names and "list_id" in names:
            missing = [c for c in REQUIRED_COLUMNS if c not in names]
            if missing:
                raise ReviewError(
                    _(
                        "{path}, row {row}: expected the column names of "
                        "`dutygraph review export`; missing {missing}"
                    ).format(path=path, row=rows[at][0], missing=", ".join(missing))
                )
            return at, {k: name for k, name in enumerate(names) if name}
    raise ReviewError(
        _(
            "{path}: expected a row of English column names ({columns}) within the first "
            "{rows} rows, as `dutygraph review export` writes them"
        ).format(path=path, columns=", ".join(REQUIRED_COLUMNS), rows=_HEADER_SEARCH)
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- checking --------------------------------------------------------------------------------
class _RowProblem(Exception):
    """One row cannot be stored; the message says why, in the analyst's words."""


class _Checker:
    def __init__(self, store: Store, vocab: Vocabulary, path: str, reviewer: str) -> None:
        self.vocab, self.path, self.reviewer = vocab, path, reviewer
        self.lists = store.table("lists").set_index("list_id")
        self.matters = store.table("matters")
        self.duties = store.table("duties")
        self.handoffs = store.table("handoffs")
        self.known = set(store.table("departments")["name"])
        self.actors: dict[str, set[str]] = {}
        for list_id in self.lists.index:
            mine = self.handoffs[self.handoffs["list_id"] == list_id]
            names = set(mine["src"]) | set(mine["dst"])
            names |= set(self.duties.loc[self.duties["list_id"] == list_id, "owner"])
            self.actors[list_id] = names
        self.stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.rows: list[dict[str, Any]] = []
        self.problems: list[str] = []

    def corrections(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(TABLE_COLUMNS["corrections"]))
        return frame.drop_duplicates(list(CORRECTION_KEY), keep="last").reset_index(drop=True)

    def check(self, row: dict[str, str], where: str) -> None:
        decision = parse_decision(row["decision"])
        if decision is None:
            unknown = _(
                "unknown decision “{value}”; expected {choices} (or 对, 错, ok, wrong, fix, add)"
            )
            raise _RowProblem(
                unknown.format(value=row["decision"], choices=", ".join(DECISION_CHOICES))
            )
        list_id = self._list(row["list_id"])
        town = str(self.lists.at[list_id, "town"])
        number, name = self._matter(list_id, row["matter"], row.get("matter_name", ""))
        evidence = row["evidence"]
        record: dict[str, Any] = {
            "district": self.lists.at[list_id, "district"] or "",
            "town": town,
            "kind": self.lists.at[list_id, "kind"],
            "matter": number,
            "matter_name": name,
            "evidence": evidence,
            "decision": decision,
            "new_src": "",
            "new_dst": "",
            "new_type": "",
            "note": row["note"],
            "reviewer": row["reviewer"] or self.reviewer,
            "decided_at": self.stamp,
            "source": where,
        }
        if decision == "add":
            record.update(self._addition(row, list_id, town, number, evidence))
        else:
            src = self._actor(row["src"], "src", list_id, town)
            dst = self._actor(row["dst"], "dst", list_id, town)
            kind = self._type(row["type"], "type")
            self._extracted(list_id, number, evidence, src, dst, kind)
            record.update(src=src, dst=dst, type=kind)
            if decision == "fix":
                record.update(self._fix(row, list_id, town, src, dst, kind))
        self.rows.append(record)

    def _list(self, value: str) -> str:
        if not value and len(self.lists) == 1:
            return str(self.lists.index[0])
        if value in self.lists.index:
            return value
        known = ", ".join(self.lists.index)
        raise _RowProblem(
            _("no list “{value}” in the store; lists: {known}").format(value=value, known=known)
        )

    def _matter(self, list_id: str, number: str, name: str) -> tuple[int, str]:
        mine = self.matters[self.matters["list_id"] == list_id]
        if name and (mine["name"] == name).any():
            hit = mine[mine["name"] == name].iloc[0]
            return int(hit["number"]), str(hit["name"])
        try:
            wanted = int(float(number))
        except ValueError:
            raise _RowProblem(
                _("the matter (序号) must be a number, not “{value}”").format(value=number)
            ) from None
        hit = mine[mine["number"] == wanted]
        if hit.empty:
            raise _RowProblem(
                _("no matter {number} in {list_id}").format(number=wanted, list_id=list_id)
            )
        return wanted, str(hit["name"].iloc[0])

    def _type(self, value: str, column: str) -> str:
        code = parse_type(value)
        if code is None:
            raise _RowProblem(
                _("unknown type “{value}” ({column}); expected one of {choices}").format(
                    value=value, column=column, choices=", ".join(TYPE_CHOICES)
                )
            )
        return code

    def _actor(self, value: str, column: str, list_id: str, town: str) -> str:
        """A handoff end as stored: the town, 村（社区）, or a department's name, read as every
        command reads one (``naming.resolve`` among the list's actors: exact, alias, short form
        such as 住建局, unique part), else a department the vocabulary or the store knows."""
        from ..errors import UnknownNameError
        from ..naming import resolve

        if value == town:
            return town
        if value in VILLAGE_NAMES:
            return VILLAGE_NAME
        pool = sorted((self.actors[list_id] | {town}) - {VILLAGE_NAME})
        try:
            return resolve(value, pool, directory=self.vocab.departments, what=_("department"))
        except UnknownNameError as err:
            if err.ambiguous:
                raise _RowProblem(f"{err} ({column})") from None
        department = self.vocab.departments.resolve(value)
        if department.name in self.actors[list_id] or department.name in self.known:
            return department.name
        if department.in_vocabulary:
            return department.name
        raise _RowProblem(
            _(
                "unknown department “{value}” ({column}); expected a department of {list_id} "
                "(the drop-down), {town} or {village}"
            ).format(value=value, column=column, list_id=list_id, town=town, village=VILLAGE_NAME)
        )

    def _clause_in_matter(self, list_id: str, number: int, evidence: str) -> bool:
        duties = self.duties[
            (self.duties["list_id"] == list_id) & (self.duties["matter"] == number)
        ]
        return bool(duties["text"].astype(str).str.contains(evidence, regex=False).any())

    def _extracted(
        self, list_id: str, number: int, evidence: str, src: str, dst: str, kind: str
    ) -> None:
        """The row names an edge the machine extracted (its clause, ends and type)."""
        h = self.handoffs
        hit = h[
            (h["list_id"] == list_id)
            & (h["matter"] == number)
            & (h["evidence"] == evidence)
            & (h["src"] == src)
            & (h["dst"] == dst)
            & (h["type"] == kind)
        ]
        if not hit.empty:
            return
        if not evidence or not self._clause_in_matter(list_id, number, evidence):
            raise _RowProblem(
                _("the evidence is no longer in matter {number} of {list_id}: «{evidence}»").format(
                    number=number, list_id=list_id, evidence=evidence
                )
            )
        raise _RowProblem(
            _(
                "the machine extracted no {src} -> {dst} {type} from this clause; to add it, "
                "write 添加 (add) as the decision"
            ).format(src=src, dst=dst, type=kind)
        )

    def _fix(
        self, row: dict[str, str], list_id: str, town: str, src: str, dst: str, kind: str
    ) -> dict[str, str]:
        new = {
            "new_src": self._actor(row["new_src"], "new_src", list_id, town)
            if row["new_src"]
            else "",
            "new_dst": self._actor(row["new_dst"], "new_dst", list_id, town)
            if row["new_dst"]
            else "",
            "new_type": self._type(row["new_type"], "new_type") if row["new_type"] else "",
        }
        after = (new["new_src"] or src, new["new_dst"] or dst, new["new_type"] or kind)
        if after == (src, dst, kind):
            raise _RowProblem(
                _("改 (fix) needs a new_src, new_dst or new_type that differs from the edge")
            )
        if after[0] == after[1]:
            raise _RowProblem(
                _("the sender and the receiver are one ({name})").format(name=after[0])
            )
        return new

    def _addition(
        self, row: dict[str, str], list_id: str, town: str, number: int, evidence: str
    ) -> dict[str, str]:
        src = row["new_src"] or row["src"]
        dst = row["new_dst"] or row["dst"]
        kind = row["new_type"] or row["type"]
        if not (src and dst and kind):
            raise _RowProblem(
                _("添加 (add) needs a sender, a receiver and a type (src, dst, type or new_*)")
            )
        values = {
            "src": self._actor(src, "src", list_id, town),
            "dst": self._actor(dst, "dst", list_id, town),
            "type": self._type(kind, "type"),
        }
        if values["src"] == values["dst"]:
            raise _RowProblem(
                _("the sender and the receiver are one ({name})").format(name=values["src"])
            )
        if evidence and not self._clause_in_matter(list_id, number, evidence):
            raise _RowProblem(
                _(
                    "the evidence is not in the duties of matter {number} of {list_id}: "
                    "«{evidence}»; copy it from the duty word for word"
                ).format(number=number, list_id=list_id, evidence=evidence)
            )
        return values


def _changed(new: pd.DataFrame, old: pd.DataFrame) -> pd.DataFrame:
    """The decisions the store does not hold as they are (an unchanged one keeps its date)."""
    if new.empty or old.empty:
        return new
    same = [*CORRECTION_KEY, "decision", "new_src", "new_dst", "new_type", "note", "reviewer"]
    held = set(old[same].fillna("").astype(str).itertuples(index=False, name=None))
    mine = new[same].fillna("").astype(str).itertuples(index=False, name=None)
    keep = [row not in held for row in mine]
    return new[keep].reset_index(drop=True)
