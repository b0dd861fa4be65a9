"""Neo4j's own linter on every statement dutygraph sends: no syntax or semantic error in Neo4j 5.

No Neo4j server runs here (the Bolt tests use FalkorDB), so the statements are checked by the
official Cypher language support, the npm package ``@neo4j-cypher/language-support``
(``lintCypherQuery``), run with the machine's node from ``tools/cypher-lint/`` (installed by
``npm ci`` there: ``make test`` and ``.ci/run`` do it). Checked: each question's Cypher twin
with its hop bound filled in (default, smallest and largest), the list lookup, the push's
MERGE for every label and every relationship type, the DDL for every label, the backend's
fixed reads, and every line of an exported Cypher script. Labels and relationship types are
declared from the schema enums, so a label or type the schema lacks is reported too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from dutygraph.export import export_cypher
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.build import build_graph, example_tables, graph_from_tables
from dutygraph.graphmodel.schema import NodeLabel, RelType
from dutygraph.queries import QUESTIONS
from dutygraph.queries._cypher import LISTS_CYPHER, MAX_HOP_BOUND
from dutygraph.store import Store

LINTER = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"


@pytest.fixture(scope="module")
def reference_graph(reference_store: Store) -> nx.MultiDiGraph:
    return build_graph(reference_store)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run `npm ci` in tools/cypher-lint)")
    pytest.skip(f"{reason}: run `npm ci` in tools/cypher-lint (make test does)")


def lint(statements: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    """Each statement's diagnostics from ``lintCypherQuery`` (severity 1 error, 2 warning)."""
    node = shutil.which("node")
    if node is None:
        _skip_or_fail("no node on this machine")
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        _skip_or_fail("tools/cypher-lint/node_modules is absent")
    parameters = {
        name: None for cypher in statements.values() for name in re.findall(r"\$(\w+)", cypher)
    }
    schema = {
        "labels": [label.value for label in NodeLabel],
        "relationshipTypes": [rel.value for rel in RelType],
        "parameters": parameters,
    }
    payload = {
        "schema": schema,
        "statements": [{"name": n, "cypher": c} for n, c in statements.items()],
    }
    done = subprocess.run(
        [str(node), "lint.mjs"],
        cwd=LINTER,
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return {result["name"]: result["diagnostics"] for result in json.loads(done.stdout)}


def _assert_clean(statements: dict[str, str]) -> None:
    found = lint(statements)
    assert set(found) == set(statements)
    problems = {
        name: [
            f"{d['message']} (at {d['offset']}: {statements[name][int(d['offset'] or 0) :][:60]!r})"
            for d in diagnostics
        ]
        for name, diagnostics in found.items()
        if diagnostics
    }
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def _question_statements() -> dict[str, str]:
    statements = {"lists": LISTS_CYPHER}
    for question in QUESTIONS.values():
        variants = [{}]
        if any(option.name == "cutoff" for option in question.options):
            variants += [{"cutoff": 1}, {"cutoff": MAX_HOP_BOUND}]
        for options in variants:
            for k, cypher in enumerate(question.cypher_statements(**options)):
                statements[f"{question.name}{options or ''}#{k}"] = cypher
    return statements


def test_the_linter_reports_errors_so_that_a_clean_result_means_something():
    found = lint({"typo": "MATCH (n:List) RETRUN n", "unbound": "MATCH (n:List) RETURN m"})
    assert found["typo"] and found["unbound"]
    assert {d["severity"] for d in found["typo"] + found["unbound"]} == {1}


def test_every_question_twin_is_valid_neo4j_5_cypher():
    _assert_clean(_question_statements())


def test_the_push_merges_and_ddl_are_valid_neo4j_5_cypher(reference_graph):
    statements = {f"merge {label}": nb.node_merge_cypher(label) for label in NodeLabel}
    statements |= {f"ddl {label}": nb.unique_id_ddl(label) for label in NodeLabel}
    statements |= {f"index {label}": nb.falkordb_id_index(label) for label in NodeLabel}
    statements |= {
        f"merge {rel}": nb.relationship_merge_cypher(rel, NodeLabel.TOWN, NodeLabel.DEPARTMENT)
        for rel in RelType
    }
    statements |= {
        f"batch {k}": batch.cypher for k, batch in enumerate(nb.batches(reference_graph, 1000))
    }
    statements |= {f"fixed {k}": cypher for k, cypher in enumerate(nb.FIXED_STATEMENTS)}
    _assert_clean(statements)


def test_an_exported_cypher_script_is_valid_neo4j_5_cypher(tmp_path):
    # the small example graph: every label and statement shape, few literal rows to parse
    graph = graph_from_tables(example_tables())
    path = export_cypher(graph, tmp_path / "graph.cypher", constraints=True)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    statements = {
        f"line {k}": line.removesuffix(";")
        for k, line in enumerate(lines, start=1)
        if not line.startswith("//")
    }
    assert len(statements) > len(NodeLabel)
    _assert_clean(statements)
