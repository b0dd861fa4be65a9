"""How long reading lists takes, per format, and a folder in one process against several.

Writes the reference list and the other towns' lists as text, XLSX, DOCX and HTML (the test
fixtures' writers, tests/support_formats.py; ``--pdf`` adds PDFs printed by Chromium) into a
temporary folder, ``--copies`` times, then times

- one file of each format, read and extracted (``load_lists``), median of ``--repeat`` runs;
- the whole folder through ``parse_files`` with ``jobs`` 1 (this process) and each ``--jobs``.

    .venv/bin/python bench/bench_load.py                    # print the tables
    .venv/bin/python bench/bench_load.py --copies 5 --jobs 2 4 --pdf

Results are printed as Markdown; bench/RESULTS.md § Load holds the last ones written there.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support_formats import (  # noqa: E402
    ALL_LISTS,
    list_layout,
    write_docx,
    write_html,
    write_pdf,
    write_xlsx,
)

from dutygraph.batch import parse_files  # noqa: E402
from dutygraph.pipeline import load_lists  # noqa: E402
from dutygraph.vocabulary import Vocabulary  # noqa: E402

WRITERS: dict[str, Callable[[Any, Path], Path]] = {
    ".xlsx": write_xlsx,
    ".docx": write_docx,
    ".html": write_html,
}


def build_folder(folder: Path, copies: int, *, pdf: bool) -> dict[str, list[Path]]:
    """The lists in every format, ``copies`` times; paths by suffix."""
    made: dict[str, list[Path]] = {}
    browser_context = None
    if pdf:
        from playwright.sync_api import sync_playwright

        from dutygraph.viz.headless import launch_chromium

        browser_context = sync_playwright().start()
        browser = launch_chromium(browser_context)
    for copy in range(copies):
        for source in ALL_LISTS:
            layout = list_layout(source)
            stem = f"{copy:02d}_{source.stem}"
            text = folder / f"{stem}.txt"
            text.write_bytes(source.read_bytes())
            made.setdefault(".txt", []).append(text)
            for suffix, writer in WRITERS.items():
                made.setdefault(suffix, []).append(writer(layout, folder / f"{stem}{suffix}"))
            if pdf:
                path = write_pdf(layout, folder / f"{stem}.pdf", browser)
                path.with_suffix(".print.html").unlink()
                made.setdefault(".pdf", []).append(path)
    if browser_context is not None:
        browser.close()
        browser_context.stop()
    return made


def per_format(made: dict[str, list[Path]], repeat: int) -> list[str]:
    vocab = Vocabulary.load()
    rows = ["| format | file | median read + extract |", "|---|---|---:|"]
    for suffix, paths in made.items():
        path = paths[0]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            load_lists(path, vocab=vocab)
            times.append(time.perf_counter() - start)
        rows.append(f"| {suffix} | {path.name} | {statistics.median(times) * 1000:.0f} ms |")
    return rows


def whole_folder(files: list[Path], jobs: list[int]) -> list[str]:
    rows = ["| jobs | files | lists | seconds | files/s |", "|---:|---:|---:|---:|---:|"]
    for n in [1, *jobs]:
        start = time.perf_counter()
        outcomes = list(parse_files(files, jobs=n))
        seconds = time.perf_counter() - start
        lists = sum(len(o.lists) for o in outcomes)
        failed = [o.error for o in outcomes if not o.ok]
        if failed:
            raise SystemExit(f"a file failed: {failed[0]}")
        rows.append(
            f"| {n} | {len(files)} | {lists} | {seconds:.1f} | {len(files) / seconds:.1f} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of each list and format")
    parser.add_argument("--jobs", type=int, nargs="*", default=[2], help="process counts to time")
    parser.add_argument("--repeat", type=int, default=3, help="runs per format (median)")
    parser.add_argument("--pdf", action="store_true", help="also PDFs printed by Chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        made = build_folder(Path(tmp), args.copies, pdf=args.pdf)
        files = sorted(p for paths in made.values() for p in paths)
        print(
            f"{platform.machine()}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores; {len(ALL_LISTS)} lists × {len(made)} formats × "
            f"{args.copies} copies\n"
        )
        print("\n".join(per_format(made, args.repeat)))
        print()
        print("\n".join(whole_folder(files, args.jobs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
