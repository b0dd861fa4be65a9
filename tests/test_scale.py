"""Province scale: parallel loading, scoped reads, and the lean graphs the questions build."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli
from dutygraph.errors import ListFormatError, StoreError
from dutygraph.graphmodel.build import build_graph
from dutygraph.parallel import load_many
from dutygraph.queries import QUESTION_FUNCTIONS, QUESTION_TABLES
from dutygraph.store import Store
from dutygraph.synth import synthesize

OTHER_TOWNS = sorted(
    (REFERENCE_LIST.parent.parent / "tests" / "fixtures" / "other_towns").glob("*.txt")
)


@pytest.fixture(scope="module")
def many_lists(tmp_path_factory):
    """The reference list, the other towns' lists and four synthetic lists."""
    root = tmp_path_factory.mktemp("many")
    synthetic = [s.path for s in synthesize(4, seed=11, out_dir=root / "synth", matters=20)]
    return [REFERENCE_LIST, *OTHER_TOWNS, *synthetic]


@pytest.fixture(scope="module")
def many_store(tmp_path_factory, many_lists):
    store = Store(tmp_path_factory.mktemp("many_store") / "s.db")
    store.save_lists(load_many(many_lists, jobs=2))
    return store


def test_parallel_loading_gives_the_tables_of_serial_loading_in_order(many_lists):
    parallel = list(load_many(many_lists, jobs=2))
    serial = list(load_many(many_lists, jobs=1))
    assert [t.list_id for t in parallel] == [t.list_id for t in serial]
    for a, b in zip(parallel, serial, strict=True):
        pd.testing.assert_frame_equal(a.handoffs, b.handoffs)
        pd.testing.assert_frame_equal(a.duties, b.duties)


def test_with_all_or_nothing_a_bad_file_among_many_fails_the_load_and_writes_nothing(
    tmp_path, many_lists
):
    bad = tmp_path / "bad.txt"
    bad.write_text("某某镇配合履职事项清单\n序号\t事项名称\n1\t只有两格\n", encoding="utf-8")
    store = tmp_path / "s.db"
    result = CliRunner(env={"DUTYGRAPH_LANG": "en"}).invoke(
        cli,
        ["load", *map(str, many_lists[:3]), str(bad), "--store", str(store), "-j", "2"]
        + ["--all-or-nothing"],
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {bad}")
    assert Store(store).list_ids() == []


def test_a_format_error_survives_the_trip_from_a_worker_process():
    import pickle

    err = pickle.loads(pickle.dumps(ListFormatError("a.txt", "line 7", "5 cells")))
    assert (err.path, err.where, str(err)) == ("a.txt", "line 7", "a.txt, line 7: expected 5 cells")


def test_the_load_command_reports_every_list_in_the_order_given(tmp_path, many_lists):
    result = CliRunner(env={"DUTYGRAPH_LANG": "en"}).invoke(
        cli, ["load", *map(str, many_lists), "--store", str(tmp_path / "s.db"), "-q"]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("loaded ")]
    loaded = [line.split(":")[0] for line in lines]
    assert loaded[0] == "loaded 卜尔汉图镇" and len(loaded) == len(many_lists)


def test_a_table_is_read_with_only_the_columns_asked_for(many_store):
    duties = many_store.table("duties", columns=["list_id", "owner"])
    assert list(duties.columns) == ["list_id", "owner"] and len(duties) > 1000
    with pytest.raises(StoreError, match="no columns"):
        many_store.table("duties", columns=["nope"])


@pytest.mark.parametrize("question", sorted(QUESTION_FUNCTIONS))
def test_each_question_answers_on_its_lean_graph_as_on_the_whole_graph(many_store, question):
    whole = build_graph(many_store)
    lean = build_graph(many_store, tables=QUESTION_TABLES[question])
    ask, _ = QUESTION_FUNCTIONS[question]
    args = ("卜尔汉图镇", "区住房和城乡建设局") if question == "path" else ()
    expected = ask(whole, *args)
    if expected.empty:  # the question's own tests compare its lean graph on lists made for it
        pytest.skip(f"{question} has no row on these lists")
    pd.testing.assert_frame_equal(ask(lean, *args), expected)
