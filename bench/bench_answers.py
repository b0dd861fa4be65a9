"""How long printing and writing rows takes: terminal tables (as wide as they come, fitted to a
width and cut, fitted and wrapped) and the files of ``-o`` (.xlsx, .csv, .json, .md).

The rows are the duties of the reference list (599 rows of Chinese text, the widest table the
tool prints), repeated to each size. Times are CPU seconds of this process (the machine is
shared; wall time says little), the median of the repeats.

    .venv/bin/python bench/bench_answers.py
    .venv/bin/python bench/bench_answers.py --rows 600 6000 60000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dutygraph.browse import duties_table  # noqa: E402
from dutygraph.export import write_answer  # noqa: E402
from dutygraph.formatting import render  # noqa: E402
from dutygraph.pipeline import load_list  # noqa: E402
from dutygraph.store import Store  # noqa: E402

REFERENCE = ROOT / "data" / "000_5b382267ef9e6b6d.txt"


def reference_duties(folder: Path) -> pd.DataFrame:
    store = Store(folder / "bench.db")
    tables = load_list(REFERENCE)
    store.save_list(tables)
    return duties_table(store, [tables.list_id])


def cpu_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[600, 6000, 30000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        duties = reference_duties(folder)
        cases: dict[str, Callable[[pd.DataFrame], object]] = {
            "table": lambda f: render(f, "table", max_width=80),
            "table fitted to 100, cut": lambda f: render(f, "table", max_width=80, width=100),
            "table fitted to 100, wrapped": lambda f: render(
                f, "table", max_width=80, width=100, wrap=True
            ),
        }
        for suffix in (".xlsx", ".csv", ".json", ".md"):
            path = folder / f"answer{suffix}"
            cases[f"-o answer{suffix}"] = lambda f, p=path: write_answer([("duties", None, f)], p)
        print("| rows | " + " | ".join(cases) + " |")
        print("|---:|" + "---:|" * len(cases))
        for rows in args.rows:
            copies = -(-rows // len(duties))
            frame = pd.concat([duties] * copies, ignore_index=True).head(rows)
            seconds = [
                cpu_seconds(lambda c=case, f=frame: c(f), args.repeat) for case in cases.values()
            ]
            print(f"| {rows} | " + " | ".join(f"{s:.2f} s" for s in seconds) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
