"""Exports (dutygraph.export and `dutygraph export`): the workbook read back with openpyxl,
GraphML and GEXF read back with networkx, the Cypher script's escaping, and the script run
against a real Bolt server (FalkorDB) next to a push."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from dutygraph.cli import cli
from dutygraph.errors import ExportError
from dutygraph.export import (
    TABLE_SHEETS,
    cypher_literal,
    cypher_statements,
    export_cypher,
    export_graph,
    export_workbook,
    portable_graph,
    report_questions,
    sheet_title,
)
from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.example import example_tables
from dutygraph.graphmodel.schema import NodeLabel, RelType, department_node_id
from dutygraph.i18n import heading
from dutygraph.queries import QUESTION_COLUMNS
from dutygraph.review.reviewed import REVIEW_SHOWN_COLUMNS
from dutygraph.store import Store
from dutygraph.tables import TABLE_COLUMNS

#: The question sheets of a workbook, in order.
QUESTIONS = [question.name for question in report_questions()]

#: Strings that break naive quoting in Cypher, XML or Excel.
NASTY = [
    "it's",
    'say "hi"',
    "back\\slash \\n not a newline",
    "tick`tick``",
    "{braces} and $param",
    "two\nlines\r\nand\ttab",
    "ends with backslash \\",
    "semi; // not a comment",
    "=SUM(A1)",
    "form\x0cfeed\x08bs",
    "区住房和城乡建设局’s 《规定》",
]


@pytest.fixture(scope="module")
def reference_graph(reference_store: Store) -> nx.MultiDiGraph:
    return build_graph(reference_store)


def nasty_graph() -> nx.MultiDiGraph:
    """The example graph with a department of every nasty name, each leading matter 1 and
    receiving a report from the town, and nasty text on a duty."""
    G = graph_from_tables(example_tables())
    duty = next(n for n, d in G.nodes(data=True) if d["label"] == NodeLabel.DUTY.value)
    G.nodes[duty]["text"] = "".join(NASTY)
    for k, name in enumerate(NASTY):
        node = department_node_id(name)
        G.add_node(
            node, label=NodeLabel.DEPARTMENT.value, name=name, level="区", in_vocabulary=False
        )
        G.add_edge(
            node,
            "matter:示例镇:配合#1",
            key=RelType.LEADS.value,
            type=RelType.LEADS.value,
            list_id="示例镇:配合",
            matter_id="示例镇:配合#1",
            position=10 + k,
            raw_name=name,
        )
        G.add_edge(
            "town:示例镇",
            node,
            key=f"示例镇:配合#1/t.1/x{k}'`",
            type=RelType.REPORTS_TO.value,
            list_id="示例镇:配合",
            matter_id="示例镇:配合#1",
            matter=1,
            evidence=name,
            town="示例镇",
            start=0,
            end=len(name),
            implicit=0,
            rule="test",
        )
    return G


# -- workbook -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook_path(reference_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_workbook(
        reference_store,
        reference_store.resolve_lists(None),
        tmp_path_factory.mktemp("xlsx") / "sub" / "reference.xlsx",
    )


def _sheet_columns(sheet: str) -> tuple[str, ...]:
    """A table's columns (the handoffs with their review status), or a question's."""
    if sheet == "handoffs":
        return (*TABLE_COLUMNS[sheet], *REVIEW_SHOWN_COLUMNS)
    return TABLE_COLUMNS[sheet] if sheet in TABLE_SHEETS else QUESTION_COLUMNS[sheet]


def test_workbook_has_an_about_sheet_then_a_sheet_per_table_and_question(workbook_path):
    book = load_workbook(workbook_path, read_only=True)
    assert book.sheetnames == ["说明", *(sheet_title(s) for s in [*TABLE_SHEETS, *QUESTIONS])]
    assert sheet_title("handoffs") == "交接（谁交给谁）"


@pytest.mark.parametrize("sheet", [*TABLE_SHEETS, *QUESTIONS])
def test_each_sheet_has_chinese_headings_over_english_names_frozen_and_filtered(
    workbook_path, sheet
):
    ws = load_workbook(workbook_path)[sheet_title(sheet)]
    columns = _sheet_columns(sheet)
    assert [c.value for c in ws[1]] == [heading(c, sheet) for c in columns]
    assert [c.value for c in ws[2]] == list(columns)
    assert ws.freeze_panes == "A3"
    assert re.fullmatch(r"A2:[A-Z]+\d+", ws.auto_filter.ref)
    assert ws.auto_filter.ref.endswith(str(max(2, ws.max_row)))


def test_every_heading_is_chinese(workbook_path):
    for sheet in [*TABLE_SHEETS, *QUESTIONS]:
        for cell in load_workbook(workbook_path, read_only=True)[sheet_title(sheet)][1]:
            assert re.search(r"[\u4e00-\u9fff]", str(cell.value)) or cell.value in ("SHA256", "F1")


def test_table_sheets_hold_the_store_rows(reference_store, workbook_path):
    for table in TABLE_SHEETS:
        expected = reference_store.table(table)
        read = pd.read_excel(workbook_path, sheet_name=sheet_title(table), header=1)
        assert list(read.columns) == list(_sheet_columns(table))
        assert len(read) == len(expected), table
    duties = pd.read_excel(workbook_path, sheet_name=sheet_title("duties"), header=1)
    assert duties["text"].tolist() == reference_store.table("duties")["text"].tolist()


def test_question_sheets_hold_the_answers(reference_graph, workbook_path):
    for question in report_questions():
        read = pd.read_excel(workbook_path, sheet_name=sheet_title(question.name), header=1)
        assert len(read) == len(question.answer(reference_graph)), question.name
    assert len(pd.read_excel(workbook_path, sheet_name=sheet_title("escalations"), header=1)) == 10


def test_columns_are_sized_for_chinese_and_long_text_wraps(workbook_path):
    ws = load_workbook(workbook_path)[sheet_title("duties")]
    widths = {
        ws.cell(2, i).value: ws.column_dimensions[ws.cell(2, i).column_letter].width
        for i in range(1, ws.max_column + 1)
    }
    # 区人力资源和社会保障局: 11 Chinese characters take 22 columns
    assert widths["owner"] >= 22
    assert widths["number"] < widths["owner"]
    assert widths["text"] == 60
    text_column = list(TABLE_COLUMNS["duties"]).index("text") + 1
    assert ws.cell(3, text_column).alignment.wrap_text


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_go(tmp_path):
    import support_lists

    from dutygraph.pipeline import load_list

    tables = load_list(
        support_lists.write_list(
            tmp_path / "t.txt",
            [
                "一、测试（1项）",
                "1\t测试事项\t区民政局\t1.负责审核街镇上报的材料。\t1.负责收集材料并上报区民政局。",
            ],
        )
    )
    tables.duties.loc[tables.duties["owner_kind"] == "town", "text"] = "=SUM(A1)\x01后文"
    store = Store(tmp_path / "s.db")
    store.save_list(tables)
    path = export_workbook(store, store.resolve_lists(None), tmp_path / "t.xlsx")
    ws = load_workbook(path)[sheet_title("duties")]
    column = list(TABLE_COLUMNS["duties"]).index("text") + 1
    assert ws.cell(2, column).value == "text"
    cells = [row[0] for row in ws.iter_rows(min_row=3, min_col=column, max_col=column)]
    cell = next(c for c in cells if str(c.value).startswith("="))
    assert cell.value == "=SUM(A1)后文"
    assert cell.data_type == "s"


def test_an_unwritable_workbook_path_is_an_export_error(reference_store, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="file.txt"):
        export_workbook(reference_store, ["卜尔汉图镇:配合"], blocker / "out.xlsx")


# -- GraphML and GEXF ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_read_back_with_the_same_counts(reference_graph, tmp_path, fmt):
    path = export_graph(reference_graph, tmp_path / f"g.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == reference_graph.number_of_nodes()
    assert back.number_of_edges() == reference_graph.number_of_edges()
    types = sorted(d["node_type"] for _, d in back.nodes(data=True))
    assert types == sorted(d["label"] for _, d in reference_graph.nodes(data=True))
    rels = sorted(d["rel_type"] for *_, d in back.edges(data=True))
    assert rels == sorted(d["type"] for *_, d in reference_graph.edges(data=True))
    assert back.nodes["dept:区民政局"]["label"] == "区民政局"


def test_gexf_is_static_and_keeps_offsets_as_data(reference_graph, tmp_path):
    path = export_graph(reference_graph, tmp_path / "g.gexf", "gexf")
    text = path.read_text(encoding="utf-8")
    assert 'mode="static"' in text
    assert not re.search(r"<edge [^>]*\b(start|end)=", text)
    back = nx.read_gexf(path)
    handoff = next(d for *_, d in back.edges(data=True) if d["rel_type"] == "REPORTS_TO")
    assert isinstance(handoff["evidence_start"], int)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_lists_none_mixed_types_and_control_characters_do_not_crash(tmp_path, fmt):
    G = nasty_graph()
    G.graph["lists"] = ["示例镇:配合"]
    G.nodes["dept:区民政局"].update(
        tags=["a", "b"], missing=None, weird={"k": 1}, note="bell\x07 here", nan=float("nan")
    )
    G.nodes["town:示例镇"]["number"] = "七"  # number is an int on matters and duties
    path = export_graph(G, tmp_path / f"n.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        G.number_of_nodes(),
        G.number_of_edges(),
    )
    dept = back.nodes["dept:区民政局"]
    assert dept["tags"] == "a, b" and dept["note"] == "bell here"
    assert "missing" not in dept and "nan" not in dept
    names = {d["label"] for _, d in back.nodes(data=True)}
    # XML cannot hold \b or \f, and reads every \r\n as \n: both are done on writing.
    written = {n.replace("\r\n", "\n") for n in NASTY} - {"form\x0cfeed\x08bs"}
    assert written | {"formfeedbs"} <= names


def test_portable_graph_leaves_the_original_alone(reference_graph):
    before = dict(reference_graph.nodes["dept:区民政局"])
    portable_graph(reference_graph)
    assert reference_graph.nodes["dept:区民政局"] == before


def test_an_unknown_graph_format_is_an_export_error(reference_graph, tmp_path):
    with pytest.raises(ExportError, match="unknown graph format"):
        export_graph(reference_graph, tmp_path / "g.dot", "dot")  # type: ignore[arg-type]


# -- Cypher -------------------------------------------------------------------------------------
_UNESCAPE = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def read_cypher_string(literal: str) -> str:
    """Decode one single-quoted Cypher string literal as Neo4j's grammar does."""
    assert literal[0] == literal[-1] == "'", literal
    out, k, body = [], 0, literal[1:-1]
    while k < len(body):
        ch = body[k]
        if ch == "\\":
            out.append(_UNESCAPE[body[k + 1]])
            k += 2
            continue
        assert ch != "'", f"unescaped quote in {literal!r}"
        out.append(ch)
        k += 1
    return "".join(out)


@pytest.mark.parametrize("text", NASTY)
def test_string_literals_read_back_unchanged_on_one_line(text):
    literal = cypher_literal(text)
    assert "\n" not in literal and "\r" not in literal
    assert read_cypher_string(literal) == text


def test_literals_of_other_types():
    assert cypher_literal(None) == "null"
    assert cypher_literal(True) == "true"
    assert cypher_literal(-3) == "-3"
    assert cypher_literal(1.5) == "1.5"
    assert cypher_literal(["a", 1]) == "['a', 1]"
    assert cypher_literal({"end": 1, "we`ird": "x"}) == "{`end`: 1, `we``ird`: 'x'}"
    with pytest.raises(ValueError):
        cypher_literal(float("inf"))
    with pytest.raises(ValueError):
        cypher_literal(object())


def script_statements(path: Path) -> list[str]:
    """The statements of a script: every line that is not a comment, without its ';'."""
    lines = path.read_text(encoding="utf-8").split("\n")
    statements = [line for line in lines if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in statements)
    return [line[:-1] for line in statements]


_TEMPLATE = re.compile(r"^UNWIND (?P<rows>\[.*\]) AS row (?P<tail>.*)$")


def test_script_is_merge_statements_with_labels_and_types_from_the_schema(tmp_path):
    G = nasty_graph()
    statements = script_statements(export_cypher(G, tmp_path / "g.cypher"))
    labels = {label.value for label in NodeLabel}
    types = {rel.value for rel in RelType}
    for statement in statements:
        match = _TEMPLATE.match(statement)
        assert match, statement[:120]
        tail = match["tail"]
        assert "MERGE" in tail and "CREATE" not in tail
        assert set(re.findall(r"\((?:n|a|b):(\w+) ", tail)) <= labels
        assert set(re.findall(r"\[r:(\w+) ", tail)) <= types
    text = "\n".join(statements)
    for name in NASTY:
        assert cypher_literal(name) in text


def test_script_covers_every_node_and_edge(reference_graph, tmp_path):
    statements = list(cypher_statements(reference_graph, batch_size=50))
    rows = sum(s.count("{`id`: ") for s in statements if "MERGE (n:" in s)
    rels = sum(s.count("{`src`: ") for s in statements if "MERGE (a)-" in s)
    assert rows == reference_graph.number_of_nodes()
    assert rels == reference_graph.number_of_edges()


def test_constraints_are_opt_in_and_neo4j_only(reference_graph, tmp_path):
    plain = export_cypher(reference_graph, tmp_path / "a.cypher").read_text(encoding="utf-8")
    assert not re.search(r"^CREATE CONSTRAINT", plain, re.MULTILINE)
    assert re.search(
        r"^//\s+CREATE CONSTRAINT dutygraph_matter_id IF NOT EXISTS", plain, re.MULTILINE
    )
    ddl = export_cypher(reference_graph, tmp_path / "b.cypher", constraints=True)
    lines = [s for s in script_statements(ddl) if s.startswith("CREATE CONSTRAINT")]
    assert len(lines) == len(NodeLabel)


@pytest.mark.neo4j
def test_script_on_falkordb_recreates_nasty_values_and_is_idempotent(
    neo4j_driver, bolt_database, tmp_path
):
    from dutygraph.graphmodel import neo4j_backend

    G = nasty_graph()
    statements = script_statements(export_cypher(G, tmp_path / "g.cypher", batch_size=7))
    for statement in statements:
        neo4j_driver.execute_query(statement, database_=bolt_database)
    expected = neo4j_backend.graph_counts(G)
    assert neo4j_backend.counts(neo4j_driver, bolt_database) == expected
    for statement in statements:  # again: MERGE changes nothing
        neo4j_driver.execute_query(statement, database_=bolt_database)
    assert neo4j_backend.counts(neo4j_driver, bolt_database) == expected
    names = neo4j_backend.run_read(
        neo4j_driver,
        "MATCH (d:Department) WHERE d.in_vocabulary = false RETURN d.name AS name",
        database=bolt_database,
    )
    assert sorted(names["name"]) == sorted(NASTY)
    text = neo4j_backend.run_read(
        neo4j_driver,
        "MATCH (d:Duty) WHERE d.text STARTS WITH 'it' RETURN d.text AS text",
        database=bolt_database,
    )
    assert text["text"].tolist() == ["".join(NASTY)]


@pytest.mark.neo4j
def test_reference_script_on_falkordb_gives_the_counts_of_the_graph(
    neo4j_driver, bolt_database, reference_graph, tmp_path
):
    from dutygraph.graphmodel import neo4j_backend

    for statement in script_statements(export_cypher(reference_graph, tmp_path / "r.cypher")):
        neo4j_driver.execute_query(statement, database_=bolt_database)
    # graph_counts: what a push of the graph leaves in an empty database
    expected = neo4j_backend.graph_counts(reference_graph)
    assert neo4j_backend.counts(neo4j_driver, bolt_database) == expected


@pytest.mark.neo4j
def test_a_push_after_the_script_adds_nothing(neo4j_driver, bolt_database, tmp_path):
    from dutygraph.graphmodel import neo4j_backend

    G = graph_from_tables(example_tables())
    for statement in script_statements(export_cypher(G, tmp_path / "e.cypher")):
        neo4j_driver.execute_query(statement, database_=bolt_database)
    after_script = neo4j_backend.counts(neo4j_driver, bolt_database)
    # the script MERGEs the ids and edge keys a push MERGEs
    neo4j_backend.push(neo4j_driver, G, database=bolt_database)
    assert neo4j_backend.counts(neo4j_driver, bolt_database) == after_script
    assert after_script == neo4j_backend.graph_counts(G)


# -- CLI ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "graphml", "gexf", "cypher"])
def test_cli_export_prints_the_path_it_wrote(reference_store, tmp_path, fmt):
    out = tmp_path / "out" / f"reference.{fmt}"
    out.parent.mkdir()  # the command line makes no folder (a typo would make a tree)
    result = CliRunner().invoke(
        cli,
        [
            "export",
            fmt,
            "-o",
            str(out),
            "--store",
            str(reference_store.path),
            "--list",
            "卜尔汉图镇",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}\n"
    assert out.stat().st_size > 10_000


@pytest.mark.usefixtures("english")
def test_cli_export_to_an_unwritable_path_is_one_line(reference_store, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli, ["export", "gexf", "-o", str(blocker / "g.gexf"), "--store", str(reference_store.path)]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {blocker / 'g.gexf'}: cannot be written")


def test_cli_export_needs_a_known_format_and_an_output(reference_store):
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "pdf", "-o", "x.pdf"]).exit_code == 2
    assert runner.invoke(cli, ["export", "xlsx"]).exit_code == 2
