"""Support gaps (权责不对等): matters where the town carries the work and the departments bring
guidance or training only, no money, materials or people.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> support_gaps(G).loc[0, "reason"]
'镇须上报无法处置的问题1处（≥1）；保障仅有培训，无资金、物资、人员'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import NodeLabel, RelType
from ..i18n import N_
from ..vocabulary import matter_key
from ._common import (
    LIST_SEP,
    directed_only,
    handoffs,
    is_town,
    label_of,
    name_of,
    result_frame,
    town_of_list,
)
from ._cypher import base_parameters, read
from .registry import DUTY_COUNTS, HANDOFF_TABLES, Option, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "QUESTION",
    "GUARANTEE_KIND_LABELS",
    "STRONG_KINDS",
    "SUPPORT_GAPS_CYPHER",
    "SUPPORT_GAP_COLUMNS",
    "guarantee_kind",
    "guarantee_kinds",
    "support_gaps",
    "support_gaps_cypher",
]

#: The columns of ``support_gaps``, in order.
SUPPORT_GAP_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "matter",
    "matter_name",
    "departments",  # the leading departments, in cell-3 order, joined by '、'
    "town_duties",  # the town's duties in the matter
    "escalations",  # escalates_to handoffs the town sends in the matter
    "kinds",  # the guarantee's kinds, joined by ',' ('' when the list states none)
    "reason",  # why the matter is listed, in Chinese, clauses joined by '；'
)

#: The guarantee kinds that are real support: money, materials, people.
STRONG_KINDS: tuple[str, ...] = ("funding", "materials", "personnel")

#: How ``reason`` names the guarantee kinds (``guarantees.kinds`` values; see
#: vocab/guarantees.yaml). A kind not named here is shown as written.
GUARANTEE_KIND_LABELS: dict[str, str] = {
    "guidance": "业务指导",
    "training": "培训",
    "funding": "资金",
    "materials": "物资",
    "information": "信息",
    "personnel": "人员",
    "policy": "政策",
}


def guarantee_kind(written: str) -> str:
    """The guarantee kind code ``written`` stands for: the code (``funding``) or its name in
    either language (资金, funding); an ``UnknownNameError`` listing the kinds otherwise.

    >>> guarantee_kind("资金"), guarantee_kind(" Personnel ")
    ('funding', 'personnel')
    """
    from ..errors import UnknownNameError
    from ..i18n import gettext as _
    from ..i18n import label

    key = "".join(str(written).split()).casefold()
    for code in GUARANTEE_KIND_LABELS:
        spellings = (code, label("kinds", code, "zh_CN"), label("kinds", code, "en"))
        if key in {"".join(s.split()).casefold() for s in spellings}:
            return code
    known = "、".join(f"{label('kinds', c)}/{c}" for c in GUARANTEE_KIND_LABELS)
    raise UnknownNameError(
        _("no guarantee kind {written!r}; the kinds: {names}").format(written=written, names=known)
    )


def guarantee_kinds(written: Iterable[str]) -> tuple[str, ...]:
    """:func:`guarantee_kind` of each, each code once, in the order given."""
    return tuple(dict.fromkeys(guarantee_kind(w) for w in written))


_ESCALATES = RelType.ESCALATES_TO.value
COOPERATION = "配合"  # the list kind whose matters the question reads
TAKEN_BACK = "收回"  # the list kind that says a department took a matter back
_LEAD_SEP = "、"  # joins the leading departments
_REASON_SEP = "；"  # joins the clauses of ``reason``


@directed_only
def support_gaps(
    G: nx.MultiDiGraph,
    *,
    min_town_duties: int = 4,
    min_escalations: int = 1,
    strong_kinds: Sequence[str] = STRONG_KINDS,
) -> pd.DataFrame:
    """Matters where the town carries many duties or escalation work, without real support.

    A matter is listed when (a) the town has ``min_town_duties`` duties or more in it, or sends
    ``min_escalations`` escalations or more (cases it cannot settle, which it must follow up),
    and (b) its guarantee (履职保障) has none of ``strong_kinds``: only guidance, training,
    information or policy, or no guarantee at all. ``reason`` says which of (a) hold and what
    the guarantee offers.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    min_town_duties : int, default 4
        "Many" town duties (the reference list has 1 to 9 per matter, 2 on the median).
    min_escalations : int, default 1
        Escalations from the town that make a matter "escalation work".
    strong_kinds : sequence of str, default ``STRONG_KINDS``
        Guarantee kinds that count as real support.

    Returns
    -------
    pandas.DataFrame
        Columns ``SUPPORT_GAP_COLUMNS``; sorted by list_id, matter.

    Raises
    ------
    ValueError
        A threshold below 1.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> support_gaps(G)[["matter", "town_duties", "escalations", "kinds"]].values.tolist()
    [[3, 2, 1, 'training']]
    >>> support_gaps(G, min_town_duties=1)["matter"].tolist()  # guidance or training only
    [1, 2, 3]

    Notes
    -----
    O(edges).
    """
    _check_thresholds(min_town_duties, min_escalations)
    strong_kinds = guarantee_kinds(strong_kinds)
    strong = set(strong_kinds)
    escalations: Counter[str] = Counter(
        h.matter_id for h in handoffs(G, {_ESCALATES}) if is_town(G, h.src)
    )
    kinds_of_lists = {
        data["list_id"]: data.get("kind", COOPERATION)
        for _, data in G.nodes(data=True)
        if data.get("label") == NodeLabel.LIST.value
    }
    taken_back = _taken_back(G, kinds_of_lists)
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("label") != NodeLabel.MATTER.value:
            continue
        if kinds_of_lists.get(data["list_id"], COOPERATION) != COOPERATION:
            continue  # the town's own duties (基本), matters taken back (收回): not 配合 work
        leads, town_duties, kinds = _matter_facts(G, node)
        if strong & set(kinds):
            continue
        matter_id = data["matter_id"]
        heavy = _heavy_clauses(
            town_duties, escalations[matter_id], min_town_duties, min_escalations
        )
        if not heavy:
            continue
        town = town_of_list(G, data["list_id"])
        receivers = taken_back.get((town, matter_key(data.get("name", ""))), [])
        rows.append(
            {
                "list_id": data["list_id"],
                "town": town,
                "matter": data["number"],
                "matter_name": data.get("name", ""),
                "departments": _LEAD_SEP.join(leads),
                "town_duties": town_duties,
                "escalations": escalations[matter_id],
                "kinds": LIST_SEP.join(kinds),
                "reason": _REASON_SEP.join(
                    [*heavy, _support_clause(kinds, strong_kinds), *_taken_back_clause(receivers)]
                ),
            }
        )
    return result_frame(rows, SUPPORT_GAP_COLUMNS, ["list_id", "matter"])


def _taken_back(
    G: nx.MultiDiGraph, kinds_of_lists: dict[str, str]
) -> dict[tuple[str, str], list[str]]:
    """(town, matter key) -> the departments that took the matter back, from 收回 lists."""
    out: dict[tuple[str, str], list[str]] = {}
    for node, data in G.nodes(data=True):
        if data.get("label") != NodeLabel.MATTER.value:
            continue
        if kinds_of_lists.get(data["list_id"]) != TAKEN_BACK:
            continue
        leads = sorted(
            (edge.get("position", 0), name_of(G, pred))
            for pred, _, edge in G.in_edges(node, data=True)
            if edge.get("type") == RelType.LEADS.value
        )
        key = (town_of_list(G, data["list_id"]), matter_key(data.get("name", "")))
        out.setdefault(key, []).extend(name for _, name in leads)
    return out


def _taken_back_clause(receivers: Sequence[str]) -> list[str]:
    """The clause a matter gets when the town's 收回 list says a department took it back: the
    town still lists duties in it, so the lists disagree (or the work was pushed back down)."""
    if not receivers:
        return []
    return [
        f"该事项已列入上级部门收回事项清单（{_LEAD_SEP.join(receivers)}承接），镇仍列有配合职责"
    ]


def _check_thresholds(min_town_duties: int, min_escalations: int) -> None:
    if min_town_duties < 1 or min_escalations < 1:
        raise ValueError(
            f"thresholds must be 1 or more, got min_town_duties={min_town_duties}, "
            f"min_escalations={min_escalations}"
        )


def _heavy_clauses(
    town_duties: int, escalations: int, min_town_duties: int, min_escalations: int
) -> list[str]:
    """Why a matter is heavy for the town, one clause per threshold it reaches (none: light)."""
    heavy = []
    if town_duties >= min_town_duties:
        heavy.append(f"镇承担职责{town_duties}项（≥{min_town_duties}）")
    if escalations >= min_escalations:
        heavy.append(f"镇须上报无法处置的问题{escalations}处（≥{min_escalations}）")
    return heavy


def _matter_facts(G: nx.MultiDiGraph, matter: str) -> tuple[list[str], int, list[str]]:
    """(leading departments in position order, the town's duty count, guarantee kinds)."""
    leads: list[tuple[int, str]] = []
    town_duties = 0
    kinds: set[str] = set()
    for pred, _, data in G.in_edges(matter, data=True):
        rel = data.get("type")
        if rel == RelType.LEADS.value:
            leads.append((data.get("position", 0), name_of(G, pred)))
        elif rel == RelType.DUTY_OF.value:
            town_duties += G.nodes[pred].get("owner_kind") == "town"
        elif rel == RelType.GUARANTEES.value and label_of(G, pred) == NodeLabel.GUARANTEE.value:
            kinds.update(k for k in str(G.nodes[pred].get("kinds", "")).split(",") if k)
    return [name for _, name in sorted(leads)], town_duties, _ordered_kinds(kinds)


def _ordered_kinds(kinds: Iterable[str]) -> list[str]:
    """Kinds in GUARANTEE_KIND_LABELS order, unknown ones after, alphabetically."""
    known = list(GUARANTEE_KIND_LABELS)
    return sorted(set(kinds), key=lambda k: (known.index(k) if k in known else len(known), k))


def _support_clause(kinds: Sequence[str], strong_kinds: Sequence[str]) -> str:
    lacking = "、".join(GUARANTEE_KIND_LABELS.get(k, k) for k in strong_kinds)
    if not kinds:
        return f"未写明履职保障，无{lacking}"
    offered = "、".join(GUARANTEE_KIND_LABELS.get(k, k) for k in kinds)
    return f"保障仅有{offered}，无{lacking}"


#: The Cypher twin of ``support_gaps`` (Neo4j 5 and FalkorDB), all but the Chinese ``reason``,
#: which ``support_gaps_cypher`` words from the row with the networkx side's own functions.
#: Guarantee kinds come out in ``$kind_order`` (GUARANTEE_KIND_LABELS), unknown ones after in
#: code-point order (ORDER BY before collect). The town's escalations are counted from the
#: matter's town (COOPERATES_ON): the graph's only Town endpoint in a matter is its list's town.
#: Counts are ``count()``: FalkorDB's ``sum`` of integers is a float.
SUPPORT_GAPS_CYPHER = f"""
MATCH (m:{NodeLabel.MATTER})
WHERE $list_ids IS NULL OR m.list_id IN $list_ids
OPTIONAL MATCH (kl:{NodeLabel.LIST})
WHERE kl.id = $list_node_prefix + m.list_id
WITH m, kl
WHERE coalesce(kl.kind, $cooperation) = $cooperation
OPTIONAL MATCH (g:{NodeLabel.GUARANTEE})-[:{RelType.GUARANTEES}]->(m)
UNWIND CASE WHEN g.kinds IS NULL THEN [NULL] ELSE split(g.kinds, ',') END AS kind
WITH m, kind
ORDER BY kind
WITH m, [k IN collect(DISTINCT kind) WHERE k <> ''] AS kinds
WITH m, [k IN $kind_order WHERE k IN kinds] + [k IN kinds WHERE NOT k IN $kind_order] AS kinds
WHERE none(k IN kinds WHERE k IN $strong_kinds)
OPTIONAL MATCH (duty)-[:{RelType.DUTY_OF}]->(m)
WHERE duty.owner_kind = $town_kind
WITH m, kinds, count(duty) AS town_duties
OPTIONAL MATCH (m)<-[:{RelType.COOPERATES_ON}]-(:{NodeLabel.TOWN})-[esc:{RelType.ESCALATES_TO}]->()
WHERE esc.matter_id = m.matter_id
WITH m, kinds, town_duties, count(esc) AS escalations
WHERE town_duties >= $min_town_duties OR escalations >= $min_escalations
OPTIONAL MATCH (d)-[lead:{RelType.LEADS}]->(m)
WITH m, kinds, town_duties, escalations, d, lead
ORDER BY coalesce(lead.position, 0), coalesce(d.name, d.id)
WITH m, kinds, town_duties, escalations, collect(coalesce(d.name, d.id)) AS departments
OPTIONAL MATCH (l:{NodeLabel.LIST})
WHERE l.id = $list_node_prefix + m.list_id
RETURN m.list_id AS list_id, coalesce(l.town, '') AS town, m.number AS matter,
       coalesce(m.name, '') AS matter_name,
       coalesce(reduce(s = head(departments), x IN tail(departments) | s + $lead_sep + x), '')
         AS departments,
       town_duties, escalations,
       coalesce(reduce(s = head(kinds), k IN tail(kinds) | s + $list_sep + k), '') AS kinds
ORDER BY list_id, matter
"""


def support_gaps_cypher(
    driver: Any,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    min_town_duties: int = 4,
    min_escalations: int = 1,
    strong_kinds: Sequence[str] = STRONG_KINDS,
) -> pd.DataFrame:
    """``support_gaps`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all); the thresholds and ``strong_kinds`` as
    for ``support_gaps``. Returns the same columns and row order as ``support_gaps`` on the
    graph that was pushed.
    """
    _check_thresholds(min_town_duties, min_escalations)
    strong_kinds = guarantee_kinds(strong_kinds)
    strong = list(strong_kinds)

    taken_back = _taken_back_cypher(driver, database=database)

    def reason(row: dict[str, Any]) -> dict[str, Any]:
        kinds = [k for k in str(row["kinds"]).split(LIST_SEP) if k]
        heavy = _heavy_clauses(
            row["town_duties"], row["escalations"], min_town_duties, min_escalations
        )
        receivers = taken_back.get((row["town"], matter_key(row["matter_name"])), [])
        clauses = [*heavy, _support_clause(kinds, strong), *_taken_back_clause(receivers)]
        return {**row, "reason": _REASON_SEP.join(clauses)}

    parameters = {
        **base_parameters(list_ids),
        "kind_order": list(GUARANTEE_KIND_LABELS),
        "strong_kinds": strong,
        "town_kind": "town",
        "lead_sep": _LEAD_SEP,
        "min_town_duties": min_town_duties,
        "min_escalations": min_escalations,
        "cooperation": COOPERATION,
    }
    return read(
        driver,
        SUPPORT_GAPS_CYPHER,
        parameters,
        database=database,
        columns=SUPPORT_GAP_COLUMNS,
        sort_by=["list_id", "matter"],
        complete=reason,
    )


#: The matters of 收回 lists with the departments that took them back (``_taken_back``'s twin).
TAKEN_BACK_CYPHER = f"""
MATCH (l:{NodeLabel.LIST})
WHERE l.kind = $taken_back
MATCH (m:{NodeLabel.MATTER})
WHERE m.list_id = l.list_id
OPTIONAL MATCH (d)-[lead:{RelType.LEADS}]->(m)
WITH l, m, d, lead
ORDER BY coalesce(lead.position, 0)
RETURN coalesce(l.town, '') AS town, coalesce(m.name, '') AS name,
       collect(coalesce(d.name, d.id)) AS departments, m.matter_id AS matter_id
"""


def _taken_back_cypher(driver: Any, *, database: str) -> dict[tuple[str, str], list[str]]:
    frame = read(
        driver,
        TAKEN_BACK_CYPHER,
        {"taken_back": TAKEN_BACK},
        database=database,
        columns=["town", "name", "departments", "matter_id"],
        sort_by=["matter_id"],
    )
    out: dict[tuple[str, str], list[str]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault((row.town, matter_key(row.name)), []).extend(row.departments)
    return out


QUESTION = Question(
    name="support-gaps",
    title=N_("Support gaps"),
    explanation=N_(
        "Matters where the town carries many duties or must escalate while the guarantee "
        "is guidance or training only, with no funds, materials or staff (权责不对等)."
    ),
    summary="Heavy matters whose guarantee is guidance or training only (权责不对等).",
    columns=SUPPORT_GAP_COLUMNS,
    function=support_gaps,
    cypher=support_gaps_cypher,
    statements=lambda **_: [SUPPORT_GAPS_CYPHER],
    reads={
        **HANDOFF_TABLES,
        "matter_departments": None,
        "duties": DUTY_COUNTS,
        "guarantees": None,
    },
    options=(
        Option(
            "min_town_duties", "A matter with this many town duties or more is heavy.", 4, minimum=1
        ),
        Option(
            "min_escalations",
            "A matter with this many escalations from the town or more is heavy.",
            1,
            minimum=1,
        ),
        Option(
            "strong_kinds",
            "Guarantee kinds that count as real support, comma-separated, by code or name "
            "(资金,物资,人员).",
            STRONG_KINDS,
            kind="words",
            choices=tuple(GUARANTEE_KIND_LABELS),
            check=guarantee_kind,
        ),
    ),
    rank=50,
)
