"""Kept answers: what `load` keeps of the report questions reads back as the graph answers it,
for the whole store and any selection, and is dropped when what it rests on changes."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dutygraph.answers import answers, compute, kept_questions
from dutygraph.cli import cli
from dutygraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
LISTS = [
    ROOT / "data" / "000_5b382267ef9e6b6d.txt",
    FIXTURES / "other_towns" / "green_county_town.txt",
    FIXTURES / "other_towns" / "river_street.txt",
    FIXTURES / "kinds" / "green_county_town_taken_back.txt",  # the same town, a 收回 list
    FIXTURES / "unseen" / "wulan_sumu.txt",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    path = tmp_path_factory.mktemp("answers") / "s.db"
    result = CliRunner().invoke(
        cli, ["load", *map(str, LISTS), "--store", str(path), "-q", "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    return Store(path)


def kept_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM answers").fetchone()[0]


def test_load_keeps_every_report_question_for_every_list(store):
    assert kept_rows(store.path) == len(kept_questions()) * len(store.list_ids())


def test_kept_answers_are_the_graph_answers_for_the_store_and_each_selection(store):
    ids = store.list_ids()
    town_of = dict(store.list_towns())
    green = [i for i in ids if town_of[i] == town_of[ids[1]]]
    for selection in (ids, ids[:1], ids[1:3], green, [i for i in ids if i not in green]):
        direct = compute(store, selection, kept_questions())
        kept = answers(store, selection)
        for name in kept_questions():
            pd.testing.assert_frame_equal(kept[name], direct[name], obj=f"{name} {selection}")


def test_a_selection_with_part_of_a_town_answers_on_that_part(store):
    ids = store.list_ids()
    town_of = dict(store.list_towns())
    taken_back = [i for i in ids if "收回" in i]
    assert taken_back, ids
    part = [i for i in ids if town_of[i] == town_of[taken_back[0]] and i not in taken_back]
    direct = compute(store, part, ["support-gaps"])["support-gaps"]
    pd.testing.assert_frame_equal(answers(store, part, ["support-gaps"])["support-gaps"], direct)


def test_the_query_command_prints_the_kept_answer(store):
    for key in kept_questions():  # "feedback-gaps --closed" is asked as it is written
        result = CliRunner().invoke(
            cli, ["query", *key.split(), "--store", str(store.path), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        expected = compute(store, store.list_ids(), [key])[key]
        assert len(expected) > 0, key
        assert pd.read_json(io.StringIO(result.output)).shape == expected.shape, key


def test_a_change_to_a_list_drops_the_answers_of_its_town_only(tmp_path, store):
    path = tmp_path / "copy.db"
    with sqlite3.connect(store.path) as source, sqlite3.connect(path) as target:
        source.backup(target)
    copy = Store(path)
    ids, town_of = copy.list_ids(), dict(copy.list_towns())
    changed = ids[1]
    mates = [i for i in ids if town_of[i] == town_of[changed]]
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM handoffs WHERE list_id = ? AND type = 'reports_to'", (changed,))
        left = {r[0] for r in conn.execute("SELECT DISTINCT list_id FROM answers")}
    assert left == set(ids) - set(mates)
    for name, frame in answers(copy).items():
        pd.testing.assert_frame_equal(frame, compute(copy, ids, [name])[name], obj=name)


def test_a_correction_drops_every_kept_answer(tmp_path, store):
    path = tmp_path / "copy.db"
    with sqlite3.connect(store.path) as source, sqlite3.connect(path) as target:
        source.backup(target)
    copy = Store(path)
    copy.save_corrections(
        pd.DataFrame(
            [{"town": "卜尔汉图镇", "kind": "配合", "matter": 1, "decision": "ok"}]
        ).reindex(columns=list(copy.table("corrections").columns), fill_value="")
    )
    assert kept_rows(path) == 0


def test_compare_counts_the_kept_loops_as_the_graph_gives_them(store):
    from dutygraph.compare import comparable_lists, compare_tables, compare_towns
    from dutygraph.graphmodel.build import GRAPH_TABLES

    kept = compare_towns(store, store.list_ids())
    ids = comparable_lists(store, store.list_ids())  # each town's latest 配合 list
    on_graph = compare_tables({name: store.table(name, ids) for name in GRAPH_TABLES})
    for part in ("towns", "departments", "matters", "unshared"):
        pd.testing.assert_frame_equal(getattr(kept, part), getattr(on_graph, part), obj=part)
