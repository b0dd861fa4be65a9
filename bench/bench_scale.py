"""Province scale: every stage of the CLI, as an analyst runs it, for N = 1, 10, 100, 1,500 lists.

N = 1 is the reference list (data/000_5b382267ef9e6b6d.txt); larger N are ``dutygraph synth``
lists of the reference list's size (69 matters on average, seed 1). Each stage is one
``dutygraph`` process, timed from outside: wall time, CPU time (user + system, the process and
its workers) and peak memory (the largest resident set of the process or one of its workers).
The machine's load average is recorded next to each number: on a shared machine the wall time
grows with the load, the CPU time much less.

    .venv/bin/python bench/bench_scale.py                      # N = 1, 10, 100, 1500
    .venv/bin/python bench/bench_scale.py --sizes 1,10         # a quick check
    .venv/bin/python bench/bench_scale.py --sizes 1500 --stages load,question

Writes bench/scale.csv (every measurement; a rerun replaces the rows of the sizes it ran),
bench/scale.md (the table) and bench/scale.png (time and memory against N, log-log).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REFERENCE = ROOT / "data" / "000_5b382267ef9e6b6d.txt"
DUTYGRAPH = str(Path(sys.executable).with_name("dutygraph"))
CSV_PATH, MD_PATH, PNG_PATH = BENCH / "scale.csv", BENCH / "scale.md", BENCH / "scale.png"
SIZES = (1, 10, 100, 1500)
TIMEOUT = 1200  # seconds a stage may take before it counts as not done
QUESTIONS = ("escalations", "dependents", "feedback-gaps", "workload", "support-gaps")
#: The targets of issue 15 at 1,500 lists: stage -> (seconds, or None).
TARGETS = {
    "load": 60,
    "question, whole store": 3,
    "question, one list": 0.5,
    "report": 60,
    "export xlsx": 60,
}
MEMORY_TARGET_MB = 4096
#: The order of the table's rows.
STAGE_ORDER = (
    "load",
    "question, whole store",
    "question, whole store (in process)",
    "question, one list",
    "question, one list (in process)",
    "viz overview",
    "report",
    "export xlsx",
    "session (7 commands)",
)
#: A question asked in one process after the imports: what a kept-open process (a notebook,
#: a server) pays per question, as ``dutygraph query`` answers it (the answers ``load`` kept,
#: ``dutygraph.answers``). Prints the slowest question's seconds.
IN_PROCESS = """
import sys, time
from dutygraph.answers import answers
from dutygraph.store import Store
from dutygraph.answers import code_fingerprint
store, selector, names = Store(sys.argv[1]), sys.argv[2] or None, sys.argv[3].split(",")
store.table("lists"), code_fingerprint()  # the imports (pandas) and the code's digest, once
worst = 0.0
for name in names:
    start = time.process_time()
    answers(store, store.resolve_lists(selector), [name])
    worst = max(worst, time.process_time() - start)
print(worst)
"""
FIELDS = ("n", "stage", "what", "wall_s", "cpu_s", "peak_mb", "load_avg", "status")


def run(args: Sequence[str], *, what: str, n: int, stage: str) -> dict[str, object]:
    """One dutygraph process: wall and CPU seconds, peak memory (its own or a worker's)."""
    load_avg = os.getloadavg()[0]
    start = time.perf_counter()
    errors = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would block the child
    # its own process group: a stage that times out is stopped with its worker processes
    child = subprocess.Popen(
        [DUTYGRAPH, *args], stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
    )
    status = "ok"
    deadline = start + TIMEOUT
    while True:
        pid, code, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            pid, code, usage = os.wait4(child.pid, 0)
            status = "timeout"
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(code)
    errors.seek(0)
    err = errors.read().decode("utf-8", "replace")
    errors.close()
    if status == "ok" and child.returncode:
        status = f"exit {child.returncode}: {err.strip().splitlines()[-1] if err.strip() else ''}"
    return {
        "n": n,
        "stage": stage,
        "what": what,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "load_avg": round(load_avg, 2),
        "status": status,
    }


def lists_for(n: int, work: Path) -> list[str]:
    """The reference list for 1, else n synthetic lists of its size."""
    if n == 1:
        return [str(REFERENCE)]
    out = work / f"lists-{n}"
    subprocess.run(
        [DUTYGRAPH, "synth", "--towns", str(n), "--seed", "1", "-o", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return sorted(str(p) for p in out.rglob("*.txt"))


def measure(
    n: int, work: Path, stages: set[str], questions: Sequence[str] = QUESTIONS
) -> list[dict[str, object]]:
    files = lists_for(n, work)
    store = str(work / f"store-{n}.db")
    rows = []

    def stage(name: str, what: str, *args: str) -> dict[str, object]:
        row = run([*args, "--store", store], what=what, n=n, stage=name)
        rows.append(row)
        print(
            f"  {n:>5} {name:<24} {what:<28} {row['wall_s']:>9.2f} s wall "
            f"{row['cpu_s']:>9.2f} s cpu {row['peak_mb']:>8.0f} MB  load {row['load_avg']}"
            f"  {row['status']}",
            flush=True,
        )
        return row

    if stage("load", f"{len(files)} lists", "load", *files, "-q")["status"] != "ok":
        return rows  # nothing to ask of a store that did not load
    first = (
        subprocess.run(
            [DUTYGRAPH, "lists", "--store", store, "--format", "csv"],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.splitlines()[1]
        .split(",")[0]
    )
    if "question" in stages:
        for question in questions:
            stage("question, whole store", question, "query", question, "--format", "csv")
        for question in questions[:3]:
            stage(
                "question, one list",
                question,
                "query",
                question,
                "--list",
                first,
                "--format",
                "csv",
            )
    if "inprocess" in stages:
        rows.append(in_process(n, store, "", "question, whole store (in process)", questions))
        rows.append(in_process(n, store, first, "question, one list (in process)", questions))
    if "viz" in stages:
        stage("viz overview", "whole store", "viz", "overview", "-o", str(work / "o.html"))
    if "report" in stages:
        stage("report", "whole store", "report", "-o", str(work / "r.html"))
    if "export" in stages:
        stage("export xlsx", "whole store", "export", "xlsx", "-o", str(work / "w.xlsx"))
    if "session" in stages and n == 1:
        rows.append(session(work))
    return rows


def in_process(
    n: int, store: str, selector: str, stage: str, questions: Sequence[str]
) -> dict[str, object]:
    """The slowest question's CPU seconds inside one process, imports excluded."""
    load_avg = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, store, selector, ",".join(questions)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    ok = out.returncode == 0
    seconds = float(out.stdout.strip()) if ok else 0.0
    print(f"  {n:>5} {stage:<40} {seconds:.2f} s cpu", flush=True)
    return {
        "n": n,
        "stage": stage,
        "what": "slowest of the questions",
        "wall_s": round(seconds, 3),
        "cpu_s": round(seconds, 3),
        "peak_mb": 0,
        "load_avg": round(load_avg, 2),
        "status": "ok" if ok else out.stderr.strip().splitlines()[-1],
    }


def session(work: Path) -> dict[str, object]:
    """The reference list's whole session: load, three questions, three views (7 commands)."""
    store = str(work / "session.db")
    commands = [
        ["load", str(REFERENCE), "-q"],
        ["query", "escalations"],
        ["query", "dependents"],
        ["query", "feedback-gaps"],
        ["viz", "overview", "-o", str(work / "s1.html")],
        ["viz", "gaps", "-o", str(work / "s2.html")],
        ["viz", "matter", "29", "-o", str(work / "s3.html")],
    ]
    parts = [run([*c, "--store", store], what="", n=1, stage="session") for c in commands]
    row = {
        "n": 1,
        "stage": "session (7 commands)",
        "what": "load, 3 questions, 3 views",
        "wall_s": round(sum(float(p["wall_s"]) for p in parts), 3),
        "cpu_s": round(sum(float(p["cpu_s"]) for p in parts), 3),
        "peak_mb": max(float(p["peak_mb"]) for p in parts),
        "load_avg": parts[0]["load_avg"],
        "status": "ok" if all(p["status"] == "ok" for p in parts) else "failed",
    }
    print(f"  session: {row['wall_s']} s wall, {row['cpu_s']} s cpu", flush=True)
    return row


# -- writing ---------------------------------------------------------------------------------
def merge_csv(new: list[dict[str, object]]) -> list[dict[str, object]]:
    """Earlier rows of other sizes kept, the sizes just run replaced."""
    ran = {int(r["n"]) for r in new}
    old = []
    if CSV_PATH.exists():
        with CSV_PATH.open(encoding="utf-8") as handle:
            old = [r for r in csv.DictReader(handle) if int(r["n"]) not in ran]
    rows = sorted([*old, *new], key=lambda r: (int(r["n"]), STAGE_ORDER.index(str(r["stage"]))))
    with CSV_PATH.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def summary(rows: list[dict[str, object]]) -> dict[tuple[str, int], dict[str, float | str]]:
    """Per (stage, n): the slowest run of the stage (the worst question), its CPU, memory."""
    out: dict[tuple[str, int], dict[str, float | str]] = {}
    for r in rows:
        key = (str(r["stage"]), int(r["n"]))
        wall, cpu, mem = float(r["wall_s"]), float(r["cpu_s"]), float(r["peak_mb"])
        best = out.get(key)
        if best is None or wall > float(best["wall_s"]):
            out[key] = {
                "wall_s": wall,
                "cpu_s": cpu,
                "peak_mb": mem,
                "status": str(r["status"]),
                "what": str(r["what"]),
                "load_avg": float(r["load_avg"]),
            }
        out[key]["peak_mb"] = max(float(out[key]["peak_mb"]), mem)
    return out


def markdown(rows: list[dict[str, object]]) -> str:
    table = summary(rows)
    sizes = sorted({n for _, n in table})
    stages = [s for s in STAGE_ORDER if any(k == s for k, _ in table)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        f"`bench/bench_scale.py` on {stamp}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Each cell: wall time / CPU time (the process and "
        "its workers) / peak memory (the largest process); a question's cell is the slowest of "
        "the questions asked (each one's row is in the CSV). Load average at the start of each "
        "stage in the CSV. **The machine was shared with 8 agents while this ran**: wall times "
        "are inflated by the load (CPU times much less); see bench/scale.csv.",
        "",
        "| stage | " + " | ".join(f"N = {n:,}" for n in sizes) + " | target at 1,500 |",
        "|---|" + "---:|" * len(sizes) + "---|",
    ]
    for stage in stages:
        cells = []
        for n in sizes:
            cell = table.get((stage, n))
            if cell is None:
                cells.append("")
                continue
            text = f"{_s(cell['wall_s'])} / {_s(cell['cpu_s'])} cpu / {cell['peak_mb']:.0f} MB"
            if cell["status"] != "ok":
                text += f" ({cell['status']})"
            cells.append(text)
        target = TARGETS.get(stage)
        lines.append(
            f"| {stage} | " + " | ".join(cells) + f" | {f'< {target} s' if target else ''} |"
        )
    lines += ["", verdict(table)]
    return "\n".join(lines) + "\n"


def verdict(table: dict[tuple[str, int], dict[str, float | str]]) -> str:
    """Each target at each N of 100 or more: met, or missed by how much (wall and CPU)."""
    out = []
    for n in sorted({m for _, m in table if m >= 100}):
        out.append(f"At N = {n:,} (targets are for 1,500):")
        for stage, target in TARGETS.items():
            cell = table.get((stage, n))
            if cell is None:
                out.append(f"- {stage} < {target} s: not measured")
                continue
            wall, cpu = float(cell["wall_s"]), float(cell["cpu_s"])
            if cell["status"] != "ok":
                out.append(f"- {stage} < {target} s: not done ({cell['status']})")
                continue
            on_wall = "met" if wall < target else f"missed by {wall / target:.1f}×"
            on_cpu = "met" if cpu < target else f"missed by {cpu / target:.1f}×"
            out.append(
                f"- {stage} < {target} s: wall {_s(wall)} ({on_wall}); CPU {_s(cpu)} ({on_cpu})"
            )
        peak = max(float(c["peak_mb"]) for (_, m), c in table.items() if m == n)
        state = "met" if peak < MEMORY_TARGET_MB else f"missed ({peak / 1024:.1f} GB)"
        out.append(f"- peak memory < 4 GB: {state} ({peak:.0f} MB, largest process measured)")
        out.append("")
    return "\n".join(out)


def _s(seconds: float | str) -> str:
    value = float(seconds)
    return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"


def plot(rows: list[dict[str, object]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = summary(rows)
    stages = list(dict.fromkeys(s for s, _ in table))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for stage in stages:
        points = sorted((n, c) for (s, n), c in table.items() if s == stage and c["status"] == "ok")
        if not points:
            continue
        ns = [n for n, _ in points]
        left.plot(ns, [float(c["wall_s"]) for _, c in points], marker="o", label=stage)
        right.plot(ns, [float(c["peak_mb"]) for _, c in points], marker="o", label=stage)
    for axis, title, unit in ((left, "wall time", "seconds"), (right, "peak memory", "MB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("lists (N)")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    left.axhline(60, color="grey", linestyle="--", linewidth=0.8)
    left.axhline(3, color="grey", linestyle=":", linewidth=0.8)
    right.axhline(MEMORY_TARGET_MB, color="grey", linestyle="--", linewidth=0.8)
    left.legend(fontsize=7)
    fig.suptitle("dutygraph at province scale (2 shared cores; dashed: 60 s and 4 GB targets)")
    fig.tight_layout()
    fig.savefig(PNG_PATH, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument(
        "--stages",
        default="question,inprocess,viz,report,export,session",
        help="what to run after the load (comma-separated)",
    )
    parser.add_argument("--keep", help="a folder to keep the lists and stores in")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds a stage may take [1200]")
    parser.add_argument(
        "--questions",
        default=",".join(QUESTIONS),
        help="the questions asked of the whole store (the first three also of one list)",
    )
    args = parser.parse_args(argv)
    globals()["TIMEOUT"] = args.timeout  # read by run() and in_process()
    sizes = [int(s) for s in args.sizes.split(",")]
    stages = set(args.stages.split(","))
    questions = tuple(args.questions.split(","))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dutygraph-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in sizes:  # the files are rewritten after each size: a long run shows its progress
            print(f"N = {n}", flush=True)
            rows = merge_csv(measure(n, work, stages, questions))
            MD_PATH.write_text(markdown(rows), encoding="utf-8")
            plot(rows)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nwrote {CSV_PATH.name}, {MD_PATH.name}, {PNG_PATH.name} in {BENCH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
