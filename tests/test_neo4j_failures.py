"""A server that dies mid-push: one line, and no raw driver log line before it (issue 13, 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from support_bolt import BoltServer

from dutygraph.graphmodel.example import example_tables
from dutygraph.store import Store
from dutygraph.tables import TABLE_COLUMNS, ListTables, empty_table

pytestmark = pytest.mark.neo4j

#: The CLI in a process of its own (pytest's log capture would hide what the driver logs),
#: with the server killed as the second batch is written.
_PUSH_THEN_KILL = textwrap.dedent(
    """
    import os, signal, sys
    import neo4j
    from dutygraph.cli import main
    from dutygraph.graphmodel.neo4j_backend import writes

    server_pid = int(sys.argv.pop(1))
    write_batch, driver, batches = writes.write_batch, neo4j.GraphDatabase.driver, []

    def dying(tx, cypher, rows):
        batches.append(cypher)
        if len(batches) == 2:
            os.kill(server_pid, signal.SIGKILL)
        return write_batch(tx, cypher, rows)

    def retry_briefly(*args, **kwargs):  # the driver would retry for 30 s
        return driver(*args, max_transaction_retry_time=1.0, **kwargs)

    writes.write_batch = dying
    neo4j.GraphDatabase.driver = retry_briefly
    sys.argv[0] = "dutygraph"
    main()
    """
)


def test_a_server_killed_mid_push_is_one_line_without_driver_log(tmp_path) -> None:
    store = tmp_path / "example.db"
    tables = {n: f.reindex(columns=TABLE_COLUMNS[n]) for n, f in example_tables().items()}
    Store(store).save_list(ListTables(**tables, findings=empty_table("findings")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    server = BoltServer.start()
    try:
        pid = str(server.process.pid)
        args = ["neo4j", "push", "--store", str(store), "--uri", server.uri, "--batch-size", "2"]
        done = subprocess.run(
            [sys.executable, "-c", _PUSH_THEN_KILL, pid, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        server.stop()
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert server.uri in lines[0] and "Traceback" not in done.stderr
