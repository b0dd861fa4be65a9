"""The words of the review workbook: decisions and headings (``vocab/review.yaml``); the names
of statuses and types come from ``vocab/labels.csv``. The workbook is written in the user's
language (Chinese by default, ``DUTYGRAPH_LANG=en`` for English: :func:`words_of`); what an
analyst writes back is read in either language.

>>> parse_decision("✓ 对"), parse_decision("Fix"), parse_decision("添加")
('ok', 'fix', 'add')
>>> parse_type("提级上报 escalates_to"), parse_type("反馈"), parse_type("上报")
('escalates_to', 'feeds_back_to', 'reports_to')
>>> STATUS_NAMES["rejected"]
'已否决'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..graphmodel.schema import HANDOFF_TYPES
from ..i18n import current_language, label

__all__ = [
    "DECISION_CHOICES",
    "DECISION_COLUMNS",
    "REVIEW_COLUMNS",
    "STATUSES",
    "STATUS_NAMES",
    "TYPE_CHOICES",
    "TYPE_NAMES",
    "decision_choices",
    "instructions",
    "parse_decision",
    "parse_status",
    "parse_type",
    "type_choices",
    "words_of",
]


@cache
def _terms() -> dict[str, Any]:
    text = (resources.files("dutygraph") / "vocab" / "review.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


_DECISIONS: dict[str, list[str]] = _terms()["decisions"]
#: status code -> what the analyst reads (机器抽取, 已确认 …), in display order
STATUS_NAMES: dict[str, str] = {c: label("status", c, "zh_CN") for c in _terms()["statuses"]}
STATUSES: tuple[str, ...] = tuple(STATUS_NAMES)
#: handoff type -> Chinese name
TYPE_NAMES: dict[str, str] = {t: label("type", t, "zh_CN") for t in HANDOFF_TYPES}
#: English column name (row 2) -> Chinese heading (row 1) of the review sheet
REVIEW_COLUMNS: dict[str, str] = _terms()["columns"]
#: The columns the analyst fills in (shaded in the workbook, required in a review file).
DECISION_COLUMNS: tuple[str, ...] = (
    "decision",
    "new_src",
    "new_dst",
    "new_type",
    "note",
    "reviewer",
)
#: What the decision drop-down offers (the first spelling of each decision).
DECISION_CHOICES: tuple[str, ...] = tuple(spellings[0] for spellings in _DECISIONS.values())
#: What the type drop-downs offer: "上报 reports_to" …
TYPE_CHOICES: tuple[str, ...] = tuple(f"{zh} {code}" for code, zh in TYPE_NAMES.items())


def words_of(key: str) -> Any:
    """A part of ``vocab/review.yaml`` (``columns``, ``how``, ``sheets``, ``words`` …) in the
    current language.

    >>> import os; os.environ["DUTYGRAPH_LANG"] = "en"
    >>> words_of("sheets")["review"], words_of("columns")["src"]
    ('Handoff review', 'From')
    >>> del os.environ["DUTYGRAPH_LANG"]
    >>> words_of("sheets")["review"]
    '交接复核'
    """
    terms = _terms()
    if current_language() == "en" and key in terms.get("en", {}):
        return terms["en"][key]
    return terms[key]


def decision_choices() -> tuple[str, ...]:
    """What the decision drop-down offers, in the current language (ok, wrong, fix, add)."""
    if current_language() == "en":
        shown = _terms()["en"]["decisions_shown"]
        return tuple(shown[d] for d in _DECISIONS)
    return DECISION_CHOICES


def type_choices() -> tuple[str, ...]:
    """What the type drop-downs offer: "上报 reports_to" …, or "reports to (reports_to)" …"""
    if current_language() == "en":
        return tuple(f"{label('type', t, 'en')} ({t})" for t in HANDOFF_TYPES)
    return TYPE_CHOICES


def _key(text: str) -> str:
    return "".join(str(text).split()).lower()


_DECISION_OF = {_key(s): d for d, spellings in _DECISIONS.items() for s in spellings}


#: What a ✓ or ✗ becomes in a file saved in an encoding without it (Excel's CSV on Chinese
#: Windows is GBK: ``? 对``), or after a failed decoding.
_LOST_SYMBOLS = "?？\ufffd"


def parse_decision(text: str) -> str | None:
    """ok, wrong, fix or add for any accepted spelling; None for one it does not know. A ✓ or
    ✗ lost to an encoding (``? 对``, ``? 错``) is read by the word after it.

    >>> parse_decision("? 对"), parse_decision("? wrong"), parse_decision("?")
    ('ok', 'wrong', None)
    """
    key = _key(text)
    if key in _DECISION_OF:
        return _DECISION_OF[key]
    word = key.lstrip(_LOST_SYMBOLS)
    return _DECISION_OF.get(word) if word and word != key else None


def parse_type(text: str) -> str | None:
    """The type code in a cell written as the code, its name in either language, or both;
    else None."""
    key = _key(text)
    for code in HANDOFF_TYPES:
        for name in (_key(label("type", code, "zh_CN")), _key(label("type", code, "en"))):
            if key in (code, name, f"{name}{code}", f"{name}（{code}）", f"{name}({code})"):
                return code
    return None


def parse_status(text: str) -> str | None:
    """A status code from its code or its name in either language; None for none of them."""
    key = _key(text)
    for code in STATUSES:
        names = (code, label("status", code, "zh_CN"), label("status", code, "en"))
        if key in {_key(n) for n in names}:
            return code
    return None


def instructions() -> list[str]:
    """The lines of the workbook's 说明 sheet, in the current language."""
    return list(words_of("instructions"))
