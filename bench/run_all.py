"""Run every benchmark of bench/ one after another: queries, diagrams, answers, Neo4j push, scale.

    .venv/bin/python bench/run_all.py            # print each table (what `make bench` runs)
    .venv/bin/python bench/run_all.py --write    # and update bench/RESULTS.md, section by section
    .venv/bin/python bench/run_all.py --quick    # small sizes only: a check that each one runs

Each script runs in its own process (one timing never warms up another's imports or caches)
with this interpreter; the first that fails stops the run with its exit code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

#: script -> the arguments of a quick run (smallest sizes, one repeat).
SCRIPTS: dict[str, list[str]] = {
    "bench_queries.py": ["--towns", "10", "--repeat", "1"],
    "bench_viz.py": ["--sizes", "100", "--repeat", "1"],
    "bench_answers.py": ["--rows", "600", "--repeat", "1"],
    "bench_neo4j_push.py": ["--lists", "1", "--sizes", "100,1000"],
    "bench_scale.py": ["--sizes", "1,10"],
}
#: Scripts that can rewrite their section of bench/RESULTS.md.
WRITERS = frozenset({"bench_queries.py", "bench_viz.py"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="smallest sizes only")
    args = parser.parse_args(argv)
    for script, quick in SCRIPTS.items():
        command = [sys.executable, str(BENCH / script)]
        command += quick if args.quick else []
        command += ["--write"] if args.write and script in WRITERS else []
        print(f"\n== {' '.join(command[1:])}", flush=True)
        code = subprocess.call(command)
        if code:
            print(f"{script} failed with exit code {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
