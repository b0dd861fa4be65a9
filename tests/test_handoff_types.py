"""Every handoff type of the registry (``HandoffType``) reaches every place that shows one: a
type added there is drawn by every view, answered by every question and reported, never a
``KeyError``; a question or a view added to its registry is tried with every type here too."""

from __future__ import annotations

import pytest
from support_graphs import ListBuilder

from dutygraph.cli import HANDOFF_TYPE_CHOICE
from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.graphmodel.schema import HANDOFF_TYPES, UPWARD_HANDOFF_TYPES, RelType
from dutygraph.handoff_types import HandoffType
from dutygraph.queries import QUESTIONS
from dutygraph.store import Store
from dutygraph.viz.registry import VIEWS
from dutygraph.viz.report import render_report
from dutygraph.viz.views import render_view

DEPT = "区民政局"
#: A target for the views that take one.
TARGETS = {"matter": "1", "department": DEPT}


def _one_handoff_list(handoff_type: HandoffType) -> ListBuilder:
    """One matter in which the town hands 区民政局 something of this type, and back."""
    builder = ListBuilder("甲镇").matter(1, "低保审核", [DEPT])
    builder.handoff(1, "甲镇", DEPT, handoff_type.value, f"镇{handoff_type.value}区民政局")
    builder.handoff(1, DEPT, "甲镇", handoff_type.value, f"区民政局{handoff_type.value}镇")
    return builder


def test_the_schema_and_the_cli_take_their_types_from_the_registry():
    assert HANDOFF_TYPES == tuple(t.value for t in HandoffType)
    assert set(UPWARD_HANDOFF_TYPES) == {t.value for t in HandoffType if t.direction == "up"}
    assert list(HANDOFF_TYPE_CHOICE.choices) == list(HANDOFF_TYPES)
    for handoff_type in HandoffType:
        assert RelType(handoff_type.rel).handoff_type == handoff_type.value


@pytest.mark.parametrize("handoff_type", list(HandoffType), ids=str)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_draws_every_type(handoff_type, view):
    graph = graph_from_tables(_one_handoff_list(handoff_type).tables())
    page = render_view(graph, view, TARGETS.get(view))
    assert page.startswith("<!DOCTYPE html>")
    if view in ("overview", "matter", "department"):
        assert handoff_type.colour in page


@pytest.mark.parametrize("handoff_type", list(HandoffType), ids=str)
def test_the_report_counts_and_shows_every_type(handoff_type, tmp_path):
    store = Store(tmp_path / "dutygraph.db")
    store.save_lists([_one_handoff_list(handoff_type).list_tables()])
    page = render_report(store, store.list_ids())
    assert handoff_type.colour in page and handoff_type.label in page


#: The positional arguments of the questions that take some, on the one-handoff list.
ARGUMENTS = {"path": ("甲镇", DEPT)}


@pytest.mark.parametrize("handoff_type", list(HandoffType), ids=str)
@pytest.mark.parametrize("question", QUESTIONS)
def test_every_question_answers_on_every_type(handoff_type, question):
    graph = graph_from_tables(_one_handoff_list(handoff_type).tables())
    found = QUESTIONS[question].answer(graph, *ARGUMENTS.get(question, ()))
    assert list(found.columns) == list(QUESTIONS[question].columns)
