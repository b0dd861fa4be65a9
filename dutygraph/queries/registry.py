"""The record each analyst question registers itself with, and the registry of all of them.

A question module (``queries/<name>.py``) ends with one ``QUESTION = Question(...)``: its name
as the CLI spells it, its title and one-line explanation (English msgids that the workbook and
the report show in the current language), its columns, its networkx function and Cypher twin,
its options and positional arguments, and the Cypher statements the twin sends.
``dutygraph.queries`` finds every module that defines ``QUESTION``; the CLI makes one
``dutygraph query`` subcommand of each, the workbook and the report a sheet and a section of
each that needs no argument, and the tests iterate them. A new question is one new module,
its docs and its tests.

>>> option = Option("cutoff", "The longest chain followed, in hops.", 6, minimum=1, maximum=32)
>>> option.flag
'--cutoff'
>>> option.parse("5")
5
>>> Option("strong_kinds", "Kinds.", ("funding",), kind="words").parse("a, b,")
('a', 'b')
>>> Option("kind", "Kind.", None, kind="text", choices=("x", "y"), check=str.upper).parse("y")
'Y'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DUTY_COUNTS", "HANDOFF_TABLES", "Option", "Question"]

#: What a question reads of the store, table -> columns (None: all), so that its graph is built
#: without the duty texts, the categories and the tables it never looks at (at a province's
#: 1,500 lists the duty rows are most of the store). A test checks that each question answers on
#: the graph of what it reads exactly as on the whole graph. The handoffs and what names them:
HANDOFF_TABLES: dict[str, tuple[str, ...] | None] = dict.fromkeys(
    ("lists", "matters", "departments", "handoffs")
)
#: The duties' columns that counting them needs (not their text).
DUTY_COUNTS = ("list_id", "duty_id", "matter_id", "matter", "owner", "owner_kind", "number")


@dataclass(frozen=True)
class Option:
    """One keyword option of a question, the same for its networkx function and Cypher twin.

    ``kind``: ``int`` (with ``minimum``/``maximum``), ``flag`` (a boolean switch),
    ``words`` (comma-separated on the command line, a tuple of strings for the functions) or
    ``text`` (one value; ``None``, the default, for none). ``choices``: the codes a ``text`` or
    ``words`` option takes (for ``--help`` and for the tests, which try each); ``check``: what
    reads one written value into its code (``check("市级")`` -> ``"市"``), raising
    ``DutygraphError`` for a value it does not take; the functions read their options with the
    same ``check``, so it only makes the command line fail before the question is asked.
    ``field``: where the choices' labels are (``--help`` shows them in Chinese).
    """

    name: str  # the keyword both functions take
    help: str
    default: Any
    kind: Literal["int", "flag", "words", "text"] = "int"
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[str], Any] | None = None
    #: the labels.csv field naming the choices (``chain_kind``), when they are codes
    field: str | None = None

    @property
    def flag(self) -> str:
        """The command-line spelling: ``min_hops`` -> ``--min-hops``."""
        return "--" + self.name.replace("_", "-")

    def parse(self, text: str) -> Any:
        """A command-line value as the functions take it."""
        if self.kind == "words":
            words = tuple(word.strip() for word in text.split(",") if word.strip())
            return tuple(self.check(w) for w in words) if self.check else words
        if self.kind == "text":
            return self.check(text) if self.check else text
        if self.kind == "flag":
            return text.lower() in ("1", "true", "yes")
        return int(text)


@dataclass(frozen=True)
class Question:
    """An analyst question: what it is called, what it returns, and how it is answered."""

    name: str  # as ``dutygraph query NAME`` spells it
    title: str  # the title of its sheet and section (English msgid; shown through gettext)
    explanation: str  # one sentence under the title (English msgid, like the title)
    summary: str  # one English line for ``--help``
    columns: tuple[str, ...]
    function: Callable[..., pd.DataFrame]  # (graph, *arguments, **options)
    cypher: Callable[..., pd.DataFrame]  # (driver, *arguments, database, list_ids, **options)
    #: The Cypher statements the twin sends, given the options (hop bounds filled in).
    statements: Callable[..., list[str]]
    #: What it reads of the store: table -> columns (None: all); see HANDOFF_TABLES.
    reads: Mapping[str, tuple[str, ...] | None] = field(default_factory=lambda: HANDOFF_TABLES)
    options: tuple[Option, ...] = ()
    arguments: tuple[str, ...] = ()  # positional arguments (``path A B``)
    rank: int = 100  # order in the workbook, the report and ``--help``

    @property
    def in_reports(self) -> bool:
        """Whether the workbook and the report answer it (it needs no argument)."""
        return not self.arguments

    def defaults(self) -> dict[str, Any]:
        """The default options, as the CLI passes them."""
        return {option.name: option.default for option in self.options}

    def answer(self, graph: Any, *arguments: Any, **options: Any) -> pd.DataFrame:
        """The networkx answer, with the defaults for the options not given."""
        return self.function(graph, *arguments, **{**self.defaults(), **options})

    def cypher_statements(self, **options: Any) -> list[str]:
        """The Cypher the twin sends with these options (defaults for the others)."""
        return self.statements(**{**self.defaults(), **options})


def ordered(questions: Sequence[Question]) -> dict[str, Question]:
    """Questions by name, in rank order (then by name); two with one name are an error."""
    by_name: dict[str, Question] = {}
    for question in sorted(questions, key=lambda q: (q.rank, q.name)):
        if question.name in by_name:
            raise ValueError(f"two questions are named {question.name!r}")
        by_name[question.name] = question
    return by_name
