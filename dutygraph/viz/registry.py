"""The diagrams ``dutygraph viz`` draws: one :class:`View` record each, in :data:`VIEWS`.

A record names the view as the CLI spells it, its title (an English msgid shown in the
analyst's language), one line for ``--help``, its target (``matter N``, ``department NAME``)
if it takes one, the function that draws it (``module:function`` inside ``dutygraph.viz``,
imported only when a page is drawn, so ``dutygraph --help`` stays light) and the keyword
options that function takes. The CLI makes one ``dutygraph viz`` subcommand of each,
``views.render_view`` draws through it and the tests iterate it: a new view is one record here,
its function, its docs and its tests.

>>> VIEWS["matter"].target, VIEWS["overview"].target
('MATTER', None)
>>> VIEWS["gaps"].builder
'views:gaps_view'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..i18n import N_
from ..i18n import gettext as _

__all__ = ["VIEWS", "View"]


@dataclass(frozen=True)
class View:
    """One diagram: its name, title, target, the function that draws it and its options."""

    name: str  # as ``dutygraph viz NAME`` spells it
    title: str  # English msgid of its title (总览 …), shown through gettext
    summary: str  # one English line for ``--help`` (translated by the CLI's catalogue)
    builder: str  # "module:function" in dutygraph.viz: (G, [target], **options) -> HTML
    target: str | None = None  # metavar of the one argument it takes (None: takes none)
    target_what: str = ""  # English msgid: what the target is, for the error when it is missing
    options: tuple[str, ...] = ("dim_unreviewed",)  # keywords the function takes

    @property
    def shown_title(self) -> str:
        """Its title in the analyst's language (总览 …)."""
        return _(self.title)

    def draw(self, G: Any, target: str | None = None, **options: Any) -> str:
        """The page, from the options this view takes (the others are ignored)."""
        module, function = self.builder.split(":")
        build: Callable[..., str] = getattr(
            importlib.import_module(f"{__package__}.{module}"), function
        )
        taken = {k: v for k, v in options.items() if k in self.options}
        return build(G, target, **taken) if self.target else build(G, **taken)


#: Every view, by name, in the order ``dutygraph viz --help`` lists them.
VIEWS: dict[str, View] = {
    view.name: view
    for view in (
        View(
            "overview",
            N_("Overview"),
            "Towns, villages and departments by level, every handoff aggregated.",
            "views:overview",
        ),
        View(
            "matter",
            N_("Matter"),
            "One matter top-down, each handoff with its evidence (one panel per town).",
            "views:matter_page",
            target="MATTER",
            target_what="a matter number (序号)",
            options=("dim_unreviewed", "list_id"),
        ),
        View(
            "department",
            N_("Department"),
            "One department: the matters it leads and its handoffs (towns, with several).",
            "views:department_page",
            target="DEPARTMENT",
            target_what="a department name",
        ),
        View(
            "escalations",
            N_("Escalation chains"),
            "The escalation chains: who a case travels up to, per matter.",
            "views:escalations_view",
        ),
        View(
            "gaps",
            N_("Feedback gaps"),
            "What the town hands up with nothing coming back, against closed loops.",
            "views:gaps_view",
        ),
        View(
            "district",
            N_("District"),
            "The towns and the departments they exchange work with, by level.",
            "many:district_view",
        ),
        View(
            "province",
            N_("Province (by district)"),
            "Each district folded into one node, with the city and province departments.",
            "many:province_view",
        ),
    )
}
