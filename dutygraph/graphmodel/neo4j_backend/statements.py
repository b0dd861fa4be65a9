"""Every Cypher text the Neo4j backend sends, and the batch (a statement and its ``$rows``).

Values reach Cypher only as ``$parameters``; labels and relationship types are pasted into the
text only here, after ``NodeLabel(…)`` / ``RelType(…)`` has checked them against the schema.
``tests/test_cypher_lint.py`` runs every statement below through Neo4j's own Cypher linter.

>>> print(node_merge_cypher(NodeLabel.MATTER))
UNWIND $rows AS row MERGE (n:Matter {id: row.id}) SET n += row.props
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..schema import NodeLabel, RelType

__all__ = [
    "FALKORDB_INDEXES",
    "FALKORDB_PROBE",
    "FIXED_STATEMENTS",
    "NEO4J_COMPONENTS",
    "NODE_COUNTS",
    "RELATIONSHIP_COUNTS",
    "Batch",
    "chunks",
    "falkordb_id_index",
    "handoffs_on_server_cypher",
    "node_merge_cypher",
    "relationship_delete_cypher",
    "relationship_merge_cypher",
    "unique_id_ddl",
]

#: Neo4j names itself here; FalkorDB has no dbms.components() ("Procedure `dbms.components`
#: is not registered").
NEO4J_COMPONENTS = "CALL dbms.components() YIELD name, versions RETURN name, versions"
#: FalkorDB's own statistics procedure; Neo4j 5 has no db.meta.stats().
FALKORDB_PROBE = "CALL db.meta.stats()"
#: Neo4j 5: a uniqueness constraint, which also creates the range index MERGE uses.
_NEO4J_UNIQUE_ID = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
#: FalkorDB: its constraints are a Redis command (GRAPH.CONSTRAINT CREATE), not Cypher, and it
#: knows no IF NOT EXISTS and no index names, so the index is created only when this read does
#: not list it (creating it twice fails: "Attribute 'id' is already indexed").
FALKORDB_INDEXES = (
    "CALL db.indexes() YIELD label, properties, entitytype RETURN label, properties, entitytype"
)
_FALKORDB_ID_INDEX = "CREATE INDEX FOR (n:{label}) ON (n.id)"
_MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
# Both endpoints are matched by label and id so that the id index (or constraint) is used; the
# edge key makes MERGE tell parallel edges of one type apart and makes a second push a no-op.
_MERGE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
    "MERGE (a)-[r:{type} {{key: row.key}}]->(b) SET r += row.props"
)
#: The handoff relationships of some lists on the server (one query per handoff type).
_HANDOFFS_ON_SERVER = (
    "MATCH (a)-[r:{type}]->(b) WHERE r.list_id IN $list_ids "
    "RETURN a.id AS src, b.id AS dst, r.key AS key, labels(a)[0] AS src_label, "
    "labels(b)[0] AS dst_label"
)
_DELETE_RELATIONSHIPS = (
    "UNWIND $rows AS row MATCH (a:{src} {{id: row.src}})-[r:{type} {{key: row.key}}]->"
    "(b:{dst} {{id: row.dst}}) DELETE r"
)
NODE_COUNTS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count"
RELATIONSHIP_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count"

#: The reads this backend sends besides the merges: server detection, index and count reads.
FIXED_STATEMENTS: tuple[str, ...] = (
    NEO4J_COMPONENTS,
    FALKORDB_PROBE,
    FALKORDB_INDEXES,
    NODE_COUNTS,
    RELATIONSHIP_COUNTS,
)


def node_merge_cypher(label: NodeLabel | str) -> str:
    """The batched MERGE for nodes of one label (``$rows``: ``[{id, props}]``)."""
    return _MERGE_NODES.format(label=NodeLabel(label).value)


def relationship_merge_cypher(
    rel_type: RelType | str, src_label: NodeLabel | str, dst_label: NodeLabel | str
) -> str:
    """The batched MERGE for relationships of one type between two labels.

    ``$rows``: ``[{src, dst, key, props}]``.

    >>> cypher = relationship_merge_cypher("LEADS", "Department", "Matter")
    >>> print(cypher)  # doctest: +NORMALIZE_WHITESPACE
    UNWIND $rows AS row MATCH (a:Department {id: row.src}) MATCH (b:Matter {id: row.dst})
    MERGE (a)-[r:LEADS {key: row.key}]->(b) SET r += row.props
    """
    return _MERGE_RELATIONSHIPS.format(
        type=RelType(rel_type).value,
        src=NodeLabel(src_label).value,
        dst=NodeLabel(dst_label).value,
    )


def relationship_delete_cypher(
    rel_type: RelType | str, src_label: NodeLabel | str, dst_label: NodeLabel | str
) -> str:
    """The batched DELETE of relationships of one type between two labels, by their ends' ids
    and their key (``$rows``: ``[{src, dst, key}]``)."""
    return _DELETE_RELATIONSHIPS.format(
        type=RelType(rel_type).value,
        src=NodeLabel(src_label).value,
        dst=NodeLabel(dst_label).value,
    )


def handoffs_on_server_cypher(rel_type: RelType | str) -> str:
    """The relationships of one handoff type whose ``list_id`` is in ``$list_ids``: their ends'
    ids and labels and their key."""
    return _HANDOFFS_ON_SERVER.format(type=RelType(rel_type).value)


def unique_id_ddl(label: NodeLabel | str) -> str:
    """Neo4j 5's uniqueness constraint on one label's ``id`` (it brings the index MERGE uses)."""
    value = NodeLabel(label).value
    return _NEO4J_UNIQUE_ID.format(name=f"dutygraph_{value.lower()}_id", label=value)


def falkordb_id_index(label: NodeLabel | str) -> str:
    """FalkorDB's index on one label's ``id`` (valid Neo4j 5 Cypher too)."""
    return _FALKORDB_ID_INDEX.format(label=NodeLabel(label).value)


@dataclass(frozen=True)
class Batch:
    """One write transaction: a statement and its ``$rows``."""

    cypher: str
    rows: list[dict[str, Any]]
    kind: str  # "nodes" | "relationships"


def chunks(cypher: str, rows: Sequence[dict[str, Any]], size: int, kind: str) -> Iterator[Batch]:
    """``rows`` cut into batches of at most ``size`` rows, each with ``cypher``."""
    for start in range(0, len(rows), size):
        yield Batch(cypher, list(rows[start : start + size]), kind)
