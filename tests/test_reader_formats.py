"""Every format gives the tables the text reader gives for the same list.

Each fixture is written in code (tests/support_formats.py) from the reference list and the other
towns' lists; each must load into equal matters, categories, departments, duties, guarantees and
handoffs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support_formats import (
    ALL_LISTS,
    comparable,
    list_layout,
    write_csv,
    write_docx,
    write_html,
    write_pdf,
    write_scanned_pdf,
    write_six_columns,
    write_tab_quoted,
    write_utf16,
    write_xls,
    write_xlsx,
)
from support_formats import assert_same_tables as assert_same

from dutygraph.errors import InputFileError, ListFormatError
from dutygraph.loaders import read_lists
from dutygraph.pipeline import load_list, load_lists
from dutygraph.tables import Given, ListTables

IDS = [path.stem for path in ALL_LISTS]


@pytest.fixture(scope="module", params=ALL_LISTS, ids=IDS)
def text_list(request: pytest.FixtureRequest) -> tuple[Path, ListTables]:
    """A text list and its tables as the text reader reads them."""
    return request.param, load_list(request.param)


def test_utf16_text_as_excel_saves_unicode_text(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_utf16(source, tmp_path / "list.txt")), expected)


def test_comma_csv_with_quoted_line_breaks(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_csv(list_layout(source), tmp_path / "list.csv")), expected)


def test_excel_tab_text_with_quoted_line_breaks(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_tab_quoted(list_layout(source), tmp_path / "list.txt")), expected)


def test_six_columns_with_guarantee_in_its_own_column(text_list, tmp_path):
    source, expected = text_list
    path = write_six_columns(list_layout(source), tmp_path / "list.txt")
    assert path.read_text(encoding="utf-8-sig").splitlines()[2].count("\t") == 5
    assert_same(load_list(path), expected)


def test_xlsx_with_merged_title_categories_and_departments(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_xlsx(list_layout(source), tmp_path / "list.xlsx")), expected)


def test_xlsx_with_a_header_merged_over_two_rows(text_list, tmp_path):
    source, expected = text_list
    path = write_xlsx(list_layout(source), tmp_path / "list.xlsx", two_row_header=True)
    assert_same(load_list(path), expected)


def test_xlsx_with_one_list_over_two_sheets(text_list, tmp_path):
    source, expected = text_list
    path = write_xlsx(list_layout(source), tmp_path / "list.xlsx", split_at_category=2)
    assert_same(load_list(path), expected)


@pytest.mark.usefixtures("english")  # pins the English message
def test_a_workbook_with_two_lists_gives_both(tmp_path):
    first, second = ALL_LISTS[0], ALL_LISTS[1]
    path = write_xlsx([list_layout(first), list_layout(second)], tmp_path / "two.xlsx")
    loaded = load_lists(path)
    assert [t.list_id for t in loaded] == [load_list(first).list_id, load_list(second).list_id]
    assert_same(loaded[1], load_list(second))
    with pytest.raises(ListFormatError, match=r"two.xlsx: expected one list; the file holds 2"):
        load_list(path)


def test_xlsx_rows_name_their_sheet(tmp_path):
    tables = load_list(write_xlsx(list_layout(ALL_LISTS[1]), tmp_path / "list.xlsx"))
    assert tables.matters["source"].iloc[0].startswith("sheet 清单1, row ")


@pytest.mark.usefixtures("english")  # pins the English message
def test_an_unknown_heading_in_a_workbook_names_its_sheet_and_cell(tmp_path):
    layout = list_layout(ALL_LISTS[1])
    index = next(i for i, (kind, _) in enumerate(layout.rows) if kind == "header")
    layout.rows[index] = ("header", [*layout.header[:3], "工作要求", *layout.header[4:]])
    path = write_xlsx(layout, tmp_path / "odd.xlsx")
    with pytest.raises(
        ListFormatError,
        match=r"odd.xlsx, sheet 清单1, cell D2: expected a column heading .*'工作要求'",
    ):
        load_list(path)


def test_docx_with_merges_and_word_numbering(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_docx(list_layout(source), tmp_path / "list.docx")), expected)


def test_docx_table_split_at_a_page_break_continues_the_list(text_list, tmp_path):
    source, expected = text_list
    path = write_docx(list_layout(source), tmp_path / "list.docx", split_at_category=2)
    assert_same(load_list(path), expected)


def test_docx_rows_name_their_table(tmp_path):
    path = write_docx(list_layout(ALL_LISTS[1]), tmp_path / "list.docx", split_at_category=2)
    sources = load_list(path).matters["source"]
    assert sources.iloc[0].startswith("table 1, row ") and sources.iloc[-1].startswith(
        "table 2, row "
    )


@pytest.mark.usefixtures("english")  # pins the English message
def test_a_docx_without_a_table_says_so(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某镇配合履职事项清单")
    document.save(tmp_path / "prose.docx")
    with pytest.raises(ListFormatError, match=r"prose.docx: expected a duty list as a Word table"):
        load_list(tmp_path / "prose.docx")


def test_gbk_web_page_with_rowspan_colspan_and_navigation(text_list, tmp_path):
    source, expected = text_list
    path = write_html(list_layout(source), tmp_path / "list.html")
    assert b"charset=gbk" in path.read_bytes()[:300]
    assert_same(load_list(path), expected)


def test_a_table_copied_from_a_page_without_a_title_takes_town_from_the_option(tmp_path):
    path = tmp_path / "copied.htm"
    path.write_text(
        "<table><tr><th>序号</th><th>事项名称</th><th>对应上级部门</th><th>上级部门职责</th>"
        "<th>乡镇配合职责</th></tr><tr><td>1</td><td>征兵工作</td><td>区人民武装部</td>"
        "<td><p>区人民武装部：</p><p>1. 开展体检。</p><p>履职保障：提供业务指导。</p></td>"
        "<td>1. 报区人民武装部。<br>2. 走访调查。</td></tr></table>",
        encoding="utf-8",
    )
    tables = load_list(path, given=Given(town="测试镇", kind="配合"))
    assert tables.duties[tables.duties["owner_kind"] == "town"]["text"].tolist() == [
        "报区人民武装部。",
        "走访调查。",
    ]


@pytest.mark.browser
def test_pdf_printed_from_the_web_page_by_chromium(text_list, tmp_path, browser):
    """Rows over page breaks, repeated headers, merged cells cut by a page, radical code points,
    lines wrapped inside a cell: the same tables as the text, duty texts to the character."""
    source, expected = text_list
    path = write_pdf(list_layout(source), tmp_path / "list.pdf", browser)
    found, wanted = comparable(load_list(path)), comparable(expected)
    for name in ("lists", "matters", "categories", "matter_departments", "guarantees", "duties"):
        pd.testing.assert_frame_equal(found[name], wanted[name], obj=name)
    handoffs = [found["handoffs"][HANDOFF_KEYS], wanted["handoffs"][HANDOFF_KEYS]]
    pd.testing.assert_frame_equal(*handoffs, obj="handoffs")


HANDOFF_KEYS = ["matter", "src", "dst", "type", "duty_id", "implicit"]


@pytest.mark.usefixtures("english")  # pins the English message
def test_a_scanned_pdf_says_it_needs_ocr(tmp_path):
    path = write_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ListFormatError, match=r"scan.pdf: expected a PDF with a text layer.*OCR"):
        load_list(path)


def test_word_numbering_from_a_list_style_reads_as_typed_numbers(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("测试镇配合履职事项清单")
    table = document.add_table(rows=2, cols=5)
    header = ["序号", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    row = table.rows[1].cells
    for cell, text in zip(
        row[:4], ["1", "征兵工作", "区人民武装部", "区人民武装部：开展体检。"], strict=True
    ):
        cell.text = text
    row[4].paragraphs[0].text = "报区人民武装部。"
    row[4].paragraphs[0].style = "List Number"
    row[4].add_paragraph("走访调查。", style="List Number")
    document.save(tmp_path / "styled.docx")
    town = load_list(tmp_path / "styled.docx").duties.query("owner_kind == 'town'")
    assert town[["number", "text"]].values.tolist() == [[1, "报区人民武装部。"], [2, "走访调查。"]]


@pytest.mark.usefixtures("english")  # pins the English message
def test_a_word_97_file_is_told_to_be_saved_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(ListFormatError, match=r"old.doc: .*Word 97-2003 file: save it as .docx"):
        load_list(path)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Word（.docx）"),
        ("fake.docx", "序号\t事项名称".encode(), "Word（.docx）"),
        ("fake.xlsx", b"hello text", "Excel（.xlsx）"),
        ("note.pdf", "会议纪要".encode(), "PDF"),
    ],
)
def test_a_file_whose_suffix_promises_word_excel_or_pdf_but_is_not_says_so(
    tmp_path, name, content, said
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as raised:
        load_list(path)
    assert str(raised.value).startswith(f"{path}：不是有效的 {said}")
    assert "可能已损坏" in str(raised.value)


def test_the_xls_reader_reads_merges_as_the_xlsx_reader(tmp_path):
    """python-calamine reads .xls and .xlsx alike; no library here writes .xls, so its reader
    is tried on a workbook with merges and compared with openpyxl's."""
    from dutygraph.loaders.grid import raw_lists
    from dutygraph.loaders.xlsx import XlsReader
    from dutygraph.vocabulary import Vocabulary

    source = ALL_LISTS[0]
    path = write_xlsx(list_layout(source), tmp_path / "list.xlsx", two_row_header=True)
    vocab = Vocabulary.load()
    by_calamine = [raw.rows for raw in raw_lists(XlsReader().read(path), vocab)]
    by_openpyxl = [raw.rows for raw in read_lists(path, vocab)]
    assert [[r.cells for r in rows] for rows in by_calamine] == [
        [r.cells for r in rows] for rows in by_openpyxl
    ]


UNSEEN = sorted((Path(__file__).resolve().parent / "fixtures" / "unseen").glob("*.txt"))


@pytest.fixture(scope="module", params=UNSEEN, ids=[path.stem for path in UNSEEN])
def unseen_list(request: pytest.FixtureRequest) -> tuple[Path, ListTables]:
    """A list written by a helper who never saw the code (5 or 6 columns, ``<br>``, ``<p>``,
    ``①``, ``（一）`` …) and its tables as the text reader reads them."""
    return request.param, load_list(request.param)


def test_other_towns_workbooks_with_title_merges_and_line_breaks_load_as_their_text(
    unseen_list, tmp_path
):
    source, expected = unseen_list
    path = write_xlsx(list_layout(source), tmp_path / "list.xlsx", two_row_header=True)
    assert_same(load_list(path), expected)


def test_other_towns_word_tables_with_merges_and_word_numbering_load_as_their_text(
    unseen_list, tmp_path
):
    source, expected = unseen_list
    assert_same(load_list(write_docx(list_layout(source), tmp_path / "list.docx")), expected)


def test_other_towns_portal_pages_load_as_their_text(unseen_list, tmp_path):
    source, expected = unseen_list
    assert_same(load_list(write_html(list_layout(source), tmp_path / "list.html")), expected)


def test_an_excel_97_workbook_with_merges_and_line_breaks(text_list, tmp_path):
    source, expected = text_list
    assert_same(load_list(write_xls(list_layout(source), tmp_path / "list.xls")), expected)


@pytest.mark.parametrize("name", ["附件1", "清单.xlsx.下载"])
def test_a_workbook_that_lost_its_suffix_still_loads(text_list, tmp_path, name):
    """Attachments saved from an OA system often lose ``.xlsx`` or gain a download suffix."""
    source, expected = text_list
    workbook = write_xlsx(list_layout(source), tmp_path / "list.xlsx")
    assert_same(load_list(workbook.rename(tmp_path / name)), expected)


def test_a_workbook_renamed_docx_is_read_as_the_workbook_it_is(text_list, tmp_path):
    source, expected = text_list
    workbook = write_xlsx(list_layout(source), tmp_path / "list.xlsx")
    assert_same(load_list(workbook.rename(tmp_path / "清单.docx")), expected)
