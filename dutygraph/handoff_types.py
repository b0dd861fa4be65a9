"""The handoff types of ../shared/handoff-types.md: one enum, everything else derived from it.

Each type carries the colour its edges are drawn in and its direction (``up`` carries a case up
the hierarchy: escalation chains follow these). Its label in the analyst's language is
``i18n.label("type", code)`` (``vocab/labels.csv``; a type without a row shows its code). The
order of the members is the order reports, joins and sorts use. A new type is one member here
(and, for the graph, its relationship type in ``graphmodel.schema.RelType``); the schema, the
CLI's ``--type`` choice, the diagrams' styles and legends, the report and the questions read it
from here, and ``tests/test_handoff_types.py`` draws every view and the report for each type.

>>> HandoffType("escalates_to").colour, HandoffType.ESCALATES_TO.direction
('#d62728', 'up')
>>> [t.value for t in HandoffType if t.is_upward]
['reports_to', 'escalates_to']
>>> HandoffType.REPORTS_TO.rel
'REPORTS_TO'
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Literal

__all__ = ["HandoffType"]

Direction = Literal["up", "back", "down", "across"]


class HandoffType(StrEnum):
    """A handoff type: its code (the value), edge colour and direction."""

    colour: str
    direction: Direction

    if not TYPE_CHECKING:  # members are looked up by code: HandoffType("reports_to")

        def __new__(cls, code: str, colour: str, direction: Direction) -> HandoffType:
            member = str.__new__(cls, code)
            member._value_ = code
            member.colour = colour
            member.direction = direction
            return member

    # colour-blind-safe-ish Tableau colours
    REPORTS_TO = "reports_to", "#1f77b4", "up"
    FEEDS_BACK_TO = "feeds_back_to", "#2ca02c", "back"
    ESCALATES_TO = "escalates_to", "#d62728", "up"
    ASSIGNS_TO = "assigns_to", "#ff7f0e", "down"
    REFERS_TO = "refers_to", "#9467bd", "across"

    @property
    def rel(self) -> str:
        """Its relationship type in the graph and in Cypher: ``REPORTS_TO``."""
        return self.value.upper()

    @property
    def is_upward(self) -> bool:
        """Whether it carries a case up the hierarchy (escalation chains follow it)."""
        return self.direction == "up"

    @property
    def label(self) -> str:
        """What analysts call it, in the current language (上报, 提级上报 …)."""
        from .i18n import label

        return label("type", self.value)
