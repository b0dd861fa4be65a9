"""Connecting to a Neo4j (or FalkorDB) server: settings, the driver, its server, its errors.

>>> settings = ConnectionSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io",
...                                         "NEO4J_PASSWORD": "s3cret"})
>>> settings
ConnectionSettings(uri='neo4j+s://x.databases.neo4j.io', username='neo4j', database='neo4j')
"""

from __future__ import annotations

import logging
import os
import re
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from ...errors import BackendError
from ...formatting import redact_credentials
from ...i18n import gettext as _
from .servers import Server, ServerKind, all_servers, detect, first_line, server_for

__all__ = [
    "DEFAULT_DATABASE",
    "DEFAULT_URI",
    "DEFAULT_USERNAME",
    "URI_SCHEMES",
    "ConnectionSettings",
    "backend_errors",
    "close",
    "connect",
    "redacted_uri",
    "server_kind",
    "server_of",
]

log = logging.getLogger(__name__)

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USERNAME = "neo4j"
DEFAULT_DATABASE = "neo4j"
#: Bolt URI schemes; the driver's HTTP (Query API) schemes are not supported.
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


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
    """What connect() learned about a driver's server, for messages and the server's ways."""

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
        raise BackendError(
            _("cannot use the URI {uri}: {reason}").format(uri=repr(shown), reason=first_line(err))
        ) from err
    if scheme not in URI_SCHEMES:
        raise BackendError(
            _("cannot use the URI {uri}: expected one of the schemes {schemes}").format(
                uri=repr(shown), schemes=", ".join(s + "://" for s in URI_SCHEMES)
            )
        )
    auth = None if settings.password is None else (settings.username, settings.password)
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=auth, connection_timeout=connection_timeout
        )
    except (neo4j_errors.ConfigurationError, ValueError) as err:
        raise BackendError(
            _("cannot use the URI {uri}: {reason}").format(uri=repr(shown), reason=first_line(err))
        ) from err
    _FACTS[driver] = _DriverFacts(settings)
    try:
        with backend_errors(driver, connecting=True):
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
    """Close the driver the way its server needs (FalkorDB: without GOODBYE, see
    ``servers.FalkorDBServer.close``)."""
    facts = _FACTS.get(driver)
    server = server_for(facts.kind) if facts is not None else None
    if server is None or facts is None:
        driver.close()
    else:
        server.close(driver, facts.settings.address)


def server_kind(driver: neo4j.Driver, database: str) -> ServerKind:
    """Neo4j or FalkorDB, asked of the server once per driver (``servers.detect``)."""
    facts = _FACTS.setdefault(driver, _DriverFacts(ConnectionSettings(database=database)))
    if facts.kind is None:
        with backend_errors(driver, connecting=True, database=database):
            facts.kind, facts.version = detect(driver, database)
    return facts.kind


def server_of(driver: neo4j.Driver, database: str) -> Server:
    """The ``Server`` (its kind's ways) of the driver's server."""
    server = server_for(server_kind(driver, database))
    assert server is not None
    return server


_REASON = re.compile(r"\(reason (?P<reason>.+?)\)\s*$", re.DOTALL)


@contextmanager
def backend_errors(
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
        reason = match.group("reason") if match else first_line(err)
        raise BackendError(
            _(
                "cannot reach a Neo4j server at {where} ({reason}); is it running, and is the "
                "URI right?"
            ).format(where=where, reason=reason)
        ) from err
    except neo4j_errors.Neo4jError as err:
        raise BackendError(_refusal(err, where, database, connecting, facts)) from err
    except neo4j_errors.DriverError as err:
        raise BackendError(f"{where}: {first_line(err)}") from err


def _refusal(
    err: neo4j_errors.Neo4jError,
    where: str,
    database: str,
    connecting: bool,
    facts: _DriverFacts | None,
) -> str:
    """The one line for an error the server sent."""
    code = err.code or ""
    message = first_line(err.message or str(err))
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return _(
            "database {database!r} does not exist on {where} (set NEO4J_DATABASE or --database)"
        ).format(database=database, where=where)
    if isinstance(err, neo4j_errors.CypherSyntaxError):
        return _("Cypher syntax error: {message}").format(message=message)
    known = server_for(facts.kind) if facts is not None else None
    for server in [known] if known is not None else all_servers():
        explained = server.explain_refusal(where, message, connecting=connecting)
        if explained is not None:
            return explained
    return _("{where} refused the query: {message} [{code}]").format(
        where=where, message=message, code=code
    )
