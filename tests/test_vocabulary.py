"""An analyst's own vocabulary folder extends the packaged files without copying them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support_lists import write_list

from dutygraph.cli import cli
from dutygraph.errors import VocabularyError
from dutygraph.loaders import load_list
from dutygraph.vocabulary import Vocabulary

ROW = (
    "1\t事项\t区民政局\t区民政局：1. 审核。 履职保障：提供业务指导。"
    "\t1. 呈递区民政局。 2. 自然村报告的情况，呈递区民政局。"
)


def test_a_verb_appended_in_an_override_file_is_read(tmp_path):
    path = write_list(tmp_path / "l.txt", [ROW])
    assert load_list(path).handoffs.empty  # 呈递 is not a packaged verb
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "handoff_rules.yaml").write_text("verbs:\n  report+: [呈递]\n", encoding="utf-8")
    tables = load_list(path, vocab=Vocabulary.load(vocab))
    assert set(tables.handoffs["type"]) == {"reports_to"}
    assert set(tables.handoffs["dst"]) == {"区民政局"}


def test_own_departments_csv_adds_rows_and_keeps_the_packaged_ones(tmp_path):
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "departments.csv").write_text(
        "name,level,aliases\n区新设局,区,区新局\n", encoding="utf-8"
    )
    directory = Vocabulary.load(vocab).departments
    assert directory.resolve("区新局").name == "区新设局"
    assert directory.resolve("区工业与信息化局").name == "区工业和信息化局"


def test_a_malformed_vocabulary_file_is_one_clear_error(tmp_path):
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "departments.csv").write_text("# mine\nname,level\n区新设局,县级\n", encoding="utf-8")
    with pytest.raises(
        VocabularyError, match=r"departments.csv, line 3: expected a name and a level"
    ):
        Vocabulary.load(vocab)


@pytest.mark.usefixtures("english")
def test_the_cli_takes_the_vocabulary_folder(tmp_path):
    path = write_list(tmp_path / "l.txt", [ROW])
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "handoff_rules.yaml").write_text("verbs:\n  report+: [呈递]\n", encoding="utf-8")
    store = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["load", str(path), "--store", str(store), "--vocab", str(vocab), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "1 matters in 0 categories, 3 duties, 2 handoffs" in result.output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "handoff_rules.yaml").write_text("verbs: [", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["load", str(path), "--store", str(store), "--vocab", str(bad)]
    )
    assert result.exit_code == 2
    assert "handoff_rules.yaml: not valid YAML" in result.output
