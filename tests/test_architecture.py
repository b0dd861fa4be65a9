"""The import direction of docs/architecture.md, enforced: each package imports only what its
paragraph's ``May import:`` line allows, every module belongs to a documented package, no module
imports a private name (``_x``) of another module, nor a private module of another package.
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
        own_private = [n for n in names if n.startswith("_") and n != "__init__"]
        if own_private and other == unit:  # a package's private module is its own; a name is not
            wrong.append(f"line {line}: private {', '.join(own_private)} of {target}")
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


#: The imports that go against the flow, each with why; the test below fails when one is no
#: longer needed (remove it here and in docs/architecture.md) or a new one appears.
AGAINST_THE_FLOW = {
    ("i18n", "cli"): "the Babel extractor reads the CLI's help texts, at extraction time only",
    ("graphmodel", "review"): "build_graph reads the handoffs as the analysts reviewed them",
    ("review", "export"): "the review workbook is written with the workbook's cell helpers",
}


def documented_order() -> list[str]:
    """The packages in the order docs/architecture.md describes them, from the bottom up."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"^\*\*`dutygraph\.(\w+)`\*\*", text, re.M)


def used_imports() -> dict[str, set[str]]:
    """Package -> the other packages its modules import (foundation modules included)."""
    used: dict[str, set[str]] = {}
    for path in MODULES:
        unit = unit_of(path)
        for _, target, names in imports(path):
            parts = target.split(".")
            other = parts[1] if len(parts) > 1 else (names[0] if names else None)
            if other is not None and other != unit:
                used.setdefault(unit, set()).add(other)
    return used


def test_every_allowance_is_used():
    """A `May import:` names only what the package imports today: the doc tells the truth."""
    text = DOC.read_text(encoding="utf-8")
    foundation = set(re.split(r",\s*", re.search(r"^Any package may import: (.*)$", text, re.M)[1]))
    used = used_imports()
    stale = {
        unit: sorted(others - foundation - used.get(unit, set()))
        for unit, others in allowed_imports().items()
    }
    assert not {unit: names for unit, names in stale.items() if names}, (
        "remove these from the packages' May import lines in docs/architecture.md"
    )


def test_imports_go_down_the_list_but_for_the_named_exceptions():
    order = documented_order()
    text = DOC.read_text(encoding="utf-8")
    foundation = set(re.split(r",\s*", re.search(r"^Any package may import: (.*)$", text, re.M)[1]))
    backward = {
        (unit, other)
        for unit, others in allowed_imports().items()
        for other in others - foundation
        if order.index(other) > order.index(unit)
    }
    assert backward == set(AGAINST_THE_FLOW), (
        f"against the flow: {sorted(backward - set(AGAINST_THE_FLOW))} new, "
        f"{sorted(set(AGAINST_THE_FLOW) - backward)} gone (update AGAINST_THE_FLOW and the doc)"
    )
