"""The Neo4j backend: connection, Cypher statements, push, reads, and each server's ways.

Everything that talks Bolt lives in this package, one job a module:

- ``connection``: settings, ``connect`` / ``close``, which server a driver reached, and the
  driver's errors as one-line ``BackendError``\\ s;
- ``statements``: every Cypher text the backend sends (``tests/test_cypher_lint.py`` lints
  them all), and ``Batch``, a statement with its ``$rows``;
- ``writes``: the schema MERGE needs, the batched idempotent push, the pruning of handoffs;
- ``reads``: one read query as a DataFrame, the graph's counts;
- ``servers``: where Neo4j 5 and FalkorDB's Bolt endpoint differ (DDL, parameters, query size,
  closing, error messages), one ``Server`` per kind that the others ask; no other module
  branches on the kind.

The names below are the backend's public API; import them from here.

>>> settings = ConnectionSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io",
...                                         "NEO4J_PASSWORD": "s3cret"})
>>> settings
ConnectionSettings(uri='neo4j+s://x.databases.neo4j.io', username='neo4j', database='neo4j')
>>> print(node_merge_cypher("Matter"))
UNWIND $rows AS row MERGE (n:Matter {id: row.id}) SET n += row.props
"""

from __future__ import annotations

from .connection import (
    DEFAULT_DATABASE,
    DEFAULT_URI,
    DEFAULT_USERNAME,
    URI_SCHEMES,
    ConnectionSettings,
    close,
    connect,
    redacted_uri,
    server_kind,
    server_of,
)
from .reads import GraphCounts, counts, graph_counts, run_read
from .servers import FALKORDB_QUERY_BYTES, ServerKind
from .statements import (
    FIXED_STATEMENTS,
    Batch,
    falkordb_id_index,
    handoffs_on_server_cypher,
    node_merge_cypher,
    relationship_delete_cypher,
    relationship_merge_cypher,
    unique_id_ddl,
)
from .writes import DEFAULT_BATCH_SIZE, PushReport, batches, ensure_schema, prune_handoffs, push

__all__ = [
    "Batch",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DATABASE",
    "DEFAULT_URI",
    "DEFAULT_USERNAME",
    "FALKORDB_QUERY_BYTES",
    "FIXED_STATEMENTS",
    "URI_SCHEMES",
    "ConnectionSettings",
    "GraphCounts",
    "PushReport",
    "ServerKind",
    "batches",
    "close",
    "connect",
    "counts",
    "ensure_schema",
    "falkordb_id_index",
    "graph_counts",
    "handoffs_on_server_cypher",
    "node_merge_cypher",
    "prune_handoffs",
    "push",
    "redacted_uri",
    "relationship_delete_cypher",
    "relationship_merge_cypher",
    "run_read",
    "server_kind",
    "server_of",
    "unique_id_ddl",
]
