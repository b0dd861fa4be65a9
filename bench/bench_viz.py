"""How large a diagram stays usable: render synthetic graphs, time them in headless Chromium.

For each size (nodes) and each layout (physics: force-directed, stabilised then frozen;
hierarchical: top-down by level, no physics) this renders a synthetic handoff graph shaped
like the real ones (a few city departments, more district departments, towns, their villages
and duties; about 1.5 edges per node), opens it from file:// in headless Debian Chromium and
reads ``window.dutygraphTimings.ready``: milliseconds from navigation start until the layout
has settled (physics: 'stabilizationIterationsDone', then physics off) and the next frame is
drawn ('afterDrawing'). It then times one full redraw (what every pan or zoom costs).

    .venv/bin/python bench/bench_viz.py                 # print the table
    .venv/bin/python bench/bench_viz.py --write         # and update bench/RESULTS.md § Diagrams
    .venv/bin/python bench/bench_viz.py --sizes 100 1000 --repeat 3

Only the "## Diagrams" section of bench/RESULTS.md is rewritten; other sections are kept.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dutygraph.viz.headless import CHROMIUM, LOCAL_SCHEMES, launch_chromium
from dutygraph.viz.render import (
    AGGREGATE_THRESHOLD,
    HIERARCHICAL_THRESHOLD,
    render_html,
    save_html,
)

SIZES = (100, 300, 1000, 3000, 10000)
REFERENCE_LIST = Path(__file__).resolve().parent.parent / "data" / "000_5b382267ef9e6b6d.txt"
REFERENCE_VIEWS = (
    ("overview", None),
    ("matter", "29"),
    ("matter", "1"),
    ("department", "区住房和城乡建设局"),
    ("escalations", None),
    ("gaps", None),
)
LAYOUTS = ("physics", "hierarchical")
BUDGET_MS = 3000
NUMBERS = ("ready_ms", "wall_ms", "redraw_ms")
RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Diagrams"

LEVEL_STYLE = {  # level rank -> (node_type, shape, colour)
    0: ("CityDepartment", "box", "#5fa8d3"),
    1: ("DistrictDepartment", "box", "#8ecae6"),
    2: ("Town", "ellipse", "#f6c85f"),
    3: ("Village", "ellipse", "#c8e6a0"),
    4: ("Duty", "dot", "#d9d9d9"),
}
EDGE_TYPES = ("reports_to", "feeds_back_to", "escalates_to", "assigns_to", "refers_to")
EDGE_COLOURS = ("#1f77b4", "#2ca02c", "#d62728", "#ff7f0e", "#9467bd")


def synthetic_graph(n_nodes: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    """Nodes on five levels (2% city, 8% district, 10% towns, 30% villages, 50% duties)."""
    rng = random.Random(seed)
    shares = [(0, 0.02), (1, 0.08), (2, 0.10), (3, 0.30), (4, 0.50)]
    by_level: dict[int, list[str]] = {}
    nodes: list[dict] = []
    for level, share in shares:
        count = max(1, round(n_nodes * share)) if level < 4 else n_nodes - len(nodes)
        node_type, shape, colour = LEVEL_STYLE[level]
        for i in range(count):
            node_id = f"{node_type}:{i}"
            by_level.setdefault(level, []).append(node_id)
            nodes.append(
                {
                    "id": node_id,
                    "label": f"{'区市镇村责'[level]}{node_type}{i}部门名称",
                    "title": f"{node_type} {i}：模拟职责文本，用于测量。",
                    "node_type": node_type,
                    "shape": shape,
                    "color": colour,
                    "level": level,
                }
            )
    edges: list[dict] = []
    for level in (1, 2, 3, 4):  # every node hangs from one node a level up…
        for node_id in by_level[level]:
            edges.append(_edge(rng, node_id, rng.choice(by_level[level - 1])))
    while len(edges) < int(1.5 * len(nodes)):  # …and some handoffs cross between levels
        level = rng.choice((1, 2, 3))
        edges.append(_edge(rng, rng.choice(by_level[level]), rng.choice(by_level[level - 1])))
    return nodes, edges


def _edge(rng: random.Random, src: str, dst: str) -> dict:
    k = rng.randrange(len(EDGE_TYPES))
    return {
        "from": src,
        "to": dst,
        "edge_type": EDGE_TYPES[k],
        "color": EDGE_COLOURS[k],
        "title": f"{EDGE_TYPES[k]}：模拟证据",
    }


def measure(browser, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    external: list[str] = []
    errors: list[str] = []
    page = context.new_page()
    page.on(
        "request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) else external.append(r.url)
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        started = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function("() => window.dutygraphReady === true", timeout=300_000, polling=50)
        wall_ms = (time.perf_counter() - started) * 1000
        ready_ms = page.evaluate("() => window.dutygraphTimings.ready")
        arrangement = page.evaluate("() => window.dutygraph.config.arrangement")
        size = page.evaluate("() => [window.dutygraph.nodes.length, window.dutygraph.edges.length]")
        redraw_ms = page.evaluate(
            """() => { const t = performance.now(); window.dutygraph.network.redraw();
                       return performance.now() - t; }"""
        )
    finally:
        context.close()
    if external or errors:
        raise SystemExit(f"{path}: external requests {external} or console errors {errors}")
    return {
        "ready_ms": ready_ms,
        "wall_ms": wall_ms,
        "redraw_ms": redraw_ms,
        "arrangement": arrangement,
        "nodes": size[0],
        "edges": size[1],
    }


def timed(browser, path: Path, repeat: int) -> dict:
    """Open a page ``repeat`` times: its size, arrangement and the median timings."""
    runs = [measure(browser, path) for _ in range(repeat)]
    return {
        **{k: runs[0][k] for k in ("nodes", "edges", "arrangement")},
        **{k: statistics.median(r[k] for r in runs) for k in NUMBERS},
    }


def reference_views(browser, tmp: Path, repeat: int) -> list[dict]:
    """The views of the reference list as `dutygraph viz` draws them (tuned layouts)."""
    from dutygraph.graphmodel.build import build_graph
    from dutygraph.loaders import load_list
    from dutygraph.store import Store
    from dutygraph.viz.views import render_view

    store = Store(tmp / "reference.db")
    store.save_list(load_list(REFERENCE_LIST))
    G = build_graph(store)
    rows = []
    for view, target in REFERENCE_VIEWS:
        html = render_view(G, view, target)
        path = save_html(html, tmp / f"ref-{view}-{target or ''}.html")
        row = {"view": f"{view} {target}" if target else view, **timed(browser, path, repeat)}
        rows.append(row)
        print(_reference_md(row), flush=True)
    return rows


REFERENCE_HEADER = (
    "| view | nodes | edges | laid out as | ready in Chromium | one redraw |\n"
    "|---|---:|---:|---|---:|---:|"
)


def _reference_md(row: dict) -> str:
    return (
        f"| {row['view']} | {row['nodes']} | {row['edges']} | {row['arrangement']} "
        + _timings_md(row)
    )


def _timings_md(row: dict) -> str:
    """The last two cells: ready (✓ under the budget) and one redraw."""
    mark = " ✓" if row["ready_ms"] < BUDGET_MS else ""
    return f"| {row['ready_ms']:.0f} ms{mark} | {row['redraw_ms']:.0f} ms |"


def run(sizes: list[int], repeat: int) -> tuple[list[dict], list[dict]]:
    from playwright.sync_api import sync_playwright

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            print(REFERENCE_HEADER, flush=True)
            reference = reference_views(browser, Path(tmp), repeat)
            print(HEADER, flush=True)
            render_html(*synthetic_graph(10), title="warm-up")  # reads the vis assets once
            for n in sizes:
                nodes, edges = synthetic_graph(n)
                for layout in LAYOUTS:
                    started = time.perf_counter()
                    html = render_html(nodes, edges, title=f"bench {n} {layout}", layout=layout)
                    render_ms = (time.perf_counter() - started) * 1000
                    path = save_html(html, Path(tmp) / f"bench-{n}-{layout}.html")
                    row = {
                        **timed(browser, path, repeat),
                        "layout": layout,
                        "render_ms": render_ms,
                        "html_kb": len(html.encode()) / 1024,
                    }
                    rows.append(row)
                    print(_row_md(row), flush=True)
        finally:
            browser.close()
    return reference, rows


HEADER = (
    "| nodes | edges | layout asked | laid out as | render (Python) | HTML | ready in Chromium "
    "| one redraw |\n"
    "|---:|---:|---|---|---:|---:|---:|---:|"
)


def _row_md(row: dict) -> str:
    return (
        f"| {row['nodes']} | {row['edges']} | {row['layout']} | {row['arrangement']} "
        f"| {row['render_ms']:.0f} ms | {row['html_kb']:.0f} KB " + _timings_md(row)
    )


def largest_within_budget(rows: list[dict], layout: str) -> int | None:
    fits = [r["nodes"] for r in rows if r["layout"] == layout and r["ready_ms"] < BUDGET_MS]
    return max(fits) if fits else None


def section(rows: list[dict], repeat: int, reference: list[dict] = ()) -> str:
    chromium = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
    )
    lines = [
        SECTION,
        "",
        (
            f"`bench/bench_viz.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
            f"Python {platform.python_version()}, {chromium.stdout.strip() or 'chromium'} "
            "headless (`--disable-gpu`, software rendering), viewport 1400×900, median of "
            f"{repeat} run(s). Synthetic handoff graphs on five levels, about 1.5 edges per "
            "node. *ready* is the time from navigation start until the layout has settled "
            "(physics: stabilisation done, then physics off) and the next frame is drawn; ✓ "
            f"marks under {BUDGET_MS / 1000:.0f} s. *one redraw* is what each pan or zoom costs "
            "afterwards."
        ),
        "",
        HEADER,
        *(_row_md(r) for r in rows),
        "",
    ]
    if reference:
        lines += [
            (
                "The views of the reference list (data/000_5b382267ef9e6b6d.txt) as "
                "`dutygraph viz` draws them, with their tuned layouts (the overview: the town "
                "pinned in the centre, spring lengths by degree, `avoidOverlap`):"
            ),
            "",
            REFERENCE_HEADER,
            *(_reference_md(r) for r in reference),
            "",
        ]
    for layout in LAYOUTS:
        largest = largest_within_budget(rows, layout)
        lines.append(
            f"- Largest graph interactive in under {BUDGET_MS / 1000:.0f} s with {layout} layout: "
            + (f"**{largest} nodes**." if largest else "none of the sizes measured.")
        )
    lines += [
        (
            f'- Chosen: `layout="auto"` keeps physics up to {HIERARCHICAL_THRESHOLD} nodes '
            "(`render.HIERARCHICAL_THRESHOLD`) and lays larger graphs out top-down by level "
            "without physics (vis's own hierarchical layout, or bands that wrap a wide level "
            "into rows when a level holds more than 40 nodes)."
        ),
        (
            f"- Views aggregate above {AGGREGATE_THRESHOLD} nodes "
            "(`render.AGGREGATE_THRESHOLD`): past that a redraw, so every pan or zoom, grows "
            "from tens to hundreds of ms."
        ),
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace (or append) the Diagrams section, keeping every other section as it is."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is absent: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    reference, rows = run(args.sizes, args.repeat)
    text = section(rows, args.repeat, reference)
    print("\n" + text)
    if args.write:
        write_section(text)
        print(f"wrote {RESULTS} ({SECTION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
