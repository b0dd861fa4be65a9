"""The review workbook an analyst fills in: every extracted handoff of some lists, one a row.

Sheets: ``交接复核`` (the handoffs, with empty decision columns and room at the bottom for
handoffs the machine missed), ``未解析条款`` (clauses with a handoff verb the extractor could
not resolve), ``说明`` (how to fill it in) and a hidden ``选项`` holding the drop-down lists.
Row 1 holds the headings, row 2 the stable English column names that ``review apply`` reads;
both are frozen. Tabs, headings, words and drop-downs are in the user's language (Chinese by
default; ``DUTYGRAPH_LANG=en``: ``Handoff review`` …, ``vocab/review.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ExportError
from ..export import cell_value, column_width, write_file
from ..formatting import csv_safe
from ..graphmodel.schema import HANDOFF_TYPES, VILLAGE_NAME
from ..i18n import gettext as _
from ..i18n import label, rule_in_words
from ..tables import TABLE_COLUMNS
from .reviewed import review_state
from .terms import (
    DECISION_COLUMNS,
    REVIEW_COLUMNS,
    decision_choices,
    instructions,
    type_choices,
    words_of,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = ["BLANK_ROWS", "REVIEW_SHEETS", "export_review", "review_frame"]

#: The review sheet's tab in either language (``review apply`` finds it by either).
REVIEW_SHEETS = ("交接复核", "Handoff review")
#: Empty rows left at the bottom of the review sheet for handoffs the machine missed.
BLANK_ROWS = 30
#: The store tables that may hold the clauses extraction left unresolved (issue 9).
_UNRESOLVED_TABLES = ("unresolved", "unresolved_clauses")


def review_frame(
    store: Store, list_ids: Sequence[str], *, matter: int | Mapping[str, int] | None = None
) -> pd.DataFrame:
    """The review sheet's rows (columns of ``REVIEW_COLUMNS``): every handoff as extracted,
    rejected and added ones included, with the decisions already stored filled in; ``matter``
    a 序号 of every list, or each list's own ({list id: 序号}, ``browse.matter_numbers``)."""
    handoffs = review_state(store, list_ids).handoffs
    if isinstance(matter, Mapping):
        handoffs = handoffs[handoffs["list_id"].map(matter) == handoffs["matter"]]
    elif matter is not None:
        handoffs = handoffs[handoffs["matter"] == matter]
    matters = store.table("matters", list_ids).set_index("matter_id")["name"]
    duties = store.table("duties", list_ids).set_index("duty_id")["text"]
    corrected = handoffs["status"] == "corrected"
    types = {t: label("type", t) for t in HANDOFF_TYPES}
    shown_type = dict(zip(HANDOFF_TYPES, type_choices(), strict=True))
    shown_decision = dict(zip(("ok", "wrong", "fix", "add"), decision_choices(), strict=True))
    frame = pd.DataFrame(
        {
            "list_id": handoffs["list_id"],
            "matter": handoffs["matter"].astype(int),
            "matter_name": handoffs["matter_id"].map(matters),
            "src": handoffs["orig_src"],
            "dst": handoffs["orig_dst"],
            "type": handoffs["orig_type"],
            "type_zh": handoffs["orig_type"].map(types),
            "how": _how(handoffs),
            "evidence": handoffs["evidence"],
            "clause": handoffs["duty_id"].map(duties),
            "status": handoffs["status"].map(lambda code: label("status", code)),
            "decision": handoffs["decision"].map(shown_decision),
            "new_src": handoffs["src"].where(corrected & (handoffs["src"] != handoffs["orig_src"])),
            "new_dst": handoffs["dst"].where(corrected & (handoffs["dst"] != handoffs["orig_dst"])),
            "new_type": handoffs["type"]
            .where(corrected & (handoffs["type"] != handoffs["orig_type"]))
            .map(shown_type),
            "note": handoffs["review_note"],
            "reviewer": handoffs["reviewer"],
        }
    )
    return frame[list(REVIEW_COLUMNS)].reset_index(drop=True)


def _how(handoffs: pd.DataFrame) -> pd.Series:
    """How an edge was found, in words, with the rule that fired."""
    how = words_of("how")
    if "how" in handoffs.columns:
        words = handoffs["how"].map(lambda h: how.get(str(h), str(h)))
    else:
        implicit = handoffs["implicit"].fillna(0).astype(int) == 1
        words = implicit.map({True: how["implicit"], False: how["explicit"]})
    words = words.where(handoffs["status"] != "added", how["manual"])
    rule = handoffs["rule"].fillna("").astype(str)
    rule_words = rule.map(lambda r: words_of("words")["rule"].format(rule=rule_in_words(r)))
    return words.where(rule.isin(["", "review"]), words + rule_words)


def unresolved_frame(store: Store, list_ids: Sequence[str]) -> pd.DataFrame | None:
    """The clauses extraction left unresolved, if the store keeps them; else None."""
    for table in _UNRESOLVED_TABLES:
        if table in TABLE_COLUMNS:
            frame = store.table(table, list_ids)
            columns = words_of("unresolved_columns")
            return frame.reindex(columns=[c for c in columns if c in frame.columns])
    return None


def export_review(
    store: Store,
    list_ids: Sequence[str],
    path: str | Path,
    *,
    matter: int | Mapping[str, int] | None = None,
) -> Path:
    """Write the review workbook of some lists (or one matter of them) and return its path.

    A ``.csv`` path gets the review sheet alone as CSV (UTF-8 with a BOM, so that Excel opens
    it; a header of the English column names; cells that would start a formula neutralised):
    ``review apply`` reads it back like the workbook.

    Raises
    ------
    ExportError
        The path cannot be written, or ends in neither ``.xlsx`` nor ``.csv``.
    """
    from openpyxl import Workbook

    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(
            _("{path}: the review file is written as .xlsx or .csv, not {suffix}").format(
                path=path, suffix=suffix or _("(no suffix)")
            )
        )
    list_ids = list(list_ids)
    rows = review_frame(store, list_ids, matter=matter)
    if suffix == ".csv":
        as_csv = rows.map(lambda v: csv_safe(cell_value(v)))
        return write_file(
            path, lambda target: as_csv.to_csv(target, index=False, encoding="utf-8-sig")
        )
    actors = _actors(store, list_ids)
    sheets = words_of("sheets")
    book = Workbook()
    sheet = book.active
    sheet.title = sheets["review"]
    _write_rows(sheet, words_of("columns"), rows, blank=BLANK_ROWS)
    options = book.create_sheet(sheets["options"])
    _drop_downs(sheet, options, rows, actors, list_ids)
    options.sheet_state = "hidden"
    unresolved = unresolved_frame(store, list_ids)
    _unresolved_sheet(book.create_sheet(sheets["unresolved"]), unresolved)
    _about_sheet(book.create_sheet(sheets["about"]), store, list_ids, rows, unresolved)
    return write_file(path, lambda target: book.save(target))


def _actors(store: Store, list_ids: Sequence[str]) -> dict[str, list[str]]:
    """Per list, the ends a handoff may have: its departments, the town, 村（社区）."""
    lists = store.table("lists", list_ids)
    links = store.table("matter_departments", list_ids)
    duties = store.table("duties", list_ids)
    handoffs = store.table("handoffs", list_ids)
    found: dict[str, list[str]] = {}
    for list_id, town in zip(lists["list_id"], lists["town"], strict=True):
        names = set(links.loc[links["list_id"] == list_id, "department"])
        mine = duties[(duties["list_id"] == list_id) & (duties["owner_kind"] == "department")]
        names |= set(mine["owner"])
        for end in ("src", "dst"):
            ends = handoffs[
                (handoffs["list_id"] == list_id) & (handoffs[f"{end}_kind"] == "department")
            ]
            names |= set(ends[end])
        found[list_id] = [str(town), VILLAGE_NAME, *sorted(str(n) for n in names)]
    return found


def _write_rows(ws: Any, columns: dict[str, str], frame: pd.DataFrame, *, blank: int = 0) -> None:
    """Headings, names, rows: frozen, filterable, as wide as their headings and text."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    names = list(columns)
    ws.append([columns[c] for c in names])
    ws.append(names)
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell_value(v) for v in row])
    for row in ws.iter_rows(min_row=3):  # duty text that starts with "=" stays text
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    heading = PatternFill("solid", fgColor="DDE6F0")
    to_fill = PatternFill("solid", fgColor="FFF4CC")
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), heading
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="666666", size=9)
    ws.freeze_panes = "A3"
    last_row = len(frame) + 2 + blank
    ws.auto_filter.ref = f"A2:{get_column_letter(len(names))}{max(2, len(frame) + 2)}"
    wrap = Alignment(vertical="top", wrap_text=True)
    for index, name in enumerate(names, start=1):
        letter = get_column_letter(index)
        values = frame[name] if name in frame.columns else pd.Series(dtype=object)
        width = column_width(columns[name], name, values)
        ws.column_dimensions[letter].width = max(width, 14 if name in DECISION_COLUMNS else 0)
        for (cell,) in ws.iter_rows(min_row=3, max_row=last_row, min_col=index, max_col=index):
            cell.alignment = wrap
            if name in DECISION_COLUMNS:
                cell.fill = to_fill
        if name in DECISION_COLUMNS:
            ws.cell(row=1, column=index).fill = PatternFill("solid", fgColor="F6D68A")


def _drop_downs(
    ws: Any,
    options: Any,
    rows: pd.DataFrame,
    actors: dict[str, list[str]],
    list_ids: list[str],
) -> None:
    """Data validation: decision, the types, and per list its departments, town and villages."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    words = words_of("words")
    every = sorted({a for names in actors.values() for a in names})
    decision, kind, listed, actor = (
        words["decision"],
        words["type"],
        words["lists"],
        words["every_actor"],
    )
    columns = [
        (decision, list(decision_choices())),
        (kind, list(type_choices())),
        (listed, list_ids),
        (actor, every),
    ]
    columns += [(list_id, names) for list_id, names in actors.items()]
    ranges: dict[str, str] = {}
    for k, (title, values) in enumerate(columns, start=1):
        letter = get_column_letter(k)
        options.cell(row=1, column=k, value=title)
        for r, value in enumerate(values, start=2):
            options.cell(row=r, column=k, value=value)
        ranges[title] = f"'{options.title}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    position = {name: get_column_letter(k) for k, name in enumerate(REVIEW_COLUMNS, start=1)}
    first, last_data = 3, len(rows) + 2
    last = last_data + BLANK_ROWS

    def validate(source: str, cols: Sequence[str], top: int, bottom: int, title: str) -> None:
        if bottom < top:
            return
        dv = DataValidation(type="list", formula1=source, allow_blank=True)
        choose = words["choose"].format(what=title)
        dv.error, dv.errorTitle = choose, words["not_in_list"]
        dv.prompt, dv.promptTitle = choose, title
        for column in cols:
            dv.add(f"{position[column]}{top}:{position[column]}{bottom}")
        ws.add_data_validation(dv)

    department = words["department"]
    validate(ranges[decision], ["decision"], first, last, decision)
    validate(ranges[kind], ["new_type"], first, last, kind)
    validate(ranges[kind], ["type"], last_data + 1, last, kind)
    validate(ranges[listed], ["list_id"], last_data + 1, last, listed)
    for list_id in actors:  # each list's rows offer that list's actors
        where = rows.index[rows["list_id"] == list_id]
        for top, bottom in _runs(list(where + first)):
            validate(ranges[list_id], ["new_src", "new_dst"], top, bottom, department)
    blank_source = ranges[list_ids[0]] if len(list_ids) == 1 else ranges[actor]
    validate(blank_source, ["src", "dst", "new_src", "new_dst"], last_data + 1, last, department)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of row numbers: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _unresolved_sheet(ws: Any, unresolved: pd.DataFrame | None) -> None:
    columns = words_of("unresolved_columns")
    if unresolved is None:
        _write_rows(ws, columns, pd.DataFrame(columns=list(columns)))
        ws.cell(row=3, column=1, value=words_of("words")["no_unresolved"])
        return
    _write_rows(ws, {c: columns[c] for c in unresolved.columns}, unresolved)


def _about_sheet(
    ws: Any,
    store: Store,
    list_ids: Sequence[str],
    rows: pd.DataFrame,
    unresolved: pd.DataFrame | None,
) -> None:
    from openpyxl.styles import Alignment, Font

    lists = store.table("lists", list_ids)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    words = words_of("words")
    ws.append([words["title"]])
    ws.append([words["lists"], "、".join(lists["list_id"].astype(str))])
    ws.append([words["exported_at"], stamp])
    ws.append([words["handoffs"], words["count"].format(count=len(rows))])
    found = words["count"].format(count=len(unresolved)) if unresolved is not None else None
    ws.append([words["unresolved"], found or words["not_recorded"]])
    ws.append([])
    for number, line in enumerate(instructions(), start=1):
        ws.append([f"{number}.", line])
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
