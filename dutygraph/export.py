"""What analysts hand on: an Excel workbook, GraphML and GEXF for Gephi, a Cypher script.

Library functions only: each writes one file and returns its path (nothing is printed); an
unwritable path is an :class:`~dutygraph.errors.ExportError` that names it. The HTML report is
``dutygraph.viz.report``. What each file holds and how to open it: docs/export.md.

- :func:`export_workbook` (store, list ids, path): one ``.xlsx``, a sheet per table and per
  analyst question, tabs and headings in the current language. Row 1 holds the headings, row 2
  the stable English column names (``pandas.read_excel(path, sheet_name=sheet_title("duties"),
  header=1)`` reads them back as the CSV
  output names them), the two rows are frozen and row 2 carries the autofilter.
- :func:`export_graph` (graph, path, ``"graphml"`` or ``"gexf"``): the networkx graph with
  every value made one of the types both formats hold (see :func:`portable_graph`).
- :func:`export_cypher` (graph, path): idempotent ``MERGE`` statements, one per line, that
  recreate the graph in Neo4j 5 (``cypher-shell -f``) or FalkorDB; the same Cypher as
  ``neo4j_backend.push`` with its ``$rows`` written out as literals.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> P = portable_graph(G)
>>> P.nodes["dept:区民政局"]["label"], P.nodes["dept:区民政局"]["node_type"]
('区民政局', 'Department')
>>> print(cypher_literal("it's a `{x}`\\\\n"))
'it\\'s a `{x}`\\\\n'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from .errors import ExportError
from .formatting import display_width
from .i18n import N_, current_language, heading, labelled
from .i18n import gettext as _
from .safe_io import atomic_write, write_text
from .tables import TABLE_COLUMNS
from .values import plain

if TYPE_CHECKING:  # pragma: no cover
    from .diff import ListDiff
    from .queries import Question
    from .store import Store

__all__ = [
    "ANSWER_SHEETS",
    "COMPARE_MAX_LISTS",
    "CYPHER_BATCH_SIZE",
    "GRAPH_FORMATS",
    "TABLE_SHEETS",
    "cypher_literal",
    "cypher_statements",
    "export_cypher",
    "export_graph",
    "export_diff_workbook",
    "export_workbook",
    "write_answer",
    "write_workbook",
    "portable_graph",
    "question_frames",
    "report_questions",
    "sheet_title",
    "write_text",
]

GRAPH_FORMATS: tuple[str, ...] = ("graphml", "gexf")

#: The store tables a workbook holds, in sheet order, with the sheet's title (translated where
#: it is shown: the sheet tab, the 说明 sheet, the report).
TABLE_SHEETS: dict[str, str] = {
    "lists": N_("Lists"),
    "categories": N_("Categories"),
    "matters": N_("Matters"),
    "matter_departments": N_("Lead departments"),
    "duties": N_("Duties"),
    "guarantees": N_("Guarantees"),
    "handoffs": N_("Handoffs (who to whom)"),
    "unresolved": N_("Handoff clauses not understood"),
    "findings": N_("Lint findings"),
}


#: Sheets after the tables and questions: the matters a town lists in two of its lists (when
#: there are any), a comparison of towns (a workbook of two lists or more) and a diff:
#: name -> (tab, what it holds).
EXTRA_SHEETS: dict[str, tuple[str, str]] = {
    "matter-links": (
        N_("Matters in two lists"),
        N_("Matters a town's other lists (基本, 配合, 收回) hold too, matched by name."),
    ),
    "compare-towns": (
        N_("Towns compared"),
        N_("Per town: matters, handoffs, what it sends up and how much comes back (gap rate)."),
    ),
    "compare-departments": (
        N_("Departments × towns"),
        N_(
            "Per department (and the body it belongs to) and town: matters led, handoffs, "
            "feedback gaps, escalations."
        ),
    ),
    "compare-matters": (
        N_("Matters matched"),
        N_(
            "Each town's matters, grouped with the matching matters of the other towns (by "
            "name; the score is the similarity)."
        ),
    ),
    "compare-unshared": (
        N_("Matters not shared"),
        N_("Matters some towns have and others lack, with the towns that lack them."),
    ),
    "diff-matters": (
        N_("Matters changed"),
        N_("Matters added, removed, renamed (with the score) or changed between the versions."),
    ),
    "diff-duties": (
        N_("Duties changed"),
        N_("Duties added, removed or changed; the change marked [-removed-]{+added+}."),
    ),
    "diff-handoffs": (
        N_("Handoffs gained and lost"),
        N_("Handoffs gained and lost, and the feedback loop each closes or opens."),
    ),
    "diff-loops": (
        N_("Feedback loops"),
        N_("(matter, department) feedback loops that close or open between the versions."),
    ),
}


def report_questions() -> list[Question]:
    """The questions the workbook and the report answer (those that need no argument), in
    report order (``dutygraph.queries.QUESTIONS``)."""
    from .queries import QUESTIONS

    return [question for question in QUESTIONS.values() if question.in_reports]


def question_frames(G: nx.MultiDiGraph) -> dict[str, pd.DataFrame]:
    """Each question of :func:`report_questions` answered on ``G``, with the CLI's defaults."""
    return {question.name: question.answer(G) for question in report_questions()}


# -- writing files ------------------------------------------------------------------------------
def write_file(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Write atomically (``safe_io.atomic_write``): a failure leaves no half-written file."""
    return atomic_write(path, write)


# -- workbook -----------------------------------------------------------------------------------
#: The most lists the workbook and the report compare side by side (a district's towns, a
#: few districts'): past that every matter lacks in hundreds of towns, and the comparison sheets
#: would hold more than anyone reads (``dutygraph compare --district`` compares one district).
COMPARE_MAX_LISTS = 60
#: Excel's limits: rows per sheet, characters per cell.
_EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_CELL = 32_767
#: Column width (Excel units, about one latin character; a Chinese character takes two) past
#: which a column wraps its text instead of growing.
_MAX_WIDTH = 60
_MIN_WIDTH = 6
#: Rows looked at to size a column (a whole province's duties need not be measured).
_WIDTH_SAMPLE = 500


def export_workbook(store: Store, list_ids: Sequence[str], path: str | Path) -> Path:
    """Write one ``.xlsx`` of the chosen lists: their tables and the analysts' questions.

    Sheets, in order: ``说明`` (what was exported, when, and one line per sheet), one sheet per
    table of :data:`TABLE_SHEETS` (the store's rows of these lists), one per question of
    :func:`report_questions` (answered on the lists' graph with the CLI's default options)
    then, when a town's lists share matters (基本/配合/收回), ``matter-links``
    (``browse.matter_links``) and, for two lists or more, the comparison of their towns
    (``compare-*`` of
    :data:`EXTRA_SHEETS`); each tab is the sheet's title in the current language
    (:func:`sheet_title`).

    On every data sheet row 1 holds the headings in the current language (Chinese by
    default; ``vocab/headings.csv``), codes read as labels (上报, 业务指导 …), and row 2
    the English column names of the CSV output; both rows are frozen, row 2 carries the
    autofilter, columns are as wide as their Chinese text (long text wraps at about 30
    characters). Text that starts with ``=`` stays text (never a formula); characters Excel
    cannot store (control characters) are dropped.

    Parameters
    ----------
    store : Store
    list_ids : sequence of str
        List ids, e.g. from ``store.resolve_lists``.
    path : str or Path
        The ``.xlsx`` to write (its folder is created).

    Returns
    -------
    Path

    Raises
    ------
    ExportError
        The path cannot be written, or a sheet would exceed Excel's 1,048,576 rows.
    """
    from .answers import answers
    from .browse import matter_links
    from .review.reviewed import REVIEW_SHOWN_COLUMNS, reviewed_handoffs

    list_ids = list(list_ids)
    sheets: dict[str, tuple[str, str, pd.DataFrame]] = {}
    for table in TABLE_SHEETS:
        explanation = _("table {table}: one row per record").format(table=table)
        if table == "handoffs":  # as the analysts reviewed them, with their status
            frame = reviewed_handoffs(store, list_ids)
            frame = frame[[*TABLE_COLUMNS[table], *REVIEW_SHOWN_COLUMNS]]
        else:
            frame = store.table(table, list_ids)
        sheets[table] = (sheet_title(table), explanation, frame)
    questions = report_questions()
    kept = answers(store, list_ids, [q.name for q in questions])  # kept by load, or computed
    for question in questions:
        answer = kept[question.name]
        sheets[question.name] = (sheet_title(question.name), _(question.explanation), answer)
    links = matter_links(store, list_ids)
    if len(links):
        sheets["matter-links"] = _extra_sheet("matter-links", links)
    from .compare import comparable_lists, compare_towns

    if 1 < len(comparable_lists(store, list_ids)) <= COMPARE_MAX_LISTS:
        comparison = compare_towns(store, list_ids)
        for part in ("towns", "departments", "matters", "unshared"):
            sheets[f"compare-{part}"] = _extra_sheet(f"compare-{part}", getattr(comparison, part))
    return write_workbook(sheets, store.table("lists", list_ids), path)


def export_diff_workbook(diff: ListDiff, lists: pd.DataFrame, path: str | Path) -> Path:
    """Write the parts of a diff (``dutygraph.diff``) as one ``.xlsx``, laid out as
    :func:`export_workbook` lays out its sheets; ``lists`` holds the two versions' rows."""
    sheets = {
        f"diff-{part}": _extra_sheet(f"diff-{part}", getattr(diff, part))
        for part in ("matters", "duties", "handoffs", "loops")
    }
    return write_workbook(sheets, lists, path)


def _extra_sheet(name: str, frame: pd.DataFrame) -> tuple[str, str, pd.DataFrame]:
    return (sheet_title(name), _(EXTRA_SHEETS[name][1]), frame)


def write_workbook(
    sheets: Mapping[str, tuple[str, str, pd.DataFrame]], lists: pd.DataFrame, path: str | Path
) -> Path:
    """Write ``sheets`` (name -> (tab, what it holds, rows)) after an About sheet on ``lists``.

    Raises
    ------
    ExportError
        The path cannot be written, or a sheet would exceed Excel's 1,048,576 rows.
    """
    from openpyxl import Workbook

    for name, (_title, _text, frame) in sheets.items():
        _check_rows(name, frame)

    # write-only: each row goes to disk as it is appended (a province's duties sheet is close
    # to a million rows; a workbook held cell by cell in memory took gigabytes)
    book = Workbook(write_only=True)
    _about_sheet(book.create_sheet(_("About")), lists, sheets)
    for name, (title, _text, frame) in sheets.items():
        _data_sheet(book.create_sheet(title), frame, name)
    return _save(book, path)


def write_answer(parts: Sequence[tuple[str, str | None, pd.DataFrame]], path: str | Path) -> Path:
    """Write what a command printed as rows to ``path``, in the format its suffix names
    (``formatting.FILE_FORMATS``): each part is (name, title, rows).

    - ``.xlsx``: a sheet per part, its tab the title (or the sheet title of the table or
      question ``name``), laid out as the workbook's sheets: headings in the current language
      in row 1, the English column names in row 2, columns as wide as their text.
    - ``.csv``: UTF-8 with a byte-order mark (Excel on Chinese Windows reads it as UTF-8), the
      English column names and codes, cells that would start a formula neutralised
      (``formatting.csv_safe``); one part only.
    - ``.json``: a list of records, English names and codes; one part only.
    - ``.md``: a Markdown table per part (under a ``##`` title when there are several),
      headings and labels in the current language.

    Written atomically (``safe_io.atomic_write``).

    Raises
    ------
    ExportError
        An unknown suffix, several parts for a CSV or JSON file, a sheet too large for Excel,
        or the path cannot be written.
    """
    from .formatting import file_format, markdown, render

    kind = file_format(path)
    if kind in ("csv", "json") and len(parts) != 1:
        raise ExportError(
            _(
                "{path}: a {kind} file holds one table, and this command gives {count}; write "
                ".xlsx or .md, or ask for one (compare and diff: --show)"
            ).format(path=path, kind=kind.upper(), count=len(parts))
        )
    if kind == "xlsx":
        return _write_answer_workbook(parts, path)
    if kind == "csv":
        return write_text("\ufeff" + render(parts[0][2], "csv") + "\n", path)
    if kind == "json":
        return write_text(render(parts[0][2], "json") + "\n", path)
    if len(parts) == 1 and parts[0][1] is None:
        return write_text(markdown(parts[0][2]) + "\n", path)
    sections = [
        f"## {_answer_title(name, title)}\n\n{markdown(frame)}" for name, title, frame in parts
    ]
    return write_text("\n\n".join(sections) + "\n", path)


#: The tab of an answer (``-o FILE.xlsx``) of a command whose rows are no table of the store
#: and no question: the command's name -> its tab.
ANSWER_SHEETS: dict[str, str] = {
    "lint": N_("Lint findings"),
    "departments": N_("Departments"),
    "evaluate": N_("Extraction scores"),
    "status": N_("Review status"),
    "push": N_("Counts on the server"),
    "cypher": N_("Cypher rows"),
}


def _answer_title(name: str, title: str | None) -> str:
    """A part's title, else the tab of the table, question or command ``name``."""
    if title:
        return title
    if name in ANSWER_SHEETS:
        return _(ANSWER_SHEETS[name])
    try:
        return sheet_title(name)
    except KeyError:
        return name


def _write_answer_workbook(
    parts: Sequence[tuple[str, str | None, pd.DataFrame]], path: str | Path
) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    for name, title, frame in parts:
        _check_rows(name, frame)
        tab = _tab_name(_answer_title(name, title), used)
        used.add(tab)
        _data_sheet(book.create_sheet(tab), frame, name)
    return _save(book, path)


def _save(book: Any, path: str | Path) -> Path:
    """Save a write-only workbook atomically; when that fails, its sheets are closed (their rows
    wait in temporary files, which openpyxl removes at exit) before the error goes on."""
    try:
        return write_file(path, lambda target: book.save(target))
    except BaseException:
        for sheet in book.worksheets:
            with suppress(Exception):
                sheet.close()
        raise


def _tab_name(title: str, used: set[str]) -> str:
    """A sheet tab Excel accepts: none of ``[]:*?/\\``, at most 31 characters, not used yet."""
    base = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:31] or "Sheet"
    tab, number = base, 1
    while tab in used:
        number += 1
        tab = f"{base[: 31 - len(str(number)) - 1]}-{number}"
    return tab


def _check_rows(name: str, frame: pd.DataFrame) -> None:
    if len(frame) + 2 > _EXCEL_MAX_ROWS:
        raise ExportError(
            _(
                "sheet {name} would have {rows} rows, more than Excel's {limit}; export "
                "fewer lists (--list) or use the store itself"
            ).format(name=name, rows=len(frame), limit=_EXCEL_MAX_ROWS - 2)
        )


def _about_sheet(
    ws: Any, lists: pd.DataFrame, sheets: Mapping[str, tuple[str, str, pd.DataFrame]]
) -> None:
    from openpyxl.styles import Alignment, Font

    towns = "、".join(dict.fromkeys(lists["town"].astype(str))) if len(lists) else ""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines: list[tuple[object, ...]] = [
        (_("dutygraph export: township duty lists (乡镇（街道）履行职责事项清单)"),),
        (heading("list_id"), "、".join(lists["list_id"].astype(str))),
        (heading("town"), towns),
        (_("Exported at (UTC)"), stamp),
        (
            _("How to read"),
            _(
                "Row 1 of every sheet holds the headings, row 2 the English column names (as in "
                "the CSV output; pandas: read_excel(file, sheet_name=tab, header=1))."
            ),
        ),
        (),
        (_("Sheet"), _("Name"), _("Rows"), _("What it holds")),
    ]
    lines += [(title, name, len(frame), text) for name, (title, text, frame) in sheets.items()]
    for letter, width in zip("ABCD", (20, 24, 8, 90), strict=True):
        ws.column_dimensions[letter].width = width
    top = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(lines, start=1):
        style: dict[str, Any] = {}
        if number == 1:
            style["font"] = Font(bold=True, size=14)
        else:
            style["alignment"] = top
            if number == 7:
                style["font"] = Font(bold=True)
        ws.append([_styled(ws, cell_value(v), **style) for v in row])


def _styled(ws: Any, value: object, **style: Any) -> Any:
    """A cell of a write-only sheet with a style (font, fill, alignment)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    for name, given in style.items():
        setattr(cell, name, given)
    return cell


def sheet_title(name: str) -> str:
    """The tab of a table's or a question's sheet, in the current language (at most 31
    characters, Excel's limit).

    >>> sheet_title("handoffs"), sheet_title("feedback-gaps")
    ('交接（谁交给谁）', '反馈缺口')
    """
    from .queries import QUESTIONS

    if name in EXTRA_SHEETS:
        return _(EXTRA_SHEETS[name][0])[:31]
    title = TABLE_SHEETS[name] if name in TABLE_SHEETS else QUESTIONS[name].title
    return _(title)[:31]


def _data_sheet(ws: Any, frame: pd.DataFrame, table: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in frame.columns]
    headings = [heading(c, table) for c in columns]
    widths = [
        column_width(headings[index], column, frame.iloc[:, index])
        for index, column in enumerate(columns)
    ]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    if columns:
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A2:{last}{max(2, len(frame) + 2)}"
    head = {
        "font": Font(bold=True),
        "fill": PatternFill("solid", fgColor="DDE6F0"),
        "alignment": Alignment(vertical="center", wrap_text=True),
    }
    ws.append([_styled(ws, h, **head) for h in headings])
    grey = Font(italic=True, color="666666", size=9)
    ws.append([_styled(ws, c, font=grey) for c in columns])
    wrap = Alignment(vertical="top", wrap_text=True)
    wrapped = [width >= _MAX_WIDTH for width in widths]
    for row in labelled(frame).itertuples(index=False, name=None):
        cells: list[Any] = []
        for value, long in zip(row, wrapped, strict=True):
            value = cell_value(value)
            # openpyxl takes a string that starts with "=" for a formula: text must stay text
            if long or (isinstance(value, str) and value.startswith("=")):
                cell = _styled(ws, value, **({"alignment": wrap} if long else {}))
                if cell.data_type == "f":
                    cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)


def column_width(heading: str, name: str, values: pd.Series) -> float:
    sample = values.head(_WIDTH_SAMPLE)
    cjk = current_language() == "zh_CN"  # Excel's Chinese fonts draw “ ” — … two columns wide
    widest = max(
        [display_width(heading, cjk=cjk), display_width(name, cjk=cjk)]
        + [display_width(str(v), cjk=cjk) for v in sample if cell_value(v) is not None]
    )
    return float(min(_MAX_WIDTH, max(_MIN_WIDTH, widest + 2)))


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_value(value: object) -> object:
    """A value as openpyxl stores it: None for missing, Python scalars, clean bounded text."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return value
    text = _ILLEGAL_XML.sub("", str(value))
    return text[:_EXCEL_MAX_CELL]


# -- GraphML and GEXF ---------------------------------------------------------------------------
def portable_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a dutygraph graph whose every value GraphML and GEXF can hold, for Gephi.

    - Nodes: ``label`` is the readable name (Gephi shows it), ``node_type`` the schema label
      (``Matter``, ``Department`` …); the other properties are kept.
    - Edges: ``label`` and ``rel_type`` are the relationship type (``REPORTS_TO``); the edge
      key (the handoff id) stays the key. ``start``/``end`` (evidence offsets) become
      ``evidence_start``/``evidence_end``: GEXF reads ``start``, ``end`` and ``type`` as time
      spells and edge direction, not as data.
    - Values: None and NaN are dropped, numpy scalars become Python ones, lists and tuples
      become ``, ``-joined text and mappings JSON text; an attribute whose values mix types
      (``1`` here, ``"1a"`` there) is written as text everywhere, since both formats declare
      one type per attribute. Characters XML cannot hold (control characters) are removed and
      line ends become ``\\n`` (XML readers turn ``\\r\\n`` into ``\\n`` anyway).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Town", name="示例镇", tags=["x", "y"], gone=None, n=1)
    >>> G.add_node("b", label="Town", name="乙镇", n="2a")
    >>> _ = G.add_edge("a", "b", key="k", type="REFERS_TO", start=3)
    >>> P = portable_graph(G)
    >>> P.nodes["a"]
    {'label': '示例镇', 'node_type': 'Town', 'name': '示例镇', 'tags': 'x, y', 'n': '1'}
    >>> P.edges["a", "b", "k"]
    {'label': 'REFERS_TO', 'rel_type': 'REFERS_TO', 'evidence_start': 3}
    """
    out = nx.MultiDiGraph()
    out.graph.update(_clean_attrs(graph.graph))
    out.graph.setdefault("generator", "dutygraph")
    for node, data in graph.nodes(data=True):
        attrs = {
            "label": _xml_text(str(data.get("name", node))),
            "node_type": _xml_text(str(data.get("label", ""))),
        }
        attrs.update(_clean_attrs({k: v for k, v in data.items() if k != "label"}))
        out.add_node(_xml_text(str(node)), **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        rel = _xml_text(str(data.get("type", "")))
        attrs = {"label": rel, "rel_type": rel}
        renamed = {_EDGE_RENAMES.get(k, k): val for k, val in data.items() if k != "type"}
        attrs.update(_clean_attrs(renamed))
        out.add_edge(_xml_text(str(u)), _xml_text(str(v)), key=_xml_text(str(key)), **attrs)
    _unify_types(out.nodes(data=True))
    _unify_types((data for *_, data in out.edges(data=True)), with_data=False)
    return out


_EDGE_RENAMES = {"start": "evidence_start", "end": "evidence_end", "id": "edge_id"}


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold as it is: control characters removed, line ends as ``\\n``
    (an XML reader turns ``\\r\\n`` and ``\\r`` into ``\\n`` anyway)."""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _clean_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in data.items():
        value = _portable_value(value)
        if value is not None:
            clean[_xml_text(str(name))] = value
    return clean


def _portable_value(value: Any) -> Any:
    value = plain(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [_portable_value(v) for v in value]
        return _xml_text(", ".join(str(p) for p in parts if p is not None))
    if isinstance(value, Mapping):
        return _xml_text(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))
    return _xml_text(str(value))


def _unify_types(items: Any, *, with_data: bool = True) -> None:
    """Make every attribute one type across nodes (or edges): text where the types mix."""
    records = [data for _, data in items] if with_data else list(items)
    kinds: dict[str, set[type]] = {}
    for data in records:
        for name, value in data.items():
            kinds.setdefault(name, set()).add(type(value))
    mixed = {name for name, types in kinds.items() if len(types) > 1}
    for data in records:
        for name in mixed & data.keys():
            value = data[name]
            data[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def export_graph(graph: nx.MultiDiGraph, path: str | Path, fmt: str) -> Path:
    """Write the graph as GraphML or GEXF (both open in Gephi, yEd, Cytoscape, networkx).

    The graph written is :func:`portable_graph` of ``graph``: node ``label`` the name,
    ``node_type`` the schema label; edge ``label``/``rel_type`` the relationship type.

    Raises
    ------
    ExportError
        An unknown format, or a path that cannot be written.
    """
    if fmt not in GRAPH_FORMATS:
        raise ExportError(
            f"unknown graph format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}"
        )
    portable = portable_graph(graph)
    if fmt == "graphml":
        return write_file(path, lambda target: nx.write_graphml(portable, target, encoding="utf-8"))
    return write_file(path, lambda target: nx.write_gexf(portable, target, encoding="utf-8"))


# -- Cypher script ------------------------------------------------------------------------------
#: Rows per UNWIND statement of the script (one line each; 200 duties make about 60 kB).
CYPHER_BATCH_SIZE = 200

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_STRING_SPECIALS = re.compile("[\\\\'\n\r\t\b\f]")


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal that Neo4j 5 and FalkorDB read back unchanged.

    Strings are single-quoted with ``\\\\``, ``\\'``, ``\\n``, ``\\r``, ``\\t``, ``\\b`` and
    ``\\f`` escaped (the escapes both servers know; FalkorDB has no ``\\uXXXX``), so a
    statement never spans two lines; backticks, braces, ``;`` and ``//`` need no escape inside
    a string. Map keys are always backtick-quoted (a key may be a keyword such as ``end``).

    >>> cypher_literal({"name": "区\\n民政局", "end": 3, "ok": True, "tags": ["a", None]})
    "{`name`: '区\\\\n民政局', `end`: 3, `ok`: true, `tags`: ['a', null]}"

    Raises
    ------
    ValueError
        Infinity, or a value of a type Cypher has no literal for.
    """
    value = plain(value)  # numpy scalars unwrapped, NaN as None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            raise ValueError("Cypher has no literal for infinity")
        return repr(value)
    if isinstance(value, str):
        return "'" + _STRING_SPECIALS.sub(lambda m: _STRING_ESCAPES[m.group()], value) + "'"
    if isinstance(value, Mapping):
        items = (f"{_cypher_key(str(k))}: {cypher_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise ValueError(f"no Cypher literal for a {type(value).__name__}: {value!r}")


def _cypher_key(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def cypher_statements(
    graph: nx.MultiDiGraph, *, batch_size: int = CYPHER_BATCH_SIZE
) -> Iterator[str]:
    """The statements of the script, each one line without its ``;``.

    Nodes first (per label), then relationships (per type and end labels): the batches of
    ``neo4j_backend.push``, each its ``UNWIND $rows AS row MERGE …`` with ``$rows`` written out
    as a list literal. Labels and types come only from the schema enums (the backend checks
    them); MERGE on the node id and on the relationship's ``key`` makes every statement
    idempotent, so the script run twice, or after a push, changes nothing.
    """
    # The backend builds the rows and the Cypher of a push; the script is that push written
    # out, so the two cannot drift apart.
    from .graphmodel.neo4j_backend import batches

    for batch in batches(graph, batch_size):
        if "$rows" not in batch.cypher:  # pragma: no cover - a change in the backend
            raise RuntimeError(f"unexpected push Cypher without $rows: {batch.cypher}")
        # A None property is dropped (SET += null would only remove it again).
        rows = [
            {**row, "props": {k: v for k, v in row["props"].items() if v is not None}}
            for row in batch.rows
        ]
        yield batch.cypher.replace("$rows", cypher_literal(rows), 1)


def _neo4j_constraints() -> list[str]:
    """The backend's Neo4j 5 DDL (``ensure_schema`` on Neo4j), one statement per label."""
    from .graphmodel.neo4j_backend import unique_id_ddl
    from .graphmodel.schema import NodeLabel

    return [unique_id_ddl(label) for label in NodeLabel]


def export_cypher(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    constraints: bool = False,
    batch_size: int = CYPHER_BATCH_SIZE,
) -> Path:
    """Write a ``.cypher`` script that recreates ``graph`` in Neo4j 5 or FalkorDB.

    One statement per line, each ending in ``;`` (``cypher-shell -f FILE`` runs it; any Bolt
    client can run it line by line); ``//`` lines are comments. See :func:`cypher_statements`.

    Parameters
    ----------
    constraints : bool
        Start with Neo4j 5's ``CREATE CONSTRAINT … IF NOT EXISTS`` on each label's ``id``
        (worth it for a large graph: MERGE then finds nodes by index). FalkorDB has no such
        statement, so without this flag the script runs on both servers; the constraints are
        then listed as comments.

    Raises
    ------
    ExportError
        The path cannot be written.
    ValueError
        The graph breaks the schema (an unknown label or type, a non-scalar property).
    """
    ddl = _neo4j_constraints()
    head = [
        "// dutygraph: the handoff graph as idempotent Cypher (MERGE on node ids and edge keys).",
        (
            f"// {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships; "
            f"written {datetime.now(UTC).isoformat(timespec='seconds')}."
        ),
        "// Neo4j 5: cypher-shell -a bolt://HOST:7687 -u neo4j -p PASSWORD -d DATABASE -f FILE",
        "// FalkorDB or any Bolt client: run each non-comment line as one statement.",
    ]
    if constraints:
        head += ["// Neo4j 5 only: a uniqueness constraint (and index) on id per label."]
        head += [statement + ";" for statement in ddl]
    else:
        head += ["// On Neo4j 5, for a large graph, run these first (not on FalkorDB):"]
        head += [f"//   {statement};" for statement in ddl]
    statements = [statement + ";" for statement in cypher_statements(graph, batch_size=batch_size)]

    return write_text("".join(line + "\n" for line in [*head, *statements]), path)
