"""The store (replace, never duplicate, all-or-nothing) and the foundation CLI commands."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST, write_list

from dutygraph.cli import cli
from dutygraph.pipeline import load_list
from dutygraph.store import Store
from dutygraph.tables import Given


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_path(tmp_path, runner):
    path = tmp_path / "s.db"
    result = runner.invoke(cli, ["load", str(REFERENCE_LIST), "--store", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


def _csv(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_loading_a_list_again_replaces_it(store_path, runner):
    before = {
        t: len(Store(store_path).table(t)) for t in ("lists", "matters", "duties", "handoffs")
    }
    result = runner.invoke(cli, ["load", str(REFERENCE_LIST), "--store", str(store_path), "-q"])
    assert result.exit_code == 0
    after = {t: len(Store(store_path).table(t)) for t in before}
    assert after == before == {**before, "lists": 1, "matters": 69}


def test_an_interrupted_load_leaves_the_store_as_it_was(store_path, monkeypatch):
    store = Store(store_path)
    before = len(store.table("duties"))
    tables = load_list(REFERENCE_LIST, given=Given(town="另一镇"))

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(
        Store, "_insert", lambda self, conn, table, frame: explode() if table == "duties" else None
    )
    with pytest.raises(KeyboardInterrupt):
        store.save_list(tables)
    monkeypatch.undo()
    assert store.list_ids() == ["卜尔汉图镇:配合"]
    assert len(store.table("duties")) == before


@pytest.mark.usefixtures("english")
def test_with_all_or_nothing_a_failing_file_writes_nothing(tmp_path, runner):
    good = REFERENCE_LIST
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    path = tmp_path / "s.db"
    result = runner.invoke(
        cli, ["load", str(good), str(bad), "--store", str(path), "--all-or-nothing"]
    )
    assert result.exit_code == 2
    assert (
        result.output.strip().splitlines()[-1]
        == f"Error: {bad}: expected a duty list; the file is empty"
    )
    assert Store(path).list_ids() == []


def test_two_lists_live_side_by_side(store_path, runner):
    result = runner.invoke(
        cli, ["load", str(REFERENCE_LIST), "--town", "第二镇", "--store", str(store_path), "-q"]
    )
    assert result.exit_code == 0
    rows = _csv(runner.invoke(cli, ["lists", "--store", str(store_path), "--format", "csv"]).output)
    assert [(r["list_id"], r["matters"]) for r in rows] == [
        ("卜尔汉图镇:配合", "69"),
        ("第二镇:配合", "69"),
    ]
    only = _csv(
        runner.invoke(
            cli, ["matters", "--store", str(store_path), "--list", "第二镇", "--format", "csv"]
        ).output
    )
    assert {r["town"] for r in only} == {"第二镇"} and len(only) == 69


def test_matters_csv_has_stable_columns_and_filters(store_path, runner):
    out = runner.invoke(
        cli, ["matters", "--store", str(store_path), "--category", "自然资源", "--format", "csv"]
    ).output
    rows = _csv(out)
    assert {"number", "name", "category"} <= set(rows[0])
    assert [(r["number"], r["name"]) for r in rows] == [
        ("45", "违法图斑的核查整改"),
        ("46", "草原综合样地调查"),
    ]
    by_dept = _csv(
        runner.invoke(
            cli,
            [
                "matters",
                "--store",
                str(store_path),
                "--department",
                "区自然资源局",
                "--format",
                "csv",
            ],
        ).output
    )
    assert {r["number"] for r in by_dept} == {"28", "33", "34", "38", "43", "45", "61"}


def test_duties_csv_for_one_matter(store_path, runner):
    rows = _csv(
        runner.invoke(
            cli, ["duties", "--store", str(store_path), "--matter", "3", "--format", "csv"]
        ).output
    )
    assert [(r["matter"], r["owner"], r["number"]) for r in rows] == [
        ("3", "区民政局", "1"),
        ("3", "卜尔汉图镇", "1"),
    ]
    assert rows[1]["text"] == "负责受理农村公益性墓地设置申报，对相关材料进行初步审核并上报。"


def test_json_output_is_a_list_of_records(store_path, runner):
    data = json.loads(
        runner.invoke(cli, ["departments", "--store", str(store_path), "--format", "json"]).output
    )
    assert data[0]["name"] == "区农牧局" and data[0]["matters"] == 19
    assert {"name", "level", "matters", "duties"} <= set(data[0])


def test_table_output_aligns_chinese_text(store_path, runner):
    lines = runner.invoke(
        cli, ["matters", "--store", str(store_path), "--category", "自然资源"]
    ).output.splitlines()
    from dutygraph.formatting import display_width

    assert lines[0].startswith("清单")
    header_cut = display_width(lines[0][: lines[0].index("名称")])
    for line in lines[2:]:
        at = line.index("违法图斑") if "违法图斑" in line else line.index("草原综合")
        assert display_width(line[:at]) == header_cut


@pytest.mark.usefixtures("english")
def test_unknown_list_and_matter_are_one_line_errors(store_path, runner):
    result = runner.invoke(cli, ["matters", "--store", str(store_path), "--list", "无此镇"])
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: no list '无此镇' in " + str(store_path) + "; lists: 卜尔汉图镇:配合\n"
    )
    result = runner.invoke(cli, ["duties", "--store", str(store_path), "--matter", "999"])
    assert result.exit_code == 1 and "no matter 999" in result.output


@pytest.mark.usefixtures("english")
def test_a_missing_store_says_what_to_do(tmp_path, runner):
    result = runner.invoke(cli, ["lists", "--store", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no dutygraph store here" in result.output and "dutygraph load" in result.output


def test_store_defaults_to_the_environment(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("DUTYGRAPH_STORE", str(tmp_path / "env.db"))
    assert runner.invoke(cli, ["load", str(REFERENCE_LIST), "-q"]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_lint_reports_the_reference_lists_findings(runner):
    result = runner.invoke(cli, ["lint", str(REFERENCE_LIST), "--format", "csv"])
    assert result.exit_code == 0
    rows = _csv(result.output)
    codes = {r["code"] for r in rows}
    assert "owner-not-responsible" in codes  # matter 38: 其他部门 has duties, cell 3 says 等部门
    assert "named-not-responsible" in codes  # e.g. 区财政局 in matter 16
    assert not [r for r in rows if r["severity"] == "error"]


def test_lint_finds_counts_gaps_empty_cells_and_unknown_names(tmp_path, runner):
    rows = [
        "一、社会保障（3项）\t\t\t\t",
        "1\t甲\t区民政局\t区民政局：1. 审核。 3. 发放。 履职保障：指导。\t1. 上报。",
        "3\t乙\t区新设局\t区新设局：1. 审核。 履职保障：指导。\t",
    ]
    path = write_list(tmp_path / "lint.txt", rows)
    result = runner.invoke(cli, ["lint", str(path), "--format", "csv"])
    codes = [r["code"] for r in _csv(result.output)]
    for code in (
        "category-count",
        "matter-numbering-gap",
        "duty-numbering-gap",
        "empty-cell",
        "unknown-department",
    ):
        assert code in codes, code


@pytest.mark.usefixtures("english")
def test_load_prints_warnings_to_stderr(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["load", str(REFERENCE_LIST), "--store", str(tmp_path / "w.db")])
    assert result.exit_code == 0
    assert "warning: 卜尔汉图镇:配合: matter 38" in result.stderr
    assert result.stdout.startswith("loaded 卜尔汉图镇:配合: 69 matters in 11 categories")


def test_departments_in_vocabulary_reads_yes_or_no_and_stays_an_integer_in_csv_and_json(
    tmp_path, runner
):
    from dataclasses import replace

    tables = load_list(REFERENCE_LIST)
    known = tables.departments
    # a list whose departments table lacks a name its duties give (as a store of several
    # lists loaded by several versions can be): shown with level 其他, not in the vocabulary
    lacking = replace(tables, departments=known[known["name"] != "区农牧局"])
    store = Store(tmp_path / "s.db")
    store.save_lists([lacking])
    table = runner.invoke(cli, ["departments", "--store", str(store.path)]).output.splitlines()
    row = next(line.split() for line in table if line.startswith("区民政局"))
    assert row[1:3] == ["区", "是"]
    rows = json.loads(
        runner.invoke(cli, ["departments", "--store", str(store.path), "--format", "json"]).output
    )
    assert {type(r["in_vocabulary"]) for r in rows} == {int}
    by_name = {r["name"]: r for r in rows}
    assert (by_name["区农牧局"]["level"], by_name["区农牧局"]["in_vocabulary"]) == ("其他", 0)
    assert by_name["区民政局"]["in_vocabulary"] == 1


def test_load_warnings_use_the_chinese_colon_like_the_errors(tmp_path):
    result = CliRunner().invoke(
        cli, ["load", str(REFERENCE_LIST), "--store", str(tmp_path / "s.db")]
    )
    assert "警告：卜尔汉图镇:配合：事项 38（第 77 行）：" in result.stderr
    assert "警告: " not in result.stderr


def test_departments_counts_each_towns_latest_version_of_a_list_once(store_path, runner):
    for version in ("2026", "2025"):  # loaded out of order: the version decides, not the load
        args = ["load", str(REFERENCE_LIST), "--version", version, "--store", str(store_path)]
        assert runner.invoke(cli, [*args, "-q"]).exit_code == 0

    def departments(*lists: str):
        selection = [arg for list_id in lists for arg in ("--list", list_id)]
        args = ["departments", *selection, "--store", str(store_path), "--format", "csv"]
        return runner.invoke(cli, args)

    every_version = departments("卜尔汉图镇")
    assert every_version.exit_code == 0, every_version.output
    assert _csv(every_version.stdout) == _csv(departments("卜尔汉图镇:配合:2026").stdout)
    assert every_version.stderr.strip() == (
        "注：每个乡镇的每种清单只计最新版本；未计入：卜尔汉图镇:配合、卜尔汉图镇:配合:2025"
    )
    assert {row["towns"] for row in _csv(every_version.stdout)} == {"1"}
