"""The text reader and the normaliser on the reference list and on small hand-written lists."""

from __future__ import annotations

import pytest
from support_lists import REFERENCE_LIST, write_list

from dutygraph.errors import InputFileError, ListFormatError
from dutygraph.loaders import read_list, read_raw
from dutygraph.loaders.base import READERS, Reader
from dutygraph.pipeline import load_list
from dutygraph.tables import Given

#: These tests pin down the English wording of the messages.
pytestmark = pytest.mark.usefixtures("english")

ROW = (
    "1\t征兵工作\t区人民武装部\t<p>区人民武装部：</p> 1. 根据街镇上报的名单开展体检。 "
    "2. 将体检结果反馈街镇。 <p>履职保障： 提供业务指导。</p>\t1. 报区人民武装部。"
)


# -- the reference list -------------------------------------------------------------------------
def test_reference_list_has_69_matters_in_11_categories(reference_tables):
    assert len(reference_tables.matters) == 69
    assert len(reference_tables.categories) == 11
    assert reference_tables.matters["number"].tolist() == list(range(1, 70))


def test_category_counts_equal_the_counts_their_headings_state(reference_tables):
    found = reference_tables.matters.groupby("category_id").size()
    stated = reference_tables.categories.set_index("category_id")["stated_count"]
    assert (found.reindex(stated.index) == stated).all()
    assert stated.sum() == 69


def test_every_matter_has_a_department_and_a_town_duty(reference_tables):
    numbers = set(reference_tables.matters["number"])
    assert set(reference_tables.matter_departments["matter"]) == numbers
    town = reference_tables.duties[reference_tables.duties["owner_kind"] == "town"]
    assert set(town["matter"]) == numbers


def test_each_departments_duty_count_equals_its_numbering(reference_tables):
    duties = reference_tables.duties
    counted = duties.groupby(["matter", "owner", "heading"])["number"].agg(["count", "max"])
    assert (counted["count"] == counted["max"]).all()


def test_no_department_name_keeps_a_stray_space(reference_tables):
    names = set(reference_tables.matter_departments["department"]) | set(
        reference_tables.duties["owner"]
    )
    assert not [n for n in names if " " in n or "\u3000" in n]
    assert "区城市管理综合执法局" in names
    assert "区行政审批政务服务与数据管理局" in names


def test_name_variants_resolve_to_one_department(reference_tables):
    links = reference_tables.matter_departments
    raw_to_name = dict(zip(links["raw_name"], links["department"], strict=True))
    assert raw_to_name["区工业与信息化局"] == raw_to_name["区工业和信息化局"] == "区工业和信息化局"
    assert raw_to_name["区自然资源局"] == raw_to_name["区自然资源分局"] == "区自然资源分局"
    assert raw_to_name["区农牧局(区水务局)"] == "区农牧局"


def test_department_cell_tail_adds_other_sector_departments(reference_tables):
    links = reference_tables.matter_departments
    matter_33 = links[links["matter"] == 33]["department"].tolist()
    assert matter_33[-2:] == ["区文体旅游广电局", "其他行业主管部门"]
    matter_38 = links[links["matter"] == 38]["department"].tolist()
    assert matter_38[-1] == "区消防救援大队"  # "等部门" is a tail, not a department


def test_shared_heading_gives_each_named_department_the_duty(reference_tables):
    duties = reference_tables.duties
    shared = duties[(duties["matter"] == 32) & duties["heading"].str.contains("等有关部门")]
    assert sorted(shared["owner"]) == sorted(
        ["区教育局", "区卫生健康委员会", "区文体旅游广电局", "区商务局"]
    )


def test_unheaded_paragraph_is_owned_by_its_subject(reference_tables):
    duties = reference_tables.duties
    other = duties[(duties["matter"] == 27) & (duties["owner"] == "其他行业主管部门")]
    assert other["text"].iloc[0].startswith("其他行业主管部门结合实际")


def test_list_items_without_numbers_become_one_duty_each(reference_tables):
    town = reference_tables.duties[
        (reference_tables.duties["matter"] == 16)
        & (reference_tables.duties["owner_kind"] == "town")
    ]
    assert len(town) == 7
    assert town["text"].iloc[6].startswith("指导低保户开展定期报告")


def test_sub_items_stay_inside_their_duty(reference_tables):
    town = reference_tables.duties[
        (reference_tables.duties["matter"] == 27)
        & (reference_tables.duties["owner_kind"] == "town")
    ]
    assert town["number"].tolist() == [1, 2]
    assert "（5）是否存在项目" in town["text"].iloc[0]


def test_guarantee_text_and_kinds(reference_tables):
    g = reference_tables.guarantees.set_index("matter")
    assert len(g) == 69
    assert g.loc[2, "text"] == "提供地名信息，开展业务培训，提供地名普查资金支持。"
    assert g.loc[2, "kinds"] == "training,funding,information"
    assert g.loc[69, "kinds"] == "personnel"
    assert g.loc[1, "kinds"] == "guidance"


def test_the_town_is_named_from_the_title_and_every_row_knows_its_list(reference_tables):
    lists = reference_tables.lists.iloc[0]
    assert (lists["town"], lists["kind"], lists["list_id"]) == (
        "卜尔汉图镇",
        "配合",
        "卜尔汉图镇:配合",
    )
    assert lists["source_file"] == REFERENCE_LIST.name
    for name in ("matters", "categories", "matter_departments", "duties", "guarantees", "handoffs"):
        assert set(reference_tables.table(name)["list_id"]) == {"卜尔汉图镇:配合"}


def test_ids_are_stable_across_reloads(reference_tables):
    again = load_list(REFERENCE_LIST)
    for name, key in [("matters", "matter_id"), ("duties", "duty_id"), ("handoffs", "handoff_id")]:
        assert again.table(name)[key].tolist() == reference_tables.table(name)[key].tolist()


def test_town_flag_overrides_the_title():
    tables = read_list(REFERENCE_LIST, given=Given(town="别的镇"))
    assert tables.list_id == "别的镇:配合"
    assert set(tables.duties.loc[tables.duties["owner_kind"] == "town", "owner"]) == {"别的镇"}


# -- other towns' layouts -----------------------------------------------------------------------
def test_other_headings_and_numbering_styles_are_accepted(tmp_path):
    header = "序号\t事项名称\t县级部门\t县级部门职责\t乡镇配合职责"
    row = (
        "1\t低保审核\t县民政局\t县民政局：（1）审核乡镇上报的材料。（2）将结果反馈乡镇。保障措施：提供业务培训。"
        "\t①受理申请。②上报县民政局。"
    )
    path = write_list(
        tmp_path / "red.txt",
        ["一、社会保障（1项）\t\t\t\t", row],
        title="红旗镇配合履职事项清单（2025年版）",
        header=header,
    )
    tables = load_list(path)
    assert tables.list_id == "红旗镇:配合:2025"
    dept = tables.duties[tables.duties["owner_kind"] == "department"]
    assert dept["owner"].tolist() == ["县民政局", "县民政局"]
    assert tables.duties[tables.duties["owner_kind"] == "town"]["number"].tolist() == [1, 2]
    assert tables.guarantees["kinds"].iloc[0] == "training"
    assert tables.departments.set_index("name").loc["县民政局", "level"] == "区"


def test_unknown_department_is_kept_and_reported(tmp_path):
    row = "1\t事项\t区新设局\t区新设局：1. 审核。 履职保障：指导。\t1. 上报区新设局。"
    tables = load_list(write_list(tmp_path / "x.txt", [row]))
    assert "区新设局" in tables.matter_departments["department"].tolist()
    unknown = tables.findings[tables.findings["code"] == "unknown-department"]
    assert "区新设局" in unknown["message"].iloc[0]


def test_an_unknown_department_is_reported_where_it_was_first_written(tmp_path):
    rows = [
        "1\t事项甲\t区民政局\t区民政局：1. 审核。 履职保障：指导。\t1. 上报区民政局。",
        "2\t事项乙\t区新设局\t区新设局：1. 审核。 履职保障：指导。\t1. 上报区新设局。",
        "3\t事项丙\t区新设局\t区新设局：1. 复核。 履职保障：指导。\t1. 上报区新设局。",
    ]
    tables = load_list(write_list(tmp_path / "x.txt", rows))
    unknown = tables.findings[tables.findings["code"] == "unknown-department"]
    assert unknown["where"].tolist() == ["matter 2 (line 5)"]


def test_a_heading_it_cannot_place_is_a_clear_error(tmp_path):
    header = "序号\t事项名称\t对应上级部门\t上级部门职责\t备注栏"
    path = write_list(tmp_path / "bad.txt", [ROW], header=header)
    with pytest.raises(
        ListFormatError, match=r"bad.txt, line 3, cell 5: expected a column heading .*'备注栏'"
    ):
        load_list(path)


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [
        ("utf-8", "\n", b""),
        ("utf-8", "\r\n", b"\xef\xbb\xbf"),
        ("gbk", "\r\n", b""),
        ("gb18030", "\n", b""),
    ],
)
def test_gbk_bom_and_crlf_files_load_like_utf8(tmp_path, encoding, newline, bom):
    path = write_list(
        tmp_path / "a.txt", ["一、党的建设（1项）\t\t\t\t", ROW], encoding=encoding, newline=newline
    )
    path.write_bytes(bom + path.read_bytes())
    tables = load_list(path)
    assert tables.matters["name"].tolist() == ["征兵工作"]
    assert tables.lists["town"].iloc[0] == "测试镇"
    assert len(tables.handoffs) == 3


# -- bad input: one clear line naming the file and the line ---------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"empty.txt: expected a duty list; the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"empty.txt, byte \d+: expected a text file"),
        (
            "天气很好。\n今天去公园。\n".encode(),
            r"expected a duty list: a header line naming the columns",
        ),
    ],
)
def test_files_that_are_not_duty_lists_are_refused(tmp_path, content, message):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ListFormatError, match=message):
        load_list(path)


def test_a_row_with_too_few_cells_names_the_line(tmp_path):
    path = write_list(tmp_path / "short.txt", [ROW, "2\t某事项\t区民政局"])
    with pytest.raises(
        ListFormatError,
        match=r"short.txt, line 5: expected a matter row of 5 tab-separated cells .* found 3",
    ):
        load_list(path)


def test_a_duplicate_matter_number_names_both_lines(tmp_path):
    path = write_list(tmp_path / "dup.txt", [ROW, ROW])
    with pytest.raises(
        ListFormatError,
        match=r"dup.txt, line 5: expected a new matter number; 1 was already used at line 4",
    ):
        load_list(path)


def test_a_row_that_is_not_a_matter_names_its_cell(tmp_path):
    path = write_list(tmp_path / "odd.txt", [ROW, "第二项\t某事项\t区民政局\t职责\t配合"])
    with pytest.raises(ListFormatError, match=r"odd.txt, line 5, cell 1: expected a matter number"):
        load_list(path)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputFileError, match="nothing.txt: no such file"):
        read_raw(tmp_path / "nothing.txt")


# -- the reader interface ------------------------------------------------------------------------
def test_every_registered_reader_satisfies_the_reader_protocol():
    read_raw(REFERENCE_LIST)  # registers the built-in readers
    assert READERS and all(isinstance(r, Reader) for r in READERS)


def test_raw_rows_know_their_line(tmp_path):
    raw = read_raw(REFERENCE_LIST)
    seventh = next(r for r in raw.rows if r.where == "line 7")
    assert seventh.cells[0] == "1" and len(seventh.cells) == 5
    assert len(raw.sha256) == 64
