"""Views of many towns: a district, a department across towns, a matter town by town, a
province by district; in headless Chromium (screenshots in test-artifacts/screenshots)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support_graphs import ListBuilder, merge_tables

from dutygraph.cli import cli
from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.store import Store
from dutygraph.viz.registry import VIEWS
from dutygraph.viz.render import save_html
from dutygraph.viz.views import render_view


def _town(town: str, district: str, *, feedback: bool) -> ListBuilder:
    """A town of 包头市: cemetery applications to its district's 区民政局 (with or without the
    result coming back), an unsafe building escalated to 区住房和城乡建设局 and on to the city."""
    b = ListBuilder(town, district=district, city="包头市", province="内蒙古自治区")
    b.matter(1, "农村公益性墓地申报审批", ["区民政局"])
    b.handoff(1, town, "区民政局", "reports_to", "初步审核并上报")
    if feedback:
        b.handoff(1, "区民政局", town, "feeds_back_to", "审批结果反馈街镇")
    b.matter(2, "大跨度结构建筑安全排查", ["区住房和城乡建设局"], category="安全生产")
    b.handoff(2, town, "区住房和城乡建设局", "escalates_to", "拒不整改的上报区住房和城乡建设局")
    b.handoff(
        2, "区住房和城乡建设局", "市住房和城乡建设局", "escalates_to", "上报市住房和城乡建设局"
    )
    b.matter(3, f"{town}独有事项", ["区农牧局"], category="农牧")
    b.handoff(3, "区农牧局", town, "assigns_to", "下发图斑")
    return b


BUILDERS = (
    ("甲镇", "昆都仑区", True),
    ("乙镇", "昆都仑区", False),
    ("丙镇", "九原区", False),
)


@pytest.fixture
def many_towns():
    return graph_from_tables(merge_tables(*(_town(t, d, feedback=f) for t, d, f in BUILDERS)))


@pytest.fixture
def many_store(tmp_path):
    store = Store(tmp_path / "many.db")
    store.save_lists([_town(t, d, feedback=f).list_tables() for t, d, f in BUILDERS])
    return store


def _ids(page, kind: str) -> list[str]:
    return page.evaluate(f"() => window.dutygraph.{kind}.getIds()")


@pytest.mark.browser
def test_district_view_draws_towns_below_the_departments_they_work_with(
    many_store, open_diagram, tmp_path
):
    out = tmp_path / "district.html"
    args = [
        "viz",
        "district",
        "--store",
        str(many_store.path),
        "--district",
        "昆都仑区",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    page = open_diagram(out)
    assert page.console_errors == [] and page.external_requests == []
    nodes = _ids(page, "nodes")
    assert sorted(n for n in nodes if n.startswith("town:")) == [
        "town:内蒙古自治区/包头市/昆都仑区/乙镇",
        "town:内蒙古自治区/包头市/昆都仑区/甲镇",
    ]
    assert not any("九原区" in n for n in nodes)
    y = page.evaluate(
        "() => Object.fromEntries(Object.entries(window.dutygraph.network.getPositions())"
        ".map(([id, p]) => [id, p.y]))"
    )
    civil = "dept:内蒙古自治区/包头市/昆都仑区/区民政局"
    assert y[civil] < y["town:内蒙古自治区/包头市/昆都仑区/甲镇"]
    # both towns send to the one 区民政局 of their district: two edges, one node
    assert (
        sum(1 for e in page.evaluate("() => window.dutygraph.edges.get()") if e["to"] == civil) == 2
    )


@pytest.mark.browser
def test_department_view_across_towns_lists_the_towns_it_relies_on(
    many_towns, open_diagram, tmp_path
):
    html = render_view(many_towns, "department", "昆都仑区区住房和城乡建设局")
    page = open_diagram(save_html(html, tmp_path / "dept.html"))
    assert page.console_errors == []
    edges = page.evaluate("() => window.dutygraph.edges.get()")
    dept = "dept:内蒙古自治区/包头市/昆都仑区/区住房和城乡建设局"
    into = sorted(e["from"] for e in edges if e["to"] == dept)
    assert into == [
        "town:内蒙古自治区/包头市/昆都仑区/乙镇",
        "town:内蒙古自治区/包头市/昆都仑区/甲镇",
    ]
    assert all(e["label"] == "1 项" for e in edges if e["to"] == dept)
    assert any("大跨度结构建筑安全排查" in e["tooltip"] for e in edges)


@pytest.mark.browser
def test_matter_of_many_towns_is_one_panel_per_town(many_towns, open_diagram, tmp_path):
    page = open_diagram(save_html(render_view(many_towns, "matter", "3"), tmp_path / "m.html"))
    assert page.console_errors == [] and page.external_requests == []
    headings = page.page.locator(".panel h2").all_inner_texts()
    assert headings == [
        "九原区丙镇：#3 丙镇独有事项",
        "昆都仑区乙镇：#3 乙镇独有事项",
        "昆都仑区甲镇：#3 甲镇独有事项",
    ]
    for frame in page.page.frames[1:]:
        towns = frame.evaluate(
            "() => window.dutygraph.nodes.get().filter(n => n.node_type === 'Town').length"
        )
        assert towns == 1


@pytest.mark.browser
def test_province_view_folds_each_district_into_one_node(many_towns, open_diagram, tmp_path):
    page = open_diagram(save_html(render_view(many_towns, "province"), tmp_path / "p.html"))
    assert page.console_errors == []
    nodes = _ids(page, "nodes")
    assert sorted(n for n in nodes if n.startswith("district:")) == [
        "district:九原区",
        "district:昆都仑区",
    ]
    assert not any(n.startswith("town:") for n in nodes)
    city = "dept:内蒙古自治区/包头市/市住房和城乡建设局"
    edges = page.evaluate("() => window.dutygraph.edges.get()")
    assert sorted((e["from"], e["label"]) for e in edges if e["to"] == city) == [
        ("district:九原区", "1"),
        ("district:昆都仑区", "2"),
    ]


def test_overview_of_several_districts_is_the_province_view(many_towns):
    assert "全省（按区县汇总）" in render_view(many_towns, "overview")


#: What a dimmed edge's tooltip says (the Chinese default).
UNREVIEWED = "（未复核：机器抽取）"


@pytest.mark.parametrize(
    ("view", "target"),
    [
        (name, {"matter": "3", "department": "昆都仑区区住房和城乡建设局"}.get(name))
        for name in VIEWS
    ],
)
def test_every_view_of_many_towns_dims_the_unreviewed_handoffs_when_asked(many_towns, view, target):
    plain = render_view(many_towns, view, target)
    dimmed = render_view(many_towns, view, target, dim_unreviewed=True)
    assert UNREVIEWED not in plain
    assert UNREVIEWED in dimmed  # no handoff of these lists is reviewed: all are faded


def test_viz_district_takes_dim_unreviewed(many_store, tmp_path):
    out = tmp_path / "d.html"
    args = ["viz", "district", "--dim-unreviewed", "--store", str(many_store.path), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert UNREVIEWED in out.read_text(encoding="utf-8")
