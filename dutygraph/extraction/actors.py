"""Finding the actors of a clause: the town, the level below it, departments, and the words that
name no actor (the public, internal units) or no one in particular (有关部门).

Spellings come from ``vocab/handoff_rules.yaml`` (``actors``) and ``vocab/departments.csv``;
a name the directory does not know (区委宣传部, 县市场监管局) is read by its shape and resolved
through the same directory, so its short forms meet their full names.

>>> from dutygraph.vocabulary import Vocabulary
>>> reader = ActorReader(Vocabulary.load(), "红旗镇")
>>> reader.actor_at("报区住建局审核", 1)
(Actor(name='区住房和城乡建设局', kind='department'), 5)
>>> reader.actor_before("街道上报", 2)
Actor(name='红旗镇', kind='town')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..names import ListNames
from ..vocabulary import Vocabulary

__all__ = ["ACTING_KINDS", "Actor", "ActorReader", "level_rank"]

#: kinds of actor that take part in handoffs (the others are vague or not actors)
ACTING_KINDS = ("town", "department", "village")

#: a body's name by its shape: a level prefix (区委 …: party bodies), then the shortest run that
#: ends like a body (局, 委员会, 指挥部, 办公室, 纪委监委 …)
_UNKNOWN_DEPT = re.compile(
    r"(?:区委|县委|旗委|市委|区|市|县|旗|盟|州|省|自治区)[\u4e00-\u9fff]{0,14}?"
    r"(?:纪委监委|局|委员会|大队|支队|分局|联合会|联|政府|中心|指挥部|办公室|部门|部|厅|委|办)"
)
#: a body named with its province or city first (河南省自然资源厅, 武汉市城市管理委员会)
_PLACED_BODY = r"[\u4e00-\u9fff]{0,14}?(?:局|委员会|厅|政府|中心|办公室|部门|部|委|办|支队|总队)"
_RANK = {"区": 1, "其他": 1, "市": 3, "省": 4, "部": 5}
_JOINERS = "的、和及与并对将由向经在"


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # town | department | village | vague | not_actor

    @property
    def acts(self) -> bool:
        """Whether the actor can send or receive a handoff."""
        return self.kind in ACTING_KINDS


def level_rank(actor: Actor, vocab: Vocabulary) -> int:
    """Where an actor stands: village -1, town 0, district bureaus 1, district government 2,
    city 3, province 4, ministry 5."""
    if actor.kind == "village":
        return -1
    if actor.kind == "town":
        return 0
    if actor.name.endswith(("政府", "指挥部")) and actor.name.startswith(("区", "县", "旗")):
        return 2  # the district's government and its command headquarters stand above bureaus
    placed = re.match(r"(?![区县旗市省盟州])[\u4e00-\u9fff]{2,7}?(省|自治区|市)", actor.name)
    if placed and not actor.name.endswith("分局"):  # 湛江市公安局坡头分局 is a district's
        provinces = _provinces(vocab)
        if placed.group(0) in provinces or placed.group(1) != "市":
            return 4
        if vocab.departments.resolve(actor.name).level in ("区", "其他"):
            return 3  # 武汉市城管委: the city's body, whatever its first character says
    return _RANK.get(vocab.departments.resolve(actor.name).level, 1)


def _provinces(vocab: Vocabulary) -> frozenset[str]:
    return frozenset(n for n, (level, _) in vocab.places.known.items() if level == "province")


class ActorReader:
    """The actor spellings of one list (its town's own name included), longest first."""

    def __init__(self, vocab: Vocabulary, town: str, names: ListNames | None = None) -> None:
        self.vocab = vocab
        self.town = town
        self.names = names or ListNames(vocab.departments, [])
        words: dict[str, Any] = vocab.handoff_rules
        self.fillers = sorted(words["fillers"], key=len, reverse=True)
        self.particles: str = "".join(words["particles"])
        actors = words["actors"]
        self.village_name: str = actors["village_name"]
        self.qualifiers: tuple[str, ...] = tuple(actors.get("qualifiers", []))
        self.organs: tuple[str, ...] = tuple(
            sorted(actors.get("organs", []), key=len, reverse=True)
        )
        spellings: dict[str, Actor] = {}
        directory = vocab.departments
        for spelling in [*directory.known_names(), *self.names.own]:
            spellings[spelling] = Actor(self.names.resolve(spelling), "department")
        for spelling, own in self.names.tails().items():
            spellings.setdefault(spelling, Actor(own, "department"))
        for word in actors["not_actors"]:
            spellings[word] = Actor(word, "not_actor")
        for word in actors["vague"]:
            spellings[word] = Actor(word, "vague")
        for word in [*actors["town"], town]:
            spellings[word] = Actor(town, "town")
        for word in actors["village"]:
            spellings[word] = Actor(self.village_name, "village")
        self.spellings = sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True)
        places = sorted(
            (n for n, (level, _) in vocab.places.known.items() if level in ("province", "city")),
            key=len,
            reverse=True,
        )
        self._placed_before = re.compile(
            f"(?:{'|'.join(map(re.escape, places))}){_PLACED_BODY}$" if places else r"(?!)"
        )
        self._placed_at = re.compile(
            f"(?:{'|'.join(map(re.escape, places))}){_PLACED_BODY}" if places else r"(?!)"
        )

    def spellings_of(self, kind: str) -> list[str]:
        return [s for s, a in self.spellings if a.kind == kind]

    def department(self, written: str) -> Actor:
        return Actor(self.names.resolve(written), "department")

    def actor_at(self, text: str, pos: int, *, announced: bool = False) -> tuple[Actor, int] | None:
        """The actor whose name starts at ``pos`` (longest spelling), and where it ends.

        ``announced``: a particle (至, 到) stands before, so a one-character word (村) is a
        receiver.
        """
        for spelling, actor in self.spellings:
            if text.startswith(spelling, pos):
                end = pos + len(spelling)
                organ = self._organ_length(text, end) if actor.kind in ("town", "village") else 0
                if len(spelling) == 1 and not announced and not organ and not _ends_word(text, end):
                    continue  # 乡 in 乡村振兴局 is not the town (乡党委 is)
                bracket = re.match(r"[（(][^）)]{1,12}[)）]", text[end:])
                if bracket and actor.kind == "department":
                    end += bracket.end()  # 区X局(区Y局): keep the bracketed alias inside the name
                if actor.kind in ("town", "village"):
                    end += self._organ_length(text, end)  # 镇党委, 嘎查党支部: the same actor
                elif actor.kind == "department" and not bracket:
                    longer = self._longer_own_name(text, pos, end, actor)
                    if longer:
                        return longer
                return actor, end
        match = _UNKNOWN_DEPT.match(text, pos) or self._placed_at.match(text, pos)
        if match:
            actor = self.department(match.group(0))
            return self._longer_own_name(text, pos, match.end(), actor) or (actor, match.end())
        return self._qualified_actor_at(text, pos)

    def _longer_own_name(
        self, text: str, pos: int, end: int, actor: Actor
    ) -> tuple[Actor, int] | None:
        """A short form of one of the list's own names that extends a shorter known name
        (区政府办 for 区人民政府办公室, not 区政府)."""
        if end >= len(text) or not _is_cjk(text[end]) or text[end] in _JOINERS:
            return None
        for stop in range(min(len(text), end + 4), end, -1):
            name = self.names.resolve(text[pos:stop])
            if name != actor.name and name in self.names.own:
                return Actor(name, "department"), stop
        return None

    def _qualified_actor_at(self, text: str, pos: int) -> tuple[Actor, int] | None:
        """相关社区, 所在乡镇: a qualifier, then the town or a village."""
        for word in self.qualifiers:
            if text.startswith(word, pos):
                found = self.actor_at(text, pos + len(word), announced=True)
                if found and found[0].kind in ("town", "village"):
                    return found
        return None

    def actor_before(self, text: str, pos: int) -> Actor | None:
        """The actor whose name ends right before ``pos`` (fillers like 已, 采集 may stand
        between)."""
        head = self._strip_organ(self._strip_fillers(text[:pos]))
        for spelling, actor in self.spellings:
            if head.endswith(spelling):
                if len(spelling) == 1 and not _starts_word(head, len(head) - 1):
                    continue  # 乡 in 城乡 is not the town
                return actor
        match = self._placed_before.search(head) or re.search(_UNKNOWN_DEPT.pattern + "$", head)
        if match:
            return self.department(match.group(0))
        return None

    def _organ_length(self, text: str, end: int) -> int:
        organ = next((o for o in self.organs if text.startswith(o, end)), "")
        return len(organ)

    def _strip_organ(self, head: str) -> str:
        """The text before a town's or village's organ that ends it (镇党委 -> 镇)."""
        for organ in self.organs:
            if head.endswith(organ) and len(head) > len(organ):
                rest = head[: -len(organ)]
                if any(
                    rest.endswith(s) for s, a in self.spellings if a.kind in ("town", "village")
                ):
                    return rest
        return head

    def _strip_fillers(self, head: str) -> str:
        stripped = True
        while stripped:
            stripped = False
            for filler in self.fillers:
                if head.endswith(filler) and len(head) > len(filler):
                    head, stripped = head[: -len(filler)], True
                    break
        return head

    def actors_after(
        self, text: str, pos: int, *, announced: bool = False
    ) -> tuple[list[Actor], bool, int]:
        """Receivers right after a verb (or after 向: ``announced``): (actors, whether a particle
        like 至 announced one, end)."""
        while pos < len(text) and text[pos] in self.particles:
            pos += 1
            announced = True
        found = self.actor_at(text, pos, announced=announced) or self._named_place_at(text, pos)
        actors: list[Actor] = []
        while found:
            actor, pos = found
            actors.append(actor)
            if pos < len(text) and text[pos] in "、和及与":
                found = self.actor_at(text, pos + 1)
                if found:
                    continue
            break
        return actors, announced, pos

    def _named_place_at(self, text: str, pos: int) -> tuple[Actor, int] | None:
        """A body right after a verb named with a place the vocabulary does not know
        (报武汉市城市管理委员会): two or three characters and 省 or 市, then a body."""
        match = re.compile(r"[\u4e00-\u9fff]{2,3}(?:省|市)" + _PLACED_BODY).match(text, pos)
        return (self.department(match.group(0)), match.end()) if match else None

    def village_in(self, clause: str) -> Actor | None:
        """The level below the town when the clause names it (a word longer than 村)."""
        for spelling, actor in self.spellings:
            if actor.kind == "village" and len(spelling) > 1 and spelling in clause:
                return actor
        return None

    def without_actor_names(self, text: str) -> str:
        """The text with town and department names blanked (综合行政执法队 holds 执法)."""
        for spelling, actor in self.spellings:
            if len(spelling) > 2 and actor.kind in ("town", "department") and spelling in text:
                text = text.replace(spelling, "|")
        return _UNKNOWN_DEPT.sub("|", text)  # and names read by their shape (县城管执法局)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ends_word(text: str, end: int) -> bool:
    """A one-character actor word (镇, 乡) ends here: no ideograph of the same word follows."""
    return end >= len(text) or not _is_cjk(text[end]) or text[end] in _JOINERS


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not _is_cjk(text[start - 1]) or text[start - 1] in _JOINERS
