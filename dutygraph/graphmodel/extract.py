"""Extraction of handoff edges from duty text, each with its verbatim evidence and its rule.

The text of every duty is cut into clauses (at ，；。); in each clause the verbs of
``vocab/handoff_rules.yaml`` are found and read with their sender and receiver:

* ``X上报…`` / ``上报X`` / ``向X上报`` — the clause's sender hands something to X;
* ``X上报的…`` (attributive) — X handed it to the duty's owner (``根据街镇上报的名单…``);
* a bare ``上报`` in the town's cell goes to the matter's responsible department (implicit);
* a refusal (``拒不整改``) turns a report into an escalation; a department's report to a higher
  body for enforcement (``上报市农牧局进行执法查处``, ``报请区政府关停``) is an escalation;
* ``反馈街镇`` after the town's input is feedback; ``下发`` of new work is an assignment;
  a case passed to a peer department is a referral.

The type of an edge follows from the verb's class, the kinds and levels of sender and receiver,
and the clause's conditions; nothing depends on a matter number or a town.

>>> from dutygraph.loaders import load_list
>>> edges = extract_handoffs(load_list("data/000_5b382267ef9e6b6d.txt", extract=False))
>>> sorted(set(edges.loc[edges.matter == 1, "type"]))
['feeds_back_to', 'reports_to']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..tables import TABLE_COLUMNS, ListTables
from ..vocabulary import DepartmentDirectory, Vocabulary

__all__ = ["Actor", "Rules", "extract_handoffs"]

_CLAUSE = re.compile(r"[^，。；,;！？!?]+")
_UNKNOWN_DEPT = re.compile(
    r"(?:区|市|县|旗|省|自治区)[\u4e00-\u9fff]{0,14}?(?:局|委员会|大队|分局|联合会|政府|中心)"
)
_RANK = {"区": 1, "其他": 1, "市": 3, "省": 4, "部": 5}


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # town | department | village | vague


@dataclass
class Rules:
    """The handoff vocabulary compiled for one list (its town name included)."""

    vocab: Vocabulary
    town: str
    words: dict[str, Any] = field(init=False)
    verb_re: re.Pattern[str] = field(init=False)
    verb_class: dict[str, str] = field(init=False)
    spellings: list[tuple[str, Actor]] = field(init=False)
    town_report_re: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        words = self.vocab.handoff_rules
        self.words = words
        self.verb_class = {}
        for cls, verbs in words["verbs"].items():
            for verb in verbs:
                self.verb_class.setdefault(verb, cls)
        ordered = sorted(self.verb_class, key=len, reverse=True)
        self.verb_re = re.compile("|".join(re.escape(v) for v in ordered))
        directory: DepartmentDirectory = self.vocab.departments
        actors = words["actors"]
        spellings: dict[str, Actor] = {}
        for spelling in directory.known_names():
            spellings[spelling] = Actor(directory.resolve(spelling).name, "department")
        for word in actors["not_actors"]:
            spellings[word] = Actor(word, "not_actor")
        for word in actors["vague"]:
            spellings[word] = Actor(word, "vague")
        for word in [*actors["town"], self.town]:
            spellings[word] = Actor(self.town, "town")
        for word in actors["village"]:
            spellings[word] = Actor(actors["village_name"], "village")
        self.spellings = sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True)
        # "街镇上报…": a department duty that takes in the town's reports (compiled once per list)
        town_words = [s for s, a in self.spellings if a.kind == "town"]
        report_verbs = [
            v for v, c in self.verb_class.items() if c in ("report", "feedback", "provide")
        ]
        self.town_report_re = re.compile(
            "(?:"
            + "|".join(map(re.escape, town_words))
            + ")(?:"
            + "|".join(map(re.escape, report_verbs))
            + ")"
        )

    # -- actors in text ---------------------------------------------------------------------
    def actor_at(self, text: str, pos: int, *, announced: bool = False) -> tuple[Actor, int] | None:
        """The actor whose name starts at ``pos`` (longest spelling), and where it ends.

        ``announced``: a particle (至, 到) stands before, so a one-character word (村) is a
        receiver.
        """
        for spelling, actor in self.spellings:
            if text.startswith(spelling, pos):
                end = pos + len(spelling)
                if len(spelling) == 1 and not announced and not _ends_word(text, end):
                    continue  # 乡 in 乡村振兴局 is not the town
                # 区X局(区Y局): keep the bracketed alias inside the name
                bracket = re.match(r"[（(][^）)]{1,12}[)）]", text[end:])
                if bracket and actor.kind == "department":
                    end += bracket.end()
                return actor, end
        match = _UNKNOWN_DEPT.match(text, pos)
        if match:
            dept = self.vocab.departments.resolve(match.group(0))
            return Actor(dept.name, "department"), match.end()
        return None

    def actor_before(self, text: str, pos: int) -> Actor | None:
        """The actor whose name ends right before ``pos`` (fillers like 已, 采集 may stand
        between)."""
        fillers = sorted(self.words["fillers"], key=len, reverse=True)
        head = text[:pos]
        stripped = True
        while stripped:
            stripped = False
            for filler in fillers:
                if head.endswith(filler) and len(head) > len(filler):
                    head, stripped = head[: -len(filler)], True
                    break
        for spelling, actor in self.spellings:
            if head.endswith(spelling):
                if len(spelling) == 1 and not _starts_word(head, len(head) - 1):
                    continue  # 乡 in 城乡 is not the town
                return actor
        match = re.search(_UNKNOWN_DEPT.pattern + "$", head)
        if match:
            return Actor(self.vocab.departments.resolve(match.group(0)).name, "department")
        return None

    def actors_after(self, text: str, pos: int) -> tuple[list[Actor], bool, int]:
        """Receivers right after a verb: (actors, whether a particle like 至 announced one, end)."""
        announced = False
        while pos < len(text) and text[pos] in self.words["particles"]:
            pos += 1
            announced = True
        found = self.actor_at(text, pos, announced=announced)
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

    def has(self, key: str, text: str) -> bool:
        return any(word in text for word in self.words[key])

    def enforces(self, text: str) -> bool:
        """Whether the text asks for enforcement (查处, 关停 …), actor names such as
        综合行政执法队 set aside."""
        for spelling, actor in self.spellings:
            if len(spelling) > 2 and actor.kind in ("town", "department") and spelling in text:
                text = text.replace(spelling, "|")
        return self.has("enforcement", text)

    def refused(self, text: str) -> bool:
        """Whether the text describes a case its sender could not resolve (拒不整改, 调解不成 …)."""
        return any(re.search(pattern, text) for pattern in self.words["refusals"])


_JOINERS = "的、和及与并对将由向经在"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ends_word(text: str, end: int) -> bool:
    """A one-character actor word (镇, 乡) ends here: no ideograph of the same word follows."""
    return end >= len(text) or not _is_cjk(text[end]) or text[end] in _JOINERS


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not _is_cjk(text[start - 1]) or text[start - 1] in _JOINERS


@dataclass
class _Edge:
    src: Actor
    dst: Actor
    type: str
    evidence: str
    start: int
    end: int
    implicit: bool
    rule: str
    deferred: str = ""  # 'notify': typed after the whole matter is read


@dataclass
class _Matter:
    matter_id: str
    number: int
    responsible: list[str]
    receiving_text: dict[str, str]  # department -> text of its duties that receive the town's input


def extract_handoffs(tables: ListTables, *, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The handoffs every duty of a list states or implies, as the ``handoffs`` table."""
    vocab = vocab or Vocabulary.load()
    town = str(tables.lists["town"].iloc[0])
    list_id = tables.list_id
    rules = Rules(vocab, town)
    rows: list[dict[str, Any]] = []
    responsible = (
        tables.matter_departments.sort_values(["matter_id", "position"])
        .groupby("matter_id")["department"]
        .agg(list)
        .to_dict()
    )
    for matter_id, duties in tables.duties.groupby("matter_id", sort=False):
        matter = _Matter(
            matter_id=str(matter_id),
            number=int(duties["matter"].iloc[0]),
            responsible=responsible.get(matter_id, []),
            receiving_text=_receiving_text(duties, rules),
        )
        per_duty: list[tuple[pd.Series, list[_Edge]]] = []
        for _, duty in duties.iterrows():
            per_duty.append((duty, _duty_edges(duty, matter, rules)))
        _resolve_deferred(per_duty, rules)
        _reconcile(per_duty, rules)
        for duty, edges in per_duty:
            seen: set[tuple[str, str, str]] = set()
            for edge in edges:
                key = (edge.src.name, edge.dst.name, edge.type)
                if key in seen or edge.src.name == edge.dst.name:
                    continue
                seen.add(key)
                rows.append(
                    {
                        "list_id": list_id,
                        "handoff_id": f"{duty['duty_id']}/h{len(seen)}",
                        "matter_id": matter.matter_id,
                        "matter": matter.number,
                        "src": edge.src.name,
                        "src_kind": edge.src.kind,
                        "dst": edge.dst.name,
                        "dst_kind": edge.dst.kind,
                        "type": edge.type,
                        "evidence": edge.evidence,
                        "duty_id": duty["duty_id"],
                        "start": edge.start,
                        "end": edge.end,
                        "implicit": int(edge.implicit),
                        "rule": edge.rule,
                    }
                )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS["handoffs"]))


def _clauses(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _CLAUSE.finditer(text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            yield match.start() + lead, match.start() + lead + len(body), body


def _receiving_text(duties: pd.DataFrame, rules: Rules) -> dict[str, str]:
    """For each department, the text of its duties that take in the town's reports."""
    out: dict[str, str] = {}
    for _, duty in duties[duties["owner_kind"] == "department"].iterrows():
        if rules.town_report_re.search(duty["text"]):
            out[duty["owner"]] = out.get(duty["owner"], "") + duty["text"]
    return out


def _duty_edges(duty: pd.Series, matter: _Matter, rules: Rules) -> list[_Edge]:
    text = str(duty["text"])
    owner = Actor(duty["owner"], "town" if duty["owner_kind"] == "town" else "department")
    edges: list[_Edge] = []
    previous = ""
    town_input = False  # the duty has already taken in the town's input (for 下发 = feedback)
    village: Actor | None = None  # a village named earlier in the sentence (村委会…，…报送乡政府)
    clauses = list(_clauses(text))
    for index, (start, _end, clause) in enumerate(clauses):
        if start == 0 or text[start - 1] in "。；;！？!?":
            village = None
        context = clause
        if previous and (
            previous.endswith("的") or previous.startswith(tuple(rules.words["conditional_starts"]))
        ):
            context = previous + "，" + clause
        if index + 1 < len(clauses) and clauses[index + 1][2].startswith(
            tuple(rules.words["receiver_acts"])
        ):
            context = context + "，" + clauses[index + 1][2]  # 提交县财政局，由县财政局发放
        for edge in _clause_edges(
            clause, context, start, owner, matter, rules, town_input, village
        ):
            edges.append(edge)
            if edge.src.kind == "town" and edge.dst == owner:
                town_input = True
        village = _village_in(clause, rules) or village
        previous = clause
    return edges


def _village_in(clause: str, rules: Rules) -> Actor | None:
    for spelling, actor in rules.spellings:
        if actor.kind == "village" and len(spelling) > 1 and spelling in clause:
            return actor
    return None


# The clause rules in order; the move to dutygraph/extraction/ (issue 9) splits them.
def _clause_edges(  # noqa: C901
    clause: str,
    context: str,
    offset: int,
    owner: Actor,
    matter: _Matter,
    rules: Rules,
    town_input: bool,
    village: Actor | None = None,
) -> Iterator[_Edge]:
    words = rules.words
    refusal = rules.refused(context)
    for verb in rules.verb_re.finditer(clause):
        vs, ve, word = verb.start(), verb.end(), verb.group(0)
        cls = rules.verb_class[word]
        before, after = clause[:vs], clause[ve:]
        if any(before.endswith(p) for p in words["blocked_prefixes"]):
            continue
        if any(after.startswith(n) for n in words["noun_followers"]):
            continue
        if any(n in before[-3:] for n in words["negations"]):
            continue

        def make(
            src: Actor, dst: Actor, kind: str, rule: str, implicit: bool, deferred: str = ""
        ) -> _Edge:
            return _Edge(
                src, dst, kind, clause, offset, offset + len(clause), implicit, rule, deferred
            )

        # "接到区X…通知后": a case received from X
        if cls == "receive":
            found = rules.actor_at(clause, ve)
            if (
                found
                and found[0].kind == "department"
                and re.match(r"[^，。；]{0,8}(通知|指令|任务|线索)", clause[found[1] :])
            ):
                typed = _type(
                    found[0], owner, "assign", matter, rules, refusal=refusal, context=context
                )
                if typed:
                    yield make(found[0], owner, typed[0], "receive-" + typed[1], True)
            continue
        # "X上报的…", "区X反馈结果": attributive, X handed it to the duty's owner
        if _attributive(after):
            src = rules.actor_before(clause, vs)
            if src is None or src.kind not in ("town", "department", "village"):
                continue
            if cls in ("assign", "refer") and rules.has("supplies", after[:20]):
                continue
            if cls == "notify" and rules.has("results", after[:12]):
                cls = "feedback"  # 根据县司法局告知的调处结果: a result returned
            typed = _type(
                src,
                owner,
                cls,
                matter,
                rules,
                refusal=rules.refused(after) or refusal,
                context=context,
            )
            if typed:
                yield make(src, owner, typed[0], f"attributive-{cls}-{typed[1]}", True)
            continue
        if cls in ("result", "receive"):
            continue
        # "向街镇收集…": the owner collects from X
        if cls == "collect":
            match = re.search(r"向([^，。；]{2,20})$", before)
            found = rules.actor_at(clause, match.start(1)) if match else None
            if found and found[0].kind in ("town", "department", "village"):
                typed = _type(
                    found[0], owner, "report", matter, rules, refusal=refusal, context=context
                )
                if typed:
                    yield make(found[0], owner, typed[0], "collect-from", True)
            continue
        receivers, announced, _ = rules.actors_after(clause, ve)
        via = "named"
        subject = rules.actor_before(clause, vs)
        if subject is None:
            # 各村（社区）灾害信息员…将灾情报告镇人民政府: the clause's first words name the sender
            opening = rules.actor_at(clause, 0)
            if opening and opening[0].kind in ("town", "department", "village") and opening[1] < vs:
                subject = opening[0]
        toward = re.search(r"向((?:[^，。；向]{2,30}?))(?:等[^，。；]{0,6})?$", before)
        if toward:
            named, _, _ = rules.actors_after(before, toward.start(1))
            if named:
                receivers, via, subject = named, "toward", None  # 向X上报: X receives
        if subject is not None and subject.kind not in ("town", "department", "village"):
            subject = None  # 单位上报 after 对…: the object of 对, not a sender
        sender = subject or owner
        if subject is not None and subject != owner and not receivers:
            # 对区农牧局上报违法行为…查处 in 市农牧局's duty: the owner receives
            receivers, via = [owner], "to-owner"
        if cls == "provide" and (
            not rules.has("information_objects", after[:12]) or owner.kind != "town" or toward
        ):
            continue
        if cls == "apply" and via != "toward":
            continue
        if any(r.kind == "not_actor" for r in receivers):
            continue
        real = [r for r in receivers if r.kind in ("town", "department", "village")]
        if not real:
            if announced and not any(r.kind == "vague" for r in receivers):
                continue  # 下发到相关股室: a receiver, but not an actor
            if (
                word in words["need_receiver"]
                and not any(r.kind == "vague" for r in receivers)
                and not any(before.endswith(a) for a in words["bare_after"])
            ):
                continue
            implied = _implicit_receiver(sender, cls, clause, matter, rules)
            if implied is None:
                continue
            real, via = [implied], "bare"
        for receiver in real:
            if receiver == sender and sender.kind == "town" and village is not None:
                sender = village  # 村委会发现险情的，应当立即报告乡政府
            if receiver == sender:
                continue
            if cls in ("assign", "refer", "notify") and rules.has("supplies", after[:16]):
                continue
            typed = _type(
                sender,
                receiver,
                cls,
                matter,
                rules,
                refusal=refusal,
                context=context,
                town_input=town_input,
            )
            if typed is None:
                continue
            yield make(
                sender,
                receiver,
                typed[0],
                f"{cls}-{via}-{typed[1]}",
                via == "bare",
                typed[2] if len(typed) > 2 else "",
            )


def _attributive(after: str) -> bool:
    if after.startswith(("的", "结果", "意见")):
        return True
    if after[:1] in ("和", "或", "、"):
        rest = after[1:9]
        return "的" in rest and not re.search(r"[，。；]", rest)
    return False


def _implicit_receiver(
    sender: Actor, cls: str, clause: str, matter: _Matter, rules: Rules
) -> Actor | None:
    """Who a handoff without a named receiver goes to, or None when the text implies no one."""
    if sender.kind == "town" and cls in ("report", "feedback", "provide"):
        if not matter.responsible:
            return None
        return Actor(_pick_department(clause, matter, rules), "department")
    if sender.kind == "department" and cls in ("assign", "feedback", "notify"):
        # 对违法违规的企业下达整改指令: the 对-object (the public) receives, not the town
        objects = "|".join(map(re.escape, rules.words["actors"]["not_actors"]))
        if re.search(rf"对[^，。；]*?(?:{objects})", clause):
            return None
        return Actor(rules.town, "town")
    return None


def _pick_department(clause: str, matter: _Matter, rules: Rules) -> str:
    """The responsible department a bare 上报 points to: the one whose receiving duties share the
    clause's words, else the first (lead) department."""
    lead = matter.responsible[0]
    if len(matter.responsible) == 1:
        return lead
    stop = set(rules.words["overlap_stopwords"])
    grams = _bigrams(clause) - stop
    best, score = lead, 0
    for name in matter.responsible:
        text = matter.receiving_text.get(name, "")
        overlap = len(grams & (_bigrams(text) - stop))
        if overlap > score:
            best, score = name, overlap
    return best


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "|", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1) if "|" not in chars[i : i + 2]}


def _level(actor: Actor, rules: Rules) -> int:
    if actor.kind == "village":
        return -1
    if actor.kind == "town":
        return 0
    if actor.name.endswith("政府") and actor.name.startswith(("区", "县", "旗")):
        return 2
    return _RANK.get(rules.vocab.departments.resolve(actor.name).level, 1)


def _type(  # noqa: C901 (one test per handoff type, in priority order)
    src: Actor,
    dst: Actor,
    cls: str,
    matter: _Matter,
    rules: Rules,
    *,
    refusal: bool,
    context: str,
    town_input: bool = False,
) -> tuple[str, ...] | None:
    """(type, reason[, deferred]) of a handoff of verb class ``cls`` from src to dst, or None."""
    up = _level(dst, rules) - _level(src, rules)
    enforcement = rules.enforces(context)
    if src.kind == "town" and dst.kind == "department":
        if refusal:
            return ("escalates_to", "refusal")
        if cls in ("assign", "escalate") and enforcement:
            # 移交/移送/提请 a case for 查处: the town hands on what it cannot enforce itself
            return ("escalates_to", "hand-over")
        if cls in ("assign", "escalate"):
            return ("reports_to", "up")
        if cls in ("report", "feedback", "provide", "apply", "refer", "collect"):
            return ("reports_to", "up")
        return None
    if src.kind == "village" and dst.kind == "town":
        if cls in ("report", "feedback", "provide", "escalate", "refer", "assign"):
            return ("escalates_to", "refusal") if refusal else ("reports_to", "up")
        return None
    if dst.kind == "village" and src.kind in ("town", "department"):
        return ("assigns_to", "down") if cls in ("assign", "refer") else None
    if src.kind == "department" and dst.kind == "town":
        if cls in ("feedback", "result"):
            return ("feeds_back_to", "result")
        if cls in ("assign", "refer"):
            return ("feeds_back_to", "after-input") if town_input else ("assigns_to", "down")
        if cls == "notify":
            if town_input:
                return ("feeds_back_to", "after-input")
            return ("assigns_to", "down", "notify")
        return None
    if src.kind == "department" and dst.kind == "department":
        if up > 0:  # to a higher body
            if cls in ("report", "escalate", "apply", "feedback", "result", "refer", "assign"):
                if refusal or (enforcement and cls in ("report", "escalate")):
                    return ("escalates_to", "refusal" if refusal else "enforcement")
                return ("reports_to", "up")
            return None
        if up < 0:  # from a higher body down
            if cls in ("assign", "notify", "refer"):
                return ("assigns_to", "down")
            if cls in ("feedback", "result"):
                return ("feeds_back_to", "result")
            return None
        # peers
        if cls == "escalate":
            return ("escalates_to", "refusal") if refusal or enforcement else ("refers_to", "peer")
        if refusal and cls in ("report",):
            return ("escalates_to", "refusal")
        if cls == "report" and not rules.has("case_words", context):
            return ("reports_to", "peer-information")  # 火情 to the coordinating department
        if cls in ("report", "refer", "assign", "notify", "result", "feedback"):
            return ("refers_to", "peer")
        return None
    return None


def _reconcile(per_duty: list[tuple[pd.Series, list[_Edge]]], rules: Rules) -> None:
    """Make two accounts of one handoff agree, across the duties of a matter.

    * A department's ``对乡上报的…依法查处`` is the receiving end of the town's escalation when
      the town escalates to it in this matter: the edge is that escalation.
    * The town's ``根据区X下发的名单`` is the department's feedback when the department's own
      ``下发`` in this matter is feedback (after the town's input), not a second, new task.
    """
    edges = [e for _, duty_edges in per_duty for e in duty_edges]
    escalated = {(e.src, e.dst) for e in edges if e.type == "escalates_to" and e.src.kind == "town"}
    fed_back = {
        (e.src, e.dst)
        for e in edges
        if e.type == "feeds_back_to" and e.rule.startswith(("assign-", "refer-"))
    }
    for edge in edges:
        if (
            edge.type == "reports_to"
            and edge.rule.startswith("attributive-")
            and (edge.src, edge.dst) in escalated
            and rules.enforces(edge.evidence)
        ):
            edge.type, edge.rule = "escalates_to", edge.rule + "-same-case"
        elif (
            edge.type == "assigns_to"
            and edge.rule.startswith("attributive-")
            and (edge.src, edge.dst) in fed_back
        ):
            edge.type, edge.rule = "feeds_back_to", edge.rule + "-same-case"


def _resolve_deferred(per_duty: list[tuple[pd.Series, list[_Edge]]], rules: Rules) -> None:
    """A department's 通知/告知 to the town is feedback when the town handed it something in this
    matter and the clause names a result; otherwise a new task."""
    gave = {
        e.dst.name
        for _, edges in per_duty
        for e in edges
        if e.src.kind == "town" and e.dst.kind == "department"
    }
    for _, edges in per_duty:
        for edge in edges:
            if edge.deferred == "notify":
                if edge.src.name in gave and rules.has("results", edge.evidence):
                    edge.type, edge.rule = "feeds_back_to", edge.rule.replace("down", "after-input")
                edge.deferred = ""
