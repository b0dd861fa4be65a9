"""Messages in the analyst's language: Chinese by default, English on request (gettext).

Source strings are English and marked ``_("…")`` (or ``N_("…")`` where the translation happens
later); the zh_CN catalogue is ``dutygraph/locale/zh_CN/LC_MESSAGES/dutygraph.po``, compiled to
the ``.mo`` beside it (``make messages`` extracts with Babel, updates and compiles). The
language is read at every call, so one process can switch: ``$DUTYGRAPH_LANG`` first (``en``,
``zh_CN``), then the locale (``$LANGUAGE``, ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG``), and
Chinese when neither names a language (unset, ``C``, ``POSIX``).

Headings and the labels of codes (handoff types, guarantee kinds) are data, not sentences:
they live in ``dutygraph/vocab/headings.csv`` and ``dutygraph/vocab/labels.csv`` with both
languages side by side (see :func:`heading` and :func:`label`).

>>> import os
>>> os.environ["DUTYGRAPH_LANG"] = "en"
>>> gettext("Error: {message}"), heading("matters_led"), label("type", "escalates_to")
('Error: {message}', 'matters led', 'escalates to')
>>> os.environ["DUTYGRAPH_LANG"] = "zh_CN"
>>> gettext("Error: {message}"), heading("matters_led"), label("type", "escalates_to")
('错误：{message}', '牵头事项数', '提级上报')
>>> del os.environ["DUTYGRAPH_LANG"]
"""

from __future__ import annotations

import csv
import gettext as _gettext
import inspect
import io
import os
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "CODE_COLUMNS",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "column_fit",
    "current_language",
    "gettext",
    "heading",
    "install_click",
    "label",
    "label_codes",
    "label_text",
    "labelled",
    "localize_commands",
    "ngettext",
    "place",
    "rule_in_words",
]

DOMAIN = "dutygraph"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The languages dutygraph speaks; the first is the default.
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
_NO_LANGUAGE = {"", "C", "POSIX"}


def current_language() -> str:
    """``zh_CN`` or ``en``: from ``$DUTYGRAPH_LANG``, else the locale, else ``zh_CN``.

    >>> os.environ["DUTYGRAPH_LANG"] = "en_GB.UTF-8"; current_language()
    'en'
    >>> del os.environ["DUTYGRAPH_LANG"]
    """
    for variable in ("DUTYGRAPH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").split(":")[0]
        code = re.split(r"[._@]", value)[0] if value else ""
        if value.split(".")[0] in _NO_LANGUAGE or not code:
            continue
        return "zh_CN" if code.lower().startswith("zh") else "en"
    return LANGUAGES[0]


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return _translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return _translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for extraction; it is translated where it is shown."""
    return message


#: Places in the documents as the readers and the checks name them, and how each reads.
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bthe title line\b"), N_("the title line")),
    (re.compile(r"\bline (\d+)"), N_("line {0}")),
    (re.compile(r"\bcell (\d+)"), N_("cell {0}")),
    (re.compile(r"\bcell ([A-Z]+\d+)"), N_("spreadsheet cell {0}")),  # a workbook's F2
    (re.compile(r"\brow (\d+)"), N_("row {0}")),
    (re.compile(r"\bbyte (\d+)"), N_("byte {0}")),
    (re.compile(r"\bmatter (\d+)"), N_("matter {0}")),
    (re.compile(r"^category (\S+)"), N_("category {0}")),
    (re.compile(r"\bsheet ([^,]+)"), N_("sheet {0}")),
    (re.compile(r"\bpage (\d+)"), N_("page {0}")),
    (re.compile(r"\btable (\d+)"), N_("table {0}")),
)


def _replacer(template: str) -> Callable[[re.Match[str]], str]:
    return lambda match: template.format(*match.groups())


def place(where: str | None) -> str | None:
    """A place (``matter 38 (line 77)``, ``line 5, cell 3``) in the current language.

    >>> os.environ["DUTYGRAPH_LANG"] = "zh_CN"
    >>> place("matter 38 (line 77)"), place("line 5, cell 3"), place("sheet 清单1, cell F2")
    ('事项 38（第 77 行）', '第 5 行，第 3 格', '工作表 清单1，单元格 F2')
    >>> del os.environ["DUTYGRAPH_LANG"]
    """
    if not where or current_language() == "en":
        return where
    for pattern, message in _PLACES:
        where = pattern.sub(_replacer(gettext(message)), where)
    return where.replace(" (", "（").replace(")", "）").replace(", ", "，")


# -- headings and code labels (data files) --------------------------------------------------------
@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    text = (resources.files("dutygraph") / "vocab" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(csv.DictReader(io.StringIO("\n".join(lines))))


def _column_of(language: str) -> str:
    return "zh_CN" if language.startswith("zh") else "en"


@cache
def _headings(language: str) -> dict[str, str]:
    return {row["column"]: row[language] for row in _rows("headings.csv") if row[language]}


@cache
def _labels(language: str) -> dict[tuple[str, str], str]:
    return {(row["field"], row["code"]): row[language] for row in _rows("labels.csv")}


def heading(column: str, table: str | None = None, language: str | None = None) -> str:
    """The heading of a column in tables, workbooks and reports (``table.column`` first, for a
    column that means something else in one table); the column's name when none is known."""
    headings = _headings(_column_of(language or current_language()))
    return headings.get(f"{table}.{column}") or headings.get(column, column)


@cache
def _fits() -> dict[str, str]:
    return {row["column"]: row.get("fit") or "" for row in _rows("headings.csv")}


def column_fit(column: str) -> str:
    """How a column gives way in a table too wide for the terminal (``headings.csv``'s ``fit``):
    ``whole``, ``text``, ``minor`` or ``""`` (in between)."""
    return _fits().get(column, "")


def label(field: str, code: str, language: str | None = None) -> str:
    """How a code of ``field`` (``type``, ``kinds``, ``severity``, ``actor``) reads; the code
    itself when unknown."""
    return _labels(_column_of(language or current_language())).get((field, code), code)


def label_codes(field: str) -> tuple[str, ...]:
    """The codes ``labels.csv`` names for ``field``, in file order."""
    return tuple(row["code"] for row in _rows("labels.csv") if row["field"] == field)


#: Columns whose cells hold a code, or codes joined by ``,`` ``+`` `` -> ``, of a labels field.
CODE_COLUMNS: dict[str, str] = {
    "type": "type",
    "types": "type",
    "sent": "type",
    "kinds": "kinds",
    "severity": "severity",
    "how": "how",
    "reason": "reason",
    "owner_kind": "actor",
    "src_kind": "actor",
    "dst_kind": "actor",
    "status": "status",
    "change": "change",
    "loop": "loop",
    "chain_kind": "chain_kind",
    "sent_class": "sent_class",
    "side": "side",
    "verb_class": "verb_class",
}
_CODE = re.compile(r"[a-z][a-z_]*")
#: Columns holding a yes/no (1/0, True/False): shown as the ``yesno`` labels (是/否).
YES_NO_COLUMNS = ("in_vocabulary",)


def label_text(field: str, text: str, language: str | None = None) -> str:
    """Every code in ``text`` replaced by its label (lists joined by 、 in Chinese).

    >>> label_text("type", "reports_to+escalates_to -> escalates_to", "zh_CN")
    '上报+提级上报 -> 提级上报'
    >>> label_text("kinds", "guidance,training", "zh_CN")
    '业务指导、培训'
    """
    lang = language or current_language()
    out = _CODE.sub(lambda m: label(field, m.group(0), lang), text)
    return out.replace(",", "、") if _column_of(lang) == "zh_CN" else out.replace(",", ", ")


def labelled(frame: Any, language: str | None = None) -> Any:
    """A copy of a DataFrame with the codes of :data:`CODE_COLUMNS` shown as labels (for tables,
    workbooks and reports; CSV and JSON keep the codes)."""
    out = frame.copy()
    for column, field in CODE_COLUMNS.items():
        if column in out.columns:
            out[column] = [
                label_text(field, v, language) if isinstance(v, str) else v for v in out[column]
            ]
    for column in YES_NO_COLUMNS:
        if column in out.columns:
            out[column] = [
                v if v is None or v != v else label("yesno", "yes" if v else "no", language)
                for v in out[column]
            ]
    return out


_RULE = re.compile(r"^(?P<frame>\S+) \((?P<verb_class>\S+) (?P<verb>.+), (?P<reading>\S+)\)$")


def rule_in_words(rule: object) -> str:
    """A handoff's stored rule (``town-up (report 上报, bare)``: the frame, the verb's class, the
    verb, how it was read) in the user's language; any other text as it is.

    >>> os.environ["DUTYGRAPH_LANG"] = "zh_CN"; rule_in_words("town-up (report 上报, bare)")
    '规则 town-up：上报类动词“上报”，未写接收方'
    >>> del os.environ["DUTYGRAPH_LANG"]
    """
    text = "" if rule is None else str(rule)
    found = _RULE.match(text)
    if not found:
        return text
    return gettext("rule {frame}: {verb_class} verb “{verb}”, {reading}").format(
        frame=found["frame"],
        verb_class=label("verb_class", found["verb_class"]),
        verb=found["verb"],
        reading=label("reading", found["reading"]),
    )


# -- click --------------------------------------------------------------------------------------
def install_click() -> None:
    """Route click's own messages (``Usage:``, ``Error:``, ``Missing argument`` …) through
    dutygraph's catalogue. Called when the command line starts, after the commands are defined
    (so their English texts are kept as the message ids)."""
    import click

    for module_name in (
        "core",
        "decorators",
        "exceptions",
        "formatting",
        "parser",
        "termui",
        "types",
        "utils",
        "shell_completion",
    ):
        module = getattr(click, module_name, None)
        if module is None:
            continue
        if getattr(module, "_", None) in (_gettext.gettext, gettext):
            module._ = gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) in (_gettext.ngettext, ngettext):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    click.Context.formatter_class = _help_formatter()


@cache
def _help_formatter() -> type[Any]:
    """click's help formatter with the headings' colon of the language (``选项：``, as
    ``用法：``; click writes an ASCII ``:`` after every heading)."""
    import click

    class HelpFormatter(click.HelpFormatter):
        def write_heading(self, heading: str) -> None:
            line = gettext("{heading}:").format(heading=heading)
            self.write(f"{'':>{self.current_indent}}{line}\n")

    return HelpFormatter


_SOURCE_TEXTS: dict[int, dict[str, str]] = {}


def localize_commands(command: Any) -> None:
    """Translate the help of ``command``, its options and its subcommands into the current
    language; the English texts are kept as message ids, so this can run again and again."""
    for obj, attrs in _help_holders(command):
        if getattr(obj, "_help_option", None) is not None:
            obj._help_option = None  # click caches --help with its text; made again, translated
        originals = _SOURCE_TEXTS.setdefault(id(obj), {a: getattr(obj, a) for a in attrs})
        for attr, text in originals.items():
            if isinstance(text, str) and text:  # show_default may be True
                setattr(obj, attr, gettext(inspect.cleandoc(text)))
    for param in _params(command):
        _localize_type_name(param)


def _params(command: Any) -> list[Any]:
    params = list(command.params)
    for sub in getattr(command, "commands", {}).values():
        params += _params(sub)
    return params


#: The parameter types whose name click's errors show (``'abc' is not a valid integer
#: range``, ``File 'x' is a directory``): named in the user's language.
_NAMED_TYPES = ("Path", "IntParamType", "IntRange", "FloatParamType", "FloatRange")


def _localize_type_name(param: Any) -> None:
    """A parameter type names itself in click's errors with the name it was given when the
    command was defined, before the language was known (``file``, ``integer range``): named
    again here (the msgids ``file``, ``integer range`` … of the catalogue). The option's
    metavar (``FILE``, ``INTEGER RANGE``) stays English, as written in the help."""
    kind = param.type
    if type(kind).__name__ not in _NAMED_TYPES:
        return
    original = _SOURCE_TEXTS.setdefault(id(kind), {})
    if "name" not in original:
        original["name"] = kind.name
    if param.param_type_name == "option" and param.metavar is None:
        param.metavar = original["name"].upper()
    kind.name = gettext(original["name"])


def _help_holders(command: Any) -> list[tuple[Any, tuple[str, ...]]]:
    holders: list[tuple[Any, tuple[str, ...]]] = [(command, ("help", "short_help", "epilog"))]
    holders += [
        (p, tuple(a for a in ("help", "show_default") if hasattr(p, a)))
        for p in command.params
        if hasattr(p, "help")
    ]
    for sub in getattr(command, "commands", {}).values():
        holders += _help_holders(sub)
    return holders


def click_texts(command: Any) -> list[str]:
    """Every help text of ``command`` and below, as message ids (for extraction)."""
    texts = []
    for obj, attrs in _help_holders(command):
        originals = _SOURCE_TEXTS.get(id(obj), {a: getattr(obj, a) for a in attrs})
        texts += [inspect.cleandoc(t) for t in originals.values() if isinstance(t, str) and t]
    return list(dict.fromkeys(texts))


def extract_cli(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """A Babel extractor for ``cli.py``: its ``_()`` calls, then every command's help texts
    (docstrings and ``help=``), which Babel's Python extractor does not see."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    from .cli import cli

    for text in click_texts(cli):
        yield 0, None, text, ["command-line help"]
