"""Who receives a handoff whose clause names no receiver (``…后上报``, ``定期报送台账``).

A town's bare report goes to the responsible department whose own duties take in such reports
and share the clause's words (``inferred``: the receiver comes from another cell), else to the
matter's sole or lead department (``implicit``). A department's bare notice or assignment goes
down to the town (``implicit``), unless the clause is about the public (对…企业下达).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .actors import Actor, ActorReader
from .lexicon import Lexicon

__all__ = [
    "PUBLIC",
    "MatterContext",
    "Receiver",
    "bigrams",
    "department_text",
    "implied_sender",
    "implied_receiver",
    "receiving_text",
]

#: the receiver of a notice to businesses or residents: not an actor of the handoff graph
PUBLIC = Actor("", "not_actor")


@dataclass
class MatterContext:
    matter_id: str
    number: int
    responsible: list[str]  # cell 3, in order
    receiving_text: dict[str, str]  # department -> text of its duties that take in town input
    department_text: dict[str, str] = field(default_factory=dict)  # department -> its duties


@dataclass(frozen=True)
class Receiver:
    actor: Actor
    how: str  # inferred | implicit


def receiving_text(
    duties: Iterable[Mapping[str, Any]], town_report: re.Pattern[str]
) -> dict[str, str]:
    """For each department, the text of its duties (rows of one matter) that take in the town's
    reports."""
    out: dict[str, str] = {}
    for duty in duties:
        if duty["owner_kind"] == "department" and town_report.search(duty["text"]):
            out[duty["owner"]] = out.get(duty["owner"], "") + duty["text"]
    return out


def department_text(duties: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """For each department of a matter, the text of all its duties (rows of one matter)."""
    out: dict[str, str] = {}
    for duty in duties:
        if duty["owner_kind"] == "department":
            owner = str(duty["owner"])
            out[owner] = out.get(owner, "") + str(duty["text"])
    return out


def implied_sender(
    verb: str, clause: str, matter: MatterContext, lexicon: Lexicon
) -> Receiver | None:
    """Who handed the town what its clause names without a sender (根据下发的名单, 收到审核结果
    后): the one department whose own duties use the same verb (``inferred``), or the one that
    shares most of the clause's words; else the matter's sole department (``implicit``); else
    None (the clause is listed as unresolved)."""
    using = [d for d, text in matter.department_text.items() if verb in text]
    if len(using) == 1:
        return Receiver(Actor(using[0], "department"), "inferred")
    candidates = using or list(matter.department_text)
    stop = set(lexicon["overlap_stopwords"])
    grams = bigrams(clause) - stop
    scored = sorted(
        ((len(grams & (bigrams(matter.department_text[d]) - stop)), d) for d in candidates),
        reverse=True,
    )
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return Receiver(Actor(scored[0][1], "department"), "inferred")
    if len(matter.responsible) == 1:
        return Receiver(Actor(matter.responsible[0], "department"), "implicit")
    return None


def implied_receiver(
    sender: Actor,
    verb_class: str,
    clause: str,
    matter: MatterContext,
    actors: ActorReader,
    lexicon: Lexicon,
    topic: str = "",
    verb_at: int | None = None,
    sentence: str = "",
) -> Receiver | None:
    """The receiver a handoff without a named one goes to: an actor, :data:`PUBLIC` when the
    text hands it to the public (no edge, and nothing unresolved), or None when the text
    implies no one."""
    if sender.kind == "town" and verb_class in (
        "report",
        "feedback",
        "provide",
        "send",
        "transfer",
        "escalate",
    ):
        if not matter.responsible:
            return None
        # a clause that names no object of its own (审核后报送) reads with its sentence
        words = _without(clause, [*lexicon["bare_report_words"], *lexicon.verb_class])
        said = clause if len(re.findall(r"[\u4e00-\u9fff]", words)) >= 2 else sentence or clause
        name, inferred = _pick_department(said, matter, lexicon)
        return Receiver(Actor(name, "department"), "inferred" if inferred else "implicit")
    if sender.kind == "department" and verb_class in ("assign", "feedback", "notify", "send"):
        # 对违法违规的企业下达整改指令: the 对-object (the public) receives, not the town
        # (or a clause before: 对…拒不送子女入学的家长，依法下达…通知书)
        objects = "|".join(map(re.escape, lexicon["actors"]["not_actors"]))
        to = r"(?<![比核应面相绝反校查])对"
        before = clause[:verb_at] if verb_at is not None else clause
        if re.search(rf"{to}[^，。；]*?(?:{objects})(?:等)?$", before) or re.search(
            rf"{to}[^，。；]*?(?:{objects})(?:等)?$", topic
        ):
            return Receiver(PUBLIC, "implicit")
        return Receiver(Actor(actors.town, "town"), "implicit")
    if sender.kind == "town" and verb_class in ("assign", "notify"):
        return Receiver(PUBLIC, "implicit")  # the town's own notices go to the public
    if sender.kind == "village" and verb_class in ("report", "feedback", "provide", "send"):
        return Receiver(Actor(actors.town, "town"), "implicit")  # 村级发现火点立即上报
    return None


def _pick_department(clause: str, matter: MatterContext, lexicon: Lexicon) -> tuple[str, bool]:
    """The responsible department a bare 上报 points to, and whether another cell told: the one
    whose duties that take in the town's reports share most of the clause's words, else the
    first (lead) department."""
    lead = matter.responsible[0]
    if len(matter.responsible) == 1:
        return lead, False
    stop = set(lexicon["overlap_stopwords"])
    grams = bigrams(clause) - stop
    best, score = lead, 0
    for name in matter.responsible:
        overlap = len(grams & (bigrams(matter.receiving_text.get(name, "")) - stop))
        if overlap > score:
            best, score = name, overlap
    return best, score > 0


def _without(text: str, words: list[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def bigrams(text: str) -> set[str]:
    """The pairs of adjacent ideographs of a text (its words, roughly)."""
    chars = re.sub(r"[^\u4e00-\u9fff]", "|", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1) if "|" not in chars[i : i + 2]}
