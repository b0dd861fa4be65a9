"""Answers that paste (issue 12, point 4): ``-o FILE`` on every command that prints rows, the
format from the suffix, and terminal tables that fit the terminal, wrap or print whole."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from support_graphs import ListBuilder
from support_lists import REFERENCE_LIST, write_list

from dutygraph.cli import cli
from dutygraph.export import sheet_title
from dutygraph.formatting import display_width, fit_widths, render, wrap_text
from dutygraph.i18n import gettext, heading, labelled
from dutygraph.store import Store

ZH = {"DUTYGRAPH_LANG": "zh_CN"}


def run(args: list[str], env: dict[str, str] | None = None, code: int = 0) -> str:
    result = CliRunner().invoke(cli, args, env={**ZH, **(env or {})})
    assert result.exit_code == code, result.output
    return result.stdout


def answer(store: Store, fmt: str, *extra: str) -> str:
    return run(["query", "escalations", "--store", str(store.path), "--format", fmt, *extra])


def expected_rows(store: Store) -> pd.DataFrame:
    """What ``query escalations`` answers, as its JSON output gives it."""
    return pd.DataFrame(json.loads(answer(store, "json")))


# -- -o FILE, one format per suffix ------------------------------------------------------------
def test_an_xlsx_answer_has_chinese_headings_english_names_and_the_rows(reference_store, tmp_path):
    path = tmp_path / "answer.xlsx"
    run(["query", "escalations", "--store", str(reference_store.path), "-o", str(path)])
    rows = expected_rows(reference_store)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet_title("escalations")]
    sheet = book.active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == [heading(c, "escalations", "zh_CN") for c in rows.columns]
    assert cells[0][:3] == ["清单", "乡镇", "事项"]
    assert cells[1] == list(rows.columns)  # the names the CSV has, for pandas
    shown = labelled(rows, "zh_CN")
    assert cells[2:] == [list(r) for r in shown.itertuples(index=False, name=None)]
    assert "上报 -> 提级上报" in shown["types"].tolist()  # codes read as labels


def test_an_xlsx_answer_sizes_each_column_to_its_chinese_text(reference_store, tmp_path):
    path = tmp_path / "answer.xlsx"
    run(["query", "escalations", "--store", str(reference_store.path), "-o", str(path)])
    sheet = openpyxl.load_workbook(path).active
    columns = list(sheet.iter_cols(values_only=True))
    for index, values in enumerate(columns, start=1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        widest = max(display_width(str(v), cjk=True) for v in values if v is not None)
        assert width >= min(widest, 60), (values[1], width)  # as wide as the text, up to 60
        assert width <= 62
    assert sheet.freeze_panes == "A3"


def test_a_csv_answer_has_a_byte_order_mark_and_reads_back_as_printed(reference_store, tmp_path):
    path = tmp_path / "answer.csv"
    run(["query", "escalations", "--store", str(reference_store.path), "-o", str(path)])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text == answer(reference_store, "csv")  # the --format csv rows, byte for byte
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == list(expected_rows(reference_store).columns)
    assert len(back) == len(expected_rows(reference_store))


def test_a_json_answer_parses_to_the_rows(reference_store, tmp_path):
    path = tmp_path / "answer.json"
    run(["query", "escalations", "--store", str(reference_store.path), "-o", str(path)])
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
        answer(reference_store, "json")
    )


def test_a_markdown_answer_is_a_table_with_chinese_headings_and_every_row(
    reference_store, tmp_path
):
    path = tmp_path / "answer.md"
    run(["query", "escalations", "--store", str(reference_store.path), "-o", str(path)])
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = expected_rows(reference_store)
    assert lines[0] == "| " + " | ".join(heading(c, language="zh_CN") for c in rows.columns) + " |"
    assert lines[1] == "|" + " --- |" * len(rows.columns)
    assert len(lines) == len(rows) + 2
    shown = labelled(rows, "zh_CN")
    for line, (_, row) in zip(lines[2:], shown.iterrows(), strict=True):
        cells = [c.replace("\\|", "|") for c in re.split(r" (?<!\\)\| ", line[2:-2])]
        assert cells == [str(v) for v in row]


def test_an_unknown_suffix_is_one_error_naming_the_suffixes_and_writes_nothing(
    reference_store, tmp_path
):
    path = tmp_path / "answer.txt"
    result = CliRunner().invoke(
        cli, ["query", "escalations", "--store", str(reference_store.path), "-o", str(path)], env=ZH
    )
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        f"错误：{path}：无法从后缀判断要写成什么格式；请用 .xlsx, .csv, .json, .md 之一"
    ]
    assert "Traceback" not in result.output
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_the_suffix_decides_and_an_explicit_format_besides_it_is_refused(reference_store, tmp_path):
    path = tmp_path / "a.csv"
    args = ["query", "escalations", "--store", str(reference_store.path)]
    run([*args, "-o", str(path), "--format", "json"], code=2)
    assert not path.exists()


@pytest.fixture
def hostile_store(tmp_path):
    """A list whose matter name a spreadsheet would run as a formula."""
    rows = [
        "一、测试（1项）",
        '1\t=HYPERLINK("http://x","y")\t区民政局\t区民政局：1.负责审批。\t1.上报区民政局。',
    ]
    path = write_list(tmp_path / "hostile.txt", rows)
    store = tmp_path / "s.db"
    run(["load", str(path), "--store", str(store), "-q"])
    return str(store)


def test_a_csv_answer_never_holds_a_formula_and_an_xlsx_one_keeps_it_text(hostile_store, tmp_path):
    run(["matters", "--store", hostile_store, "-o", str(tmp_path / "m.csv")])
    names = [
        r["name"] for r in csv.DictReader(io.StringIO((tmp_path / "m.csv").read_text("utf-8-sig")))
    ]
    assert names == ['\'=HYPERLINK("http://x","y")']
    run(["matters", "--store", hostile_store, "-o", str(tmp_path / "m.xlsx")])
    cell = openpyxl.load_workbook(tmp_path / "m.xlsx").active["D3"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


@pytest.mark.parametrize(
    "args",
    [
        ["lists"],
        ["matters"],
        ["departments"],
        ["duties", "--matter", "3"],
        ["handoffs", "--matter", "29"],
        ["review", "status"],
        ["query", "feedback-gaps"],
        ["query", "workload"],
    ],
    ids=lambda a: " ".join(a),
)
def test_every_command_that_prints_rows_writes_them_to_a_file(reference_store, tmp_path, args):
    path = tmp_path / "rows.json"
    run([*args, "--store", str(reference_store.path), "-o", str(path)])
    printed = json.loads(run([*args, "--store", str(reference_store.path), "--format", "json"]))
    assert json.loads(path.read_text(encoding="utf-8")) == printed
    assert printed  # the reference list has rows for each


def test_lint_writes_its_findings_and_still_exits_one_on_an_error(tmp_path):
    rows = [
        "一、空类（2项）",
        "二、社会保障（1项）",
        "1\t甲\t区民政局\t区民政局：1.负责审批。\t1.上报。",
    ]
    path = write_list(tmp_path / "bad.txt", rows)  # a category that holds none of its matters
    out = tmp_path / "findings.md"
    run(["lint", str(path), "-o", str(out)], code=1)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("| 清单 | 级别 |") and "| 错误 |" in text


@pytest.fixture
def two_towns(tmp_path):
    store = Store(tmp_path / "towns.db")
    for town, district in (("甲镇", "昆都仑区"), ("乙镇", "九原区")):
        b = ListBuilder(town, district=district, city="包头市")
        b.matter(1, "征兵工作", ["区人民武装部"])
        b.handoff(1, town, "区人民武装部", "reports_to", "报区人民武装部")
        store.save_lists([b.list_tables()])
    return str(store.path)


def test_a_command_of_several_parts_writes_a_sheet_or_a_section_each(
    two_towns, tmp_path, monkeypatch
):
    monkeypatch.setenv("DUTYGRAPH_LANG", "zh_CN")
    run(["compare", "--store", two_towns, "-o", str(tmp_path / "c.xlsx")])
    tabs = openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames
    assert len(tabs) == 4 and tabs[0] == gettext("Towns side by side")
    run(["compare", "--store", two_towns, "-o", str(tmp_path / "c.md")])
    assert (tmp_path / "c.md").read_text(encoding="utf-8").count("\n## ") == 3


def test_several_parts_do_not_go_into_one_csv(two_towns, tmp_path):
    result = CliRunner().invoke(
        cli, ["compare", "--store", two_towns, "-o", str(tmp_path / "c.csv")], env=ZH
    )
    assert result.exit_code != 0 and "--show" in result.stderr
    assert not (tmp_path / "c.csv").exists()
    run(["compare", "--store", two_towns, "--show", "towns", "-o", str(tmp_path / "c.csv")])
    assert (tmp_path / "c.csv").read_bytes().startswith(b"\xef\xbb\xbflist_id,")


# -- terminal tables: fit, wrap, wide -----------------------------------------------------------
COLUMNS_80 = {"COLUMNS": "80"}


def table_lines(out: str) -> list[str]:
    return out.rstrip("\n").splitlines()


@pytest.mark.parametrize("extra", [[], ["--wrap"]], ids=["cut", "wrap"])
@pytest.mark.parametrize(
    "args",
    [["query", "escalations"], ["matters"], ["duties"], ["handoffs"], ["departments"]],
    ids=lambda a: " ".join(a),
)
def test_a_table_fits_80_columns_of_chinese_text(reference_store, args, extra):
    out = run([*args, "--store", str(reference_store.path), *extra], env=COLUMNS_80)
    widths = [display_width(line) for line in table_lines(out)]
    assert max(widths) <= 80
    assert max(widths) >= 70  # the room is used, not wasted


def columns_of(out: str) -> list[str]:
    """Each column's text, read back from a table's lines by the columns the dashes mark."""
    lines = table_lines(out)
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    texts = ["" for _ in spans]
    for line in lines[rule + 1 :]:
        at, position = {}, 0  # display column -> index in the line
        for index, ch in enumerate(line):
            at[position] = index
            position += display_width(ch)
        at[position] = len(line)
        for k, (start, end) in enumerate(spans):
            begin = at.get(start, len(line))
            stop = at.get(end, len(line)) if k + 1 < len(spans) else len(line)
            texts[k] += line[begin:stop]
    return [re.sub(r"\s", "", t) for t in texts]


def test_wrap_keeps_every_character_of_every_cell(reference_store):
    out = run(
        ["query", "escalations", "--store", str(reference_store.path), "--wrap"], env=COLUMNS_80
    )
    shown = labelled(expected_rows(reference_store), "zh_CN")
    for text, column in zip(columns_of(out), shown.columns, strict=True):
        assert text == re.sub(r"\s", "", "".join(shown[column].astype(str))), column
    assert "…" not in out.replace("……", "")
    assert out.count("\n\n") == len(shown) - 1  # rows of several lines kept apart


def test_wide_cuts_nothing_whatever_the_terminal(reference_store):
    out = run(
        ["query", "escalations", "--store", str(reference_store.path), "--wide"], env=COLUMNS_80
    )
    lines = table_lines(out)
    shown = labelled(expected_rows(reference_store), "zh_CN")
    assert len(lines) == len(shown) + 2  # one line a row
    for line, (_, row) in zip(lines[2:], shown.iterrows(), strict=True):
        for value in row:
            assert str(value) in line
    assert max(display_width(line) for line in lines) > 80


def test_the_default_cuts_long_cells_with_an_ellipsis_to_fit(reference_store):
    out = run(["query", "escalations", "--store", str(reference_store.path)], env=COLUMNS_80)
    assert "…" in out
    lines = table_lines(out)
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "})
    assert len(lines) - rule - 1 == len(expected_rows(reference_store))  # a line a row


def test_wrap_and_wide_together_are_refused(reference_store):
    run(["matters", "--store", str(reference_store.path), "--wrap", "--wide"], code=2)


def test_chinese_quotes_dashes_and_ellipses_take_two_columns_in_chinese():
    assert display_width("“散乱污”——……", cjk=True) == 9 * 2
    assert display_width("“散乱污”——……", cjk=False) == 3 * 2 + 6  # only the ideographs wide
    assert display_width("区民政局（市）：、。") == 20


def test_columns_give_way_widest_first_and_narrow_ones_stay_whole():
    assert fit_widths([4, 10, 60, 60], 70) == [4, 10, 28, 28]
    assert sum(fit_widths([40] * 10, 80)) <= 80


def test_wrapping_never_starts_a_line_with_closing_punctuation():
    lines = wrap_text("对拒不整改的，上报市住房和城乡建设局。", 12, cjk=True)
    assert "".join(lines) == "对拒不整改的，上报市住房和城乡建设局。"
    assert all(display_width(line) <= 12 for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)


def test_with_a_file_nothing_is_printed_but_its_path_on_stderr(reference_store, tmp_path):
    result = CliRunner().invoke(
        cli,
        ["matters", "--store", str(reference_store.path), "-o", str(tmp_path / "m.md")],
        env=ZH,
    )
    assert result.stdout == "" and result.stderr.strip() == str(tmp_path / "m.md")
    assert Path(tmp_path / "m.md").exists()


def test_a_diff_to_a_workbook_prints_nothing_and_writes_a_sheet_per_part(tmp_path):
    store = Store(tmp_path / "versions.db")
    lists = []
    for version, name in (("", "征兵工作"), ("2025", "征兵工作（年度）")):
        b = ListBuilder("甲镇", version=version, district="昆都仑区", city="包头市")
        b.matter(1, name, ["区人民武装部"])
        b.handoff(1, "甲镇", "区人民武装部", "reports_to", "报区人民武装部")
        lists.append(b.list_tables())
    store.save_lists(lists)
    old, new = (t.list_id for t in lists)
    path = tmp_path / "d.xlsx"
    result = CliRunner().invoke(
        cli, ["diff", old, new, "--store", str(store.path), "-o", str(path)], env=ZH
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(openpyxl.load_workbook(path).sheetnames) == 4


def test_every_command_with_a_format_takes_o_wrap_and_wide():
    def commands(group, path=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, (*path, name))
            else:
                yield " ".join((*path, name)), {o for p in command.params for o in p.opts}

    found = dict(commands(cli))
    with_format = {name for name, options in found.items() if "--format" in options}
    assert {
        "matters",
        "lint",
        "compare",
        "diff",
        "query escalations",
        "review status",
    } <= with_format
    for name in with_format:
        assert {"-o", "--wrap", "--wide"} <= found[name], name


def test_an_answer_that_cannot_be_written_is_one_line_and_leaves_nothing(reference_store, tmp_path):
    (tmp_path / "a-file").write_text("x")
    path = tmp_path / "a-file" / "answer.xlsx"  # a file where a folder should be
    result = CliRunner().invoke(
        cli, ["matters", "--store", str(reference_store.path), "-o", str(path)], env=ZH
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize(
    ("args", "tab"),
    [
        (["departments"], "Departments"),
        (["matters"], "Matters"),
        (["review", "status"], "Review status"),
    ],
)
def test_a_workbook_answer_names_its_tab_in_chinese(
    reference_store, tmp_path, monkeypatch, args, tab
):
    monkeypatch.setenv("DUTYGRAPH_LANG", "zh_CN")
    path = tmp_path / "a.xlsx"
    run([*args, "--store", str(reference_store.path), "-o", str(path)])
    assert openpyxl.load_workbook(path).sheetnames == [gettext(tab)]
    assert gettext(tab) != tab


@pytest.mark.parametrize(("setting", "cjk"), [("1", False), ("2", True), (None, False)])
def test_a_terminal_that_draws_quotes_narrow_or_wide_gets_its_columns_aligned(
    monkeypatch, setting, cjk
):
    monkeypatch.setenv("DUTYGRAPH_LANG", "zh_CN")
    if setting is None:
        monkeypatch.delenv("DUTYGRAPH_AMBIWIDTH", raising=False)
    else:
        monkeypatch.setenv("DUTYGRAPH_AMBIWIDTH", setting)
    frame = pd.DataFrame({"name": ["“散乱污”——检查", "征兵工作"], "number": [28, 1]})
    lines = render(frame, "table").splitlines()
    starts = {display_width(line[: line.rindex(" ") + 1], cjk=cjk) for line in lines[2:]}
    assert len(starts) == 1  # the numbers start in one column, as the terminal draws it


# -- narrow terminals: columns give way by priority (findings 12, 31) ---------------------------
UNSEEN = Path(__file__).parent / "fixtures" / "unseen"
LONG_IDS = ["wulan_sumu.txt", "qingshi_zhen.txt", "baorihaote_sumu.txt", "xiuxi_jiedao.txt"]


@pytest.fixture(scope="module")
def towns_store(tmp_path_factory) -> str:
    """The reference list and four unseen ones, ids up to 28 columns wide (查干淖尔旗…:2025)."""
    path = tmp_path_factory.mktemp("towns") / "towns.db"
    files = [str(REFERENCE_LIST), *(str(UNSEEN / name) for name in LONG_IDS)]
    run(["load", *files, "--store", str(path), "-q"])
    return str(path)


def narrow(args: list[str], columns: int = 80) -> tuple[list[str], str]:
    result = CliRunner().invoke(cli, args, env={**ZH, "COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return table_lines(result.stdout), result.stderr


def heading_lines(lines: list[str]) -> list[str]:
    return lines[: next(i for i, line in enumerate(lines) if set(line) <= {"-", " "})]


def test_lists_on_80_columns_keeps_every_list_id_whole_and_names_what_it_left_out(towns_store):
    lines, hint = narrow(["lists", "--store", towns_store])
    assert max(display_width(line) for line in lines) <= 80
    ids = json.loads(run(["lists", "--store", towns_store, "--format", "json"]))
    rows = lines[len(heading_lines(lines)) + 1 :]
    assert [line.split()[0] for line in rows] == [row["list_id"] for row in ids]
    assert "查干淖尔旗乌兰苏木:配合:2025" in "\n".join(rows)
    assert hint.startswith("（终端较窄，已省略：") and "载入时间" in hint and "来源文件" in hint
    assert "载入时间" not in lines[0] and "--wide 或 --wrap" in hint


def test_handoffs_on_80_columns_give_the_evidence_the_room_before_the_secondary_columns(
    towns_store,
):
    args = ["handoffs", "--matter", "29", "--list", "卜尔汉图镇", "--store", towns_store]
    lines, hint = narrow(args)
    assert max(display_width(line) for line in lines) <= 80
    rule = lines[len(heading_lines(lines))]
    spans = [len(m.group()) for m in re.finditer(r"-+", rule)]
    assert "依据原文" in lines[0] and "识别方式" not in lines[0]
    evidence = lines[0].split().index("依据原文")
    assert spans[evidence] == max(spans) >= 20
    assert "识别方式" in hint
    assert all(
        line.split()[0] == "卜尔汉图镇:配合" for line in lines[len(heading_lines(lines)) + 1 :]
    )


@pytest.mark.parametrize(
    "args",
    [["lists"], ["compare", "--show", "towns"], ["query", "feedback-gaps"]],
    ids=lambda a: " ".join(a),
)
@pytest.mark.parametrize("columns", [60, 80])
def test_a_narrow_heading_never_breaks_inside_its_brackets(towns_store, args, columns):
    lines, _ = narrow([*args, "--store", towns_store], columns)
    lines = [line for line in lines if not line.startswith("==")]
    for line in heading_lines(lines):
        assert line.count("（") == line.count("）"), line
    assert max(display_width(line) for line in lines) <= columns


def test_with_wrap_nothing_is_left_out(towns_store):
    lines, hint = narrow(["lists", "--store", towns_store, "--wrap"])
    assert hint == ""
    heads = "".join(heading_lines(lines)).replace(" ", "")
    for name in ("载入时间", "来源文件", "省（自治区）", "版本"):
        assert all(ch in heads for ch in name)


def test_a_load_summary_on_a_narrow_terminal_keeps_ids_whole_and_breaks_paths_after_a_slash(
    tmp_path,
):
    files = [str(UNSEEN / name) for name in LONG_IDS[:2]]
    result = CliRunner().invoke(
        cli, ["load", *files, "--store", str(tmp_path / "s.db"), "-q"], env={**ZH, "COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = table_lines(result.stdout)
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("文件")) :]
    assert max(display_width(line) for line in lines) <= 80
    text = "\n".join(lines)
    assert "查干淖尔旗乌兰苏木:配合:2025" in text and "临安区青石镇:配合:2025" in text
    rows = lines[len(heading_lines(lines)) + 1 :]
    path_parts = [line.split()[0] for line in rows if line.strip()]
    assert all(part.endswith(("/", ".txt")) for part in path_parts), path_parts
    assert "".join(path_parts).count("tests/fixtures/unseen/") == 2


def test_a_path_wraps_after_a_slash_and_keeps_every_character():
    path = "tests/fixtures/unseen/qingshi_zhen.txt"
    lines = wrap_text(path, 20, cjk=False)
    assert "".join(lines) == path and len(lines) > 1
    assert all(line.endswith("/") for line in lines[:-1])
    assert all(display_width(line) <= 20 for line in lines)
