"""The diagrams analysts ask for, each a function of the handoff graph that returns a page.

Every view takes the graph of ``dutygraph.graphmodel.build`` (one or many lists; a scoped view
works too) and returns one self-contained HTML string (``render.render_html``); write it with
``render.save_html``. ``registry.VIEWS`` names them (and ``many.py``'s views of many towns)
and :func:`render_view` draws through it; how things look is ``style.py``, where they stand
``layout.py``. The views of one town:

- ``overview``: towns, villages and departments; handoffs aggregated per (src, dst, type),
  the count as label and width; departments sized by the matters they lead; rows by level.
- ``matter_view``: one matter, top-down by level, each handoff with its evidence on hover and
  each actor's duties in its tooltip.
- ``department_view``: one department, the matters it leads and its handoffs with the towns.
- ``escalations_view``: the escalation chains of ``queries.escalations``.
- ``gaps_view``: what the town hands up with nothing coming back (red) against closed loops
  (green), from ``queries.feedback_gaps``.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> html = render_view(G, "matter", "3")
>>> "事项 3" in html and "大跨度结构建筑安全排查" in html
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..errors import DutygraphError, UnknownMatterError
from ..graphmodel.schema import NodeLabel, RelType
from ..graphmodel.scope import actor_node_in_list
from ..handoff_types import HandoffType
from ..i18n import N_
from ..i18n import gettext as _
from ..queries import Handoff, town_node_of_list
from ..queries import handoffs as read_handoffs
from .layout import FIXED_ROWS, TOWN_RELATIONS, level_rows, town_relation_rows
from .registry import VIEWS
from .render import LegendItem, render_html
from .style import (
    CLOSED_COLOUR,
    GAP_COLOUR,
    LEADS_COLOUR,
    MATTER_COLOUR,
    actor_legend,
    actor_node,
    clip,
    dim,
    dim_legend,
    handoff_legend,
    handoff_name,
    joined,
    name_of,
    nodes_of,
    page_title,
    status_note,
    town_names,
    type_names,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "department_page",
    "department_view",
    "escalations_view",
    "gaps_view",
    "matter_page",
    "matter_view",
    "overview",
    "render_view",
]

_TYPE_ORDER = {t.value: k for k, t in enumerate(HandoffType)}


def _handoffs(G: nx.MultiDiGraph) -> list[Handoff]:
    """The graph's handoffs (``queries.handoffs``), by list, matter, type and ends."""
    return sorted(
        read_handoffs(G), key=lambda h: (h.list_id, h.matter, _TYPE_ORDER[h.type], h.src, h.dst)
    )


def _matter_label(G: nx.MultiDiGraph, matter_id: str) -> str:
    node = f"matter:{matter_id}"
    if node in G:
        data = G.nodes[node]
        return f"#{data.get('number')} {data.get('name', '')}"
    return matter_id


def _duty_text(G: nx.MultiDiGraph, duty_id: str) -> str:
    node = f"duty:{duty_id}"
    return str(G.nodes[node].get("text", "")) if node in G else ""


@dataclass
class _Aggregate:
    """Handoffs of one (src, dst, type), with what the tooltip lists."""

    src: str
    dst: str
    type: str
    lines: list[str] = field(default_factory=list)
    matters: set[str] = field(default_factory=set)
    reviewed: int = 0  # how many of its handoffs an analyst confirmed, corrected or added

    @property
    def count(self) -> int:
        return len(self.lines)


def _aggregate(G: nx.MultiDiGraph, handoffs: Iterable[Handoff]) -> list[_Aggregate]:
    groups: dict[tuple[str, str, str], _Aggregate] = {}
    for h in sorted(handoffs, key=lambda h: _TYPE_ORDER[h.type]):  # stable: by type, then as read
        group = groups.setdefault((h.src, h.dst, h.type), _Aggregate(h.src, h.dst, h.type))
        group.lines.append(f"{_matter_label(G, h.matter_id)}：{h.evidence}{status_note(h)}")
        group.matters.add(h.matter_id)
        group.reviewed += h.status != "machine"
    return list(groups.values())


def _aggregate_edge(
    G: nx.MultiDiGraph, agg: _Aggregate, *, label_ones: bool = True, dim_unreviewed: bool = False
) -> dict[str, Any]:
    """The edge of an aggregate; ``label_ones=False`` leaves single handoffs unlabelled (a
    crowded overview reads better without a "1" on most edges)."""
    zh, colour = HandoffType(agg.type).label, HandoffType(agg.type).colour
    head = _("{type}: {src} → {dst}, {count} times, in {matters} matters").format(
        type=handoff_name(HandoffType(agg.type)),
        src=name_of(G, agg.src),
        dst=name_of(G, agg.dst),
        count=agg.count,
        matters=len(agg.matters),
    )
    edge = {
        "from": agg.src,
        "to": agg.dst,
        "edge_type": agg.type,
        "color": colour,
        "label": str(agg.count) if label_ones or agg.count > 1 else "",
        "width": 1 + 1.5 * math.sqrt(agg.count),
        "title": "\n".join([head, *clip(agg.lines)]),
        "count": agg.count,
        "merge_label": f"{zh} {agg.count}",  # its part of a label shared with parallel edges
    }
    return dim(edge, agg.reviewed, dim_unreviewed)


def _matter_edges(
    G: nx.MultiDiGraph, handoffs: Iterable[Handoff], *, dim_unreviewed: bool = False
) -> list[dict[str, Any]]:
    """One edge per (src, dst, type) of a matter: its type as label (with ×n when the same
    handoff is stated in n duties), every evidence clause with its duty in the tooltip."""
    groups: dict[tuple[str, str, str], list[Handoff]] = defaultdict(list)
    for h in handoffs:
        groups[(h.src, h.dst, h.type)].append(h)
    edges = []
    for (src, dst, handoff_type), group in groups.items():
        zh, colour = HandoffType(handoff_type).label, HandoffType(handoff_type).colour
        n = len(group)
        head = _("{type}: {src} → {dst}").format(
            type=handoff_name(HandoffType(handoff_type)), src=name_of(G, src), dst=name_of(G, dst)
        )
        if n > 1:
            head += _(", stated in {count} duties").format(count=n)
        lines = [head]
        for k, h in enumerate(group, start=1):
            number = f" {k}" if n > 1 else ""
            lines.append(
                _("evidence{number}: {text}").format(number=number, text=h.evidence)
                + status_note(h)
            )
            duty = _duty_text(G, h.duty_id)
            if duty:
                lines.append(_("from duty{number}: {text}").format(number=number, text=duty))
            if h.implicit:
                lines.append(_("(receiver not written: presumed to be the lead department)"))
        edge = {
            "from": src,
            "to": dst,
            "edge_type": handoff_type,
            "color": colour,
            "label": zh if n == 1 else f"{zh} ×{n}",
            "width": 1 + math.sqrt(n),
            "title": "\n".join(lines),
            "matter": group[0].matter,
            "evidence": "；".join(h.evidence for h in group),
            "count": n,
        }
        reviewed = sum(h.status != "machine" for h in group)
        edges.append(dim(edge, reviewed, dim_unreviewed))
    return edges


# -- views -------------------------------------------------------------------------------------


def overview(G: nx.MultiDiGraph, *, dim_unreviewed: bool = False) -> str:
    """Towns, villages and departments, with every handoff aggregated per (src, dst, type).

    Departments are dots sized by the matters they lead (``queries.workload``), in rows by
    level: city above district above the town above its villages. An edge's label and width
    give how many handoffs it stands for; its tooltip lists them with their evidence. Lists
    that span several districts are drawn district by district (``many.province_view``).
    """
    from ..queries import workload

    if _several(G)["districts"]:
        from .many import province_view

        return province_view(G, dim_unreviewed=dim_unreviewed)

    handoffs = _handoffs(G)
    led: dict[str, int] = defaultdict(int)
    town_duties: dict[str, int] = defaultdict(int)
    for row in workload(G).itertuples(index=False):
        node = actor_node_in_list(G, str(row.list_id), str(row.department))
        if node is not None:
            led[node] += int(row.matters_led)
            town_duties[node] += int(row.town_duties)
    actors: list[str] = [*nodes_of(G, NodeLabel.TOWN)]
    actors += sorted({n for h in handoffs for n in (h.src, h.dst)} - set(actors))
    actors += sorted(set(led) - set(actors))
    many_towns = len(town_names(G)) > 1
    nodes = []
    for node in actors:
        if G.nodes[node].get("label") == NodeLabel.DEPARTMENT.value:
            n_led = led.get(node, 0)
            nodes.append(
                actor_node(
                    G,
                    node,
                    many_towns=many_towns,
                    dot=True,
                    size=8 + 5 * math.sqrt(n_led),
                    tooltip=[
                        _("leads {led} matters, with {duties} duties of the town").format(
                            led=n_led, duties=town_duties.get(node, 0)
                        )
                    ],
                )
            )
        else:
            nodes.append(actor_node(G, node, many_towns=many_towns))
    aggregates = _aggregate(G, handoffs)
    edges = [
        _aggregate_edge(G, agg, label_ones=False, dim_unreviewed=dim_unreviewed)
        for agg in aggregates
    ]
    captions = level_rows(nodes, edges, town_relation_rows(nodes, edges))
    legend = actor_legend(nodes) + handoff_legend(a.type for a in aggregates)
    legend += dim_legend(edges)
    return render_html(
        nodes,
        edges,
        title=page_title(G, VIEWS["overview"].shown_title),
        subtitle=_(
            "{handoffs} handoffs, merged per (sender, receiver, type) into {edges} edges; "
            "{departments} departments"
        ).format(
            handoffs=len(handoffs),
            edges=len(edges),
            departments=sum(1 for n in nodes if n["node_type"].startswith("dept:")),
        ),
        legend=legend,
        type_names=type_names(),
        layout="fixed",
        vis_options=FIXED_ROWS,
        label_width=7,
        captions=captions,
        notes=[
            _(
                "Rows by level, top down: national and provincial, city, district, town "
                "(street), village (community); a level's departments grouped by how they "
                "relate to the town (named on the left)."
            ),
            _(
                "The number on an edge = handoffs (the thicker, the more; no number = 1); "
                "edges between the same two nodes share one label."
            ),
            _("Department dot size = matters led; colour = level."),
        ],
    )


def _matter_numbers(G: nx.MultiDiGraph, target: str, list_id: str | None) -> dict[str, int]:
    """The matter ``target`` names in each list that holds one, {list id: 序号} (its number,
    or its name resolved list by list: ``naming.resolve_matters``)."""
    from ..naming import resolve_matters

    rows = [
        {"list_id": d.get("list_id"), "number": d.get("number"), "name": d.get("name", "")}
        for n in nodes_of(G, NodeLabel.MATTER)
        for d in [G.nodes[n]]
        if list_id is None or d.get("list_id") == list_id
    ]
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["list_id", "number", "name"])
    return resolve_matters(target, frame.sort_values(["list_id", "number"], kind="stable"))


def matter_view(
    G: nx.MultiDiGraph, number: int, *, list_id: str | None = None, dim_unreviewed: bool = False
) -> str:
    """One matter: its departments, the town, each handoff with its evidence, top-down.

    Each actor's duties in the matter are in its tooltip; a thick border marks the matter's
    responsible departments (对应上级部门). A matter number found in several lists draws them
    all (pass ``list_id`` to pick one).

    Raises
    ------
    UnknownMatterError
        No matter has that number (in that list).
    """
    matters = [
        n
        for n in nodes_of(G, NodeLabel.MATTER)
        if G.nodes[n].get("number") == number
        and (list_id is None or G.nodes[n].get("list_id") == list_id)
    ]
    if not matters:
        lists = (G.nodes[n].get("list_id", n) for n in nodes_of(G, NodeLabel.LIST))
        where = list_id or ", ".join(sorted(str(x) for x in lists))
        raise UnknownMatterError(
            _("no matter {number} in {lists}").format(number=number, lists=where)
        )
    matter_ids = {G.nodes[m].get("matter_id", m.removeprefix("matter:")) for m in matters}
    handoffs = [h for h in _handoffs(G) if h.matter_id in matter_ids]
    leads = {
        u
        for m in matters
        for u, _, d in G.in_edges(m, data=True)
        if d.get("type") == RelType.LEADS.value
    }
    duties, guarantees = _duties_and_guarantees(G, matters)
    towns = [town_node_of_list(G, str(G.nodes[m].get("list_id", ""))) for m in matters]
    actors = list(
        dict.fromkeys(
            [*sorted(leads), *towns, *sorted({n for h in handoffs for n in (h.src, h.dst)})]
        )
    )
    many_towns = len(set(towns)) > 1
    nodes = []
    for node in actors:
        if node not in G:
            continue
        role = [_("leads (the responsible department)")] if node in leads else []
        record = actor_node(
            G,
            node,
            many_towns=many_towns,
            tooltip=[
                *role,
                *([_("Its duties in this matter:")] if duties[node] else []),
                *clip(duties[node]),
            ],
        )
        if node in leads:
            record["borderWidth"] = 3
        nodes.append(record)
    edges = _matter_edges(G, handoffs, dim_unreviewed=dim_unreviewed)
    names = sorted({str(G.nodes[m].get("name", "")) for m in matters})
    categories = sorted({str(G.nodes[m].get("category", "")) for m in matters} - {""})
    notes = [
        _("Thick border = the matter's responsible departments (lead)."),
        _(
            "Hover a department or the town for its duties in this matter; hover an edge for "
            "the evidence and the duty it comes from."
        ),
        _("A handoff stated in several duties is one edge, marked ×n."),
    ]
    if categories:
        notes.insert(0, _("Category: {names}").format(names=joined(categories)))
    notes += list(dict.fromkeys(guarantees))
    if not handoffs:
        notes.insert(0, _("No handoff was found in this matter."))
    return render_html(
        nodes,
        edges,
        title=page_title(G, f"{VIEWS['matter'].shown_title} {number} {'、'.join(names)}"),
        subtitle=(
            _("{count} handoffs").format(count=len(handoffs))
            + (
                _(", merged into {edges} edges").format(edges=len(edges))
                if len(edges) != len(handoffs)
                else ""
            )
            + _("; top down: city and district departments, town (street), village (community)")
        ),
        legend=actor_legend(nodes) + handoff_legend(h.type for h in handoffs) + dim_legend(edges),
        notes=notes,
        type_names=type_names(),
        layout="hierarchical",
        label_width=7,
    )


def _duties_and_guarantees(
    G: nx.MultiDiGraph, matters: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Each actor's numbered duties in these matters, and their guarantee lines."""
    duties: dict[str, list[str]] = defaultdict(list)
    guarantees: list[str] = []
    for m in matters:
        for duty, _m, d in G.in_edges(m, data=True):
            if d.get("type") == RelType.DUTY_OF.value:
                for owner, _duty, e in G.in_edges(duty, data=True):
                    if e.get("type") == RelType.HAS_DUTY.value:
                        data = G.nodes[duty]
                        duties[owner].append(f"{data.get('number', '')}. {data.get('text', '')}")
            elif d.get("type") == RelType.GUARANTEES.value and G.nodes[duty].get("text"):
                text = str(G.nodes[duty]["text"]).removeprefix("履职保障：")
                where = f" ({_town_of(G, m)})" if len(matters) > 1 else ""
                guarantees.append(_("Support{where}: {text}").format(where=where, text=text))
    return duties, guarantees


def _town_of(G: nx.MultiDiGraph, matter: str) -> str:
    list_node = f"list:{G.nodes[matter].get('list_id', '')}"
    return str(G.nodes[list_node].get("town", "")) if list_node in G else ""


def department_view(G: nx.MultiDiGraph, name: str, *, dim_unreviewed: bool = False) -> str:
    """One department: the matters it leads and its handoffs with the town(s) and others.

    ``name`` is a department's name, or a part of one that names exactly one department.

    Raises
    ------
    DutygraphError
        No department, or several, match ``name``.
    """
    node = _find_department(G, name)
    led = sorted(
        (m for _, m, d in G.out_edges(node, data=True) if d.get("type") == RelType.LEADS.value),
        key=lambda m: (G.nodes[m].get("list_id", ""), G.nodes[m].get("number", 0)),
    )
    handoffs = [h for h in _handoffs(G) if node in (h.src, h.dst)]
    involved = sorted(
        {f"matter:{h.matter_id}" for h in handoffs} - set(led),
        key=lambda m: (
            (G.nodes[m].get("list_id", ""), G.nodes[m].get("number", 0)) if m in G else ("", 0)
        ),
    )
    many_towns = len(town_names(G)) > 1
    dept_name = name_of(G, node)
    actors = [node, *sorted({n for h in handoffs for n in (h.src, h.dst)} - {node})]
    nodes = [actor_node(G, a, many_towns=many_towns) for a in actors]
    nodes[0].update(borderWidth=3, font={"size": 18})
    matter_nodes = []
    for m in [*led, *involved]:
        if m not in G:
            continue
        data = G.nodes[m]
        town = _town_of(G, m)
        matter_nodes.append(
            {
                "id": m,
                "label": f"#{data.get('number')} {data.get('name', '')}",
                "name": f"{data.get('number')} {data.get('name', '')}",
                "node_type": "Matter",
                "shape": "box",
                "color": MATTER_COLOUR,
                "title": _("Matter {number}: {name}").format(
                    number=data.get("number"), name=data.get("name", "")
                )
                + f"\n{town} · {data.get('category', '')}"
                + ("" if m in led else "\n" + _("(does not lead it, only hands work)")),
            }
        )
    edges = [
        {
            "from": node,
            "to": m["id"],
            "edge_type": "LEADS" if m["id"] in led else "INVOLVED",
            "color": LEADS_COLOUR,
            "dashes": m["id"] not in led,
            "width": 1,
            "arrows": {"to": {"enabled": False}},
        }
        for m in matter_nodes
    ]
    aggregates = _aggregate(G, handoffs)
    edges += [_aggregate_edge(G, agg, dim_unreviewed=dim_unreviewed) for agg in aggregates]
    legend = actor_legend(nodes) + [LegendItem("node", _("Matter"), MATTER_COLOUR, "box")]
    # the lines to matters have no arrowhead, and neither have their legend lines
    legend += [LegendItem("edge", _("matters it leads"), LEADS_COLOUR, arrow=False)]
    if involved:
        legend += [
            LegendItem(
                "edge",
                _("matters it only hands work in"),
                LEADS_COLOUR,
                dashes=True,
                arrow=False,
            )
        ]
    legend += handoff_legend(a.type for a in aggregates) + dim_legend(edges)
    names = type_names() | {"LEADS": _("leads"), "INVOLVED": _("only hands work")}
    return render_html(
        [*nodes, *matter_nodes],
        edges,
        title=page_title(G, f"{VIEWS['department'].shown_title} {dept_name}"),
        subtitle=_("leads {led} matters, {handoffs} handoffs").format(
            led=len(led), handoffs=len(handoffs)
        ),
        legend=legend,
        type_names=names,
        layout="physics",
        notes=[_("The number on an edge = handoffs; hover for the matters and the evidence.")],
    )


def _find_department(G: nx.MultiDiGraph, name: str) -> str:
    """The department ``name`` names (``naming.resolve_all``: exact, alias, short form, unique
    part), by its name or by its body and name (``九原区区民政局``) when several bodies'
    departments share the name; the same name in several districts is an error that says how
    to choose one."""
    from ..errors import UnknownNameError
    from ..naming import resolve_all
    from ..vocabulary import Vocabulary

    spelled = {n: (name_of(G, n), _qualified(G, n)) for n in nodes_of(G, NodeLabel.DEPARTMENT)}
    pool = sorted({s for names in spelled.values() for s in names})
    directory = Vocabulary.load().departments
    written = set(resolve_all(name, pool, directory=directory, what=_("department")))
    found = [n for n, names in spelled.items() if written & set(names)]
    if len(found) == 1:
        return found[0]
    raise UnknownNameError(
        _(
            "{what} {written!r} is in {count} districts: {names}; choose one with --district "
            "or --list, or write the district before the name ({example})"
        ).format(
            what=_("department"),
            written=name,
            count=len(found),
            names="、".join(sorted(_qualified(G, n) or name_of(G, n) for n in found)),
            example=min((_qualified(G, n) for n in found if G.nodes[n].get("body")), default=""),
        ),
        ambiguous=True,
    )


def _qualified(G: nx.MultiDiGraph, node: str) -> str:
    """A department's name led by its body when known (``昆都仑区区民政局``)."""
    return f"{G.nodes[node].get('body', '')}{name_of(G, node)}"


def escalations_view(
    G: nx.MultiDiGraph, chains: pd.DataFrame | None = None, *, dim_unreviewed: bool = False
) -> str:
    """The escalation chains (``queries.escalations``): who a case travels up to, per matter.

    Every hop of a chain is one edge per (src, dst), red when the hop includes an escalation
    (提级上报), blue when it is a report; its width and label give how many matters' chains
    pass along it, its tooltip the chains and their evidence.
    """
    from ..queries import CHAIN_SEP, EVIDENCE_SEP, escalations

    if chains is None:
        chains = escalations(G)
    hops: dict[tuple[str, str], dict[str, Any]] = {}
    for row in chains.itertuples(index=False):
        names = str(row.chain).split(CHAIN_SEP)
        types = str(row.types).split(CHAIN_SEP)
        evidence = str(row.evidence).split(EVIDENCE_SEP)
        ids = [_actor_id(G, n, str(row.list_id)) for n in names]
        for k, (src, dst) in enumerate(pairwise(ids)):
            hop = hops.setdefault((src, dst), {"matters": {}, "escalates": False})
            hop["escalates"] |= "escalates_to" in (types[k] if k < len(types) else "")
            hop["matters"].setdefault(
                (row.list_id, row.matter),
                f"#{row.matter} {row.matter_name}：{evidence[k] if k < len(evidence) else ''}",
            )
    actors = list(dict.fromkeys(n for pair in hops for n in pair))
    many_towns = len(town_names(G)) > 1
    nodes = [actor_node(G, n, many_towns=many_towns) for n in actors if n in G]
    edges = []
    for (src, dst), hop in hops.items():
        kind = "escalates_to" if hop["escalates"] else "reports_to"
        colour = HandoffType(kind).colour
        lines = list(hop["matters"].values())
        edge = {
            "from": src,
            "to": dst,
            "edge_type": kind,
            "color": colour,
            "width": 2 + 2 * math.sqrt(len(lines)),
            "label": str(len(lines)),
            "title": "\n".join(
                [
                    _("{src} → {dst}: the chains of {count} matters pass here").format(
                        src=name_of(G, src), dst=name_of(G, dst), count=len(lines)
                    ),
                    *clip(lines),
                ]
            ),
        }
        matter_ids = {f"{list_id}#{matter}" for list_id, matter in hop["matters"]}
        edges.append(dim(edge, _reviewed_between(G, src, dst, matter_ids), dim_unreviewed))
    notes = [
        _(
            "Each chain starts at the town (street) and goes up step by step along reports "
            "and escalations, within one matter."
        ),
        _("The number on an edge = matters whose chain takes this step; hover for the evidence."),
    ]
    if chains.empty:
        notes.insert(0, _("No chain of two steps or more was found."))
        nodes = [actor_node(G, t, many_towns=many_towns) for t in nodes_of(G, NodeLabel.TOWN)]
    legend = actor_legend(nodes) + [
        LegendItem(
            "edge",
            _("a step with an escalation ({type})").format(
                type=handoff_name(HandoffType.ESCALATES_TO)
            ),
            HandoffType.ESCALATES_TO.colour,
        ),
        LegendItem(
            "edge",
            _("a step of reports ({type})").format(type=handoff_name(HandoffType.REPORTS_TO)),
            HandoffType.REPORTS_TO.colour,
        ),
        *dim_legend(edges),
    ]
    return render_html(
        nodes,
        edges,
        title=page_title(G, VIEWS["escalations"].shown_title),
        subtitle=_("{chains} escalation chains, {matters} matters").format(
            chains=len(chains), matters=chains["matter"].nunique() if len(chains) else 0
        ),
        legend=legend,
        notes=notes,
        type_names=type_names(),
        layout="hierarchical",
    )


def _reviewed_between(G: nx.MultiDiGraph, src: str, dst: str, matter_ids: set[str]) -> int:
    """How many handoffs src -> dst in these matters an analyst has reviewed."""
    edges = (G.get_edge_data(src, dst) or {}).values()
    return sum(
        1
        for data in edges
        if data.get("matter_id") in matter_ids and data.get("status", "machine") != "machine"
    )


def _actor_id(G: nx.MultiDiGraph, name: str, list_id: str) -> str:
    """The node a question's row names, in the context of its list."""
    return actor_node_in_list(G, list_id, name) or name


def gaps_view(
    G: nx.MultiDiGraph,
    gaps: pd.DataFrame | None = None,
    closed: pd.DataFrame | None = None,
    *,
    dim_unreviewed: bool = False,
) -> str:
    """Feedback gaps (``queries.feedback_gaps``) in red against closed loops in green.

    Per town and department: a red edge town → department for the matters where the town
    hands something up and nothing comes back, a green edge department → town for those
    where the result does come back; label and width give the number of matters, the tooltip
    lists them with what was sent and what came back.
    """
    from ..queries import feedback_gaps

    if gaps is None:
        gaps = feedback_gaps(G)
    if closed is None:
        closed = feedback_gaps(G, closed=True)
    edges = []
    actors: list[str] = list(nodes_of(G, NodeLabel.TOWN))
    for frame, kind in ((gaps, "gap"), (closed, "closed")):
        lines: dict[tuple[str, str], list[str]] = defaultdict(list)
        matter_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in frame.itertuples(index=False):
            town = town_node_of_list(G, str(row.list_id))
            dept = _actor_id(G, str(row.department), str(row.list_id))
            matter_ids[(town, dept)].add(f"{row.list_id}#{row.matter}")
            text = _("#{number} {name}: sent {evidence}").format(
                number=row.matter, name=row.matter_name, evidence=row.evidence
            )
            if kind == "closed":
                text += _("; feedback {evidence}").format(evidence=row.feedback)
            lines[(town, dept)].append(text)
        for (town, dept), matter_lines in lines.items():
            actors.append(dept)
            n = len(matter_lines)
            head = (
                _("{src} → {dst}: {count} matters sent up with no feedback").format(
                    src=name_of(G, town), dst=name_of(G, dept), count=n
                )
                if kind == "gap"
                else _("{src} → {dst}: {count} matters with feedback (closed loop)").format(
                    src=name_of(G, dept), dst=name_of(G, town), count=n
                )
            )
            ends = (town, dept) if kind == "gap" else (dept, town)
            edge = {
                "from": ends[0],
                "to": ends[1],
                "edge_type": kind,
                "color": GAP_COLOUR if kind == "gap" else CLOSED_COLOUR,
                "label": (
                    _("{count} no feedback") if kind == "gap" else _("{count} closed")
                ).format(count=n),
                "width": 1.5 + 1.5 * math.sqrt(n),
                "dashes": kind == "gap",
                "title": "\n".join([head, *clip(matter_lines)]),
                "matters": n,
            }
            reviewed = _reviewed_between(G, *ends, matter_ids[(town, dept)])
            edges.append(dim(edge, reviewed, dim_unreviewed))
    many_towns = len(town_names(G)) > 1
    nodes = [actor_node(G, n, many_towns=many_towns) for n in dict.fromkeys(actors) if n in G]
    relations = {
        **TOWN_RELATIONS,
        "to_dept": N_("only gaps"),
        "from_dept": N_("only closed loops"),
        "both": N_("gaps and closed loops"),
    }
    captions = level_rows(nodes, edges, town_relation_rows(nodes, edges, relations))
    legend = actor_legend(nodes) + [
        LegendItem("edge", _("sent up, no feedback (gap)"), GAP_COLOUR, dashes=True),
        LegendItem("edge", _("result fed back to the town (closed loop)"), CLOSED_COLOUR),
        *dim_legend(edges),
    ]
    return render_html(
        nodes,
        edges,
        title=page_title(G, VIEWS["gaps"].shown_title),
        subtitle=_(
            "{gaps} (matter, department) sent up with no feedback, {closed} with feedback"
        ).format(gaps=len(gaps), closed=len(closed)),
        legend=legend,
        type_names={
            **type_names(),
            "gap": _("no feedback (gap)"),
            "closed": _("with feedback (closed loop)"),
        },
        layout="fixed",
        vis_options=FIXED_ROWS,
        label_width=7,
        captions=captions,
        notes=[
            _(
                "Red dashed: the town (street) reports or escalates to the department and "
                "nothing comes back in the same matter."
            ),
            _("Green: the department feeds the result back to the town; the loop closes."),
            _("The number on an edge = matters; hover for the matters and the evidence."),
        ],
    )


def _several(G: nx.MultiDiGraph) -> dict[str, bool]:
    """Whether the graph holds several towns, and several (known) districts."""
    towns = [d for _, d in G.nodes(data=True) if d.get("label") == NodeLabel.TOWN.value]
    districts = {d.get("district") for d in towns if d.get("district")}
    return {"towns": len(towns) > 1, "districts": len(districts) > 1}


def matter_page(
    G: nx.MultiDiGraph, target: str, *, list_id: str | None = None, dim_unreviewed: bool = False
) -> str:
    """``dutygraph viz matter N``: the matter ``target`` names (its number or its name); a
    matter found in several lists (the same number, or each list's matter of that name) draws
    one panel per list (``many.matter_panels``)."""
    from . import many

    numbers = _matter_numbers(G, target, list_id)
    if len(numbers) > 1:
        return many.matter_panels(G, numbers, dim_unreviewed=dim_unreviewed)
    ((only, number),) = numbers.items()
    return matter_view(G, number, list_id=only, dim_unreviewed=dim_unreviewed)


def department_page(G: nx.MultiDiGraph, target: str, *, dim_unreviewed: bool = False) -> str:
    """``dutygraph viz department NAME``: of one town its matters and handoffs
    (:func:`department_view`), of several the towns it works with
    (``many.department_across_towns``)."""
    from . import many

    if _several(G)["towns"]:
        return many.department_across_towns(
            G, _find_department(G, target), dim_unreviewed=dim_unreviewed
        )
    return department_view(G, target, dim_unreviewed=dim_unreviewed)


def render_view(
    G: nx.MultiDiGraph,
    view: str,
    target: str | None = None,
    *,
    list_id: str | None = None,
    dim_unreviewed: bool = False,
) -> str:
    """``dutygraph viz VIEW [TARGET]``: the page of one view of :data:`registry.VIEWS`.

    ``dim_unreviewed`` draws the edges no analyst has reviewed faded and dashed.

    Raises
    ------
    DutygraphError
        An unknown view, a missing or malformed target (matter number, department name).
    """
    if view not in VIEWS:
        raise DutygraphError(
            _("unknown view {view!r}; expected one of {views}").format(
                view=view, views=", ".join(VIEWS)
            )
        )
    record = VIEWS[view]
    if record.target and not target:
        raise DutygraphError(
            _("view {view} needs {what}: dutygraph viz {view} TARGET").format(
                view=view, what=_(record.target_what)
            )
        )
    if not record.target and target:
        raise DutygraphError(
            _("view {view} takes no target, got {target!r}").format(view=view, target=target)
        )
    return record.draw(G, target, list_id=list_id, dim_unreviewed=dim_unreviewed)
