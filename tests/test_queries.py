"""The analysts' questions on hand-built graphs (tests/support_graphs.py: 甲镇 and 乙镇)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from support_graphs import ListBuilder, merge_tables

from dutygraph.errors import DutygraphError, VocabularyError
from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.graphmodel.scope import list_subgraph, matter_subgraph
from dutygraph.queries import (
    DEPENDENT_COLUMNS,
    DEPENDENT_SUMMARY_COLUMNS,
    ESCALATION_COLUMNS,
    FEEDBACK_COLUMNS,
    FEEDBACK_SUMMARY_COLUMNS,
    PATH_COLUMNS,
    QUESTIONS,
    SUPPORT_GAP_COLUMNS,
    WORKLOAD_COLUMNS,
    dependents,
    escalations,
    feedback_gaps,
    paths,
    support_gaps,
    workload,
)
from dutygraph.queries.registry import HANDOFF_TABLES

ZJ, CITY_ZJ, PROV_ZJ = "区住房和城乡建设局", "市住房和城乡建设局", "自治区住房和城乡建设厅"


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in frame.loc[:, list(columns)].itertuples(index=False, name=None)]


# -- escalations -----------------------------------------------------------------------------
def test_escalations_list_every_chain_of_two_hops_or_more_with_its_prefixes(two_town_graph):
    found = escalations(two_town_graph)
    assert list(found.columns) == list(ESCALATION_COLUMNS)
    assert _rows(found, "list_id", "matter", "chain", "hops") == [
        ("乙镇:配合", 2, f"乙镇 -> {ZJ} -> {CITY_ZJ}", 2),
        ("甲镇:配合", 3, f"甲镇 -> {ZJ} -> {CITY_ZJ}", 2),
        ("甲镇:配合", 3, f"甲镇 -> {ZJ} -> {CITY_ZJ} -> {PROV_ZJ}", 3),
        ("甲镇:配合", 4, "甲镇 -> 区民政局 -> 市民政局", 2),
        ("甲镇:配合", 5, "甲镇 -> 区应急管理局 -> 区林业和草原局", 2),
        ("甲镇:配合", 5, "甲镇 -> 区应急管理局 -> 区林业和草原局 -> 市林业和草原局", 3),
    ]


def test_a_chain_of_three_hops_carries_types_and_evidence_per_hop(two_town_graph):
    found = escalations(two_town_graph)
    row = found[found["hops"] == 3].iloc[0]
    assert row["town"] == "甲镇" and row["matter_name"] == "大跨度结构建筑安全排查"
    assert row["types"] == "reports_to+escalates_to -> escalates_to -> reports_to"
    assert row["evidence"] == (
        "对排查发现或街镇上报的；对拒不整改单位上报区住房和城乡建设局"
        " | 对拒不整改的上报市住房和城乡建设局 | 报自治区住房和城乡建设厅"
    )


def test_a_cycle_between_departments_is_followed_once(two_town_graph):
    chains = escalations(two_town_graph, min_hops=1)
    matter_5 = chains[(chains["list_id"] == "甲镇:配合") & (chains["matter"] == 5)]
    assert matter_5["chain"].tolist() == [
        "甲镇 -> 区应急管理局",
        "甲镇 -> 区应急管理局 -> 区林业和草原局",
        "甲镇 -> 区应急管理局 -> 区林业和草原局 -> 市林业和草原局",
    ]


def test_a_town_reporting_to_two_departments_starts_a_chain_to_each(two_town_graph):
    chains = escalations(two_town_graph, min_hops=1)
    matter_4 = chains[(chains["list_id"] == "甲镇:配合") & (chains["matter"] == 4)]
    assert matter_4["chain"].tolist() == [
        "甲镇 -> 区民政局",
        "甲镇 -> 区民政局 -> 市民政局",
        "甲镇 -> 区财政局",
    ]


def test_a_chain_never_joins_the_edges_of_another_matter(two_town_graph):
    # 乙镇 matter 3 has the city bureau report to the province: matter 2's chain stops at the city
    chains = escalations(two_town_graph)
    assert not chains[(chains["list_id"] == "乙镇:配合") & (chains["hops"] > 2)].shape[0]


def test_cutoff_bounds_the_chains_and_min_hops_below_one_is_refused(two_town_graph):
    assert escalations(two_town_graph, cutoff=2)["hops"].max() == 2
    with pytest.raises(ValueError, match="min_hops"):
        escalations(two_town_graph, min_hops=0)


def test_each_chain_names_the_level_it_reaches_and_its_kind(two_town_graph):
    found = escalations(two_town_graph)
    assert _rows(found, "list_id", "matter", "hops", "reaches", "chain_kind") == [
        ("乙镇:配合", 2, 2, "市", "enforcement"),
        ("甲镇:配合", 3, 2, "市", "enforcement"),
        ("甲镇:配合", 3, 3, "省", "enforcement"),
        ("甲镇:配合", 4, 2, "市", "report"),  # 报市民政局备案: reports only
        ("甲镇:配合", 5, 2, "区", "report"),
        ("甲镇:配合", 5, 3, "市", "enforcement"),
    ]


def test_reaches_keeps_the_chains_whose_highest_department_is_at_that_level_or_above(
    two_town_graph,
):
    beyond_district = escalations(two_town_graph, reaches="市")
    assert set(beyond_district["reaches"]) == {"市", "省"}
    assert _rows(beyond_district, "list_id", "matter", "chain") == [
        ("乙镇:配合", 2, f"乙镇 -> {ZJ} -> {CITY_ZJ}"),
        ("甲镇:配合", 3, f"甲镇 -> {ZJ} -> {CITY_ZJ}"),
        ("甲镇:配合", 3, f"甲镇 -> {ZJ} -> {CITY_ZJ} -> {PROV_ZJ}"),
        ("甲镇:配合", 4, "甲镇 -> 区民政局 -> 市民政局"),
        ("甲镇:配合", 5, "甲镇 -> 区应急管理局 -> 区林业和草原局 -> 市林业和草原局"),
    ]
    assert escalations(two_town_graph, reaches="省")["chain"].tolist() == [
        f"甲镇 -> {ZJ} -> {CITY_ZJ} -> {PROV_ZJ}"
    ]
    assert escalations(two_town_graph, reaches="国家").empty


@pytest.mark.parametrize("written", ["市", "city", "City", "市级", " 盟 "])
def test_a_level_is_taken_in_chinese_or_as_its_english_code(two_town_graph, written):
    assert escalations(two_town_graph, reaches=written).equals(
        escalations(two_town_graph, reaches="市")
    )


def test_an_unknown_level_or_kind_is_an_error_that_lists_the_choices(two_town_graph):
    with pytest.raises(DutygraphError, match="国家.*省.*市.*区"):
        escalations(two_town_graph, reaches="镇")
    with pytest.raises(DutygraphError, match="enforcement.*report"):
        escalations(two_town_graph, kind="escalation")


def test_kind_tells_enforcement_escalations_from_plain_report_chains(two_town_graph):
    reports = escalations(two_town_graph, kind="report")
    enforcement = escalations(two_town_graph, kind="enforcement")
    assert _rows(reports, "matter", "types") == [
        (4, "reports_to -> reports_to"),
        (5, "reports_to -> reports_to"),
    ]
    assert all("escalates_to" in types for types in enforcement["types"])
    assert len(reports) + len(enforcement) == len(escalations(two_town_graph))
    assert escalations(two_town_graph, kind="逐级上报").equals(reports)
    assert escalations(two_town_graph, kind="提级处置").equals(enforcement)
    both = escalations(two_town_graph, reaches="市", kind="report")
    assert both["chain"].tolist() == ["甲镇 -> 区民政局 -> 市民政局"]


def test_a_town_handing_a_case_straight_to_the_city_reaches_the_city():
    b = ListBuilder("丙镇").matter(1, "事项", ["市甲局"])
    b.handoff(1, "丙镇", "市甲局", "escalates_to")
    G = graph_from_tables(b.tables())
    assert escalations(G).empty  # two hops or more by default
    direct = escalations(G, reaches="市")  # with a level, a single hop counts
    assert _rows(direct, "chain", "hops", "reaches") == [("丙镇 -> 市甲局", 1, "市")]
    assert escalations(G, reaches="市", min_hops=2).empty


def test_a_department_of_unknown_level_reaches_no_level():
    b = ListBuilder("丙镇").matter(1, "事项", ["区甲局"])
    b.handoff(1, "丙镇", "区甲局", "reports_to").handoff(1, "区甲局", "某公司", "reports_to")
    G = graph_from_tables(b.tables())
    assert escalations(G)["reaches"].tolist() == ["区"]
    c = ListBuilder("丁镇").matter(1, "事项", ["某中心"])
    c.handoff(1, "丁镇", "某中心", "reports_to").handoff(1, "某中心", "某公司", "reports_to")
    G = graph_from_tables(c.tables())
    assert escalations(G)["reaches"].tolist() == ["其他"]
    assert escalations(G, reaches="区").empty


def test_a_chain_that_loops_back_to_the_town_does_not_revisit_it():
    b = ListBuilder("丙镇").matter(1, "事项", ["区甲局"])
    b.handoff(1, "丙镇", "区甲局", "reports_to").handoff(1, "区甲局", "丙镇", "reports_to")
    b.handoff(1, "区甲局", "区乙局", "escalates_to")
    found = escalations(graph_from_tables(b.tables()))
    assert found["chain"].tolist() == ["丙镇 -> 区甲局 -> 区乙局"]


# -- dependents ------------------------------------------------------------------------------
def test_dependents_rank_departments_by_matters_then_handoffs_per_list(two_town_graph):
    found = dependents(two_town_graph)
    assert list(found.columns) == list(DEPENDENT_COLUMNS)
    assert _rows(
        found, "list_id", "department", "matters", "handoffs", "duties", "matter_list"
    ) == [
        ("乙镇:配合", "区人民武装部", 1, 1, 0, "1"),
        ("乙镇:配合", ZJ, 1, 1, 0, "2"),
        ("甲镇:配合", "区民政局", 2, 2, 0, "2,4"),
        ("甲镇:配合", "区人民武装部", 1, 2, 1, "1"),
        ("甲镇:配合", ZJ, 1, 2, 1, "3"),
        ("甲镇:配合", "区应急管理局", 1, 1, 0, "5"),
        ("甲镇:配合", "区财政局", 1, 1, 0, "4"),
    ]


def test_dependents_count_reports_and_escalations_apart(two_town_graph):
    found = dependents(two_town_graph).set_index(["list_id", "department"])
    assert found.loc[("甲镇:配合", ZJ), ["reports", "escalations"]].tolist() == [1, 1]
    assert found.loc[("甲镇:配合", ZJ), "level"] == "区"


def test_dependents_name_their_matters_beside_the_numbers(two_town_graph):
    found = dependents(two_town_graph)
    mca = found[(found["list_id"] == "甲镇:配合") & (found["department"] == "区民政局")].iloc[0]
    assert mca["matter_list"] == "2,4"
    assert mca["matter_names"] == "2 农村公益性墓地申报审批；4 最低生活保障审核"


def test_dependents_by_department_sum_each_department_over_the_lists(two_town_graph):
    summary = dependents(two_town_graph, by="department")
    assert list(summary.columns) == list(DEPENDENT_SUMMARY_COLUMNS)
    assert _rows(summary, "department", "lists", "matters", "handoffs", "duties") == [
        ("区人民武装部", 2, 2, 3, 1),
        (ZJ, 2, 2, 3, 1),
        ("区民政局", 1, 2, 2, 0),
        ("区应急管理局", 1, 1, 1, 0),
        ("区财政局", 1, 1, 1, 0),
    ]
    # a matter both towns hand up is named once
    assert summary.loc[0, "matter_names"] == "征兵工作"
    assert summary.loc[2, "matter_names"] == "农村公益性墓地申报审批；最低生活保障审核"
    assert dependents(two_town_graph, by="部门").equals(summary)


def test_one_name_in_two_districts_is_two_departments_in_the_summary():
    lists = []
    for town, district in (("甲镇", "甲区"), ("乙镇", "乙区")):
        b = ListBuilder(town, district=district, city="某市", province="某省")
        b.matter(1, "低保审核", ["区民政局"]).handoff(1, town, "区民政局", "reports_to")
        lists.append(b)
    G = graph_from_tables(merge_tables(*lists))
    for summary in (dependents(G, by="department"), feedback_gaps(G, by="department")):
        assert _rows(summary, "department", "body", "lists") == [
            ("区民政局", "乙区", 1),  # tied: by body (乙 before 甲 in code points)
            ("区民政局", "甲区", 1),
        ]


def test_an_unknown_grouping_lists_the_groupings(two_town_graph):
    for question in (dependents, feedback_gaps):
        with pytest.raises(DutygraphError, match="department"):
            question(two_town_graph, by="town")


# -- feedback gaps ---------------------------------------------------------------------------
def test_feedback_gaps_list_what_the_town_sends_with_nothing_back(two_town_graph):
    found = feedback_gaps(two_town_graph)
    assert list(found.columns) == list(FEEDBACK_COLUMNS)
    assert _rows(found, "list_id", "matter", "department", "sent", "handoffs") == [
        ("乙镇:配合", 1, "区人民武装部", "reports_to", 1),
        ("乙镇:配合", 2, ZJ, "escalates_to", 1),
        ("甲镇:配合", 2, "区民政局", "reports_to", 1),
        ("甲镇:配合", 3, ZJ, "reports_to,escalates_to", 2),
        ("甲镇:配合", 4, "区财政局", "reports_to", 1),
        ("甲镇:配合", 5, "区应急管理局", "reports_to", 1),
    ]
    assert set(found["feedback"]) == {""}
    assert found.iloc[2]["evidence"] == "对相关材料进行初步审核并上报"


def test_a_closed_loop_is_listed_with_closed_and_not_as_a_gap(two_town_graph):
    closed = feedback_gaps(two_town_graph, closed=True)
    assert _rows(closed, "list_id", "matter", "department", "feedback") == [
        ("甲镇:配合", 1, "区人民武装部", "将体检结果反馈街镇"),
        ("甲镇:配合", 4, "区民政局", "将审批结果反馈街镇"),
    ]
    # two reports, in handoff_id order (the department's duty d.… sorts before the town's t.…)
    assert (
        closed.iloc[0]["evidence"]
        == "根据街镇上报的上站体检对象名单 | 择优选送上站体检对象，报区人民武装部"
    )


def test_the_same_matter_closes_in_one_town_and_gaps_in_another(two_town_graph):
    gaps = feedback_gaps(two_town_graph)
    closed = feedback_gaps(two_town_graph, closed=True)
    assert ("乙镇:配合", 1) in set(_rows(gaps, "list_id", "matter"))
    assert ("甲镇:配合", 1) in set(_rows(closed, "list_id", "matter"))


def test_a_task_pushed_down_is_not_feedback(two_town_graph):
    # matter 5: 区应急管理局 assigns the town a task and the town reports to it: still a gap
    gaps = feedback_gaps(two_town_graph)
    assert ("甲镇:配合", 5, "区应急管理局") in set(_rows(gaps, "list_id", "matter", "department"))


def _sent(*evidence: str) -> nx.MultiDiGraph:
    """A town that sends 区甲局 one thing per matter, with this evidence, and hears nothing."""
    b = ListBuilder("丙镇")
    for number, text in enumerate(evidence, start=1):
        b.matter(number, f"事项{number}", ["区甲局"]).handoff(
            number, "丙镇", "区甲局", "reports_to", text
        )
    return graph_from_tables(b.tables())


def test_feedback_gaps_are_classed_by_what_was_sent():
    G = _sent(
        "对街镇上报的申请材料进行审批",
        "发现安全隐患及时上报",
        "按月报送统计报表",
        "拍照上传",
        "报送隐患台账",  # a case and a ledger: the case comes first in questions.yaml
    )
    assert feedback_gaps(G)["sent_class"].tolist() == [
        "application",
        "case",
        "information",
        "unclassified",
        "case",
    ]


def test_sent_class_keeps_those_classes_in_codes_or_labels(two_town_graph):
    replies_expected = feedback_gaps(two_town_graph, sent_class=("application", "case"))
    assert _rows(replies_expected, "list_id", "matter", "sent_class") == [
        ("乙镇:配合", 2, "case"),
        ("甲镇:配合", 2, "application"),
        ("甲镇:配合", 3, "case"),
        ("甲镇:配合", 4, "application"),
        ("甲镇:配合", 5, "case"),
    ]
    assert feedback_gaps(two_town_graph, sent_class=("申请待审批", "case or problem")).equals(
        replies_expected
    )
    assert feedback_gaps(two_town_graph, sent_class=("information",)).empty
    with pytest.raises(DutygraphError, match="申请待审批 \\(application\\)"):
        feedback_gaps(two_town_graph, sent_class=("申请",))


def test_the_class_words_come_from_the_vocabulary(tmp_path, monkeypatch):
    G = _sent("拍照上传")
    assert feedback_gaps(G)["sent_class"].tolist() == ["unclassified"]
    (tmp_path / "questions.yaml").write_text(
        "sent_classes:\n  information+: [拍照]\n", encoding="utf-8"
    )
    monkeypatch.setenv("DUTYGRAPH_VOCAB", str(tmp_path))
    assert feedback_gaps(G)["sent_class"].tolist() == ["information"]


def test_a_class_the_questions_do_not_know_is_a_vocabulary_error(tmp_path, monkeypatch):
    (tmp_path / "questions.yaml").write_text("sent_classes:\n  reply: [回复]\n", encoding="utf-8")
    monkeypatch.setenv("DUTYGRAPH_VOCAB", str(tmp_path))
    with pytest.raises(VocabularyError, match="application, case, information.*'reply'"):
        feedback_gaps(_sent("拍照上传"))


def test_feedback_gaps_by_department_count_each_class(two_town_graph):
    summary = feedback_gaps(two_town_graph, by="department")
    assert list(summary.columns) == list(FEEDBACK_SUMMARY_COLUMNS)
    assert summary.iloc[0].to_dict() == {
        "department": ZJ,
        "body": "",
        "level": "区",
        "lists": 2,
        "matters": 2,
        "handoffs": 3,
        "applications": 0,
        "cases": 2,
        "information_reports": 0,
        "unclassified": 0,
        "matter_names": "大跨度结构建筑安全排查",
    }
    assert summary["matters"].sum() == len(feedback_gaps(two_town_graph))
    cases = feedback_gaps(two_town_graph, by="department", sent_class=("case",))
    assert cases["department"].tolist() == [ZJ, "区应急管理局"]


# -- workload --------------------------------------------------------------------------------
def test_workload_counts_matters_led_town_duties_and_handoffs(two_town_graph):
    found = workload(two_town_graph)
    assert list(found.columns) == list(WORKLOAD_COLUMNS)
    jia = found[found["list_id"] == "甲镇:配合"].set_index("department")
    assert jia.loc["区民政局"].drop(["list_id", "town", "level"]).tolist() == [2, 2, 7, 2, 2, 2, 1]
    # matter 4 is led by two departments: its 6 town duties count for each
    assert jia.loc["区财政局", "town_duties"] == 6
    assert jia.loc["市民政局", "matters_led"] == 0 and jia.loc["市民政局", "handoffs_in"] == 1
    assert jia.index[:2].tolist() == ["区民政局", "区人民武装部"]


def test_workload_keeps_a_department_per_list(two_town_graph):
    found = workload(two_town_graph)
    both = found[found["department"] == ZJ]
    assert both["list_id"].tolist() == ["乙镇:配合", "甲镇:配合"]
    assert both["town"].tolist() == ["乙镇", "甲镇"]


# -- support gaps ----------------------------------------------------------------------------
def test_support_gaps_list_heavy_matters_with_guidance_or_training_only(two_town_graph):
    found = support_gaps(two_town_graph)
    assert list(found.columns) == list(SUPPORT_GAP_COLUMNS)
    assert _rows(found, "list_id", "matter", "town_duties", "escalations", "kinds") == [
        ("甲镇:配合", 1, 6, 0, "guidance"),
        ("甲镇:配合", 3, 2, 1, "training"),
        ("甲镇:配合", 5, 6, 0, "guidance,training"),
    ]
    assert (
        found.iloc[1]["reason"]
        == "镇须上报无法处置的问题1处（≥1）；保障仅有培训，无资金、物资、人员"
    )
    assert (
        found.iloc[2]["reason"] == "镇承担职责6项（≥4）；保障仅有业务指导、培训，无资金、物资、人员"
    )
    assert found.iloc[1]["departments"] == f"{ZJ}、{CITY_ZJ}"


def test_support_gaps_thresholds_are_options(two_town_graph):
    assert support_gaps(two_town_graph, min_town_duties=7, min_escalations=5).empty
    lower = support_gaps(two_town_graph, min_town_duties=3)
    assert ("乙镇:配合", 1) in set(_rows(lower, "list_id", "matter"))  # 3 duties, guidance only
    with_funding_weak = support_gaps(two_town_graph, strong_kinds=("materials", "personnel"))
    assert ("甲镇:配合", 4) in set(_rows(with_funding_weak, "list_id", "matter"))
    with pytest.raises(ValueError, match="thresholds"):
        support_gaps(two_town_graph, min_escalations=0)


def test_a_matter_without_a_guarantee_says_so():
    b = ListBuilder("丙镇").matter(1, "事项", ["区甲局"], town_duties=5, kinds="")
    found = support_gaps(graph_from_tables(b.tables()))
    assert found.loc[0, "reason"] == "镇承担职责5项（≥4）；未写明履职保障，无资金、物资、人员"


# -- paths -----------------------------------------------------------------------------------
def test_paths_go_both_ways_and_gather_the_matters_that_carry_them(two_town_graph):
    found = paths(two_town_graph, "甲镇", "区民政局")
    assert list(found.columns) == list(PATH_COLUMNS)
    assert _rows(found, "source", "chain", "matters", "matter_list", "types") == [
        ("甲镇", "甲镇 -> 区民政局", 2, "2,4", "reports_to"),
        ("区民政局", "区民政局 -> 甲镇", 1, "4", "feeds_back_to"),
    ]


def test_paths_across_hops_list_each_hops_types(two_town_graph):
    found = paths(two_town_graph, "甲镇", CITY_ZJ)
    assert _rows(found, "list_id", "chain", "hops", "types") == [
        ("甲镇:配合", f"甲镇 -> {ZJ} -> {CITY_ZJ}", 2, "reports_to+escalates_to -> escalates_to"),
    ]


def test_paths_between_departments_are_found_in_every_list(two_town_graph):
    found = paths(two_town_graph, ZJ, CITY_ZJ)
    assert _rows(found, "list_id", "town", "chain", "matter_list") == [
        ("乙镇:配合", "乙镇", f"{ZJ} -> {CITY_ZJ}", "2"),
        ("甲镇:配合", "甲镇", f"{ZJ} -> {CITY_ZJ}", "3"),
    ]


def test_paths_through_a_cycle_come_back_as_the_way_back(two_town_graph):
    found = paths(two_town_graph, "区应急管理局", "区林业和草原局")
    assert found["chain"].tolist() == [
        "区应急管理局 -> 区林业和草原局",
        "区林业和草原局 -> 区应急管理局",
    ]


def test_an_unknown_actor_is_one_clear_error_with_suggestions(two_town_graph):
    with pytest.raises(DutygraphError, match="没有名为 '区民政所' 的主体；是不是：.*区民政局"):
        paths(two_town_graph, "区民政所", "甲镇")


def test_an_actor_by_a_part_of_its_name(two_town_graph):
    assert paths(two_town_graph, "住房", "甲镇").equals(
        paths(two_town_graph, "区住房和城乡建设局", "甲镇")
    )


# -- every question of the registry -----------------------------------------------------------
#: The positional arguments of the questions that take some, on these graphs.
ARGUMENTS = {"path": ("甲镇", "区民政局")}


def _ask(name: str, graph: nx.MultiDiGraph) -> pd.DataFrame:
    return QUESTIONS[name].answer(graph, *ARGUMENTS.get(name, ()))


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_row_names_its_list_and_town(two_town_graph, question):
    # a question's own tests show it has rows on a graph made for it; here, every row it has
    found = _ask(question, two_town_graph)
    assert list(found.columns[:2]) == ["list_id", "town"]
    assert found[["list_id", "town"]].notna().all().all()
    assert (found["list_id"].str.split(":").str[0] == found["town"]).all()


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_do_not_depend_on_the_order_of_table_rows(two_town_tables, question):
    shuffled = {n: f.sample(frac=1, random_state=7) for n, f in two_town_tables.items()}
    pd.testing.assert_frame_equal(
        _ask(question, graph_from_tables(two_town_tables)),
        _ask(question, graph_from_tables(shuffled)),
    )


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q not in ARGUMENTS])
def test_a_list_view_answers_as_the_list_alone(two_town_graph, two_town_tables, question):
    alone = graph_from_tables(
        {
            n: f[f["list_id"] == "乙镇:配合"] if "list_id" in f else f
            for n, f in two_town_tables.items()
        }
    )
    pd.testing.assert_frame_equal(
        _ask(question, list_subgraph(two_town_graph, "乙镇:配合")), _ask(question, alone)
    )


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_graph_without_handoffs_gives_empty_answers_with_the_columns(two_town_tables, question):
    bare = graph_from_tables({n: f for n, f in two_town_tables.items() if n != "handoffs"})
    found = _ask(question, bare)
    if set(QUESTIONS[question].reads) <= set(HANDOFF_TABLES):  # it reads nothing but handoffs
        assert found.empty
    assert list(found.columns) == list(QUESTIONS[question].columns)


def test_questions_refuse_an_undirected_graph(two_town_graph):
    with pytest.raises(nx.NetworkXNotImplemented):
        escalations(two_town_graph.to_undirected())


def test_a_matter_view_answers_for_that_matter(two_town_graph):
    view = matter_subgraph(two_town_graph, "甲镇:配合#3")
    assert escalations(view)["matter"].unique().tolist() == [3]
    assert feedback_gaps(view)["department"].tolist() == [ZJ]
