"""The other two kinds of list: 基本履职事项清单 (the town's own duties) and 上级部门收回事项清单
(matters taken back), in the same store as the 配合 lists, linked to them by matter name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support_formats import OTHER_TOWNS

from dutygraph.browse import matter_links, matters_table
from dutygraph.cli import cli
from dutygraph.errors import ListFormatError
from dutygraph.graphmodel.build import build_graph
from dutygraph.pipeline import load_list
from dutygraph.queries import support_gaps
from dutygraph.store import Store

KINDS = Path(__file__).resolve().parent / "fixtures" / "kinds"
BASIC = KINDS / "green_county_town_basic.txt"
TAKEN_BACK = KINDS / "green_county_town_taken_back.txt"
COOPERATION = OTHER_TOWNS[0]  # 红旗镇配合履职事项清单


@pytest.fixture(scope="module")
def town_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """红旗镇's three lists in one store."""
    store = Store(tmp_path_factory.mktemp("kinds") / "s.db")
    store.save_lists([load_list(p) for p in (COOPERATION, BASIC, TAKEN_BACK)])
    return store


def test_a_basic_list_holds_the_towns_own_duties_with_category_and_basis():
    tables = load_list(BASIC)
    assert (tables.list_id, tables.lists.loc[0, "kind"]) == ("红旗镇:基本:2025", "基本")
    assert tables.matters["category"].tolist()[:3] == ["党的建设", "党的建设", "社会保障"]
    assert tables.matters.loc[0, "basis"] == "《中国共产党农村基层组织工作条例》"
    first = tables.duties[tables.duties["matter"] == 1]
    assert set(first["owner_kind"]) == {"town"}
    assert first["text"].tolist() == [
        "落实基层党建工作责任制。",
        "指导村党组织开展标准化规范化建设。",
    ]
    assert tables.matter_departments.empty


def test_a_taken_back_list_names_the_receiving_department():
    tables = load_list(TAKEN_BACK)
    assert tables.lists.loc[0, "kind"] == "收回"
    receivers = dict(
        zip(
            tables.matter_departments["matter"],
            tables.matter_departments["department"],
            strict=True,
        )
    )
    assert receivers == {1: "县生态环境局", 2: "县市场监督管理局", 3: "县自然资源局"}
    assert tables.matters.loc[0, "basis"].startswith("水污染案件查处")
    assert tables.findings[tables.findings["severity"] != "info"].empty


@pytest.mark.usefixtures("english")  # pins the English message
def test_a_cooperation_list_without_the_town_column_names_what_is_missing(tmp_path):
    lines = TAKEN_BACK.read_text(encoding="utf-8").replace(
        "上级部门收回事项清单", "配合履职事项清单"
    )
    path = tmp_path / "odd.txt"
    path.write_text(lines, encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"odd.txt, line 3: expected the columns a 配合 list"):
        load_list(path)


def test_a_matter_in_two_of_a_towns_lists_is_linked(town_store):
    links = matter_links(town_store, town_store.list_ids())
    pairs = set(
        zip(
            links["list_id"],
            links["matter"],
            links["other_list_id"],
            links["other_matter"],
            strict=True,
        )
    )
    assert ("红旗镇:配合:2025", 1, "红旗镇:基本:2025", 3) in pairs  # 最低生活保障审核确认
    assert ("红旗镇:收回:2025", 1, "红旗镇:配合:2025", 16) in pairs  # 河道水环境污染问题排查处置
    matters = matters_table(town_store, ["红旗镇:配合:2025"])
    also = dict(zip(matters["number"], matters["also_in"], strict=True))
    assert also[16] == "红旗镇:收回:2025#1" and also[19] == "红旗镇:收回:2025#2" and also[3] == ""


def test_the_workbook_has_a_sheet_of_the_matters_in_two_lists(town_store, tmp_path):
    from openpyxl import load_workbook

    from dutygraph.export import export_workbook

    path = export_workbook(town_store, town_store.list_ids(), tmp_path / "town.xlsx")
    sheet = load_workbook(path, read_only=True)["两份清单共有的事项"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("list_id", "town", "kind", "matter")  # row 2: the CSV names
    linked = {(row[0], row[3], row[5], row[7]) for row in rows[2:]}
    assert ("红旗镇:配合:2025", 1, "红旗镇:基本:2025", 3) in linked


def test_a_town_with_one_list_gets_no_sheet_of_shared_matters(tmp_path):
    from openpyxl import load_workbook

    from dutygraph.export import export_workbook

    store = Store(tmp_path / "one.db")
    store.save_lists([load_list(COOPERATION)])
    path = export_workbook(store, store.list_ids(), tmp_path / "one.xlsx")
    assert "两份清单共有的事项" not in load_workbook(path, read_only=True).sheetnames


def test_support_gaps_read_cooperation_lists_and_say_what_was_taken_back(town_store):
    gaps = support_gaps(build_graph(town_store, town_store.list_ids()))
    assert set(gaps["list_id"]) == {"红旗镇:配合:2025"}
    reason = gaps.set_index("matter").loc[16, "reason"]
    assert reason.endswith("该事项已列入上级部门收回事项清单（县生态环境局承接），镇仍列有配合职责")
    assert "收回" not in gaps.set_index("matter").loc[1, "reason"]


def test_lists_shows_the_three_kinds(town_store):
    out = (
        CliRunner()
        .invoke(cli, ["lists", "--store", str(town_store.path), "--format", "csv"])
        .output
    )
    import csv

    assert [row["kind"] for row in csv.DictReader(out.splitlines())] == ["配合", "基本", "收回"]


@pytest.mark.neo4j
def test_support_gaps_in_cypher_say_the_same_of_taken_back_matters(town_store, bolt_server):
    import pandas as pd

    from dutygraph.graphmodel import neo4j_backend as nb
    from dutygraph.graphmodel.neo4j_backend.servers import absorb_dropped_handshakes
    from dutygraph.queries import support_gaps_cypher

    absorb_dropped_handshakes("127.0.0.1", bolt_server.bolt_port)
    bolt_server.reset()
    database = "kinds_support_gaps"
    driver = nb.connect(nb.ConnectionSettings(uri=bolt_server.uri, database=database))
    try:
        graph = build_graph(town_store)
        nb.push(driver, graph, database=database)
        expected = support_gaps(graph)
        pd.testing.assert_frame_equal(support_gaps_cypher(driver, database=database), expected)
        assert "收回事项清单" in expected.set_index("matter").loc[16, "reason"]
    finally:
        nb.close(driver)


def test_the_kind_option_offers_the_kinds_the_vocabulary_names(tmp_path, monkeypatch):
    (tmp_path / "list_format.yaml").write_text(
        "kinds:\n  专项: ['专项履职事项清单']\n", encoding="utf-8"
    )
    monkeypatch.setenv("DUTYGRAPH_VOCAB", str(tmp_path))
    help_text = CliRunner().invoke(cli, ["load", "--help"]).output
    assert "[配合|基本|收回|专项]" in help_text
    refused = CliRunner().invoke(cli, ["load", str(BASIC), "--kind", "乱"])
    assert refused.exit_code == 2 and "专项" in refused.output


def test_explain_shows_a_taken_back_matter_with_who_took_it_and_why(town_store):
    result = CliRunner().invoke(
        cli, ["explain", "1", "--list", "红旗镇:收回:2025", "--store", str(town_store.path)]
    )
    assert result.exit_code == 0, result.output
    assert "== 红旗镇:收回:2025 事项 1：河道水环境污染问题排查处置" in result.output
    assert "承接部门：县生态环境局" in result.output
    assert "收回依据：水污染案件查处属县生态环境局执法权限" in result.output
    assert "错误" not in result.output


def test_explain_of_a_matter_in_all_three_lists_of_a_town_shows_each(town_store):
    result = CliRunner().invoke(
        cli, ["explain", "1", "--list", "红旗镇", "--store", str(town_store.path)]
    )
    assert result.exit_code == 0, result.output
    headings = [line for line in result.output.splitlines() if line.startswith("== ")]
    assert [h.split()[1] for h in headings] == [
        "红旗镇:配合:2025",
        "红旗镇:基本:2025",
        "红旗镇:收回:2025",
    ]
    assert "依据：《中国共产党农村基层组织工作条例》" in result.output


def test_two_versions_of_one_list_are_not_linked_as_matters_in_two_lists(tmp_path):
    store = Store(tmp_path / "s.db")
    first = load_list(COOPERATION)
    again = tmp_path / "红旗镇配合履职事项清单2026.txt"
    again.write_text(
        COOPERATION.read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8"
    )
    store.save_lists([first, load_list(again), load_list(TAKEN_BACK)])
    assert set(store.list_ids()) == {"红旗镇:配合:2025", "红旗镇:配合:2026", "红旗镇:收回:2025"}
    links = matter_links(store, ["红旗镇:配合:2025"])
    assert set(links["other_list_id"]) == {"红旗镇:收回:2025"}
    matters = matters_table(store, ["红旗镇:配合:2026"])
    also = dict(zip(matters["number"], matters["also_in"], strict=True))
    assert also[1] == "" and also[16] == "红旗镇:收回:2025#1"


def test_one_towns_three_kinds_of_list_are_not_compared_as_three_towns(town_store):
    runner = CliRunner()
    alone = runner.invoke(cli, ["compare", "--town", "红旗镇", "--store", str(town_store.path)])
    assert alone.exit_code != 0
    assert "compare 需要两个或更多乡镇的清单；所选只有 1 份可比" in alone.output


def test_compare_takes_each_towns_latest_cooperation_list_and_names_the_others(tmp_path):
    store = Store(tmp_path / "s.db")
    river = OTHER_TOWNS[1]
    store.save_lists([load_list(p) for p in (COOPERATION, BASIC, TAKEN_BACK, river)])
    args = ["compare", "--show", "towns", "--format", "csv", "--store", str(store.path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    compared = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert compared == ["红旗镇:配合:2025", load_list(river).list_id]
    assert result.stderr.strip() == (
        "注：比较的是每个乡镇最新版本的配合清单；未参与比较：红旗镇:基本:2025、红旗镇:收回:2025"
    )
