"""The words the questions' options and classes are read with: the levels a chain reaches
(``--reaches``), the kinds of chains (``--kind``), the classes of what the town sends a
department (``--sent-class``) and the groupings (``--by``).

Levels and classes come from ``vocab/questions.yaml``, the names of the codes from
``vocab/labels.csv`` (either language): an option takes a code, its Chinese or its English
label, and for a level any name ``questions.yaml`` gives it. The networkx functions and their
Cypher twins read an option through the same function here, so both take the same spellings
and refuse the same ones, with the candidates in the error.

>>> level_code("市"), level_code("city"), level_code("国家"), level_code("自治区")
('市', '市', '部', '省')
>>> highest_level(["区", "市", "其他"]), highest_level(["其他"]), highest_level([])
('市', '其他', '其他')
>>> choose("chain_kind", "提级处置", CHAIN_KINDS), choose("by", "部门", GROUPINGS)
('enforcement', 'department')
>>> sent_class("对相关材料进行初步审核并上报"), sent_class("发现问题及时上报")
('application', 'case')
>>> sent_class("报送撤桶并点统计表"), sent_class("拍照上传")
('information', 'unclassified')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..errors import UnknownNameError, VocabularyError
from ..i18n import N_, label
from ..i18n import gettext as _
from .registry import Option

__all__ = [
    "CHAIN_KINDS",
    "ENFORCEMENT",
    "GROUPINGS",
    "OTHER_LEVEL",
    "REPORT",
    "SENT_CLASSES",
    "UNCLASSIFIED",
    "QuestionWords",
    "choose",
    "choose_all",
    "coded_option",
    "highest_level",
    "level_code",
    "question_words",
    "sent_class",
]

#: The level of a department whose level is not known (departments.csv, graphmodel.build).
OTHER_LEVEL = "其他"
#: Kinds of upward chains: one with an ``escalates_to`` hop, and a plain report chain.
ENFORCEMENT, REPORT = "enforcement", "report"
CHAIN_KINDS: tuple[str, ...] = (ENFORCEMENT, REPORT)
#: The class of what was sent when no class of questions.yaml fits its evidence.
UNCLASSIFIED = "unclassified"
#: The classes of what the town sends (their words are in questions.yaml, their names in
#: labels.csv), ``unclassified`` last.
SENT_CLASSES: tuple[str, ...] = ("application", "case", "information", UNCLASSIFIED)
#: What ``--by`` groups rows by.
GROUPINGS: tuple[str, ...] = ("department",)

#: What each option names, for its error (translated where shown).
_WHAT = {
    "level": N_("level"),
    "chain_kind": N_("chain kind"),
    "sent_class": N_("class"),
    "by": N_("grouping"),
}


@dataclass(frozen=True)
class QuestionWords:
    """What ``questions.yaml`` says, checked."""

    levels: tuple[str, ...]  # level codes, from the top down
    level_names: dict[str, str]  # every accepted spelling (casefolded) -> level code
    level_shown: tuple[str, ...]  # each level as messages name it: 国家 (national)
    sent_classes: tuple[tuple[str, tuple[str, ...]], ...]  # (class, its words), in order

    @cached_property
    def class_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """Each class with one pattern that finds any of its words (one search, not one a word)."""
        return tuple(
            (code, re.compile("|".join(map(re.escape, words)))) for code, words in self.sent_classes
        )

    @property
    def level_rank(self) -> dict[str, int]:
        """Level code -> its rank from the top (0: 部)."""
        return {code: rank for rank, code in enumerate(self.levels)}


def question_words() -> QuestionWords:
    """The words of the vocabulary in use (``$DUTYGRAPH_VOCAB`` merged over the packaged); read
    once per vocabulary (a question asks for them once a row)."""
    from ..vocabulary import Vocabulary

    vocabulary = Vocabulary.load()
    kept = _READ.get(id(vocabulary))
    if kept is None or kept[0] is not vocabulary:
        kept = (vocabulary, _words(vocabulary.source, vocabulary.questions))
        _READ[id(vocabulary)] = kept
    return kept[1]


#: id(vocabulary) -> (that vocabulary, its words); the vocabulary is kept so the id stays its.
_READ: dict[int, tuple[Any, QuestionWords]] = {}


def _words(source: str, raw: dict[str, Any]) -> QuestionWords:
    where = "dutygraph/vocab/questions.yaml" if source == "packaged" else source
    levels: list[str] = []
    shown: list[str] = []
    names: dict[str, str] = {}
    for entry in raw.get("levels") or ():
        fields = entry if isinstance(entry, dict) else {}
        code = str(fields.get("code") or "").strip()
        if not code:
            raise VocabularyError(
                _("{source}: every level needs a code").format(source=where + " (levels)")
            )
        levels.append(code)
        first = next(iter(fields.get("names") or ()), code)
        shown.append(f"{first} ({fields['en']})" if fields.get("en") else str(first))
        for name in (code, fields.get("en") or "", *(fields.get("names") or ())):
            if str(name).strip():
                names[str(name).strip().casefold()] = code
    classes = []
    for code, words in (raw.get("sent_classes") or {}).items():
        found = tuple(str(w) for w in (words or ()) if str(w).strip())
        if code not in SENT_CLASSES[:-1] or not found:
            raise VocabularyError(
                _("{source}: expected a list of words for each of {codes}, found {code!r}").format(
                    source=where + " (sent_classes)", codes=", ".join(SENT_CLASSES[:-1]), code=code
                )
            )
        classes.append((str(code), found))
    return QuestionWords(tuple(levels), names, tuple(shown), tuple(classes))


def _unknown(what: str, written: str, candidates: Iterable[str]) -> UnknownNameError:
    return UnknownNameError(
        _("no {what} named {written!r}; did you mean: {names}").format(
            what=_(_WHAT[what]), written=written, names="、".join(candidates)
        )
    )


def level_code(written: str) -> str:
    """The level code (部/省/市/区) a written level stands for: the code, its English code
    (``city``) or a name of it in ``questions.yaml`` (国家, 自治区, 县 …).

    Raises
    ------
    UnknownNameError
        No level is written so; the message lists the levels.
    """
    words = question_words()
    code = words.level_names.get(str(written).strip().casefold())
    if code is None:
        raise _unknown("level", written, words.level_shown)
    return code


def highest_level(levels: Iterable[str]) -> str:
    """The highest of some departments' levels; ``其他`` when none has a known level."""
    rank = question_words().level_rank
    known = [level for level in levels if level in rank]
    return min(known, key=rank.__getitem__) if known else OTHER_LEVEL


def choose(field: str, written: str, codes: Sequence[str]) -> str:
    """The code of ``codes`` that ``written`` stands for: the code itself, or its label in
    either language (``vocab/labels.csv``, field ``field``), case and spaces aside.

    Raises
    ------
    UnknownNameError
        None is written so; the message lists the codes' labels in the current language.
    """
    key = str(written).strip().casefold()
    for code in codes:
        spellings = {code, label(field, code, "zh_CN"), label(field, code, "en")}
        if key in {s.casefold() for s in spellings}:
            return code
    raise _unknown(field, written, [f"{label(field, c)} ({c})" for c in codes])


def choose_all(field: str, written: Iterable[str], codes: Sequence[str]) -> tuple[str, ...]:
    """``choose`` for each of several written values, in ``codes`` order, each once."""
    chosen = {choose(field, w, codes) for w in written}
    return tuple(code for code in codes if code in chosen)


def coded_option(
    name: str, help: str, field: str, codes: Sequence[str], *, several: bool = False
) -> Option:
    """An option that takes one of ``codes`` (``several``: a comma-separated list of them), by
    code or label (:func:`choose`); none by default."""
    return Option(
        name,
        help,
        () if several else None,
        kind="words" if several else "text",
        choices=tuple(codes),
        check=lambda text: choose(field, text, codes),
        field=field,
    )


def sent_class(evidence: str) -> str:
    """The class of what the town sends, by its evidence: the first class of
    ``questions.yaml`` one of whose words is in it, else ``unclassified``."""
    for code, pattern in question_words().class_patterns:
        if pattern.search(evidence):
            return code
    return UNCLASSIFIED
