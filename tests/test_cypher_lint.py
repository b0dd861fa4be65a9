"""Neo4j's own linter on every statement dutygraph sends: no syntax or semantic error in Neo4j 5.

No Neo4j server runs here (the Bolt tests use FalkorDB), so the statements are checked by the
official Cypher language support, the npm package ``@neo4j-cypher/language-support``
(``lintCypherQuery``), run with the machine's node from ``tools/cypher-lint/`` (installed by
``npm ci`` there: ``make test`` and ``.ci/run`` do it). Checked: each question's Cypher twin
with its hop bound filled in (default, smallest and largest) and with each choice of its
options, the list lookup, the push's MERGE for every label and every relationship type, the
DDL for every label, the backend's fixed reads, and every line of an exported Cypher script.
Labels and relationship types are declared from the schema enums, so a label or type the
schema lacks is reported too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph.export import export_cypher
from dutygraph.graphmodel import neo4j_backend as nb
from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.graphmodel.example import example_tables
from dutygraph.graphmodel.schema import NodeLabel, RelType
from dutygraph.queries import QUESTIONS
from dutygraph.queries._cypher import LISTS_CYPHER, MAX_HOP_BOUND

LINTER = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"


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


def _question_statements() -> dict[str, str]:
    statements = {"lists": LISTS_CYPHER}
    for question in QUESTIONS.values():
        variants: list[dict[str, object]] = [{}]
        if any(option.name == "cutoff" for option in question.options):
            variants += [{"cutoff": 1}, {"cutoff": MAX_HOP_BOUND}]
        for option in question.options:  # a choice may pick another statement (--by)
            if option.kind == "text":
                variants += [{option.name: choice} for choice in option.choices]
        for options in variants:
            for k, cypher in enumerate(question.cypher_statements(**options)):
                statements[f"{question.name}{options or ''}#{k}"] = cypher
    return statements


def _push_statements(graph: nx.MultiDiGraph) -> dict[str, str]:
    statements = {f"merge {label}": nb.node_merge_cypher(label) for label in NodeLabel}
    statements |= {f"ddl {label}": nb.unique_id_ddl(label) for label in NodeLabel}
    statements |= {f"index {label}": nb.falkordb_id_index(label) for label in NodeLabel}
    statements |= {
        f"merge {rel}": nb.relationship_merge_cypher(rel, NodeLabel.TOWN, NodeLabel.DEPARTMENT)
        for rel in RelType
    }
    statements |= {
        f"prune {rel}": nb.relationship_delete_cypher(rel, NodeLabel.TOWN, NodeLabel.DEPARTMENT)
        for rel in RelType
        if rel.is_handoff
    }
    statements |= {
        f"on server {rel}": nb.handoffs_on_server_cypher(rel) for rel in RelType if rel.is_handoff
    }
    statements |= {f"batch {k}": batch.cypher for k, batch in enumerate(nb.batches(graph, 1000))}
    statements |= {f"fixed {k}": cypher for k, cypher in enumerate(nb.FIXED_STATEMENTS)}
    return statements


def _script_statements(graph: nx.MultiDiGraph, folder: Path) -> dict[str, str]:
    path = export_cypher(graph, folder / "graph.cypher", constraints=True)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {
        f"line {k}": line.removesuffix(";")
        for k, line in enumerate(lines, start=1)
        if not line.startswith("//")
    }


#: Statements the linter must reject: a typo and an unbound variable.
BROKEN = {"typo": "MATCH (n:List) RETRUN n", "unbound": "MATCH (n:List) RETURN m"}


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every group of statements and the linter's diagnostics of each, from one node run (the
    linter takes seconds to start). The graph is the small example one: every label and
    relationship shape, few literal rows for the script."""
    graph = graph_from_tables(example_tables())
    groups = {
        "broken": BROKEN,
        "questions": _question_statements(),
        "push": _push_statements(graph),
        "script": _script_statements(graph, tmp_path_factory.mktemp("script")),
    }
    statements = {
        f"{group}: {name}": c for group, found in groups.items() for name, c in found.items()
    }
    diagnostics = lint(statements)
    return {
        group: {name: diagnostics[f"{group}: {name}"] for name in found}
        for group, found in groups.items()
    }, groups


def _problems(linted, group: str) -> dict[str, list[str]]:
    diagnostics, groups = linted
    statements = groups[group]
    return {
        name: [
            f"{d['message']} (at {d['offset']}: {statements[name][int(d['offset'] or 0) :][:60]!r})"
            for d in found
        ]
        for name, found in diagnostics[group].items()
        if found
    }


def test_the_linter_reports_errors_so_that_a_clean_result_means_something(linted):
    diagnostics, _ = linted
    assert all(diagnostics["broken"][name] for name in BROKEN)
    assert {d["severity"] for found in diagnostics["broken"].values() for d in found} == {1}


def test_every_question_twin_is_valid_neo4j_5_cypher(linted):
    assert not _problems(linted, "questions")


def test_the_push_merges_and_ddl_are_valid_neo4j_5_cypher(linted):
    assert not _problems(linted, "push")


def test_an_exported_cypher_script_is_valid_neo4j_5_cypher(linted):
    assert len(linted[1]["script"]) > len(NodeLabel)
    assert not _problems(linted, "script")
