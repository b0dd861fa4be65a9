"""Every format gives the tables the text reader gives for the same list.

Each fixture is written in code (tests/support_formats.py) from the reference list and the other
towns' lists; each must load into equal matters, categories, departments, duties, guarantees and
handoffs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support_formats import (
    ALL_LISTS,
    list_layout,
    write_csv,
    write_six_columns,
    write_tab_quoted,
    write_utf16,
    write_xlsx,
)
from support_formats import assert_same_tables as assert_same

from dutygraph.errors import ListFormatError
from dutygraph.loaders import load_list, load_lists
from dutygraph.tables import ListTables

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
