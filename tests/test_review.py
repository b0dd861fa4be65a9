"""The analyst review: export a workbook, decide in it, apply it, and see the decisions in
every answer, after a reload and in a revised version of the list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli
from dutygraph.export import sheet_title
from dutygraph.review.apply import REQUIRED_COLUMNS
from dutygraph.review.terms import DECISION_CHOICES, TYPE_CHOICES
from dutygraph.review.workbook import REVIEW_SHEETS
from dutygraph.store import SCHEMA_VERSION, Store

REVIEW_SHEET = REVIEW_SHEETS[0]  # the tab in Chinese, the default language
TOWN = "卜尔汉图镇"
LIST_ID = "卜尔汉图镇:配合"
# matter 3: the town files cemetery applications up; nothing comes back (a feedback gap)
FILED_UP = "对相关材料进行初步审核并上报"
APPROVAL = "负责对农村公益性墓地设置进行审批"
# matter 29: a second, implicit edge from the city bureau's clause, and the town's first report
DUPLICATE = "对区住房和城乡建设局上报的拒不整改隐患的责任主体进行处置"
FIRST_REPORT = "对排查发现或街镇上报的具有安全隐患的大跨度建筑"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_path(tmp_path: Path, runner: CliRunner) -> str:
    path = str(tmp_path / "review.db")
    result = runner.invoke(cli, ["load", str(REFERENCE_LIST), "--store", path, "-q"])
    assert result.exit_code == 0, result.output
    return path


def _run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args))


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _export(runner: CliRunner, store_path: str, path: Path) -> Path:
    result = _run(runner, "review", "export", "--store", store_path, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def _rows(ws) -> dict[tuple[int, str, str], int]:
    """(matter, evidence, type) -> Excel row number of the review sheet."""
    names = [c.value for c in ws[2]]
    found = {}
    for number, values in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        row = dict(zip(names, values, strict=False))
        if row["matter"] is not None:
            found[(int(row["matter"]), row["evidence"], row["type"])] = number
    return found


def _set(ws, row: int, **cells: object) -> None:
    names = [c.value for c in ws[2]]
    for name, value in cells.items():
        ws.cell(row=row, column=names.index(name) + 1, value=value)


def _decide(path: Path) -> dict[str, int]:
    """Fill in a review workbook as an analyst would; return the rows of the two bad ones."""
    book = load_workbook(path)
    ws = book[REVIEW_SHEET]
    rows = _rows(ws)
    _set(ws, rows[3, FILED_UP, "reports_to"], decision="✓ 对", reviewer="王芳")
    _set(ws, rows[29, DUPLICATE, "escalates_to"], decision="✗ 错", reviewer="王芳", note="重复")
    _set(
        ws,
        rows[29, FIRST_REPORT, "reports_to"],
        decision="改",
        new_type="提级上报 escalates_to",
        reviewer="王芳",
    )
    bad_department = rows[2, "对相关信息进行收集、整理和上报", "reports_to"]
    _set(ws, bad_department, decision="改", new_dst="区不存在局", reviewer="王芳")
    vanished = rows[28, next(e for (m, e, _) in rows if m == 28), "reports_to"]
    _set(ws, vanished, decision="✓ 对", evidence="这一句已不在清单中", reviewer="王芳")
    added = max(rows.values()) + 1
    _set(
        ws,
        added,
        list_id=LIST_ID,
        matter=3,
        src="区民政局",
        dst=TOWN,
        type="反馈 feeds_back_to",
        evidence=APPROVAL,
        decision="添加",
        reviewer="王芳",
        note="审批结果应反馈镇",
    )
    book.save(path)
    return {"bad_department": bad_department, "vanished": vanished}


@pytest.fixture
def reviewed(tmp_path: Path, runner: CliRunner, store_path: str):
    """The reference list, reviewed through one real workbook; (store, apply result, bad rows)."""
    path = _export(runner, store_path, tmp_path / "review.xlsx")
    bad = _decide(path)
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    return store_path, result, bad


# -- the workbook ----------------------------------------------------------------------------
def test_the_review_workbook_has_headings_names_drop_downs_and_instructions(
    tmp_path, runner, store_path
):
    path = _export(runner, store_path, tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:3] == [REVIEW_SHEET, "选项", "未解析条款"] and "说明" in book.sheetnames
    ws = book[REVIEW_SHEET]
    names = [c.value for c in ws[2]]
    assert set(REQUIRED_COLUMNS) <= set(names)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(c.value)) for c in ws[1])
    assert ws.freeze_panes == "A3"
    assert ws.max_row >= len(Store(store_path).table("handoffs")) + 2
    first = dict(zip(names, (c.value for c in ws[3]), strict=False))
    assert first["type_zh"] and first["evidence"] in first["clause"] and first["decision"] is None
    sources = {dv.formula1 for dv in ws.data_validations.dataValidation}
    options = book["选项"]
    assert options.sheet_state == "hidden"
    offered = {col[0].value: [c.value for c in col[1:] if c.value] for col in options.iter_cols()}
    assert offered["判断"] == list(DECISION_CHOICES) and offered["类型"] == list(TYPE_CHOICES)
    assert TOWN in offered[LIST_ID] and "区民政局" in offered[LIST_ID]
    assert any("$A$" in s for s in sources) and any("$B$" in s for s in sources)
    widths = {
        ws.cell(row=2, column=k + 1).value: ws.column_dimensions[c].width
        for k, c in enumerate("ABCDEFGHIJKLMNOPQ")
    }
    assert widths["evidence"] > widths["matter"] >= 6
    assert "判断" in " ".join(str(c.value) for c in book["说明"]["B"] if c.value)


@pytest.mark.usefixtures("english")
def test_in_english_the_workbook_speaks_english_and_its_decisions_apply(
    tmp_path, runner, store_path
):
    path = _export(runner, store_path, tmp_path / "en.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["Handoff review", "Options", "Clauses not understood"]
    ws = book["Handoff review"]
    assert [c.value for c in ws[1]][:5] == ["List", "Matter no.", "Matter", "From", "To"]
    offered = {c[0].value: [x.value for x in c[1:] if x.value] for c in book["Options"].iter_cols()}
    assert offered["decision"] == ["✓ ok", "✗ wrong", "fix", "add"]
    assert "escalates to (escalates_to)" in offered["type"]
    assert "decision" in " ".join(str(c.value) for c in book["About"]["B"] if c.value)
    names = [c.value for c in ws[2]]
    row = next(r for r in range(3, ws.max_row) if ws.cell(r, 2).value == 29)
    ws.cell(row, names.index("decision") + 1, "fix")
    ws.cell(row, names.index("new_type") + 1, "escalates to (escalates_to)")
    ws.cell(row, names.index("reviewer") + 1, "Li")
    book.save(path)
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 0, result.output
    corrections = Store(store_path).table("corrections")
    assert list(corrections["decision"]) == ["fix"]
    assert list(corrections["new_type"]) == ["escalates_to"]


@pytest.mark.parametrize("matter", ["29", "大跨度结构建筑"])
def test_export_of_one_matter_holds_only_its_handoffs(tmp_path, runner, store_path, matter):
    result = _run(
        runner,
        "review",
        "export",
        "--matter",
        matter,
        "--store",
        store_path,
        "-o",
        str(tmp_path / "m.xlsx"),
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "m.xlsx")[REVIEW_SHEET]
    matters = {r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[1] is not None}
    assert matters == {29}


def test_export_of_a_matter_no_list_has_is_one_line(tmp_path, runner, store_path):
    result = _run(
        runner, "review", "export", "--matter", "99", "--store", store_path, "-o", "m.xlsx"
    )
    assert result.exit_code == 1 and result.output.startswith("错误：")
    assert "99" in result.output and result.output.count("\n") == 1


# -- apply -----------------------------------------------------------------------------------
def test_apply_stores_the_good_rows_and_names_each_bad_one(reviewed):
    store_path, result, bad = reviewed
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "第" in line]
    assert len(problems) == 2
    assert (
        f"第 {bad['bad_department']} 行" in problems[0] and "未知的部门“区不存在局”" in problems[0]
    )
    assert f"第 {bad['vanished']} 行" in problems[1] and "依据原文已不在清单" in problems[1]
    assert "已保存 4 条复核（确认 1，否决 1，改正 1，添加 1）" in result.stdout
    assert len(Store(store_path).table("corrections")) == 4


def test_applying_the_same_file_again_changes_nothing(reviewed, tmp_path, runner):
    store_path, _, _ = reviewed
    before = Store(store_path).table("corrections")
    again = _export(runner, store_path, tmp_path / "again.xlsx")
    result = _run(runner, "review", "apply", str(again), "--store", store_path)
    assert result.exit_code == 0, result.output
    assert Store(store_path).table("corrections").equals(before)


def test_handoffs_show_each_edges_status_and_filter_on_it(reviewed, runner):
    store_path, _, _ = reviewed
    rows = _csv(_run(runner, "handoffs", "--store", store_path, "--format", "csv").stdout)
    status = {(r["matter"], r["evidence"], r["type"]): r["status"] for r in rows}
    assert status["3", FILED_UP, "reports_to"] == "confirmed"
    assert status["3", APPROVAL, "feeds_back_to"] == "added"
    assert status["29", FIRST_REPORT, "escalates_to"] == "corrected"
    assert ("29", DUPLICATE, "escalates_to") not in status
    assert sum(r["status"] == "machine" for r in rows) == len(rows) - 3
    rejected = _run(runner, "handoffs", "--store", store_path, "--status", "已否决")
    assert DUPLICATE[:20] in rejected.stdout and "已否决" in rejected.stdout
    assert "王芳" in rejected.stdout
    table = _run(runner, "handoffs", "--matter", "3", "--store", store_path).stdout
    assert "已确认" in table and "人工添加" in table
    bad = _run(runner, "handoffs", "--store", store_path, "--status", "maybe")
    assert bad.exit_code == 2 and "machine/机器抽取" in bad.output


def test_explain_marks_reviewed_edges_and_shows_what_a_correction_replaced(reviewed, runner):
    store_path, _, _ = reviewed
    text = _run(runner, "explain", "29", "--store", store_path).stdout
    assert "{已否决 王芳" in text
    assert "{已改正 王芳" in text and f"原为 {TOWN} -> 区住房和城乡建设局 reports_to" in text


def test_the_answers_change_as_the_decisions_say(reviewed, runner):
    store_path, _, _ = reviewed

    def ask(*question: str) -> list[dict[str, str]]:
        return _csv(
            _run(runner, "query", *question, "--store", store_path, "--format", "csv").stdout
        )

    gaps = {(r["matter"], r["department"]) for r in ask("feedback-gaps")}
    closed = {(r["matter"], r["department"]) for r in ask("feedback-gaps", "--closed")}
    assert ("3", "区民政局") not in gaps and ("3", "区民政局") in closed
    chain = next(r for r in ask("escalations") if r["matter"] == "29")
    assert chain["types"] == "escalates_to -> escalates_to"
    assert DUPLICATE not in chain["evidence"]


def test_status_counts_each_kind_of_decision(reviewed, runner):
    store_path, _, _ = reviewed
    result = _run(runner, "review", "status", "--store", store_path, "--format", "json")
    (row,) = json.loads(result.stdout)
    handoffs = len(Store(store_path).table("handoffs"))
    assert row | {"unresolved": None} == {
        "list_id": LIST_ID,
        "town": TOWN,
        "extracted": handoffs,
        "reviewed": 3,
        "confirmed": 1,
        "corrected": 1,
        "rejected": 1,
        "added": 1,
        "unreviewed": handoffs - 3,
        "unapplied": 0,
        "unresolved": None,
    }


def test_a_csv_with_english_decisions_applies_like_the_workbook(tmp_path, runner, store_path):
    back = {"matter": 3, "src": "区民政局", "dst": TOWN}
    path = _review_csv(
        tmp_path / "review.csv",
        {
            "matter": 3,
            "src": TOWN,
            "dst": "区民政局",
            "type": "reports_to",
            "evidence": FILED_UP,
            "decision": "wrong",
        },
        back | {"type": "feeds_back_to", "decision": "add"},
        back | {"decision": "maybe"},
        back | {"type": "sends_to", "decision": "add"},
    )
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 1
    assert f"{path}, 第 4 行: 未知的判断“maybe”" in result.stderr
    assert f"{path}, 第 5 行: 未知的类型“sends_to”" in result.stderr
    rows = _csv(
        _run(runner, "handoffs", "--matter", "3", "--store", store_path, "--format", "csv").stdout
    )
    assert [(r["src"], r["type"], r["status"], r["evidence"]) for r in rows] == [
        ("区民政局", "feeds_back_to", "added", "")
    ]


def test_a_file_without_the_column_names_is_one_line(tmp_path, runner, store_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "中应有一行英文列名" in result.output
    odd = tmp_path / "review.pdf"
    odd.write_bytes(b"%PDF")
    result = _run(runner, "review", "apply", str(odd), "--store", store_path)
    assert result.exit_code == 2 and "应为 .xlsx 工作簿或 .csv 文件" in result.output


# -- reloads ---------------------------------------------------------------------------------
def test_the_decisions_survive_a_reload_of_the_same_list(reviewed, runner):
    store_path, _, _ = reviewed
    before = _run(runner, "handoffs", "--store", store_path, "--format", "csv").stdout
    result = _run(runner, "load", str(REFERENCE_LIST), "--store", store_path, "-q")
    assert result.exit_code == 0 and "本条复核未套用" not in result.stderr
    assert _run(runner, "handoffs", "--store", store_path, "--format", "csv").stdout == before


def test_a_revised_version_keeps_the_decisions_whose_clause_is_unchanged(
    reviewed, runner, tmp_path
):
    store_path, _, _ = reviewed
    revised = tmp_path / "revised.txt"
    text = REFERENCE_LIST.read_text(encoding="utf-8")
    revised.write_text(text.replace(DUPLICATE, "对上报的隐患依法处置"), encoding="utf-8")
    result = _run(runner, "load", str(revised), "--version", "2025", "--store", store_path, "-q")
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.stderr.splitlines() if "依据原文已不在清单中" in line]
    assert warning.startswith(f"警告：{LIST_ID}:2025：事项 29 ")
    assert DUPLICATE in warning and "王芳" in warning
    status = _run(
        runner,
        "review",
        "status",
        "--list",
        f"{LIST_ID}:2025",
        "--store",
        store_path,
        "--format",
        "json",
    )
    (row,) = json.loads(status.stdout)
    assert (row["confirmed"], row["corrected"], row["added"], row["rejected"]) == (1, 1, 1, 0)
    assert row["unapplied"] == 1
    assert "依据原文已不在清单中" in status.stderr


def test_a_store_from_before_the_review_gains_the_corrections_table(store_path):
    import sqlite3

    with sqlite3.connect(store_path) as conn:
        conn.execute("DROP TABLE corrections")
        conn.execute("PRAGMA user_version = 2")
    store = Store(store_path)
    assert store.table("corrections").empty and store.list_ids() == [LIST_ID]
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# -- the diagrams, the report and the exports -------------------------------------------------
def test_the_diagrams_draw_the_reviewed_graph_and_can_dim_the_rest(reviewed, runner, tmp_path):
    store_path, _, _ = reviewed
    page = tmp_path / "m3.html"
    plain = _run(runner, "viz", "matter", "3", "--store", store_path, "-o", str(page))
    assert plain.exit_code == 0 and "反馈" in page.read_text(encoding="utf-8")
    dimmed = _run(
        runner,
        "viz",
        "matter",
        "29",
        "--dim-unreviewed",
        "--store",
        store_path,
        "-o",
        str(tmp_path / "m29.html"),
    )
    assert dimmed.exit_code == 0
    html = (tmp_path / "m29.html").read_text(encoding="utf-8")
    assert "未复核（机器抽取）" in html
    assert not any(f"证据{k}：{DUPLICATE}" in html for k in ("", " 1", " 2"))
    assert "(已改正)" in html or "（已改正）" in html


def test_the_report_counts_the_review_and_flags_answers_on_unreviewed_edges(
    reviewed, runner, tmp_path
):
    store_path, _, _ = reviewed
    result = _run(runner, "report", "--store", store_path, "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "人工复核" in html and "3 条已经人工复核" in html and "人工添加 1 条" in html
    assert "行依赖未经人工复核的交接" in html and "依赖未复核交接" in html


def test_the_workbook_export_holds_the_reviewed_handoffs(reviewed, runner, tmp_path):
    store_path, _, _ = reviewed
    out = tmp_path / "all.xlsx"
    assert _run(runner, "export", "xlsx", "--store", store_path, "-o", str(out)).exit_code == 0
    ws = load_workbook(out, read_only=True)[sheet_title("handoffs")]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    names = list(rows[0])
    statuses = [dict(zip(names, r, strict=False))["status"] for r in rows[1:]]
    assert "已否决" not in statuses and statuses.count("人工添加") == 1


# -- the Neo4j push --------------------------------------------------------------------------
@pytest.mark.neo4j
def test_a_push_after_the_review_leaves_no_rejected_or_replaced_edge_on_the_server(
    tmp_path, runner, store_path, bolt_server, bolt_database, monkeypatch
):
    from dutygraph.graphmodel.build import build_graph
    from dutygraph.graphmodel.neo4j_backend import graph_counts

    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    server = ["--uri", bolt_server.uri, "--database", bolt_database]

    def push() -> dict[str, int]:
        result = _run(runner, "neo4j", "push", "--store", store_path, "--format", "json", *server)
        assert result.exit_code == 0, result.output
        return {row["name"]: row["count"] for row in json.loads(result.stdout)}

    def on_server(evidence: str) -> list[str]:
        result = _run(
            runner,
            "cypher",
            "MATCH ()-[r]->() WHERE r.evidence = $e RETURN type(r) AS type, r.status AS status",
            "--param",
            f"e={evidence}",
            "--format",
            "json",
            *server,
        )
        assert result.exit_code == 0, result.output
        return sorted(f"{row['type']} {row['status']}" for row in json.loads(result.stdout))

    push()
    assert on_server(DUPLICATE) == ["ESCALATES_TO machine"]
    path = _export(runner, store_path, tmp_path / "review.xlsx")
    _decide(path)
    _run(runner, "review", "apply", str(path), "--store", store_path)
    counts = push()
    assert on_server(DUPLICATE) == []
    assert on_server(FIRST_REPORT) == ["ESCALATES_TO corrected"]
    assert on_server(APPROVAL) == ["FEEDS_BACK_TO added"]
    expected = graph_counts(build_graph(Store(store_path)))
    assert counts == {**expected.nodes, **expected.relationships}


def test_a_csv_saved_by_excel_on_chinese_windows_gbk_applies(tmp_path, runner, store_path):
    path = tmp_path / "review.csv"
    row = [LIST_ID, "3", TOWN, "区民政局", "reports_to", FILED_UP, "对", "", "", "", "", "张伟"]
    lines = [",".join(REQUIRED_COLUMNS), ",".join(row)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 0, result.output
    (stored,) = Store(store_path).table("corrections").to_dict("records")
    assert (stored["decision"], stored["reviewer"], stored["evidence"]) == ("ok", "张伟", FILED_UP)


def test_a_gbk_csv_whose_ticks_became_question_marks_is_read_by_the_word(
    tmp_path, runner, store_path
):
    """✓ and ✗ are not in GBK: Excel on Chinese Windows saves “✓ 对” as “? 对”."""
    path = tmp_path / "review.csv"
    up = [LIST_ID, "3", TOWN, "区民政局", "reports_to", FILED_UP]
    conscripts = [
        LIST_ID,
        "1",
        TOWN,
        "区人民武装部",
        "reports_to",
        "根据街镇上报的上站体检对象名单开展征兵体检",
    ]
    lines = [
        ",".join(REQUIRED_COLUMNS),
        ",".join([*up, "✓ 对", "", "", "", "", "张伟"]),
        ",".join([*conscripts, "✗ 错", "", "", "", "", "张伟"]),
        ",".join([*up, "?", "", "", "", "", "张伟"]),
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk", errors="replace"))
    assert "? 对" in path.read_bytes().decode("gbk")
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    refused = f"{path}, 第 4 行: 未知的判断“?”；应为 ✓ 对, ✗ 错, 改, 添加（或 对、错、ok"
    assert refused in result.stderr
    decisions = Store(store_path).table("corrections").set_index("dst")["decision"].to_dict()
    assert decisions == {"区民政局": "ok", "区人民武装部": "wrong"}
    again = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert again.stdout.startswith("已保存 0 条复核；2 条与库中相同，未改动；1 行有问题")


def test_a_workbook_of_two_lists_offers_each_list_its_own_departments(tmp_path, runner, store_path):
    other = tmp_path / "other.txt"
    other.write_text(
        REFERENCE_LIST.read_text(encoding="utf-8").replace(TOWN, "乙镇"), encoding="utf-8"
    )
    assert _run(runner, "load", str(other), "--store", store_path, "-q").exit_code == 0
    book = load_workbook(_export(runner, store_path, tmp_path / "two.xlsx"))
    offered = {
        col[0].value: [c.value for c in col[1:] if c.value] for col in book["选项"].iter_cols()
    }
    assert offered[LIST_ID][0] == TOWN and offered["乙镇:配合"][0] == "乙镇"
    ws = book[REVIEW_SHEET]
    sources = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert len({f for f in sources.values() if "选项" in f}) >= 5


def test_export_to_csv_writes_csv_that_apply_reads_back(tmp_path, runner, store_path):
    path = _export(runner, store_path, tmp_path / "review.csv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert set(REQUIRED_COLUMNS) <= set(rows[0])
    handoffs = _csv(_run(runner, "handoffs", "--store", store_path, "--format", "csv").output)
    assert len(rows) == len(handoffs)
    wrong = next(r for r in rows if r["matter"] == "3" and r["type"] == "reports_to")
    wrong |= {"decision": "wrong", "reviewer": "李明"}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(wrong if r["evidence"] == wrong["evidence"] else r for r in rows)
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "已保存 1 条复核（否决 1）" in result.output


def test_export_refuses_a_suffix_it_cannot_write(tmp_path, runner, store_path):
    result = _run(
        runner, "review", "export", "--store", store_path, "-o", str(tmp_path / "review.json")
    )
    assert result.exit_code != 0
    assert "复核文件只能写成 .xlsx 或 .csv，不能写成 .json" in result.output
    assert not (tmp_path / "review.json").exists()


def _review_csv(path: Path, *rows: dict[str, object]) -> Path:
    """A review CSV of the reference list, one line per row (李明 the reviewer)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REQUIRED_COLUMNS)
        writer.writeheader()
        base = {c: "" for c in REQUIRED_COLUMNS} | {"list_id": LIST_ID, "reviewer": "李明"}
        for row in rows:
            writer.writerow(base | row)
    return path


def test_apply_reads_short_department_names_as_every_command_does(tmp_path, runner, store_path):
    edge = {"matter": 3, "src": TOWN, "dst": "民政局", "type": "上报", "evidence": FILED_UP}
    path = _review_csv(
        tmp_path / "review.csv",
        edge | {"decision": "fix", "new_dst": "住建局"},
        {"matter": 3, "src": "民政局", "dst": TOWN, "type": "反馈", "decision": "add"},
    )
    result = _run(runner, "review", "apply", str(path), "--store", store_path)
    assert result.exit_code == 0, result.output
    rows = _csv(
        _run(runner, "handoffs", "--matter", "3", "--store", store_path, "--format", "csv").stdout
    )
    assert {(r["src"], r["dst"], r["status"]) for r in rows} == {
        (TOWN, "区住房和城乡建设局", "corrected"),
        ("区民政局", TOWN, "added"),
    }
    table = _run(runner, "handoffs", "--matter", "3", "--store", store_path).stdout
    assert "manual" not in table and "人工添加" in table


def test_handoffs_status_offers_the_review_statuses_only(runner, store_path):
    result = _run(runner, "handoffs", "--status", "loaded", "--store", store_path)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "错误：--status 的值无效：'loaded'；应为以下之一：machine/机器抽取, confirmed/已确认, "
        "corrected/已改正, added/人工添加, rejected/已否决"
    )


def test_compare_counts_the_gaps_of_the_reviewed_handoffs_like_every_answer(
    tmp_path, runner, store_path
):
    other = Path(__file__).resolve().parent / "fixtures" / "other_towns" / "river_street.txt"
    assert _run(runner, "load", str(other), "--store", store_path, "-q").exit_code == 0
    path = _review_csv(
        tmp_path / "added.csv",
        {"matter": 3, "src": "区民政局", "dst": TOWN, "type": "feeds_back_to", "decision": "add"},
    )
    assert _run(runner, "review", "apply", str(path), "--store", store_path).exit_code == 0

    def rows(*args: str) -> list[dict[str, str]]:
        result = _run(runner, *args, "--store", store_path, "--format", "csv")
        assert result.exit_code == 0, result.output
        return _csv(result.stdout)

    gaps = rows("query", "feedback-gaps", "--list", LIST_ID)
    closed = rows("query", "feedback-gaps", "--closed", "--list", LIST_ID)
    assert ("3", "区民政局") in {(r["matter"], r["department"]) for r in closed}
    towns = {r["list_id"]: r for r in rows("compare", "--show", "towns")}
    assert int(towns[LIST_ID]["feedback_gaps"]) == len(gaps)
    assert int(towns[LIST_ID]["closed_loops"]) == len(closed)
    departments = rows("compare", "--show", "departments")
    civil = next(
        r for r in departments if r["department"] == "区民政局" and r["list_id"] == LIST_ID
    )
    assert int(civil["feedback_gaps"]) == sum(r["department"] == "区民政局" for r in gaps)


def test_the_review_sheet_says_how_each_handoff_was_found_in_chinese(tmp_path, runner, store_path):
    path = _export(runner, store_path, tmp_path / "review.csv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    first = next(r for r in rows if r["matter"] == "1" and r["type"] == "reports_to")
    assert first["how"].startswith("两端写明（规则 town-up：上报类动词“上报”，")
    assert "(report" not in first["how"]
