"""What may reach a Cypher server: parameter values checked (and escaped for FalkorDB), and
queries refused before sending when they would write.

Parameters. Every server gets only values the Bolt driver can send exactly: JSON-like values
(``None``, bool, int in 64 bits, float, str, list, map with str keys), no lone surrogate in a
string, nesting at most ``MAX_PARAMETER_DEPTH`` deep. FalkorDB's Bolt endpoint (4.16) does not
bind parameters: it writes them into the query text as Cypher literals, pasting strings between
single quotes and map keys as they are, and floats with ``%f``. So on FalkorDB
:func:`falkordb_parameters` also escapes ``\\`` and ``'`` in every string at every depth, writes
every map key between backquotes, and refuses what that text cannot carry exactly: a key with a
backquote (FalkorDB knows no escape for it), a NUL character (it ends the string there), a float
that ``%f`` does not give back (more than 6 decimals), NaN and infinity.

>>> falkordb_parameters({"m": {"k: 1} MATCH (n) DETACH DELETE n //": "it's"}})
{'m': {'`k: 1} MATCH (n) DETACH DELETE n //`': "it\\\\'s"}}
>>> falkordb_parameters({"x": 0.1234567})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dutygraph.errors.QueryRefusedError: 参数 x：FalkorDB 无法准确表示浮点数 0.1234567...

Writes. :func:`refuse_writes` reads the query with a small Cypher tokeniser (strings with
backslash escapes, backquoted names, ``//`` and ``/* */`` comments) and refuses an updating
clause (the words in ``vocab/cypher_readonly.yaml``) or a ``CALL`` of a procedure that is not
listed there as read-only. Neo4j also refuses writes itself in a read transaction; FalkorDB
ignores the access mode, so this check is what keeps ``dutygraph cypher`` read-only there.

>>> refuse_writes("MATCH (n {name: 'CREATE'}) RETURN n.set AS `DELETE` // MERGE")
>>> refuse_writes("MATCH (n)\\nDETACH DELETE n")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dutygraph.errors.QueryRefusedError: ...第 2 行第 1 列的 DETACH DELETE 会写入图数据库，已拒绝
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import messages as msg
from ..errors import QueryRefusedError

__all__ = [
    "MAX_PARAMETER_DEPTH",
    "Token",
    "check_parameters",
    "falkordb_parameters",
    "refuse_writes",
    "tokens",
]

#: The deepest nesting of lists and maps a parameter value may have (a JSON value deeper than
#: this is not a query parameter but an attack on a recursive parser).
MAX_PARAMETER_DEPTH = 32
_INT64 = (-(2**63), 2**63 - 1)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


# -- parameters ------------------------------------------------------------------------------------
def check_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as they are, once every value is one any Bolt server receives exactly.

    Raises ``QueryRefusedError`` (one line naming the parameter and the path inside it).
    """
    return {name: _walk(value, str(name), 0, falkordb=False) for name, value in params.items()}


def falkordb_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters escaped for FalkorDB's Bolt endpoint, which pastes them into the query.

    Names must be plain Cypher names; see the module docstring for what is escaped or refused.
    """
    out: dict[str, Any] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise QueryRefusedError(msg.PARAM_NAME.format(name=name))
        out[name] = _walk(value, name, 0, falkordb=True)
    return out


def _walk(value: Any, where: str, depth: int, *, falkordb: bool) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise QueryRefusedError(msg.PARAM_INT_RANGE.format(where=where, value=value))
        return value
    if isinstance(value, float):
        return _float(value, where) if falkordb else value
    if isinstance(value, str):
        return _text(value, where, falkordb=falkordb)
    if isinstance(value, (list, tuple, dict)) and depth >= MAX_PARAMETER_DEPTH:
        raise QueryRefusedError(msg.PARAM_DEPTH.format(where=where, cap=MAX_PARAMETER_DEPTH))
    if isinstance(value, (list, tuple)):
        return [
            _walk(v, f"{where}[{i}]", depth + 1, falkordb=falkordb) for i, v in enumerate(value)
        ]
    if isinstance(value, dict):
        return {
            _key(k, where, falkordb=falkordb): _walk(
                v, f"{where}.{k}", depth + 1, falkordb=falkordb
            )
            for k, v in value.items()
        }
    raise QueryRefusedError(msg.PARAM_TYPE.format(where=where, type=type(value).__name__))


def _text(value: str, where: str, *, falkordb: bool) -> str:
    surrogate = _SURROGATE.search(value)
    if surrogate:
        raise QueryRefusedError(
            msg.PARAM_SURROGATE.format(where=where, code=ord(surrogate.group()))
        )
    if not falkordb:
        return value
    if "\x00" in value:
        raise QueryRefusedError(msg.PARAM_NUL.format(where=where))
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _key(key: Any, where: str, *, falkordb: bool) -> str:
    if not isinstance(key, str):
        raise QueryRefusedError(msg.PARAM_KEY_TYPE.format(where=where, type=type(key).__name__))
    _text(key, f"{where} 的键 {key!r}", falkordb=False)
    if not falkordb:
        return key
    if "\x00" in key:
        raise QueryRefusedError(msg.PARAM_NUL.format(where=f"{where} 的键 {key!r}"))
    if "`" in key:
        raise QueryRefusedError(msg.PARAM_BACKQUOTE_KEY.format(where=where, key=key))
    return f"`{key}`"


def _float(value: float, where: str) -> float:
    """FalkorDB writes a float with ``%f``: only a value that text gives back is sent."""
    if not math.isfinite(value):
        raise QueryRefusedError(msg.PARAM_NOT_FINITE.format(where=where, value=value))
    if float(f"{value:f}") != value:
        raise QueryRefusedError(msg.PARAM_FLOAT.format(where=where, value=value))
    return value


def falkordb_literal_size(value: Any) -> int:
    """About how many bytes of Cypher literal FalkorDB makes of an (escaped) value.

    >>> falkordb_literal_size({"`a`": [1.5, "x"]})
    22
    """
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return len(f"{value:f}")
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass")) + 2
    if isinstance(value, dict):
        inner = sum(len(str(k).encode()) + 2 + falkordb_literal_size(v) for k, v in value.items())
        return inner + 2 * max(1, len(value))
    if isinstance(value, (list, tuple)):
        return sum(falkordb_literal_size(v) for v in value) + 2 * max(1, len(value))
    return len(str(value))


# -- read-only queries -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    """One token of a Cypher text: its kind, text and where it starts (1-based)."""

    kind: str  # word | name (backquoted) | string | param | punct | number
    text: str
    line: int
    column: int


_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\d[\w.]*")
_SPACE = re.compile(r"\s+")


def tokens(cypher: str) -> Iterator[Token]:
    """The tokens of a Cypher text, comments and white space left out.

    >>> [t.text for t in tokens("MATCH (n:`A b`) /* x */ RETURN 'it\\\\'s' // end")]
    ['MATCH', '(', 'n', ':', 'A b', ')', 'RETURN', "it\\\\'s"]
    """
    pos, n = 0, len(cypher)
    while pos < n:
        start = pos
        ch = cypher[pos]
        space = _SPACE.match(cypher, pos)
        if space:
            pos = space.end()
            continue
        if cypher.startswith("//", pos):
            end = cypher.find("\n", pos)
            pos = n if end == -1 else end + 1
            continue
        if cypher.startswith("/*", pos):
            end = cypher.find("*/", pos + 2)
            if end == -1:
                raise _unterminated(cypher, start, "注释")
            pos = end + 2
            continue
        line, column = _place(cypher, start)
        if ch in "'\"":
            pos = _string_end(cypher, pos)
            yield Token("string", cypher[start + 1 : pos - 1], line, column)
        elif ch == "`":
            end = cypher.find("`", pos + 1)
            if end == -1:
                raise _unterminated(cypher, start, "反引号名称")
            pos = end + 1
            yield Token("name", cypher[start + 1 : end], line, column)
        elif ch == "$":
            word = _WORD.match(cypher, pos + 1) or _NUMBER.match(cypher, pos + 1)
            pos = word.end() if word else pos + 1
            yield Token("param", cypher[start:pos], line, column)
        elif word := _WORD.match(cypher, pos):
            pos = word.end()
            yield Token("word", word.group(), line, column)
        elif number := _NUMBER.match(cypher, pos):
            pos = number.end()
            yield Token("number", number.group(), line, column)
        else:
            pos += 1
            yield Token("punct", ch, line, column)


def _string_end(cypher: str, pos: int) -> int:
    """The index after the string that starts at ``pos`` (a backslash escapes the next
    character, as on Neo4j and FalkorDB)."""
    quote, i = cypher[pos], pos + 1
    while i < len(cypher):
        if cypher[i] == "\\":
            i += 2
            continue
        if cypher[i] == quote:
            return i + 1
        i += 1
    raise _unterminated(cypher, pos, "字符串")


def _place(cypher: str, pos: int) -> tuple[int, int]:
    line = cypher.count("\n", 0, pos) + 1
    return line, pos - (cypher.rfind("\n", 0, pos) + 1) + 1


def _unterminated(cypher: str, pos: int, what: str) -> QueryRefusedError:
    line, column = _place(cypher, pos)
    return QueryRefusedError(msg.CYPHER_UNTERMINATED.format(line=line, column=column, what=what))


@cache
def _readonly_vocabulary() -> tuple[frozenset[str], tuple[str, ...]]:
    """The updating words and the read-only procedures (names or ``prefix.*``), lower case."""
    from importlib import resources

    import yaml

    text = resources.files("dutygraph").joinpath("vocab/cypher_readonly.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    words = frozenset(w.lower() for w in data["updating_words"])
    procedures = tuple(p.lower() for p in data["read_only_procedures"])
    return words, procedures


def refuse_writes(cypher: str) -> None:
    """Raise ``QueryRefusedError`` when ``cypher`` has an updating clause or calls a procedure
    not known to be read-only. Words used as names (``n.set``, ``:Create``, ``{merge: 1}``,
    ``$delete``, backquoted) are names, not clauses."""
    words, procedures = _readonly_vocabulary()
    toks = list(tokens(cypher))
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        previous = toks[i - 1].text if i and toks[i - 1].kind == "punct" else ""
        following = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].kind == "punct" else ""
        if previous in (".", ":") or following == ":":
            continue  # a property, a label or type, a map key
        word = tok.text.lower()
        if word in words:
            clause = tok.text.upper()
            if word == "detach" and i + 1 < len(toks):
                clause += " " + toks[i + 1].text.upper()
            raise QueryRefusedError(
                msg.CYPHER_WRITE.format(line=tok.line, column=tok.column, clause=clause)
            )
        if word == "call" and following != "{":
            name = _procedure_name(toks, i + 1)
            if not _read_only(name.lower(), procedures):
                raise QueryRefusedError(
                    msg.CYPHER_WRITE_PROCEDURE.format(line=tok.line, column=tok.column, name=name)
                )


def _procedure_name(toks: list[Token], i: int) -> str:
    parts: list[str] = []
    while i < len(toks) and toks[i].kind in ("word", "name"):
        parts.append(toks[i].text)
        if i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].kind == "punct":
            i += 2
            continue
        break
    return ".".join(parts) or "?"


def _read_only(name: str, procedures: tuple[str, ...]) -> bool:
    for allowed in procedures:
        if allowed.endswith(".*") and name.startswith(allowed[:-1]):
            return True
        if name == allowed:
            return True
    return False
