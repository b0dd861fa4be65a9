"""One printable, offline HTML report of a selection of lists: what an analyst hands on.

:func:`render_report` returns a single HTML document with no external reference at all (its
Content-Security-Policy forbids one; CSS and scripts are inline, fonts are the system's):

1. a title naming the list(s) and town(s), and a table of contents;
2. the counts per list: categories, matters, department and town duties, handoffs by type
   (as reviewed), and how many handoffs analysts reviewed (``review.status``);
3. the lint findings that are warnings or errors (infos are counted, not listed), and the
   handoff clauses extraction did not understand (``dutygraph handoffs --unresolved``);
4. each analyst question of ``dutygraph.export.report_questions()`` with its explanation and
   its whole table (headings, handoff types and kinds in the current language), each row
   flagged with how many unreviewed handoffs it rests on (``review.coverage``);
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

from ..export import COMPARE_MAX_LISTS, EXTRA_SHEETS, report_questions
from ..graphmodel.schema import HANDOFF_TYPES
from ..handoff_types import HandoffType
from ..i18n import current_language, heading, label, labelled
from ..i18n import gettext as _
from ..review.coverage import unreviewed_support
from ..review.reviewed import reviewed_handoffs, unapplied_corrections
from ..review.status import review_status
from .render import FONT_STACK
from .views import overview

if TYPE_CHECKING:  # pragma: no cover
    from ..diff import ListDiff
    from ..store import Store

__all__ = ["REPORT_CSS", "render_diff_report", "render_report"]

#: Columns that hold long text: they get the room, and wrap anywhere.
_TEXT_COLUMNS = frozenset(
    {
        "evidence",
        "feedback",
        "reason",
        "chain",
        "types",
        "message",
        "matter_list",
        "matter_name",
        "clause",
    }
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
    from ..answers import answers
    from ..graphmodel.build import build_graph
    from ..queries import tables_for

    list_ids = list(list_ids)
    lists = store.table("lists", list_ids)
    towns = list(dict.fromkeys(lists["town"].astype(str)))
    questions = report_questions()
    kept = answers(store, list_ids, [q.name for q in questions])  # kept by load, or computed
    graph = build_graph(store, list_ids, tables=tables_for(q.name for q in questions))
    title = _("{subject}: analysis report").format(subject=_subject(lists))
    handoffs = reviewed_handoffs(store, list_ids)

    sections = [
        ("counts", _("Overview in numbers"), _counts_section(store, list_ids, lists, handoffs)),
        ("review", _("Analyst review"), _review_section(store, list_ids)),
        (
            "findings",
            _("List check: warnings and errors"),
            _findings_section(store.table("findings", list_ids), many=len(list_ids) > 1),
        ),
        (
            "unresolved",
            _("Handoff clauses not understood"),
            _unresolved_section(store.table("unresolved", list_ids), many=len(list_ids) > 1),
        ),
    ]
    sections.append(("matter-links", _("Matters in two lists"), _links_section(store, list_ids)))
    from ..compare import comparable_lists

    if len(comparable_lists(store, list_ids)) > 1:
        sections.append(("compare", _("Comparing the towns"), _compare_section(store, list_ids)))
    for question in questions:
        name, question_title, explanation = question.name, question.title, question.explanation
        frame = kept[name]
        frame = frame.assign(rests_on_unreviewed=unreviewed_support(frame, handoffs))
        resting = int((frame["rests_on_unreviewed"] > 0).sum())
        if len(list_ids) == 1:
            frame = frame.drop(columns=[c for c in _LIST_COLUMNS if c in frame.columns])
        count = _("{rows} rows (dutygraph query {name})").format(rows=len(frame), name=name)
        body = (
            f'<p class="explain">{_e(_(explanation))}</p>'
            f'<p class="count">{_e(count)}'
            + (
                '<span class="unreviewed">'
                + _e(
                    _("; {rows} of them rest on handoffs no analyst has reviewed").format(
                        rows=resting
                    )
                )
                + "</span>"
                if resting
                else _e(_("; every handoff they rest on has been reviewed"))
                if len(frame)
                else ""  # no rows: nothing rests on anything
            )
            + "</p>"
            + _table(frame)
        )
        sections.append((name, _(question_title), body))
    diagram = overview(graph)
    explain = _(
        "Handoffs between the town, its villages and the departments, summed per (sender, "
        "receiver, type); the number on an edge counts its handoffs. On screen: zoom, and hover "
        "for the evidence."
    )
    sections.append(
        (
            "overview",
            _("Overview diagram"),
            (
                f'<p class="explain">{_e(explain)}</p>'
                f'<iframe id="dg-overview" title="{_e(title)}" '
                f'srcdoc="{html_lib.escape(diagram, quote=True)}"></iframe>'
            ),
        )
    )

    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    meta = _("Lists: {lists}　Towns: {towns}　Made: {stamp} (UTC)").format(
        lists="、".join(list_ids), towns="、".join(towns), stamp=stamp
    )
    return _page(title, meta, sections)


def render_diff_report(diff: ListDiff) -> str:
    """The changes between two versions of a list (``dutygraph.diff``) as one offline page."""
    title = _("{old} → {new}: what changed").format(old=diff.old_list, new=diff.new_list)
    sections = []
    for part in ("matters", "duties", "handoffs", "loops"):
        heading_text, explanation = EXTRA_SHEETS[f"diff-{part}"]
        frame = getattr(diff, part)
        body = f'<p class="explain">{_e(_(explanation))}</p>' + _table(frame)
        sections.append((part, _(heading_text), body))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    return _page(title, _("Made: {stamp} (UTC)").format(stamp=stamp), sections)


def _compare_section(store: Store, list_ids: Sequence[str]) -> str:
    """Towns side by side: gap rates, departments × towns, the matters not shared."""
    from ..compare import comparable_lists, compare_towns, department_matrix

    list_ids = comparable_lists(store, list_ids)
    if len(list_ids) > COMPARE_MAX_LISTS:
        note = _(
            "{count} lists: towns are compared side by side up to {limit} lists; compare a "
            "district at a time (dutygraph compare --district NAME)."
        ).format(count=len(list_ids), limit=COMPARE_MAX_LISTS)
        return f'<p class="explain">{_e(note)}</p>'
    comparison = compare_towns(store, list_ids)
    parts = (
        ("compare-towns", comparison.towns),
        ("compare-departments", department_matrix(comparison)),
        ("compare-unshared", comparison.unshared),
    )
    return "".join(
        f"<h3>{_e(_(EXTRA_SHEETS[name][0]))}</h3>"
        f'<p class="explain">{_e(_(EXTRA_SHEETS[name][1]))}</p>' + _table(frame)
        for name, frame in parts
    )


def _page(title: str, meta: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """The page: title, contents, the sections (key, heading, HTML), footer."""
    nav = "".join(f'<li><a href="#{key}">{_e(text)}</a></li>' for key, text, _c in sections)
    body = "\n".join(
        f'<section id="{key}" class="{"diagram" if key == "overview" else "part"}">'
        f"<h2>{_e(text)}</h2>{content}</section>"
        for key, text, content in sections
    )
    footer = _(
        "dutygraph {version}: extracted from the lists' text; the evidence of each handoff: "
        "dutygraph explain; the columns of each question: docs/queries.md."
    ).format(version=_version())
    lang = "zh-CN" if current_language() == "zh_CN" else "en"
    contents = _("Contents")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="dutygraph {_e(_version())}">\n'
        f"<title>{_e(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p></header>\n'
        f'<nav aria-label="{_e(contents)}"><ol>{nav}</ol></nav>\n{body}\n'
        f"<footer>{_e(footer)}</footer>\n"
        f"<script>{_READY_JS}</script>\n</body>\n</html>\n"
    )


def _links_section(store: Store, list_ids: Sequence[str]) -> str:
    """Matters a town lists in two of its lists of different kinds (基本, 配合, 收回), by name."""
    from ..browse import matter_links

    links = matter_links(store, list_ids)
    explain = _(
        "A matter a town lists in two of its lists (its own duties 基本, 配合, taken back 收回), "
        "matched by name: a matter taken back that is still in the 配合 list, or one of the "
        "town's own duties that is also 配合 work, is worth a look."
    )
    count = _("{rows} rows (dutygraph matters: column also_in)").format(rows=len(links))
    return f'<p class="explain">{_e(explain)}</p><p class="count">{_e(count)}</p>' + _table(links)


def _subject(lists: pd.DataFrame) -> str:
    """What the report covers: one list's own title (卜尔汉图镇配合履职事项清单, else its town
    and kind), or the towns and the number of lists."""
    if len(lists) == 1:
        row = lists.iloc[0]
        return str(row["title"]) if row["title"] else f"{row['town']}{row['kind']}"
    towns = "、".join(dict.fromkeys(lists["town"].astype(str)))
    return _("{towns}: {count} lists").format(towns=towns, count=len(lists))


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
    explain = _(
        "Of the {total} handoffs the machine extracted, analysts reviewed {reviewed} "
        "(confirmed, corrected or rejected) and added {added}. An unreviewed handoff is the "
        "machine's judgement: the answers that rest on one are flagged in the tables below."
    ).format(total=total, reviewed=reviewed, added=int(status["added"].sum()))
    text = f'<p class="explain">{_e(explain)}</p>'
    text += _table(
        status.drop(columns=["unresolved"]) if status["unresolved"].isna().all() else status
    )
    if not unapplied.empty:
        unused = _(
            "{count} decisions found no handoff (their clause is no longer in the list …) and "
            "are not applied:"
        ).format(count=len(unapplied))
        text += f'<p class="count unreviewed">{_e(unused)}</p>' + _table(
            unapplied.drop(columns=["decision", "reviewer", "decided_at", "reason"])
        )
    return text


def _counts_section(
    store: Store, list_ids: Sequence[str], lists: pd.DataFrame, handoffs: pd.DataFrame
) -> str:
    counts = list_counts(store, list_ids, handoffs=handoffs)
    columns = [
        heading("list_id"),
        heading("town"),
        heading("kind"),
        _("categories"),
        _("matters"),
        _("department duties"),
        _("town duties"),
        _("handoffs"),
    ]
    type_heads = [
        f'<span class="chip" style="background:{HandoffType(t).colour}"></span>'
        f"{_e(label('type', t))}<small>{_e(t)}</small>"
        for t in HANDOFF_TYPES
    ]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns[:3])
    head += "".join(f'<th class="num">{_e(c)}</th>' for c in columns[3:])
    head += "".join(f'<th class="num">{h}</th>' for h in type_heads)
    rows = []
    for row in lists.itertuples(index=False):
        cells = [row.list_id, row.town, row.kind]
        rows.append(_row(cells, counts.loc[str(row.list_id)].tolist()))
    if len(lists) > 1:
        towns = _("{count} towns").format(count=lists["town"].nunique())
        rows.append(_row([_("total"), towns, ""], counts.sum().tolist(), "total"))
    explain = _(
        "Each list's categories, matters, duties (departments' / the town's) and extracted "
        "handoffs, the handoffs by type."
    )
    return (
        f'<p class="explain">{_e(explain)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def list_counts(
    store: Store, list_ids: Sequence[str], *, handoffs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per list (the index, in ``list_ids`` order): categories, matters, department and town
    duties, handoffs, and the handoffs of each type (columns in that order, ints).

    ``handoffs``: the handoffs to count (the report passes the reviewed ones); default: the
    store's extracted handoffs.

    Each table is read once, with only the columns counted, and grouped once: linear in the
    rows, whatever the number of lists.
    """

    def grouped(table: str, by: str | None = None) -> pd.DataFrame:
        frame = store.table(table, list_ids, columns=["list_id", *([by] if by else [])])
        if by is None:
            return frame.groupby("list_id").size().to_frame(table)
        return frame.groupby(["list_id", by]).size().unstack(fill_value=0)

    duties = grouped("duties", "owner_kind")
    if handoffs is None:
        by_type = grouped("handoffs", "type")
    else:
        by_type = handoffs.groupby(["list_id", "type"]).size().unstack(fill_value=0)
    parts = [
        grouped("categories"),
        grouped("matters"),
        duties.reindex(columns=["department", "town"], fill_value=0),
        by_type.sum(axis=1).to_frame("handoffs"),
        by_type.reindex(columns=list(HANDOFF_TYPES), fill_value=0),
    ]
    counts = pd.concat(parts, axis=1).reindex(list(list_ids)).fillna(0).astype(int)
    counts.columns = [
        "categories",
        "matters",
        "department_duties",
        "town_duties",
        "handoffs",
        *HANDOFF_TYPES,
    ]
    return counts


def _row(texts: list[object], numbers: list[int], css: str = "") -> str:
    cells = "".join(f"<td>{_e(v)}</td>" for v in texts)
    cells += "".join(f'<td class="num">{n}</td>' for n in numbers)
    return f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>"


def _findings_section(findings: pd.DataFrame, *, many: bool) -> str:
    serious = findings[findings["severity"].isin(["error", "warning"])]
    infos = int((findings["severity"] == "info").sum())
    note = _("{count} infos not listed: see dutygraph lint.").format(count=infos) if infos else ""
    if serious.empty:
        none = _("No warnings or errors.")
        return f'<p class="empty">{_e(none)} {_e(note)}</p>'
    order = serious.assign(_rank=serious["severity"].map({"error": 0, "warning": 1}))
    order = order.sort_values(["_rank", "list_id"], kind="stable").drop(columns="_rank")
    count = _("{count} findings ({errors} errors, {warnings} warnings).").format(
        count=len(serious),
        errors=int((serious["severity"] == "error").sum()),
        warnings=int((serious["severity"] == "warning").sum()),
    )
    return f'<p class="count">{_e(count)} {_e(note)}</p>' + _table(
        order[(["list_id"] if many else []) + ["severity", "code", "where", "message"]]
    )


def _unresolved_section(unresolved: pd.DataFrame, *, many: bool) -> str:
    explain = _(
        "Clauses with a handoff verb whose receiver or type extraction could not tell: read "
        "them before trusting the answers above (dutygraph handoffs --unresolved)."
    )
    columns = (["list_id"] if many else []) + ["matter", "owner", "verb", "reason", "clause"]
    return f'<p class="explain">{_e(explain)}</p>' + _table(unresolved[columns])


def _table(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table: the heading over the English column name, codes as labels."""
    if frame.empty:
        none = _("(none)")
        return f'<p class="empty">{_e(none)}</p>'
    columns = [str(c) for c in frame.columns]
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(frame[c])}

    def css(column: str) -> str:
        if column in numeric:
            return ' class="num"'
        if column in _KEY_COLUMNS:
            return ' class="key"'
        return ' class="text"' if column in _TEXT_COLUMNS else ""

    head = "".join(f"<th{css(c)}>{_e(heading(c))}<small>{_e(c)}</small></th>" for c in columns)
    body = []
    for row, shown in zip(
        frame.itertuples(index=False, name=None),
        labelled(frame).itertuples(index=False, name=None),
        strict=True,
    ):
        cells = []
        for column, value, text_value in zip(columns, row, shown, strict=True):
            text = _e(text_value)
            if column == "severity":
                text = f'<span class="sev-{_e(value)}">{text}</span>'
            cells.append(f"<td{css(column)}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
