"""`dutygraph load DIR|FILES|GLOBS`: good files load, bad ones are reported, the run says which."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from support_formats import ALL_LISTS, list_layout, write_docx, write_xlsx
from support_lists import REFERENCE_LIST

from dutygraph.batch import list_files, outcome_rows, outcomes_table, parse_files
from dutygraph.cli import cli
from dutygraph.store import Store


@pytest.fixture
def folder(tmp_path):
    """Lists as an analyst's folder holds them: text, Excel, Word in a subfolder, and two bad
    files (an empty text file, a Word document with no table)."""
    root = tmp_path / "lists"
    (root / "sub").mkdir(parents=True)
    shutil.copy(REFERENCE_LIST, root / "a_reference.txt")
    write_xlsx(list_layout(ALL_LISTS[1]), root / "b_green.xlsx")
    write_docx(list_layout(ALL_LISTS[2]), root / "sub" / "c_river.docx")
    (root / "d_empty.txt").write_bytes(b"")
    import docx

    prose = docx.Document()
    prose.add_paragraph("会议纪要")
    prose.save(root / "sub" / "e_minutes.docx")
    (root / "notes.md").write_text("not a list", encoding="utf-8")
    return root


def test_a_folder_is_searched_for_lists_with_their_subfolders(folder):
    names = [p.name for p in list_files([folder])]
    assert names == [
        "a_reference.txt",
        "b_green.xlsx",
        "d_empty.txt",
        "c_river.docx",
        "e_minutes.docx",
    ]


def test_globs_and_files_are_expanded_once_each(folder):
    files = list_files([str(folder / "**" / "*.docx"), folder / "sub" / "c_river.docx"])
    assert [p.name for p in files] == ["c_river.docx", "e_minutes.docx"]


def test_parsing_in_processes_gives_the_same_lists_as_in_this_process(folder):
    files = list_files([folder])
    here = {o.path: o for o in parse_files(files, jobs=1)}
    workers = {o.path: o for o in parse_files(files, jobs=2)}
    assert here.keys() == workers.keys()
    for path, outcome in here.items():
        assert outcome.error == workers[path].error
        assert [t.list_id for t in outcome.lists] == [t.list_id for t in workers[path].lists]
        for mine, theirs in zip(outcome.lists, workers[path].lists, strict=True):
            assert mine.handoffs.equals(theirs.handoffs)


@pytest.mark.usefixtures("english")
def test_load_folder_loads_the_good_files_and_reports_the_bad(folder, tmp_path):
    store = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["load", str(folder), "--store", str(store), "-q"])
    assert result.exit_code == 2
    assert sorted(Store(store).list_ids()) == sorted(
        ["卜尔汉图镇:配合", "红旗镇:配合:2025", "滨河街道:配合"]
    )
    table = result.output.splitlines()
    failed = [line for line in table if " failed " in line]
    assert len(failed) == 2
    reasons = {line.split()[0].rsplit("/", 1)[-1]: line for line in failed}
    assert "expected a duty list; the file is empty" in reasons["d_empty.txt"]
    assert "expected a duty list as a Word table; found no table" in reasons["e_minutes.docx"]
    assert len([line for line in table if " loaded " in line]) == 3


def test_load_all_or_nothing_writes_nothing_when_a_file_fails(folder, tmp_path):
    store = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["load", str(folder), "--store", str(store), "-q", "--all-or-nothing"]
    )
    assert result.exit_code == 2
    assert "d_empty.txt" in result.output
    assert Store(store).list_ids() == []


def test_a_workbook_of_two_lists_loads_both(tmp_path):
    path = write_xlsx([list_layout(ALL_LISTS[1]), list_layout(ALL_LISTS[3])], tmp_path / "two.xlsx")
    store = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(Store(store).list_ids()) == ["红旗镇:配合:2025", "西岸乡:配合"]


def test_the_outcome_table_has_a_row_per_list_and_per_failure(folder):
    outcomes = list(parse_files(list_files([folder]), jobs=1))
    table = outcomes_table([row for outcome in outcomes for row in outcome_rows(outcome)])
    assert table["status"].value_counts().to_dict() == {"loaded": 3, "failed": 2}
    assert table.loc[table["status"] == "loaded", "matters"].tolist() == [69, 21, 20]


def test_a_folder_without_list_files_is_named_with_the_suffixes_looked_for(tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    (empty / "notes.md").write_text("not a list", encoding="utf-8")
    store = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["load", str(empty), "--store", str(store)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"错误：{empty}：文件夹中没有清单文件（查找的后缀：.txt .tsv .csv .xlsx .xlsm .xls .docx "
        ".html .htm .pdf）"
    ]
    assert not store.exists()


def test_loading_one_file_again_under_another_list_id_warns_naming_the_first(tmp_path):
    store = str(tmp_path / "s.db")
    first = CliRunner().invoke(cli, ["load", str(REFERENCE_LIST), "--store", store, "-q"])
    assert first.exit_code == 0 and "警告" not in first.output
    again = CliRunner().invoke(
        cli, ["load", str(REFERENCE_LIST), "--district", "苏尼特左旗", "--store", store, "-q"]
    )
    assert again.exit_code == 0
    assert again.stderr.strip() == (
        "警告：苏尼特左旗卜尔汉图镇:配合 与存储中已有的 卜尔汉图镇:配合 "
        "是同一个文件（sha256 相同）；两份都保留，全库的答案会把这个乡镇算两次："
        "请用 --list 选其一，或载入到新的 --store"
    )


def test_loading_one_list_again_under_its_id_replaces_it_without_a_warning(tmp_path):
    store = str(tmp_path / "s.db")
    for _ in range(2):
        result = CliRunner().invoke(cli, ["load", str(REFERENCE_LIST), "--store", store, "-q"])
        assert result.exit_code == 0 and "警告" not in result.output
    assert Store(store).list_ids() == ["卜尔汉图镇:配合"]


def test_the_lists_of_one_workbook_are_not_taken_for_copies_of_each_other(tmp_path):
    layouts = [list_layout(ALL_LISTS[1]), list_layout(ALL_LISTS[3])]
    path = write_xlsx(layouts, tmp_path / "two.xlsx")
    store = str(tmp_path / "s.db")
    for _ in range(2):  # and loaded again, each replaces itself
        result = CliRunner().invoke(cli, ["load", str(path), "--store", store, "-q"])
        assert result.exit_code == 0 and "同一个文件" not in result.output


def test_a_folder_reads_files_without_a_suffix_and_names_the_files_it_skips(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    write_xlsx(list_layout(ALL_LISTS[1]), batch / "附件1")  # a workbook saved without .xlsx
    shutil.copy(REFERENCE_LIST, batch / "卜尔汉图镇清单")  # a text list without .txt
    (batch / "notes.md").write_text("not a list", encoding="utf-8")
    (batch / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert [p.name for p in list_files([batch])] == ["卜尔汉图镇清单", "附件1"]
    store = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["load", str(batch), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[-4:]}
    assert rows == {
        f"{batch}/卜尔汉图镇清单": "已载入",
        f"{batch}/附件1": "已载入",
        f"{batch}/notes.md": "已跳过",
        f"{batch}/scan.png": "已跳过",
    }
    assert result.output.count("不是 dutygraph 能读取的清单（按后缀和内容判断）") == 2
    assert len(Store(store).table("lists")) == 2
