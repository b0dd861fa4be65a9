"""The handoff words of ``vocab/handoff_rules.yaml``, compiled once per list: verbs and their
classes, and the word lists that block a verb or change a clause's meaning.

>>> from dutygraph.vocabulary import Vocabulary
>>> lexicon = Lexicon(Vocabulary.load())
>>> [(m.group(0), lexicon.verb_class[m.group(0)]) for m in lexicon.verbs("审核后报送县民政局")]
[('报送', 'report')]
>>> lexicon.refused("对拒不整改的")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..vocabulary import Vocabulary

__all__ = ["Lexicon"]


class Lexicon:
    def __init__(self, vocab: Vocabulary) -> None:
        self.words: dict[str, Any] = vocab.handoff_rules
        self.verb_class: dict[str, str] = {}
        for cls, verbs in self.words["verbs"].items():
            for verb in verbs:
                self.verb_class.setdefault(verb, cls)
        ordered = sorted(self.verb_class, key=len, reverse=True)
        self.verb_re = re.compile("|".join(re.escape(v) for v in ordered))
        self._refusals = [re.compile(p) for p in self.words["refusals"]]
        self._outcomes = [re.compile(p) for p in self.words["outcomes"]]

    def verbs(self, clause: str) -> Iterator[re.Match[str]]:
        return self.verb_re.finditer(clause)

    def __getitem__(self, key: str) -> Any:
        return self.words[key]

    def has(self, key: str, text: str) -> bool:
        """Whether ``text`` holds a word of the list ``key`` (e.g. 'supplies')."""
        if key == "supplies":
            return self.supplies(text)
        return any(word in text for word in self.words[key])

    def supplies(self, text: str) -> bool:
        """Whether ``text`` hands down supplies (物资, 资金), not a plan for them (资金使用计划)."""
        unless = tuple(self.words.get("supplies_unless", []))
        for word in self.words["supplies"]:
            at = text.find(word)
            if at >= 0 and not text[at + len(word) :].startswith(unless):
                return True
        return False

    def refused(self, text: str) -> bool:
        """Whether the text describes a case its sender could not resolve (拒不整改, 调解不成 …)."""
        return any(p.search(text) for p in self._refusals)

    def outcome(self, text: str) -> bool:
        """Whether the text names the outcome of someone's handling (查处结果, 审核意见, 化解情况),
        not just data (名单, 情况)."""
        return any(p.search(text) for p in self._outcomes)

    def outcomes_in(self, text: str) -> list[re.Match[str]]:
        """Where the text names outcomes of someone's handling, in order."""
        found = [m for p in self._outcomes for m in p.finditer(text)]
        return sorted(found, key=lambda m: m.start())

    def blocked(self, before: str, after: str, verb: str = "") -> bool:
        """Whether the verb between ``before`` and ``after`` is no handoff: part of another word
        (申报, 举报, 交通), a noun (报告制度) or negated (不予上报)."""
        words = self.words
        unblocked = any(before.endswith(w) for w in words.get("unblocked_after", []))
        return (
            (not unblocked and any(before.endswith(p) for p in words["blocked_prefixes"]))
            or any(after.startswith(w) for w in words["word_continues"].get(verb, []))
            or any(after.startswith(n) for n in words["noun_followers"])
            or any(n in before[-3:].rpartition("的")[2] for n in words["negations"])
        )
