"""One way to name things: a department (or any actor), a list or a matter, as analysts write it.

Every command that takes a name goes through :func:`resolve_all` (or :func:`resolve`, which
wants one name): the exact name first, then the same department under another spelling (an
alias of ``departments.csv``, a short form without the level prefix, the county's or the
league's prefix for the district's: ``县住建局`` for ``县住房和城乡建设局``), then a unique part
of a name (``住房和城乡建设``). A name written with a level prefix keeps it; one written without
means the district tier (区/县/旗), the bureau that faces the town, in each list under its own
name (``住建局``: 区住房和城乡建设局, 县住房和城乡建设局 …), never the city's. Names of two
departments, or none, are an :class:`~dutygraph.errors.UnknownNameError` that lists the
candidates; so is an empty name. A matter is resolved in each list on its own
(:func:`resolve_matters`).

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
import re
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from .errors import UnknownMatterError, UnknownNameError
from .i18n import gettext as _
from .vocabulary import DepartmentDirectory, compact

__all__ = ["resolve", "resolve_all", "resolve_matters", "short_form"]

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
    """The one name of ``names`` that ``written`` stands for (:func:`resolve_all`, which must
    find exactly one name).

    Raises
    ------
    UnknownNameError
        No name, or several, match; the message lists the candidates.
    """
    found = resolve_all(written, names, directory=directory, what=what)
    if len(found) > 1:
        raise _ambiguous(written, found, what)
    return found[0]


def resolve_all(
    written: str,
    names: Iterable[str],
    *,
    directory: DepartmentDirectory | None = None,
    what: str | None = None,
) -> list[str]:
    """The names of ``names`` that ``written`` stands for: one name, or one department under
    the names its tier gives it in different lists (``住建局``: 区住房和城乡建设局,
    县住房和城乡建设局 and 旗住房和城乡建设局, each the bureau of its own lists).

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
        An empty name, no name, or names of several departments match; the message lists the
        candidates.

    >>> from dutygraph.vocabulary import Vocabulary
    >>> directory = Vocabulary.load().departments
    >>> pool = ["区住房和城乡建设局", "县住房和城乡建设局", "市住房和城乡建设局"]
    >>> resolve_all("住建局", pool, directory=directory)
    ['区住房和城乡建设局', '县住房和城乡建设局']
    >>> resolve_all("县住建局", pool, directory=directory)
    ['县住房和城乡建设局']
    """
    pool = list(dict.fromkeys(str(n) for n in names))
    key = compact(written)
    if not key:
        raise UnknownNameError(
            _("the {what} is empty; write a name").format(what=what or _("name"))
        )
    for step in _steps(key, directory):
        found = [n for n in pool if step(n)]
        if len(found) > 1 and directory is not None:
            found = _one_department(key, found, directory)
        if found and len({_identity(n, directory) for n in found}) == 1:
            return found
        if found:
            raise _ambiguous(written, found, what)
    near = difflib.get_close_matches(key, pool, n=5, cutoff=0.3) or sorted(pool)[:8]
    raise UnknownNameError(
        _("no {what} named {written!r}; did you mean: {names}").format(
            what=what or _("name"), written=written, names="、".join(near)
        )
    )


def _ambiguous(written: str, found: Sequence[str], what: str | None) -> UnknownNameError:
    return UnknownNameError(
        _("{what} {written!r} matches {count}: {names}; give more of the name").format(
            what=what or _("name"),
            written=written,
            count=len(found),
            names="、".join(sorted(found)),
        ),
        ambiguous=True,
    )


def _standard_prefixes(directory: DepartmentDirectory) -> dict[str, str]:
    """Each tier's first prefix (区 for the district tier, 市 for the city's)."""
    standard: dict[str, str] = {}
    for prefix, level in directory.levels_by_prefix.items():
        standard.setdefault(level, prefix)
    return standard


def _identity(name: str, directory: DepartmentDirectory | None) -> tuple[str | None, str]:
    """(tier, core) of a department name: 县住建局, 旗住房和城乡建设局 and 区住房和城乡建设局
    are all (区, 住房和城乡建设局), 市住建局 is (市, 住房和城乡建设局); a name written without
    a level prefix has no tier (住建局: (None, 住房和城乡建设局)). Names that are no
    department keep their name as the core."""
    key = compact(name)
    if directory is None:
        return None, key
    standard = _standard_prefixes(directory)

    def core(canonical: str) -> str:
        return short_form(canonical, directory)

    known = directory.aliases.get(key)
    if known is not None:
        return directory.canonical[known].level, core(known)
    for prefix in sorted(directory.levels_by_prefix, key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            tier, rest = directory.levels_by_prefix[prefix], key[len(prefix) :]
            known = directory.aliases.get(standard[tier] + rest)
            if known is not None:  # 县住建局: 区住建局 under the county's prefix
                return tier, core(known)
            break
    else:
        tier, rest = None, key
    for prefix in standard.values():  # 住建局, or 市场监管局 (市 is no prefix there)
        known = directory.aliases.get(prefix + key)
        if known is not None:
            return None, core(known)
    return tier, rest


def _steps(key: str, directory: DepartmentDirectory | None) -> list[Callable[[str], bool]]:
    """The matching steps, in order: exact, the same department (alias, short form, another
    county-tier prefix), unique part."""
    tier, core = _identity(key, directory)

    own_prefix = _own_prefix(key, tier, directory)

    def same_department(name: str) -> bool:
        their_tier, their_core = _identity(name, directory)
        if their_core != core or not compact(name).startswith(own_prefix):
            return False
        return their_tier == tier or (tier is None and their_tier in (_DEFAULT_LEVEL, None))

    def aliases_of(name: str) -> set[str]:
        if directory is None:
            return {compact(name)}
        target = directory.aliases.get(compact(name), compact(name))
        return {a for a, n in directory.aliases.items() if n == target} | {compact(name)}

    steps: list[Callable[[str], bool]] = [lambda name: compact(name) == key]
    if directory is None:
        steps.append(lambda name: short_form(compact(name), None) == key)
    else:
        steps.append(same_department)

    def other_tier(name: str) -> bool:  # a bare name never means a city or province bureau
        return (
            tier is None
            and directory is not None
            and _identity(name, directory)[0] not in (_DEFAULT_LEVEL, None)
            and directory.looks_like_department(name)
        )

    steps.append(lambda name: any(key in a for a in aliases_of(name)) and not other_tier(name))
    return steps


def _own_prefix(key: str, tier: str | None, directory: DepartmentDirectory | None) -> str:
    """The level prefix a name is written with, which the names it stands for must keep
    (县住建局: 县, 区住建局: 区), as an exact name keeps it; '' for a name without one."""
    if tier is None or directory is None:
        return ""
    for prefix in sorted(directory.levels_by_prefix, key=len, reverse=True):
        if key.startswith(prefix):
            return prefix
    return ""


def _one_department(key: str, found: Sequence[str], directory: DepartmentDirectory) -> list[str]:
    """Of several matches, those of the district tier (区/县/旗) when the written name has no
    level prefix and some are: a bare name means the bureau that faces the town."""
    if _identity(key, directory)[0] is not None:
        return list(found)
    district = [n for n in found if _identity(n, directory)[0] == _DEFAULT_LEVEL]
    if district and len({_identity(n, directory) for n in district}) == 1:
        return district
    return list(found)


#: A matter's 序号 as analysts write it around the number.
_NUMBERED = re.compile(r"(?:第|事项|#|＃)\s*(\d+)\s*(?:项|号)?|(\d+)\s*(?:项|号)")


def resolve_matters(written: str | int, matters: pd.DataFrame) -> dict[str, int]:
    """The matter ``written`` stands for in each list that holds one: {list id: 序号}.

    A number is that 序号 in every list that has it. A name is resolved in each list on its
    own (:func:`resolve` among the list's matter names: exact, unique part), since the same
    matter has its own 序号 in each list; lists without a match are left out. ``matters`` is
    the store's ``matters`` table of the chosen lists (``list_id``, ``number``, ``name``).

    Raises
    ------
    UnknownMatterError
        A number no chosen list has.
    UnknownNameError
        An empty name; a name no list has, or one that names several matters of one list
        (the message lists the candidates as ``list#序号 name``).

    >>> frame = pd.DataFrame({"list_id": ["甲", "甲", "乙"], "number": [1, 29, 3],
    ...     "name": ["征兵工作", "大跨度结构建筑安全排查", "大跨度建筑排查"]})
    >>> resolve_matters("29", frame), resolve_matters("大跨度", frame)
    ({'甲': 29}, {'甲': 29, '乙': 3})
    """
    text = str(written).strip()
    numbered = _NUMBERED.fullmatch(text)  # 第3项, 事项3, 3号, #3
    if numbered:
        text = numbered.group(1) or numbered.group(2)
    lists = list(dict.fromkeys(str(i) for i in matters["list_id"]))
    if text.isdecimal():  # 29 or ２９; not ² (a digit int() refuses)
        having = matters[matters["number"].astype(int) == int(text)]
        if having.empty:
            raise UnknownMatterError(
                _("no matter {number} in {lists}").format(number=int(text), lists=", ".join(lists))
            )
        return {str(i): int(text) for i in dict.fromkeys(having["list_id"])}
    if not text:
        raise UnknownNameError(_("the {what} is empty; write a name").format(what=_("matter")))
    found: dict[str, int] = {}
    for list_id, own in matters.groupby("list_id", sort=False):
        by_name = dict(zip(own["name"].astype(str), own["number"].astype(int), strict=True))
        try:
            found[str(list_id)] = by_name[resolve(text, by_name, what=_("matter"))]
        except UnknownNameError as err:
            if err.ambiguous:
                names = [n for n in by_name if compact(text) in compact(n)]
                raise _matter_error(text, list_id, names, by_name) from None
    if not found:
        candidates = matters.assign(label=_labels(matters))
        near = difflib.get_close_matches(
            text, list(candidates["name"].astype(str)), n=5, cutoff=0.3
        )
        shown = candidates[candidates["name"].isin(near)]["label"].tolist()[:8]
        raise UnknownNameError(
            _("no {what} named {written!r}; did you mean: {names}").format(
                what=_("matter"), written=text, names="、".join(shown) or _("none")
            )
        )
    return {list_id: found[list_id] for list_id in lists if list_id in found}


def _labels(matters: pd.DataFrame) -> list[str]:
    """``红旗镇:配合:2025#1 最低生活保障审核确认`` for each matter."""
    return [
        f"{list_id}#{int(number)} {name}"
        for list_id, number, name in zip(
            matters["list_id"], matters["number"], matters["name"], strict=True
        )
    ]


def _matter_error(
    text: str, list_id: object, names: Sequence[str], by_name: dict[str, int]
) -> UnknownNameError:
    shown = [f"{list_id}#{by_name[n]} {n}" for n in names] or [f"{list_id}"]
    return UnknownNameError(
        _("{what} {written!r} matches {count}: {names}; give more of the name").format(
            what=_("matter"), written=text, count=len(shown), names="、".join(shown)
        ),
        ambiguous=True,
    )
