"""The Neo4j backend: connection, schema DDL per server kind, batched idempotent writes, reads.

Everything that talks Bolt lives here, and every Cypher text of the backend is a module-level
constant below. Values reach Cypher only as ``$parameters``; labels and relationship types are
pasted into the text only after they have been checked against ``schema.NodeLabel`` and
``schema.RelType``.

The same Cypher runs on Neo4j 5 (server, cluster, AuraDB) and on FalkorDB's Bolt endpoint, which
the test suite uses. Where the two differ this module asks the server what it is
(:func:`server_kind`) and says why at each place it branches:

- DDL: Neo4j 5 gets ``CREATE CONSTRAINT … IF NOT EXISTS … IS UNIQUE`` (which also builds the
  index); FalkorDB has no Cypher constraints and no ``IF NOT EXISTS``, so it gets a plain
  ``CREATE INDEX FOR (n:L) ON (n.id)`` for each index ``db.indexes()`` does not list yet.
- Parameters: FalkorDB's Bolt server (4.16) does not bind parameters, it pastes them into the
  query text (strings between single quotes unescaped, map keys as they are, floats as ``%f``),
  so a crafted value could run Cypher of its own. ``cypher_safety.falkordb_parameters`` escapes
  every string and backquotes every map key at every depth, and refuses what cannot be carried
  exactly; on every server ``check_parameters`` refuses what the driver cannot send exactly.
- Query size: FalkorDB's Bolt server (4.16) writes the query and its parameters into a buffer
  of about 4 KB and aborts the whole server when they are longer; on FalkorDB, push splits its
  batches to stay under ``FALKORDB_QUERY_BYTES`` and run_read refuses a larger query.
- Closing: FalkorDB's Bolt server drops the handshake of the next connection after each
  ``GOODBYE`` it receives (the driver sends one per pooled connection on ``close()``), which
  would stall the next client for its whole connection timeout. :func:`close` absorbs those.

>>> settings = ConnectionSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io",
...                                         "NEO4J_PASSWORD": "s3cret"})
>>> settings
ConnectionSettings(uri='neo4j+s://x.databases.neo4j.io', username='neo4j', database='neo4j')
>>> print(node_merge_cypher(NodeLabel.MATTER))
UNWIND $rows AS row MERGE (n:Matter {id: row.id}) SET n += row.props
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import neo4j
import networkx as nx
import pandas as pd
from neo4j import RoutingControl
from neo4j import exceptions as neo4j_errors

from .. import messages as msg
from ..errors import BackendError
from ..formatting import redact_credentials
from ..i18n import gettext as _
from .cypher_safety import (
    check_parameters,
    falkordb_literal_size,
    falkordb_parameters,
    refuse_writes,
)
from .schema import NodeLabel, RelType

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
    "node_merge_cypher",
    "prune_handoffs",
    "push",
    "redacted_uri",
    "relationship_merge_cypher",
    "run_read",
    "server_kind",
    "unique_id_ddl",
]

log = logging.getLogger(__name__)

#: Rows per write transaction. From bench/bench_neo4j_push.py (bench/RESULTS.md, "Neo4j
#: push"): batching takes a push from 24 s to 3.5 s, and from batch 100 up throughput is flat
#: (on FalkorDB its ~4 KB query cap makes every batch about 15 rows). 1000 is on that plateau
#: and the usual UNWIND size on Neo4j; larger batches only make a retried transaction bigger.
DEFAULT_BATCH_SIZE = 1000
DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USERNAME = "neo4j"
DEFAULT_DATABASE = "neo4j"
#: Bolt URI schemes; the driver's HTTP (Query API) schemes are not supported.
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# -- Cypher ---------------------------------------------------------------------------------
# Labels and types are filled in by node_merge_cypher / relationship_merge_cypher /
# unique_id_ddl only, from the schema enums; everything else is a $parameter.

#: Neo4j names itself here; FalkorDB has no dbms.components() ("Procedure `dbms.components`
#: is not registered").
_NEO4J_COMPONENTS = "CALL dbms.components() YIELD name, versions RETURN name, versions"
#: FalkorDB's own statistics procedure; Neo4j 5 has no db.meta.stats().
_FALKORDB_PROBE = "CALL db.meta.stats()"
#: Neo4j 5: a uniqueness constraint, which also creates the range index MERGE uses.
_NEO4J_UNIQUE_ID = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
#: FalkorDB: its constraints are a Redis command (GRAPH.CONSTRAINT CREATE), not Cypher, and it
#: knows no IF NOT EXISTS and no index names, so the index is created only when this read does
#: not list it (creating it twice fails: "Attribute 'id' is already indexed").
_FALKORDB_INDEXES = (
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
_NODE_COUNTS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count"
_RELATIONSHIP_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count"

#: What FalkorDB's Bolt endpoint says for every server-side error, whatever the cause.
_FALKORDB_OPAQUE_MESSAGE = "An unknown error occurred"


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


def unique_id_ddl(label: NodeLabel) -> str:
    """Neo4j 5's uniqueness constraint on one label's ``id`` (it brings the index MERGE uses)."""
    return _NEO4J_UNIQUE_ID.format(name=f"dutygraph_{label.value.lower()}_id", label=label.value)


def falkordb_id_index(label: NodeLabel) -> str:
    """FalkorDB's index on one label's ``id`` (valid Neo4j 5 Cypher too)."""
    return _FALKORDB_ID_INDEX.format(label=label.value)


#: The reads this backend sends besides the merges: server detection, index and count reads.
FIXED_STATEMENTS: tuple[str, ...] = (
    _NEO4J_COMPONENTS,
    _FALKORDB_PROBE,
    _FALKORDB_INDEXES,
    _NODE_COUNTS,
    _RELATIONSHIP_COUNTS,
)


# -- connection -----------------------------------------------------------------------------
class ServerKind(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"


@dataclass(frozen=True)
class ConnectionSettings:
    """Where and as whom to connect. The password never appears in ``repr`` or logs.

    >>> ConnectionSettings(password="s3cret")
    ConnectionSettings(uri='bolt://localhost:7687', username='neo4j', database='neo4j')
    """

    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        uri: str | None = None,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> ConnectionSettings:
        """Explicit values first, then ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
        ``NEO4J_DATABASE``, then the defaults. An empty ``NEO4J_PASSWORD`` is a password ("").

        ``password=None`` and no ``NEO4J_PASSWORD`` means: connect without authentication.
        """
        env = os.environ if env is None else env
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            username=username or env.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
            password=password if password is not None else env.get("NEO4J_PASSWORD"),
            database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )

    def __repr__(self) -> str:
        return (
            f"ConnectionSettings(uri={redacted_uri(self.uri)!r}, username={self.username!r}, "
            f"database={self.database!r})"
        )

    @property
    def address(self) -> tuple[str, int]:
        """The host and port of the URI (7687 when the URI names none)."""
        parts = urlsplit(self.uri)
        return parts.hostname or "localhost", parts.port or 7687


@dataclass
class _DriverFacts:
    """What connect() learned about a driver's server, for messages and per-kind branches."""

    settings: ConnectionSettings
    kind: ServerKind | None = None
    version: str = ""


_FACTS: weakref.WeakKeyDictionary[neo4j.Driver, _DriverFacts] = weakref.WeakKeyDictionary()


def connect(settings: ConnectionSettings, *, connection_timeout: float = 15.0) -> neo4j.Driver:
    """Open a driver, check the server answers and the database exists, and learn its kind.

    Close it with :func:`close` (or ``with contextlib.closing``-style ownership in the caller).

    Raises
    ------
    BackendError
        One line for: an unsupported URI, server down, wrong username or password, unknown
        database.
    """
    shown = redacted_uri(settings.uri)
    try:
        scheme = urlsplit(settings.uri).scheme
        settings.address  # noqa: B018  (a port that is no number raises here)
    except ValueError as err:
        raise BackendError(f"cannot use the URI {shown!r}: {_one_line(err)}") from err
    if scheme not in URI_SCHEMES:
        raise BackendError(
            f"cannot use the URI {shown!r}: expected one of the schemes "
            f"{', '.join(s + '://' for s in URI_SCHEMES)}"
        )
    auth = None if settings.password is None else (settings.username, settings.password)
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=auth, connection_timeout=connection_timeout
        )
    except (neo4j_errors.ConfigurationError, ValueError) as err:
        raise BackendError(f"cannot use the URI {shown!r}: {_one_line(err)}") from err
    _FACTS[driver] = _DriverFacts(settings)
    try:
        with _backend_errors(driver, connecting=True):
            driver.verify_connectivity()
        server_kind(driver, settings.database)
    except BaseException:
        close(driver)
        raise
    log.info("connected to %s (%s), database %s", shown, _FACTS[driver].kind, settings.database)
    return driver


def redacted_uri(uri: str) -> str:
    """The URI (or any text holding URIs) as messages show it: a password in it
    (``bolt://user:secret@host``) hidden.

    >>> redacted_uri("neo4j+s://neo4j:s3cret@x.databases.neo4j.io:7687")
    'neo4j+s://neo4j:***@x.databases.neo4j.io:7687'
    """
    return redact_credentials(uri)


def close(driver: neo4j.Driver) -> None:
    """Close the driver; on FalkorDB, without the GOODBYE message its Bolt server mishandles.

    After each GOODBYE, FalkorDB 4.16 leaves some later connection it accepts (on its Bolt or
    its Redis port, usually the next one, sometimes a later one) without an answer, so the next
    client waits out its timeout and fails. ``Driver.close()`` sends one GOODBYE per pooled
    connection, and the driver has no public way to close without it; so on FalkorDB only, we
    close the pooled sockets first (``Bolt.kill()``, what the driver itself does to a broken
    connection), then absorb any handshake that still gets dropped.
    """
    facts = _FACTS.get(driver)
    falkordb = facts is not None and facts.kind is ServerKind.FALKORDB
    if falkordb:
        _kill_pooled_connections(driver)
    driver.close()
    if falkordb:
        assert facts is not None
        _absorb_dropped_handshakes(*facts.settings.address)


def _kill_pooled_connections(driver: neo4j.Driver) -> None:
    """Close the driver's idle pooled sockets without a GOODBYE (private driver API: if it
    changes, this does nothing and close() falls back to the driver's own close)."""
    pool = getattr(driver, "_pool", None)
    for connections in list(getattr(pool, "connections", {}).values()):
        for connection in list(connections):
            kill = getattr(connection, "kill", None)
            if callable(kill) and not getattr(connection, "in_use", False):
                kill()


def _absorb_dropped_handshakes(host: str, port: int, *, timeout: float = 0.5) -> int:
    """Open bare connections and send the Bolt handshake until two in a row, a moment apart,
    are answered (or the server refuses); return how many were dropped."""
    dropped = answered = 0
    while answered < 2 and dropped < 32:  # 32: more than one dutygraph command ever opens
        if _bolt_handshake_dropped(host, port, timeout=timeout):
            dropped, answered = dropped + 1, 0
        else:
            answered += 1
            if answered < 2:
                time.sleep(0.05)
    log.debug("absorbed %d dropped handshake(s) at %s:%d", dropped, host, port)
    return dropped


#: The Bolt preamble and a proposal of versions 5.0-5.7, 4.4, 4.3, 4.2 (enough for an answer).
_BOLT_HANDSHAKE = (
    b"\x60\x60\xb0\x17" + b"\x00\x07\x07\x05" + b"\x00\x02\x04\x04" + b"\x00\x00\x00\x00" * 2
)


def _bolt_handshake_dropped(host: str, port: int, *, timeout: float) -> bool:
    """True when a server at host:port accepts a connection but leaves its Bolt handshake
    unanswered for ``timeout`` seconds (False when it answers, or refuses the connection)."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return False
    with sock:
        try:
            sock.sendall(_BOLT_HANDSHAKE)
            sock.recv(4)
        except TimeoutError:
            return True
        except OSError:
            pass
    return False


def server_kind(driver: neo4j.Driver, database: str) -> ServerKind:
    """Neo4j or FalkorDB, asked of the server once per driver.

    The agent string does not tell: FalkorDB's Bolt endpoint introduces itself as
    ``Neo4j/5.13.0``. So we ask for what only Neo4j has (``dbms.components()``), then for what
    only FalkorDB has (``db.meta.stats()``). The first query also proves on Neo4j that
    ``database`` exists (FalkorDB accepts any name).
    """
    facts = _FACTS.setdefault(driver, _DriverFacts(ConnectionSettings(database=database)))
    if facts.kind is not None:
        return facts.kind
    try:
        with _backend_errors(driver, connecting=True, database=database):
            records = driver.execute_query(
                _NEO4J_COMPONENTS, database_=database, routing_=RoutingControl.READ
            ).records
    except BackendError as neo4j_err:
        cause = neo4j_err.__cause__
        if (
            not isinstance(cause, neo4j_errors.DatabaseError)
            or _one_line(cause.message or "") != _FALKORDB_OPAQUE_MESSAGE
        ):
            raise
        with _backend_errors(driver, connecting=True, database=database):
            driver.execute_query(_FALKORDB_PROBE, database_=database)
        facts.kind = ServerKind.FALKORDB
        return facts.kind
    facts.kind = ServerKind.NEO4J
    facts.version = ", ".join(f"{r['name']} {'/'.join(map(str, r['versions']))}" for r in records)
    return facts.kind


# -- errors ---------------------------------------------------------------------------------
def _one_line(err: BaseException | str) -> str:
    """The first non-empty line of a message (Neo4j appends the query and a caret)."""
    for line in str(err).splitlines():
        if line.strip():
            return line.strip()
    return type(err).__name__ if isinstance(err, BaseException) else ""


_REASON = re.compile(r"\(reason (?P<reason>.+?)\)\s*$", re.DOTALL)


@contextmanager
def _backend_errors(
    driver: neo4j.Driver | None, *, connecting: bool = False, database: str | None = None
) -> Iterator[None]:
    """Turn the driver's exceptions into one-line BackendErrors (the cause is kept)."""
    facts = _FACTS.get(driver) if driver is not None else None
    settings = facts.settings if facts else ConnectionSettings()
    where = redacted_uri(settings.uri) if facts else "the server"
    database = database or settings.database
    try:
        yield
    except neo4j_errors.AuthError as err:
        raise BackendError(
            _(
                "{where} rejected the username {username!r} or its password "
                "(set NEO4J_USERNAME and NEO4J_PASSWORD)"
            ).format(where=where, username=settings.username)
        ) from err
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as err:
        match = _REASON.search(str(err))
        reason = match.group("reason") if match else _one_line(err)
        raise BackendError(
            _(
                "cannot reach a Neo4j server at {where} ({reason}); is it running, and is the "
                "URI right?"
            ).format(where=where, reason=reason)
        ) from err
    except neo4j_errors.Neo4jError as err:
        code = err.code or ""
        message = _one_line(err.message or str(err))
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            raise BackendError(
                _(
                    "database {database!r} does not exist on {where} (set NEO4J_DATABASE or "
                    "--database)"
                ).format(database=database, where=where)
            ) from err
        if isinstance(err, neo4j_errors.CypherSyntaxError):
            raise BackendError(_("Cypher syntax error: {message}").format(message=message)) from err
        if message == _FALKORDB_OPAQUE_MESSAGE:
            # FalkorDB's Bolt endpoint hides every reason behind this message; the same query
            # through the falkordb client on the Redis port shows it.
            hint = (
                "FalkorDB gives this for a wrong username or password"
                if connecting
                else "FalkorDB hides the reason over Bolt; run the query with the falkordb "
                "client on its Redis port to see it"
            )
            raise BackendError(f"{where} refused: {message} ({hint})") from err
        raise BackendError(
            _("{where} refused the query: {message} [{code}]").format(
                where=where, message=message, code=code
            )
        ) from err
    except neo4j_errors.DriverError as err:
        raise BackendError(f"{where}: {_one_line(err)}") from err


# -- schema ---------------------------------------------------------------------------------
def ensure_schema(driver: neo4j.Driver, database: str) -> list[str]:
    """Create what MERGE needs on node ids, once; return the statements that were run.

    Neo4j 5: a uniqueness constraint on ``id`` per label (it brings its own index).
    FalkorDB: an index on ``id`` per label (see ``_FALKORDB_INDEXES`` for why not more).
    """
    kind = server_kind(driver, database)
    statements: list[str] = []
    with _backend_errors(driver, database=database):
        if kind is ServerKind.NEO4J:
            for label in NodeLabel:
                statements.append(unique_id_ddl(label))
                driver.execute_query(statements[-1], database_=database)
            return statements
        for label in sorted(set(NodeLabel) - _falkordb_id_indexes(driver, database)):
            statement = falkordb_id_index(label)
            try:
                driver.execute_query(statement, database_=database)
            except neo4j_errors.Neo4jError:
                # Another pusher may have created it meanwhile: fine if it is there now.
                if label not in _falkordb_id_indexes(driver, database):
                    raise
            statements.append(statement)
    return statements


def _falkordb_id_indexes(driver: neo4j.Driver, database: str) -> set[NodeLabel]:
    records = driver.execute_query(
        _FALKORDB_INDEXES, database_=database, routing_=RoutingControl.READ
    ).records
    labels = {label.value for label in NodeLabel}
    return {
        NodeLabel(r["label"])
        for r in records
        if r["entitytype"] == "NODE" and "id" in r["properties"] and r["label"] in labels
    }


# -- writes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PushReport:
    """What one push wrote: rows sent (MERGE makes a repeated row a no-op), in how many
    transactions, and how long it took."""

    nodes: int
    relationships: int
    transactions: int
    batch_size: int
    seconds: float


@dataclass(frozen=True)
class Batch:
    """One write transaction of a push: a MERGE statement and its ``$rows``."""

    cypher: str
    rows: list[dict[str, Any]]
    kind: str  # "nodes" | "relationships"


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
        Rows per transaction; see ``DEFAULT_BATCH_SIZE``.
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
    planned = list(batches(graph, batch_size))
    kind = server_kind(driver, database)
    if kind is ServerKind.FALKORDB:
        planned = [
            Batch(b.cypher, falkordb_parameters({"rows": b.rows})["rows"], b.kind) for b in planned
        ]
        planned = [part for b in planned for part in _falkordb_fit(b)]
    started = time.perf_counter()
    with _backend_errors(driver, database=database), driver.session(database=database) as session:
        for done, batch in enumerate(planned, start=1):
            session.execute_write(_write_batch, batch.cypher, batch.rows)
            log.debug("batch %d/%d: %d %s", done, len(planned), len(batch.rows), batch.kind)
            if on_batch is not None:
                on_batch(done, len(planned))
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
            driver,
            _HANDOFFS_ON_SERVER.format(type=rel_type.value),
            {"list_ids": list_ids},
            database=database,
        )
        for row in found.itertuples(index=False):
            if (rel_type.value, str(row.src), str(row.dst), str(row.key)) not in wanted:
                labels = (NodeLabel(row.src_label), NodeLabel(row.dst_label))
                stale[(rel_type, *labels)].append(
                    {"src": str(row.src), "dst": str(row.dst), "key": str(row.key)}
                )
    batches = [
        batch
        for (rel_type, src, dst), rows in sorted(stale.items())
        for batch in _chunks(
            _DELETE_RELATIONSHIPS.format(type=rel_type.value, src=src.value, dst=dst.value),
            rows,
            batch_size,
            "relationships",
        )
    ]
    if server_kind(driver, database) is ServerKind.FALKORDB:
        batches = [
            Batch(b.cypher, falkordb_parameters({"rows": b.rows})["rows"], b.kind) for b in batches
        ]
        batches = [part for b in batches for part in _falkordb_fit(b)]
    with _backend_errors(driver, database=database), driver.session(database=database) as session:
        for batch in batches:
            session.execute_write(_write_batch, batch.cypher, batch.rows)
    return sum(len(rows) for rows in stale.values())


def _write_batch(tx: neo4j.ManagedTransaction, cypher: str, rows: list[dict[str, Any]]) -> None:
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
        yield from _chunks(node_merge_cypher(label), node_rows[label], batch_size, "nodes")
    for rel_type, src_label, dst_label in sorted(rel_rows):
        cypher = relationship_merge_cypher(rel_type, src_label, dst_label)
        rows = rel_rows[rel_type, src_label, dst_label]
        yield from _chunks(cypher, rows, batch_size, "relationships")


def _chunks(cypher: str, rows: Sequence[dict[str, Any]], size: int, kind: str) -> Iterator[Batch]:
    for start in range(0, len(rows), size):
        yield Batch(cypher, list(rows[start : start + size]), kind)


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
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, _SCALARS):
        value = item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, _SCALARS[:-1]) for v in value):
        return list(value)
    raise ValueError(
        f"{where}: property {name!r} must be a str, int, float, bool or a list of them, "
        f"got {type(value).__name__}"
    )


#: FalkorDB 4.16's Bolt endpoint pastes the parameters into the query text in a fixed buffer
#: of about 4 KB and aborts the whole server (glibc "buffer overflow detected", SIGABRT) when
#: query and parameters are longer. We stay well under it.
FALKORDB_QUERY_BYTES = 3584


def _falkordb_size(cypher: str, parameters: Any) -> int:
    """About how many bytes FalkorDB's Bolt endpoint makes of a query and its (escaped)
    parameters, written as the Cypher literals it pastes in."""
    return len(cypher.encode("utf-8", "surrogatepass")) + falkordb_literal_size(parameters) + 16


def _falkordb_fit(batch: Batch) -> Iterator[Batch]:
    """Split one batch (rows already escaped, so keys are backquoted) into batches FalkorDB
    can take."""
    budget = FALKORDB_QUERY_BYTES - _falkordb_size(batch.cypher, {"rows": []})
    rows: list[dict[str, Any]] = []
    used = 0
    for row in batch.rows:
        size = _falkordb_size("", row) - 16 + 1  # and a comma
        if size > budget:
            raise BackendError(
                f"{row.get('`id`') or row.get('`key`')!r} is too large for FalkorDB over Bolt "
                f"({size} bytes; it takes about {FALKORDB_QUERY_BYTES} per query and crashes "
                "beyond): use Neo4j for this corpus"
            )
        if rows and used + size > budget:
            yield Batch(batch.cypher, rows, batch.kind)
            rows, used = [], 0
        rows.append(row)
        used += size
    if rows:
        yield Batch(batch.cypher, rows, batch.kind)


# -- reads ----------------------------------------------------------------------------------
def run_read(
    driver: neo4j.Driver,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str,
) -> pd.DataFrame:
    """Run one read query and return its rows as a DataFrame (columns in RETURN order).

    Routed to a reader on a cluster; retried by the driver on transient errors. A write is
    refused before sending (``cypher_safety.refuse_writes``: FalkorDB ignores the read access
    mode), and on Neo4j by the server too (read access mode).
    """
    refuse_writes(cypher)
    parameters = check_parameters(params or {})
    if server_kind(driver, database) is ServerKind.FALKORDB:
        parameters = falkordb_parameters(parameters)
        size = _falkordb_size(cypher, parameters)
        if size > FALKORDB_QUERY_BYTES:
            raise BackendError(msg.PARAM_TOO_LARGE.format(size=size, cap=FALKORDB_QUERY_BYTES))
    with _backend_errors(driver, database=database):
        frame: pd.DataFrame = driver.execute_query(
            cypher,
            parameters_=parameters,
            routing_=RoutingControl.READ,
            database_=database,
            result_transformer_=neo4j.Result.to_df,
        )
    return frame


@dataclass(frozen=True)
class GraphCounts:
    """Node counts per label and relationship counts per type."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    def to_frame(self) -> pd.DataFrame:
        """Columns ``kind`` (node | relationship), ``name`` (label or type), ``count``."""
        rows = [("node", k, v) for k, v in sorted(self.nodes.items())]
        rows += [("relationship", k, v) for k, v in sorted(self.relationships.items())]
        return pd.DataFrame(rows, columns=["kind", "name", "count"])


def counts(driver: neo4j.Driver, database: str) -> GraphCounts:
    """Count the database's nodes per label and relationships per type."""
    nodes = run_read(driver, _NODE_COUNTS, database=database)
    relationships = run_read(driver, _RELATIONSHIP_COUNTS, database=database)
    return GraphCounts(
        nodes={str(r.label): int(r.count) for r in nodes.itertuples()},
        relationships={str(r.type): int(r.count) for r in relationships.itertuples()},
    )


def graph_counts(graph: nx.MultiDiGraph) -> GraphCounts:
    """The counts a push of ``graph`` into an empty database leaves (compare with counts()).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("town:示例镇", label="Town", name="示例镇")
    >>> G.add_node("list:示例镇:配合", label="List", name="示例镇配合清单")
    >>> _ = G.add_edge("town:示例镇", "list:示例镇:配合", key="PUBLISHES", type="PUBLISHES")
    >>> graph_counts(G)
    GraphCounts(nodes={'List': 1, 'Town': 1}, relationships={'PUBLISHES': 1})
    """
    nodes = Counter(str(attrs.get("label")) for _, attrs in graph.nodes(data=True))
    relationships = Counter(str(attrs.get("type")) for _, _, attrs in graph.edges(data=True))
    return GraphCounts(
        nodes=dict(sorted(nodes.items())), relationships=dict(sorted(relationships.items()))
    )
