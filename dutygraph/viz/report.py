"""One printable, offline HTML report of a selection of lists: what an analyst hands on.

:func:`render_report` returns a single HTML document with no external reference at all (its
Content-Security-Policy forbids one; CSS and scripts are inline, fonts are the system's):

1. a title naming the list(s) and town(s), and a table of contents;
2. the counts per list: categories, matters, department and town duties, handoffs by type
   (as reviewed), and how many handoffs analysts reviewed (``review.status``);
3. the lint findings that are warnings or errors (infos are counted, not listed);
4. each analyst question of ``dutygraph.export.QUESTIONS`` with its one-line explanation and
   its whole table (Chinese headings), each row flagged with how many unreviewed handoffs it
   rests on (``review.coverage``);
5. the overview diagram (``views.overview``), the same offline page ``dutygraph viz overview``
   writes, embedded as an ``<iframe srcdoc>`` so that its scripts and styles stay its own.

Every value is HTML-escaped (a duty holding ``<script>`` shows those characters). For
printing (Chromium or Edge "Print to PDF"), A4 landscape: table rows are never cut, headings
stay with their table, table headers repeat on each page, and the diagram gets a page of its
own. ``window.dutygraphReady`` turns true once the embedded diagram has laid itself out.

>>> _e('负责<script>alert("x")</script>')
'负责&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING

import pandas as pd

from ..export import EXPORT_HEADINGS, QUESTIONS, question_frames
from ..graphmodel.schema import HANDOFF_TYPES
from ..review.coverage import unreviewed_support
from ..review.reviewed import reviewed_handoffs, unapplied_corrections
from ..review.status import review_status
from .render import FONT_STACK
from .views import HANDOFF_STYLE, overview

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

__all__ = ["REPORT_CSS", "render_report"]

#: Columns that hold long text: they get the room, and wrap anywhere.
_TEXT_COLUMNS = frozenset(
    {"evidence", "feedback", "reason", "chain", "types", "message", "matter_list", "matter_name"}
)
#: Short names that read badly when broken over lines.
_KEY_COLUMNS = frozenset({"list_id", "town", "level", "severity", "code", "sent"})
#: Columns a question table drops when the report covers one list (the title names it).
_LIST_COLUMNS = ("list_id", "town")

REPORT_CSS = f"""
html {{ font-family: {FONT_STACK}; font-size: 14px; color: #1f2933; background: #fff; }}
body {{ margin: 0 auto; max-width: 1500px; padding: 16px 24px 40px; line-height: 1.5; }}
h1 {{ font-size: 22px; margin: 4px 0 4px; }}
h2 {{ font-size: 18px; margin: 28px 0 4px; padding-bottom: 3px; border-bottom: 2px solid #bcccdc; }}
.meta, .explain, .count, .empty {{ color: #52606d; margin: 2px 0 8px; }}
.explain {{ color: #1f2933; }}
nav ol {{ margin: 6px 0; padding-left: 22px; columns: 2; }}
nav a {{ color: #1f5fa8; text-decoration: none; }}
table {{ border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12.5px; }}
th, td {{ border: 1px solid #cbd2d9; padding: 3px 6px; vertical-align: top; text-align: left; }}
th {{ background: #e4ebf3; font-weight: 600; white-space: nowrap; }}
th small {{ display: block; font-weight: 400; color: #7b8794; font-size: 10.5px; }}
td {{ overflow-wrap: anywhere; }}
td.num, th.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
td.text {{ min-width: 14em; }}
td.key {{ white-space: nowrap; }}
tr:nth-child(even) td {{ background: #f8fafc; }}
tr.total td {{ font-weight: 600; background: #eef2f6; }}
.sev-error {{ color: #b42318; font-weight: 600; }}
.sev-warning {{ color: #a15c07; font-weight: 600; }}
.unreviewed {{ color: #a15c07; }}
.chip {{ display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px;
        vertical-align: baseline; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.diagram iframe {{ width: 100%; height: 82vh; min-height: 520px; border: 1px solid #cbd2d9; }}
footer {{ margin-top: 30px; color: #7b8794; font-size: 12px; }}
@page {{ size: A4 landscape; margin: 12mm 10mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 11px; }}
  nav {{ display: none; }}
  h2 {{ break-after: avoid; page-break-after: avoid; }}
  .explain, .count {{ break-after: avoid; page-break-after: avoid; }}
  table {{ font-size: 10px; }}
  thead {{ display: table-header-group; }}
  tr, td, th {{ break-inside: avoid; page-break-inside: avoid; }}
  tr:nth-child(even) td {{ background: none; }}
  section.diagram {{ break-before: page; page-break-before: always; break-inside: avoid; }}
  .diagram iframe {{ height: 150mm; min-height: 0; border: none; }}
  a {{ color: inherit; }}
  footer {{ display: none; }}
}}
"""

#: Sets ``window.dutygraphReady`` once the embedded diagram says it is ready (or has none).
_READY_JS = """
(function () {
  window.dutygraphReady = false;
  var frame = document.getElementById("dg-overview");
  if (!frame) { window.dutygraphReady = true; return; }
  function poll() {
    var inner = null;
    try { inner = frame.contentWindow; } catch (e) { inner = null; }
    if (!inner || inner.dutygraphReady === true) { window.dutygraphReady = true; return; }
    setTimeout(poll, 100);
  }
  poll();
})();
"""

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)


def _e(value: object) -> str:
    """A value as escaped HTML text ('' for missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html_lib.escape(str(value), quote=True)


def render_report(store: Store, list_ids: Sequence[str]) -> str:
    """The report of the chosen lists as one self-contained HTML string.

    Parameters
    ----------
    store : Store
    list_ids : sequence of str
        From ``store.resolve_lists``.

    Returns
    -------
    str
        Write it with ``viz.render.save_html`` (UTF-8).
    """
    from ..graphmodel.build import build_graph

    list_ids = list(list_ids)
    lists = store.table("lists", list_ids)
    towns = list(dict.fromkeys(lists["town"].astype(str)))
    graph = build_graph(store, list_ids)
    title = f"{'、'.join(towns)} · {'、'.join(list_ids)} · 分析报告"
    answers = question_frames(graph)
    handoffs = reviewed_handoffs(store, list_ids)

    sections = [
        ("counts", "概况", _counts_section(store, list_ids, lists, handoffs)),
        ("review", "人工复核", _review_section(store, list_ids)),
        (
            "findings",
            "清单检查：警告与错误",
            _findings_section(store.table("findings", list_ids), many=len(list_ids) > 1),
        ),
    ]
    for name, (heading, explanation, _) in QUESTIONS.items():
        frame = answers[name]
        frame = frame.assign(rests_on_unreviewed=unreviewed_support(frame, handoffs))
        resting = int((frame["rests_on_unreviewed"] > 0).sum())
        if len(list_ids) == 1:
            frame = frame.drop(columns=[c for c in _LIST_COLUMNS if c in frame.columns])
        body = (
            f'<p class="explain">{_e(explanation)}</p>'
            f'<p class="count">共 {len(frame)} 行（dutygraph query {_e(name)}）'
            + (
                f'；<span class="unreviewed">其中 {resting} 行依赖未经人工复核的交接</span>'
                "（“依赖未复核交接”列为条数，见 dutygraph review）"
                if resting
                else "；所依据的交接均已人工复核"
            )
            + "</p>"
            + _table(frame)
        )
        sections.append((name, heading, body))
    diagram = overview(graph)
    sections.append(
        (
            "overview",
            "总览图",
            (
                '<p class="explain">镇（街道）、嘎查村（社区）和部门之间的交接，'
                "按（发出方，接收方，类型）"
                "汇总；连线上的数字为交接数。屏幕上可缩放、悬停查看原文依据。</p>"
                f'<iframe id="dg-overview" title="{_e(title)} · 总览" '
                f'srcdoc="{html_lib.escape(diagram, quote=True)}"></iframe>'
            ),
        )
    )

    nav = "".join(f'<li><a href="#{key}">{_e(heading)}</a></li>' for key, heading, _ in sections)
    body = "\n".join(
        f'<section id="{key}" class="{"diagram" if key == "overview" else "part"}">'
        f"<h2>{_e(heading)}</h2>{content}</section>"
        for key, heading, content in sections
    )
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    meta = (
        f"清单：{_e('、'.join(list_ids))}　乡镇：{_e('、'.join(towns))}"
        f"　生成时间：{_e(stamp)} (UTC)"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="dutygraph {_e(_version())}">\n'
        f"<title>{_e(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="meta">{meta}</p></header>\n'
        f'<nav aria-label="目录"><ol>{nav}</ol></nav>\n{body}\n'
        f"<footer>dutygraph {_e(_version())}：由清单文本抽取，交接的依据原文见 dutygraph explain；"
        "各问题的列说明见 docs/queries.md。</footer>\n"
        f"<script>{_READY_JS}</script>\n</body>\n</html>\n"
    )


def _version() -> str:
    try:
        return metadata.version("dutygraph")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return ""


def _review_section(store: Store, list_ids: Sequence[str]) -> str:
    """Per list, how many handoffs analysts reviewed; the decisions that found no edge."""
    status = review_status(store, list_ids)
    unapplied = unapplied_corrections(store, list_ids)
    total, reviewed = int(status["extracted"].sum()), int(status["reviewed"].sum())
    text = (
        f'<p class="explain">机器抽取的 {total} 条交接中，{reviewed} 条已经人工复核'
        f"（确认、改正或否决），另有人工添加 {int(status['added'].sum())} 条。"
        "未复核的交接是机器的判断：依赖它们的答案在下文各表中标出。</p>"
    )
    text += _table(
        status.drop(columns=["unresolved"]) if status["unresolved"].isna().all() else status
    )
    if not unapplied.empty:
        text += (
            f'<p class="count unreviewed">{len(unapplied)} 条复核未能套用'
            "（依据原文已不在清单中等），未计入上面的图和表：</p>"
            + _table(unapplied.drop(columns=["decision", "reviewer", "decided_at", "reason"]))
        )
    return text


def _counts_section(
    store: Store, list_ids: Sequence[str], lists: pd.DataFrame, handoffs: pd.DataFrame
) -> str:
    categories = store.table("categories", list_ids)
    matters = store.table("matters", list_ids)
    duties = store.table("duties", list_ids)
    columns = ["清单", "乡镇", "类型", "类别", "事项", "部门职责", "镇职责", "交接"]
    type_heads = [
        f'<span class="chip" style="background:{HANDOFF_STYLE[t][1]}"></span>'
        f"{_e(HANDOFF_STYLE[t][0])}<small>{_e(t)}</small>"
        for t in HANDOFF_TYPES
    ]

    def count(frame: pd.DataFrame, list_id: str | None, **equal: str) -> int:
        mask = pd.Series(True, index=frame.index)
        if list_id is not None:
            mask &= frame["list_id"] == list_id
        for column, value in equal.items():
            mask &= frame[column] == value
        return int(mask.sum())

    def numbers(list_id: str | None) -> list[int]:
        return [
            count(categories, list_id),
            count(matters, list_id),
            count(duties, list_id, owner_kind="department"),
            count(duties, list_id, owner_kind="town"),
            count(handoffs, list_id),
            *(count(handoffs, list_id, type=t) for t in HANDOFF_TYPES),
        ]

    head = "".join(f"<th>{_e(c)}</th>" for c in columns[:3])
    head += "".join(f'<th class="num">{_e(c)}</th>' for c in columns[3:])
    head += "".join(f'<th class="num">{h}</th>' for h in type_heads)
    rows = []
    for row in lists.itertuples(index=False):
        cells = [row.list_id, row.town, row.kind]
        rows.append(_row(cells, numbers(str(row.list_id))))
    if len(lists) > 1:
        rows.append(_row(["合计", f"{lists['town'].nunique()} 个乡镇", ""], numbers(None), "total"))
    return (
        '<p class="explain">每份清单的类别、事项、职责（部门 / 镇）和抽取出的交接数，'
        "交接按类型分列。</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _row(texts: list[object], numbers: list[int], css: str = "") -> str:
    cells = "".join(f"<td>{_e(v)}</td>" for v in texts)
    cells += "".join(f'<td class="num">{n}</td>' for n in numbers)
    return f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>"


def _findings_section(findings: pd.DataFrame, *, many: bool) -> str:
    serious = findings[findings["severity"].isin(["error", "warning"])]
    infos = int((findings["severity"] == "info").sum())
    note = f"另有 {infos} 条提示（info）未列出，见 dutygraph lint。" if infos else ""
    if serious.empty:
        return f'<p class="empty">没有警告或错误。{_e(note)}</p>'
    order = serious.assign(_rank=serious["severity"].map({"error": 0, "warning": 1}))
    order = order.sort_values(["_rank", "list_id"], kind="stable").drop(columns="_rank")
    return (
        f'<p class="count">{len(serious)} 条（错误 {int((serious["severity"] == "error").sum())}，'
        f"警告 {int((serious['severity'] == 'warning').sum())}）。{_e(note)}</p>"
        + _table(order[(["list_id"] if many else []) + ["severity", "code", "where", "message"]])
    )


def _table(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table: Chinese heading over the English column name."""
    if frame.empty:
        return '<p class="empty">（无）</p>'
    columns = [str(c) for c in frame.columns]
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(frame[c])}

    def css(column: str) -> str:
        if column in numeric:
            return ' class="num"'
        if column in _KEY_COLUMNS:
            return ' class="key"'
        return ' class="text"' if column in _TEXT_COLUMNS else ""

    head = "".join(
        f"<th{css(c)}>{_e(EXPORT_HEADINGS.get(c, c))}<small>{_e(c)}</small></th>" for c in columns
    )
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(columns, row, strict=True):
            text = _e(value)
            if column == "severity":
                text = f'<span class="sev-{_e(value)}">{text}</span>'
            cells.append(f"<td{css(column)}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
