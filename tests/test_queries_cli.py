"""``dutygraph query NAME``: the CLI calls the question and formats what comes back."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.queries import DEPENDENT_SUMMARY_COLUMNS, FEEDBACK_SUMMARY_COLUMNS, QUESTIONS

#: The positional arguments of the questions that take some.
ARGUMENTS = {"path": ["甲镇", "区民政局"]}


def _query(store, *args: str):
    return CliRunner().invoke(cli, ["query", *args, "--store", str(store)])


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_question_prints_its_columns_as_csv(two_town_store, name):
    result = _query(two_town_store, name, *ARGUMENTS.get(name, []), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ",".join(QUESTIONS[name].columns)


def test_escalations_csv_lists_the_chains_of_both_towns(two_town_store):
    result = _query(two_town_store, "escalations", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[1] == (
        "乙镇:配合,乙镇,2,大跨度结构建筑安全排查,市,enforcement,"
        "乙镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局,2,escalates_to -> escalates_to,"
        "拒不整改的上报区住房和城乡建设局 | 上报市住房和城乡建设局"
    )
    assert len(lines) == 1 + 6


def test_min_hops_and_list_narrow_the_escalations(two_town_store):
    result = _query(
        two_town_store, "escalations", "--list", "乙镇", "--min-hops", "1", "--format", "json"
    )
    rows = json.loads(result.output)
    assert [r["chain"] for r in rows] == [
        "乙镇 -> 区人民武装部",
        "乙镇 -> 区住房和城乡建设局",
        "乙镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局",
    ]
    assert {r["list_id"] for r in rows} == {"乙镇:配合"}


def test_escalations_beyond_the_district_are_one_command(two_town_store):
    result = _query(two_town_store, "escalations", "--reaches", "市", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.output.splitlines()]
    header = rows[0]
    assert header[4:7] == ["reaches", "chain_kind", "chain"]
    assert [(r[0], r[2], r[4], r[5]) for r in rows[1:]] == [
        ("乙镇:配合", "2", "市", "enforcement"),
        ("甲镇:配合", "3", "市", "enforcement"),
        ("甲镇:配合", "3", "省", "enforcement"),
        ("甲镇:配合", "4", "市", "report"),
        ("甲镇:配合", "5", "市", "enforcement"),
    ]
    enforcement = _query(
        two_town_store,
        "escalations",
        "--reaches",
        "city",
        "--kind",
        "enforcement",
        "--format",
        "csv",
    )
    assert len(enforcement.output.splitlines()) == 1 + 4


def test_beyond_the_district_pastes_into_excel_in_one_command(two_town_store, tmp_path):
    path = tmp_path / "提级.xlsx"
    result = _query(two_town_store, "escalations", "--reaches", "市", "-o", str(path))
    assert result.exit_code == 0, result.output
    cells = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert cells[0][4:7] == ["到达层级", "链条类别", "链条"]
    assert cells[1][4:7] == ["reaches", "chain_kind", "chain"]
    assert [(r[1], r[2], r[4], r[5]) for r in cells[2:]] == [
        ("乙镇", 2, "市", "提级处置"),
        ("甲镇", 3, "市", "提级处置"),
        ("甲镇", 3, "省", "提级处置"),
        ("甲镇", 4, "市", "逐级上报"),
        ("甲镇", 5, "市", "提级处置"),
    ]


def test_the_level_and_kind_read_in_chinese_in_the_table(two_town_store):
    result = _query(two_town_store, "escalations", "--reaches", "省")
    head, _, row = result.output.splitlines()
    assert "到达层级" in head and "链条类别" in head
    assert " 省 " in row and "提级处置" in row


@pytest.mark.usefixtures("english")
def test_the_level_and_kind_read_in_english_on_request(two_town_store):
    result = _query(two_town_store, "escalations", "--reaches", "province")
    head, _, row = result.output.splitlines()
    assert "level reached" in head and "chain kind" in head
    assert "enforcement escalation" in row


@pytest.mark.parametrize(
    ("option", "value", "listed"),
    [
        ("--reaches", "镇", "国家 (national)、省 (province)、市 (city)、区 (district)"),
        ("--kind", "上报", "提级处置 (enforcement)、逐级上报 (report)"),
    ],
)
def test_a_level_or_kind_it_does_not_know_is_a_usage_error_with_the_choices(
    two_town_store, option, value, listed
):
    result = _query(two_town_store, "escalations", option, value)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].endswith(listed)
    assert option in result.output.splitlines()[-1]


def test_feedback_gaps_closed_lists_the_closed_loops(two_town_store):
    rows = json.loads(
        _query(two_town_store, "feedback-gaps", "--closed", "--format", "json").output
    )
    assert [(r["matter"], r["department"]) for r in rows] == [(1, "区人民武装部"), (4, "区民政局")]


def test_feedback_gaps_can_drop_what_needs_no_reply(two_town_store):
    rows = json.loads(
        _query(
            two_town_store, "feedback-gaps", "--sent-class", "application,case", "--format", "json"
        ).output
    )
    assert {r["sent_class"] for r in rows} == {"application", "case"}
    assert ("乙镇", 1) not in [(r["town"], r["matter"]) for r in rows]  # unclassified
    table = _query(two_town_store, "feedback-gaps", "--sent-class", "申请待审批")
    assert "报送内容类别" in table.output.splitlines()[0]
    assert all("申请待审批" in line for line in table.output.splitlines()[2:])


def test_feedback_gaps_and_dependents_by_department(two_town_store):
    for name, columns, first in (
        (
            "feedback-gaps",
            FEEDBACK_SUMMARY_COLUMNS,
            "区住房和城乡建设局,,区,2,2,3,0,2,0,0,大跨度结构建筑安全排查",
        ),
        ("dependents", DEPENDENT_SUMMARY_COLUMNS, "区人民武装部,,区,2,2,3,3,0,1,征兵工作"),
    ):
        result = _query(two_town_store, name, "--by", "department", "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[:2] == [",".join(columns), first]
    table = _query(two_town_store, "dependents", "--by", "部门").output.splitlines()
    assert table[0].split()[:4] == ["部门", "所属", "层级", "清单数"]


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["feedback-gaps", "--sent-class", "application,申请"], "申请待审批 (application)"),
        (["dependents", "--by", "town"], "部门 (department)"),
    ],
)
def test_a_class_or_grouping_it_does_not_know_is_a_usage_error(two_town_store, args, listed):
    result = _query(two_town_store, *args)
    assert result.exit_code == 2
    assert listed in result.output.splitlines()[-1]


def test_support_gap_thresholds_are_options(two_town_store):
    rows = json.loads(
        _query(two_town_store, "support-gaps", "--min-town-duties", "3", "--format", "json").output
    )
    assert [(r["town"], r["matter"]) for r in rows] == [
        ("乙镇", 1),
        ("甲镇", 1),
        ("甲镇", 3),
        ("甲镇", 5),
    ]
    rows = json.loads(
        _query(
            two_town_store, "support-gaps", "--strong-kinds", "personnel", "--format", "json"
        ).output
    )
    assert ("甲镇", 4) in [(r["town"], r["matter"]) for r in rows]


def test_strong_kinds_are_taken_by_their_chinese_names_too(two_town_store):
    def gaps(kinds: str) -> list:
        result = _query(two_town_store, "support-gaps", "--strong-kinds", kinds, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert gaps("资金,物资,人员") == gaps("funding,materials,personnel")
    assert gaps("人员") == gaps("personnel")


def test_an_unknown_strong_kind_is_refused_with_the_kinds(two_town_store):
    result = _query(two_town_store, "support-gaps", "--strong-kinds", "资金,钱")
    assert result.exit_code == 2
    assert "'钱'" in result.output and "资金/funding" in result.output and "人员" in result.output


def test_the_table_format_uses_chinese_headings(two_town_store):
    result = _query(two_town_store, "dependents")
    assert result.output.splitlines()[0].startswith("清单")
    assert "区民政局" in result.output


@pytest.mark.usefixtures("english")
def test_path_with_an_unknown_actor_is_one_line_and_exit_1(two_town_store):
    result = _query(two_town_store, "path", "丙镇", "区民政局")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no actor named '丙镇'; did you mean: 甲镇、乙镇"


@pytest.mark.usefixtures("english")
def test_an_unknown_list_is_one_line_and_an_error(two_town_store):
    result = _query(two_town_store, "workload", "--list", "丙镇")
    assert result.exit_code != 0
    assert result.output.startswith("Error: no list '丙镇'")


def test_a_missing_store_says_how_to_make_one(tmp_path):
    result = _query(tmp_path / "none.db", "escalations")
    assert result.exit_code != 0
    assert "dutygraph load" in result.output
