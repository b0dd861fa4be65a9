"""The HTML report (dutygraph.viz.report and `dutygraph report`): content, escaping, and the
page opened from file:// in headless Chromium with no console error and no network request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import support_lists
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.export import report_questions, write_text
from dutygraph.i18n import gettext
from dutygraph.pipeline import load_list
from dutygraph.store import Store
from dutygraph.viz.report import render_report

SCRIPT = "<script>window.__pwned = 1</script>"
IMAGE = '<img src="http://example.invalid/x.png" onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def reference_report(reference_store: Store) -> str:
    return render_report(reference_store, reference_store.resolve_lists(None))


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A small list whose matter name, town duty, evidence and a finding hold markup."""
    tmp = tmp_path_factory.mktemp("hostile")
    tables = load_list(
        support_lists.write_list(
            tmp / "t.txt",
            [
                "一、测试（1项）",
                (
                    "1\t墓地申报\t区民政局\t1.负责审核街镇上报的材料。\t1.负责收集材料并上报区民政局。"
                    "2.对拒不整改的上报区民政局。"
                ),
            ],
        )
    )
    tables.matters["name"] = "墓地申报" + SCRIPT
    town = tables.duties["owner_kind"] == "town"
    tables.duties.loc[town, "text"] = tables.duties.loc[town, "text"].str.replace(
        "材料", "材料" + SCRIPT, regex=False
    )
    tables.handoffs["evidence"] = tables.handoffs["evidence"].str.replace(
        "材料", "材料" + SCRIPT, regex=False
    )
    tables.findings.loc[len(tables.findings)] = {
        "list_id": tables.list_id,
        "severity": "warning",
        "code": "test",
        "where": "line 5",
        "message": "名称含 " + IMAGE,
    }
    store = Store(tmp / "hostile.db")
    store.save_list(tables)
    return store


def test_the_title_names_the_lists_and_towns(reference_report):
    title = re.search(r"<title>(.*?)</title>", reference_report).group(1)
    assert title == "卜尔汉图镇配合履职事项清单 · 分析报告"  # the list's own title, no id
    assert f"<h1>{title}</h1>" in reference_report


def test_counts_findings_and_every_question_are_in_the_report(reference_report):
    assert ">186<" in reference_report  # handoffs of the reference list
    assert ">69<" in reference_report  # matters
    assert "owner-not-responsible" in reference_report  # its one warning
    assert "named-not-responsible" not in reference_report  # infos are counted, not listed
    for question in report_questions():
        assert f'<section id="{question.name}"' in reference_report
        assert f"<h2>{gettext(question.title)}</h2>" in reference_report
        assert gettext(question.explanation) in reference_report
    assert "共 10 行（dutygraph query escalations）" in reference_report


def test_an_empty_answer_claims_nothing_about_the_review(reference_report):
    assert '<p class="count">共 0 行（dutygraph query orphans）</p>' in reference_report


def test_nothing_is_fetched_from_anywhere(reference_report):
    outer = reference_report.split('srcdoc="')[0]
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", outer)
    assert "Content-Security-Policy" in outer and "default-src 'none'" in outer


def test_the_diagram_is_embedded_and_gets_a_page_of_its_own_when_printed(reference_report):
    assert '<iframe id="dg-overview"' in reference_report
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in reference_report
    assert re.search(r"section\.diagram \{ break-before: page;", reference_report)
    assert "tr, td, th { break-inside: avoid;" in reference_report


def test_every_value_is_escaped(hostile_store):
    html = render_report(hostile_store, hostile_store.resolve_lists(None))
    outer = html.split('srcdoc="')[0]
    assert SCRIPT not in outer and IMAGE not in outer
    assert "墓地申报&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in outer
    assert outer.count("<script") == 0  # the one script of the page comes after the diagram
    assert html.count("<script>") == 1


def test_a_report_of_two_towns_names_both_and_totals_them(two_town_store):
    store = Store(two_town_store)
    html = render_report(store, store.resolve_lists(None))
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == "甲镇、乙镇 · 2 份清单 · 分析报告"
    assert '<tr class="total"><td>合计</td><td>2 个乡镇</td>' in html
    assert "<small>list_id</small>" in html  # the question tables keep their list column


def test_the_comparison_section_and_its_first_table_have_different_headings(two_town_store):
    store = Store(two_town_store)
    html = render_report(store, store.resolve_lists(None))
    section = re.search(r'<section id="compare"[^>]*><h2>(.*?)</h2>(.*?)</section>', html, re.S)
    assert section.group(1) == "多乡镇比较"
    assert re.findall(r"<h3>(.*?)</h3>", section.group(2)) == [
        "乡镇对照",
        gettext("Departments × towns"),
        gettext("Matters not shared"),
    ]


def test_cli_report_prints_the_path(reference_store, tmp_path):
    out = tmp_path / "r" / "report.html"
    out.parent.mkdir()
    result = CliRunner().invoke(
        cli, ["report", "-o", str(out), "--store", str(reference_store.path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}\n"
    assert "分析报告" in out.read_text(encoding="utf-8")


@pytest.mark.usefixtures("english")
def test_cli_report_to_an_unwritable_path_is_one_line(reference_store, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli, ["report", "-o", str(blocker / "r.html"), "--store", str(reference_store.path)]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")


# -- in the browser -----------------------------------------------------------------------------
@pytest.mark.browser
def test_the_report_opens_offline_with_no_error(open_diagram, reference_report, tmp_path):
    page = open_diagram(write_text(reference_report, tmp_path / "report.html"))
    assert page.console_errors == []
    assert page.external_requests == []
    inner = page.page.frame_locator("#dg-overview")
    assert inner.locator("#dg-title").inner_text() == "卜尔汉图镇配合履职事项清单 · 总览"
    counts = page.evaluate(
        "() => document.getElementById('dg-overview').contentWindow.dutygraph.visibleCounts()"
    )
    assert counts["edges"] > 0


@pytest.mark.browser
def test_markup_in_the_data_shows_as_text(open_diagram, hostile_store, tmp_path):
    html = render_report(hostile_store, hostile_store.resolve_lists(None))
    page = open_diagram(write_text(html, tmp_path / "hostile.html"))
    assert page.console_errors == []
    assert page.external_requests == []
    text = page.evaluate("() => document.body.innerText")
    assert "墓地申报" + SCRIPT in text
    assert IMAGE in text
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0


@pytest.mark.browser
def test_print_to_pdf_puts_the_diagram_on_its_own_page(open_diagram, reference_report, tmp_path):
    page = open_diagram(write_text(reference_report, tmp_path / "report.html"))
    page.page.emulate_media(media="print")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('section.diagram'));"
        " return [s.breakBefore,"
        " getComputedStyle(document.querySelector('tbody tr')).breakInside]; }"
    )
    assert style == ["page", "avoid"]
    pdf = tmp_path / "report.pdf"
    page.page.pdf(path=str(pdf), prefer_css_page_size=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 4
    Path(pdf).unlink()
