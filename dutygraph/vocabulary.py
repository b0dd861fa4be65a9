"""The analyst-editable vocabulary: departments (``departments.csv``), list layout and kinds
(``list_format.yaml``), guarantee kinds, handoff rules and frames, places, matter matching
(``compare.yaml``) and the questions' words (``questions.yaml``).

The files live in ``dutygraph/vocab/`` (the headings, labels, review terms, radicals,
synthetic towns and read-only Cypher procedures there are read by their own modules). To extend
them without touching the package, put a file of the same name in a folder of your own and
point ``$DUTYGRAPH_VOCAB`` (or ``--vocab``) at it: a YAML file there is merged over the
packaged one key by key (a key ending in ``+`` appends to the packaged list), and a
``departments.csv`` there adds to and overrides the packaged departments row by row.

>>> vocab = Vocabulary.load()
>>> vocab.departments.resolve("区工业与信息化局").name
'区工业和信息化局'
>>> vocab.departments.resolve("区城市管理综合执 法局").name
'区城市管理综合执法局'
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import messages as msg
from .errors import VocabularyError
from .i18n import N_
from .i18n import gettext as _
from .places import PlaceVocabulary
from .safe_io import read_input

__all__ = ["Department", "DepartmentDirectory", "Vocabulary", "compact", "list_kinds", "matter_key"]

_BRACKETS = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})


def compact(name: str) -> str:
    """A name with whitespace removed and ASCII brackets made full-width (the matching key).

    >>> compact("区农牧局(区水务局) ")
    '区农牧局（区水务局）'
    """
    return re.sub(r"\s+", "", name).translate(_BRACKETS)


def matter_key(name: str) -> str:
    """What two lists' matter names must share to be the same matter: the name without spaces,
    quotation marks, brackets and punctuation.

    >>> matter_key("“九小场所” 消防安全检查") == matter_key("九小场所消防安全检查")
    True
    """
    return re.sub(r"[\s“”\"'‘’《》「」【】()（）、，,。.;；:：]", "", name)


@dataclass(frozen=True)
class Department:
    name: str
    level: str
    in_vocabulary: bool


@dataclass
class DepartmentDirectory:
    """Canonical department names, their aliases and levels (from ``departments.csv``)."""

    canonical: dict[str, Department]
    aliases: dict[str, str]  # compact(alias or name) -> canonical name
    levels_by_prefix: dict[str, str]
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]
    #: names resolved so far (a province's lists repeat the same few hundred names), and the
    #: core of every alias (民政局 for 区民政局), computed once instead of per unknown name
    _resolved: dict[str, Department] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _known_cores: set[str] | None = field(default=None, init=False, repr=False, compare=False)

    def resolve(self, raw: str) -> Department:
        """The department a written name stands for; unknown names are kept, never dropped."""
        found = self._resolved.get(raw)
        if found is None:
            found = self._resolved[raw] = self._resolve(raw)
        return found

    def _resolve(self, raw: str) -> Department:
        key = compact(raw)
        name = self.aliases.get(key)
        if name is None:
            stripped = re.sub(r"（[^）]*）$", "", key)  # 区农牧局（区水务局） -> 区农牧局
            name = self.aliases.get(stripped)
        if name is not None:
            return self.canonical[name]
        if self._known_core(key):
            # 县民政局 in a county's list: the same department as 区民政局, under its own name;
            # 县住建局: the short form of 区住房和城乡建设局, so 县住房和城乡建设局
            return Department(self._full_at_level(key), self.level_of(key), True)
        return Department(key, self.level_of(key), False)

    def _full_at_level(self, key: str) -> str:
        """The canonical name of a known short form written with another level prefix, under
        that prefix (县住建局 -> 县住房和城乡建设局); the name itself when it is no short form."""
        core = self._core(key)
        prefix = key[: len(key) - len(core)] if core else ""
        for alias, name in self.aliases.items():
            if self._core(alias) == core and len(name) - len(alias) >= 2:  # an abbreviation
                full = self._core(name)
                if full and not alias.startswith(prefix):
                    return prefix + full  # 市卫健委 -> 市卫生健康委员会 too
        return key

    def _core(self, name: str) -> str | None:
        """The name without its level prefix (民政局 for 区民政局), or None."""
        for prefix in self._prefixes_longest_first:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                return name[len(prefix) :]
        return None

    @property
    def _prefixes_longest_first(self) -> list[str]:
        return sorted(self.levels_by_prefix, key=len, reverse=True)

    def _known_core(self, key: str) -> bool:
        """Whether the name is a known name with another level prefix (县民政局 for 区民政局)."""
        if self._known_cores is None:
            self._known_cores = {c for c in map(self._core, self.aliases) if c is not None}
        mine = self._core(key)
        return mine is not None and mine in self._known_cores

    def level_of(self, name: str) -> str:
        for prefix in sorted(self.levels_by_prefix, key=len, reverse=True):
            if name.startswith(prefix):
                return self.levels_by_prefix[prefix]
        return "其他"

    def table_row(self, name: str) -> dict[str, Any]:
        """The departments table's row for a department as the tables name it: its level and
        whether the vocabulary knows it (the one place such a row is made).

        >>> Vocabulary.load().departments.table_row("区民政局")
        {'name': '区民政局', 'level': '区', 'in_vocabulary': 1}
        """
        found = self.resolve(name)
        return {"name": name, "level": found.level, "in_vocabulary": int(found.in_vocabulary)}

    def is_known(self, raw: str) -> bool:
        return self.resolve(raw).in_vocabulary

    def looks_like_department(self, raw: str) -> bool:
        """True for a known name or one that ends like a department (局, 委员会, 大队 …)."""
        key = re.sub(r"（[^）]*）$", "", compact(raw))
        if not key or len(key) > 30:
            return False
        if key in self.aliases or self._known_core(key):
            return True  # 县残联: 区残联 under a county's prefix
        return len(key) >= 3 and key.endswith(self.suffixes) and not re.search(r"[，。；：、]", key)

    def known_names(self) -> list[str]:
        """Every spelling (canonical and alias, compact) the directory knows, longest first."""
        return sorted(self.aliases, key=len, reverse=True)


@dataclass
class Vocabulary:
    """Everything ``Vocabulary.load`` read, one attribute per file (``layout`` is
    ``list_format.yaml``, ``guarantee_kinds`` ``guarantees.yaml``)."""

    departments: DepartmentDirectory
    layout: dict[str, Any]
    guarantee_kinds: dict[str, list[str]]
    handoff_rules: dict[str, Any] = field(default_factory=dict)
    handoff_frames: list[dict[str, Any]] = field(default_factory=list)
    source: str = "packaged"
    places: PlaceVocabulary = field(
        default_factory=lambda: PlaceVocabulary.from_data({}, ("镇", "乡", "街道"))
    )
    matching: dict[str, Any] = field(default_factory=dict)  # compare.yaml
    questions: dict[str, Any] = field(default_factory=dict)  # questions.yaml

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None) -> Vocabulary:
        """The packaged vocabulary, with files from ``directory`` (or $DUTYGRAPH_VOCAB)
        overriding."""
        override = directory or os.environ.get("DUTYGRAPH_VOCAB") or None
        return _load(str(override) if override else None)


def list_kinds(directory: str | os.PathLike[str] | None = None) -> tuple[str, ...]:
    """The list kinds ``list_format.yaml`` names (its ``kinds``), with ``directory`` (or
    $DUTYGRAPH_VOCAB) overriding; read alone, without the rest of the vocabulary.

    >>> list_kinds()
    ('配合', '基本', '收回')
    """
    override = directory or os.environ.get("DUTYGRAPH_VOCAB") or None
    return _list_kinds(str(override) if override else None)


#: The files of a ``--vocab`` folder dutygraph reads (the others of ``dutygraph/vocab/`` are
#: not the analyst's to change).
OVERRIDE_FILES = (
    "departments.csv",
    "handoff_rules.yaml",
    "handoff_frames.yaml",
    "list_format.yaml",
    "guarantees.yaml",
    "places.yaml",
    "compare.yaml",
    "questions.yaml",
)

#: Override files whose top-level keys are open (a new key is a new 履职保障 kind).
_OPEN_KEYS = ("guarantees.yaml",)


def _check_folder(override: str | None) -> None:
    """Every file of a ``--vocab`` folder must be one dutygraph reads: a misspelt name
    (``department.csv``) would otherwise be ignored, and the analyst believe the vocabulary
    extended."""
    if not override or not Path(override).is_dir():
        return
    for path in sorted(Path(override).iterdir()):
        if path.name.startswith(".") or path.name in OVERRIDE_FILES:
            continue
        raise VocabularyError(
            _("{path}: not a vocabulary file dutygraph reads (expected {names})").format(
                path=path, names="、".join(OVERRIDE_FILES)
            )
        )


@cache
def _list_kinds(override: str | None) -> tuple[str, ...]:
    _check_folder(override)
    return tuple(_merged_yaml("list_format.yaml", override, required=("kinds",))["kinds"])


@cache
def _load(override: str | None) -> Vocabulary:
    _check_folder(override)
    layout = _merged_yaml(
        "list_format.yaml", override, required=("columns", "kinds", "town_suffixes")
    )
    kinds = _merged_yaml("guarantees.yaml", override, required=())
    rules = _merged_yaml("handoff_rules.yaml", override, required=("actors", "verbs", "refusals"))
    frames = _merged_yaml("handoff_frames.yaml", override, required=("frames",))["frames"]
    packaged_csv = (resources.files("dutygraph") / "vocab" / "departments.csv").read_text(
        encoding="utf-8"
    )
    extra_csv = None
    if override and (Path(override) / "departments.csv").exists():
        path = Path(override) / "departments.csv"
        extra_csv = (_read_override(path), str(path))
    directory = _departments(
        packaged_csv, "dutygraph/vocab/departments.csv", layout, extra=extra_csv
    )
    places = PlaceVocabulary.from_data(
        _merged_yaml("places.yaml", override, required=("suffixes",)), layout["town_suffixes"]
    )
    matching = _merged_yaml("compare.yaml", override, required=("matter_threshold",))
    questions = _merged_yaml("questions.yaml", override, required=("levels", "sent_classes"))
    return Vocabulary(
        directory, layout, kinds, rules, frames, override or "packaged", places, matching, questions
    )


def _merged_yaml(name: str, override: str | None, *, required: tuple[str, ...]) -> dict[str, Any]:
    """The packaged YAML file, with the same-named file of ``override`` merged over it.

    In the override a mapping merges key by key, any other value replaces, and a key ending
    in ``+`` appends its list to the packaged list (``report+: [呈递]``).
    """
    source = f"dutygraph/vocab/{name}"
    data = _yaml(
        (resources.files("dutygraph") / "vocab" / name).read_text(encoding="utf-8"), source
    )
    if override and (Path(override) / name).exists():
        path = Path(override) / name
        source = str(path)
        own = _yaml(_read_override(path), source)
        if name not in _OPEN_KEYS:
            _known_keys(own, data, source)
        data = _merge(data, own, source)
    missing = [key for key in required if key not in data]
    if missing:
        raise VocabularyError(
            _("{source}: expected the keys {keys}; missing {missing}").format(
                source=source, keys=", ".join(required), missing=", ".join(missing)
            )
        )
    return data


def _known_keys(own: dict[str, Any], packaged: dict[str, Any], source: str) -> None:
    """An override's top-level keys must be the packaged file's (``verbs``, ``report+`` …)."""
    for key in own:
        if str(key).removesuffix("+") not in packaged:
            raise VocabularyError(_unknown_key(source, key, packaged))


def _unknown_key(source: str, key: object, packaged: dict[str, Any]) -> str:
    return _("{source}: unknown key {key} (expected one of {names})").format(
        source=source, key=key, names="、".join(map(str, packaged))
    )


def _merge(base: dict[str, Any], over: dict[str, Any], source: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(key, str) and key.endswith("+"):
            name = key[:-1]
            if name not in merged:  # appending to nothing: a misspelt name (reprot+)
                raise VocabularyError(_unknown_key(source, key, merged))
            if not isinstance(value, list) or not isinstance(merged.get(name, []), list):
                raise VocabularyError(
                    _("{source}: {key} appends a list to the list {name}").format(
                        source=source, key=key, name=name
                    )
                )
            merged[name] = [*merged.get(name, []), *value]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, source)
        else:
            _check_shape(merged.get(key), value, f"{key}", source)
            merged[key] = value
    return merged


_KINDS = ((dict, "映射"), (list, "列表"), (str, "文本"), (bool, "布尔值"), ((int, float), "数"))


def _kind(value: Any) -> str:
    return next((name for types, name in _KINDS if isinstance(value, types)), "空值")


def _check_shape(packaged: Any, value: Any, key: str, source: str) -> None:
    """An override value must have the packaged value's kind (a list of text stays a list of
    text), so that a wrong type is one line here, not a crash deep in the extractor."""
    if packaged is None:
        return
    if _kind(value) != _kind(packaged):
        raise VocabularyError(
            msg.VOCAB_TYPE.format(
                source=source, key=key, expected=_kind(packaged), found=_kind(value)
            )
        )
    if isinstance(packaged, list) and packaged:
        for i, item in enumerate(value):
            _check_shape(packaged[0], item, f"{key}[{i}]", source)


def _read_override(path: Path) -> str:
    """An analyst's vocabulary file as text (a regular file within the input cap, UTF-8)."""
    data = read_input(path, what="词表文件")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise VocabularyError(
            msg.VOCAB_ENCODING.format(path=path, line=line, byte=err.start)
        ) from err


def _yaml(text: str, source: str) -> Any:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None)
        if mark is not None and problem:  # where it broke, and PyYAML's own word for what
            message = _("{source}, line {line}, column {column}: not valid YAML ({reason})")
            raise VocabularyError(
                message.format(
                    source=source, line=mark.line + 1, column=mark.column + 1, reason=problem
                )
            ) from err
        raise VocabularyError(
            _("{source}: not valid YAML ({reason})").format(source=source, reason=err)
        ) from err
    if not isinstance(data, dict):
        raise VocabularyError(
            _("{source}: expected a mapping at the top level").format(source=source)
        )
    return data


def _departments(
    text: str, source: str, layout: dict[str, Any], *, extra: tuple[str, str] | None = None
) -> DepartmentDirectory:
    canonical: dict[str, Department] = {}
    aliases: dict[str, str] = {}
    rows = _csv_rows(text, source)
    if extra is not None:
        # an analyst's own rows: a new department, or a known one with other aliases or level
        own = _csv_rows(*extra)
        replaced = {compact(row.get("name") or "") for _, row, _ in own}
        rows = [r for r in rows if compact(r[1].get("name") or "") not in replaced] + own
    for number, row, where in rows:
        name = compact(row.get("name") or "")
        level = (row.get("level") or "").strip()
        if not name or level not in ("区", "市", "省", "部", "其他"):
            raise VocabularyError(
                _(
                    "{where}, line {number}: expected a name and a level of 区/市/省/部/其他, "
                    "found {name!r}, {level!r}"
                ).format(
                    where=where,
                    number=number,
                    name=row.get("name") or "",
                    level=row.get("level") or "",
                )
            )
        canonical[name] = Department(name, level, True)
        for alias in [name, *(row.get("aliases") or "").split("|")]:
            key = compact(alias)
            if not key:
                continue
            if aliases.get(key, name) != name:
                raise VocabularyError(
                    _("{where}, line {number}: alias {alias!r} already names {name!r}").format(
                        where=where, number=number, alias=alias, name=aliases[key]
                    )
                )
            aliases[key] = name
    return DepartmentDirectory(
        canonical=canonical,
        aliases=aliases,
        levels_by_prefix=dict(layout.get("levels_by_prefix", {})),
        suffixes=tuple(layout.get("department_suffixes", ())),
        prefixes=tuple(layout.get("department_prefixes", ())),
    )


_HEADER_EXPECTED = N_("{where}: expected a header line 'name,level,aliases'")


def _csv_rows(text: str, source: str) -> list[tuple[int, dict[str, str], str]]:
    """(line number, row, source) of a departments CSV; comment lines (#) are skipped."""
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise VocabularyError(_(_HEADER_EXPECTED).format(where=source))
    header = next(csv.reader([numbered[0][1]]))
    if not {"name", "level"} <= {h.strip() for h in header}:
        raise VocabularyError(_(_HEADER_EXPECTED).format(where=f"{source}, line {numbered[0][0]}"))
    rows = []
    for number, line in numbered[1:]:
        values = next(csv.reader([line]))
        # a short row leaves its last columns out (read as empty), a long one drops the extra
        named = dict(zip((h.strip() for h in header), values, strict=False))
        rows.append((number, named, source))
    return rows
