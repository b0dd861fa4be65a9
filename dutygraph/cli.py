"""The ``dutygraph`` command line: parses options, calls the library, formats what comes back.

No logic lives here: every command calls one library function that returns a DataFrame (or a
plain object) and hands it to ``emit``. Every ``DutygraphError`` (and a broken regular
expression from the analyst's vocabulary) becomes one line on stderr and a non-zero exit in
``DutygraphGroup.invoke``; nothing else is caught.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

import click

from . import messages as msg
from .errors import DutygraphError
from .formatting import (
    FORMATS,
    file_format,
    fit_table,
    redact_credentials,
    render,
    terminal_safe,
)
from .handoff_types import HandoffType
from .i18n import N_, current_language, install_click, label, localize_commands, rule_in_words
from .i18n import gettext as _
from .safe_io import check_output
from .selection import Selection
from .store import Store, default_store_path

if TYPE_CHECKING:  # pandas is imported by the commands that need it, not for --help
    import pandas as pd


F = TypeVar("F", bound=Callable[..., Any])


class DutygraphGroup(click.Group):
    """Turns library errors into one clear line and an exit code, in one place, and speaks the
    analyst's language (``dutygraph.i18n``): help, click's own messages and errors."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install_click()
        localize_commands(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DutygraphError as err:
            _fail(ctx, str(err), err.exit_code)
        except re.error as err:  # only the analyst's vocabulary supplies regular expressions
            _fail(ctx, msg.VOCAB_REGEX.format(pattern=err.pattern, reason=err.msg), 2)


def _fail(ctx: click.Context, message: str, exit_code: int) -> None:
    """One line on stderr: control characters escaped, a password inside a URI hidden."""
    shown = terminal_safe(redact_credentials(message))
    click.echo(_("Error: {message}").format(message=shown), err=True)
    ctx.exit(exit_code)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: click's own option words its line when the command is defined, before
    the language is known; this one when it runs."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    prog = ctx.find_root().info_name or "dutygraph"
    click.echo(_("%(prog)s, version %(version)s") % {"prog": prog, "version": version("dutygraph")})
    ctx.exit()


@click.group(cls=DutygraphGroup)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
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


def list_option(given: F) -> F:
    """``--list``, ``--district`` and ``--town``, each repeatable, as one ``Selection`` that the
    command receives as ``list_selector`` (dutygraph/selection.py: one option's values add up,
    different options narrow each other)."""

    @functools.wraps(given)
    def command(
        *args: Any,
        lists: tuple[str, ...],
        districts: tuple[str, ...],
        towns: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        from .selection import Selection

        return given(*args, list_selector=Selection(lists, districts, towns), **kwargs)

    options = (
        ("--town", "towns", "A town (卜尔汉图镇, or with its district: 昆都仑区卜尔汉图镇)."),
        ("--district", "districts", "Every list of a district (or of a city or province)."),
        ("--list", "lists", "A list id (town:kind) or a town; default: every list."),
    )
    func: Any = command
    for flag, name, text in options:
        func = click.option(flag, name, multiple=True, help=f"{text} Repeatable.")(func)
    return func  # type: ignore[no-any-return]


#: ``-o FILE``'s format (by suffix) -> the rows a command gives for it: a workbook or Markdown
#: gets what the terminal table shows (headings and labels in the analyst's language), CSV and
#: JSON the stable English names and codes.
_FILE_ROWS = {"xlsx": "table", "md": "table", "csv": "csv", "json": "json"}


class _Output:
    """Where a command's rows go (kept on the context for ``emit``): the terminal, fitted to its
    width and cut, wrapped (``--wrap``) or uncut (``--wide``); or the file of ``-o``, written
    once the command is done."""

    def __init__(self, path: str | None, *, wrap: bool, wide: bool) -> None:
        self.path, self.wrap, self.wide = path, wrap, wide
        self.parts: list[tuple[str, str | None, pd.DataFrame]] = []

    def write(self, name: str) -> None:
        if self.path is None:
            return
        from .export import write_answer

        parts = self.parts or [(name, None, _no_rows())]
        click.echo(str(write_answer([(n or name, t, f) for n, t, f in parts], self.path)), err=True)


def _no_rows() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-o FILE``: its suffix must name a format and its folder exist, checked before the
    command does any work."""
    if value is not None:
        file_format(value)
        check_output(value)
    return value


def _output_named(*suffixes: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback that refuses an output file, before any work, not named ``*suffixes`` (the
    first is the one named in the error) or in a folder that does not exist."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            check_output(value, suffixes)
        return value

    return check


def output_options(func: F) -> F:
    """What every command that prints rows takes: ``--format table|csv|json``, ``-o FILE``
    (.xlsx, .csv, .json, .md by its suffix), ``--wrap`` and ``--wide``. The command receives
    ``fmt`` only; ``emit`` reads the rest from the context, and the file is written when the
    command is done (also when it exits non-zero on purpose, as ``lint`` does on an error)."""

    @functools.wraps(func)
    def command(
        *args: Any, fmt: str, output: str | None, wrap: bool, wide: bool, **kwargs: Any
    ) -> Any:
        ctx = click.get_current_context()
        if wrap and wide:
            raise click.UsageError(_("--wrap and --wide exclude each other: choose one"), ctx)
        if output is not None:
            kind = file_format(output)
            if ctx.get_parameter_source("fmt") is click.core.ParameterSource.COMMANDLINE:
                raise click.UsageError(
                    _("-o {path} writes {kind} by its suffix: leave --format out").format(
                        path=output, kind=kind
                    ),
                    ctx,
                )
            fmt = _FILE_ROWS[kind]
        sink = ctx.meta[_OUTPUT_KEY] = _Output(output, wrap=wrap, wide=wide)
        try:
            result = func(*args, fmt=fmt, **kwargs)
        except (SystemExit, click.exceptions.Exit):
            sink.write(ctx.info_name or "")
            raise
        sink.write(ctx.info_name or "")
        return result

    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="table for reading, csv or json for pipes.",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False),
            default=None,
            callback=_output_file,
            help="Write the rows to FILE instead: .xlsx, .csv (UTF-8 with a BOM, for Excel), "
            ".json or .md, by its suffix.",
        ),
        click.option(
            "--wrap",
            is_flag=True,
            help="Wrap long text onto more lines instead of cutting it (tables fit the "
            "terminal; COLUMNS sets its width).",
        ),
        click.option("--wide", is_flag=True, help="Print every cell whole, however wide."),
    ]
    wrapped: Any = command
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


#: What ``report``, ``viz`` and ``diff --report`` write: an HTML page.
_HTML_FILE = _output_named(".html", ".htm")
_FILE = click.Path(dir_okay=False)
_OUTPUT_KEY = "dutygraph.output"
#: A load's summary: what became of each file is kept whole; the counts (also on the lines
#: above it) are left out first on a narrow terminal.
_LOAD_FITS = {"status": "whole", "matters": "minor", "duties": "minor", "handoffs": "minor"}


def emit(
    frame: pd.DataFrame,
    fmt: str,
    *,
    max_width: int | None = 60,
    title: str | None = None,
    fits: dict[str, str] | None = None,
) -> None:
    """Write rows in the chosen format (the only place that prints rows): to the file of ``-o``
    (each call a sheet or section, named ``title``), else to stdout: a table under its
    ``title``, its cells at most ``max_width`` columns, fitted to the terminal's width
    (:func:`_terminal_width`); a table whose cells must not be cut (``max_width=None``) wraps
    to fit instead. Columns give way by their ``fit`` (``fits`` overriding; see
    :func:`dutygraph.formatting.fit_table`); those left out are named on stderr."""
    sink = click.get_current_context().meta.get(_OUTPUT_KEY) or _Output(
        None, wrap=False, wide=False
    )
    if sink.path is not None:
        sink.parts.append(("", title, frame))
        return
    if fmt != "table":
        click.echo(render(frame, fmt))
        return
    if title is not None:
        click.echo(f"== {title}")
    if frame.empty:
        click.echo(_("(no rows)"))
    elif sink.wide:
        click.echo(render(frame, fmt, max_width=None))
    else:
        wrap = sink.wrap or max_width is None
        table, dropped = fit_table(
            frame,
            max_width=max_width,
            width=_terminal_width(),
            wrap=wrap,
            fits=fits,
            keep_all=sink.wrap,
        )
        click.echo(table)
        if dropped:  # on stderr: the rows on stdout stay a table
            hint = (
                _("(narrow terminal, left out: {columns}; add --wide or --wrap to see them all)")
                if _OUTPUT_KEY in click.get_current_context().meta
                else _("(narrow terminal, left out: {columns})")
            )
            comma = "、" if current_language() == "zh_CN" else ", "
            click.echo(hint.format(columns=comma.join(dropped)), err=True)
    if title is not None:
        click.echo("")


def emit_note(text: str) -> None:
    """A line above the rows on the terminal; a file of ``-o`` holds the rows alone."""
    sink = click.get_current_context().meta.get(_OUTPUT_KEY)
    if sink is None or sink.path is None:
        click.echo(text)


def _terminal_width() -> int | None:
    """The width a table fits: ``$COLUMNS`` when set, else the terminal's
    (``shutil.get_terminal_size``); none when the rows go to a pipe or a file, where a reader
    has no width to fit."""
    import os
    import shutil

    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def open_store(store_path: str) -> Store:
    return Store(store_path)


# -- foundation commands (load, lists, matters, departments, duties, lint) --------------------
def vocab_option(func: F) -> F:
    return click.option(
        "--vocab",
        "vocab_dir",
        type=click.Path(file_okay=False, exists=True),
        default=None,
        envvar="DUTYGRAPH_VOCAB",
        help="A folder of vocabulary files overriding the packaged ones ($DUTYGRAPH_VOCAB).",
    )(func)


def identity_options(given: F) -> F:
    """--town, --kind, --version and the place above the town, overriding the document; the
    command receives them as one ``given`` (``tables.Given``)."""

    @functools.wraps(given)
    def command(
        *args: Any,
        town: str | None,
        kind: str | None,
        list_version: str | None,
        province: str,
        city: str,
        district: str,
        **kwargs: Any,
    ) -> Any:
        from .places import Place
        from .tables import Given

        place = Place(province or "", city or "", district or "")
        return given(*args, given=Given(town, kind, list_version, place), **kwargs)

    for level, example in (
        ("district", "昆都仑区"),
        ("city", "包头市"),
        ("province", "内蒙古自治区"),
    ):
        command = click.option(
            f"--{level}",
            default=None,
            help=f"The town's {level} (e.g. {example}); overrides the title and the folders.",
        )(command)
    func: Any = command
    func = click.option(
        "--town", default=None, help="The town's name, when the title does not give it."
    )(func)
    func = click.option("--kind", type=ListKind(), default=None, help="The list kind.")(func)
    func = click.option(
        "--version", "list_version", default=None, help="The list's version or date."
    )(func)
    return func


class ListKind(click.Choice[str]):
    """The list kinds of the vocabulary (``list_format.yaml``'s ``kinds``), read when first
    needed, so that a kind added there is a kind here."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from .vocabulary import list_kinds

        return list_kinds()

    @choices.setter
    def choices(self, _value: object) -> None:
        pass  # click.Choice.__init__ sets them; they come from the vocabulary instead


def _print_findings(findings: pd.DataFrame, *, err: bool) -> None:
    for row in findings.itertuples(index=False):
        severity = label("severity", row.severity)
        line = _("{severity}: {list_id}: {where}: {message} [{code}]").format(
            severity=severity,
            list_id=row.list_id,
            where=row.where,
            message=row.message,
            code=row.code,
        )
        click.echo(terminal_safe(line), err=err)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="FILES|FOLDERS|GLOBS")
@store_option
@identity_options
@vocab_option
@click.option("--quiet", "-q", is_flag=True, help="Do not print the lint warnings.")
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="Write nothing unless every file loads (all in one transaction).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that read and extract the files [default: the cores].",
)
@click.pass_context
def load(
    ctx: click.Context,
    inputs: tuple[str, ...],
    store_path: str,
    given: Any,
    vocab_dir: str | None,
    quiet: bool,
    all_or_nothing: bool,
    jobs: int | None,
) -> None:
    """Load duty lists into the store (a list loaded again replaces its earlier load).

    Takes files (text, CSV, Excel, Word, web pages, PDF), folders (every list under them) and
    glob patterns. A file that fails is reported and the others load, each in its own
    transaction; the run ends with a table of what loaded and what failed, and exits non-zero
    if anything failed. With --all-or-nothing, one failure leaves the store as it was.
    """
    from .batch import (
        list_files,
        outcomes_table,
        parse_files,
        same_file_lists,
        skipped_files,
        skipped_rows,
        store_outcomes,
    )
    from .vocabulary import Vocabulary

    paths = list_files(inputs)
    skipped = skipped_files(inputs)
    if given.town and len(paths) > 1:
        raise click.UsageError(_("--town names one list's town; load one file at a time with it"))
    from .review.reviewed import unapplied_corrections

    Vocabulary.load(vocab_dir)  # a malformed vocabulary fails once, before any file is read
    outcomes = parse_files(paths, vocab_dir=vocab_dir, jobs=jobs, given=given)
    store = Store(store_path)
    show_progress = len(paths) > 1 and sys.stderr.isatty()
    with click.progressbar(
        outcomes,
        length=len(paths),
        label=_("reading"),
        file=sys.stderr if show_progress else cast(TextIO, _Quiet()),
    ) as progress:
        result = store_outcomes(store, progress, all_at_once=all_or_nothing or len(paths) == 1)
    for stored in result.stored:
        if not quiet:
            _print_findings(stored.warnings, err=True)
        click.echo(
            _(
                "loaded {list_id}: {matters} matters in {categories} categories, {duties} duties, "
                "{handoffs} handoffs -> {store}"
            ).format(**stored.counts(), store=store_path)
        )
    loaded = [stored.list_id for stored in result.stored]
    for list_id, others in same_file_lists(store, loaded).items():
        click.echo(
            _(
                "Warning: {list_id} is the same file as {others}, already in the store (same "
                "sha256); both are kept, so whole-store answers count the town twice: choose one "
                "with --list, or load into a new --store"
            ).format(list_id=list_id, others="、".join(others)),
            err=True,
        )
    if loaded:  # the report questions answered once now, and kept: every later answer reads them
        from .answers import keep_answers
        from .parallel import default_jobs

        keep_answers(store, loaded, jobs=jobs or default_jobs())
    _report_unapplied(unapplied_corrections(store, loaded))
    if len(paths) > 1 or skipped:
        rows = result.rows + skipped_rows(skipped)
        emit(outcomes_table(rows), "table", max_width=None, fits=_LOAD_FITS)
    if result.failed:
        ctx.exit(2)


class _Quiet:
    """A file that swallows what is written to it (no progress bar off a terminal or for one
    file)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@cli.command(name="lists")
@store_option
@output_options
def lists_command(store_path: str, fmt: str) -> None:
    """The lists in the store."""
    from .browse import lists_table

    emit(lists_table(open_store(store_path)), fmt)


@cli.command()
@store_option
@list_option
@click.option(
    "--category", default=None, help="Only matters of this category (name or part of it)."
)
@click.option("--department", default=None, help="Only matters this department is responsible for.")
@output_options
def matters(
    store_path: str,
    list_selector: Selection,
    category: str | None,
    department: str | None,
    fmt: str,
) -> None:
    """The matters of the chosen lists."""
    from .browse import matters_table

    store = open_store(store_path)
    emit(
        matters_table(
            store, store.resolve_lists(list_selector), category=category, department=department
        ),
        fmt,
    )


@cli.command()
@store_option
@list_option
@output_options
def departments(store_path: str, list_selector: Selection, fmt: str) -> None:
    """The departments the lists name, with the matters they lead and their duties, counted in
    each town's latest version of each list (older versions are named on stderr)."""
    from .browse import departments_table

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    older = [i for i in list_ids if i not in set(store.latest_versions(list_ids))]
    if older:
        click.echo(
            _(
                "Note: counted in each town's latest version of each list; not counted: {older}"
            ).format(older="、".join(older)),
            err=True,
        )
    emit(departments_table(store, list_ids), fmt)


@cli.command()
@store_option
@list_option
@click.option("--matter", default=None, help="Only the duties of one matter (its 序号 or name).")
@output_options
def duties(store_path: str, list_selector: Selection, matter: str | None, fmt: str) -> None:
    """Every department's and the town's numbered duties."""
    from .browse import duties_table

    store = open_store(store_path)
    emit(duties_table(store, store.resolve_lists(list_selector), matter=matter), fmt, max_width=80)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@identity_options
@vocab_option
@output_options
def lint(
    file: str,
    given: Any,
    vocab_dir: str | None,
    fmt: str,
) -> None:
    """Check a list against itself: category counts, numbering, empty cells, unknown departments.

    Exits 1 when a finding is an error.
    """
    from .loaders import lint_list
    from .vocabulary import Vocabulary

    findings = lint_list(file, given=given, vocab=Vocabulary.load(vocab_dir))
    emit(findings, fmt, max_width=90)
    if (findings["severity"] == "error").any():
        sys.exit(1)


# -- handoffs and explain (extraction) --------------------------------------------------------
class HandoffTypeParam(click.ParamType):
    """A handoff type written as its code or its name in either language (``上报`` or
    ``reports_to``), read as ``review apply`` reads a type cell; else a one-line error listing
    the types."""

    name = "type"

    @property
    def choices(self) -> tuple[str, ...]:
        """The type codes, in the registry's order (``handoff_types.HandoffType``)."""
        return tuple(t.value for t in HandoffType)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .review.terms import parse_type

        code = parse_type(str(value))
        if code is None:
            known = ", ".join(f"{code}/{label('type', code)}" for code in self.choices)
            self.fail(
                _("{value!r}; expected one of {known}").format(value=value, known=known), param, ctx
            )
        return code


HANDOFF_TYPE_CHOICE = HandoffTypeParam()


@cli.command()
@store_option
@list_option
@click.option("--matter", default=None, help="Only the handoffs of one matter (its 序号 or name).")
@click.option(
    "--type",
    "handoff_type",
    type=HANDOFF_TYPE_CHOICE,
    default=None,
    help="Only one handoff type: 上报/reports_to, 反馈/feeds_back_to, 提级上报/escalates_to, "
    "交办下发/assigns_to or 平级移交/refers_to.",
)
@click.option(
    "--unresolved",
    is_flag=True,
    help="Instead: the clauses with a handoff verb but no resolved receiver or type.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    help="Only handoffs of this review status: machine/机器抽取, confirmed/已确认, "
    "corrected/已改正, added/人工添加, rejected/已否决 (repeatable; rejected ones are listed "
    "only when asked for).",
)
@output_options
def handoffs(
    store_path: str,
    list_selector: Selection,
    matter: str | None,
    handoff_type: str | None,
    unresolved: bool,
    statuses: tuple[str, ...],
    fmt: str,
) -> None:
    """Who hands what to whom: every handoff with its evidence and its review status.

    With --unresolved, what extraction did not understand: each clause with a handoff verb that
    got no receiver or no type, with its matter and text, to be read by a person.
    """
    from .browse import handoffs_table, unresolved_table
    from .review.terms import STATUSES, parse_status

    wanted = [parse_status(s) for s in statuses]
    if None in wanted:
        known = ", ".join(f"{c}/{label('status', c)}" for c in STATUSES)
        raise click.BadParameter(
            _("{value!r}; expected one of {known}").format(
                value=statuses[wanted.index(None)], known=known
            ),
            param_hint="--status",
        )
    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    if unresolved:
        emit(unresolved_table(store, list_ids, matter=matter), fmt, max_width=60)
        return
    table = handoffs_table(
        store,
        list_ids,
        matter=matter,
        handoff_type=handoff_type,
        statuses=[s for s in wanted if s],
    )
    if fmt == "table":
        table = table.assign(reviewed_at=table["reviewed_at"].str[:10])
        columns = ["list_id", "matter", "src", "dst", "type", "evidence", "how", "status"]
        if (table["status"] != "machine").any():  # who and when, once something is reviewed
            columns += ["reviewer", "reviewed_at"]
        table = table[columns]
    emit(table, fmt, max_width=48)


@cli.command()
@click.argument("matter")
@store_option
@list_option
def explain(matter: str, store_path: str, list_selector: Selection) -> None:
    """Print MATTER's duties (its 序号 or name), each followed by the handoffs it produced and
    the rule."""
    from .browse import explain_matters, matter_numbers

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    for found in explain_matters(store, matter_numbers(store, list_ids, matter)):
        heading = _("== {list_id} matter {number}: {name}").format(
            list_id=found.list_id, number=found.number, name=found.name
        )
        click.echo(terminal_safe(heading))
        if found.kind == "收回" and found.departments:
            click.echo(
                terminal_safe(
                    _("Taken over by: {departments}").format(
                        departments="、".join(found.departments)
                    )
                )
            )
        if found.basis:
            template = _("Why taken back: {basis}") if found.kind == "收回" else _("Basis: {basis}")
            click.echo(terminal_safe(template.format(basis=found.basis)))
        for owner, duties in found.owners:
            click.echo(f"\n[{terminal_safe(owner)}]")
            for duty in duties:
                click.echo(terminal_safe(f"  {duty.number}. {duty.text}"))
                for edge in duty.handoffs.itertuples(index=False):
                    kind = label("type", edge.type)
                    if edge.how != "explicit":
                        kind = _("{type} ({how})").format(type=kind, how=label("how", edge.how))
                    rule = rule_in_words(edge.rule)
                    click.echo(
                        terminal_safe(
                            f"      -> {edge.src} -> {edge.dst}  {kind}  [{rule}]  "
                            f"«{edge.evidence}»{_review_mark(edge)}"
                        )
                    )
        click.echo("")


def _review_mark(edge: Any) -> str:
    """'  {已改正 张三 2026-12-02; 原为 …}' for a reviewed edge, '' for a machine one."""
    if edge.status == "machine":
        return ""
    who = " ".join(str(v) for v in (edge.reviewer, (edge.reviewed_at or "")[:10]) if v)
    was = _("; was {edge}").format(edge=edge.was) if edge.was else ""
    return f"  {{{label('status', edge.status)}{' ' + who if who else ''}{was}}}"


@cli.command()
@click.argument("gold_csv", type=click.Path(dir_okay=False, exists=True))
@store_option
@list_option
@click.option("--show-differences", is_flag=True, help="Also list the missed and the extra edges.")
@output_options
def evaluate(
    gold_csv: str, store_path: str, list_selector: Selection, show_differences: bool, fmt: str
) -> None:
    """Score the extracted handoffs against a hand-annotated GOLD_CSV.

    GOLD_CSV has the columns matter,src,dst,type and optionally list (a town or a list id).
    Names in it go through the same name resolver as extraction. Prints precision, recall and
    F1 per handoff type, then the F1 of the feedback-gap answer.
    """
    from .extraction.evaluate import EVALUATION_TABLES, evaluate_extraction, read_gold
    from .vocabulary import Vocabulary

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    tables = {name: store.table(name, list_ids) for name in EVALUATION_TABLES}
    result = evaluate_extraction(read_gold(gold_csv), tables, Vocabulary.load())
    scores = result.scores
    if fmt == "table":  # the two rows that are no handoff type, in words
        rows = {"all": _("all handoffs"), "feedback-gaps": _("feedback gaps (the answer)")}
        scores = scores.assign(type=scores["type"].replace(rows))
    emit(scores, fmt)
    if show_differences:
        emit_note("")
        emit(result.differences, fmt)


# -- review (the analyst's decisions) ---------------------------------------------------------
@cli.group()
def review() -> None:
    """Check the extracted handoffs in Excel and keep the decisions (docs/review.md)."""


@review.command("export")
@store_option
@list_option
@click.option("--matter", default=None, help="Only the handoffs of one matter (its 序号 or name).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    callback=_output_named(),  # the folder; the suffix is checked with its own message
    help="The .xlsx to write (or .csv: the review sheet alone).",
)
def review_export(
    store_path: str, list_selector: str | None, matter: str | None, output: str
) -> None:
    """Write the review workbook: every handoff a row, with empty decision columns."""
    from .browse import matter_numbers
    from .review.workbook import export_review

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    numbers = matter_numbers(store, list_ids, matter) if matter is not None else None
    click.echo(str(export_review(store, list_ids, output, matter=numbers)))


@review.command("apply")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option
@vocab_option
@click.option("--reviewer", default=None, help="Who decided, for rows whose 复核人 is empty.")
def review_apply(file: str, store_path: str, vocab_dir: str | None, reviewer: str | None) -> None:
    """Read the decisions of an edited review workbook (or CSV) and store them.

    Every row is checked; a row that cannot be stored gets one line saying why, the others
    are stored, and the exit code is 1. Applying the same file again changes nothing.
    """
    from .review.apply import apply_review
    from .review.reviewed import unapplied_corrections
    from .vocabulary import Vocabulary

    store = open_store(store_path)
    result = apply_review(store, file, reviewer=reviewer, vocab=Vocabulary.load(vocab_dir))
    for line in result.problems:
        click.echo(line, err=True)
    counts = result.stored["decision"].value_counts()
    parts = [_(_DECISION_WORDS[d]).format(n=int(counts[d])) for d in _DECISION_WORDS if d in counts]
    text = (
        _("stored {count} decisions ({parts})").format(
            count=len(result.stored), parts=_(", ").join(parts)
        )
        if parts
        else _("stored {count} decisions").format(count=len(result.stored))
    )
    if result.unchanged:
        text += _("; {count} unchanged").format(count=result.unchanged)
    if result.problems:
        text += _("; {count} rows not stored (see above)").format(count=len(result.problems))
    click.echo(f"{text} -> {store_path}")
    _report_unapplied(unapplied_corrections(store))
    if result.problems:
        sys.exit(1)


_DECISION_WORDS = {
    "ok": N_("{n} confirmed"),
    "wrong": N_("{n} rejected"),
    "fix": N_("{n} corrected"),
    "add": N_("{n} added"),
}


def _report_unapplied(unapplied: pd.DataFrame) -> None:
    """One warning line per stored decision that finds no edge (never silently dropped)."""
    for row in unapplied.itertuples(index=False):
        click.echo(
            _(
                "warning: {list_id}: matter {matter} {name}: {src} -> {dst} {type} "
                "({who} {date}): {message}: «{evidence}»"
            ).format(
                list_id=row.list_id,
                matter=row.matter,
                name=row.matter_name,
                src=row.src,
                dst=row.dst,
                type=label("type", row.type),
                who=row.reviewer or _("unsigned"),
                date=str(row.decided_at)[:10],
                message=row.message,
                evidence=row.evidence,
            ),
            err=True,
        )


@review.command("status")
@store_option
@list_option
@output_options
def review_status_command(store_path: str, list_selector: str | None, fmt: str) -> None:
    """Per list: handoffs reviewed, corrected, added, rejected, and what is left."""
    from .review.reviewed import unapplied_corrections
    from .review.status import review_status

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    emit(review_status(store, list_ids), fmt)
    _report_unapplied(unapplied_corrections(store, list_ids))


# -- query (analysts' questions) --------------------------------------------------------------
#: Where ``dutygraph query`` answers: the graph built in-process from the store, or the Cypher
#: twin of the question on a Neo4j (or FalkorDB) server that ``dutygraph neo4j push`` filled.
QUERY_BACKENDS = ("networkx", "neo4j")


def neo4j_connection_options(func: F) -> F:
    """--uri, --username, --database; each falls back on NEO4J_URI, NEO4J_USERNAME,
    NEO4J_DATABASE. The password never is a flag: NEO4J_PASSWORD, or a prompt on a terminal."""
    options = [
        click.option(
            "--uri", default=None, help="Bolt URI [default: $NEO4J_URI or bolt://localhost:7687]."
        ),
        click.option("--username", default=None, help="[default: $NEO4J_USERNAME or neo4j]"),
        click.option("--database", default=None, help="[default: $NEO4J_DATABASE or neo4j]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _neo4j_password() -> str | None:
    """NEO4J_PASSWORD when it is set (even empty); else a prompt on a terminal, where an empty
    answer means no authentication; else (no terminal) no authentication, never a prompt."""
    import os

    if "NEO4J_PASSWORD" in os.environ:
        return os.environ["NEO4J_PASSWORD"]
    if not sys.stdin.isatty():
        return None
    answer = click.prompt(
        _("Neo4j password (empty: none)"), default="", hide_input=True, show_default=False
    )
    return answer or None


def _neo4j_driver(uri: str | None, username: str | None, database: str | None) -> tuple[Any, str]:
    """The command's driver and database: built once, on first use, kept on ``ctx.obj`` and
    closed when the command ends. (The ``neo4j`` commands may share this helper.)"""
    ctx = click.get_current_context()
    obj = ctx.ensure_object(dict)
    if "neo4j_driver" not in obj:
        import logging

        from .graphmodel import neo4j_backend

        # the driver logs a dying connection before it raises; the error says it in one line
        logging.getLogger("neo4j").addHandler(logging.NullHandler())

        settings = neo4j_backend.ConnectionSettings.from_env(
            uri=uri, username=username, database=database, password=_neo4j_password()
        )
        driver = neo4j_backend.connect(settings)
        ctx.call_on_close(functools.partial(neo4j_backend.close, driver))
        obj["neo4j_driver"], obj["neo4j_database"] = driver, settings.database
    return obj["neo4j_driver"], obj["neo4j_database"]


def query_options(func: F) -> F:
    """--store, --list, --format, --backend and the Neo4j connection: what every question
    takes. The question's command receives ``source`` (where to answer) and ``fmt``."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        where = {f.name: kwargs.pop(f.name) for f in dataclasses.fields(_QuerySource)}
        return func(*args, source=_QuerySource(**where), **kwargs)

    backend_option = click.option(
        "--backend",
        type=click.Choice(QUERY_BACKENDS),
        default="networkx",
        show_default=True,
        help="networkx: the store, in-process; neo4j: the Cypher twin on a server.",
    )
    return store_option(
        list_option(output_options(backend_option(neo4j_connection_options(command))))
    )  # type: ignore[return-value]


@dataclasses.dataclass(frozen=True)
class _QuerySource:
    """Where a question is answered (the options ``query_options`` adds, by name); the same
    columns and rows from either backend."""

    store_path: str
    list_selector: Selection
    backend: str
    uri: str | None
    username: str | None
    database: str | None

    def answer(self, question: str, *args: Any, **options: Any) -> pd.DataFrame:
        from .queries import QUESTION_FUNCTIONS, QUESTION_TABLES, resolve_lists_cypher

        on_graph, on_server = QUESTION_FUNCTIONS[question]
        key = _kept(question, args, options) if self.backend == "networkx" else None
        if key is not None:  # the answer load kept (dutygraph.answers)
            from .answers import answers

            store = open_store(self.store_path)
            ids = store.resolve_lists(self.list_selector)
            return answers(store, ids, [key])[key]
        if self.backend == "networkx":
            graph = _query_graph(self.store_path, self.list_selector, QUESTION_TABLES[question])
            return on_graph(graph, *args, **options)
        driver, database = _neo4j_driver(self.uri, self.username, self.database)
        list_ids = resolve_lists_cypher(driver, self.list_selector, database=database)
        return on_server(driver, *args, database=database, list_ids=list_ids, **options)


def _kept(question: str, args: Sequence[Any], options: dict[str, Any]) -> str | None:
    """The key the store keeps this question's answer under (a report question with its
    defaults, or a kept variant), or None."""
    from .answers import kept_key

    return None if args else kept_key(question, options)


def _query_graph(
    store_path: str, list_selector: Selection, tables: dict[str, Any] | None = None
) -> Any:
    """The networkx graph of the chosen lists (of ``tables`` only, if given), from the store."""
    from .graphmodel.build import build_graph

    store = open_store(store_path)
    return build_graph(store, store.resolve_lists(list_selector), tables=tables)


@cli.group()
def query() -> None:
    """Answer the analysts' questions (columns and examples: docs/queries.md)."""


def _question_command(question: Any) -> click.Command:
    """``dutygraph query NAME``: the question's arguments and options, and what every question
    takes (``query_options``), all from its registry record."""

    def run(source: _QuerySource, fmt: str, **values: Any) -> None:
        arguments = [values.pop(name) for name in question.arguments]
        emit(source.answer(question.name, *arguments, **values), fmt)

    command: Any = query_options(run)
    for option in reversed(question.options):
        command = _click_option(option)(command)
    for name in reversed(question.arguments):
        command = click.argument(name)(command)
    return click.command(question.name, help=question.summary)(command)


class _CodedOption(click.Option):
    """An option taking codes that have labels (``--kind enforcement|report``): ``--help``
    shows the choices as the user's language names them (提级处置|逐级上报); either is taken."""

    def __init__(self, *args: Any, codes: tuple[str, ...], field: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes, self.field = codes, field

    def make_metavar(self, ctx: click.Context) -> str:
        if current_language() == "en":
            return "|".join(self.codes)
        return "|".join(label(self.field, code) for code in self.codes)


def _click_option(option: Any) -> Callable[[F], F]:
    """A question's ``Option`` as a click option."""
    if option.kind == "flag":
        return click.option(option.flag, option.name, is_flag=True, help=option.help)
    if option.kind == "words":
        return click.option(
            option.flag,
            option.name,
            default=",".join(option.default),
            show_default=bool(option.default),
            callback=lambda _ctx, param, text: _option_value(option, param, text),
            help=option.help,
            **_choices(option),
        )
    if option.kind == "text":
        return click.option(
            option.flag,
            option.name,
            default=option.default,
            callback=lambda _ctx, param, text: _option_value(option, param, text),
            help=option.help,
            **_choices(option),
        )
    return click.option(
        option.flag,
        option.name,
        type=click.IntRange(option.minimum, option.maximum),
        default=option.default,
        show_default=True,
        help=option.help,
    )


def _choices(option: Any) -> dict[str, Any]:
    """How ``--help`` shows an option's choices: their labels when they are codes."""
    if option.choices and option.field:
        return {"cls": _CodedOption, "codes": option.choices, "field": option.field}
    return {"metavar": "|".join(option.choices) if option.choices else None}


def _option_value(option: Any, param: click.Parameter, text: str | None) -> Any:
    """A question's option as its functions take it; a value it does not take is a usage
    error naming the option."""
    if text is None:
        return None
    try:
        return option.parse(text)
    except DutygraphError as err:
        raise click.BadParameter(str(err), param=param) from None


def _register_questions() -> None:
    from .queries import QUESTIONS

    for question in QUESTIONS.values():
        query.add_command(_question_command(question))


_register_questions()


# -- neo4j and cypher -------------------------------------------------------------------------
#: Cypher parameter names, as ``--param NAME=VALUE`` takes them.
_PARAM_NAME = r"[A-Za-z_][A-Za-z0-9_]*"


@cli.group()
def neo4j() -> None:
    """Write the graph to a Neo4j 5 / AuraDB (or FalkorDB) server over Bolt (docs/neo4j.md)."""


@neo4j.command("push")
@store_option
@list_option
@neo4j_connection_options
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per write transaction [default: 1000; bench/RESULTS.md].",
)
@output_options
def neo4j_push(
    store_path: str,
    list_selector: Selection,
    uri: str | None,
    username: str | None,
    database: str | None,
    batch_size: int | None,
    fmt: str,
) -> None:
    """Write the store's reviewed graph (MERGE: a second push changes nothing); print the counts.

    Handoffs of the pushed lists that the review rejected or corrected since an earlier push
    are removed from the server."""
    from .graphmodel import neo4j_backend
    from .graphmodel.build import build_graph

    store = open_store(store_path)
    graph = build_graph(store, store.resolve_lists(list_selector))
    driver, database = _neo4j_driver(uri, username, database)
    neo4j_backend.ensure_schema(driver, database)
    size = batch_size or neo4j_backend.DEFAULT_BATCH_SIZE
    report = neo4j_backend.push(driver, graph, database=database, batch_size=size)
    removed = neo4j_backend.prune_handoffs(driver, graph, database=database, batch_size=size)
    click.echo(
        _(
            "pushed {nodes} nodes and {relationships} relationships to {database} in "
            "{transactions} transactions ({seconds:.1f} s)"
        ).format(
            nodes=report.nodes,
            relationships=report.relationships,
            database=database,
            transactions=report.transactions,
            seconds=report.seconds,
        )
        + (
            _("; removed {removed} handoffs the review rejected or corrected").format(
                removed=removed
            )
            if removed
            else ""
        ),
        err=True,
    )
    emit(neo4j_backend.counts(driver, database).to_frame(), fmt)


@cli.command()
@click.argument("query_text", metavar="CYPHER")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter ($NAME); VALUE is read as JSON when it parses "
    '(29, true, null, [1,2], "29"), else as text. Repeatable.',
)
@neo4j_connection_options
@output_options
def cypher(
    query_text: str,
    params: tuple[str, ...],
    uri: str | None,
    username: str | None,
    database: str | None,
    fmt: str,
) -> None:
    """Run one read-only Cypher query on the server and print its rows.

    Values go in as parameters, never into the query text:

    \b
    dutygraph cypher 'MATCH (d:Department {name: $name}) RETURN d.id AS id' \\
        --param name=区民政局
    """
    from .graphmodel import neo4j_backend

    parameters = dict(_cypher_param(text) for text in params)
    driver, database = _neo4j_driver(uri, username, database)
    frame = neo4j_backend.run_read(driver, query_text, parameters, database=database)
    emit(frame.map(_plain_cell) if not frame.empty else frame, fmt)


def _cypher_param(text: str) -> tuple[str, Any]:
    import json
    import re

    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(_PARAM_NAME, name):
        raise click.BadParameter(
            _("expected NAME=VALUE with NAME a Cypher name, got {text!r}").format(text=text),
            param_hint="--param",
        )
    try:
        return name, json.loads(value)
    except RecursionError:
        raise click.BadParameter(
            msg.PARAM_JSON_DEPTH.format(name=name), param_hint="--param"
        ) from None
    except ValueError:
        return name, value


def _plain_cell(value: Any) -> Any:
    """Nodes, relationships and paths as plain dicts and lists, for csv/json/table."""
    import neo4j.graph

    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **dict(value.items())}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **dict(value.items())}
    if isinstance(value, neo4j.graph.Path):
        return [_plain_cell(node) for node in value.nodes]
    return value


# -- compare and diff (many towns, two versions) -----------------------------------------------
#: The parts of ``compare`` and ``diff`` (the same as ``compare.COMPARE_PARTS`` and
#: ``diff.DIFF_PARTS``; a test checks), spelled out so that ``--help`` imports neither.
COMPARE_PARTS = ("towns", "departments", "matters", "unshared")
DIFF_PARTS = ("matters", "duties", "handoffs", "loops")
_COMPARE_TITLES = {
    "towns": N_("Towns side by side"),
    "departments": N_("Departments × towns (matters/handoffs/feedback gaps/escalations)"),
    "matters": N_("Matters matched across towns (#number, score when below 1)"),
    "unshared": N_("Matters some towns have and others lack"),
}
_DIFF_TITLES = {
    "matters": N_("Matters added, removed, renamed or changed"),
    "duties": N_("Duties changed"),
    "handoffs": N_("Handoffs gained and lost"),
    "loops": N_("Feedback loops that close or open"),
}


def show_option(parts: tuple[str, ...]) -> Callable[[F], F]:
    return click.option(
        "--show",
        "parts",
        multiple=True,
        type=click.Choice(parts),
        help="The parts to print (default: all; one for csv and json). Repeatable.",
    )


def _emit_parts(
    frames: dict[str, pd.DataFrame], titles: dict[str, str], parts: tuple[str, ...], fmt: str
) -> None:
    """One part as csv/json; as tables, each part under its title."""
    if fmt != "table":
        if len(parts) != 1:
            raise click.UsageError(_("--format csv and json print one part: choose it with --show"))
        emit(frames[parts[0]], fmt)
        return
    for name in parts:
        emit(frames[name], fmt, max_width=40, title=_(titles[name]))


@cli.command()
@store_option
@list_option
@show_option(COMPARE_PARTS)
@output_options
def compare(store_path: str, list_selector: Selection, parts: tuple[str, ...], fmt: str) -> None:
    """Compare two towns or more side by side (a whole district with --district).

    Each town's latest 配合 list is compared (a town's 基本 and 收回 lists and older versions
    are named on stderr, not compared as other towns; `diff` compares versions).

    towns: gap rates and counts per town; departments: each department (and the body it
    belongs to) × towns; matters: matters matched across towns by name, with the score;
    unshared: matters some towns lack. Tables show departments and matters with a town a
    column; csv and json give one row per department (or matter) and town.
    """
    from .compare import comparable_lists, compare_towns, department_matrix, matter_matrix

    store = open_store(store_path)
    list_ids = store.resolve_lists(list_selector)
    compared = comparable_lists(store, list_ids)
    result = compare_towns(store, list_ids)
    others = [i for i in list_ids if i not in set(compared)]
    if others:
        kind = store.table("lists", compared)["kind"].iloc[0]
        note = _("Note: compared each town's latest {kind} list; not compared: {others}")
        click.echo(note.format(kind=kind, others="、".join(others)), err=True)
    frames = {name: getattr(result, name) for name in COMPARE_PARTS}
    if fmt == "table":
        frames |= {"departments": department_matrix(result), "matters": matter_matrix(result)}
    _emit_parts(frames, _COMPARE_TITLES, parts or COMPARE_PARTS, fmt)


@cli.command()
@click.argument("old")
@click.argument("new")
@store_option
@show_option(DIFF_PARTS)
@output_options
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False),
    default=None,
    callback=_output_named(".xlsx"),
    help="Also write the parts as an Excel workbook (.xlsx), a sheet each.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    default=None,
    callback=_HTML_FILE,
    help="Also write the parts as one offline HTML page.",
)
def diff(
    old: str,
    new: str,
    store_path: str,
    parts: tuple[str, ...],
    fmt: str,
    workbook: str | None,
    report_path: str | None,
) -> None:
    """What changed between two versions of one town's list: OLD and NEW are list files, store
    files holding one list, or list ids in the store.

    matters: added, removed, renamed (with the score), changed; duties: added, removed,
    changed ([-removed-]{+added+}); handoffs: gained and lost, and the feedback loop each
    closes or opens; loops: the (matter, department) loops that close or open.
    """
    from .diff import diff_tables, read_version, towns_differ

    store = open_store(store_path)
    versions = read_version(old, store), read_version(new, store)
    towns = towns_differ(*versions)
    if towns:
        click.echo(
            _(
                "Warning: the two lists are of different towns ({towns}); a diff compares two "
                "versions of one town's list"
            ).format(towns="、".join(towns)),
            err=True,
        )
    result = diff_tables(*versions)
    if workbook:
        import pandas as pd

        from .export import export_diff_workbook

        lists = pd.concat([v["lists"] for v in versions], ignore_index=True)
        click.echo(str(export_diff_workbook(result, lists, workbook)), err=True)
    if report_path:
        from .export import write_text
        from .viz.report import render_diff_report

        click.echo(str(write_text(render_diff_report(result), report_path)), err=True)
    if fmt == "table":
        emit_note(f"== {result.old_list} -> {result.new_list}\n")
    frames = {name: getattr(result, name) for name in DIFF_PARTS}
    _emit_parts(frames, _DIFF_TITLES, parts or DIFF_PARTS, fmt)


# -- viz and export ---------------------------------------------------------------------------
class _RegistryOrder(click.Group):
    """A group whose ``--help`` lists its subcommands in the order they were added (a
    registry's order) rather than alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@cli.group(cls=_RegistryOrder)
def viz() -> None:
    """Draw an interactive diagram as one offline HTML file and print its path (docs/viz.md).

    With several towns, matter N draws one panel per town and department NAME the towns it
    works with; district draws the towns and their departments by level; province (and
    overview when the lists span several districts) folds each district into one node.
    """


def _view_command(view: Any) -> click.Command:
    """``dutygraph viz NAME [TARGET]``: one view of ``viz.registry.VIEWS`` and the options every
    view takes."""

    def run(
        target: str | None = None,
        *,
        store_path: str,
        list_selector: Selection,
        output: str | None,
        open_page: bool,
        dim_unreviewed: bool,
    ) -> None:
        import re
        import webbrowser

        from .viz.render import save_html
        from .viz.views import render_view

        graph = _query_graph(store_path, list_selector)
        html = render_view(graph, view.name, target, dim_unreviewed=dim_unreviewed)
        stem = f"{view.name}-{target}" if target else view.name
        default = re.sub(r'[\\/:*?"<>|\s]+', "-", stem) + ".html"
        path = save_html(html, output or default)
        click.echo(str(path))
        if open_page:
            webbrowser.open(path.resolve().as_uri())

    command: Any = click.option(
        "--dim-unreviewed",
        is_flag=True,
        help="Draw the handoffs no analyst has reviewed (机器抽取) faded and dashed.",
    )(run)
    command = click.option(
        "--open", "open_page", is_flag=True, help="Open the page in the default browser."
    )(command)
    command = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        callback=_HTML_FILE,
        help="The HTML file to write.  [default: VIEW[-TARGET].html]",
    )(command)
    command = store_option(list_option(command))
    if view.target:
        command = click.argument("target", metavar=view.target)(command)
    return click.command(view.name, help=view.summary)(command)


def _register_views() -> None:
    from .viz.registry import VIEWS

    for view in VIEWS.values():
        viz.add_command(_view_command(view))


_register_views()


#: What ``dutygraph export`` writes; the file's suffix does not choose the format.
EXPORT_FORMATS = ("xlsx", "graphml", "gexf", "cypher")


@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The file to write."
)
@store_option
@list_option
@click.option(
    "--constraints",
    is_flag=True,
    help="cypher: start with Neo4j 5 uniqueness constraints (not for FalkorDB).",
)
def export(
    fmt: str, output: str, store_path: str, list_selector: Selection, constraints: bool
) -> None:
    """Write the chosen lists as FORMAT (xlsx, graphml, gexf or cypher) and print the path.

    xlsx: a sheet per table and per question; graphml, gexf: the graph for Gephi; cypher: a
    script of idempotent MERGE statements for cypher-shell (docs/export.md).
    """
    from .export import export_cypher, export_graph, export_workbook

    check_output(output, (f".{fmt}",))
    if fmt == "xlsx":
        store = open_store(store_path)
        path = export_workbook(store, store.resolve_lists(list_selector), output)
    elif fmt == "cypher":
        path = export_cypher(
            _query_graph(store_path, list_selector), output, constraints=constraints
        )
    else:
        path = export_graph(_query_graph(store_path, list_selector), output, fmt)
    click.echo(str(path))


@cli.command()
@click.option(
    "-o", "--output", type=_FILE, required=True, callback=_HTML_FILE, help="The HTML file to write."
)
@store_option
@list_option
def report(output: str, store_path: str, list_selector: Selection) -> None:
    """Write one printable, offline HTML report of the chosen lists and print its path."""
    from .export import write_text
    from .viz.report import render_report

    store = open_store(store_path)
    click.echo(str(write_text(render_report(store, store.resolve_lists(list_selector)), output)))


@cli.command()
@click.option("--towns", type=click.IntRange(min=1), required=True, help="How many lists.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same seed, the same files."
)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False), required=True, help="The folder to write."
)
@click.option(
    "--matters",
    type=click.IntRange(min=1),
    default=69,
    show_default=True,
    help="Mean matters per list (the reference list has 69).",
)
@click.option(
    "--template",
    "templates",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="A text list to draw matters from (repeatable) [default: data/ and the fixtures].",
)
def synth(towns: int, seed: int, output: str, matters: int, templates: tuple[str, ...]) -> None:
    """Write synthetic lists (real matters, varied wording and layout) for benchmarks.

    Files go to OUTPUT/province/city/district/town.txt, with OUTPUT/manifest.csv.
    """
    from .synth import synthesize

    written = synthesize(towns, seed=seed, out_dir=output, matters=matters, templates=templates)
    districts = len({(s.city, s.district) for s in written})
    click.echo(
        _("wrote {lists} lists in {districts} districts ({matters} matters) -> {output}").format(
            lists=len(written),
            districts=districts,
            matters=sum(s.matters for s in written),
            output=output,
        )
    )


def main() -> None:
    cli(prog_name="dutygraph")


if __name__ == "__main__":  # pragma: no cover
    main()
