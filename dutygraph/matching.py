"""Matching matters and duties by name: normalised names, a similarity score, a one-to-one
assignment. ``compare`` matches matters across towns with it, ``diff`` a list's two versions.

>>> rules = MatchRules.load()
>>> rules.normalise("征兵工作（含体检）")
'征兵'
>>> round(similarity("农村公益性墓地申报审批", "农村公益性墓地审批"), 3)
0.9
>>> assign(["征兵", "墓地审批"], ["墓地申报审批", "征兵"], 0.6)
[(0, 1, 1.0), (1, 0, 0.8)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["MatchRules", "assign", "char_diff", "similarity"]

_REMARKS = re.compile(r"[（(][^）)]*[)）]")
_PUNCTUATION = re.compile(r"[\s、，,。.；;：:“”\"'‘’《》<>【】\[\]—\-·/]+")


@dataclass(frozen=True)
class MatchRules:
    """What ``vocab/compare.yaml`` says: filler words and the two thresholds."""

    fillers: tuple[str, ...]
    matter_threshold: float
    duty_threshold: float

    @classmethod
    def load(cls, vocab_dir: str | None = None) -> MatchRules:
        from .vocabulary import Vocabulary

        data = Vocabulary.load(vocab_dir).matching
        return cls(
            tuple(data.get("matter_name_fillers") or ()),
            float(data.get("matter_threshold", 0.6)),
            float(data.get("duty_threshold", 0.5)),
        )

    def normalise(self, name: str) -> str:
        """A matter's name as it is matched: no remarks, punctuation, spaces or fillers."""
        text = _PUNCTUATION.sub("", _REMARKS.sub("", str(name)))
        for filler in self.fillers:
            text = text.replace(filler, "")
        return text or str(name)


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 1 (difflib's ratio over characters)."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def assign(
    left: Sequence[str], right: Sequence[str], threshold: float
) -> list[tuple[int, int, float]]:
    """One-to-one matches (left index, right index, score) of at least ``threshold``, the
    best first: equal names, then the highest score (ties: the earlier position).

    Equal names (score 1, the only way to score 1) are paired first, without comparing every
    pair; only the names left unpaired are compared by similarity. Every equal pair comes before
    every other in the order above, so this is the same one-to-one matching as comparing all
    pairs, in time near linear when most names recur (a province's lists).
    """
    at_right: dict[str, list[int]] = {}
    for j, b in enumerate(right):
        at_right.setdefault(b, []).append(j)
    equal = sorted((abs(i - j), i, j) for i, a in enumerate(left) for j in at_right.get(a, ()))
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    matches = []
    for _, i, j in equal:
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        matches.append((i, j, 1.0))
    rest = [j for j in range(len(right)) if j not in taken_right]
    pairs = []
    for i, a in enumerate(left):
        if i in taken_left:
            continue
        for j in rest:
            b = right[j]
            if SequenceMatcher(None, a, b, autojunk=False).real_quick_ratio() < threshold:
                continue
            score = similarity(a, b)
            if score >= threshold:
                pairs.append((-score, abs(i - j), i, j))
    for neg, _, i, j in sorted(pairs):
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        matches.append((i, j, round(-neg, 3)))
    return sorted(matches)


def char_diff(old: str, new: str) -> str:
    """The new text with what changed marked: ``[-removed-]`` and ``{+added+}``.

    >>> char_diff("负责审批并上报。", "负责审批并反馈街镇。")
    '负责审批并[-上报-]{+反馈街镇+}。'
    """
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(old[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{old[i1:i2]}-]")
        if j2 > j1:
            out.append(f"{{+{new[j1:j2]}+}}")
    return "".join(out)
