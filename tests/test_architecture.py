"""The import direction of docs/architecture.md, enforced: each package imports only what its
paragraph's ``May import:`` line allows, every module belongs to a documented package, and no
module imports a private name (``_x``) of another package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dutygraph"
DOC = ROOT / "docs" / "architecture.md"


def allowed_imports() -> dict[str, set[str]]:
    """Package -> the packages it may import, from the doc's ``**`dutygraph.x`**`` paragraphs."""
    text = DOC.read_text(encoding="utf-8")
    allowed: dict[str, set[str]] = {}
    paragraph = re.compile(r"^\*\*`dutygraph\.(\w+)`\*\*.*?^May import: ([^\n]*)$", re.M | re.S)
    for match in paragraph.finditer(text):
        names = match.group(2).strip()
        allowed[match.group(1)] = set() if names == "nothing" else set(re.split(r",\s*", names))
    foundation = re.search(r"^Any package may import: ([^\n]*)$", text, re.M)
    assert foundation, "docs/architecture.md lost its 'Any package may import:' line"
    for unit, others in allowed.items():
        others.update(set(re.split(r",\s*", foundation.group(1))) - {unit})
    return allowed


def unit_of(path: Path) -> str:
    """The documented package a module belongs to: ``dutygraph/queries/paths.py`` -> queries."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, imported dutygraph module, imported names) for every import of a module."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts[:-1]  # the package of a module, and of an __init__ its own package
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] == "dutygraph":
                yield node.lineno, target, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dutygraph":
                    yield node.lineno, alias.name, []


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_the_doc_names_every_package_and_allows_only_documented_ones():
    allowed = allowed_imports()
    assert {"errors", "graphmodel", "queries", "cli"} <= set(allowed)
    for unit, others in allowed.items():
        assert others <= set(allowed), f"{unit} may import undocumented {others - set(allowed)}"
    undocumented = {unit_of(path) for path in MODULES} - set(allowed)
    assert not undocumented, f"add a paragraph to docs/architecture.md for {sorted(undocumented)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_only_where_the_architecture_allows(path):
    allowed = allowed_imports()
    unit = unit_of(path)
    wrong = []
    for line, target, names in imports(path):
        parts = target.split(".")
        other = parts[1] if len(parts) > 1 else None
        if other is None:  # ``from dutygraph import x``: x is the package imported
            other = names[0] if names else None
            parts = ["dutygraph", *names[:1]]
        if other is None or other == unit:
            continue
        if other not in allowed.get(unit, set()):
            wrong.append(f"line {line}: {unit} imports {target}, not among its May import")
        private = [p for p in parts[1:] if p.startswith("_") and p != "__init__"]
        private += [n for n in names if n.startswith("_")]
        if private:
            wrong.append(f"line {line}: private {', '.join(private)} of {target}")
    assert not wrong, "\n".join(wrong)


def test_the_import_test_sees_relative_and_lazy_imports():
    module = PACKAGE / "queries" / "escalations.py"
    targets = {target for _, target, _ in imports(module)}
    assert "dutygraph.graphmodel.schema" in targets  # from ..graphmodel.schema import …
    assert "dutygraph.queries._cypher" in targets  # from ._cypher import …
    lazy = {target for _, target, _ in imports(PACKAGE / "cli.py")}
    assert "dutygraph.loaders" in lazy  # imported inside the load command
