"""One normaliser for every format: a ``RawList`` becomes the tidy tables of one list.

It reads the title (town, kind, version), maps column headings through
``vocab/list_format.yaml``, follows category lines, and parses each matter row's cells into
departments, duties and the guarantee. Every row is either loaded or reported: a row it
cannot place raises ``ListFormatError`` naming the file, the row and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ListFormatError
from ..i18n import N_, place
from ..i18n import gettext as _
from ..names import ListNames
from ..places import Place
from ..tables import TABLE_COLUMNS, Given, ListIdentity, ListTables
from ..vocabulary import Vocabulary, compact
from .base import RawList, RawRow
from .cells import (
    Section,
    guarantee_kinds,
    html_to_text,
    one_line,
    split_department_cell,
    split_duties,
    split_duty_cell,
    squeeze_cjk_spaces,
    strip_guarantee_heading,
)

__all__ = ["COLUMN_KEYS", "normalize"]

#: the five columns every matter row must have, by their canonical key
COLUMN_KEYS = ("number", "name", "departments", "department_duties", "town_duties")


@dataclass
class _Matter:
    number: int
    name: str
    category_id: str | None
    category: str | None
    where: str
    cells: dict[str, str]


@dataclass
class _Parsed:
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    header: dict[str, int] | None = None
    header_where: str = ""
    categories: list[dict[str, Any]] = field(default_factory=list)
    matters: list[_Matter] = field(default_factory=list)
    note: str = ""
    findings: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # severity, code, where, msg


def normalize(
    raw: RawList,
    *,
    given: Given | None = None,
    vocab: Vocabulary | None = None,
) -> ListTables:
    """The tidy tables of one list read from any format.

    What ``given`` says (town, kind, version and the known levels of the place above the town)
    overrides what the title and the file's folders say.
    """
    given = given or Given()
    vocab = vocab or Vocabulary.load()
    parsed = _rows(raw, vocab)
    identity = _identity(
        raw, parsed, vocab, town=given.town, kind=given.kind, version=given.version
    )
    identity = _placed(identity, raw.source, vocab, given=given.place)
    _check_columns(raw, parsed, identity.kind, vocab)
    return _tables(raw, parsed, identity, vocab)


# -- pass 1: rows -----------------------------------------------------------------------------
def _rows(raw: RawList, vocab: Vocabulary) -> _Parsed:
    layout = vocab.layout
    category_re = re.compile(layout["category_line"])
    note_re = re.compile(layout["note_line"])
    parsed = _Parsed()
    seen_numbers: dict[int, str] = {}
    category: dict[str, Any] | None = None
    for row in raw.rows:
        if row.is_blank:
            continue
        cells = [c.strip() for c in row.cells]
        filled = [c for c in cells if c]
        if parsed.header is None:
            header = _header(raw.source, row, vocab)
            if header is not None:
                parsed.header, parsed.header_where = header, row.where
            elif not parsed.title and len(filled) == 1:
                parsed.title = squeeze_cjk_spaces(filled[0])
            else:
                parsed.preamble.append(" ".join(filled))
                parsed.findings.append(
                    (
                        "info",
                        "preamble",
                        row.where,
                        _("text before the header: {text}").format(text=" ".join(filled)[:60]),
                    )
                )
            continue
        if _header(raw.source, row, vocab, strict=False) is not None:
            continue  # the header repeated at a page break
        first = cells[0]
        rest_empty = not any(cells[1:])
        cat = category_re.match(first) if rest_empty else None
        if cat:
            position = len(parsed.categories) + 1
            count = cat.group("count")
            category = {
                "position": position,
                "name": squeeze_cjk_spaces(cat.group("name")),
                "stated_count": int(count) if count else None,
                "where": row.where,
            }
            parsed.categories.append(category)
            continue
        if note_re.match(first) and rest_empty:
            parsed.note = (parsed.note + "\n" + first).strip()
            continue
        matter = _matter(raw.source, row, cells, parsed, category, seen_numbers)
        if matter.category is None and matter.cells.get("category"):
            _category_from_column(matter, parsed, row.where)
        parsed.matters.append(matter)
    if parsed.header is None:
        raise ListFormatError(
            raw.source,
            None,
            _(
                "a duty list: a header line naming the columns (序号, 事项名称, 对应上级部门, "
                "上级部门职责, 配合职责); found none in {lines} lines"
            ).format(lines=len(raw.rows)),
        )
    if not parsed.matters:
        raise ListFormatError(
            raw.source, parsed.header_where, _("matter rows after the header; found none")
        )
    return parsed


def _header(
    source: str, row: RawRow, vocab: Vocabulary, *, strict: bool = True
) -> dict[str, int] | None:
    """Column key -> cell index when ``row`` is a header line, else None.

    A row whose first cell is 序号 but whose other headings cannot be placed is an error
    (when ``strict``), naming the cell.
    """
    cells = [c.strip() for c in row.cells]
    if len([c for c in cells if c]) < 3:
        return None
    patterns: dict[str, list[str]] = vocab.layout["columns"]
    mapping: dict[str, int] = {}
    unplaced: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = _heading_key(cell, patterns)
        if key is None or key in mapping:
            unplaced.append((index, cell))
        else:
            mapping[key] = index
    if "number" not in mapping:
        return None
    if unplaced or "name" not in mapping:
        if not strict:
            return None
        if unplaced:
            index, cell = unplaced[0]
            raise ListFormatError(
                source,
                row.cell_where(index),
                _(
                    "a column heading dutygraph knows (序号, 事项名称, "
                    "对应上级部门/县级部门/主责部门, 上级部门职责, 乡镇配合职责 …); "
                    "found {cell!r}. Add a pattern for it under `columns` in list_format.yaml"
                ).format(cell=cell),
            )
        raise ListFormatError(source, row.where, _("a 事项名称 (name) column; found none"))
    return mapping


def _check_columns(raw: RawList, parsed: _Parsed, kind: str, vocab: Vocabulary) -> None:
    """The header has the columns the list's kind needs (``required_columns``)."""
    required = vocab.layout.get("required_columns", {}).get(kind, COLUMN_KEYS)
    missing = [key for key in required if key not in (parsed.header or {})]
    if missing:
        raise ListFormatError(
            raw.source,
            parsed.header_where,
            _("the columns a {kind} list has ({required}); missing {missing}").format(
                kind=kind, required="、".join(required), missing="、".join(missing)
            ),
        )


def _category_from_column(matter: _Matter, parsed: _Parsed, where: str) -> None:
    """A list without category lines may name each matter's category in a 类别 column."""
    name = squeeze_cjk_spaces(html_to_text(matter.cells["category"]).replace("\n", ""))
    found = next((c for c in parsed.categories if c["name"] == name), None)
    if found is None:
        found = {"position": len(parsed.categories) + 1, "name": name, "stated_count": None}
        found["where"] = where
        parsed.categories.append(found)
    matter.category_id, matter.category = str(found["position"]), name


def _heading_key(cell: str, patterns: dict[str, list[str]]) -> str | None:
    text = compact(cell)
    text = re.sub(r"（[^）]*）", "", text) or text
    for key, options in patterns.items():
        if any(re.search(p, text) for p in options):
            return key
    return None


def _matter(
    source: str,
    row: RawRow,
    cells: list[str],
    parsed: _Parsed,
    category: dict[str, Any] | None,
    seen_numbers: dict[int, str],
) -> _Matter:
    header = parsed.header or {}
    width = max(header.values()) + 1
    if len(cells) < width:
        raise ListFormatError(
            source,
            row.where,
            _(
                "a matter row of {width} tab-separated cells "
                "(序号, 事项名称, 部门, 部门职责, 配合职责); found {found}"
            ).format(width=width, found=len(cells)),
        )
    extra = [c for c in cells[width:] if c]
    if extra:
        raise ListFormatError(
            source,
            row.where,
            _("{width} cells; found {found} with text beyond cell {width}").format(
                width=width, found=len(cells)
            ),
        )
    number_text = cells[header["number"]]
    if not re.fullmatch(r"\d{1,5}", number_text):
        raise ListFormatError(
            source,
            row.cell_where(header["number"]),
            _(
                "a matter number (序号), a category line (一、…（N项）) or the closing note "
                "(注：…); found {text!r}"
            ).format(text=number_text[:40]),
        )
    number = int(number_text)
    if number in seen_numbers:
        raise ListFormatError(
            source,
            row.where,
            _("a new matter number; {number} was already used at {where}").format(
                number=number, where=place(seen_numbers[number])
            ),
        )
    seen_numbers[number] = row.where
    return (
        _Matter(
            number=number,
            name=squeeze_cjk_spaces(html_to_text(cells[header["name"]]).replace("\n", "")),
            category_id=None,
            category=category["name"] if category else None,
            where=row.where,
            cells={key: cells[index] for key, index in header.items()},
        )
        if category is None
        else _Matter(
            number=number,
            name=squeeze_cjk_spaces(html_to_text(cells[header["name"]]).replace("\n", "")),
            category_id=str(category["position"]),
            category=category["name"],
            where=row.where,
            cells={key: cells[index] for key, index in header.items()},
        )
    )


# -- identity ---------------------------------------------------------------------------------
def _identity(
    raw: RawList,
    parsed: _Parsed,
    vocab: Vocabulary,
    *,
    town: str | None,
    kind: str | None,
    version: str | None,
) -> ListIdentity:
    layout = vocab.layout
    title = compact(parsed.title)
    found_kind, town_from_title = _kind_in_title(title, layout)
    final_town = town or town_from_title
    if not final_town:
        raise ListFormatError(
            raw.source,
            "the title line",
            _(
                "the town's name in the title (e.g. 卜尔汉图镇配合履职事项清单); found {title!r}. "
                "Name it with --town"
            ).format(title=parsed.title),
        )
    final_kind = kind or found_kind
    if final_kind is None:
        headings = " ".join(parsed.matters[0].cells.keys()) if parsed.matters else ""
        final_kind = "配合" if "配合" in title or "town_duties" in headings else None
    if final_kind not in layout["kinds"]:
        raise ListFormatError(
            raw.source,
            "the title line",
            _("a list kind ({kinds}); name it with --kind").format(
                kinds=", ".join(layout["kinds"])
            ),
        )
    if version is None:
        version = _version_in(parsed)
    return ListIdentity(final_town, str(final_kind), version)


def _placed(
    identity: ListIdentity, source: str, vocab: Vocabulary, *, given: Place
) -> ListIdentity:
    """The identity with its place: the options, then the title, then the folders, then the
    levels above a known name (``vocab/places.yaml``). The town keeps only its own name."""
    places = vocab.places
    titled = places.split(identity.town)
    place = places.complete(given.filled_from(titled).filled_from(places.from_folders(source)))
    return ListIdentity(place.town, identity.kind, identity.version, place)


def _kind_in_title(title: str, layout: dict[str, Any]) -> tuple[str | None, str | None]:
    """The list kind a title names and the town before it (either may be None)."""
    for name, phrases in layout["kinds"].items():
        for phrase in sorted(phrases, key=len, reverse=True):
            at = title.find(phrase)
            if at > 0:
                return name, _town_name(title[:at], layout["town_suffixes"])
            if at == 0:
                return name, None
    return None, _town_name(title, layout["town_suffixes"]) if title else None


def _version_in(parsed: _Parsed) -> str:
    """The first year (and month) the title, preamble or note states: ``2024`` or ``2024-03``."""
    for text in [parsed.title, *parsed.preamble, parsed.note]:
        date = re.search(r"(20\d{2})\s*年(?:\s*(\d{1,2})\s*月)?", text or "")
        if date:
            return date.group(1) + (f"-{int(date.group(2)):02d}" if date.group(2) else "")
    return ""


def _town_name(text: str, suffixes: list[str]) -> str | None:
    text = re.sub(r"[（(][^）)]*[)）]", "", text)
    for suffix in sorted(suffixes, key=len, reverse=True):
        match = re.search(rf"^(.+?{re.escape(suffix)})", text)
        if match and len(match.group(1)) <= 20:
            # take the longest prefix ending in the suffix (卜尔汉图镇, not 卜尔汉图镇镇…)
            ends = [m.end() for m in re.finditer(re.escape(suffix), text) if m.end() <= 20]
            return text[: ends[-1]] if ends else match.group(1)
    return text or None


def list_names(parsed: _Parsed, vocab: Vocabulary) -> ListNames:
    """The list's own department names: what its cells 3 write, and its text for 政府."""
    tails = vocab.layout["department_tails"]
    cell3 = [
        raw
        for m in parsed.matters
        for raw in split_department_cell(
            html_to_text(m.cells.get("departments", "")), vocab.departments, tails
        )
    ]
    text = " ".join(
        html_to_text(m.cells.get(key, ""))
        for m in parsed.matters
        for key in ("department_duties", "town_duties")
    )
    return ListNames(vocab.departments, cell3, text)


# -- pass 2: tables ---------------------------------------------------------------------------
# One pass over the matters that fills every table; the readers' rework of loaders/ splits it.
def _tables(  # noqa: C901
    raw: RawList, parsed: _Parsed, identity: ListIdentity, vocab: Vocabulary
) -> ListTables:
    layout = vocab.layout
    directory = vocab.departments
    tails = layout["department_tails"]
    list_id = identity.list_id
    findings = [(s, c, w, m) for s, c, w, m in parsed.findings]

    def warn(code: str, where: str, message: str, severity: str = "warning") -> None:
        findings.append((severity, code, place(where) or where, message))

    categories = [
        {
            "list_id": list_id,
            "category_id": f"{list_id}/c{c['position']}",
            "position": c["position"],
            "name": c["name"],
            "stated_count": c["stated_count"],
        }
        for c in parsed.categories
    ]
    matters: list[dict[str, Any]] = []
    matter_departments: list[dict[str, Any]] = []
    duties: list[dict[str, Any]] = []
    guarantees: list[dict[str, Any]] = []
    departments: dict[str, dict[str, Any]] = {}
    first_written: dict[str, str] = {}  # department -> the matter (and line) first naming it

    names = list_names(parsed, vocab)

    def department(raw_name: str, where: str) -> str:
        name = names.resolve(raw_name)
        if name not in departments:
            departments[name] = directory.table_row(name)
            first_written[name] = where
        return name

    required = layout.get("required_columns", {}).get(identity.kind, COLUMN_KEYS)
    cooperation = "department_duties" in required  # a 配合 list: duties on both sides, 履职保障
    # a 基本 list's 具体内容 is the town's own duties; a 收回 list's, the receiving department's
    content = {
        "town_duties": lambda m: m.cells.get("content", "") if identity.kind == "基本" else "",
        "department_duties": lambda m: (
            m.cells.get("content", "") if identity.kind == "收回" else ""
        ),
    }
    for m in parsed.matters:
        matter_id = f"{list_id}#{m.number}"
        where = f"matter {m.number} ({m.where})"
        matter_start = len(duties)  # this matter's duties are duties[matter_start:]
        matters.append(
            {
                "list_id": list_id,
                "matter_id": matter_id,
                "number": m.number,
                "name": m.name,
                "category_id": f"{list_id}/c{m.category_id}" if m.category_id else None,
                "category": m.category,
                "source": m.where,
                "basis": one_line(html_to_text(m.cells.get("basis", ""))),
            }
        )
        for key in required[1:]:
            if not html_to_text(m.cells[key]).strip():
                warn("empty-cell", where, _("the {cell} cell is empty").format(cell=_(_CELLS[key])))
        # cell 3
        responsible: list[str] = []
        for raw_name in split_department_cell(
            html_to_text(m.cells.get("departments", "")), directory, tails
        ):
            name = department(raw_name, where)
            if name in responsible:
                continue
            responsible.append(name)
            matter_departments.append(
                {
                    "list_id": list_id,
                    "matter_id": matter_id,
                    "matter": m.number,
                    "position": len(responsible),
                    "department": name,
                    "raw_name": raw_name,
                }
            )
        # cell 4
        sections, guarantee = split_duty_cell(
            html_to_text(m.cells.get("department_duties", content["department_duties"](m))),
            directory,
            layout["guarantee_headings"],
            tails,
        )
        if html_to_text(m.cells.get("guarantee", "")).strip():
            guarantee = strip_guarantee_heading(
                html_to_text(m.cells["guarantee"]), layout["guarantee_headings"]
            )
        if len(responsible) > 1:
            sections = [
                part
                for section in sections
                for part in _sections_by_subject(section, responsible, names.resolve)
            ]
        owners_with_duties: set[str] = set()
        for s_index, section in enumerate(sections, start=1):
            owners = [department(o, where) for o in section.owners] or responsible[:1]
            if not owners:
                warn(
                    "unowned-duties",
                    where,
                    _("department duties with no heading and no department in cell 3"),
                )
                continue
            if section.heading and not section.owners:
                warn(
                    "unassigned-section",
                    where,
                    f"the section headed {section.heading} names no department; its duties "
                    f"were given to {owners[0]}",
                )
            elif not section.owners and len(responsible) > 1:
                warn(
                    "unassigned-section",
                    where,
                    f"duties without a heading in a matter of {len(responsible)} departments; "
                    f"given to {owners[0]}, the first in cell 3",
                )
            elif not section.owners:
                warn(
                    "unheaded-duties",
                    where,
                    _("duties without a heading, given to {owner}").format(owner=owners[0]),
                    "info",
                )
            _numbering_findings(section.duties, where, " / ".join(owners), warn)
            for o_index, owner in enumerate(owners, start=1):
                owners_with_duties.add(owner)
                if owner not in responsible:
                    warn(
                        "owner-not-responsible",
                        where,
                        _(
                            "{owner} has duties in the department cell but is not among the "
                            "departments in cell 3"
                        ).format(owner=owner),
                    )
                for k, duty in enumerate(section.duties, start=1):
                    duties.append(
                        {
                            "list_id": list_id,
                            "duty_id": f"{matter_id}/{s_index}.{o_index}.{k}",
                            "matter_id": matter_id,
                            "matter": m.number,
                            "owner": owner,
                            "owner_kind": "department",
                            "heading": section.heading,
                            "number": duty.number,
                            "text": duty.text,
                        }
                    )
        for name in responsible if cooperation else []:
            if name not in owners_with_duties:
                warn(
                    "responsible-without-duties",
                    where,
                    _("{name} is in cell 3 but has no duties in the department cell").format(
                        name=name
                    ),
                )
        # cell 5
        town_duties = split_duties(
            html_to_text(m.cells.get("town_duties", content["town_duties"](m)))
        )
        _numbering_findings(town_duties, where, identity.town, warn)
        for k, duty in enumerate(town_duties, start=1):
            duties.append(
                {
                    "list_id": list_id,
                    "duty_id": f"{matter_id}/t.{k}",
                    "matter_id": matter_id,
                    "matter": m.number,
                    "owner": identity.town,
                    "owner_kind": "town",
                    "heading": "",
                    "number": duty.number,
                    "text": duty.text,
                }
            )
        if guarantee:
            guarantees.append(
                {
                    "list_id": list_id,
                    "guarantee_id": f"{matter_id}/g",
                    "matter_id": matter_id,
                    "matter": m.number,
                    "text": guarantee,
                    "kinds": ",".join(guarantee_kinds(guarantee, vocab.guarantee_kinds)),
                }
            )
        elif cooperation:
            warn("no-guarantee", where, _("no 履职保障 paragraph in the department cell"))
        _named_elsewhere(duties[matter_start:], responsible, directory, where, warn)

    _category_findings(parsed, warn)
    _matter_number_findings(parsed, warn)
    for name, row in departments.items():
        if not row["in_vocabulary"]:
            warn(
                "unknown-department",
                first_written[name],  # where the analyst can see the name as written
                _("{name} is not in departments.csv (kept as written)").format(name=name),
            )

    data = raw.source
    lists = [
        {
            "list_id": list_id,
            "town": identity.town,
            "province": identity.place.province,
            "city": identity.place.city,
            "district": identity.place.district,
            "kind": identity.kind,
            "version": identity.version,
            "title": parsed.title,
            "source_file": Path(data).name,
            "source_sha256": raw.sha256,
            "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "matters": len(matters),
            "note": parsed.note,
        }
    ]
    findings_rows = [
        {"list_id": list_id, "severity": s, "code": c, "where": w, "message": msg}
        for s, c, w, msg in findings
    ]
    return ListTables(
        lists=_frame("lists", lists),
        categories=_frame("categories", categories),
        matters=_frame("matters", matters),
        matter_departments=_frame("matter_departments", matter_departments),
        duties=_frame("duties", duties),
        guarantees=_frame("guarantees", guarantees),
        departments=_frame("departments", list(departments.values())),
        findings=_frame("findings", findings_rows),
    )


#: The cells of a matter row as the empty-cell check names them.
_CELLS = {
    "name": N_("matter name"),
    "departments": N_("departments"),
    "department_duties": N_("department duties"),
    "town_duties": N_("town duties"),
}


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = list(TABLE_COLUMNS[name])
    return pd.DataFrame(rows, columns=columns)


def _numbering_findings(duties: list, where: str, owner: str, warn) -> None:  # type: ignore[no-untyped-def]
    numbers = [d.number for d in duties if d.label]
    for previous, number in pairwise(numbers):
        if number == previous:
            warn(
                "duty-numbering-duplicate",
                where,
                _("{owner}: duty number {number} appears twice").format(owner=owner, number=number),
            )
        elif number > previous + 1:
            warn(
                "duty-numbering-gap",
                where,
                _("{owner}: duty numbers jump from {previous} to {number}").format(
                    owner=owner, previous=previous, number=number
                ),
            )


_MENTION = re.compile(
    r"(?:区|市|县|旗|省|自治区)[^\s，。；、：:（）()和与及的在内对向将报送交后并或等]{1,14}?"
    r"(?:局|委员会|大队|分局|联合会|政府)"
)


def _named_elsewhere(duties, responsible, directory, where, warn) -> None:  # type: ignore[no-untyped-def]
    """Departments a matter's duties name that are not among its responsible departments."""
    seen: set[str] = set()
    known = directory.known_names()
    for duty in duties:
        text = compact(duty["text"])
        names = []
        for spelling in known:  # longest first, so 区自然资源分局 wins over 区自然资源局
            if spelling in text:
                names.append(directory.resolve(spelling).name)
                text = text.replace(spelling, "|")
        names += [directory.resolve(m).name for m in _MENTION.findall(text)]
        for name in names:
            if (
                name not in responsible
                and name not in seen
                and directory.resolve(name).level != "其他"
            ):
                seen.add(name)
                warn(
                    "named-not-responsible",
                    where,
                    _("duties name {name}, which is not in cell 3").format(name=name),
                    "info",
                )


def _category_findings(parsed: _Parsed, warn) -> None:  # type: ignore[no-untyped-def]
    counts: dict[str, int] = {}
    for m in parsed.matters:
        if m.category_id:
            counts[m.category_id] = counts.get(m.category_id, 0) + 1
    for c in parsed.categories:
        found = counts.get(str(c["position"]), 0)
        if c["stated_count"] is not None and c["stated_count"] != found:
            warn(
                "category-count",
                f"category {c['name']} ({c['where']})",
                _("the heading states {stated} matters, the list holds {found}").format(
                    stated=c["stated_count"], found=found
                ),
                "error" if found == 0 else "warning",
            )
        elif c["stated_count"] is None:
            warn(
                "category-count",
                f"category {c['name']} ({c['where']})",
                _("the heading states no count"),
                "info",
            )
    if any(m.category_id is None for m in parsed.matters) and parsed.categories:
        warn("no-category", "matters", _("some matters come before the first category line"))


def _matter_number_findings(parsed: _Parsed, warn) -> None:  # type: ignore[no-untyped-def]
    numbers = [m.number for m in parsed.matters]
    for previous, number in pairwise(numbers):
        if number != previous + 1:
            warn(
                "matter-numbering-gap",
                f"matter {number}",
                _("matter numbers jump from {previous} to {number}").format(
                    previous=previous, number=number
                ),
            )
    if numbers and numbers[0] != 1:
        warn(
            "matter-numbering-gap",
            f"matter {numbers[0]}",
            _("matter numbers start at {number}").format(number=numbers[0]),
        )


def _sections_by_subject(
    section: Section, responsible: list[str], resolve: Callable[[str], str]
) -> list[Section]:
    """An unheaded section of a matter of several departments, split where a duty opens with
    one of them as its subject (``1.县民政局审核…。2.县财政局拨付…``): each goes to its own."""
    if section.owners:
        return [section]
    parts = [Section(section.heading, [], "")]
    for duty in section.duties:
        subject = _subject_department(duty.text, responsible, resolve)
        if subject is not None:
            parts.append(Section("", [subject], ""))
        parts[-1].duties.append(duty)
    return [p for p in parts if p.duties]


def _subject_department(
    text: str, responsible: list[str], resolve: Callable[[str], str]
) -> str | None:
    """The responsible department a duty's text opens with, as written, or None."""
    for end in range(min(len(text), 26), 2, -1):
        if resolve(text[:end]) in responsible:
            return text[:end]
    return None
