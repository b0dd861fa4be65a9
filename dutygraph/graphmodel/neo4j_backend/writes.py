"""Writing a dutygraph graph to the server: the schema MERGE needs, batched idempotent
MERGEs, and the pruning of handoffs the graph no longer holds."""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
import networkx as nx

from ...values import plain
from ..schema import NodeLabel, RelType
from .connection import backend_errors, server_of
from .reads import run_read
from .statements import (
    Batch,
    chunks,
    handoffs_on_server_cypher,
    node_merge_cypher,
    relationship_delete_cypher,
    relationship_merge_cypher,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "PushReport",
    "batches",
    "ensure_schema",
    "prune_handoffs",
    "push",
    "write_batch",
]

log = logging.getLogger(__name__)

#: Rows per write transaction. From bench/bench_neo4j_push.py (bench/RESULTS.md, "Neo4j
#: push"): batching takes a push from 24 s to 3.5 s, and from batch 100 up throughput is flat
#: (on FalkorDB its ~4 KB query cap makes every batch about 15 rows). 1000 is on that plateau
#: and the usual UNWIND size on Neo4j; larger batches only make a retried transaction bigger.
DEFAULT_BATCH_SIZE = 1000


def ensure_schema(driver: neo4j.Driver, database: str) -> list[str]:
    """Create what MERGE needs on node ids, once; return the statements that were run.

    Neo4j 5: a uniqueness constraint on ``id`` per label (it brings its own index).
    FalkorDB: an index on ``id`` per label it does not index yet (``servers.FalkorDBServer``).
    """
    server = server_of(driver, database)
    with backend_errors(driver, database=database):
        return server.ensure_schema(driver, database)


@dataclass(frozen=True)
class PushReport:
    """What one push wrote: rows sent (MERGE makes a repeated row a no-op), in how many
    transactions, and how long it took."""

    nodes: int
    relationships: int
    transactions: int
    batch_size: int
    seconds: float


def push(
    driver: neo4j.Driver,
    graph: nx.MultiDiGraph,
    *,
    database: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Write a dutygraph networkx graph to the server: nodes first, then relationships.

    Each batch of ``batch_size`` rows is one ``UNWIND $rows AS row MERGE …`` in its own
    managed write transaction (``session.execute_write``, retried by the driver on transient
    errors). MERGE on the node id and on the edge key makes every batch idempotent, so a
    second push changes nothing and a push interrupted part-way, then run again, ends where
    one clean push would. A push adds and updates; it never deletes.

    Parameters
    ----------
    driver : neo4j.Driver
        From :func:`connect`.
    graph : networkx.MultiDiGraph
        Nodes: id string, attribute ``label`` (a ``NodeLabel`` value) and plain properties.
        Edges: attribute ``type`` (a ``RelType`` value), a string key unique per (u, v), plain
        properties. The key is stored as the relationship's ``key`` property; ``type`` is the
        relationship type itself and is not stored again as a property.
    database : str
        Always passed as ``database_`` (on FalkorDB, the graph name).
    batch_size : int
        Rows per transaction; see ``DEFAULT_BATCH_SIZE`` (FalkorDB's batches are cut smaller,
        to what its Bolt endpoint takes).
    on_batch : callable, optional
        Called as ``on_batch(done, total)`` after each committed batch (progress, tests).

    Returns
    -------
    PushReport

    Raises
    ------
    ValueError
        When the graph breaks the convention (unknown label or type, a non-scalar property).
    BackendError
        When the server fails.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    planned = server_of(driver, database).write_batches(batches(graph, batch_size))
    started = time.perf_counter()
    _write(driver, database, planned, on_batch)
    sent = Counter[str]()
    for batch in planned:
        sent[batch.kind] += len(batch.rows)
    return PushReport(
        nodes=sent["nodes"],
        relationships=sent["relationships"],
        transactions=len(planned),
        batch_size=batch_size,
        seconds=time.perf_counter() - started,
    )


def prune_handoffs(
    driver: neo4j.Driver,
    graph: nx.MultiDiGraph,
    *,
    database: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> int:
    """Delete the handoff relationships of the graph's lists that the graph no longer holds.

    A push only adds and updates, so an edge an analyst rejected, or corrected to other ends
    or another type, would stay on the server from an earlier push. Run after :func:`push`:
    every handoff relationship of the lists in ``graph`` whose (type, ends, key) the graph
    does not hold is deleted; other lists and structural relationships are left alone.
    Returns how many were deleted.
    """
    list_ids = sorted(
        str(attrs["list_id"])
        for _, attrs in graph.nodes(data=True)
        if attrs.get("label") == NodeLabel.LIST.value and attrs.get("list_id")
    )
    if not list_ids:
        return 0
    wanted = {
        (str(attrs["type"]), str(u), str(v), str(key))
        for u, v, key, attrs in graph.edges(keys=True, data=True)
    }
    stale: dict[tuple[RelType, NodeLabel, NodeLabel], list[dict[str, Any]]] = defaultdict(list)
    for rel_type in (t for t in RelType if t.is_handoff):
        found = run_read(
            driver, handoffs_on_server_cypher(rel_type), {"list_ids": list_ids}, database=database
        )
        for row in found.itertuples(index=False):
            if (rel_type.value, str(row.src), str(row.dst), str(row.key)) not in wanted:
                labels = (NodeLabel(row.src_label), NodeLabel(row.dst_label))
                stale[(rel_type, *labels)].append(
                    {"src": str(row.src), "dst": str(row.dst), "key": str(row.key)}
                )
    deletes = (
        batch
        for (rel_type, src, dst), rows in sorted(stale.items())
        for batch in chunks(
            relationship_delete_cypher(rel_type, src, dst), rows, batch_size, "relationships"
        )
    )
    _write(driver, database, server_of(driver, database).write_batches(deletes), None)
    return sum(len(rows) for rows in stale.values())


def _write(
    driver: neo4j.Driver,
    database: str,
    planned: list[Batch],
    on_batch: Callable[[int, int], None] | None,
) -> None:
    """Run each batch in its own managed write transaction."""
    with backend_errors(driver, database=database), driver.session(database=database) as session:
        for done, batch in enumerate(planned, start=1):
            session.execute_write(write_batch, batch.cypher, batch.rows)
            log.debug("batch %d/%d: %d %s", done, len(planned), len(batch.rows), batch.kind)
            if on_batch is not None:
                on_batch(done, len(planned))


def write_batch(tx: neo4j.ManagedTransaction, cypher: str, rows: list[dict[str, Any]]) -> None:
    """One batch in a write transaction (the tests wrap it to watch or break a push)."""
    tx.run(cypher, rows=rows).consume()


def batches(graph: nx.MultiDiGraph, batch_size: int) -> Iterator[Batch]:
    """Node batches per label, then relationship batches per (type, src label, dst label): the
    push's statements with their ``$rows`` (the Cypher script writes them out)."""
    node_rows: dict[NodeLabel, list[dict[str, Any]]] = defaultdict(list)
    labels: dict[Any, NodeLabel] = {}
    for node_id, attrs in graph.nodes(data=True):
        label = _node_label(node_id, attrs)
        labels[node_id] = label
        props = {k: _plain(v, f"node {node_id!r}", k) for k, v in attrs.items() if k != "label"}
        props.pop("id", None)
        node_rows[label].append({"id": str(node_id), "props": props})
    rel_rows: dict[tuple[RelType, NodeLabel, NodeLabel], list[dict[str, Any]]] = defaultdict(list)
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        where = f"edge {src!r} -> {dst!r} (key {key!r})"
        try:
            rel_type = RelType(attrs["type"])
        except (KeyError, ValueError):
            raise ValueError(
                f"{where}: attribute 'type' must be one of {[t.value for t in RelType]}, "
                f"got {attrs.get('type')!r}"
            ) from None
        props = {k: _plain(v, where, k) for k, v in attrs.items() if k not in ("type", "key")}
        rel_rows[rel_type, labels[src], labels[dst]].append(
            {"src": str(src), "dst": str(dst), "key": str(key), "props": props}
        )
    for label in sorted(node_rows):
        yield from chunks(node_merge_cypher(label), node_rows[label], batch_size, "nodes")
    for rel_type, src_label, dst_label in sorted(rel_rows):
        cypher = relationship_merge_cypher(rel_type, src_label, dst_label)
        rows = rel_rows[rel_type, src_label, dst_label]
        yield from chunks(cypher, rows, batch_size, "relationships")


def _node_label(node_id: Any, attrs: Mapping[str, Any]) -> NodeLabel:
    try:
        return NodeLabel(attrs["label"])
    except (KeyError, ValueError):
        raise ValueError(
            f"node {node_id!r}: attribute 'label' must be one of "
            f"{[label.value for label in NodeLabel]}, got {attrs.get('label')!r}"
        ) from None


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any, where: str, name: str) -> Any:
    """A property value as Bolt takes it: numpy scalars unwrapped, NaN as None (removes the
    property, as a missing value should), lists of scalars kept."""
    value = plain(value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, _SCALARS[:-1]) for v in value):
        return list(value)
    raise ValueError(
        f"{where}: property {name!r} must be a str, int, float, bool or a list of them, "
        f"got {type(value).__name__}"
    )
