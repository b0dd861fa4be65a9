"""The review workbook an analyst fills in: every extracted handoff of some lists, one a row.

Sheets: ``交接复核`` (the handoffs, with empty decision columns and room at the bottom for
handoffs the machine missed), ``未解析条款`` (clauses with a handoff verb the extractor could
not resolve), ``说明`` (how to fill it in, in Chinese) and a hidden ``选项`` holding the
drop-down lists. Row 1 holds the Chinese headings, row 2 the stable English column names
that ``review apply`` reads; both are frozen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..export import cell_value, column_width, write_file
from ..graphmodel.schema import VILLAGE_NAME
from ..tables import TABLE_COLUMNS
from .reviewed import review_state
from .terms import (
    DECISION_CHOICES,
    HOW_NAMES,
    REVIEW_COLUMNS,
    STATUS_NAMES,
    TYPE_CHOICES,
    TYPE_NAMES,
    UNRESOLVED_COLUMNS,
    instructions,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = ["BLANK_ROWS", "REVIEW_SHEET", "export_review", "review_frame"]

REVIEW_SHEET = "交接复核"
UNRESOLVED_SHEET = "未解析条款"
OPTIONS_SHEET = "选项"
#: Empty rows left at the bottom of the review sheet for handoffs the machine missed.
BLANK_ROWS = 30
#: The store tables that may hold the clauses extraction left unresolved (issue 9).
_UNRESOLVED_TABLES = ("unresolved", "unresolved_clauses")
_DECISION_SHOWN = dict(zip(("ok", "wrong", "fix", "add"), DECISION_CHOICES, strict=True))
_TYPE_SHOWN = dict(zip(TYPE_NAMES, TYPE_CHOICES, strict=True))
#: Columns the analyst fills in (shaded).
_DECISION_COLUMNS = ("decision", "new_src", "new_dst", "new_type", "note", "reviewer")


def review_frame(
    store: Store, list_ids: Sequence[str], *, matter: int | None = None
) -> pd.DataFrame:
    """The review sheet's rows (columns of ``REVIEW_COLUMNS``): every handoff as extracted,
    rejected and added ones included, with the decisions already stored filled in."""
    handoffs = review_state(store, list_ids).handoffs
    if matter is not None:
        handoffs = handoffs[handoffs["matter"] == matter]
    matters = store.table("matters", list_ids).set_index("matter_id")["name"]
    duties = store.table("duties", list_ids).set_index("duty_id")["text"]
    corrected = handoffs["status"] == "corrected"
    frame = pd.DataFrame(
        {
            "list_id": handoffs["list_id"],
            "matter": handoffs["matter"].astype(int),
            "matter_name": handoffs["matter_id"].map(matters),
            "src": handoffs["orig_src"],
            "dst": handoffs["orig_dst"],
            "type": handoffs["orig_type"],
            "type_zh": handoffs["orig_type"].map(TYPE_NAMES),
            "how": _how(handoffs),
            "evidence": handoffs["evidence"],
            "clause": handoffs["duty_id"].map(duties),
            "status": handoffs["status"].map(STATUS_NAMES),
            "decision": handoffs["decision"].map(_DECISION_SHOWN),
            "new_src": handoffs["src"].where(corrected & (handoffs["src"] != handoffs["orig_src"])),
            "new_dst": handoffs["dst"].where(corrected & (handoffs["dst"] != handoffs["orig_dst"])),
            "new_type": handoffs["type"]
            .where(corrected & (handoffs["type"] != handoffs["orig_type"]))
            .map(_TYPE_SHOWN),
            "note": handoffs["review_note"],
            "reviewer": handoffs["reviewer"],
        }
    )
    return frame[list(REVIEW_COLUMNS)].reset_index(drop=True)


def _how(handoffs: pd.DataFrame) -> pd.Series:
    """How an edge was found, in words, with the rule that fired."""
    if "how" in handoffs.columns:
        words = handoffs["how"].map(lambda h: HOW_NAMES.get(str(h), str(h)))
    else:
        implicit = handoffs["implicit"].fillna(0).astype(int) == 1
        words = implicit.map({True: HOW_NAMES["implicit"], False: HOW_NAMES["explicit"]})
    words = words.where(handoffs["status"] != "added", HOW_NAMES["manual"])
    rule = handoffs["rule"].fillna("").astype(str)
    return words.where(rule.isin(["", "review"]), words + "（规则 " + rule + "）")


def unresolved_frame(store: Store, list_ids: Sequence[str]) -> pd.DataFrame | None:
    """The clauses extraction left unresolved, if the store keeps them; else None."""
    for table in _UNRESOLVED_TABLES:
        if table in TABLE_COLUMNS:
            frame = store.table(table, list_ids)
            return frame.reindex(columns=[c for c in UNRESOLVED_COLUMNS if c in frame.columns])
    return None


def export_review(
    store: Store, list_ids: Sequence[str], path: str | Path, *, matter: int | None = None
) -> Path:
    """Write the review workbook of some lists (or one matter of them) and return its path.

    Raises
    ------
    ExportError
        The path cannot be written.
    """
    from openpyxl import Workbook

    list_ids = list(list_ids)
    rows = review_frame(store, list_ids, matter=matter)
    actors = _actors(store, list_ids)
    book = Workbook()
    sheet = book.active
    sheet.title = REVIEW_SHEET
    _write_rows(sheet, REVIEW_COLUMNS, rows, blank=BLANK_ROWS)
    options = book.create_sheet(OPTIONS_SHEET)
    _drop_downs(sheet, options, rows, actors, list_ids)
    options.sheet_state = "hidden"
    unresolved = unresolved_frame(store, list_ids)
    _unresolved_sheet(book.create_sheet(UNRESOLVED_SHEET), unresolved)
    _about_sheet(book.create_sheet("说明"), store, list_ids, rows, unresolved)
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
    """Headings, names, rows: frozen, filterable, as wide as their Chinese text."""
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
        ws.column_dimensions[letter].width = max(width, 14 if name in _DECISION_COLUMNS else 0)
        for (cell,) in ws.iter_rows(min_row=3, max_row=last_row, min_col=index, max_col=index):
            cell.alignment = wrap
            if name in _DECISION_COLUMNS:
                cell.fill = to_fill
        if name in _DECISION_COLUMNS:
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

    every = sorted({a for names in actors.values() for a in names})
    columns = [
        ("判断", list(DECISION_CHOICES)),
        ("类型", list(TYPE_CHOICES)),
        ("清单", list_ids),
        ("全部发出方/接收方", every),
    ]
    columns += [(list_id, names) for list_id, names in actors.items()]
    ranges: dict[str, str] = {}
    for k, (title, values) in enumerate(columns, start=1):
        letter = get_column_letter(k)
        options.cell(row=1, column=k, value=title)
        for r, value in enumerate(values, start=2):
            options.cell(row=r, column=k, value=value)
        ranges[title] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    position = {name: get_column_letter(k) for k, name in enumerate(REVIEW_COLUMNS, start=1)}
    first, last_data = 3, len(rows) + 2
    last = last_data + BLANK_ROWS

    def validate(source: str, cols: Sequence[str], top: int, bottom: int, title: str) -> None:
        if bottom < top:
            return
        dv = DataValidation(type="list", formula1=source, allow_blank=True)
        dv.error, dv.errorTitle = f"请从下拉列表中选择{title}", "不在列表中"
        dv.prompt, dv.promptTitle = f"请从下拉列表中选择{title}", title
        for column in cols:
            dv.add(f"{position[column]}{top}:{position[column]}{bottom}")
        ws.add_data_validation(dv)

    validate(ranges["判断"], ["decision"], first, last, "判断")
    validate(ranges["类型"], ["new_type"], first, last, "类型")
    validate(ranges["类型"], ["type"], last_data + 1, last, "类型")
    validate(ranges["清单"], ["list_id"], last_data + 1, last, "清单")
    for list_id in actors:  # each list's rows offer that list's actors
        where = rows.index[rows["list_id"] == list_id]
        for top, bottom in _runs(list(where + first)):
            validate(ranges[list_id], ["new_src", "new_dst"], top, bottom, "部门")
    blank_source = ranges[list_ids[0]] if len(list_ids) == 1 else ranges["全部发出方/接收方"]
    validate(blank_source, ["src", "dst", "new_src", "new_dst"], last_data + 1, last, "部门")


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
    if unresolved is None:
        _write_rows(ws, UNRESOLVED_COLUMNS, pd.DataFrame(columns=list(UNRESOLVED_COLUMNS)))
        ws.cell(
            row=3,
            column=1,
            value="（本版本的抽取不记录未解析的条款；漏掉的交接请在“交接复核”表末尾用“添加”补上。）",
        )
        return
    _write_rows(ws, {c: UNRESOLVED_COLUMNS[c] for c in unresolved.columns}, unresolved)


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
    ws.append(["dutygraph 交接复核表：填写说明"])
    ws.append(["清单", "、".join(lists["list_id"].astype(str))])
    ws.append(["导出时间 (UTC)", stamp])
    ws.append(["交接", f"{len(rows)} 条"])
    ws.append(["未解析条款", "未记录" if unresolved is None else f"{len(unresolved)} 条"])
    ws.append([])
    for number, line in enumerate(instructions(), start=1):
        ws.append([f"{number}.", line])
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
