"""What the tool writes cannot act on the reader: CSV cells never start a spreadsheet formula,
and list text never drives the terminal (issue 13, points 3 and 7)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from click.testing import CliRunner
from support_lists import write_list

from dutygraph.cli import cli
from dutygraph.formatting import csv_safe, render

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_csv_cell_starting_like_a_formula_gets_an_apostrophe(text) -> None:
    rendered = render(pd.DataFrame({"name": [text], "number": [-5]}), "csv")
    row = next(csv.DictReader(io.StringIO(rendered)))
    assert row["name"] == "'" + text
    assert row["number"] == "-5"  # numbers stay numbers


def test_a_cell_starting_with_a_carriage_return_gets_an_apostrophe() -> None:
    assert csv_safe("\rx") == "'\rx"


def test_csv_headers_are_neutralised_too() -> None:
    rendered = render(pd.DataFrame({"=cmd": [1]}), "csv")
    assert rendered.splitlines()[0] == "'=cmd"


HOSTILE_NAME = "=cmd|' /C calc'!A0"
ANSI_NAME = "\x1b[31m红色\x1b[0m事项\u202eevil\u2066"


@pytest.fixture
def hostile_store(tmp_path):
    rows = [
        "一、测试（2项）",
        f"1\t{HOSTILE_NAME}\t区民政局\t区民政局：1.负责审批。\t1.上报区民政局。",
        f"2\t{ANSI_NAME}\t区民政局\t区民政局：1.负责审批。\t1.上报区民政局。",
    ]
    path = write_list(tmp_path / "hostile.txt", rows)
    store = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return str(store)


def test_matters_as_csv_run_no_formula_in_a_spreadsheet(hostile_store) -> None:
    result = CliRunner().invoke(cli, ["matters", "--store", hostile_store, "--format", "csv"])
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert "'" + HOSTILE_NAME in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


@pytest.mark.parametrize("command", [["matters"], ["duties"], ["explain", "2"]])
def test_table_output_shows_control_characters_and_bidi_overrides_escaped(
    hostile_store, command
) -> None:
    result = CliRunner().invoke(cli, [*command, "--store", hostile_store])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    if command[0] != "duties":
        assert "\\x1b[31m红色" in result.stdout and "\\u202eevil" in result.stdout


def test_json_keeps_the_text_exactly(hostile_store) -> None:
    import json

    result = CliRunner().invoke(cli, ["matters", "--store", hostile_store, "--format", "json"])
    assert {row["name"] for row in json.loads(result.stdout)} == {HOSTILE_NAME, ANSI_NAME}
