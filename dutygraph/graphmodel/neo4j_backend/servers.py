"""The servers the backend talks to, and where they differ: one ``Server`` per kind.

The same Cypher runs on Neo4j 5 (server, cluster, AuraDB) and on FalkorDB's Bolt endpoint,
which the test suite uses. Everything that differs is a method of ``Server``; the connection,
the push and the reads ask ``server_for(kind)`` and never branch on the kind themselves:

- DDL (``ensure_schema``): Neo4j 5 gets ``CREATE CONSTRAINT … IF NOT EXISTS … IS UNIQUE``
  (which also builds the index); FalkorDB has no Cypher constraints and no ``IF NOT EXISTS``,
  so it gets a plain ``CREATE INDEX FOR (n:L) ON (n.id)`` for each index ``db.indexes()`` does
  not list yet.
- Parameters (``write_batches``, ``read_parameters``): FalkorDB's Bolt server (4.16) does not
  bind parameters, it pastes them into the query text (strings between single quotes
  unescaped, map keys as they are, floats as ``%f``), so a crafted value could run Cypher of
  its own. ``cypher_safety.falkordb_parameters`` escapes every string and backquotes every map
  key at every depth, and refuses what cannot be carried exactly.
- Query size: FalkorDB's Bolt server (4.16) writes the query and its parameters into a buffer
  of about 4 KB and aborts the whole server when they are longer; its push batches are split
  to stay under ``FALKORDB_QUERY_BYTES`` and a larger read is refused.
- Closing (``close``): FalkorDB's Bolt server drops the handshake of the next connection after
  each ``GOODBYE`` it receives (the driver sends one per pooled connection on ``close()``),
  which would stall the next client for its whole connection timeout.
- Errors (``explain_refusal``): FalkorDB's Bolt endpoint says "An unknown error occurred" for
  every server-side error, a wrong password included.

Which kind a server is, ``detect`` asks the server itself.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

import neo4j
from neo4j import RoutingControl
from neo4j import exceptions as neo4j_errors

from ... import messages as msg
from ...errors import BackendError
from ...i18n import gettext as _
from ..cypher_safety import falkordb_literal_size, falkordb_parameters
from ..schema import NodeLabel
from .statements import (
    FALKORDB_INDEXES,
    FALKORDB_PROBE,
    NEO4J_COMPONENTS,
    Batch,
    falkordb_id_index,
    unique_id_ddl,
)

__all__ = [
    "FALKORDB_QUERY_BYTES",
    "FalkorDBServer",
    "Neo4jServer",
    "Server",
    "ServerKind",
    "absorb_dropped_handshakes",
    "all_servers",
    "bolt_handshake_dropped",
    "detect",
    "first_line",
    "server_for",
]

log = logging.getLogger(__name__)


class ServerKind(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"


#: FalkorDB 4.16's Bolt endpoint pastes the parameters into the query text in a fixed buffer
#: of about 4 KB and aborts the whole server (glibc "buffer overflow detected", SIGABRT) when
#: query and parameters are longer. We stay well under it.
FALKORDB_QUERY_BYTES = 3584

#: What FalkorDB's Bolt endpoint says for every server-side error, whatever the cause.
_FALKORDB_OPAQUE_MESSAGE = "An unknown error occurred"


def first_line(err: BaseException | str) -> str:
    """The first non-empty line of a message (Neo4j appends the query and a caret)."""
    for line in str(err).splitlines():
        if line.strip():
            return line.strip()
    return type(err).__name__ if isinstance(err, BaseException) else ""


class Server:
    """What one kind of server needs done its own way. The base class is the plain Neo4j 5
    behaviour; a kind overrides what it does differently."""

    kind: ServerKind

    def ensure_schema(self, driver: neo4j.Driver, database: str) -> list[str]:
        """Create what MERGE needs on node ids; return the statements that were run."""
        raise NotImplementedError

    def escape(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Parameters as this server carries them exactly (or a ``ParameterError``)."""
        return dict(parameters)

    def write_batches(self, batches: Iterable[Batch]) -> list[Batch]:
        """The batches as this server can take them (rows escaped, batches split)."""
        return list(batches)

    def read_parameters(self, cypher: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters of a read as this server can take them (or a ``BackendError``)."""
        return dict(parameters)

    def close(self, driver: neo4j.Driver, address: tuple[str, int]) -> None:
        """Close a driver connected to this server."""
        driver.close()

    def explain_refusal(self, where: str, message: str, *, connecting: bool) -> str | None:
        """The one line for an error message this server gives for every cause, or None when
        the message says its own cause."""
        return None


class Neo4jServer(Server):
    """Neo4j 5: uniqueness constraints, parameters bound by the server, a plain close."""

    kind = ServerKind.NEO4J

    def ensure_schema(self, driver: neo4j.Driver, database: str) -> list[str]:
        statements = [unique_id_ddl(label) for label in NodeLabel]
        for statement in statements:
            driver.execute_query(statement, database_=database)
        return statements


class FalkorDBServer(Server):
    """FalkorDB's Bolt endpoint (4.16): indexes, parameters pasted into a 4 KB query text, a
    close without GOODBYE, one message for every error."""

    kind = ServerKind.FALKORDB

    def ensure_schema(self, driver: neo4j.Driver, database: str) -> list[str]:
        statements: list[str] = []
        for label in sorted(set(NodeLabel) - self.id_indexes(driver, database)):
            statement = falkordb_id_index(label)
            try:
                driver.execute_query(statement, database_=database)
            except neo4j_errors.Neo4jError:
                # Another pusher may have created it meanwhile: fine if it is there now.
                if label not in self.id_indexes(driver, database):
                    raise
            statements.append(statement)
        return statements

    def id_indexes(self, driver: neo4j.Driver, database: str) -> set[NodeLabel]:
        """The labels whose ``id`` the server has an index on."""
        records = driver.execute_query(
            FALKORDB_INDEXES, database_=database, routing_=RoutingControl.READ
        ).records
        labels = {label.value for label in NodeLabel}
        return {
            NodeLabel(r["label"])
            for r in records
            if r["entitytype"] == "NODE" and "id" in r["properties"] and r["label"] in labels
        }

    def write_batches(self, batches: Iterable[Batch]) -> list[Batch]:
        escaped = (Batch(b.cypher, self.escape({"rows": b.rows})["rows"], b.kind) for b in batches)
        return [part for batch in escaped for part in self._fit(batch)]

    def escape(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        escaped: dict[str, Any] = falkordb_parameters(parameters)
        return escaped

    def read_parameters(self, cypher: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        escaped = self.escape(parameters)
        size = self._size(cypher, escaped)
        if size > FALKORDB_QUERY_BYTES:
            raise BackendError(msg.PARAM_TOO_LARGE.format(size=size, cap=FALKORDB_QUERY_BYTES))
        return escaped

    def close(self, driver: neo4j.Driver, address: tuple[str, int]) -> None:
        """Close the driver without the GOODBYE message FalkorDB's Bolt server mishandles.

        After each GOODBYE, FalkorDB 4.16 leaves some later connection it accepts (on its Bolt
        or its Redis port, usually the next one, sometimes a later one) without an answer, so
        the next client waits out its timeout and fails. ``Driver.close()`` sends one GOODBYE
        per pooled connection, and the driver has no public way to close without it; so we
        close the pooled sockets first (``Bolt.kill()``, what the driver itself does to a
        broken connection), then absorb any handshake that still gets dropped.
        """
        _kill_pooled_connections(driver)
        driver.close()
        absorb_dropped_handshakes(*address)

    def explain_refusal(self, where: str, message: str, *, connecting: bool) -> str | None:
        if message != _FALKORDB_OPAQUE_MESSAGE:
            return None
        # The same query through the falkordb client on the Redis port shows the reason.
        hint = (
            "FalkorDB gives this for a wrong username or password"
            if connecting
            else "FalkorDB hides the reason over Bolt; run the query with the falkordb "
            "client on its Redis port to see it"
        )
        return f"{where} refused: {message} ({hint})"

    @staticmethod
    def _size(cypher: str, parameters: Any) -> int:
        """About how many bytes FalkorDB's Bolt endpoint makes of a query and its (escaped)
        parameters, written as the Cypher literals it pastes in."""
        return len(cypher.encode("utf-8", "surrogatepass")) + falkordb_literal_size(parameters) + 16

    def _fit(self, batch: Batch) -> Iterator[Batch]:
        """Split one batch (rows already escaped, so keys are backquoted) into batches FalkorDB
        can take."""
        budget = FALKORDB_QUERY_BYTES - self._size(batch.cypher, {"rows": []})
        rows: list[dict[str, Any]] = []
        used = 0
        for row in batch.rows:
            size = self._size("", row) - 16 + 1  # and a comma
            if size > budget:
                raise BackendError(
                    _(
                        "{row} is too large for FalkorDB over Bolt ({size} bytes; it takes about "
                        "{cap} per query and crashes beyond): use Neo4j for this corpus"
                    ).format(
                        row=repr(row.get("`id`") or row.get("`key`")),
                        size=size,
                        cap=FALKORDB_QUERY_BYTES,
                    )
                )
            if rows and used + size > budget:
                yield Batch(batch.cypher, rows, batch.kind)
                rows, used = [], 0
            rows.append(row)
            used += size
        if rows:
            yield Batch(batch.cypher, rows, batch.kind)


_SERVERS: dict[ServerKind, Server] = {
    ServerKind.NEO4J: Neo4jServer(),
    ServerKind.FALKORDB: FalkorDBServer(),
}


def server_for(kind: ServerKind | None) -> Server | None:
    """The ``Server`` of a kind; None for a kind not yet known (every server is then asked)."""
    return None if kind is None else _SERVERS[kind]


def all_servers() -> list[Server]:
    """Every kind's ``Server``, for an error met before the kind is known."""
    return list(_SERVERS.values())


def detect(driver: neo4j.Driver, database: str) -> tuple[ServerKind, str]:
    """(kind, version) of the server, asked of the server itself; the driver's errors pass.

    The agent string does not tell: FalkorDB's Bolt endpoint introduces itself as
    ``Neo4j/5.13.0``. So we ask for what only Neo4j has (``dbms.components()``), then for what
    only FalkorDB has (``db.meta.stats()``). The first query also proves on Neo4j that
    ``database`` exists (FalkorDB accepts any name).
    """
    try:
        records = driver.execute_query(
            NEO4J_COMPONENTS, database_=database, routing_=RoutingControl.READ
        ).records
    except neo4j_errors.DatabaseError as err:
        if first_line(err.message or "") != _FALKORDB_OPAQUE_MESSAGE:
            raise
        driver.execute_query(FALKORDB_PROBE, database_=database)
        return ServerKind.FALKORDB, ""
    version = ", ".join(f"{r['name']} {'/'.join(map(str, r['versions']))}" for r in records)
    return ServerKind.NEO4J, version


def _kill_pooled_connections(driver: neo4j.Driver) -> None:
    """Close the driver's idle pooled sockets without a GOODBYE (private driver API: if it
    changes, this does nothing and close() falls back to the driver's own close)."""
    pool = getattr(driver, "_pool", None)
    for connections in list(getattr(pool, "connections", {}).values()):
        for connection in list(connections):
            kill = getattr(connection, "kill", None)
            if callable(kill) and not getattr(connection, "in_use", False):
                kill()


def absorb_dropped_handshakes(host: str, port: int, *, timeout: float = 0.5) -> int:
    """Open bare connections and send the Bolt handshake until two in a row, a moment apart,
    are answered (or the server refuses); return how many were dropped (FalkorDB drops one
    after each GOODBYE a client sent: see ``FalkorDBServer.close``)."""
    dropped = answered = 0
    while answered < 2 and dropped < 32:  # 32: more than one dutygraph command ever opens
        if bolt_handshake_dropped(host, port, timeout=timeout):
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


def bolt_handshake_dropped(host: str, port: int, *, timeout: float) -> bool:
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
