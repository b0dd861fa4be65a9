"""Scoped views of the handoff graph: one matter, list, category or town, without copying.

Each view is a ``nx.subgraph_view`` of the graph ``build.graph_from_tables`` makes: no data is
copied, and changes to the graph show through. A view keeps a matter's own nodes and edges (they
carry its ``matter_id``), its list's structure (``list_id``) and every actor its handoffs reach.

>>> from dutygraph.graphmodel.build import graph_from_tables, tables_from_graph
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> view = matter_subgraph(G, "示例镇:配合#3")
>>> sorted(d["type"] for _, _, d in view.edges(data=True) if d["type"].endswith("_TO"))
['ESCALATES_TO', 'ESCALATES_TO']
>>> for row in tables_from_graph(view)["handoffs"][["src", "dst", "type"]].itertuples():
...     print(*row[1:])
区住房和城乡建设局 市住房和城乡建设局 escalates_to
示例镇 区住房和城乡建设局 escalates_to
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..places import Place
from .schema import (
    VILLAGE_NAME,
    NodeLabel,
    RelType,
    department_node_id,
    list_node_id,
    matter_node_id,
    town_node_id,
    village_node_id,
)

__all__ = [
    "actor_node_in_list",
    "category_subgraph",
    "list_subgraph",
    "matter_subgraph",
    "town_nodes",
    "town_subgraph",
]


def matter_subgraph(G: nx.MultiDiGraph, matter_id: str) -> nx.MultiDiGraph:
    """A read-only view of one matter: the matter, its list, category, town, departments,
    duties, guarantee and handoffs, and every actor its handoffs reach.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    matter_id : str
        The matter's id from the matters table (``list_id#number``).

    Returns
    -------
    networkx.MultiDiGraph
        A ``nx.subgraph_view`` of ``G``: no data is copied, and changes to ``G`` show through.

    Raises
    ------
    KeyError
        No matter ``matter_id`` in ``G``.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> sorted(n for n, d in matter_subgraph(G, "示例镇:配合#1").nodes(data=True)
    ...        if d["label"] in ("Town", "Department"))
    ['dept:区人民武装部', 'town:示例镇']

    Notes
    -----
    O(size of the matter + degree of its actors) to set up; the view filters on ``matter_id``
    (and ``list_id`` for the list's own structure).
    """
    if matter_node_id(matter_id) not in G:
        raise KeyError(f"no matter {matter_id!r} in the graph")
    return _scoped_view(G, [matter_id], extra_nodes=())


def list_subgraph(G: nx.MultiDiGraph, list_id: str) -> nx.MultiDiGraph:
    """A read-only view of one list: its categories, matters and everything in them.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> list_subgraph(G, "示例镇:配合").number_of_edges() == G.number_of_edges()
    True
    """
    node = list_node_id(list_id)
    if node not in G:
        raise KeyError(f"no list {list_id!r} in the graph")
    matters, extra = _list_members(G, node)
    return _scoped_view(G, matters, extra_nodes=extra)


def town_subgraph(G: nx.MultiDiGraph, town: str) -> nx.MultiDiGraph:
    """A read-only view of every list a town publishes (配合, 基本, 收回, each version).

    ``town`` is its place key (``Place.key``), its name, or its district and name; a name two
    districts' towns share gives the view of both.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> town_subgraph(G, "示例镇").has_node("dept:市住房和城乡建设局")
    True
    """
    nodes = town_nodes(G, town)
    if not nodes:
        raise KeyError(f"no town {town!r} in the graph")
    matters: list[str] = []
    extra: list[str] = list(nodes)
    published = (edge for node in nodes for edge in G.out_edges(node, keys=True))
    for _, list_node, kind in published:
        if kind == RelType.PUBLISHES.value:
            more, members = _list_members(G, list_node)
            matters += more
            extra += members
    return _scoped_view(G, matters, extra_nodes=extra)


def town_nodes(G: nx.MultiDiGraph, town: str) -> list[str]:
    """The Town nodes ``town`` names: a place key, a town's name, or its district and name."""
    if town_node_id(town) in G:
        return [town_node_id(town)]
    return [
        node
        for node, data in G.nodes(data=True)
        if data.get("label") == NodeLabel.TOWN.value
        and town in (data.get("name"), f"{data.get('district', '')}{data.get('name')}")
    ]


def actor_node_in_list(G: nx.MultiDiGraph, list_id: str, name: str) -> str | None:
    """The node of an actor as list ``list_id`` names it: its town (by name), the level below
    it (``村（社区）``), or a department of the body the list's town sees under that name (its
    district's 区民政局, its city's 市住房和城乡建设局); None when ``G`` has none.

    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> [actor_node_in_list(G, "示例镇:配合", name) for name in ("区民政局", "示例镇")]
    ['dept:区民政局', 'town:示例镇']
    """
    list_node = list_node_id(list_id)
    if list_node not in G:
        return None
    place = Place.of(G.nodes[list_node])
    if name == place.town:
        return town_node_id(place.key)
    if name == VILLAGE_NAME:
        return village_node_id(place.key)
    for level in ("区", "市", "省", "部"):
        node = department_node_id(name, place.scope(level))
        if node in G:
            return node
    return None


def category_subgraph(G: nx.MultiDiGraph, list_id: str, category: int | str) -> nx.MultiDiGraph:
    """A read-only view of one category of a list, given its position (1 for 一、) or name.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> view = category_subgraph(G, "示例镇:配合", "社会管理")
    >>> sorted(d["number"] for _, d in view.nodes(data=True) if d["label"] == "Matter")
    [1, 2]
    """
    node = None
    for pred, _, kind in G.in_edges(list_node_id(list_id), keys=True):
        data = G.nodes[pred]
        if (
            kind == RelType.IN_LIST.value
            and data["label"] == NodeLabel.CATEGORY.value
            and (data.get("position") == category or data.get("name") == category)
        ):
            node = pred
            break
    if node is None:
        raise KeyError(f"no category {category!r} in list {list_id!r}")
    matters = [
        G.nodes[m]["matter_id"]
        for m, _, kind in G.in_edges(node, keys=True)
        if kind == RelType.IN_CATEGORY.value
    ]
    return _scoped_view(G, matters, extra_nodes=[node, list_node_id(list_id)])


def _list_members(G: nx.MultiDiGraph, list_node: str) -> tuple[list[str], list[str]]:
    """(matter ids, other nodes) of a list node: matters; categories, town, village, itself."""
    matters, extra = [], [list_node]
    for pred, _, kind in G.in_edges(list_node, keys=True):
        data = G.nodes[pred]
        if data["label"] == NodeLabel.MATTER.value:
            matters.append(data["matter_id"])
        elif kind == RelType.IN_LIST.value:
            extra.append(pred)
        elif kind == RelType.PUBLISHES.value:  # the town and the level below it
            extra += [
                pred,
                *(v for v, _, k in G.in_edges(pred, keys=True) if k == RelType.BELOW.value),
            ]
    return matters, extra


def _scoped_view(
    G: nx.MultiDiGraph, matter_ids: Iterable[str], extra_nodes: Iterable[str]
) -> nx.MultiDiGraph:
    """The view of some matters: their nodes, then the actors their handoffs reach (BFS)."""
    matters = set(matter_ids)
    nodes = set(extra_nodes)
    actors: set[str] = set()
    for matter_id in matters:
        matter = matter_node_id(matter_id)
        nodes.add(matter)
        nodes.update(G.successors(matter))  # its list and category
        for pred, _, kind in G.in_edges(matter, keys=True):
            nodes.add(pred)
            if kind == RelType.DUTY_OF.value:
                actors.update(G.predecessors(pred))  # the duty's owner
            elif kind in (RelType.LEADS.value, RelType.COOPERATES_ON.value):
                actors.add(pred)
    list_ids = {G.nodes[n]["list_id"] for n in nodes if G.nodes[n]["label"] == NodeLabel.LIST.value}
    for list_id in list_ids:  # the town that publishes the list
        actors.update(
            p
            for p in G.predecessors(list_node_id(list_id))
            if G.nodes[p]["label"] == NodeLabel.TOWN.value
        )

    # every actor a handoff of these matters reaches, from the actors found so far
    frontier = list(actors)
    while frontier:
        actor = frontier.pop()
        for edges in (G.out_edges(actor, data="matter_id"), G.in_edges(actor, data="matter_id")):
            for u, v, matter_id in edges:
                other = v if u == actor else u
                if matter_id in matters and other not in actors:
                    actors.add(other)
                    frontier.append(other)
    nodes |= actors

    adj = G.adj

    def keep_edge(u: str, v: str, key: str) -> bool:
        data = adj[u][v][key]
        matter_id = data.get("matter_id")
        if matter_id is not None:
            return matter_id in matters
        list_id = data.get("list_id")
        return list_id is None or list_id in list_ids

    return nx.subgraph_view(G, filter_node=nx.filters.show_nodes(nodes), filter_edge=keep_edge)
