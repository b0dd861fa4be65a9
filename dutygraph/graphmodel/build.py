"""The handoff graph on networkx: built from the tidy tables, and back (``scope`` views parts).

One ``nx.MultiDiGraph`` holds every list of a store. Its conventions, which the Neo4j push and
the pyvis views code against:

Nodes
    The node is its id string from ``schema.*_node_id``. Attribute ``label`` is the
    ``NodeLabel`` value (``"Matter"``), and the other attributes are the label's
    ``schema.NODE_PROPERTIES``, as plain Python values (``str``, ``int``, ``bool``). A value that
    is missing in the tables (NULL) is left out of the attribute dict, never stored as ``None``
    (GraphML and Neo4j cannot hold it): read optional properties with ``.get``.
Actors
    One Town node per town (``level`` ``'镇'``), one Village node per town standing for all its
    嘎查村/社区 (``name`` ``'村（社区）'``, ``level`` ``'村'``, ``(Village)-[:BELOW]->(Town)``), and
    one Department node per department name that the tables use, shared by every list; its
    ``level`` (区 | 市 | 省 | 部 | 其他) and ``in_vocabulary`` come from the departments table,
    and a department the table does not know gets ``'其他'`` and ``False``.
Edges
    Attribute ``type`` is the ``RelType`` value (``"REPORTS_TO"``, ``"LEADS"``), plus the
    type's ``schema.REL_PROPERTIES``. The key is a stable string unique per ``(u, v)``: the
    ``handoff_id`` for a handoff, the ``RelType`` value for a structural edge. Handoff edges carry
    ``schema.HANDOFF_PROPERTIES`` (with ``type`` the RelType value; the table's lower-case type is
    ``RelType(type).handoff_type``) and the list's ``town``. Every edge inside one list carries
    its ``list_id``, every edge inside one matter its ``matter_id``: scoping is a filter on them.

>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> G.nodes["matter:示例镇:配合#3"]["name"]
'大跨度结构建筑安全排查'
>>> sorted(k for _, _, k in G.out_edges("town:示例镇", keys=True))[:2]
['COOPERATES_ON', 'COOPERATES_ON']
>>> tables_from_graph(G)["handoffs"]["type"].tolist()[-2:]
['escalates_to', 'escalates_to']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from ..places import Place
from ..tables import TABLE_COLUMNS, TABLE_SCHEMAS
from ..values import plain
from .schema import (
    HANDOFF_PROPERTIES,
    HANDOFF_TYPES,
    NODE_PROPERTIES,
    REL_PROPERTIES,
    TOWN_LEVEL,
    VILLAGE_LEVEL,
    VILLAGE_NAME,
    NodeLabel,
    RelType,
    actor_node_id,
    category_node_id,
    department_node_id,
    duty_node_id,
    guarantee_node_id,
    list_node_id,
    matter_node_id,
    town_node_id,
    village_node_id,
)

__all__ = [
    "GRAPH_TABLES",
    "OTHER_LEVEL",
    "build_graph",
    "reviewed_tables",
    "graph_from_tables",
    "tables_from_graph",
]

#: The tables the graph is built from and turned back into, in build order.
GRAPH_TABLES: tuple[str, ...] = (
    "lists",
    "categories",
    "matters",
    "departments",
    "matter_departments",
    "duties",
    "guarantees",
    "handoffs",
)

#: The level of a department the departments table does not know.
OTHER_LEVEL = "其他"

#: Columns a table must have for the graph to be built; the others are optional properties.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "lists": ("list_id", "town"),
    "categories": ("list_id", "category_id", "position", "name"),
    "matters": ("list_id", "matter_id", "number", "name"),
    "departments": ("name",),
    "matter_departments": ("list_id", "matter_id", "department"),
    "duties": ("list_id", "duty_id", "matter_id", "owner", "owner_kind"),
    "guarantees": ("list_id", "guarantee_id", "matter_id"),
    "handoffs": (
        "list_id",
        "handoff_id",
        "matter_id",
        "src",
        "src_kind",
        "dst",
        "dst_kind",
        "type",
    ),
}

_KIND_OF_LABEL = {
    NodeLabel.TOWN.value: "town",
    NodeLabel.DEPARTMENT.value: "department",
    NodeLabel.VILLAGE.value: "village",
}
_BOOLEAN_PROPERTIES = frozenset({"in_vocabulary", "implicit"})
_HANDOFF_TYPES = frozenset(t.value for t in RelType if t.is_handoff)


# -- tables -> graph ---------------------------------------------------------------------------
def graph_from_tables(tables: Mapping[str, pd.DataFrame]) -> nx.MultiDiGraph:
    """Build the handoff graph of one or many lists from their tidy tables.

    Parameters
    ----------
    tables : mapping of table name to DataFrame
        Keyed by the names of ``dutygraph.tables`` (see ``GRAPH_TABLES``); a missing table is
        taken as empty, and so is a missing optional column.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges as the module docstring describes.

    Raises
    ------
    ValueError
        A table lacks a required column, or a row names a list, matter or category that the
        other tables do not hold (a bug in whatever produced the tables).

    Examples
    --------
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> G.nodes["dept:区民政局"]
    {'label': 'Department', 'name': '区民政局', 'level': '区', 'in_vocabulary': True}
    >>> G.edges["town:示例镇", "dept:区民政局", "示例镇:配合#2/t.1/h1"]["type"]
    'REPORTS_TO'

    Notes
    -----
    O(rows of all tables). A department that leads a matter twice (two names in cell 3 that
    resolve to one department) gets one LEADS edge, with the first position.
    """
    G = nx.MultiDiGraph()
    departments = {row["name"]: row for row in _records(tables, "departments")}
    place_of_list: dict[str, Place] = {}

    for row in _records(tables, "lists"):
        list_id = row["list_id"]
        place_of_list[list_id] = place = Place.of(row)
        town_id = _add_town(G, place)
        name = row.get("title") or list_id
        G.add_node(list_node_id(list_id), **_node_props(NodeLabel.LIST, row, name=name))
        _add_edge(G, town_id, list_node_id(list_id), RelType.PUBLISHES, row)

    category_nodes: dict[str, str] = {}
    for row in _records(tables, "categories"):
        _known_list(place_of_list, row, "categories")
        node = category_node_id(row["list_id"], row["position"])
        category_nodes[row["category_id"]] = node
        G.add_node(node, **_node_props(NodeLabel.CATEGORY, row))
        _add_edge(G, node, list_node_id(row["list_id"]), RelType.IN_LIST, row)

    for row in _records(tables, "matters"):
        place = _known_list(place_of_list, row, "matters")
        node = matter_node_id(row["matter_id"])
        G.add_node(node, **_node_props(NodeLabel.MATTER, row))
        _add_edge(G, node, list_node_id(row["list_id"]), RelType.IN_LIST, row)
        _add_edge(G, town_node_id(place.key), node, RelType.COOPERATES_ON, row)
        category_id = row.get("category_id")
        if category_id is not None and category_nodes:  # no categories table: no IN_CATEGORY
            if category_id not in category_nodes:
                raise ValueError(
                    f"matter {row['matter_id']} names category {category_id!r}, "
                    "which the categories table does not hold"
                )
            _add_edge(G, node, category_nodes[category_id], RelType.IN_CATEGORY, row)

    for row in _records(tables, "matter_departments"):
        matter = _known_matter(G, row, "matter_departments")
        place = place_of_list[row["list_id"]]
        dept = _add_department(G, row["department"], departments, place)
        _add_edge(G, dept, matter, RelType.LEADS, row)

    for row in _records(tables, "duties"):
        matter = _known_matter(G, row, "duties")
        node = duty_node_id(row["duty_id"])
        number = row.get("number")
        name = row["owner"] if number is None else f"{row['owner']} {number}"
        G.add_node(node, **_node_props(NodeLabel.DUTY, row, name=name))
        owner = _add_actor(
            G, row["owner_kind"], row["owner"], place_of_list[row["list_id"]], departments
        )
        _add_edge(G, owner, node, RelType.HAS_DUTY, row)
        _add_edge(G, node, matter, RelType.DUTY_OF, row)

    for row in _records(tables, "guarantees"):
        matter = _known_matter(G, row, "guarantees")
        node = guarantee_node_id(row["guarantee_id"])
        G.add_node(node, **_node_props(NodeLabel.GUARANTEE, row, name="履职保障"))
        _add_edge(G, node, matter, RelType.GUARANTEES, row)

    for row in _records(tables, "handoffs"):
        matter = _known_matter(G, row, "handoffs")
        place = place_of_list[row["list_id"]]
        src = _add_actor(G, row["src_kind"], row["src"], place, departments)
        dst = _add_actor(G, row["dst_kind"], row["dst"], place, departments)
        if row["type"] not in HANDOFF_TYPES:
            raise ValueError(
                f"handoff {row['handoff_id']} has type {row['type']!r}; "
                f"expected one of {', '.join(HANDOFF_TYPES)}"
            )
        rel = RelType.for_handoff(row["type"])
        props = {p: row[p] for p in HANDOFF_PROPERTIES if row.get(p) is not None}
        props.update(type=rel.value, town=place.town)
        props.setdefault("status", "machine")  # tables not read through the review
        props.setdefault("matter", G.nodes[matter]["number"])  # the questions name it
        G.add_edge(src, dst, key=row["handoff_id"], **props)
    return G


def build_graph(
    store: Any,
    list_ids: Collection[str] | None = None,
    *,
    tables: Mapping[str, Sequence[str] | None] | None = None,
) -> nx.MultiDiGraph:
    """Read the tables of some lists (default: all) from a ``Store`` and build their graph.

    The handoffs are the reviewed ones (``review.reviewed_handoffs``): corrected as the analysts
    decided, added ones included, rejected ones left out; each carries its review ``status``.

    Parameters
    ----------
    store : dutygraph.store.Store
    list_ids : collection of str, optional
        The lists to read, e.g. ``store.resolve_lists("卜尔汉图镇")``; ``None`` reads all.
    tables : mapping of table name to columns (None: all), optional
        Read only these tables and columns (a question that needs no duty text builds without
        it: ``queries.QUESTION_TABLES``); default: every table of ``GRAPH_TABLES``, whole.

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> import os, tempfile
    >>> from dutygraph.store import Store
    >>> from dutygraph.tables import ListTables, empty_table
    >>> store = Store(os.path.join(tempfile.mkdtemp(), "doc.db"))
    >>> from dutygraph.graphmodel.example import example_tables
    >>> tables = {n: f.reindex(columns=TABLE_COLUMNS[n]) for n, f in example_tables().items()}
    >>> store.save_list(ListTables(**tables, findings=empty_table("findings")))
    >>> G = build_graph(store)
    >>> G.number_of_nodes() == graph_from_tables(example_tables()).number_of_nodes()
    True
    """
    return graph_from_tables(reviewed_tables(store, list_ids, tables=tables))


def reviewed_tables(
    store: Any,
    list_ids: Collection[str] | None = None,
    *,
    tables: Mapping[str, Sequence[str] | None] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables :func:`build_graph` builds from (same parameters): the store's, with the
    handoffs as reviewed (``review.reviewed_handoffs``), for a reader that counts handoffs
    without building a graph (``compare``)."""
    from ..review import reviewed_handoffs

    ids = None if list_ids is None else list(list_ids)
    wanted = tables if tables is not None else dict.fromkeys(GRAPH_TABLES)
    frames = {
        name: store.table(name, ids, columns=wanted[name])
        for name in GRAPH_TABLES
        if name in wanted and name != "handoffs"
    }
    if "handoffs" in wanted:
        frames["handoffs"] = reviewed_handoffs(store, ids, columns=wanted["handoffs"])
    return frames


def _records(tables: Mapping[str, pd.DataFrame], name: str) -> Iterator[dict[str, Any]]:
    """The rows of one table as dicts of plain Python values, NULLs left out."""
    frame = tables.get(name)
    if frame is None or frame.empty:
        return
    missing = [c for c in _REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name} lacks columns {missing}")
    types = TABLE_SCHEMAS.get(name, {})
    columns = list(frame.columns)
    values = [_plain_column(frame[c], types.get(c)) for c in columns]
    for cells in zip(*values, strict=True):
        yield {c: v for c, v in zip(columns, cells, strict=True) if v is not None}


def _plain_column(column: pd.Series, sql_type: str | None) -> list[Any]:
    """A column as ``_plain`` makes each value, converted column by column (the fast path for
    a province's millions of cells: ``tolist`` already gives Python scalars)."""
    values = column.tolist()
    missing = column.isna()
    if missing.any():
        values = [None if gap else v for v, gap in zip(values, missing.tolist(), strict=True)]
    if column.dtype == object and any(hasattr(v, "item") for v in values):
        values = [_plain(v, sql_type) for v in values]  # numpy scalars in an object column
    elif sql_type == "INTEGER" and column.dtype.kind == "f":
        values = [int(v) if v is not None and v.is_integer() else v for v in values]
    return values


def _plain(value: Any, sql_type: str | None) -> Any:
    """``values.plain``, and a whole float in an INTEGER column as an int."""
    value = plain(value)
    if sql_type == "INTEGER" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _node_props(label: NodeLabel, row: Mapping[str, Any], **given: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"label": label.value}
    for name in NODE_PROPERTIES[label]:
        value = given.get(name, row.get(name))
        if value is not None:
            props[name] = bool(value) if name in _BOOLEAN_PROPERTIES else value
    return props


def _add_edge(G: nx.MultiDiGraph, u: str, v: str, rel: RelType, row: Mapping[str, Any]) -> None:
    """A structural edge, keyed by its type; the first one of a type between u and v wins."""
    if G.has_edge(u, v, key=rel.value):
        return
    props = {p: row[p] for p in REL_PROPERTIES.get(rel, ()) if row.get(p) is not None}
    if rel is RelType.IN_LIST and G.nodes[u]["label"] == NodeLabel.CATEGORY.value:
        props.pop("matter_id", None)
    G.add_edge(u, v, key=rel.value, type=rel.value, **props)


def _add_town(G: nx.MultiDiGraph, place: Place) -> str:
    """The town's node (keyed by its place: two districts' 城关镇 are two towns) and the node
    of the level below it."""
    node = town_node_id(place.key)
    if node not in G:
        above = {k: v for k, v in vars(place).items() if v and k != "town"}
        G.add_node(node, label=NodeLabel.TOWN.value, name=place.town, level=TOWN_LEVEL, **above)
        village = village_node_id(place.key)
        G.add_node(
            village,
            label=NodeLabel.VILLAGE.value,
            name=VILLAGE_NAME,
            town=place.town,
            level=VILLAGE_LEVEL,
        )
        G.add_edge(village, node, key=RelType.BELOW.value, type=RelType.BELOW.value)
    return node


def _add_department(
    G: nx.MultiDiGraph, name: str, known: Mapping[str, Mapping[str, Any]], place: Place
) -> str:
    """The node of a department as the town at ``place`` knows it: its name and the body it
    belongs to (a 区 department to the town's district, a 市 one to its city …)."""
    row = known.get(name, {})
    level = row.get("level") or OTHER_LEVEL
    node = department_node_id(name, place.scope(level))
    if node not in G:
        G.add_node(
            node,
            **_node_props(
                NodeLabel.DEPARTMENT,
                row,
                name=name,
                level=level,
                in_vocabulary=bool(row.get("in_vocabulary", False)),
                body=place.body(level) or None,
                scope=place.scope(level) or None,
            ),
        )
    return node


def _add_actor(
    G: nx.MultiDiGraph,
    kind: str,
    name: str,
    place: Place,
    departments: Mapping[str, Mapping[str, Any]],
) -> str:
    """The node of a handoff endpoint or duty owner. A ``town`` endpoint is the list's own town
    whatever the row calls it (街镇, 镇 and the real name all mean it), and a ``village`` one is
    the level below that town."""
    if kind == "department":
        return _add_department(G, name, departments, place)
    if kind == "town":
        return town_node_id(place.key)
    return actor_node_id(kind, name, place.key)  # a village, or a ValueError naming the kinds


def _known_list(place_of_list: Mapping[str, Place], row: Mapping[str, Any], table: str) -> Place:
    try:
        return place_of_list[row["list_id"]]
    except KeyError:
        raise ValueError(
            f"table {table} names list {row['list_id']!r}, which the lists table does not hold"
        ) from None


def _known_matter(G: nx.MultiDiGraph, row: Mapping[str, Any], table: str) -> str:
    node = matter_node_id(row["matter_id"])
    if node not in G:
        raise ValueError(
            f"table {table} names matter {row['matter_id']!r}, "
            "which the matters table does not hold"
        )
    return node


# -- graph -> tables ---------------------------------------------------------------------------
def tables_from_graph(G: nx.MultiDiGraph) -> dict[str, pd.DataFrame]:
    """The tidy tables a graph (or a scoped view of one) holds: the way back from the graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from ``graph_from_tables`` or a view of one.

    Returns
    -------
    dict of str to DataFrame
        One DataFrame per name of ``GRAPH_TABLES``, with the columns of ``dutygraph.tables``.
        Nodes come in the order they were added; ``matter_departments`` is sorted by matter and
        position, ``handoffs`` by matter, duty and offset (the order extraction writes).
        Booleans become 0/1, missing properties ``None``.

    Examples
    --------
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> leads = tables_from_graph(G)["matter_departments"]
    >>> for row in leads[["matter", "position", "department"]].itertuples(index=False):
    ...     print(*row)
    1 1 区人民武装部
    2 1 区民政局
    3 1 区住房和城乡建设局
    3 2 市住房和城乡建设局

    Notes
    -----
    O(nodes + edges).
    """
    # A view iterates its node set in no fixed order: follow the order the nodes were added.
    node_order = {node: i for i, node in enumerate(_root_graph(G)) if node in G}
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node in node_order:
        data = G.nodes[node]
        by_label.setdefault(data.get("label", ""), []).append((node, data))

    rows: dict[str, list[dict[str, Any]]] = {
        "lists": [d for _, d in by_label.get(NodeLabel.LIST.value, [])],
        "categories": [d for _, d in by_label.get(NodeLabel.CATEGORY.value, [])],
        "matters": [d for _, d in by_label.get(NodeLabel.MATTER.value, [])],
        "departments": [d for _, d in by_label.get(NodeLabel.DEPARTMENT.value, [])],
        "duties": [d for _, d in by_label.get(NodeLabel.DUTY.value, [])],
        "guarantees": [d for _, d in by_label.get(NodeLabel.GUARANTEE.value, [])],
    }

    leads: list[tuple[tuple[int, int], dict[str, Any]]] = []
    handoffs: list[tuple[tuple[int, int, int, str], dict[str, Any]]] = []
    for u, v, key, data in G.edges(keys=True, data=True):
        kind = data.get("type")
        if kind == RelType.LEADS.value:
            row = dict(data, department=G.nodes[u]["name"], matter=G.nodes[v].get("number"))
            leads.append(((node_order[v], data.get("position", 0)), row))
        elif kind in _HANDOFF_TYPES:
            row = dict(
                data,
                type=RelType(kind).handoff_type,
                src=G.nodes[u]["name"],
                src_kind=_KIND_OF_LABEL[G.nodes[u]["label"]],
                dst=G.nodes[v]["name"],
                dst_kind=_KIND_OF_LABEL[G.nodes[v]["label"]],
            )
            duty = duty_node_id(data.get("duty_id", ""))
            order = (
                node_order.get(matter_node_id(data["matter_id"]), -1),
                node_order.get(duty, len(node_order)),
                data.get("start", -1),
                str(key),
            )
            handoffs.append((order, row))
    rows["matter_departments"] = [r for _, r in sorted(leads, key=lambda item: item[0])]
    rows["handoffs"] = [r for _, r in sorted(handoffs, key=lambda item: item[0])]
    return {name: _frame(name, rows[name]) for name in GRAPH_TABLES}


def _root_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph a (possibly nested) view filters; networkx keeps it as ``view._graph``."""
    while hasattr(G, "_graph"):
        G = G._graph
    return G


def _frame(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    columns = TABLE_COLUMNS[name]
    records = [
        {c: int(row[c]) if c in _BOOLEAN_PROPERTIES and c in row else row.get(c) for c in columns}
        for row in rows
    ]
    if not records:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return pd.DataFrame.from_records(records, columns=list(columns))
