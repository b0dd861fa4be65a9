"""Paths between two actors: how cases travel from one to the other, matter by matter.

>>> from dutygraph.graphmodel.build import graph_from_tables
>>> from dutygraph.graphmodel.example import example_tables
>>> G = graph_from_tables(example_tables())
>>> paths(G, "示例镇", "市住房和城乡建设局")["chain"].tolist()
['示例镇 -> 区住房和城乡建设局 -> 市住房和城乡建设局']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..graphmodel.schema import ACTOR_LABELS, RelType
from ..i18n import N_
from ..i18n import gettext as _
from ._common import (
    CHAIN_SEP,
    Handoff,
    directed_only,
    handoffs_by_matter,
    hops_of,
    join_types,
    name_of,
    number_list,
    result_frame,
)
from ._cypher import HANDOFF_PATTERN, MAX_HOP_BOUND, base_parameters, hop_bound, read
from .registry import Option, Question

if TYPE_CHECKING:  # the CLI lists the questions without importing these
    import networkx as nx
    import pandas as pd

__all__ = [
    "QUESTION",
    "ACTOR_NAMES_CYPHER",
    "PATHS_CYPHER",
    "PATH_COLUMNS",
    "paths",
    "paths_cypher",
]

#: The columns of ``paths``, in order.
PATH_COLUMNS: tuple[str, ...] = (
    "list_id",
    "town",
    "source",  # the actor the path starts at (A, or B for the way back)
    "target",
    "chain",  # actor names joined by ' -> '
    "hops",
    "matters",  # how many matters of the list carry the whole path
    "matter_list",  # their numbers, ascending, joined by ','
    "types",  # per hop, the types seen on it in those matters ('+'-joined), joined by ' -> '
)

_ACTOR_LABELS = frozenset(label.value for label in ACTOR_LABELS.values())


@directed_only
def paths(G: nx.MultiDiGraph, a: str, b: str, *, cutoff: int = 4) -> pd.DataFrame:
    """How cases travel between actors ``a`` and ``b``: every handoff path from one to the
    other, in either direction, with the matters that carry it.

    A path is a simple path (no actor twice) of at most ``cutoff`` handoffs of any type, all in
    one matter: a case travels inside its matter, so hops from two matters never join. The
    same path in several matters of a list is one row, with those matters and, per hop, every
    type seen on it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A handoff graph (``graphmodel.build``) or a view of one.
    a, b : str
        Actor names: a town's name, a department's canonical name, or '村（社区）' for the level
        below the towns.
    cutoff : int, default 4
        The longest path followed, in hops.

    Returns
    -------
    pandas.DataFrame
        Columns ``PATH_COLUMNS``; sorted by list_id, direction (paths from ``a`` first, then the
        way back from ``b``), hops, then chain.

    Raises
    ------
    UnknownNameError
        ``a`` or ``b`` names no actor of ``G``, or several (``naming.resolve``: exact, alias,
        short form ``住建局``, unique part); the message lists the candidates.

    Examples
    --------
    >>> from dutygraph.graphmodel.build import graph_from_tables
    >>> from dutygraph.graphmodel.example import example_tables
    >>> G = graph_from_tables(example_tables())
    >>> found = paths(G, "区人民武装部", "示例镇")
    >>> found[["source", "hops", "matter_list", "types"]].values.tolist()
    [['区人民武装部', 1, '1', 'feeds_back_to'], ['示例镇', 1, '1', 'reports_to']]

    Notes
    -----
    Per matter that holds both actors, O(number of simple paths of at most ``cutoff`` hops).
    """
    import networkx as nx

    sources, targets = _actors_named(G, a), _actors_named(G, b)
    _two_ends(sources, targets, a)
    found: dict[tuple[str, tuple[str, ...]], _Path] = {}
    for edges in handoffs_by_matter(G).values():
        hops = hops_of(edges)
        flow = nx.DiGraph(list(hops))
        for start, end in _pairs(sources, targets, flow):
            for path in nx.all_simple_paths(flow, start, end, cutoff=cutoff):
                key = (edges[0].list_id, tuple(path))
                if key not in found:
                    found[key] = _Path(edges[0].list_id, edges[0].town, path)
                found[key].add(edges[0].matter, hops)
    rows = [p.row(G, from_a=p.nodes[0] in sources) for p in found.values()]
    frame = result_frame(rows, [*PATH_COLUMNS, "way_back"], _SORT_BY)
    return frame.loc[:, list(PATH_COLUMNS)]


_SORT_BY = ["list_id", "way_back", "hops", "chain"]


@dataclass
class _Path:
    """One path of one list, as it collects the matters that carry it."""

    list_id: str
    town: str
    nodes: list[str]
    numbers: set[int] = field(default_factory=set)
    types: list[set[str]] = field(default_factory=list)

    def add(self, matter: int, hops: dict[tuple[str, str], list[Handoff]]) -> None:
        self.numbers.add(matter)
        if not self.types:
            self.types = [set() for _ in range(len(self.nodes) - 1)]
        for seen, step in zip(self.types, pairwise(self.nodes), strict=True):
            seen.update(h.type for h in hops[step])

    def row(self, G: nx.MultiDiGraph, *, from_a: bool) -> dict[str, object]:
        return {
            "list_id": self.list_id,
            "town": self.town,
            "source": name_of(G, self.nodes[0]),
            "target": name_of(G, self.nodes[-1]),
            "chain": CHAIN_SEP.join(name_of(G, n) for n in self.nodes),
            "hops": len(self.nodes) - 1,
            "matters": len(self.numbers),
            "matter_list": number_list(self.numbers),
            "types": CHAIN_SEP.join(join_types(t) for t in self.types),
            "way_back": not from_a,
        }


def _two_ends(sources: Iterable[str], targets: Iterable[str], a: str) -> None:
    """Refuse a path from an actor to itself (``path 卜尔汉图镇 卜尔汉图镇``)."""
    from ..errors import UnknownNameError

    if set(sources) == set(targets):
        raise UnknownNameError(_("a path needs two actors; both ends name {name}").format(name=a))


def _actors_named(G: nx.MultiDiGraph, name: str) -> set[str]:
    actors = {
        n: str(d.get("name", "")) for n, d in G.nodes(data=True) if d.get("label") in _ACTOR_LABELS
    }
    found = set(actor_names(name, actors.values()))
    return {n for n, actor in actors.items() if actor in found}


def actor_names(written: str, names: Iterable[str]) -> list[str]:
    """The actor (department, town, village) ``written`` names, as ``naming.resolve_all``
    finds it: one name, or one department under its name in each list (``住建局``: the
    district-tier bureau, 区, 县 or 旗住房和城乡建设局)."""
    from ..naming import resolve_all
    from ..vocabulary import Vocabulary

    return resolve_all(written, names, directory=Vocabulary.load().departments, what=_("actor"))


def _pairs(sources: set[str], targets: set[str], flow: nx.DiGraph) -> Iterator[tuple[str, str]]:
    """(start, end) pairs present in one matter's handoffs, both directions."""
    for one, other in ((sources, targets), (targets, sources)):
        for start in one & set(flow):
            for end in other & set(flow):
                if start != end:
                    yield start, end


#: The names of the actors of the chosen lists (``paths_cypher`` resolves ``a`` and ``b``
#: among them, as ``paths`` does on the graph). An actor belongs to a list when one of its
#: relationships carries the list's id; the level below a town (Village) when its town's
#: does. Labels are tested with ``labels(n)``: FalkorDB has no label expressions.
ACTOR_NAMES_CYPHER = f"""
MATCH (n)
WHERE any(l IN labels(n) WHERE l IN $actor_labels)
OPTIONAL MATCH (n)-[:{RelType.BELOW}]->(town)
WITH n, coalesce(town, n) AS anchor
MATCH (anchor)-[e]-()
WHERE $list_ids IS NULL OR e.list_id IN $list_ids
RETURN DISTINCT n.name AS name
"""

#: The Cypher twin of ``paths`` (Neo4j 5 and FalkorDB). ``{rest}`` is the hop bound after the
#: first hop (``cutoff - 1``; see ``_cypher.hop_bound``), all else is a parameter. The first hop
#: is matched on its own so that its matter bounds the walk; every hop must share it, and no
#: actor may repeat. A path's parallel edges make several matches: they are grouped on the
#: path's actors, and each hop's types are those seen on it in any match (any matter).
PATHS_CYPHER = f"""
MATCH (s)
WHERE (s.name IN $a OR s.name IN $b) AND any(l IN labels(s) WHERE l IN $actor_labels)
MATCH (s)-[first:{HANDOFF_PATTERN}]->(next)
WHERE $list_ids IS NULL OR first.list_id IN $list_ids
MATCH p = (next)-[:{HANDOFF_PATTERN}*0..{{rest}}]->(t)
WITH s, t, first, [s] + nodes(p) AS actors, [first] + relationships(p) AS rels
WHERE s <> t AND any(l IN labels(t) WHERE l IN $actor_labels)
  AND ((s.name IN $a AND t.name IN $b) OR (s.name IN $b AND t.name IN $a))
  AND all(r IN rels WHERE r.matter_id = first.matter_id)
  AND all(x IN actors WHERE single(y IN actors WHERE y = x))
WITH first.list_id AS list_id, NOT s.name IN $a AS way_back, [x IN actors | x.id] AS ids,
     head(collect([x IN actors | coalesce(x.name, x.id)])) AS names,
     head(collect(first.town)) AS town,
     collect(DISTINCT first.matter) AS numbers,
     min(first.matter) AS lowest, max(first.matter) AS highest,
     collect([r IN rels | toLower(type(r))]) AS seen
WITH list_id, town, way_back, names,
     [n IN range(lowest, highest) WHERE n IN numbers | toString(n)] AS numbers,
     [i IN range(0, size(names) - 2) |
       [t IN $handoff_types WHERE any(types IN seen WHERE types[i] = t)]] AS hops
WITH list_id, town, way_back, names, numbers,
     [h IN hops | reduce(s = head(h), t IN tail(h) | s + $hop_type_sep + t)] AS hops
RETURN list_id, town, head(names) AS source, last(names) AS target,
       reduce(s = head(names), n IN tail(names) | s + $chain_sep + n) AS chain,
       size(names) - 1 AS hops, size(numbers) AS matters,
       reduce(s = head(numbers), n IN tail(numbers) | s + $list_sep + n) AS matter_list,
       reduce(s = head(hops), h IN tail(hops) | s + $chain_sep + h) AS types,
       way_back
ORDER BY list_id, way_back, hops, chain
"""


def paths_cypher(
    driver: Any,
    a: str,
    b: str,
    *,
    database: str,
    list_ids: Collection[str] | None = None,
    cutoff: int = 4,
) -> pd.DataFrame:
    """``paths`` on a Neo4j (or FalkorDB) database that ``neo4j_backend.push`` filled.

    ``driver`` from ``neo4j_backend.connect``; ``database`` the database (FalkorDB: graph) to
    read; ``list_ids`` only these lists (``None``: all); ``a``, ``b`` and ``cutoff`` as for
    ``paths``. Returns the same columns and row order as ``paths`` on the graph that was
    pushed, and raises the same ``DutygraphError`` for a name that no actor of the lists has.
    """
    from ..graphmodel.neo4j_backend import run_read

    parameters = base_parameters(list_ids)
    found = run_read(driver, ACTOR_NAMES_CYPHER, parameters, database=database)
    names = [str(n) for n in found["name"]] if not found.empty else []
    ends = actor_names(a, names), actor_names(b, names)
    _two_ends(*ends, a)
    frame = read(
        driver,
        _statements(cutoff=cutoff)[1],
        {**parameters, "a": ends[0], "b": ends[1]},
        database=database,
        columns=[*PATH_COLUMNS, "way_back"],
        sort_by=_SORT_BY,
    )
    return frame.loc[:, list(PATH_COLUMNS)]


def _statements(*, cutoff: int = 4, **_: Any) -> list[str]:
    return [ACTOR_NAMES_CYPHER, PATHS_CYPHER.format(rest=hop_bound(cutoff, minus=1))]


QUESTION = Question(
    name="path",
    title=N_("Paths between two actors"),
    explanation=N_(
        "How cases travel between two actors (both ways), step by step inside one matter."
    ),
    summary="How cases travel between actors A and B (both ways), matter by matter.",
    columns=PATH_COLUMNS,
    function=paths,
    cypher=paths_cypher,
    statements=_statements,
    options=(
        Option(
            "cutoff", "The longest path followed, in hops.", 4, minimum=1, maximum=MAX_HOP_BOUND
        ),
    ),
    arguments=("a", "b"),
    rank=60,
)
