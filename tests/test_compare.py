"""Towns side by side (compare) and two versions of one list (diff), on lists built in code."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support_graphs import ListBuilder, merge_tables

from dutygraph import cli as cli_module
from dutygraph.cli import cli
from dutygraph.compare import (
    COMPARE_PARTS,
    compare_tables,
    department_matrix,
    matter_matrix,
)
from dutygraph.diff import DIFF_PARTS, diff_tables
from dutygraph.store import Store

JIA, YI = "甲镇", "乙镇"


def jia(version: str = "", *, loop_closes: bool = False) -> ListBuilder:
    """甲镇 of 昆都仑区: a closed loop (1), a gap (2), an escalation (3); its revision renames
    matter 3, rewrites a duty, adds matter 4 and, with ``loop_closes``, 区民政局 feeds back."""
    b = ListBuilder(JIA, version=version, district="昆都仑区", city="包头市")
    b.matter(1, "征兵工作", ["区人民武装部"])
    b.handoff(1, JIA, "区人民武装部", "reports_to", "报区人民武装部")
    b.handoff(1, "区人民武装部", JIA, "feeds_back_to", "将体检结果反馈街镇")
    b.matter(2, "农村公益性墓地申报审批", ["区民政局"])
    b.duty(
        2,
        "区民政局",
        "负责对农村公益性墓地设置进行审批。" if not version else "负责对墓地设置申请进行审批。",
    )
    b.handoff(2, JIA, "区民政局", "reports_to", "初步审核并上报")
    if loop_closes:
        b.handoff(2, "区民政局", JIA, "feeds_back_to", "将审批结果反馈街镇")
    name = "大跨度结构建筑安全排查" if not version else "大跨度结构建筑安全排查整治"
    b.matter(3, name, ["区住房和城乡建设局"], category="安全生产")
    b.handoff(3, JIA, "区住房和城乡建设局", "escalates_to", "对拒不整改单位上报区住房和城乡建设局")
    if version:
        b.matter(4, "河长制巡河", ["区水务局"], category="生态环境")
    return b


def yi() -> ListBuilder:
    """乙镇 of 九原区: recruits sent up with nothing back, a cemetery matter worded otherwise,
    and a matter 甲镇 does not have."""
    b = ListBuilder(YI, district="九原区", city="包头市")
    b.matter(1, "征兵", ["区人民武装部"])
    b.handoff(1, YI, "区人民武装部", "reports_to", "报区人民武装部")
    b.matter(2, "农村公益性墓地审批", ["区民政局", "市住房和城乡建设局"])
    b.handoff(2, YI, "区民政局", "reports_to", "上报区民政局")
    b.matter(3, "森林草原防灭火", ["区应急管理局"], category="安全生产")
    return b


@pytest.fixture
def two_towns():
    return compare_tables(merge_tables(jia(), yi()))


def test_matters_match_across_towns_by_normalised_name_with_their_score(two_towns):
    matters = two_towns.matters.set_index(["town", "matter"])
    assert matters.loc[(YI, 1), "group"] == matters.loc[(JIA, 1), "group"]
    assert matters.loc[(YI, 1), "score"] == 1.0  # 征兵 is 征兵工作 without its filler
    assert matters.loc[(YI, 2), "group"] == matters.loc[(JIA, 2), "group"]
    assert 0.6 <= matters.loc[(YI, 2), "score"] < 1
    assert matters.loc[(YI, 3), "group"] != matters.loc[(JIA, 3), "group"]
    wide = matter_matrix(two_towns).set_index("group_name")
    assert wide.loc["农村公益性墓地申报审批", YI].startswith("#2 (0.")


def test_matters_one_town_has_and_the_other_lacks(two_towns):
    unshared = two_towns.unshared
    assert unshared[["town", "matter_name", "lacking"]].values.tolist() == [
        [JIA, "大跨度结构建筑安全排查", YI],
        [YI, "森林草原防灭火", JIA],
    ]


def test_departments_by_towns_keep_each_districts_bureau_apart(two_towns):
    cells = two_towns.departments.set_index(["department", "body", "town"])
    assert cells.loc[
        ("区民政局", "昆都仑区", JIA), ["matters", "handoffs", "feedback_gaps"]
    ].tolist() == [1, 1, 1]
    assert cells.loc[("区民政局", "九原区", YI), "feedback_gaps"] == 1
    assert ("区民政局", "九原区", JIA) not in cells.index
    assert cells.loc[("区住房和城乡建设局", "昆都仑区", JIA), "escalations"] == 1
    assert cells.loc[("市住房和城乡建设局", "包头市", YI), "matters"] == 1
    wide = department_matrix(two_towns).set_index(["department", "body"])
    assert wide.loc[("区民政局", "昆都仑区"), [JIA, YI]].tolist() == ["1/1/1/0", ""]


def test_per_town_gap_rates(two_towns):
    towns = two_towns.towns.set_index("town")
    assert towns.loc[JIA, ["sent_up", "feedback_gaps", "closed_loops", "gap_rate"]].tolist() == [
        3,
        2,
        1,
        0.667,
    ]
    assert towns.loc[YI, "gap_rate"] == 1.0
    assert towns.loc[JIA, "escalations"] == 1


def test_the_cli_and_library_share_the_parts():
    assert cli_module.COMPARE_PARTS == COMPARE_PARTS
    assert cli_module.DIFF_PARTS == DIFF_PARTS


@pytest.fixture
def versions():
    return diff_tables(jia().tables(), jia("2025", loop_closes=True).tables())


def test_diff_finds_matters_added_renamed_and_changed(versions):
    rows = versions.matters.set_index("change")
    assert rows.loc["added", "new_name"] == "河长制巡河"
    assert rows.loc["renamed", ["old_name", "new_name"]].tolist() == [
        "大跨度结构建筑安全排查",
        "大跨度结构建筑安全排查整治",
    ]
    assert 0.6 <= rows.loc["renamed", "score"] < 1
    assert rows.loc["changed", "new_number"] == 2
    assert (
        "职责" in rows.loc["changed", "details"] and "交接 +1 -0" in rows.loc["changed", "details"]
    )


def test_diff_marks_a_changed_duty_character_by_character(versions):
    duties = versions.duties.query("owner == '区民政局'")
    assert duties[["change", "diff"]].values.tolist() == [
        ["changed", "负责对[-农村公益性-]墓地设置{+申请+}进行审批。"],
        ["added", ""],
    ]
    assert duties["new_text"].iloc[1] == "将审批结果反馈街镇"


def test_diff_calls_out_the_feedback_loop_that_closes(versions):
    assert versions.loops[["matter", "department", "change"]].values.tolist() == [
        [2, "区民政局", "closes"]
    ]
    gained = versions.handoffs.query("change == 'gained'")
    assert gained[["src", "dst", "type", "loop"]].values.tolist() == [
        ["区民政局", JIA, "feeds_back_to", "closes"]
    ]


def test_the_reverse_diff_opens_the_loop():
    back = diff_tables(jia("2025", loop_closes=True).tables(), jia().tables())
    assert back.loops["change"].tolist() == ["opens"]
    assert back.handoffs.query("change == 'lost'")["loop"].tolist() == ["opens"]


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "s.db")
    store.save_lists(
        [jia().list_tables(), jia("2025", loop_closes=True).list_tables(), yi().list_tables()]
    )
    return store


def _run(args):
    result = CliRunner().invoke(cli, args, env={"DUTYGRAPH_LANG": "en"})
    assert result.exit_code == 0, result.output
    return result.output


def test_compare_from_the_cli_selects_a_whole_district_or_towns(store):
    out = _run(
        [
            "compare",
            "--store",
            str(store.path),
            "--district",
            "包头市",
            "--town",
            YI,
            "--town",
            "昆都仑区甲镇",
        ]
    )
    assert "== Towns side by side" in out and "== Departments × towns" in out
    assert "昆都仑区甲镇:配合:2025" in out  # two lists of one town: named by their ids
    rows = json.loads(
        _run(
            [
                "compare",
                "--store",
                str(store.path),
                "--list",
                "昆都仑区甲镇:配合",
                "--list",
                "九原区乙镇:配合",
                "--show",
                "towns",
                "--format",
                "json",
            ]
        )
    )
    assert [r["town"] for r in rows] == [JIA, YI]


def test_compare_wants_two_lists_and_one_part_for_csv(store):
    one = CliRunner().invoke(
        cli, ["compare", "--store", str(store.path), "--town", YI], env={"DUTYGRAPH_LANG": "en"}
    )
    assert one.exit_code == 1 and "the lists of two towns or more" in one.output
    two = CliRunner().invoke(
        cli,
        [
            "compare",
            "--store",
            str(store.path),
            "--list",
            "九原区乙镇:配合",
            "--list",
            "昆都仑区甲镇:配合",
            "--format",
            "csv",
        ],
        env={"DUTYGRAPH_LANG": "en"},
    )
    assert two.exit_code == 2 and "--show" in two.output


def test_diff_from_the_cli_by_list_ids(store):
    out = _run(
        [
            "diff",
            "昆都仑区甲镇:配合",
            "昆都仑区甲镇:配合:2025",
            "--store",
            str(store.path),
            "--show",
            "loops",
            "--format",
            "csv",
        ]
    )
    assert out.splitlines()[1].startswith("2,农村公益性墓地申报审批,区民政局,closes")


def test_diff_of_two_towns_lists_warns_that_they_are_different_towns(store):
    result = CliRunner().invoke(
        cli, ["diff", "昆都仑区甲镇:配合", "九原区乙镇:配合", "--store", str(store.path)]
    )
    assert result.exit_code == 0, result.output
    assert "警告：两份清单属于不同乡镇（甲镇、乙镇）" in result.stderr
    assert "警告" not in result.stdout


def test_diff_of_the_same_towns_versions_does_not_warn(store):
    result = CliRunner().invoke(
        cli, ["diff", "昆都仑区甲镇:配合", "昆都仑区甲镇:配合:2025", "--store", str(store.path)]
    )
    assert result.exit_code == 0 and "警告" not in result.output


def test_diff_with_a_missing_file_says_the_file_does_not_exist(store, tmp_path):
    missing = tmp_path / "missing-2025.txt"
    result = CliRunner().invoke(
        cli, ["diff", "昆都仑区甲镇:配合", str(missing), "--store", str(store.path)]
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"错误：{missing}：文件不存在"
