"""Rendering DataFrames for the terminal: CSV, JSON and a table aligned for Chinese text.

Table headings come from ``vocab/headings.csv`` and codes are shown as labels
(``vocab/labels.csv``), both in the current language (``dutygraph.i18n``).

Only the CLI uses this module; library functions return DataFrames and never format.

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
import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module for --help; pandas comes with the frames
    import pandas as pd

from .i18n import heading, labelled

__all__ = ["FORMATS", "csv_safe", "display_width", "redact_credentials", "render", "terminal_safe"]

FORMATS = ("table", "csv", "json")


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


def display_width(text: str) -> int:
    """Terminal columns a string takes: East Asian wide and fullwidth characters take two.

    >>> display_width("区民政局"), display_width("abc")
    (8, 3)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _cell(value: object, max_width: int | None) -> str:
    if value is None or _is_nan(value):
        return ""
    text = terminal_safe(str(value))
    if max_width is not None and display_width(text) > max_width:
        out, used = [], 0
        for ch in text:
            w = display_width(ch)
            if used + w > max_width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text


def render(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    headings: dict[str, str] | None = None,
    max_width: int | None = 60,
) -> str:
    """Render ``frame`` as ``table`` (aligned; headings and code labels in the current language,
    ``headings`` overriding), ``csv`` or ``json`` (the stable English names and codes)."""
    if fmt == "csv":
        buf = io.StringIO()
        safe = frame.map(csv_safe).rename(columns=lambda c: csv_safe(str(c)))
        safe.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().rstrip("\n")
    if fmt == "json":
        records = [
            {k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    names = headings or {}
    head = [terminal_safe(names.get(str(c)) or heading(str(c))) for c in frame.columns]
    shown = labelled(frame)
    body = [[_cell(v, max_width) for v in row] for row in shown.itertuples(index=False, name=None)]
    widths = [display_width(h) for h in head]
    for row in body:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body
    ]
    return "\n".join(lines)


def _json_value(value: object) -> object:
    if value is None:
        return None
    if _is_nan(value):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _is_nan(value: object) -> bool:
    """A float NaN (pandas' missing value in a float or object column)."""
    return isinstance(value, float) and math.isnan(value)
