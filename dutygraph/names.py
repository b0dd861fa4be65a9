"""One list's department names: each body under the name the list itself gives it.

A list names its departments in cell 3 (``县住房和城乡建设局``) and then writes them in many ways
in its duties: short forms (``县住建局``, ``县人社局``, ``县市场监管局``, ``区城管局``), the
government with or without 人民 (``区政府`` / ``区人民政府``), a variant the directory knows
(``区工业与信息化局``). :class:`ListNames` resolves each written form to one name per body:

* a name the list writes in cell 3 stays as written, unless the directory's canonical name of
  the same body is written there too (then the canonical one: 区自然资源局 -> 区自然资源分局);
* ``X政府`` and ``X人民政府`` are one body, named as the list first writes it;
* a short form resolves to the one full name of the list that keeps its level prefix, its
  characters in order and its ending (县人社局 -> 县人力资源和社会保障局); the short forms are
  not listed by hand: any abbreviation of this shape is found;
* anything else goes through the directory (``departments.csv``), so 区X stays 区X.

>>> from dutygraph.vocabulary import Vocabulary
>>> names = ListNames(Vocabulary.load().departments, ["县住房和城乡建设局", "县残疾人联合会"],
...                   "报县人民政府批准。")
>>> [names.resolve(n) for n in ("县住建局", "县残联", "县政府", "县民政局")]
['县住房和城乡建设局', '县残疾人联合会', '县人民政府', '县民政局']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .vocabulary import DepartmentDirectory, compact

__all__ = ["ListNames", "is_short_form"]

_GOVERNMENT = re.compile(r"^(区|县|旗|市|盟|州|省|自治区)(人民)?政府$")
_LEVEL_PREFIX = re.compile(r"^(区委|县委|旗委|市委|自治区|区|县|旗|市|盟|州|省)")


def is_short_form(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates ``full``: same level prefix, same last character or a
    character of its last three, and every character of ``short`` in ``full`` in order.

    >>> is_short_form("区城管局", "区城市管理综合执法局"), is_short_form("区城管局", "区民政局")
    (True, False)
    """
    if len(short) >= len(full):
        return False
    if full.endswith(short) and short[:1] in "区县旗市":
        return True  # 区消防救援大队 for 坡头区消防救援大队: the place name dropped
    if short[:1] != full[:1]:
        return False
    prefix = _LEVEL_PREFIX.match(full)
    if prefix and not short.startswith(prefix.group(1)):
        return False
    if short[-1] not in full[-3:]:
        return False
    position = 0
    for char in short:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


class ListNames:
    """The names of the bodies one list mentions, each resolved to the list's own name for it."""

    def __init__(
        self, directory: DepartmentDirectory, cell3: Iterable[str], text: str = ""
    ) -> None:
        self.directory = directory
        written = [compact(n) for n in cell3 if compact(n)]
        self.own: list[str] = []
        for name in written:
            resolved = directory.resolve(name).name
            # a short form (区住建局, 县市场监管局) is the full name of the same body, so that
            # towns that write it short and towns that write it whole meet; any other spelling
            # (区自然资源分局 for 区自然资源局) is the list's own name for it
            short = len(resolved) > len(name) and is_short_form(name, resolved)
            keep = resolved if resolved in written or resolved == name or short else name
            if keep not in self.own:
                self.own.append(keep)
        self._governments = self._government_spellings(text)
        self._aliases = self._bracketed_aliases(text)

    def _bracketed_aliases(self, text: str) -> dict[str, str]:
        """县林长办 for 县林业局 when the list writes 县林业局（县林长办）: the name in brackets
        after one of the list's names is that body too."""
        out: dict[str, str] = {}
        for own in self.own:
            for match in re.finditer(re.escape(own) + r"[（(]([^）)，。；、\s]{2,14})[）)]", text):
                if self.directory.looks_like_department(match.group(1)):
                    out.setdefault(compact(match.group(1)), own)
        return out

    @staticmethod
    def _government_spellings(text: str) -> dict[str, str]:
        """level -> the spelling of that level's government the list writes first."""
        out: dict[str, str] = {}
        for match in re.finditer(r"(区|县|旗|市|盟|州)(人民)?政府", text):
            out.setdefault(match.group(1), match.group(0))
        return out

    def tails(self) -> dict[str, str]:
        """Short forms without a level prefix that end one name of the list alone and read as
        a body (指挥中心 for 区社会治理现代化指挥中心): written form -> the list's name."""
        found: dict[str, list[str]] = {}
        for own in self.own:
            prefix = _LEVEL_PREFIX.match(own)
            core = own[prefix.end() :] if prefix else own
            for start in range(1, len(core) - 3):
                tail = core[start:]
                if self.directory.looks_like_department(tail):
                    found.setdefault(tail, []).append(own)
        return {t: owns[0] for t, owns in found.items() if len(set(owns)) == 1}

    def resolve(self, written: str) -> str:
        """The list's name for the body ``written`` names."""
        name = compact(written)
        if name in self.own:
            return name
        if name in self._aliases:
            return self._aliases[name]
        bracketed = re.fullmatch(r"(.+?)[（(][^）)]+[）)]", name)
        if bracketed and self.resolve(bracketed.group(1)) in self.own:
            return self.resolve(bracketed.group(1))  # 县林业局（县林长办）: the name before
        government = _GOVERNMENT.match(name)
        if government:
            return self._governments.get(government.group(1), name)
        resolved = self.directory.resolve(name).name
        if resolved in self.own:
            return resolved
        for own in self.own:  # a name the list keeps as written, reached through an alias
            if self.directory.resolve(own).name == resolved:
                return own
        matches = [own for own in self.own if is_short_form(name, own)]
        if len(matches) == 1:
            return matches[0]
        # the full name of a body the list only writes short (县委政法委 for 县委政法委员会)
        shorter = [own for own in self.own if is_short_form(own, name)]
        if len(shorter) == 1:
            return shorter[0]
        branch = _branch_of_city_bureau(name, self.own)
        return branch or resolved


def _branch_of_city_bureau(name: str, own: list[str]) -> str | None:
    """区公安分局 for 市公安局汉阳分局: a district's branch of a city bureau, written with the
    district's prefix and the bureau's field, meets the one cell-3 name of that branch."""
    found = re.fullmatch(r"(区|县|旗)(.{2,12}?)(?:分局|局)", name)
    if not found:
        return None
    field = found.group(2)
    matches = [o for o in own if o.endswith("分局") and f"{field}局" in o and o != name]
    return matches[0] if len(matches) == 1 else None
