"""One way to name things: a department (or any actor), a list or a matter, as analysts write it.

Every command that takes a name goes through :func:`resolve`: the exact name first, then an
alias (``departments.csv``), then a short form (the name or an alias without its level prefix:
``住建局`` for ``区住建局``), then a unique part of a name (``住房和城乡建设``). When a step finds
several, a name written without a level prefix means the district tier (区/县/旗), the bureau
that faces the town: ``住建局`` is ``区住房和城乡建设局``, ``市住建局`` the city's. Several left,
or none found, is an :class:`~dutygraph.errors.UnknownNameError` that lists the candidates.

>>> from dutygraph.vocabulary import Vocabulary
>>> directory = Vocabulary.load().departments
>>> names = ["区住房和城乡建设局", "市住房和城乡建设局", "区民政局"]
>>> [resolve(w, names, directory=directory) for w in ("住建局", "区住建局", "住房和城乡建设")]
['区住房和城乡建设局', '区住房和城乡建设局', '区住房和城乡建设局']
>>> resolve("市住房", names, directory=directory)
'市住房和城乡建设局'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from .errors import UnknownMatterError, UnknownNameError
from .i18n import gettext as _
from .vocabulary import DepartmentDirectory, compact

__all__ = ["resolve", "resolve_matter", "short_form"]

#: The tier a name without a level prefix means (the district's bureaus face the town).
_DEFAULT_LEVEL = "区"


def short_form(name: str, directory: DepartmentDirectory | None) -> str:
    """A name without its level prefix (``区住建局`` -> ``住建局``); the name if it has none.

    >>> short_form("区住建局", None), short_form("卜尔汉图镇", None)
    ('住建局', '卜尔汉图镇')
    """
    prefixes = directory.levels_by_prefix if directory else ("区", "县", "旗", "市", "省")
    for prefix in sorted(prefixes, key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix) :]
    return name


def resolve(
    written: str,
    names: Iterable[str],
    *,
    directory: DepartmentDirectory | None = None,
    what: str | None = None,
) -> str:
    """The one name of ``names`` that ``written`` stands for.

    Parameters
    ----------
    written : str
        As the analyst typed it.
    names : iterable of str
        The names it may stand for (the departments of the chosen lists, the actors of a graph).
    directory : DepartmentDirectory, optional
        For aliases, levels and level prefixes (``Vocabulary.load().departments``).
    what : str, optional
        What is named, for the error (default: "name").

    Raises
    ------
    UnknownNameError
        No name, or several, match; the message lists the candidates.
    """
    pool = list(dict.fromkeys(str(n) for n in names))
    key = compact(written)
    for step in _steps(key, directory):
        found = [n for n in pool if step(n)]
        if len(found) > 1:
            found = _prefer_district(key, found, directory)
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownNameError(
                _("{what} {written!r} matches {count}: {names}; give more of the name").format(
                    what=what or _("name"),
                    written=written,
                    count=len(found),
                    names="、".join(sorted(found)),
                ),
                ambiguous=True,
            )
    near = difflib.get_close_matches(key, pool, n=5, cutoff=0.3) or sorted(pool)[:8]
    raise UnknownNameError(
        _("no {what} named {written!r}; did you mean: {names}").format(
            what=what or _("name"), written=written, names="、".join(near)
        )
    )


def _steps(key: str, directory: DepartmentDirectory | None) -> list[Callable[[str], bool]]:
    """The matching steps, in order: exact, alias, short form, unique part."""
    canonical = (directory.aliases.get(key) if directory else None) or ""

    def aliases_of(name: str) -> set[str]:
        if directory is None:
            return {compact(name)}
        target = directory.aliases.get(compact(name), compact(name))
        return {a for a, n in directory.aliases.items() if n == target} | {compact(name)}

    def short_forms(name: str) -> set[str]:
        return {short_form(a, directory) for a in aliases_of(name)}

    return [
        lambda name: compact(name) == key,
        lambda name: bool(canonical) and compact(name) == canonical,
        lambda name: key in short_forms(name),
        lambda name: any(key in a for a in aliases_of(name)),
    ]


def _prefer_district(
    key: str, found: Sequence[str], directory: DepartmentDirectory | None
) -> list[str]:
    """Of several matches, the district tier's when the written name has no level prefix."""
    if directory is None or short_form(key, directory) != key:
        return list(found)
    district = [n for n in found if directory.resolve(n).level == _DEFAULT_LEVEL]
    return district if len(district) == 1 else list(found)


def resolve_matter(written: str | int, matters: pd.DataFrame) -> int:
    """The matter number (序号) ``written`` stands for: a number the chosen lists hold, or the
    name (exact, or a unique part) of one of their matters.

    ``matters`` is the store's ``matters`` table of the chosen lists.

    >>> frame = pd.DataFrame({"number": [1, 29], "name": ["征兵工作", "大跨度结构建筑安全排查"]})
    >>> resolve_matter("29", frame), resolve_matter("大跨度", frame)
    (29, 29)
    """
    text = str(written).strip()
    numbers = sorted({int(n) for n in matters["number"]})
    if text.isdecimal():  # 29 or ２９; not ² (a digit int() refuses)
        if int(text) in numbers:
            return int(text)
        lists = ", ".join(dict.fromkeys(matters["list_id"])) if "list_id" in matters else ""
        raise UnknownMatterError(
            _("no matter {number} in {lists}").format(number=int(text), lists=lists)
        )
    by_name = dict(zip(matters["name"].astype(str), matters["number"], strict=True))
    name = resolve(text, by_name, what=_("matter"))
    return int(by_name[name])
