"""Who receives a handoff whose clause names no receiver (``…后上报``, ``定期报送台账``).

A town's bare report goes to the responsible department whose own duties take in such reports
and share the clause's words (``inferred``: the receiver comes from another cell), else to the
matter's sole or lead department (``implicit``). A department's bare notice or assignment goes
down to the town (``implicit``), unless the clause is about the public (对…企业下达).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .actors import Actor, ActorReader
from .lexicon import Lexicon

__all__ = [
    "PUBLIC",
    "MatterContext",
    "Receiver",
    "bigrams",
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


@dataclass(frozen=True)
class Receiver:
    actor: Actor
    how: str  # inferred | implicit


def receiving_text(duties: pd.DataFrame, town_report: re.Pattern[str]) -> dict[str, str]:
    """For each department, the text of its duties that take in the town's reports."""
    out: dict[str, str] = {}
    for _, duty in duties[duties["owner_kind"] == "department"].iterrows():
        if town_report.search(duty["text"]):
            out[duty["owner"]] = out.get(duty["owner"], "") + duty["text"]
    return out


def implied_receiver(
    sender: Actor,
    verb_class: str,
    clause: str,
    matter: MatterContext,
    actors: ActorReader,
    lexicon: Lexicon,
    topic: str = "",
) -> Receiver | None:
    """The receiver a handoff without a named one goes to: an actor, :data:`PUBLIC` when the
    text hands it to the public (no edge, and nothing unresolved), or None when the text
    implies no one."""
    if sender.kind == "town" and verb_class in ("report", "feedback", "provide", "send"):
        if not matter.responsible:
            return None
        name, inferred = _pick_department(clause, matter, lexicon)
        return Receiver(Actor(name, "department"), "inferred" if inferred else "implicit")
    if sender.kind == "department" and verb_class in ("assign", "feedback", "notify", "send"):
        # 对违法违规的企业下达整改指令: the 对-object (the public) receives, not the town
        # (or a clause before: 对…拒不送子女入学的家长，依法下达…通知书)
        objects = "|".join(map(re.escape, lexicon["actors"]["not_actors"]))
        to = r"(?<![比核应面相绝反校查])对"
        if re.search(rf"{to}[^，。；]*?(?:{objects})", clause) or re.search(
            rf"{to}[^，。；]*?(?:{objects})$", topic
        ):
            return Receiver(PUBLIC, "implicit")
        return Receiver(Actor(actors.town, "town"), "implicit")
    if sender.kind == "town" and verb_class in ("assign", "notify"):
        return Receiver(PUBLIC, "implicit")  # the town's own notices go to the public
    return None


def _pick_department(clause: str, matter: MatterContext, lexicon: Lexicon) -> tuple[str, bool]:
    """The responsible department a bare 上报 points to, and whether another cell told: the one
    whose receiving duties share the clause's words, else the first (lead) department."""
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


def bigrams(text: str) -> set[str]:
    """The pairs of adjacent ideographs of a text (its words, roughly)."""
    chars = re.sub(r"[^\u4e00-\u9fff]", "|", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1) if "|" not in chars[i : i + 2]}
