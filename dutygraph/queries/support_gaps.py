"""Support gaps (权责不对等): matters where the town carries the work and the departments bring
guidance or training only, no money, materials or people.

>>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
>>> G = graph_from_tables(example_tables())
>>> support_gaps(G).loc[0, "reason"]
'镇须上报无法处置的问题1处（≥1）；保障仅有培训，无资金、物资、人员'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import networkx as nx
import pandas as pd
from networkx.utils import not_implemented_for

from ..graphmodel.schema import NodeLabel, RelType
from ._common import (
    LIST_SEP,
    handoffs,
    is_town,
    label_of,
    name_of,
    result_frame,
    town_of_list,
)

__all__ = [
    "GUARANTEE_KIND_LABELS",
    "STRONG_KINDS",
    "SUPPORT_GAP_COLUMNS",
    "support_gaps",
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

_ESCALATES = RelType.ESCALATES_TO.value


@not_implemented_for("undirected")
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
    >>> from dutygraph.graphmodel.build import example_tables, graph_from_tables
    >>> G = graph_from_tables(example_tables())
    >>> support_gaps(G)[["matter", "town_duties", "escalations", "kinds"]].values.tolist()
    [[3, 2, 1, 'training']]
    >>> support_gaps(G, min_town_duties=1)["matter"].tolist()  # guidance or training only
    [1, 2, 3]

    Notes
    -----
    O(edges).
    """
    if min_town_duties < 1 or min_escalations < 1:
        raise ValueError(
            f"thresholds must be 1 or more, got min_town_duties={min_town_duties}, "
            f"min_escalations={min_escalations}"
        )
    strong = set(strong_kinds)
    escalations: Counter[str] = Counter(
        h.matter_id for h in handoffs(G, {_ESCALATES}) if is_town(G, h.src)
    )
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("label") != NodeLabel.MATTER.value:
            continue
        leads, town_duties, kinds = _matter_facts(G, node)
        if strong & set(kinds):
            continue
        matter_id = data["matter_id"]
        heavy = []
        if town_duties >= min_town_duties:
            heavy.append(f"镇承担职责{town_duties}项（≥{min_town_duties}）")
        if escalations[matter_id] >= min_escalations:
            heavy.append(f"镇须上报无法处置的问题{escalations[matter_id]}处（≥{min_escalations}）")
        if not heavy:
            continue
        rows.append(
            {
                "list_id": data["list_id"],
                "town": town_of_list(G, data["list_id"]),
                "matter": data["number"],
                "matter_name": data.get("name", ""),
                "departments": "、".join(leads),
                "town_duties": town_duties,
                "escalations": escalations[matter_id],
                "kinds": LIST_SEP.join(kinds),
                "reason": "；".join([*heavy, _support_clause(kinds, strong_kinds)]),
            }
        )
    return result_frame(rows, SUPPORT_GAP_COLUMNS, ["list_id", "matter"])


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
