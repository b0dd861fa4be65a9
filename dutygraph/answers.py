"""Kept answers: the report questions' answers, computed once per town and kept in the store.

Every question of the workbook and the report (``export.report_questions``) answers each list
from that list's rows and those of the other lists of its town (``support-gaps`` reads the
town's 收回 list): its rows for a list are the same whichever other towns are in the graph,
and every answer is sorted by ``list_id`` first. So an answer for many lists is each list's
rows, in list_id order, and those rows can be kept. ``load`` computes them for the lists it
loaded (``keep_answers``, in worker processes) and keeps them in the store's ``answers`` table;
``answers`` reads them back for the whole store or any selection, and builds the graph only for
the lists whose answers are not kept. A kept answer is dropped when anything it was computed
from changes (store triggers: the rows of a list of its town, a correction, a department's
level) and is not read when it was computed by other code (``code_fingerprint``). Questions
asked with other options than the defaults are computed, never kept.

At a province's 1,500 lists a question then reads its kept rows instead of building a graph of
a million edges (bench/scale.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store

__all__ = ["VARIANTS", "answers", "code_fingerprint", "keep_answers", "kept_key", "kept_questions"]

_PACKAGE = Path(__file__).resolve().parent
#: Joins the list ids of a town's group in the ``grp`` column.
_GROUP_SEP = "\x1f"
#: The files whose content an answer depends on (the code and the vocabularies).
_CODE_SUFFIXES = (".py", ".yaml", ".csv")
#: Lists a worker answers at once when keeping answers (one graph build per chunk).
_CHUNK = 50


@cache
def code_fingerprint() -> str:
    """A digest of the package's code and vocabularies: answers kept by other code are not read."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: Answers kept besides the report questions' (with their defaults): key -> (question, the
#: options that differ from its defaults). The closed loops: ``compare`` counts them per town.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "feedback-gaps --closed": ("feedback-gaps", {"closed": True}),
}


def kept_questions() -> list[str]:
    """The keys of the answers kept: the questions the workbook and the report answer (their
    names), then the :data:`VARIANTS`."""
    from .queries import QUESTIONS

    return [q.name for q in QUESTIONS.values() if q.in_reports] + list(VARIANTS)


def kept_key(question: str, options: dict[str, Any]) -> str | None:
    """The key under which a question asked with these options (all of them, as the CLI passes
    them) is kept, or None when it is not."""
    from .queries import QUESTIONS

    record = QUESTIONS[question]
    defaults = record.defaults()
    if record.in_reports and options == defaults:
        return question
    for key, (name, given) in VARIANTS.items():
        if name == question and options == {**defaults, **given}:
            return key
    return None


def _asked(key: str) -> tuple[str, dict[str, Any]]:
    """A kept answer's question and the options it is asked with."""
    return VARIANTS.get(key, (key, {}))


def town_groups(store: Store) -> dict[str, list[str]]:
    """Each list id -> the ids of its town's lists in the store (itself included), sorted."""
    by_town: dict[str, list[str]] = {}
    for list_id, town in store.list_towns():
        by_town.setdefault(town or "", []).append(list_id)
    return {list_id: sorted(ids) for ids in by_town.values() for list_id in ids}


def answers(
    store: Store, list_ids: Sequence[str] | None = None, questions: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Each question's answer (default options) for these lists (None: all): the kept rows where
    the store has them, computed on the graph of the other lists only.

    The same frames as answering on ``build_graph(store, list_ids)`` (tests/test_kept_answers.py).
    """
    names = kept_questions() if questions is None else list(questions)
    groups = town_groups(store)
    ids = sorted(groups) if list_ids is None else sorted(set(list_ids))
    chosen = set(ids)
    whole = [i for i in ids if set(groups.get(i, [i])) <= chosen]
    rows: dict[tuple[str, str], list[list[Any]]] = {}
    if whole:
        code = code_fingerprint()
        asked = None if len(whole) == len(groups) else whole
        wanted = set(whole)
        for question, list_id, grp, kept in store.kept_answers(names, asked, code):
            if list_id in wanted and grp == _GROUP_SEP.join(groups[list_id]):
                rows[(question, list_id)] = json.loads(kept)
    missing = {i for i in ids if any((q, i) not in rows for q in names)}
    if missing:
        closure = sorted({m for i in missing for m in groups.get(i, [i]) if m in chosen})
        for question, frame in compute(store, closure, names).items():
            for list_id, part in split_by_list(frame).items():
                rows[(question, list_id)] = part
            for list_id in closure:
                rows.setdefault((question, list_id), [])
    return {name: _frame(name, [r for i in ids for r in rows[(name, i)]]) for name in names}


def compute(store: Store, list_ids: Sequence[str], questions: Sequence[str]) -> dict[str, Any]:
    """The questions answered on the graph of these lists (what ``dutygraph query`` did)."""
    from .graphmodel.build import build_graph
    from .queries import QUESTIONS, tables_for

    graph = build_graph(store, list_ids, tables=tables_for({_asked(k)[0] for k in questions}))
    answered = {}
    for key in questions:
        name, options = _asked(key)
        answered[key] = QUESTIONS[name].answer(graph, **options)
    return answered


def split_by_list(frame: pd.DataFrame) -> dict[str, list[list[Any]]]:
    """An answer's rows (plain Python values), by list_id, in the answer's order."""
    out: dict[str, list[list[Any]]] = {}
    if frame.empty:
        return out
    at = list(frame.columns).index("list_id")
    for row in frame.to_dict("split")["data"]:
        out.setdefault(row[at], []).append(row)
    return out


def _frame(name: str, rows: list[list[Any]]) -> pd.DataFrame:
    """Rows as the question's frame, built as ``queries.result_frame`` builds it."""
    import pandas as pd

    from .queries import QUESTION_COLUMNS

    columns = list(QUESTION_COLUMNS[_asked(name)[0]])
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return pd.DataFrame(rows, columns=columns)


def keep_answers(store: Store, list_ids: Sequence[str], *, jobs: int = 1) -> int:
    """Compute and keep the answers of the towns of these lists (every list of those towns), in
    ``jobs`` worker processes. Returns how many lists' answers were kept."""
    groups = town_groups(store)
    towns = sorted({_GROUP_SEP.join(groups[i]) for i in list_ids if i in groups})
    chunks: list[list[str]] = []
    for town in towns:
        if not chunks or len(chunks[-1]) >= _CHUNK:
            chunks.append([])
        chunks[-1].extend(town.split(_GROUP_SEP))
    work = partial(_answer_rows, str(store.path), kept_questions(), code_fingerprint())
    if jobs <= 1 or len(chunks) <= 1:
        results: Iterable[list[tuple[str, str, str, str, str]]] = map(work, chunks)
        store.save_answers(row for rows in results for row in rows)
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
            results = pool.map(work, chunks)
            store.save_answers(row for rows in results for row in rows)
    return sum(len(chunk) for chunk in chunks)


def _answer_rows(
    store_path: str, questions: list[str], code: str, list_ids: list[str]
) -> list[tuple[str, str, str, str, str]]:
    """(question, list_id, group, code, rows) of these lists (whole towns), from the store."""
    from .store import Store

    store = Store(store_path)
    groups = town_groups(store)
    out = []
    for question, frame in compute(store, list_ids, questions).items():
        parts = split_by_list(frame)
        for list_id in list_ids:
            grp = _GROUP_SEP.join(groups.get(list_id, [list_id]))
            text = json.dumps(parts.get(list_id, []), ensure_ascii=False)
            out.append((question, list_id, grp, code, text))
    return out
