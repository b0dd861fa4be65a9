"""Start-up: the CLI imports what a command needs when it needs it (issue 15, one list).

Times are measured in bench/ (``python -X importtime``); these tests pin down which heavy
libraries a start-up brings in, which is what the times follow from.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "networkx", "pyvis", "IPython", "neo4j", "matplotlib")


def _imported_after(code: str) -> set[str]:
    """The heavy top-level packages in sys.modules after running ``code`` in a fresh Python."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_importing_the_cli_imports_no_heavy_library():
    assert _imported_after("import dutygraph.cli") == set()


def test_help_runs_without_pandas():
    code = (
        "from click.testing import CliRunner\n"
        "from dutygraph.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['query', '--help']).exit_code == 0"
    )
    assert _imported_after(code) == set()


def test_a_question_does_not_import_the_diagram_or_server_libraries(tmp_path):
    store = tmp_path / "s.db"
    code = (
        "from click.testing import CliRunner\n"
        "from dutygraph.cli import cli\n"
        "from pathlib import Path\n"
        f"ref = str(Path({str(__file__)!r}).parent.parent / 'data' / '000_5b382267ef9e6b6d.txt')\n"
        f"r = CliRunner().invoke(cli, ['load', ref, '-q', '--store', {str(store)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(cli, ['query', 'dependents', '--store', {str(store)!r}])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not _imported_after(code) & {"pyvis", "IPython", "neo4j", "matplotlib"}
