"""The steps of extraction, one function each: split a duty into clauses, find the handoff verbs
and how each is read (its sender and receiver), resolve a receiver the clause does not name,
pick the frame that types the edge, and reconcile two accounts of one handoff in a matter.

Readings of a verb (``Rule.reading``):

* ``named`` ``X上报…`` / ``上报X``: the clause's sender (or the duty's owner) hands it to X;
* ``toward`` ``向X上报``: X receives;
* ``to-owner`` ``对区X上报的…`` in another department's duty: the owner receives;
* ``attributive`` ``X上报的…`` / ``根据区X反馈的…``: X handed it to the duty's owner;
* ``receive`` ``接到区X…通知后``: a case received from X;
* ``collect`` ``向街镇收集…``: the owner collects from X;
* ``bare`` no receiver named: see :mod:`.receivers`.
* ``outcome`` ``根据区X的审批结果`` in the town's duty: X fed its outcome back (no verb).

A verb that reads as a handoff but finds no receiver, or whose actors no frame types, is
*unresolved*: kept with its clause so that ``dutygraph handoffs --unresolved`` can list it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..names import ListNames
from ..tables import TABLE_COLUMNS, ListTables
from ..vocabulary import Vocabulary
from .actors import Actor, ActorReader
from .clauses import Clause, split_clauses
from .frames import Conditions, Frames
from .lexicon import Lexicon
from .receivers import (
    PUBLIC,
    MatterContext,
    Receiver,
    bigrams,
    department_text,
    implied_receiver,
    implied_sender,
    receiving_text,
)

__all__ = ["Extraction", "Rule", "extract"]

#: verb classes that hand something over on their own (not ``result``/``receive`` words, which
#: only tell a handoff in an attributive reading)
_HANDOFF_CLASSES = frozenset(
    {"report", "feedback", "assign", "refer", "escalate", "transfer", "inform", "notify", "send"}
)

_DIRECTED_READINGS = ("named", "toward", "to-owner", "bare")
_NOBODY = PUBLIC
#: verb classes that hand something down, where supplies (下拨物资) are no handoff
_HANDING_DOWN = frozenset({"assign", "refer", "notify", "transfer", "inform", "send"})
_TOWARD = re.compile(r"向((?:[^，。；向]{1,30}?))(?:等[^，。；]{0,6})?$")


@dataclass(frozen=True)
class Rule:
    """The rule that fired: how the verb was read, and the frame that typed the edge."""

    reading: str  # named | toward | to-owner | attributive | receive | collect | bare | outcome
    verb: str
    verb_class: str
    frame: str

    def __str__(self) -> str:
        return f"{self.frame} ({self.verb_class} {self.verb}, {self.reading})"


@dataclass
class _Edge:
    src: Actor
    dst: Actor
    type: str
    clause: Clause
    how: str  # explicit | inferred | implicit
    rule: Rule
    defer: str = ""


@dataclass(frozen=True)
class _Reading:
    """A verb read with its sender and receiver, before a frame types it."""

    src: Actor
    dst: Actor
    verb_class: str
    reading: str
    how: str
    refusal: bool


@dataclass(frozen=True)
class _Unresolved:
    clause: Clause
    verb: str
    verb_class: str
    sender: str
    reason: str  # no_receiver | no_sender | no_frame


@dataclass
class _Duty:
    """One duty being read: its owner and what earlier clauses established."""

    row: Mapping[str, Any]  # the duty's row of the duties table
    owner: Actor
    edges: list[_Edge] = field(default_factory=list)
    unresolved: list[_Unresolved] = field(default_factory=list)
    town_input: bool = False  # the owner has taken in the town's input (a later 下发 = feedback)
    village: Actor | None = None  # a village named earlier in the sentence


@dataclass
class Extraction:
    """What extraction found in one list: the handoffs and the clauses it could not type."""

    handoffs: pd.DataFrame
    unresolved: pd.DataFrame


class _Reader:
    """The vocabulary compiled for one list (its town included)."""

    def __init__(self, vocab: Vocabulary, town: str, names: ListNames | None = None) -> None:
        self.vocab = vocab
        self.actors = ActorReader(vocab, town, names)
        self.lexicon = Lexicon(vocab)
        self.frames = Frames.load(vocab)
        report_verbs = [
            v for v, c in self.lexicon.verb_class.items() if c in ("report", "feedback", "provide")
        ]
        # "街镇上报…": a department duty that takes in the town's reports
        self.town_report = re.compile(
            f"(?:{'|'.join(map(re.escape, self.actors.spellings_of('town')))})"
            f"[^，。；,;的]{{0,5}}?(?:{'|'.join(map(re.escape, report_verbs))})"
        )

    def enforces(self, text: str) -> bool:
        """Whether the text asks for enforcement (查处, 关停 …), actor names and words that only
        hold one (核查处置) set aside."""
        text = self.actors.without_actor_names(text)
        for word in self.lexicon["enforcement_lookalikes"]:
            text = text.replace(word, "|")
        return self.lexicon.has("enforcement", text)


def extract(tables: ListTables, *, vocab: Vocabulary | None = None) -> Extraction:
    """The handoffs every duty of a list states or implies, and the handoff clauses left untyped."""
    vocab = vocab or Vocabulary.load()
    names = ListNames(
        vocab.departments,
        tables.matter_departments["raw_name"],
        " ".join([*tables.duties["text"].astype(str), *tables.duties["heading"].astype(str)]),
    )
    reader = _Reader(vocab, str(tables.lists["town"].iloc[0]), names)
    responsible = (
        tables.matter_departments.sort_values(["matter_id", "position"])
        .groupby("matter_id")["department"]
        .agg(list)
        .to_dict()
    )
    handoff_rows: list[dict[str, Any]] = []
    unresolved_rows: list[dict[str, Any]] = []
    list_id = tables.list_id
    # the duties as plain rows, grouped by matter in the order they come (as
    # ``groupby(sort=False)`` would, without a Series per row: a province is a million duties)
    by_matter: dict[Any, list[dict[str, Any]]] = {}
    for row in tables.duties.to_dict("records"):
        by_matter.setdefault(row["matter_id"], []).append(row)
    for matter_id, duties in by_matter.items():
        matter = MatterContext(
            matter_id=str(matter_id),
            number=int(duties[0]["matter"]),
            responsible=responsible.get(matter_id, []),
            receiving_text=receiving_text(duties, reader.town_report),
            department_text=department_text(duties),
        )
        read = [_read_duty(row, matter, reader) for row in duties]
        _resolve_deferred(read, reader)
        _reconcile(read, reader)
        for duty in read:
            handoff_rows.extend(_handoff_rows(duty, matter, list_id))
            unresolved_rows.extend(_unresolved_rows(duty, matter, list_id))
    return Extraction(
        pd.DataFrame(handoff_rows, columns=list(TABLE_COLUMNS["handoffs"])),
        pd.DataFrame(unresolved_rows, columns=list(TABLE_COLUMNS["unresolved"])),
    )


def _read_duty(row: Mapping[str, Any], matter: MatterContext, reader: _Reader) -> _Duty:
    owner_kind = "town" if row["owner_kind"] == "town" else "department"
    duty = _Duty(row, Actor(row["owner"], owner_kind))
    words = reader.lexicon.words
    for clause in split_clauses(
        str(row["text"]), words["conditional_starts"], words["receiver_acts"]
    ):
        if clause.opens_sentence:
            duty.village = None
        found = [
            e
            for verb in reader.lexicon.verbs(clause.text)
            for e in _verb_edges(clause, verb, duty, matter, reader)
        ]
        found += _outcome_edges(clause, duty, matter, reader)
        duty.edges.extend(found)
        if any(e.src.kind == "town" and e.dst == duty.owner for e in found):
            duty.town_input = True
        duty.village = reader.actors.village_in(clause.text) or duty.village
    return duty


#: how a town's clause takes in a department's outcome: 根据区X的审批结果, 收到审核意见后
_TAKES_IN = re.compile(r"^(?:根据|按照|依据|依照|接到|收到|接收|结合)")


def _outcome_edges(
    clause: Clause, duty: _Duty, matter: MatterContext, reader: _Reader
) -> list[_Edge]:
    """A department's outcome the town's clause acts on (根据区X的审批结果, 接到区X审核意见后,
    收到审批结果后): the department fed it back, named or found from the cells."""
    if duty.owner.kind != "town":
        return []
    edges = []
    for outcome in reader.lexicon.outcomes_in(clause.text):
        head = re.sub(r"(?:作出|出具|作出的|出具的|的)$", "", clause.text[: outcome.start()])
        src = reader.actors.actor_before(head, len(head))
        how = "explicit"
        if src is None and head in ("收到", "接到", "接收"):  # 根据核查结果: maybe its own
            implied = implied_sender(outcome.group(0)[:2], clause.text, matter, reader.lexicon)
            src, how = (implied.actor, implied.how) if implied else (None, how)
        if src is None or src.kind != "department" or not _TAKES_IN.match(clause.text):
            continue
        reading = _Reading(src, duty.owner, "feedback", "outcome", how, False)
        edge = _typed(reading, clause, outcome, duty, matter, reader)
        if edge is not None:
            edges.append(edge)
    return edges


def _verb_edges(
    clause: Clause, verb: re.Match[str], duty: _Duty, matter: MatterContext, reader: _Reader
) -> list[_Edge]:
    """The typed edges one verb of a clause gives (none when it is no handoff)."""
    text, word = clause.text, verb.group(0)
    before, after = text[: verb.start()], text[verb.end() :]
    if reader.lexicon.blocked(before, after, word):
        return []
    refusal = reader.lexicon.refused(clause.context)
    readings = _readings(clause, verb, duty, matter, reader, refusal)
    edges = []
    for reading in readings:
        edge = _typed(reading, clause, verb, duty, matter, reader)
        if edge is not None:
            edges.append(edge)
        elif reading.verb_class in _HANDOFF_CLASSES:
            duty.unresolved.append(
                _Unresolved(clause, word, reading.verb_class, reading.src.name, "no_frame")
            )
    return edges


def _typed(
    reading: _Reading,
    clause: Clause,
    verb: re.Match[str],
    duty: _Duty,
    matter: MatterContext,
    reader: _Reader,
) -> _Edge | None:
    """Pick the frame of a reading; the edge it types, or None."""
    word = verb.group(0)
    lead = matter.responsible[0] if matter.responsible else ""
    cond = Conditions(
        refusal=reading.refusal,
        enforcement=reader.enforces(clause.context),
        town_input=duty.town_input and reading.reading not in ("receive", "attributive", "collect"),
        case=reader.lexicon.has("case_words", clause.context),
        paperwork=reader.lexicon.has("paperwork", clause.text),
        result=reader.lexicon.has("results", clause.text),
        to_lead=reading.dst.name == lead and reading.src.name in matter.responsible,
        stated=reading.reading in ("named", "toward"),
        action=reading.reading == "named" and _asks_action(clause.text, verb.end(), reader),
        topic=clause.context != clause.text and clause.context.endswith(clause.text),
        outcome=reader.lexicon.outcome(clause.text),
    )
    frame = reader.frames.pick(reading.verb_class, reading.src, reading.dst, cond)
    if frame is None:
        return None
    rule = Rule(reading.reading, word, reading.verb_class, frame.id)
    return _Edge(reading.src, reading.dst, frame.type, clause, reading.how, rule, frame.defer)


@dataclass(frozen=True)
class _VerbAt:
    """A verb in a clause of a duty, as each reading takes it."""

    clause: Clause
    verb: re.Match[str]
    duty: _Duty
    verb_class: str
    refusal: bool  # the clause's context refuses (拒不整改的)

    @property
    def word(self) -> str:
        return self.verb.group(0)

    @property
    def before(self) -> str:
        return self.clause.text[: self.verb.start()]

    @property
    def after(self) -> str:
        return self.clause.text[self.verb.end() :]

    def reading(self, src: Actor, verb_class: str, reading: str, how: str = "explicit") -> _Reading:
        """The owner of the duty receiving from ``src``."""
        return _Reading(src, self.duty.owner, verb_class, reading, how, self.refusal)


def _readings(
    clause: Clause,
    verb: re.Match[str],
    duty: _Duty,
    matter: MatterContext,
    reader: _Reader,
    refusal: bool,
) -> list[_Reading]:
    """How a verb is read: which of the readings of the module docstring applies."""
    at = _VerbAt(clause, verb, duty, reader.lexicon.verb_class[verb.group(0)], refusal)
    if at.verb_class == "receive":
        return _received(at, reader)
    if _attributive(at.after) or _attributive_with_object(clause.text, verb, reader):
        return _attributed(at, matter, reader)
    if at.verb_class == "result":
        return []
    if at.verb_class == "collect":
        return _collected(at, reader)
    return _directed(at, matter, reader)


def _received(at: _VerbAt, reader: _Reader) -> list[_Reading]:
    """接到区X…通知后: X assigned the case to the owner."""
    found = reader.actors.actor_at(at.clause.text, at.verb.end())
    if (
        found
        and found[0].kind == "department"
        and re.match(r"[^，。；]{0,8}(通知|指令|任务|线索)", at.clause.text[found[1] :])
    ):
        return [at.reading(found[0], "assign", "receive")]
    return []


def _attributed(at: _VerbAt, matter: MatterContext, reader: _Reader) -> list[_Reading]:
    """X上报的… / 根据区X反馈的…: X handed it to the duty's owner; 根据下发的名单 in the town's
    cell: the department that hands it down (see :func:`implied_sender`)."""
    cls, after, owner = at.verb_class, at.after, at.duty.owner
    src = reader.actors.actor_before(at.clause.text, at.verb.start())
    how = "explicit"
    if src is None and owner.kind == "town" and cls in _HANDING_DOWN | {"feedback"}:
        implied = implied_sender(at.word, at.clause.text, matter, reader.lexicon)
        if implied is None:
            at.duty.unresolved.append(_Unresolved(at.clause, at.word, cls, owner.name, "no_sender"))
            return []
        src, how = implied.actor, implied.how
    if src is None or not src.acts:
        return []
    if cls in ("assign", "refer", "transfer", "inform", "send") and reader.lexicon.has(
        "supplies", after[:20]
    ):
        return []
    if cls in ("notify", "inform") and reader.lexicon.has("results", after[:12]):
        cls = "feedback"  # 根据县司法局告知的调处结果: a result returned
    refused = reader.lexicon.refused(after) or at.refusal
    return [_Reading(src, owner, cls, "attributive", how, refused)]


def _collected(at: _VerbAt, reader: _Reader) -> list[_Reading]:
    """向街镇收集…: the owner collects from X (X reports to the owner)."""
    match = re.search(r"向([^，。；]{2,20})$", at.before)
    found = reader.actors.actor_at(at.clause.text, match.start(1)) if match else None
    if found and found[0].acts:
        return [at.reading(found[0], "report", "collect")]
    return []


def _directed(at: _VerbAt, matter: MatterContext, reader: _Reader) -> list[_Reading]:
    """A verb with its sender before it and its receivers after it (or after 向 before it)."""
    clause, verb, duty = at.clause, at.verb, at.duty
    sender, receivers, reading, announced = _sender_and_receivers(clause, verb, duty, reader)
    toward = _TOWARD.search(at.before)
    if _public_subject(at.before[: toward.start()] if toward else at.before, reader):
        return []  # 协助申请人提交材料, 引导群众向区X申请: the public hands it over
    if _not_a_handoff(
        at.verb_class, bool(toward), reading, receivers, clause.text, verb, duty, reader
    ):
        return []
    if sender.kind == "town":  # 上报相关行业主管部门: to the town, the matter's department
        generic = reader.lexicon["actors"]["generic_departments"]
        receivers = [Actor(r.name, "vague") if r.name in generic else r for r in receivers]
    real, how = [r for r in receivers if r.acts], "explicit"
    if not real:
        implied = _bare_receiver(clause, verb, sender, receivers, announced, duty, matter, reader)
        if implied is None or not implied.actor.acts:
            return []
        real, reading, how = [implied.actor], "bare", implied.how
    out = []
    for receiver in real:
        src = sender
        if receiver == src and src.kind == "town" and duty.village is not None:
            src = duty.village  # 村委会发现险情的，应当立即报告乡政府
        if receiver != src:
            out.append(_Reading(src, receiver, at.verb_class, reading, how, at.refusal))
    return out


def _sender_and_receivers(
    clause: Clause, verb: re.Match[str], duty: _Duty, reader: _Reader
) -> tuple[Actor, list[Actor], str, bool]:
    """(sender, receivers named, reading, whether a particle announced a receiver)."""
    text, actors = clause.text, reader.actors
    receivers, announced, _ = actors.actors_after(text, verb.end())
    reading = "named"
    subject = _subject(text, verb.start(), actors)
    toward = _TOWARD.search(text[: verb.start()])
    if toward:
        named, _, _ = actors.actors_after(text, toward.start(1), announced=True)
        # 向X上报: X receives; 向其监护人下达: someone, but no actor
        receivers, reading, subject = named or [_NOBODY], "toward", None
    sender = subject or duty.owner
    if (
        subject is not None
        and subject != duty.owner
        and not receivers
        and verb.group(0) not in reader.lexicon["not_to_owner"]
    ):
        # 对区农牧局上报违法行为…查处 in 市农牧局's duty: the owner receives
        receivers, reading = [duty.owner], "to-owner"
    return sender, receivers, reading, announced


def _not_a_handoff(
    cls: str,
    toward: bool,
    reading: str,
    receivers: list[Actor],
    text: str,
    verb: re.Match[str],
    duty: _Duty,
    reader: _Reader,
) -> bool:
    """提供 without information, 申请 not to a named body, a receiver that is the public, or
    supplies handed down (下拨物资, 将优待证下发): the verb hands nothing over in the graph's
    sense."""
    lexicon = reader.lexicon
    before, after = text[: verb.start()], text[verb.end() :]
    if cls == "provide" and (
        not lexicon.has("information_objects", after[:12]) or duty.owner.kind != "town" or toward
    ):
        return True
    if cls == "apply" and reading != "toward" and not any(r.acts for r in receivers):
        return True
    if any(r.kind == "not_actor" for r in receivers):
        return True
    # the thing handed: the object of 将/把, else the clause's subject (补贴资金下达后通知…)
    handed = re.split(r"[将把]", before)[-1] if re.search(r"[将把]", before) else before[:6]
    return cls in _HANDING_DOWN and (
        lexicon.has("supplies", after[:16]) or lexicon.has("supplies", handed)
    )


def _bare_receiver(
    clause: Clause,
    verb: re.Match[str],
    sender: Actor,
    receivers: list[Actor],
    announced: bool,
    duty: _Duty,
    matter: MatterContext,
    reader: _Reader,
) -> Receiver | None:
    """The receiver of a verb that names none that acts; an untyped handoff is kept unresolved."""
    word = verb.group(0)
    cls = reader.lexicon.verb_class[word]
    words = reader.lexicon.words
    vague = any(r.kind == "vague" for r in receivers)
    if (announced or word[-1] in reader.actors.particles) and not vague:
        return None  # 下发到相关股室, 发放到户: a receiver, but not an actor
    before = clause.text[: verb.start()]
    if (
        word in words["need_receiver"]
        and not vague
        and not any(before.endswith(a) for a in words["bare_after"])
        and not (cls == "feedback" and reader.lexicon.has("results", clause.text))
    ):
        return None  # a bare 报告, 通知: no handoff; a bare 回告 of a result returns it
    topic = (
        clause.context[: -len(clause.text)].rstrip("，") if clause.context != clause.text else ""
    )
    text = str(duty.row["text"])
    sentence = text[max(text.rfind(ch, 0, clause.start) for ch in "。；;") + 1 : clause.end]
    implied = implied_receiver(
        sender,
        cls,
        clause.text,
        matter,
        reader.actors,
        reader.lexicon,
        topic,
        verb.start(),
        sentence,
    )
    if implied is None and cls in _HANDOFF_CLASSES:
        duty.unresolved.append(_Unresolved(clause, word, cls, sender.name, "no_receiver"))
    return implied


def _public_subject(before: str, reader: _Reader) -> bool:
    """Whether the words right before a verb (or before its 向) say that the owner helps the
    public do it (协助申请人提交, 引导群众向区X申请): the public hands it over, not the owner."""
    found = reader.actors.actor_before(before, len(before))
    if found is None or found.kind != "not_actor" or found.name in reader.lexicon["instruments"]:
        return False
    helping = "|".join(map(re.escape, reader.lexicon["helping_verbs"]))
    return bool(re.search(rf"(?:{helping})[^，。；]{{0,8}}{re.escape(found.name)}$", before))


def _subject(text: str, verb_start: int, actors: ActorReader) -> Actor | None:
    """The sender the clause names before its verb, if it names one that acts."""
    subject = actors.actor_before(text, verb_start)
    if subject is None:
        # 各村（社区）灾害信息员…将灾情报告镇人民政府: the clause's first words name the sender
        start = 1 if text.startswith(("由", "经")) else 0  # 由村服务站摸排后报镇: 村 sends
        opening = actors.actor_at(text, start)
        if opening and opening[0].acts and opening[1] < verb_start:
            subject = opening[0]
    if subject is not None and not subject.acts:
        return None  # 单位上报 after 对…: the object of 对, not a sender
    return subject


def _attributive_with_object(text: str, verb: re.Match[str], reader: _Reader) -> bool:
    """街道申请退单、延期的工单 in a department's duty: a sender before the verb, no receiver
    after it, and its object then 的: the sender handed it to the owner."""
    cls = reader.lexicon.verb_class[verb.group(0)]
    if (
        cls not in ("report", "apply", "provide", "escalate", "transfer", "send")
        or _TOWARD.search(text[: verb.start()])
        or not re.match(r"[^，。；的]{1,10}的", text[verb.end() :])
    ):
        return False
    sender = reader.actors.actor_before(text, verb.start())
    receivers, _, _ = reader.actors.actors_after(text, verb.end())
    return sender is not None and sender.kind in ("town", "village") and not receivers


def _attributive(after: str) -> bool:
    if after.startswith(("的", "结果", "意见")):
        return True
    if after[:1] in ("和", "或", "、"):
        rest = after[1:9]
        return "的" in rest and not re.search(r"[，。；]", rest)
    return False


def _reconcile(read: list[_Duty], reader: _Reader) -> None:
    """Make two accounts of one handoff agree, across the duties of a matter.

    * A department's ``对乡上报的…依法查处`` is the receiving end of the town's escalation when
      the sender escalates to it in this matter and the clause asks for enforcement, hands a
      case over (移送, 提请) or names the escalated case's words: the edge is that escalation.
    * The town's ``根据区X下发的名单`` is the department's feedback when the department's own
      ``下发`` in this matter is feedback (after the town's input), not a second, new task.
    """
    edges = [e for duty in read for e in duty.edges]
    escalations = [e for e in edges if e.type == "escalates_to"]
    fed_back = {
        (e.src, e.dst)
        for e in edges
        if e.type == "feeds_back_to"
        and e.rule.reading in _DIRECTED_READINGS
        and e.rule.verb_class in ("assign", "refer", "transfer", "inform", "send")
    }
    for edge in edges:
        if edge.rule.reading != "attributive":
            continue
        same_pair = [e for e in escalations if (e.src, e.dst) == (edge.src, edge.dst)]
        if edge.type in ("reports_to", "refers_to") and any(
            _same_case(edge, e, reader) for e in same_pair
        ):
            edge.type = "escalates_to"
            edge.rule = Rule(edge.rule.reading, edge.rule.verb, edge.rule.verb_class, "same-case")
        elif edge.type == "assigns_to" and (edge.src, edge.dst) in fed_back:
            edge.type = "feeds_back_to"
            edge.rule = Rule(edge.rule.reading, edge.rule.verb, edge.rule.verb_class, "same-case")


def _same_case(receiving: _Edge, escalation: _Edge, reader: _Reader) -> bool:
    """Whether a receiving duty's clause speaks of the case an escalation hands over: it asks
    for enforcement, hands a case over (移送, 提请), or names the same object (the words after
    ``上报的`` begin as the words after the escalation's ``…不成的``)."""
    if reader.enforces(receiving.clause.text):
        return True
    if receiving.rule.verb_class in ("transfer", "escalate", "refer"):
        return True
    received = _object_after(receiving.clause.text, receiving.clause.text.find(receiving.rule.verb))
    escalated = _object_after(escalation.clause.context, 0, last=True)
    return len(bigrams(received) & bigrams(escalated)) >= 2


def _object_after(text: str, pos: int, *, last: bool = False) -> str:
    """The first words after the (first, or ``last``) 的 from ``pos``: a clause's object."""
    at = text.rfind("的") if last else text.find("的", max(pos, 0))
    if at < 0:
        return ""
    return re.split(r"[，。；,;]", text[at + 1 :])[0][:6]


def _resolve_deferred(read: list[_Duty], reader: _Reader) -> None:
    """Types that wait for the whole matter: a department's 通知/告知/通报 or 下达/下发 to the
    town is feedback when the town's input reached it in this matter (directly or through
    another department) and the clause names a result (else a new task); a result passed to
    the peer that referred the case is feedback (else a referral)."""
    edges = [e for duty in read for e in duty.edges]
    handed = {
        (e.src.name, e.dst.name)
        for e in edges
        if e.type != "feeds_back_to" and e.rule.verb_class not in ("feedback", "result")
    }
    for edge in edges:
        if edge.defer != "result":
            continue
        edge.defer = ""
        pushed = edge.rule.verb_class in ("assign", "transfer", "send")
        if pushed:  # 下发: a result only when an approved one is named
            named = reader.lexicon.has("returned_results", edge.clause.text)
        else:  # 反馈 returns by itself; 通知, 抄送 when they name an outcome, or the town's input
            named = (
                edge.rule.verb_class == "feedback"
                or reader.lexicon.outcome(edge.clause.text)
                or (
                    edge.dst.kind == "town" and bool(reader.town_report.search(edge.clause.context))
                )
            )  # 汇总各镇报送的参保进度，按月通报各镇
        if (
            edge.src.name in _reached_from(edge.dst.name, handed)
            and named
            and not (pushed and _asks_for_work(edge.clause.text, edge.rule.verb, reader))
        ):
            edge.type = "feeds_back_to"
            edge.rule = Rule(
                edge.rule.reading, edge.rule.verb, edge.rule.verb_class, "result-returned"
            )


def _reached_from(start: str, handed: set[tuple[str, str]]) -> set[str]:
    """The bodies that what ``start`` handed over reached in a matter, passed on or not."""
    reached: set[str] = set()
    frontier = [start]
    while frontier:
        body = frontier.pop()
        for src, dst in handed:
            if src == body and dst not in reached and dst != start:
                reached.add(dst)
                frontier.append(dst)
    return reached


def _asks_action(text: str, verb_end: int, reader: _Reader) -> bool:
    """Whether the words after a verb and its receivers ask the receiver to act on what it gets
    (函告区X认定, 通报区Y加强监管), rather than to take note of it (报区Z备案)."""
    _, _, end = reader.actors.actors_after(text, verb_end)
    rest = re.sub(r"^[、和及与等部门单位]+", "", text[end:])
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) < 2:
        return False
    return not reader.lexicon.has("information_purposes", rest[:4])


def _asks_for_work(clause: str, verb: str, reader: _Reader) -> bool:
    """Whether what follows the verb asks the receiver to work on it (下发乡镇核实): a task,
    not a result returned, whatever result words the clause holds."""
    after = clause[clause.find(verb) + len(verb) :]
    return reader.lexicon.has("task_words", after)


def _handoff_rows(duty: _Duty, matter: MatterContext, list_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for edge in duty.edges:
        key = (edge.src.name, edge.dst.name, edge.type)
        if key in seen or edge.src.name == edge.dst.name:
            continue
        seen.add(key)
        rows.append(
            {
                "list_id": list_id,
                "handoff_id": f"{duty.row['duty_id']}/h{len(seen)}",
                "matter_id": matter.matter_id,
                "matter": matter.number,
                "src": edge.src.name,
                "src_kind": edge.src.kind,
                "dst": edge.dst.name,
                "dst_kind": edge.dst.kind,
                "type": edge.type,
                "evidence": edge.clause.text,
                "duty_id": duty.row["duty_id"],
                "start": edge.clause.start,
                "end": edge.clause.end,
                "implicit": int(
                    edge.rule.reading in ("bare", "attributive", "receive", "collect", "outcome")
                ),
                "how": edge.how,
                "rule": str(edge.rule),
            }
        )
    return rows


def _unresolved_rows(duty: _Duty, matter: MatterContext, list_id: str) -> list[dict[str, Any]]:
    """A clause once, even when several of its verbs went untyped; none when it gave an edge."""
    typed = {(e.clause.start, e.clause.end) for e in duty.edges}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for item in duty.unresolved:
        span = (item.clause.start, item.clause.end)
        if span in typed or span in seen:
            continue
        seen.add(span)
        rows.append(
            {
                "list_id": list_id,
                "matter_id": matter.matter_id,
                "matter": matter.number,
                "duty_id": duty.row["duty_id"],
                "owner": duty.owner.name,
                "verb": item.verb,
                "verb_class": item.verb_class,
                "reason": item.reason,
                "clause": item.clause.text,
                "start": item.clause.start,
                "end": item.clause.end,
            }
        )
    return rows
