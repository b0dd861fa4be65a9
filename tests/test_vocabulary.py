"""An analyst's own vocabulary folder extends the packaged files without copying them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support_lists import write_list

from dutygraph.cli import cli
from dutygraph.errors import VocabularyError
from dutygraph.pipeline import load_list
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


@pytest.mark.usefixtures("english")
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
    assert "handoff_rules.yaml, line 1, column 9: not valid YAML" in result.output


def _folder(root, name: str, text: str):
    root.mkdir()
    (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_misspelt_vocabulary_file_name_is_an_error_naming_the_known_files(tmp_path):
    path = write_list(tmp_path / "l.txt", [ROW])
    typo = _folder(tmp_path / "typo", "department.csv", "name,level,aliases\n区X中心,区,\n")
    result = CliRunner().invoke(
        cli, ["load", str(path), "--store", str(tmp_path / "s.db"), "--vocab", str(typo)]
    )
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：{typo / 'department.csv'}：不是 dutygraph 读取的词表文件（应为 departments.csv、"
        "handoff_rules.yaml、handoff_frames.yaml、list_format.yaml、guarantees.yaml、places.yaml、"
        "compare.yaml、questions.yaml）"
    ]


def test_a_misspelt_key_of_a_vocabulary_file_is_an_error_naming_the_known_keys(tmp_path):
    nested = _folder(tmp_path / "a", "handoff_rules.yaml", "verbs:\n  reprot+: [呈递]\n")
    with pytest.raises(
        VocabularyError, match=r"handoff_rules.yaml：未知的键 reprot\+（应为 report、"
    ):
        Vocabulary.load(nested)
    top = _folder(tmp_path / "b", "compare.yaml", "matter_treshold: 0.5\n")
    with pytest.raises(VocabularyError, match=r"compare.yaml：未知的键 matter_treshold（应为 "):
        Vocabulary.load(top)


def test_a_vocabulary_row_or_yaml_error_says_where_in_chinese(tmp_path):
    short = _folder(tmp_path / "a", "departments.csv", "name,level,aliases\n区X局\n")
    with pytest.raises(VocabularyError) as row:
        Vocabulary.load(short)
    assert str(row.value).endswith(
        "第 2 行：应为名称和层级（区/市/省/部/其他），实际为 '区X局'、''"
    )
    broken = _folder(tmp_path / "b", "handoff_rules.yaml", "verbs: [\n")
    with pytest.raises(VocabularyError) as yaml_error:
        Vocabulary.load(broken)
    assert str(yaml_error.value).startswith(
        f"{broken / 'handoff_rules.yaml'}，第 2 行第 1 列：不是有效的 YAML（PyYAML："
    )
