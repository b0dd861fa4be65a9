"""Cutting a duty into clauses (at ，；。) and giving each clause the context it needs.

A clause reads with its neighbour when the neighbour carries its condition (``对拒不整改的，
上报…``) or says what the receiver then does (``提交县财政局，由县财政局发放``).

>>> text = "审核后，报送县民政局；对拒不整改的，上报县政府。"
>>> [c.text for c in split_clauses(text, ["对"], ["由"])]
['审核后', '报送县民政局', '对拒不整改的', '上报县政府']
>>> split_clauses("对拒不整改的，上报县政府。", ["对"], ["由"])[1].context
'对拒不整改的，上报县政府'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Clause", "split_clauses"]

_CLAUSE = re.compile(r"[^，。；,;！？!?]+")
_SENTENCE_END = "。；;！？!?"


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # offsets in the duty's text
    end: int
    context: str  # the clause with the neighbours that carry its meaning
    opens_sentence: bool  # the clause starts a sentence (a village named earlier no longer holds)


def split_clauses(
    text: str, conditional_starts: list[str], receiver_acts: list[str]
) -> list[Clause]:
    """The clauses of a duty's text, each with its context."""
    spans = list(_spans(text))
    clauses = []
    topic = ""  # a 的-clause earlier in the sentence governs the clauses after it
    for index, (start, end, body) in enumerate(spans):
        context = body
        if start == 0 or text[start - 1] in _SENTENCE_END:
            topic = ""
        if index:
            previous = spans[index - 1][2]
            if (
                previous.endswith("的")
                or previous.startswith(tuple(conditional_starts))
                or ("的" in previous and text[spans[index - 1][1]] in "，,")
            ):
                context = previous + "，" + body  # 调解不成的违规问题，移交…: its topic
                if previous.endswith("的"):
                    topic = previous
            elif topic:
                context = topic + "，" + body  # 调解不成的，引导…，并将线索转区X
        if index + 1 < len(spans) and spans[index + 1][2].startswith(tuple(receiver_acts)):
            context = context + "，" + spans[index + 1][2]
        opens = start == 0 or text[start - 1] in _SENTENCE_END
        clauses.append(Clause(body, start, end, context, opens))
    return clauses


def _spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for match in _CLAUSE.finditer(text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((match.start() + lead, match.start() + lead + len(body), body))
    return out
