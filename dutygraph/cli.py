"""The ``dutygraph`` command line: parses options, calls the library, formats what comes back.

No logic lives here: every command calls one library function that returns a DataFrame (or a
plain object) and hands it to ``emit``. Every ``DutygraphError`` becomes one line on stderr and
a non-zero exit in ``DutygraphGroup.invoke``; nothing else is caught.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
import pandas as pd

from .errors import DutygraphError
from .formatting import FORMATS, render
from .store import Store, default_store_path

F = TypeVar("F", bound=Callable[..., Any])


class DutygraphGroup(click.Group):
    """Turns library errors into one clear line and an exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DutygraphError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=DutygraphGroup)
@click.version_option(package_name="dutygraph")
def cli() -> None:
    """Turn township duty lists (乡镇履行职责事项清单) into a handoff graph and query it."""


# -- shared options ---------------------------------------------------------------------------
def store_option(func: F) -> F:
    return click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False),
        default=default_store_path,
        show_default="./dutygraph.db or $DUTYGRAPH_STORE",
        help="The store file.",
    )(func)


def list_option(func: F) -> F:
    return click.option(
        "--list",
        "list_selector",
        default=None,
        help="A list id (town:kind) or a town name; default: every list in the store.",
    )(func)


def output_options(func: F) -> F:
    """``--format table|csv|json`` for every command that prints rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for reading, csv or json for pipes.",
    )(func)


def emit(frame: pd.DataFrame, fmt: str, *, max_width: int | None = 60) -> None:
    """Write rows to stdout in the chosen format (the only place that prints rows)."""
    if fmt == "table" and frame.empty:
        click.echo("(no rows)")
        return
    click.echo(render(frame, fmt, max_width=max_width))


def open_store(store_path: str) -> Store:
    return Store(store_path)


# -- foundation commands (load, lists, matters, departments, duties, lint) --------------------


# -- handoffs and explain (extraction) --------------------------------------------------------


# -- query (analysts' questions) --------------------------------------------------------------


# -- neo4j and cypher -------------------------------------------------------------------------


# -- viz and export ---------------------------------------------------------------------------


def main() -> None:
    cli(prog_name="dutygraph")


if __name__ == "__main__":  # pragma: no cover
    main()
