"""Synthetic duty lists for benchmarks: real matters in the varied wording and layout of real lists.

``synthesize`` draws each list's matters from template lists (the reference list and the other
towns' lists) and varies what real lists vary (``vocab/synth.yaml``): the place (province,
city, a district that is a 区, 县 or 旗, a town with a distinct name), the title, the column
headings, page breaks, item numbering, department names (aliases, the district's tier) and
synonymous verbs. The extractor has real work to do on every list, and the same seed writes
the same files, byte for byte.

>>> import tempfile
>>> lists = synthesize(2, seed=7, out_dir=tempfile.mkdtemp(), matters=10)
>>> [len(s.path.read_text(encoding="utf-8").splitlines()) > 10 for s in lists]
[True, True]
>>> lists[0].town != lists[1].town
True
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import DutygraphError

__all__ = ["SynthList", "TemplateMatter", "default_templates", "read_template", "synthesize"]

#: Where the default templates live in a checkout: the reference list and the other towns' lists.
_REPO = Path(__file__).resolve().parent.parent
_DEFAULT_TEMPLATE_GLOBS = ("data/*.txt", "tests/fixtures/other_towns/**/*.txt")

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGITS = "零一二三四五六七八九"
_CATEGORY = re.compile(
    r"^[一二三四五六七八九十百]+[、.．]\s*(?P<name>.+?)\s*(?:[（(]\s*\d+\s*项\s*[)）])?$"
)
_TOWN_IN_TITLE = re.compile(r"^(?P<town>.+?(?:街道办事处|街道|苏木|镇|乡))")
#: Item markers of the three numbering styles; a cell is renumbered when one style counts 1, 2 …
_MARKERS = {
    "dot": re.compile(r"(?<![\d.．])(\d{1,2})[.．]\s?(?=[^\d\s])"),
    "paren": re.compile(r"（(\d{1,2})）"),
    "circled": re.compile(f"[{_CIRCLED}]"),
}


@dataclass(frozen=True)
class TemplateMatter:
    """One matter line of a template list: its category and its cells 2 to 5."""

    category: str
    name: str
    departments: str
    department_duties: str
    town_duties: str
    town: str  # the template's own town, replaced by the synthetic town's name


@dataclass(frozen=True)
class SynthList:
    """One written synthetic list and its place."""

    path: Path
    province: str
    city: str
    district: str
    town: str
    matters: int


def default_templates() -> list[Path]:
    """The reference list and the other towns' lists of a dutygraph checkout."""
    found = sorted(p for pattern in _DEFAULT_TEMPLATE_GLOBS for p in _REPO.glob(pattern))
    if not found:
        raise DutygraphError(
            f"no template lists under {_REPO} (data/*.txt, tests/fixtures/other_towns/); "
            "name some with --template FILE"
        )
    return found


def read_template(path: str | os.PathLike[str]) -> list[TemplateMatter]:
    """The matter lines of a text list (title, category lines and 5-cell matter rows)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise DutygraphError(f"{path}: cannot read the template list ({err})") from err
    town, category, matters = "", "", []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        first = cells[0]
        if not first:
            continue
        if not town and len(cells) == 1 and (found := _TOWN_IN_TITLE.match(first)):
            town = found["town"]
        elif (head := _CATEGORY.match(first)) and not any(cells[1:]):
            category = head["name"]
        elif first.isdigit() and len(cells) >= 5:
            matters.append(TemplateMatter(category, *cells[1:5], town=town))  # type: ignore[misc]
    if not matters:
        raise DutygraphError(f"{path}: no matter lines (序号, 事项名称 and three more cells)")
    return matters


def synthesize(
    towns: int,
    *,
    seed: int,
    out_dir: str | os.PathLike[str],
    matters: int = 69,
    templates: Sequence[str | os.PathLike[str]] | None = None,
) -> list[SynthList]:
    """Write ``towns`` synthetic lists under ``out_dir``/province/city/district/ and a manifest.

    Parameters
    ----------
    towns : int
        How many lists (one town each; every town's name is distinct).
    seed : int
        The same seed writes the same files.
    out_dir : path
        The folder to write; ``manifest.csv`` there lists every file with its place.
    matters : int, default 69 (the reference list's size)
        The mean number of matters per list (each list varies by about 15 %).
    templates : paths, optional
        Text lists to draw matters from; default ``default_templates()``.

    Returns
    -------
    list of SynthList
        In the order written.
    """
    if towns < 1 or matters < 1:
        raise DutygraphError(f"expected at least one town and one matter; got {towns}, {matters}")
    pool = [m for path in (templates or default_templates()) for m in read_template(path)]
    settings = _settings()
    rng = random.Random(seed)
    rewrite = _Rewriter(settings, sorted({m.town for m in pool if m.town}), pool)
    out = Path(out_dir)
    written = []
    for place in _places(towns, rng, settings):
        size = max(3, min(2 * matters, round(rng.gauss(matters, matters * 0.15))))
        chosen = _draw(pool, size, rng)
        path = out / place["province"] / place["city"] / place["district"] / f"{place['town']}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_render(chosen, place, rng, settings, rewrite), encoding="utf-8")
        written.append(SynthList(path=path, matters=len(chosen), **place))
    _write_manifest(out, written)
    return written


# -- places -------------------------------------------------------------------------------------
def _places(count: int, rng: random.Random, settings: dict[str, Any]) -> list[dict[str, str]]:
    """``count`` towns in districts of cities of provinces, every name distinct."""
    used: set[str] = set()

    def name(suffix: str, syllables: int = 2) -> str:
        while True:
            candidate = "".join(rng.choice(settings["syllables"]) for _ in range(syllables))
            if rng.random() < 0.2:
                candidate += rng.choice(settings["syllables"])
            if candidate + suffix not in used and candidate not in used:
                used.update((candidate + suffix, candidate))
                return candidate + suffix

    places: list[dict[str, str]] = []
    lo, hi = settings["towns_per_district"]
    city_lo, city_hi = settings["districts_per_city"]
    while len(places) < count:
        province = rng.choice(settings["provinces"])
        city = name("市")
        for _ in range(rng.randint(city_lo, city_hi)):
            tiers = [t for t in settings["district_tiers"] if t != "旗" or "内蒙古" in province]
            district = name(rng.choice(tiers))
            for _ in range(rng.randint(lo, hi)):
                town = name(rng.choice(settings["town_suffixes"]))
                places.append(
                    {"province": province, "city": city, "district": district, "town": town}
                )
                if len(places) == count:
                    return places
    return places


def _draw(pool: list[TemplateMatter], size: int, rng: random.Random) -> list[TemplateMatter]:
    """``size`` matters (without repeats while the pool lasts), grouped by category."""
    chosen = rng.sample(pool, size) if size <= len(pool) else rng.choices(pool, k=size)
    order = list(dict.fromkeys(m.category for m in chosen))
    rng.shuffle(order)
    rank = {c: i for i, c in enumerate(order)}
    return sorted(chosen, key=lambda m: rank[m.category])


# -- text -----------------------------------------------------------------------------------------
def _render(
    chosen: list[TemplateMatter],
    place: dict[str, str],
    rng: random.Random,
    settings: dict[str, Any],
    rewrite: _Rewriter,
) -> str:
    tier = place["district"][-1]
    title = rng.choice(settings["titles"]).format(
        town=place["town"], year=rng.choice(settings["years"])
    )
    header = "\t".join(
        ["序号", "事项名称", *(h.format(tier=tier) for h in rng.choice(settings["headers"]))]
    )
    page = rng.choice(settings["page_lengths"])
    style = rewrite.style(rng)
    lines = ["", title, "", header]
    counts: dict[str, int] = {}
    for m in chosen:
        counts[m.category] = counts.get(m.category, 0) + 1
    category = None
    for number, matter in enumerate(chosen, start=1):
        if page and number > 1 and number % page == 1:
            lines += ["", header]
        if matter.category != category:
            category = matter.category
            ordinal = _chinese_number(list(counts).index(category) + 1)
            lines.append(f"{ordinal}、{category}（{counts[category]}项）\t\t\t\t")
        cells = [matter.name, matter.departments, matter.department_duties, matter.town_duties]
        cells = [rewrite.text(c, place["town"], tier, style, rng) for c in cells]
        cells[2] = rewrite.numbering(cells[2], style["department_numbering"])
        cells[3] = rewrite.numbering(cells[3], style["town_numbering"])
        lines.append("\t".join([str(number), *cells]))
    note = rng.choice(settings["notes"])
    return "\n".join(lines + ([note] if note else [])) + "\n"


class _Rewriter:
    """The word-level variations: town name, district tier, department aliases, synonyms."""

    def __init__(
        self, settings: dict[str, Any], template_towns: list[str], pool: list[TemplateMatter]
    ):
        self.settings = settings
        self.towns = _alternation(template_towns) if template_towns else None
        aliases, cores = _department_names()
        for matter in pool:  # names the vocabulary lacks (县水利局) are retiered too
            cores.update(
                n[1:]
                for n in re.split(r"[\s、<>/p]+", matter.departments)
                if n[:1] in "区县旗" and len(n) > 2
            )
        self.aliases = aliases
        self.tiered = re.compile(f"[区县旗](?P<core>{_alternation(cores).pattern})|全[区县旗]")
        self.alias_pattern = _alternation(aliases)
        self.synonym_pattern = _alternation(w for group in settings["synonyms"] for w in group)

    def style(self, rng: random.Random) -> dict[str, Any]:
        """One list's choices: numbering of both cells, a synonym for each word, alias rate."""
        swap = {}
        for group in self.settings["synonyms"]:
            target = rng.choice(group)
            swap.update({w: target for w in group} if rng.random() < 0.5 else {})
        return {
            "department_numbering": rng.choice(self.settings["numbering"]),
            "town_numbering": rng.choice(self.settings["numbering"]),
            "swap": swap,
            "alias_rate": rng.choice([0.0, 0.2, 0.5]),
        }

    def text(
        self, cell: str, town: str, tier: str, style: dict[str, Any], rng: random.Random
    ) -> str:
        if self.towns is not None:
            cell = self.towns.sub(town, cell)
        rate = style["alias_rate"]
        if rate:
            cell = self.alias_pattern.sub(
                lambda m: rng.choice(self.aliases[m[0]]) if rng.random() < rate else m[0], cell
            )
        cell = self.tiered.sub(lambda m: tier + m["core"] if m["core"] else "全" + tier, cell)
        swap = style["swap"]
        return self.synonym_pattern.sub(lambda m: swap.get(m[0], m[0]), cell) if swap else cell

    @staticmethod
    def numbering(cell: str, target: str) -> str:
        """Items numbered 1, 2 … in one style, renumbered in ``target`` ('{n}. ', '（{n}）' …)."""
        for kind, pattern in _MARKERS.items():
            found = pattern.findall(cell)
            numbers = [_CIRCLED.index(f) + 1 if kind == "circled" else int(f) for f in found]
            if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)):
                return _replace_in_turn(pattern, cell, [_marker(target, n) for n in numbers])
        return cell


def _replace_in_turn(pattern: re.Pattern[str], text: str, replacements: list[str]) -> str:
    """Each match of ``pattern`` replaced by the next of ``replacements``."""
    rest = iter(replacements)
    return pattern.sub(lambda _match: next(rest), text)


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``words``, the longest first."""
    return re.compile("|".join(map(re.escape, sorted(set(words), key=lambda w: (-len(w), w)))))


def _marker(target: str, n: int) -> str:
    if "{circled}" in target:
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"{n}."
    return target.format(n=n)


def _chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "") if n else _DIGITS[0]


# -- data files -----------------------------------------------------------------------------------
@cache
def _settings() -> dict[str, Any]:
    text = (resources.files("dutygraph") / "vocab" / "synth.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _department_names() -> tuple[dict[str, list[str]], set[str]]:
    """Aliases by canonical name (district tier only) and every district department's core."""
    text = (resources.files("dutygraph") / "vocab" / "departments.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        io.StringIO("\n".join(row for row in text.splitlines() if not row.startswith("#")))
    )
    aliases: dict[str, list[str]] = {}
    cores: set[str] = {"政府", "人民政府"}
    for row in rows:
        names = [row["name"], *filter(None, (row.get("aliases") or "").split("|"))]
        district = [n for n in names if n[:1] == "区" and "(" not in n and "（" not in n]
        cores.update(n[1:] for n in district)
        if len(district) > 1 and row["name"] in district:
            aliases[row["name"]] = district
    return aliases, cores


def _write_manifest(out: Path, written: list[SynthList]) -> None:
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "province", "city", "district", "town", "matters"])
        for s in written:
            writer.writerow(
                [
                    s.path.relative_to(out).as_posix(),
                    s.province,
                    s.city,
                    s.district,
                    s.town,
                    s.matters,
                ]
            )
