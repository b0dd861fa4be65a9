"""Frames: verb class × the kinds and levels of sender and receiver × the clause's conditions
-> the type of a handoff. The frames are data (``vocab/handoff_frames.yaml``), tried in order.

>>> from dutygraph.vocabulary import Vocabulary
>>> frames = Frames.load(Vocabulary.load())
>>> town, bureau = Actor("红旗镇", "town"), Actor("县民政局", "department")
>>> frames.pick("report", town, bureau, Conditions()).type
'reports_to'
>>> frames.pick("report", town, bureau, Conditions(refusal=True)).id
'town-refusal'
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import VocabularyError
from ..i18n import gettext as _
from ..tables import HANDOFF_TYPES
from ..vocabulary import Vocabulary
from .actors import Actor, level_rank

__all__ = ["Conditions", "Frame", "Frames"]

_DIRECTIONS = ("up", "down", "peer", "any")


@dataclass(frozen=True)
class Conditions:
    """What a clause says besides its verb and its actors (the `when` words of a frame)."""

    refusal: bool = False
    enforcement: bool = False
    town_input: bool = False
    case: bool = False
    paperwork: bool = False
    result: bool = False
    to_lead: bool = False
    stated: bool = False
    outcome: bool = False
    action: bool = False
    topic: bool = False

    def holds(self, name: str) -> bool:
        return bool(getattr(self, name))


_CONDITION_NAMES = frozenset(f.name for f in fields(Conditions))


@dataclass(frozen=True)
class Frame:
    """One row of ``handoff_frames.yaml``."""

    id: str
    senders: frozenset[str]
    receivers: frozenset[str]
    direction: str
    verbs: frozenset[str]
    when: tuple[str, ...]
    unless: tuple[str, ...]
    type: str
    defer: str = ""

    def matches(self, verb_class: str, src: Actor, dst: Actor, rise: int, cond: Conditions) -> bool:
        return (
            src.kind in self.senders
            and dst.kind in self.receivers
            and ("any" in self.verbs or verb_class in self.verbs)
            and _direction_holds(self.direction, rise)
            and all(cond.holds(c) for c in self.when)
            and not any(cond.holds(c) for c in self.unless)
        )


def _direction_holds(direction: str, rise: int) -> bool:
    return (
        direction == "any"
        or (direction == "up" and rise > 0)
        or (direction == "down" and rise < 0)
        or (direction == "peer" and rise == 0)
    )


@dataclass(frozen=True)
class Frames:
    frames: tuple[Frame, ...]
    vocab: Vocabulary

    @classmethod
    def load(cls, vocab: Vocabulary) -> Frames:
        return cls(tuple(_frame(row, i) for i, row in enumerate(vocab.handoff_frames, 1)), vocab)

    def pick(self, verb_class: str, src: Actor, dst: Actor, cond: Conditions) -> Frame | None:
        """The first frame that types a handoff of ``verb_class`` from src to dst, or None."""
        rise = level_rank(dst, self.vocab) - level_rank(src, self.vocab)
        for frame in self.frames:
            if frame.matches(verb_class, src, dst, rise, cond):
                return frame
        return None


def _as_set(value: Any) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value or [])


def _frame(row: dict[str, Any], position: int) -> Frame:
    """A frame from its YAML row; a row that cannot work is a VocabularyError naming it."""
    where = _("handoff_frames.yaml: frame {position} ({id})").format(
        position=position, id=row.get("id", "?")
    )
    missing = [k for k in ("id", "from", "to", "verbs", "type") if k not in row]
    if missing:
        raise VocabularyError(
            _("{where}: expected the keys id, from, to, verbs, type").format(where=where)
        )
    conditions = [*row.get("when", []), *row.get("unless", [])]
    unknown = [c for c in conditions if c not in _CONDITION_NAMES]
    if (
        unknown
        or row["type"] not in HANDOFF_TYPES
        or row.get("direction", "any") not in _DIRECTIONS
    ):
        raise VocabularyError(
            _(
                "{where}: expected type in {types}, direction in {directions} and conditions "
                "in {conditions}"
            ).format(
                where=where,
                types=", ".join(HANDOFF_TYPES),
                directions=", ".join(_DIRECTIONS),
                conditions=", ".join(sorted(_CONDITION_NAMES)),
            )
        )
    return Frame(
        id=str(row["id"]),
        senders=_as_set(row["from"]),
        receivers=_as_set(row["to"]),
        direction=row.get("direction", "any"),
        verbs=_as_set(row["verbs"]),
        when=tuple(row.get("when", [])),
        unless=tuple(row.get("unless", [])),
        type=row["type"],
        defer=row.get("defer", ""),
    )
