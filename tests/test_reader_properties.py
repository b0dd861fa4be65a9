"""Property-based tests: mangled input either loads or fails with a ListFormatError, never a
crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support_lists import REFERENCE_LIST

from dutygraph.errors import ListFormatError
from dutygraph.loaders import load_list

LINES = REFERENCE_LIST.read_text(encoding="utf-8").split("\n")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mangled.txt"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        try:
            tables = load_list(path)
        except ListFormatError as err:
            assert str(err).startswith(str(path))
            assert "expected" in str(err)
            return
        # what loads is whole: every matter row is a matter, each with its list id
        assert tables.matters["number"].is_unique
        assert set(tables.duties["matter_id"]) <= set(tables.matters["matter_id"])
        assert set(tables.handoffs["duty_id"]) <= set(tables.duties["duty_id"])


@SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=40))
def test_any_selection_of_lines_loads_or_fails_clearly(indexes):
    _load("\n".join(LINES[i] for i in indexes))


@SETTINGS
@given(st.integers(min_value=0, max_value=len(LINES) - 1), st.integers(min_value=0, max_value=4))
def test_dropping_a_cell_from_a_row_loads_or_fails_clearly(line, cell):
    lines = list(LINES)
    cells = lines[line].split("\t")
    if len(cells) > cell:
        del cells[cell]
    lines[line] = "\t".join(cells)
    _load("\n".join(lines))


@SETTINGS
@given(st.integers(min_value=0, max_value=len(LINES) - 1), st.text(max_size=30))
def test_junk_spliced_into_a_line_loads_or_fails_clearly(line, junk):
    lines = list(LINES)
    at = len(lines[line]) // 2
    lines[line] = lines[line][:at] + junk + lines[line][at:]
    _load("\n".join(lines))


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_fail_clearly(data):
    _load(data)


@SETTINGS
@given(
    st.text(alphabet=st.sampled_from(list("<>/pliou 1.（）①、：:区局镇上报反馈\t")), max_size=200)
)
def test_html_and_numbering_soup_in_cells_never_crashes(soup):
    row = f"1\t事项\t区民政局\t{soup}\t{soup}"
    _load("\n".join(["某镇配合履职事项清单", LINES[4], row]))
