"""Where a list's town lies: province, city, district (区/县/旗) and town.

A title names the town with the places above it (``杭州市临安区青石镇``); ``PlaceVocabulary.split``
cuts such a name into its levels by the suffixes and known names of ``vocab/places.yaml``, and
``complete`` fills the levels above a known name. A department belongs to a body: a 区-level
department to its district, a 市-level one to its city, a 省-level one to its province, a
ministry to the country. ``Place.scope`` is that body's path, the key that keeps 昆都仑区's
区民政局 apart from 九原区's while the two share 包头市's 市住房和城乡建设局.

>>> from dutygraph.vocabulary import Vocabulary
>>> places = Vocabulary.load().places
>>> places.split("杭州市临安区青石镇")
Place(province='', city='杭州市', district='临安区', town='青石镇')
>>> place = places.complete(places.split("锡林郭勒盟查干淖尔旗乌兰苏木"))
>>> place.key
'内蒙古自治区/锡林郭勒盟/查干淖尔旗/乌兰苏木'
>>> place.scope("区"), place.scope("市"), place.scope("部")
('内蒙古自治区/锡林郭勒盟/查干淖尔旗', '内蒙古自治区/锡林郭勒盟', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["PLACE_LEVELS", "Place", "PlaceVocabulary", "department_scope_depth"]

#: The levels of a place, from the top.
PLACE_LEVELS: tuple[str, ...] = ("province", "city", "district", "town")

#: How many levels of the town's place a department of a level belongs to: a ministry to none
#: (shared by all), a 省 department to the province, a 市 one to the city, the others (区, and
#: 其他: a name with no level prefix, which in these lists is a local body) to the district.
_SCOPE_DEPTH = {"部": 0, "省": 1, "自治区": 1, "市": 2}
_DISTRICT_DEPTH = 3
_MIN_NAME = 2  # a place name has at least one character before its suffix
_CJK_ONLY = re.compile(r"^[\u3400-\u9fff（）()]+$")


def department_scope_depth(level: str) -> int:
    """How many place levels (province, city, district) a department of ``level`` is bound to."""
    return _SCOPE_DEPTH.get(level, _DISTRICT_DEPTH)


@dataclass(frozen=True)
class Place:
    """A town and the places above it; an unknown level is ``''``."""

    province: str = ""
    city: str = ""
    district: str = ""
    town: str = ""

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Place:
        """The place of a ``lists`` row (missing or NULL columns are unknown)."""
        return cls(**{f.name: str(row.get(f.name) or "") for f in fields(cls)})

    def filled_from(self, other: Place) -> Place:
        """This place, with the levels it does not know taken from ``other``."""
        return Place(*(getattr(self, level) or getattr(other, level) for level in PLACE_LEVELS))

    @property
    def key(self) -> str:
        """The known levels joined by ``/``: the town's identity (its node key)."""
        return "/".join(p for p in (self.province, self.city, self.district, self.town) if p)

    @property
    def label(self) -> str:
        """What a reader calls the town among many: district and name (``昆都仑区卜尔汉图镇``)."""
        return f"{self.district}{self.town}"

    def scope(self, level: str) -> str:
        """The path of the body a department of ``level`` belongs to ('' when shared by all)."""
        above = (self.province, self.city, self.district)[: department_scope_depth(level)]
        return "/".join(p for p in above if p)

    def body(self, level: str) -> str:
        """The name of that body (``昆都仑区``), '' when unknown or shared by all."""
        return self.scope(level).rpartition("/")[2]


@dataclass(frozen=True)
class PlaceVocabulary:
    """The suffixes of each level and the known places, from ``vocab/places.yaml``."""

    suffixes: Mapping[str, tuple[str, ...]]
    municipalities: frozenset[str]
    known: Mapping[str, tuple[str, Place]]  # name -> (level, the place it names, levels above)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], town_suffixes: Sequence[str]) -> PlaceVocabulary:
        suffixes = {
            level: tuple(sorted(data.get("suffixes", {}).get(level, ()), key=len, reverse=True))
            for level in PLACE_LEVELS[:3]
        }
        suffixes["town"] = tuple(sorted(town_suffixes, key=len, reverse=True))
        municipalities = frozenset(data.get("municipalities") or ())
        return cls(suffixes, municipalities, _known_places(data.get("known") or {}))

    # -- cutting a name ---------------------------------------------------------------------
    def split(self, text: str, *, town: bool = True) -> Place:
        """The places a name such as ``杭州市临安区青石镇`` is made of, from the top.

        With ``town`` the last part must be a town (the whole text is the town when no cut
        works); without, the text names places above a town (a folder such as ``昆都仑区``)
        and an empty place comes back when it does not.

        >>> from dutygraph.vocabulary import Vocabulary
        >>> Vocabulary.load().places.split("丹阳县白河镇")
        Place(province='', city='', district='丹阳县', town='白河镇')
        >>> Vocabulary.load().places.split("包头市", town=False).city
        '包头市'
        """
        text = re.sub(r"[（(][^）)]*[)）]", "", text).strip()
        best: tuple[tuple[int, int, int], list[tuple[str, str]]] | None = None
        for cut in self._cuts(text, 0, 0, town=town, after_city=False):
            score = self._score(cut)
            if best is None or score > best[0]:
                best = (score, cut)
        if best is None:
            return Place(town=text) if town and text else Place()
        place = Place(**dict(best[1]))
        if place.province in self.municipalities and not place.city:
            place = replace(place, city=place.province)
        return place

    def _cuts(
        self, text: str, start: int, level: int, *, town: bool, after_city: bool
    ) -> Iterator[list[tuple[str, str]]]:
        """Every way to cut ``text[start:]`` into places of ``level`` and below, in order."""
        if start == len(text):
            if not town:
                yield []
            return
        for index in range(level, len(PLACE_LEVELS)):
            name_level = PLACE_LEVELS[index]
            if name_level == "town" and not town:
                break
            for end in range(start + _MIN_NAME, len(text) + 1):
                if name_level == "town" and end != len(text):
                    continue
                name = text[start:end]
                if not self._names(name, name_level, after_city=after_city):
                    continue
                if name_level == "town":
                    yield [(name_level, name)]
                    continue
                later = after_city or name_level == "city"
                for rest in self._cuts(text, end, index + 1, town=town, after_city=later):
                    yield [(name_level, name), *rest]

    def _names(self, name: str, level: str, *, after_city: bool) -> bool:
        known = self.known.get(name)
        if known is not None:
            return known[0] == level
        suffixes = self.suffixes[level]
        if level == "district" and not after_city:
            suffixes = tuple(s for s in suffixes if s != "市")  # a 市 first is a city
        return any(name.endswith(s) and len(name) > len(s) for s in suffixes)

    def _score(self, cut: list[tuple[str, str]]) -> tuple[int, int, int]:
        """Known names first, then no name that starts with a suffix, then more levels."""
        known = sum(name in self.known for _, name in cut)
        starts = [s for level in PLACE_LEVELS for s in self.suffixes[level]]
        odd = sum(name.startswith(tuple(starts)) for _, name in cut)
        return (known, -odd, len(cut))

    # -- filling and folders ----------------------------------------------------------------
    def complete(self, place: Place) -> Place:
        """``place`` with the levels above its lowest known name filled in (never overwritten:
        a known name whose parents disagree with what the place says fills nothing)."""
        for level in ("district", "city", "province"):
            entry = self.known.get(getattr(place, level))
            if entry is None or entry[0] != level:
                continue
            above = entry[1]
            if all(getattr(place, lv) in ("", getattr(above, lv)) for lv in _levels_of(above)):
                return place.filled_from(above)
        return place

    def from_folders(self, path: str | Path, *, depth: int = 4) -> Place:
        """The places the folders holding ``path`` name (``…/包头市/昆都仑区/list.txt``)."""
        place = Place()
        for part in reversed(Path(path).parent.parts[-depth:]):
            if not _CJK_ONLY.match(part):
                continue
            found = self.split(part, town=False)
            if found == Place():
                found = self.split(part)
                if not found.town.endswith(self.suffixes["town"]):
                    continue
            place = place.filled_from(found)
        return place


def _levels_of(place: Place) -> list[str]:
    return [level for level in PLACE_LEVELS if getattr(place, level)]


def _known_places(tree: Mapping[str, Any]) -> dict[str, tuple[str, Place]]:
    """name -> (level, place) from the ``known`` tree; a name known twice fills nothing."""
    known: dict[str, tuple[str, Place]] = {}
    seen: set[str] = set()

    def add(name: str, level: str, place: Place) -> None:
        if name in seen:
            known.pop(name, None)
            return
        seen.add(name)
        known[name] = (level, place)

    for province, cities in tree.items():
        add(province, "province", Place(province=province))
        for city, districts in (cities or {}).items():
            if city != province:  # a municipality is its own city: known once, as a province
                add(city, "city", Place(province=province, city=city))
            for district in districts or ():
                add(district, "district", Place(province=province, city=city, district=district))
    return known
