"""Rendering DataFrames as text: a table aligned for Chinese text, CSV, JSON and Markdown, and
the safety of what is shown (``terminal_safe``, ``csv_safe``, ``redact_credentials``).

Table headings come from ``vocab/headings.csv`` and codes are shown as labels
(``vocab/labels.csv``), both in the current language (``dutygraph.i18n``).

The CLI prints through it, ``export`` writes answer files (``-o``) with it and measures
Chinese text for column widths, and the Neo4j backend redacts passwords with it; library
functions return DataFrames and never format.

>>> import pandas as pd
>>> print(render(pd.DataFrame({"number": [1], "name": ["征兵工作"]}), "table",
...              headings={"number": "序号", "name": "事项名称"}))
序号  事项名称
----  --------
1     征兵工作
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module for --help; pandas comes with the frames
    import pandas as pd

from .errors import ExportError
from .i18n import column_fit, gettext, heading, labelled
from .values import is_missing, plain

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "ambiguous_wide",
    "csv_safe",
    "display_width",
    "file_format",
    "fit_table",
    "fit_widths",
    "markdown",
    "redact_credentials",
    "render",
    "terminal_safe",
    "wrap_text",
]

FORMATS = ("table", "csv", "json")
#: What ``-o FILE`` writes, by the file's suffix (``dutygraph.export.write_answer``).
FILE_FORMATS: dict[str, str] = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "md"}


def file_format(path: str | os.PathLike[str]) -> str:
    """The format of :data:`FILE_FORMATS` a file's suffix names (any case).

    >>> file_format("答复.XLSX")
    'xlsx'

    Raises
    ------
    ExportError
        The suffix names none.
    """
    kind = FILE_FORMATS.get(os.path.splitext(path)[1].lower())
    if kind is None:
        raise ExportError(
            gettext(
                "{path}: cannot tell what to write from its suffix; use one of {suffixes}"
            ).format(path=path, suffixes=", ".join(FILE_FORMATS))
        )
    return kind


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts an ANSI
#: sequence), DEL, and the bidirectional marks, embeddings, overrides and isolates.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def csv_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text that starts like a formula gets a leading
    apostrophe; numbers (and everything not text) stay as they are.

    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-1+2"), csv_safe(-1), csv_safe("区民政局")
    ("'=HYPERLINK(1)", "'-1+2", -1, '区民政局')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def redact_credentials(text: str) -> str:
    """Text with the password of any ``scheme://user:password@host`` in it hidden.

    >>> redact_credentials("cannot reach bolt://neo4j:s3cret@db:7687 (refused)")
    'cannot reach bolt://neo4j:***@db:7687 (refused)'
    """
    return re.sub(r"(?<=://)([^/@\s:]*):[^/@\s]*@", r"\1:***@", text)


def terminal_safe(text: str) -> str:
    """Text as one terminal line that shows what it holds: tabs and line breaks as spaces, and
    every control character or bidi override as a visible escape (``\\x1b``, ``\\u202e``).

    >>> terminal_safe("a\\x1b[31mb\\u202ec\\nd")
    'a\\\\x1b[31mb\\\\u202ec d'
    """
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _TERMINAL_UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


def ambiguous_wide() -> bool:
    """Whether "ambiguous" characters (“ ” — …) take two terminal columns: only with
    ``$DUTYGRAPH_AMBIWIDTH=2`` (the Chinese Windows console, conhost, draws them wide). By
    default one, as the terminals analysts use draw them (GNOME Terminal, macOS Terminal,
    VS Code, Windows Terminal, in any language).

    >>> os.environ.pop("DUTYGRAPH_AMBIWIDTH", None); ambiguous_wide()
    False
    >>> os.environ["DUTYGRAPH_AMBIWIDTH"] = "2"; ambiguous_wide()
    True
    >>> del os.environ["DUTYGRAPH_AMBIWIDTH"]
    """
    return os.environ.get("DUTYGRAPH_AMBIWIDTH", "").strip() == "2"


def display_width(text: str, *, cjk: bool | None = None) -> int:
    """Terminal columns a string takes: ideographs and fullwidth forms take two, combining
    marks and invisible format characters none.

    Characters whose width is "ambiguous" in Unicode (“ ” ‘ ’ — … · ×) take two with ``cjk``
    (as Excel's Chinese fonts and the Chinese Windows console draw them) and one without (as
    common terminals draw them); by default :func:`ambiguous_wide`.

    >>> display_width("区民政局"), display_width("abc")
    (8, 3)
    >>> display_width("“清单”——…", cjk=True), display_width("“清单”——…", cjk=False)
    (14, 9)
    """
    if text.isascii():  # the common case, decided at once
        return len(text)
    if cjk is None:
        cjk = ambiguous_wide()
    widths = _WIDTHS[cjk]
    total = 0
    for ch in text:
        width = widths.get(ch)
        if width is None:
            width = widths[ch] = _measure(ch, cjk)
        total += width
    return total


#: Each character's width once measured, for text that is Chinese (True) and not (False).
_WIDTHS: dict[bool, dict[str, int]] = {False: {}, True: {}}


def _char_width(ch: str, cjk: bool) -> int:
    width = _WIDTHS[cjk].get(ch)
    if width is None:
        width = _WIDTHS[cjk][ch] = _measure(ch, cjk)
    return width


def _measure(ch: str, cjk: bool) -> int:
    if ch < "\u00a1":  # ASCII and Latin-1 controls
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    kind = unicodedata.east_asian_width(ch)
    return 2 if kind in ("W", "F") or (cjk and kind == "A") else 1


def _pad(text: str, width: int, cjk: bool) -> str:
    return text + " " * max(0, width - display_width(text, cjk=cjk))


def _cut(text: str, width: int, cjk: bool) -> str:
    """``text`` cut to ``width`` columns, the cut marked with "…"."""
    if display_width(text, cjk=cjk) <= width:
        return text
    room = width - _char_width("…", cjk)
    out, used = [], 0
    for ch in text:
        w = _char_width(ch, cjk)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


#: What a line should not start with (Chinese closing punctuation): the character before it
#: moves down with it.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〉”’…—,.;:?!)]}%")


#: Where other text than Chinese breaks: after a space, or a "/" of a path.
_BREAKS = frozenset(" /")


def wrap_text(text: str, width: int, *, cjk: bool | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` columns, every character kept (a space where a
    line breaks excepted): Chinese breaks between any two characters (never before closing
    punctuation), other text after a space or a "/" when one is on the line.

    >>> wrap_text("区民政局，负责审核", 8, cjk=True)
    ['区民政', '局，负责', '审核']
    >>> wrap_text("reports to the district office", 12, cjk=False)
    ['reports to', 'the district', 'office']
    """
    if cjk is None:
        cjk = ambiguous_wide()
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for ch in text:
        w = _char_width(ch, cjk)
        if used + w > width and line:
            carry: list[str] = []
            if ch in _NO_LINE_START and len(line) > 1 and width >= 4:
                carry = [line.pop()]
            elif ch not in " /" and _char_width(ch, cjk) == 1 and _BREAKS & set(line[1:]):
                at = max(i for i, c in enumerate(line) if i and c in _BREAKS) + 1
                line, carry = line[:at], line[at:]  # after the last space or "/"
            lines.append("".join(line).rstrip(" "))
            line = carry
            used = sum(_char_width(c, cjk) for c in line)
            if ch == " " and not line:  # the line break takes the place of the space
                continue
        line.append(ch)
        used += w
    if line or not lines:
        lines.append("".join(line))
    return lines


def fit_widths(natural: list[int], available: int, *, floor: int = 2) -> list[int]:
    """Column widths that add up to at most ``available``: the widest columns give way first
    (all those wider than some even level are narrowed to it), none below ``floor`` (or its
    own width), and what room is left goes to the columns that lack most; when even the
    floors do not fit, the floors.

    >>> fit_widths([4, 30, 50], 60)
    [4, 28, 28]
    >>> fit_widths([4, 18, 18, 48], 50)
    [4, 16, 14, 16]
    >>> fit_widths([4, 10], 60)
    [4, 10]
    """
    if sum(natural) <= available:
        return list(natural)
    floors = [min(w, floor) for w in natural]

    def at(level: int) -> list[int]:
        return [max(f, min(w, level)) for w, f in zip(natural, floors, strict=True)]

    low, high = 0, max(natural)  # the highest level whose widths fit
    while low < high:
        middle = (low + high + 1) // 2
        if sum(at(middle)) <= available:
            low = middle
        else:
            high = middle - 1
    widths = [w - w % 2 if n > w else w for w, n in zip(at(low), natural, strict=True)]  # even
    spare = available - sum(widths)
    while spare > 0:  # what is left goes two columns at a time to those that want most
        wanting = sorted(
            (i for i, w in enumerate(widths) if natural[i] > w),
            key=lambda i: widths[i] - natural[i],
        )
        if not wanting:
            break
        for index in wanting:
            step = min(2, spare, natural[index] - widths[index])
            widths[index] += step
            spare -= step
            if spare <= 0:
                break
    return widths


def _text(value: object) -> str:
    if is_missing(value):
        return ""
    return terminal_safe(str(value))


def render(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    headings: dict[str, str] | None = None,
    max_width: int | None = 60,
    width: int | None = None,
    wrap: bool = False,
    fits: dict[str, str] | None = None,
) -> str:
    """Render ``frame`` as ``table`` (aligned; headings and code labels in the current language,
    ``headings`` overriding), ``csv`` or ``json`` (the stable English names and codes).

    A table's cells are at most ``max_width`` columns (``None``: any width), and the whole
    table at most ``width`` columns (``None``: as wide as it comes), as :func:`fit_table`
    lays it out (minor columns may be left out). A cell wider than its column is cut, the cut
    marked "…", or with ``wrap`` continued on the next lines with nothing left out (and the
    rows then kept apart by a blank line); a heading wraps, never inside brackets.
    """
    if fmt == "csv":
        buf = io.StringIO()
        safe = frame.map(csv_safe).rename(columns=lambda c: csv_safe(str(c)))
        safe.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().rstrip("\n")
    if fmt == "json":
        records = [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    return fit_table(
        frame, headings=headings, max_width=max_width, width=width, wrap=wrap, fits=fits
    )[0]


def fit_table(
    frame: pd.DataFrame,
    *,
    headings: dict[str, str] | None = None,
    max_width: int | None = 60,
    width: int | None = None,
    wrap: bool = False,
    fits: dict[str, str] | None = None,
    keep_all: bool | None = None,
) -> tuple[str, list[str]]:
    """A terminal table of ``frame`` at most ``width`` columns wide, and the headings of the
    columns left out to fit it.

    Each column gives way by its ``fit`` (``vocab/headings.csv``, ``fits`` overriding):
    ``whole`` columns (a list id, a name) and numbers keep their full width while they fit;
    ``minor`` columns (载入时间, 来源文件 …) are left out first, from the right, when the table
    is wider than the terminal; other
    columns are then left out from the right if even their narrowest does not fit; ``text``
    columns (依据原文 …) take the room that is left first. With ``keep_all`` (by default
    ``wrap``) no column is left out: the narrowest columns wrap instead.
    """
    if keep_all is None:
        keep_all = wrap
    cjk = ambiguous_wide()
    names = headings or {}
    head = [terminal_safe(names.get(str(c)) or heading(str(c))) for c in frame.columns]
    body = [[_text(v) for v in row] for row in labelled(frame).itertuples(index=False, name=None)]
    natural = [display_width(h, cjk=cjk) for h in head]
    cells = [0] * len(head)  # the widest cell of each column
    for row in body:
        cells = [max(w, display_width(c, cjk=cjk)) for w, c in zip(cells, row, strict=True)]
    natural = [max(h, c) for h, c in zip(natural, cells, strict=True)]
    if max_width is not None:
        cap = [max(max_width, display_width(h, cjk=cjk)) for h in head]  # a heading stays whole
        natural = [min(w, c) for w, c in zip(natural, cap, strict=True)]
    kinds = [_fit_of(str(c), [row[i] for row in body], fits) for i, c in enumerate(frame.columns)]
    shortest = [max(_heading_floor(h, cjk), min(4, natural[i])) for i, h in enumerate(head)]
    least = _WRAPPED_FLOOR if wrap else _FLOOR
    floors = [
        max(s, min(n, c) if k in ("whole", "number") else min(n, least.get(k, least[""])))
        for s, n, c, k in zip(shortest, natural, cells, kinds, strict=True)
    ]
    for i, kind in enumerate(kinds):  # a path's column holds its longest part between "/"
        if kind == "path":
            parts = (t for row in body for t in _TOKEN_ENDS.findall(row[i]) if t)
            floors[i] = min(
                natural[i], max([floors[i], *(display_width(t, cjk=cjk) for t in parts)])
            )
    kept = list(range(len(head)))
    if width is not None and head:
        kept = kept if keep_all else _columns_kept(natural, floors, kinds, width)
        widths = _widths(
            [natural[i] for i in kept],
            [floors[i] for i in kept],
            [kinds[i] for i in kept],
            width,
            wrap=wrap,
        )
    else:
        widths = natural
    dropped = [head[i] for i in range(len(head)) if i not in kept]
    head = [head[i] for i in kept]
    body = [[row[i] for i in kept] for row in body]
    whole = [kinds[i] in ("whole", "number", "path") for i in kept]
    lines = _heading_lines(head, widths, cjk)
    lines.append("  ".join("-" * w for w in widths))
    rows = [_row_lines(row, widths, cjk, wrap=wrap, whole=whole) for row in body]
    spaced = any(len(row) > 1 for row in rows)  # rows of several lines: a blank line between
    for index, row in enumerate(rows):
        lines += [""] * (spaced and index > 0) + row
    return "\n".join(lines), dropped


#: The narrowest a column of each ``fit`` is made before columns are left out (cut; wrapped).
_FLOOR = {"text": 12, "": 10, "minor": 8, "path": 20}
_WRAPPED_FLOOR = {"text": 8, "": 6, "minor": 4, "path": 16}
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


def _fit_of(column: str, cells: list[str], fits: dict[str, str] | None) -> str:
    """A column's ``fit``; a column of numbers alone (and not minor) is ``number``: whole, and
    never cut even when ids must be."""
    kind = (fits or {}).get(column, column_fit(column))
    if kind not in ("whole", "text", "minor"):
        kind = ""
    if kind != "minor" and any(cells) and all(_NUMBER.fullmatch(c) for c in cells if c):
        return "number"
    if kind == "whole" and any("/" in c or "\\" in c for c in cells):
        return "path"  # gives way before ids do, broken only after a "/"
    return kind


#: A heading breaks between characters and words, never inside brackets.
_HEADING_PARTS = re.compile(r"（[^）]*）|\([^)]*\)|【[^】]*】|[^\s（(【]+\s*|\s+")


def _heading_parts(text: str) -> list[str]:
    parts: list[str] = []
    for part in _HEADING_PARTS.findall(text):
        if part[0] in "（(【" or part.isascii():
            parts.append(part)
        else:  # Chinese breaks between any two characters
            parts += list(part)
    return parts or [text]


def _heading_floor(text: str, cjk: bool) -> int:
    return max(display_width(p.rstrip(), cjk=cjk) for p in _heading_parts(text))


def _columns_kept(natural: list[int], floors: list[int], kinds: list[str], width: int) -> list[int]:
    """The columns a table of ``width`` keeps (see :func:`fit_table`)."""
    kept = list(range(len(natural)))

    def needs(sizes: list[int]) -> int:
        return sum(sizes[i] for i in kept) + 2 * (len(kept) - 1)

    for kind in ("minor", ""):
        for index in reversed(range(len(natural))):
            sizes = natural if kind == "minor" else floors
            if needs(sizes) <= width or len(kept) == 1:
                break
            if kinds[index] == kind:
                kept.remove(index)
    return kept


def _widths(
    natural: list[int], floors: list[int], kinds: list[str], width: int, *, wrap: bool
) -> list[int]:
    """Widths that add up (with two spaces between columns) to at most ``width``: each column
    at least its floor, then the room left to text columns first, then to the others, the
    narrowest first (wrapped: ids and numbers whole, the others by :func:`fit_widths`); when
    even the floors do not fit, ids share what the others leave, else :func:`fit_widths`."""
    available = width - 2 * (len(natural) - 1)
    if sum(natural) <= available:
        return list(natural)
    if sum(floors) > available:
        return _squeezed(natural, floors, kinds, available)
    if wrap:  # nothing is cut: ids and numbers whole, the widest of the others give way first
        widths = _wrapped(natural, floors, kinds, available)
        if widths is not None:
            return widths
    widths = list(floors)
    spare = available - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: natural[i] - widths[i]):
        if kinds[index] != "text" and 0 < natural[index] - widths[index] <= min(2, spare):
            spare -= natural[index] - widths[index]  # a heading or a number nearly whole: whole
            widths[index] = natural[index]
    for group in (["text"], ["", "minor", "whole", "number", "path"]):
        while spare > 0:
            wanting = [i for i, k in enumerate(kinds) if k in group and widths[i] < natural[i]]
            if not wanting:
                break
            narrowest = min(wanting, key=lambda i: widths[i])
            widths[narrowest] += 1
            spare -= 1
    return widths


def _squeezed(natural: list[int], floors: list[int], kinds: list[str], available: int) -> list[int]:
    """Widths when even the floors do not fit: the others at their floors (numbers whole) and
    the ids sharing what is left, else :func:`fit_widths` over all."""
    others = sum(f for f, k in zip(floors, kinds, strict=True) if k != "whole")
    whole = [i for i, k in enumerate(kinds) if k == "whole"]
    if not whole or others >= available:
        return fit_widths(natural, available)
    widths = list(floors)
    shared = fit_widths([natural[i] for i in whole], available - others)
    for i, w in zip(whole, shared, strict=True):
        widths[i] = w
    return widths


def _wrapped(
    natural: list[int], floors: list[int], kinds: list[str], available: int
) -> list[int] | None:
    """Widths for wrapped rows: ids and numbers whole, the others by :func:`fit_widths` (none
    when that does not fit or leaves a column below its floor)."""
    rest = [i for i, k in enumerate(kinds) if k not in ("whole", "number")]
    room = available - sum(natural[i] for i in range(len(natural)) if i not in rest)
    if not rest or room < sum(floors[i] for i in rest):
        return None
    widths = list(natural)
    for i, w in zip(rest, fit_widths([natural[i] for i in rest], room, floor=4), strict=True):
        widths[i] = w
    if sum(widths) > available or any(w < f for w, f in zip(widths, floors, strict=True)):
        return None
    return widths


def _heading_lines(head: list[str], widths: list[int], cjk: bool) -> list[str]:
    """The heading row, each heading wrapped to its column between its parts."""
    columns = [_pack(_heading_parts(h), w, cjk) for h, w in zip(head, widths, strict=True)]
    return _joined(columns, widths, cjk)


def _pack(parts: list[str], width: int, cjk: bool) -> list[str]:
    """Parts on lines of at most ``width`` columns, a part too wide for any line wrapped."""
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and display_width((line + part).rstrip(), cjk=cjk) > width:
            lines.append(line.rstrip())
            line = part.lstrip()
        else:
            line += part
        while display_width(line.rstrip(), cjk=cjk) > width:
            first, *rest = wrap_text(line, width, cjk=cjk)
            lines.append(first)
            line = "".join(rest)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


#: Where an id or a path may break when its column is too narrow for it: after these.
_TOKEN_ENDS = re.compile(r"[^/\\:\s]*(?:[/\\:\s]+|$)")


def _row_lines(
    cells: list[str], widths: list[int], cjk: bool, *, wrap: bool, whole: list[bool]
) -> list[str]:
    """One row of a table as lines: each cell cut to its column, or wrapped over lines (an id
    or a path in a whole column only after a ``/`` or ``:``)."""
    columns = []
    for c, w, keep in zip(cells, widths, whole, strict=True):
        if not wrap:
            columns.append([_cut(c, w, cjk)])
        elif keep and display_width(c, cjk=cjk) > w:
            columns.append(_pack([t for t in _TOKEN_ENDS.findall(c) if t], w, cjk))
        else:
            columns.append(wrap_text(c, w, cjk=cjk))
    return _joined(columns, widths, cjk)


def _joined(columns: list[list[str]], widths: list[int], cjk: bool) -> list[str]:
    depth = max((len(c) for c in columns), default=1)
    return [
        "  ".join(
            _pad(c[i] if i < len(c) else "", w, cjk) for c, w in zip(columns, widths, strict=True)
        ).rstrip()
        for i in range(depth)
    ]


def markdown(frame: pd.DataFrame, *, headings: dict[str, str] | None = None) -> str:
    """A Markdown (GFM) table of ``frame``, headings and code labels in the current language,
    nothing cut; ``|`` and ``<`` (HTML) in a cell escaped, a line break in a cell as ``<br>``.

    >>> import pandas as pd
    >>> print(markdown(pd.DataFrame({"number": [1], "name": ["征兵|工作"]}),
    ...                headings={"number": "序号", "name": "事项名称"}))
    | 序号 | 事项名称 |
    | --- | --- |
    | 1 | 征兵\\|工作 |
    """
    names = headings or {}
    head = [_markdown_cell(names.get(str(c)) or heading(str(c))) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in labelled(frame).itertuples(index=False, name=None):
        lines.append("| " + " | ".join(_markdown_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _markdown_cell(value: object) -> str:
    if is_missing(value):
        return ""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("<", "&lt;")  # no HTML tags from a cell; "->" stays as it reads
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return terminal_safe(text)
