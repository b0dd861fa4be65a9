"""Handoff extraction: the worked examples, the rules on sentences of other towns, and the
precision and recall against the hand-annotated fixture (tests/fixtures/handoffs_gold.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from support_lists import write_list

from dutygraph.cli import cli
from dutygraph.extraction.evaluate import score_handoffs
from dutygraph.pipeline import load_list

GOLD = Path(__file__).parent / "fixtures" / "handoffs_gold.csv"
TOWN = "卜尔汉图镇"


def edges(tables, matter: int) -> set[tuple[str, str, str]]:
    h = tables.handoffs
    return set(
        h.loc[h["matter"] == matter, ["src", "dst", "type"]].itertuples(index=False, name=None)
    )


def test_matter_1_is_a_closed_loop_with_the_armed_forces_department(reference_tables):
    assert edges(reference_tables, 1) == {
        (TOWN, "区人民武装部", "reports_to"),
        ("区人民武装部", TOWN, "feeds_back_to"),
    }


def test_matter_29_escalates_from_the_town_to_the_district_and_on_to_the_city(reference_tables):
    found = edges(reference_tables, 29)
    assert (TOWN, "区住房和城乡建设局", "escalates_to") in found
    assert ("区住房和城乡建设局", "市住房和城乡建设局", "escalates_to") in found


def test_matter_13_assigns_and_reports_without_feedback(reference_tables):
    assert edges(reference_tables, 13) == {
        ("区人力资源和社会保障局", TOWN, "assigns_to"),
        (TOWN, "区人力资源和社会保障局", "reports_to"),
    }


def test_matter_3_reports_up_and_nothing_returns(reference_tables):
    h = reference_tables.handoffs
    row = h[h["matter"] == 3].iloc[0]
    assert (row["src"], row["dst"], row["type"], row["implicit"]) == (
        TOWN,
        "区民政局",
        "reports_to",
        1,
    )
    assert row["evidence"] == "对相关材料进行初步审核并上报"


def test_evidence_is_verbatim_at_its_offsets(reference_tables):
    duties = reference_tables.duties.set_index("duty_id")["text"]
    for edge in reference_tables.handoffs.itertuples():
        assert duties[edge.duty_id][edge.start : edge.end] == edge.evidence


def test_every_edge_names_the_rule_that_fired(reference_tables):
    assert reference_tables.handoffs["rule"].str.len().gt(0).all()


def test_precision_and_recall_on_the_annotated_fixture_are_at_least_0_9(reference_tables):
    scores = score_handoffs(reference_tables.handoffs, pd.read_csv(GOLD)).set_index("type")
    for kind in ("all", "reports_to", "feeds_back_to", "escalates_to"):
        assert scores.loc[kind, "precision"] >= 0.9, scores
        assert scores.loc[kind, "recall"] >= 0.9, scores


# -- rules on sentences from other towns (the meaning, not this list's wording) ----------------
HEADER = "序号\t事项名称\t县级部门\t县级部门职责\t乡镇配合职责"


def one_matter(
    tmp_path, departments: str, dept_cell: str, town_cell: str, title="红旗镇配合履职事项清单"
):
    row = f"1\t测试事项\t{departments}\t{dept_cell} 履职保障：提供业务指导。\t{town_cell}"
    return load_list(write_list(tmp_path / "t.txt", [row], title=title, header=HEADER))


def test_a_bare_report_goes_to_the_department_that_receives_such_reports(tmp_path):
    tables = one_matter(
        tmp_path,
        "县应急管理局 县自然资源局",
        "县应急管理局：（1）统筹协调。 县自然资源局：（1）对乡镇上报的地灾险情进行核查。",
        "①发现地灾险情及时上报。",
    )
    assert edges(tables, 1) == {("红旗镇", "县自然资源局", "reports_to")}
    assert tables.handoffs["implicit"].tolist() == [1, 1]


def test_a_refusal_turns_a_report_into_an_escalation(tmp_path):
    tables = one_matter(
        tmp_path,
        "县住房和城乡建设局 市住房和城乡建设局",
        "县住房和城乡建设局：（1）对逾期未整改的隐患报请市住房和城乡建设局依法查处。",
        "①对拒不配合整改的业主报县住房和城乡建设局。②定期将排查台账报送至县住房和城乡建设局。",
    )
    assert edges(tables, 1) == {
        ("红旗镇", "县住房和城乡建设局", "escalates_to"),
        ("红旗镇", "县住房和城乡建设局", "reports_to"),
        ("县住房和城乡建设局", "市住房和城乡建设局", "escalates_to"),
    }


def test_feedback_after_the_towns_input_and_a_new_task_are_told_apart(tmp_path):
    tables = one_matter(
        tmp_path,
        "县民政局",
        "县民政局：（1）审核乡镇提交的名单，将审核结果下发乡镇。（2）每季度下发需复核的名单。",
        "①根据县民政局反馈的结果公示。",
    )
    assert edges(tables, 1) == {
        ("红旗镇", "县民政局", "reports_to"),
        ("县民政局", "红旗镇", "feeds_back_to"),
        ("县民政局", "红旗镇", "assigns_to"),
    }


def test_a_case_passed_to_a_peer_is_a_referral_and_supplies_are_not_handoffs(tmp_path):
    tables = one_matter(
        tmp_path,
        "县农业农村局",
        "县农业农村局：（1）对发现的违法行为函告县公安局处置。（2）向乡镇下发防疫物资。",
        "①组织各村（社区）开展排查。②将县农业农村局下发的农药分配到农户。",
    )
    assert edges(tables, 1) == {("县农业农村局", "县公安局", "refers_to")}


def test_handovers_to_and_from_villages_count_organising_them_does_not(tmp_path):
    tables = one_matter(
        tmp_path,
        "县农业农村局",
        "县农业农村局：（1）指导乡镇开展工作。",
        "①组织各村开展巡查。②根据各村上报的疫情，及时上报县农业农村局。③将设施移交到村管护。",
    )
    assert edges(tables, 1) == {
        ("村（社区）", "红旗镇", "reports_to"),
        ("红旗镇", "县农业农村局", "reports_to"),
        ("红旗镇", "村（社区）", "assigns_to"),
    }


def test_guidance_cooperation_and_noun_uses_are_not_handoffs(tmp_path):
    tables = one_matter(
        tmp_path,
        "县卫生健康局",
        "县卫生健康局：（1）督促乡镇落实措施。（2）负责疫情报告。",
        "①配合县卫生健康局开展流调。②建立信息报告制度。③受理群众申报。",
    )
    assert tables.handoffs.empty


# -- CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def loaded(tmp_path) -> Path:
    from support_lists import REFERENCE_LIST

    path = tmp_path / "h.db"
    assert (
        CliRunner().invoke(cli, ["load", str(REFERENCE_LIST), "--store", str(path), "-q"]).exit_code
        == 0
    )
    return path


def test_handoffs_csv_has_the_documented_columns(loaded):
    out = (
        CliRunner()
        .invoke(cli, ["handoffs", "--store", str(loaded), "--matter", "13", "--format", "csv"])
        .output
    )
    frame = pd.read_csv(__import__("io").StringIO(out))
    assert {"matter", "src", "dst", "type", "evidence", "implicit"} <= set(frame.columns)
    assert set(frame["type"]) == {"assigns_to", "reports_to"}


def test_explain_prints_each_duty_with_its_handoffs_and_rule(loaded):
    out = CliRunner().invoke(cli, ["explain", "29", "--store", str(loaded)]).output
    assert "== 卜尔汉图镇:配合 事项 29：大跨度结构建筑安全排查整治专项行动" in out
    assert (
        "-> 区住房和城乡建设局 -> 市住房和城乡建设局  提级上报  "
        "[规则 dept-refusal-up：上报类动词“上报”，写明接收方]" in out
    )


def test_evaluate_scores_the_store_against_a_gold_file(loaded):
    out = (
        CliRunner()
        .invoke(cli, ["evaluate", str(GOLD), "--store", str(loaded), "--format", "csv"])
        .output
    )
    scores = pd.read_csv(__import__("io").StringIO(out)).set_index("type")
    assert scores.loc["all", "gold"] == len(pd.read_csv(GOLD))


def test_bodies_named_only_in_handoffs_join_the_departments_with_their_level(reference_tables):
    levels = reference_tables.departments.set_index("name")["level"]
    assert levels["市水务局"] == "市"
    assert levels["市住房和城乡建设局"] == "市"
    assert levels["自然资源部"] == "部"
    assert levels["区财政局"] == "区"


OTHER_TOWNS = Path(__file__).parent / "fixtures" / "other_towns"


@pytest.mark.parametrize(
    ("lists", "gold_file"),
    [
        (("green_county_town.txt", "river_street.txt"), "gold.csv"),
        (("third/xinan_township.txt",), "third/gold.csv"),
    ],
)
def test_lists_of_other_towns_score_at_least_0_9_per_type(lists, gold_file):
    """Towns with other headings, numbering and wording (县 departments, 街道 or 乡 as the town)."""
    from dutygraph.extraction.evaluate import gold_matter_numbers

    tables = [load_list(OTHER_TOWNS / name) for name in lists]
    predicted = pd.concat(
        [t.handoffs.assign(list=t.lists["town"].iloc[0]) for t in tables], ignore_index=True
    )
    matters = pd.concat([t.matters for t in tables], ignore_index=True)
    gold = gold_matter_numbers(pd.read_csv(OTHER_TOWNS / gold_file), matters)
    scores = score_handoffs(predicted, gold).set_index("type")
    for kind in ("all", "reports_to", "feeds_back_to", "escalates_to", "assigns_to", "refers_to"):
        assert scores.loc[kind, "precision"] >= 0.9, scores
        assert scores.loc[kind, "recall"] >= 0.9, scores


def test_county_departments_are_known_by_their_district_counterpart(tmp_path):
    tables = one_matter(tmp_path, "县民政局 县新设局", "县民政局：（1）审核。", "①上报县民政局。")
    known = tables.departments.set_index("name")["in_vocabulary"]
    assert known["县民政局"] == 1 and known["县新设局"] == 0


def test_evaluate_extraction_scores_one_lists_tables_without_a_store(reference_tables):
    from dutygraph.extraction.evaluate import EVALUATION_TABLES, evaluate_extraction
    from dutygraph.vocabulary import Vocabulary

    tables = {name: getattr(reference_tables, name) for name in EVALUATION_TABLES}
    result = evaluate_extraction(pd.read_csv(GOLD), tables, Vocabulary.load())
    scores = result.scores.set_index("type")
    assert scores.loc["all", "gold"] == len(pd.read_csv(GOLD))
    assert "feedback-gaps" in scores.index
    missed = (result.differences["side"] == "missed").sum()
    assert missed == scores.loc["all", "gold"] - scores.loc["all", "true_positives"]


def test_explain_matters_groups_a_matters_duties_by_owner(loaded):
    from dutygraph.browse import explain_matters, matter_numbers
    from dutygraph.store import Store

    store = Store(loaded)
    (found,) = explain_matters(store, matter_numbers(store, store.resolve_lists(None), 29))
    owners = [owner for owner, _ in found.owners]
    assert found.number == 29 and found.name
    assert len(owners) == len(set(owners)), "each owner's duties stand together once"
    handoffs = pd.concat([d.handoffs for _, duties in found.owners for d in duties])
    assert handoffs["how"].notna().all()


def test_evaluate_reads_in_chinese_with_its_differences(loaded):
    out = (
        CliRunner()
        .invoke(cli, ["evaluate", str(GOLD), "--store", str(loaded), "--show-differences"])
        .output
    )
    rows = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert "全部交接" in rows and "反馈缺口（答案）" in rows
    assert "all" not in rows and "feedback-gaps" not in rows
    differences = out.split("\n\n")[1].splitlines()
    assert differences[0].split()[:2] == ["差异", "清单"]
    assert {line.split()[0] for line in differences[2:]} <= {"漏抽", "多抽"}
