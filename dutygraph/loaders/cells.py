"""Reading the inside of a duty list's cells: HTML fragments, department names, numbered duties.

Every format's reader hands the normaliser cells of text that may hold HTML fragments
(``<p>``, ``<ol>``, ``<li>``); these functions turn them into plain text and then into
departments, duty sections and numbered duties. They know no town and no matter number.

>>> html_to_text("<p>区民政局：</p> <p>负责审批。</p>")
'区民政局：\\n负责审批。'
>>> [d.text for d in split_duties("1. 召开会议。 2. 组织体检。")]
['召开会议。', '组织体检。']
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..vocabulary import DepartmentDirectory, compact

__all__ = [
    "Duty",
    "Section",
    "guarantee_kinds",
    "html_to_text",
    "one_line",
    "repair_names",
    "split_department_cell",
    "split_duties",
    "split_duty_cell",
    "squeeze_cjk_spaces",
    "strip_guarantee_heading",
]

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)[^>]*>")
_BLOCK_TAGS = {"p", "br", "div", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "section"}
_LIST_TAGS = {"ol", "ul"}
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200b]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff（）“”《》、，。；：？！"


def html_to_text(cell: str) -> str:
    """Plain text of a cell: block tags become line breaks, list items become lines.

    Inside ``<ol>``/``<ul>`` a sentence end followed by a space also ends an item: lists whose
    ``<li>`` tags were lost in copying keep one item per sentence.

    >>> html_to_text('<ol style="x"> 做甲。 做乙。 </ol>')
    '做甲。\\n做乙。'
    """
    out: list[str] = []
    depth = 0
    pos = 0
    for match in _TAG.finditer(cell):
        out.append(_in_list_text(cell[pos : match.start()], depth))
        closing, tag = match.group(1), match.group(2).lower()
        if tag in _LIST_TAGS:
            depth = max(0, depth - 1) if closing else depth + 1
            out.append("\n")
        elif tag == "li" or tag in _BLOCK_TAGS:
            out.append("\n")
        pos = match.end()
    out.append(_in_list_text(cell[pos:], depth))
    text = html.unescape("".join(out))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _in_list_text(text: str, depth: int) -> str:
    return re.sub(r"。\s+", "。\n", text) if depth else text


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces between two CJK characters (line wrapping in PDF copies).

    >>> squeeze_cjk_spaces("违法图斑的 核查整改")
    '违法图斑的核查整改'
    """
    return re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", text).strip()


@lru_cache(maxsize=8)
def _broken_name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [
        r"[ \t\u00a0\u3000]?".join(re.escape(ch) for ch in name) for name in names if len(name) >= 4
    ]
    return re.compile("|".join(parts)) if parts else None


def repair_names(text: str, directory: DepartmentDirectory) -> str:
    """Rejoin known department names broken by a space (``区城市管理综合执 法局``).

    >>> from dutygraph.vocabulary import Vocabulary
    >>> repair_names("区城市管理综合执 法局： 做好", Vocabulary.load().departments)
    '区城市管理综合执法局： 做好'
    """
    pattern = _broken_name_pattern(tuple(directory.known_names()))
    if pattern is None:
        return text
    return pattern.sub(lambda m: re.sub(r"[ \t\u00a0\u3000]", "", m.group(0)), text)


# -- cell 3: the responsible departments --------------------------------------------------------
def split_department_cell(
    text: str, directory: DepartmentDirectory, tails: list[dict[str, str]]
) -> list[str]:
    """Department names written in a cell, in order, as written (broken names rejoined).

    >>> from dutygraph.vocabulary import Vocabulary
    >>> v = Vocabulary.load()
    >>> split_department_cell("区消防救援大队 区教育局等部门和其他行业主管部门",
    ...                       v.departments, v.layout["department_tails"])
    ['区消防救援大队', '区教育局', '其他行业主管部门']
    """
    text = repair_names(text, directory)
    tokens = [t for t in re.split(r"[\s、，,；;]+", text) if t]
    names: list[str] = []
    for token in tokens:
        if names and not _starts_like_department(token, directory) and not _is_tail(token, tails):
            names[-1] += token  # a name broken by a space: 区行政审批政务服 务与数据管理局
        else:
            names.append(token)
    names = [part for name in names for part in split_run_together(name, directory)]
    out: list[str] = []
    for name in names:
        base, added = strip_tail(name, tails)
        if base:
            out.append(base)
        out.extend(a for a in added if a not in out)
    return out


def split_run_together(name: str, directory: DepartmentDirectory) -> list[str]:
    """Department names written with nothing between them (a PDF loses the line break
    between them) split again, when each part is a department and one of them a known one.

    >>> from dutygraph.vocabulary import Vocabulary
    >>> split_run_together("区残疾人联合会区民政局", Vocabulary.load().departments)
    ['区残疾人联合会', '区民政局']
    >>> split_run_together("区市场监督管理局", Vocabulary.load().departments)
    ['区市场监督管理局']
    """
    if directory.is_known(name) or len(name) < 6:
        return [name]
    for cut in range(3, len(name) - 2):
        head, rest = name[:cut], name[cut:]
        bare = re.sub(r"[（(][^）)]*[）)]$", "", head)  # 区农牧局(区水务局)
        if not (bare.endswith(directory.suffixes) and rest.startswith(directory.prefixes)):
            continue
        if not (head.startswith(directory.prefixes) and directory.looks_like_department(bare)):
            continue
        parts = [head, *split_run_together(rest, directory)]
        bare_parts = [bare, *parts[1:]]
        if all(directory.looks_like_department(p) for p in bare_parts) and any(
            directory.is_known(p) for p in bare_parts
        ):
            return parts
    return [name]


def _starts_like_department(token: str, directory: DepartmentDirectory) -> bool:
    return token.startswith(directory.prefixes) or directory.is_known(token)


def _is_tail(token: str, tails: list[dict[str, str]]) -> bool:
    return any(re.fullmatch(t["pattern"].rstrip("$"), token) for t in tails)


def strip_tail(name: str, tails: list[dict[str, str]]) -> tuple[str, list[str]]:
    """Remove ``等部门``-like tails; return the name and any department a tail implies."""
    added: list[str] = []
    changed = True
    while changed and name:
        changed = False
        for tail in tails:
            stripped = re.sub(tail["pattern"], "", name)
            if stripped != name:
                name = stripped
                if tail.get("adds"):
                    added.insert(0, tail["adds"])
                changed = True
    return name, added


# -- cell 4 and 5: sections and numbered duties ---------------------------------------------------
@dataclass(frozen=True)
class Duty:
    number: int  # as written, or the position when the duties are not numbered
    label: str  # the numbering as written ('1.', '（2）', '③', '') for messages
    text: str


@dataclass
class Section:
    """One heading of a department cell (``区X局：``) and the duties under it."""

    heading: str  # as written, '' for an unheaded paragraph
    owners: list[str]  # department names as written (a shared heading names several)
    body: str
    duties: list[Duty] = field(default_factory=list)


_NUMBERING: dict[str, tuple[re.Pattern[str], Callable[[str], int]]] = {
    "arabic": (re.compile(r"(?:^|(?<=[\s。；;：:]))(\d{1,2})\s*[.．、](?![\d.．])"), int),
    # （2） may follow the last duty's text directly (…告知申请人（2）定期复核): a number in
    # brackets is numbering, the sequence check keeps stray ones out
    "paren": (re.compile(r"[（(]\s*(\d{1,2})\s*[)）]"), int),
    "circled": (re.compile(r"([\u2460-\u2473])"), lambda s: ord(s) - 0x2460 + 1),
    "chinese": (
        re.compile(r"(?:^|(?<=[\s。；;：:]))[（(]?([一二三四五六七八九十]{1,3})[)）、]"),
        lambda s: _chinese_number(s),
    ),
}


def _chinese_number(s: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + digits.get(s[1], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return digits.get(tens, 0) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(s, 0)


def split_duties(text: str) -> list[Duty]:
    """Numbered duties of one owner's text; unnumbered text gives one duty per line.

    The top level of numbering is the style whose ``1`` comes first; sub-items of another
    style (``（1）`` under ``1.``) stay inside their duty. Numbers may skip or repeat (the
    lint reports it); a number far out of sequence is read as text.

    >>> [(d.number, d.text) for d in split_duties("1. 组织检查： （1）甲。 （2）乙。 2. 上报。")]
    [(1, '组织检查： （1）甲。 （2）乙。'), (2, '上报。')]
    >>> [d.number for d in split_duties("（1）甲。（2）乙。")]
    [1, 2]
    """
    text = text.strip()
    if not text:
        return []
    best: list[tuple[int, int, int, str]] | None = None  # (start, end, number, label)
    for pattern, to_int in _NUMBERING.values():
        marks = [
            (m.start(), m.end(), to_int(m.group(1)), m.group(0)) for m in pattern.finditer(text)
        ]
        sequence = _sequence(marks)
        if sequence and (best is None or sequence[0][0] < best[0][0]):
            best = sequence
    if best is None:
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        return [Duty(i, "", one_line(ln)) for i, ln in enumerate(lines, start=1)]
    duties: list[Duty] = []
    intro = text[: best[0][0]].strip()
    for i, (_start, end, number, label) in enumerate(best):
        stop = best[i + 1][0] if i + 1 < len(best) else len(text)
        body = one_line(text[end:stop])
        if i == 0 and intro:
            body = f"{one_line(intro)} {body}"
        duties.append(Duty(number, label.strip(), body))
    return duties


def _sequence(marks: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """The marks that form a numbering: start at 1, then each a little above the last."""
    chosen: list[tuple[int, int, int, str]] = []
    for mark in marks:
        number = mark[2]
        if not chosen:
            if number == 1:
                chosen.append(mark)
            continue
        last = chosen[-1][2]
        if last <= number <= last + 3:
            chosen.append(mark)
    return chosen


def one_line(text: str) -> str:
    r"""Text on one line, runs of spaces as one; a line break between Chinese text (after an
    ideograph or a full-width mark, before an ideograph or an opening mark) joins without a
    space, as Chinese is written; elsewhere it is a space.

    >>> one_line("使服务更具针对性。\n建立服务档案"), one_line("report to\nthe bureau")
    ('使服务更具针对性。建立服务档案', 'report to the bureau')
    """
    lines = [line for line in (_SPACES.sub(" ", part).strip() for part in text.split("\n")) if line]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        chinese = _ENDS_CHINESE.search(joined) and _STARTS_CHINESE.match(line)
        joined = f"{joined}{line}" if chinese else f"{joined} {line}"
    return joined


_ENDS_CHINESE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\u201d\u2019]$")
_STARTS_CHINESE = re.compile(r"[\u3400-\u9fff\u201c\u2018\uff08\u300a\u3008\u300c\u300e]")


def split_duty_cell(
    text: str,
    directory: DepartmentDirectory,
    guarantee_headings: list[str],
    tails: list[dict[str, str]],
) -> tuple[list[Section], str | None]:
    """Split a department cell into headed sections and the guarantee text.

    >>> from dutygraph.vocabulary import Vocabulary
    >>> v = Vocabulary.load()
    >>> sections, guarantee = split_duty_cell(
    ...     "区民政局：\\n1. 审批。 2. 反馈街镇。\\n履职保障： 提供业务指导。",
    ...     v.departments, v.layout["guarantee_headings"], v.layout["department_tails"])
    >>> [(s.owners, [d.number for d in s.duties]) for s in sections], guarantee
    ([(['区民政局'], [1, 2])], '提供业务指导。')
    """
    text = repair_names(text, directory)
    guarantee: str | None = None
    found = list(_guarantee_heading(tuple(guarantee_headings)).finditer(text))
    if found:
        last = found[-1]
        guarantee = one_line(text[last.end() :])
        text = text[: last.start()]

    headings = _headings(text, directory, tails)
    sections: list[Section] = []
    cursor = 0
    pending_owners: list[str] = []
    pending_heading = ""
    for start, end, heading, owners in headings:
        if start > cursor or pending_owners:
            sections.extend(
                _paragraph_sections(pending_heading, pending_owners, text[cursor:start])
            )
        pending_heading, pending_owners, cursor = heading, owners, end
    sections.extend(_paragraph_sections(pending_heading, pending_owners, text[cursor:]))
    for section in sections:
        section.duties = split_duties(section.body)
    sections = [s for s in sections if s.duties or s.owners]
    return sections, guarantee


@lru_cache(maxsize=8)
def _guarantee_heading(headings: tuple[str, ...]) -> re.Pattern[str]:
    heads = "|".join(re.escape(h) for h in sorted(headings, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s。；;]))(?:{heads})\s*[：:]")


def strip_guarantee_heading(text: str, guarantee_headings: list[str]) -> str:
    """A 履职保障 column's text on one line, without a ``履职保障：`` heading it may repeat.

    >>> strip_guarantee_heading("履职保障：\\n提供业务指导。", ["履职保障"])
    '提供业务指导。'
    """
    found = _guarantee_heading(tuple(guarantee_headings)).match(text.strip())
    return one_line(text.strip()[found.end() :] if found else text)


_COLON = re.compile(r"[：:]")
_BRACKETED = re.compile(r"【([^】]{2,80})】\s*[：:]?")
#: words after a department's name that make it a section heading (区X负责：, 区X职责：)
_ROLE = re.compile(
    r"(?:[（(](?:牵头|主责|主办|配合|协办)(?:单位|部门)?[)）])?"
    r"(?:的)?(?:主要职责|工作职责|具体职责|职责|主要职能|职能|工作任务|负责|牵头|配合)?$"
)
#: a numbering mark or bullet right before a heading (一、区X：, （二）区X：, ★区X：): part of it
_MARK_BEFORE = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．]"
    r"|[①-⑳]|[★●◆■□▲•·\-])\s*$"
)
#: a line of its own (a department's name standing alone before its duties)
_LINE = re.compile(r"(?m)^[ \t]*([^\n：:。；;]{3,40}?)[ \t]*$")
#: the shape of a department's name: a level, a few characters, a body word (区农牧局, 县委政法委)
_DEPARTMENT_NAME = (
    r"(?:区委|县委|旗委|市委|区|县|旗|市|盟|州)[\u4e00-\u9fff（）()]{1,24}?"
    r"(?:局|分局|委员会|大队|中心|联合会|部|办公室|政府|委|办)"
)
#: a section without a colon: a department that opens a sentence, then 负责 (区X负责审核…；区Y负责…)
_NAME_THEN_ROLE = re.compile(
    rf"(?:(?<=^)|(?<=[\n。；;]))\s*({_DEPARTMENT_NAME})(?=负责|牵头负责|主要负责)"
)
#: a department name ending a run of text (区X：(1)… after another section's last duty)
_NAME_AT_END = re.compile(_DEPARTMENT_NAME)


def _headings(
    text: str, directory: DepartmentDirectory, tails: list[dict[str, str]]
) -> list[tuple[int, int, str, list[str]]]:
    """(start, end, heading, owner names) of every section heading in a department cell:
    ``区X局：``, ``【区X局】``, ``区X负责：``, ``区X职责：``, shared ``区X、区Y：``; also one that
    starts mid-cell after another section's duties. A bracketed heading that names no
    department is kept with no owners (the normaliser reports it)."""
    out = []
    for match in _BRACKETED.finditer(text):
        inner = _ROLE.sub("", compact(match.group(1)))
        owners = heading_owners(inner, directory, tails)
        out.append((_mark_start(text, match.start()), match.end(), compact(match.group(1)), owners))
    for colon in _COLON.finditer(text):
        if any(start <= colon.start() < end for start, end, _, _ in out):
            continue
        found = _colon_heading(text, colon.start(), directory, tails)
        if found:
            start, heading, owners = found
            out.append((_mark_start(text, start), colon.end(), heading, owners))
    for line in _LINE.finditer(text):  # a line that is only a department's name: 区X<br>1.…
        name = line.group(1)
        if any(start <= line.start(1) < end for start, end, _, _ in out):
            continue
        owners = heading_owners(_ROLE.sub("", compact(name)), directory, tails)
        if owners:
            out.append((_mark_start(text, line.start(1)), line.end(1), compact(name), owners))
    for match in _NAME_THEN_ROLE.finditer(text):
        if any(start <= match.start(1) < end for start, end, _, _ in out):
            continue
        owners = heading_owners(match.group(1), directory, tails)
        if owners:
            out.append((_mark_start(text, match.start(1)), match.end(1), match.group(1), owners))
    return sorted(out)


def _mark_start(text: str, start: int) -> int:
    """Where a heading starts once a numbering mark or bullet right before it is included."""
    mark = _MARK_BEFORE.search(text[:start])
    return mark.start() if mark else start


def _colon_heading(
    text: str, colon: int, directory: DepartmentDirectory, tails: list[dict[str, str]]
) -> tuple[int, str, list[str]] | None:
    """The heading that ends at a colon: from the last sentence break, or else the department
    name right before the colon (a section starting mid-cell)."""
    before = text[:colon]
    cut = max(before.rfind(ch) for ch in "\n。；;")
    candidate = before[cut + 1 :]
    owners = heading_owners(_ROLE.sub("", compact(candidate)), directory, tails)
    if owners:
        start = cut + 1 + (len(candidate) - len(candidate.lstrip()))
        return start, compact(candidate), owners
    bare = _ROLE.sub("", before.rstrip())
    name_start = _name_at_end(bare, directory)
    if name_start is not None:
        owners = heading_owners(bare[name_start:], directory, tails)
        if owners:
            return name_start, compact(text[name_start:colon]), owners
    return None


def _name_at_end(text: str, directory: DepartmentDirectory) -> int | None:
    """Where the department name that ends ``text`` starts: the longest name the directory
    knows, else the shortest that starts with a county-level prefix (市 and 区 occur inside
    names: 城市管理局, 社区)."""
    fallback = None
    for start in range(max(0, len(text) - 26), len(text) - 2):
        candidate = text[start:]
        if not _NAME_AT_END.fullmatch(candidate):
            continue
        if directory.is_known(candidate) and directory.looks_like_department(candidate):
            return start
        if candidate.startswith(("县", "旗", "盟", "州", "区")):
            fallback = start
    return fallback


def heading_owners(
    candidate: str, directory: DepartmentDirectory, tails: list[dict[str, str]]
) -> list[str]:
    """The departments a heading names, or [] when the text is not a department heading.

    >>> from dutygraph.vocabulary import Vocabulary
    >>> v = Vocabulary.load()
    >>> heading_owners("区教育局、区商务局等有关部门", v.departments, v.layout["department_tails"])
    ['区教育局', '区商务局']
    >>> heading_owners("重点检查", v.departments, v.layout["department_tails"])
    []
    """
    name = compact(candidate)
    if not name or len(name) > 120:
        return []
    base, added = strip_tail(name, tails)
    parts = [p for p in _JOINED.split(base) if p] if base else []
    if not parts and not added:
        return []
    for part in parts:
        if not directory.looks_like_department(part):
            return []
        if not (
            part.startswith(directory.prefixes)
            or directory.is_known(part)
            or _PLACE_PREFIX.match(part)
        ):
            return []
    return parts + [a for a in added if a not in parts]


#: a body named with its place first (武汉市自然资源和规划局汉阳分局, 汉阳区民政局)
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:市|区|县|旗|盟|州)[\u4e00-\u9fff]{2,}")

#: where a shared heading joins two departments: 、 or 和/及/与 between a name's end and a
#: level prefix (区人力资源和社会保障局 is one name)
_JOINED = re.compile(r"、|(?<=[局会委部队办])[和及与](?=区|县|旗|市|盟|州)")

_SUBJECT = re.compile(r"^((?:其他|相关|各)[^\s，。、；：:]{0,10}?(?:部门|单位))")


def _paragraph_sections(heading: str, owners: list[str], body: str) -> list[Section]:
    """A heading's body, split where a paragraph starts with another subject (``其他部门按…``)."""
    sections = [Section(heading, list(owners), "")]
    lines = body.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        subject = _SUBJECT.match(stripped)
        if subject and (index > 0 or not owners):
            sections.append(Section("", [subject.group(1)], stripped + "\n"))
        else:
            sections[-1].body += line + "\n"
    return [s for s in sections if s.body.strip() or s.owners]


# -- guarantees -----------------------------------------------------------------------------------
def guarantee_kinds(text: str, kinds: dict[str, list[str]]) -> list[str]:
    """The kinds of support a 履职保障 text promises, in the vocabulary's order.

    >>> from dutygraph.vocabulary import Vocabulary
    >>> kinds = Vocabulary.load().guarantee_kinds
    >>> guarantee_kinds("提供业务指导培训、数据分析、人员信息查询。", kinds)
    ['guidance', 'training', 'information']
    """
    return [kind for kind, patterns in kinds.items() if any(re.search(p, text) for p in patterns)]
