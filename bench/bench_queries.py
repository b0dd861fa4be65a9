"""How long each analyst question takes on networkx: the reference list, and many-list graphs.

The reference list is loaded by the real loader and extraction (``dutygraph.loaders``). The
synthetic graphs copy its matters, duties and guarantees for N towns (ten towns to a district,
so district departments are shared by ten lists and city departments by all) and give each
town handoffs drawn by fixed rules (seeded): the town reports to a lead department (90%),
which feeds back (30%); the town escalates (15%), the department escalates on to the city
bureau (half of those); a task is assigned down (20%); a case is referred to a co-lead (10%).

    .venv/bin/python bench/bench_queries.py                 # print the table
    .venv/bin/python bench/bench_queries.py --write         # and update bench/RESULTS.md § Queries
    .venv/bin/python bench/bench_queries.py --towns 10 100 --repeat 5

Only the "## Queries" section of bench/RESULTS.md is rewritten; other sections are kept.
"""

from __future__ import annotations

import argparse
import functools
import gc
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import networkx as nx
import pandas as pd

from dutygraph.graphmodel.build import GRAPH_TABLES, graph_from_tables
from dutygraph.graphmodel.scope import list_subgraph
from dutygraph.queries import (
    dependents,
    escalations,
    feedback_gaps,
    paths,
    support_gaps,
    workload,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "000_5b382267ef9e6b6d.txt"
RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Queries"
TOWNS = (10, 100, 300)
TOWNS_PER_DISTRICT = 10
T = TypeVar("T")


def questions(town: str, department: str) -> dict[str, Callable[[nx.MultiDiGraph], pd.DataFrame]]:
    """Each question as the CLI runs it (default options); the path goes from the first list's
    town to the department that leads its first matter, both ways."""
    return {
        "escalations": escalations,
        "dependents": dependents,
        "feedback-gaps": feedback_gaps,
        "feedback-gaps --closed": lambda G: feedback_gaps(G, closed=True),
        "escalations --reaches 市": lambda G: escalations(G, reaches="市"),
        "dependents --by department": lambda G: dependents(G, by="department"),
        "feedback-gaps --by department": lambda G: feedback_gaps(G, by="department"),
        "workload": workload,
        "support-gaps": support_gaps,
        "path TOWN DEPARTMENT": lambda G: paths(G, town, department),
    }


def reference_tables() -> dict[str, pd.DataFrame]:
    from dutygraph.pipeline import load_list

    loaded = load_list(str(REFERENCE))
    return {name: loaded.table(name) for name in GRAPH_TABLES}


def _town_copy(
    template: Mapping[str, pd.DataFrame],
    old_list: str,
    list_id: str,
    town: str,
    local: Callable[[str], str],
) -> dict[str, pd.DataFrame]:
    """The template's tables (but handoffs) as the list ``list_id`` of ``town``."""
    copies = {}
    for name in ("lists", "categories", "matters", "matter_departments", "duties", "guarantees"):
        frame = template[name].copy()
        for column in frame.columns:
            if pd.api.types.is_string_dtype(frame[column]):
                frame[column] = frame[column].str.replace(old_list, list_id, regex=False)
        frame["list_id"] = list_id
        if name == "lists":
            frame["town"] = town
        if name == "matter_departments":
            frame["department"] = frame["department"].map(local)
        if name == "duties":
            is_town = frame["owner_kind"] == "town"
            frame.loc[is_town, "owner"] = town
            frame.loc[~is_town, "owner"] = frame.loc[~is_town, "owner"].map(local)
        copies[name] = frame
    return copies


def synthetic_tables(template: Mapping[str, pd.DataFrame], towns: int, seed: int = 1) -> dict:
    """``towns`` copies of the template list, one per town, with rule-drawn handoffs."""
    rng = random.Random(seed)
    old_list = template["lists"]["list_id"].iloc[0]
    leads = template["matter_departments"].groupby("matter_id")["department"].apply(list)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in GRAPH_TABLES}
    departments: dict[str, str] = {}
    for i in range(towns):
        town, district = f"镇{i:04d}", f"{i // TOWNS_PER_DISTRICT:03d}"
        list_id = f"{town}:配合"

        def local(name: str, district: str = district) -> str:  # district bureaus per district
            return f"{name}{district}" if name.startswith("区") else name

        for name, frame in _town_copy(template, old_list, list_id, town, local).items():
            parts[name].append(frame)
        rows = []
        for matter_id, names in leads.items():
            new_id = matter_id.replace(old_list, list_id)
            number = int(new_id.rsplit("#", 1)[1])
            lead = local(names[0])
            city = "市" + names[0][1:] if names[0].startswith("区") else names[0]
            drawn = [
                (0.9, town, lead, "reports_to"),
                (0.3, lead, town, "feeds_back_to"),
                (0.15, town, lead, "escalates_to"),
                (0.2, lead, town, "assigns_to"),
            ]
            if len(names) > 1:
                drawn.append((0.1, lead, local(names[1]), "refers_to"))
            for k, (p, src, dst, kind) in enumerate(drawn):
                if rng.random() < p:
                    rows.append(_handoff(list_id, new_id, number, k, src, dst, kind, town))
                    if kind == "escalates_to" and rng.random() < 0.5:
                        rows.append(_handoff(list_id, new_id, number, 9, lead, city, kind, town))
        parts["handoffs"].append(pd.DataFrame(rows))
        for name in template["departments"]["name"]:
            departments[local(name)] = "区" if name.startswith("区") else "市"
        departments.update({r["dst"]: "市" for r in rows if r["dst"].startswith("市")})
    tables = {
        name: pd.concat(frames, ignore_index=True) for name, frames in parts.items() if frames
    }
    tables["departments"] = pd.DataFrame(
        [{"name": n, "level": level, "in_vocabulary": 1} for n, level in departments.items()]
    )
    return tables


def _handoff(list_id, matter_id, number, k, src, dst, kind, town) -> dict:
    def actor(name: str) -> str:
        return "town" if name == town else "department"

    return {
        "list_id": list_id, "handoff_id": f"{matter_id}/syn/h{k}", "matter_id": matter_id,
        "matter": number, "src": src, "src_kind": actor(src), "dst": dst, "dst_kind": actor(dst),
        "type": kind, "evidence": f"{src}{kind}{dst}", "duty_id": "", "start": 0, "end": 0,
        "implicit": 0, "rule": "synthetic",
    }  # fmt: skip


def timed(func: Callable[[], T], repeat: int) -> tuple[float, T]:
    """(median milliseconds over ``repeat`` runs, the last result)."""
    times: list[float] = []
    result = func()  # a warm-up run, not timed
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def measure(label: str, tables: Mapping[str, pd.DataFrame], repeat: int) -> list[dict]:
    build_ms, G = timed(lambda: graph_from_tables(tables), max(1, min(repeat, 3)))
    assert isinstance(G, nx.MultiDiGraph)
    first = tables["lists"].iloc[0]
    town_department = tables["matter_departments"]["department"].iloc[0]
    rows = [
        {
            "graph": label,
            "question": "build the graph",
            "ms": build_ms,
            "rows": "",
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
        }
    ]
    view_ms, view = timed(lambda: list_subgraph(G, first["list_id"]), repeat)
    rows.append(
        {
            "graph": label,
            "question": "list view (one list)",
            "ms": view_ms,
            "rows": "",
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
        }
    )
    for name, question in questions(first["town"], town_department).items():
        ms, result = timed(functools.partial(question, G), repeat)
        rows.append(
            {
                "graph": label,
                "question": name,
                "ms": ms,
                "rows": len(result),
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
            }
        )
    if len(tables["lists"]) > 1:
        ms, result = timed(lambda: escalations(view), repeat)
        rows.append(
            {
                "graph": label,
                "question": "escalations on the one-list view",
                "ms": ms,
                "rows": len(result),
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
            }
        )
    return rows


def section(rows: list[dict], repeat: int) -> str:
    graphs = list(dict.fromkeys(r["graph"] for r in rows))
    sizes = {r["graph"]: (r["nodes"], r["edges"]) for r in rows}
    names = list(dict.fromkeys(r["question"] for r in rows))
    cell = {(r["graph"], r["question"]): r for r in rows}
    head = "| question | " + " | ".join(graphs) + " |"
    rule = "|---|" + "---:|" * len(graphs)
    size = (
        "| *nodes / edges* | "
        + " | ".join(f"{sizes[g][0]:,} / {sizes[g][1]:,}" for g in graphs)
        + " |"
    )
    body = []
    for name in names:
        cells = []
        for g in graphs:
            r = cell.get((g, name))
            cells.append(
                ""
                if r is None
                else f"{_ms(r['ms'])}" + (f" ({r['rows']} rows)" if r["rows"] != "" else "")
            )
        body.append(f"| {name.replace('|', '/')} | " + " | ".join(cells) + " |")
    return "\n".join([
        SECTION,
        "",
        (f"`bench/bench_queries.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, Python "
        f"{platform.python_version()}, networkx {nx.__version__}, pandas {pd.__version__}; "
        f"median of {repeat} run(s) (the build: of up to 3). *reference* is "
        "data/000_5b382267ef9e6b6d.txt as the loader and extraction read it; *N towns* are "
        "synthetic copies of it with rule-drawn handoffs (see the script's docstring). Each "
        "question runs on the whole graph with its default options, as `dutygraph query` does "
        "after building the graph from the store."),
        "",
        head, rule, size, *body, "",
    ])  # fmt: skip


def _ms(ms: float) -> str:
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:,.0f} ms"


def write_section(text: str) -> None:
    """Replace (or append) this script's section of RESULTS.md; the others stay as they are."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    mine = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    updated = (mine.sub(lambda _: text + "\n", current, count=1) if mine.search(current)
               else current.rstrip("\n") + "\n\n" + text)  # fmt: skip
    RESULTS.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--towns", type=int, nargs="+", default=list(TOWNS))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args(argv)
    reference = reference_tables()
    if reference["handoffs"].empty:
        print(
            "note: the extraction yields no handoffs yet; the reference times are of an "
            "empty handoff graph",
            file=sys.stderr,
        )
    rows = measure("reference", reference, args.repeat)
    for towns in args.towns:
        print(f"... {towns} towns", file=sys.stderr, flush=True)
        rows += measure(f"{towns} towns", synthetic_tables(reference, towns), args.repeat)
    text = section(rows, args.repeat)
    print(text)
    if args.write:
        write_section(text)
        print(f"wrote {RESULTS} ({SECTION})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
