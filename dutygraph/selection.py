"""Which lists a command reads: the one selection function behind ``--list``, ``--district``
and ``--town`` (each repeatable), for the store and the Neo4j backend alike.

Values of one option add up (``--town 甲镇 --town 乙镇``: both towns); different options
narrow each other (``--district 昆都仑区 --town 城关镇``: that district's 城关镇). No option
selects every list.

>>> import pandas as pd
>>> lists = pd.DataFrame({
...     "list_id": ["昆都仑区甲镇:配合", "九原区甲镇:配合", "九原区乙镇:配合"],
...     "town": ["甲镇", "甲镇", "乙镇"],
...     "district": ["昆都仑区", "九原区", "九原区"]})
>>> select_lists(lists, Selection(towns=("甲镇",)), where="store")
['昆都仑区甲镇:配合', '九原区甲镇:配合']
>>> select_lists(lists, Selection(districts=("九原区",), towns=("甲镇",)), where="store")
['九原区甲镇:配合']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UnknownListError
from .i18n import N_
from .i18n import gettext as _

if TYPE_CHECKING:  # pandas is imported when lists are selected, not when the CLI starts
    import pandas as pd

__all__ = ["Selection", "select_lists"]

_PLACE_COLUMNS = ("town", "district", "city", "province")
#: What each option's value names, for the messages.
_NOUNS = {"--list": N_("list"), "--town": N_("town"), "--district": N_("district")}


@dataclass(frozen=True)
class Selection:
    """What ``--list``, ``--district`` and ``--town`` asked for."""

    lists: tuple[str, ...] = ()  # a list id, a town, or a district and town (昆都仑区卜尔汉图镇)
    districts: tuple[str, ...] = ()  # a district (or a city or province: all of theirs)
    towns: tuple[str, ...] = ()  # a town, or a district and town

    @classmethod
    def of(cls, value: Selection | str | Sequence[str] | None) -> Selection:
        """A selection from what callers pass: None (all), a ``--list`` value, or several."""
        if value is None or isinstance(value, Selection):
            return value or cls()
        return cls(lists=(value,) if isinstance(value, str) else tuple(value))

    def __bool__(self) -> bool:
        return bool(self.lists or self.districts or self.towns)


def select_lists(
    lists: pd.DataFrame, selection: Selection | str | Sequence[str] | None, *, where: str
) -> list[str]:
    """The ids of the lists ``selection`` names, in the order of ``lists``.

    ``lists`` has ``list_id`` and ``town`` and, when known, ``district``, ``city`` and
    ``province``. ``where`` names the store or database in error messages.

    Raises
    ------
    UnknownListError
        ``lists`` is empty, a value names no list, or the options together leave none.
    """
    import pandas as pd

    chosen = Selection.of(selection)
    if lists.empty:
        raise UnknownListError(_("{where} holds no list; run `dutygraph load`").format(where=where))
    frame = lists.reindex(columns=["list_id", *_PLACE_COLUMNS]).astype(object).fillna("")
    frame = frame.astype(str)
    keep = pd.Series(True, index=frame.index)
    for option, values in (
        ("--list", chosen.lists),
        ("--district", chosen.districts),
        ("--town", chosen.towns),
    ):
        if not values:
            continue
        hit = pd.Series(False, index=frame.index)
        for value in values:
            if not str(value).strip():
                raise UnknownListError(_("{option} may not be empty").format(option=option))
            matches = _matches(frame, option, value)
            if not matches.any():
                matches = _matches_by_name(frame, option, value, where)
            hit |= matches
        keep &= hit
    if not keep.any():
        raise UnknownListError(
            _("no list in {where} matches all of the options given").format(where=where)
        )
    return frame.loc[keep, "list_id"].tolist()


def _matches(frame: pd.DataFrame, option: str, value: str) -> pd.Series:
    """The lists one value of an option names."""
    if option == "--district":
        return frame["district"].eq(value) | frame["city"].eq(value) | frame["province"].eq(value)
    named = frame["town"].eq(value) | (frame["district"] + frame["town"]).eq(value)
    return named | frame["list_id"].eq(value) if option == "--list" else named


def _matches_by_name(frame: pd.DataFrame, option: str, value: str, where: str) -> pd.Series:
    """The lists a value names that is no exact name: a town, district or list id as
    ``naming.resolve`` finds it (alias, short form, unique part: ``卜尔汉图``)."""
    from .errors import UnknownNameError
    from .naming import resolve

    columns = {"--district": ("district", "city", "province"), "--town": ("town",)}
    pools = [columns[option]] if option in columns else [("town",), ("list_id",)]
    for pool in pools:  # --list: a town first, then a list id
        try:
            name = resolve(value, {v for c in pool for v in frame[c] if v}, what=_(_NOUNS[option]))
        except UnknownNameError as err:
            if err.ambiguous:
                raise
            continue
        return _matches(frame, option, name)
    raise UnknownListError(
        _("no {option} {value!r} in {where}; {known}").format(
            option=_(_NOUNS[option]),
            value=value,
            where=where,
            known=_known(frame, option),
        )
    )


def _known(frame: pd.DataFrame, option: str) -> str:
    """What the store holds for an option, for the error message (at most 20 names)."""
    import pandas as pd

    if option == "--district":
        names = [n for n in pd.unique(frame[["district", "city"]].to_numpy().ravel()) if n]
        kind = _("districts and cities")
    elif option == "--town":
        names, kind = list(pd.unique(frame["town"])), _("towns")
    else:
        names, kind = frame["list_id"].tolist(), _("lists")
    shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
    return _("{kind}: {names}").format(kind=kind, names=shown or _("none"))
