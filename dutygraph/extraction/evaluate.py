"""Scoring extracted handoffs against a hand-annotated gold standard.

The grain is (matter, src, dst, type), as in ``tests/fixtures/handoffs_gold.csv``; a gold file
may also carry a ``list`` column (a town name or list id) when it covers several lists.

>>> import pandas as pd
>>> gold = pd.DataFrame({"matter": [1, 1], "src": ["镇", "局"], "dst": ["局", "镇"],
...                      "type": ["reports_to", "feeds_back_to"]})
>>> predicted = gold.iloc[:1]
>>> score_handoffs(predicted, gold).set_index("type").loc["all", ["precision", "recall"]].tolist()
[1.0, 0.5]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..errors import DutygraphError
from ..i18n import gettext as _
from ..names import ListNames
from ..tables import HANDOFF_TYPES
from ..vocabulary import Vocabulary

__all__ = [
    "EVALUATION_TABLES",
    "SCORE_COLUMNS",
    "Evaluation",
    "align_gold",
    "evaluate_extraction",
    "edge_differences",
    "feedback_gaps",
    "read_gold",
    "score_feedback_gaps",
    "score_handoffs",
]

SCORE_COLUMNS = ["type", "gold", "predicted", "true_positives", "precision", "recall", "f1"]
_GRAIN = ["matter", "src", "dst", "type"]


def _keys(frame: pd.DataFrame, with_list: bool) -> set[tuple]:
    cols = (["list"] if with_list else []) + _GRAIN
    return set(frame[cols].astype(str).itertuples(index=False, name=None))


def score_handoffs(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 per handoff type and overall, at the grain (matter, src, dst, type).

    Both frames need the columns matter, src, dst, type (and ``list`` in both, or in neither).
    """
    with_list = "list" in gold.columns and "list" in predicted.columns
    gold_keys, pred_keys = _keys(gold, with_list), _keys(predicted, with_list)
    rows = []
    for kind in [*HANDOFF_TYPES, "all"]:
        g = {k for k in gold_keys if kind == "all" or k[-1] == kind}
        p = {k for k in pred_keys if kind == "all" or k[-1] == kind}
        tp = len(g & p)
        precision = tp / len(p) if p else (1.0 if not g else 0.0)
        recall = tp / len(g) if g else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append([kind, len(g), len(p), tp, round(precision, 3), round(recall, 3), round(f1, 3)])
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def edge_differences(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The edges on one side only: ``side`` is 'missed' (gold only) or 'extra' (predicted only)."""
    with_list = "list" in gold.columns and "list" in predicted.columns
    cols = (["list"] if with_list else []) + _GRAIN
    gold_keys, pred_keys = _keys(gold, with_list), _keys(predicted, with_list)
    rows = [("missed", *k) for k in sorted(gold_keys - pred_keys)]
    rows += [("extra", *k) for k in sorted(pred_keys - gold_keys)]
    return pd.DataFrame(rows, columns=["side", *cols])


def gold_matter_numbers(gold: pd.DataFrame, matters: pd.DataFrame) -> pd.DataFrame:
    """A gold file whose ``matter`` column names matters (事项名称) rather than numbering them,
    with the names replaced by their 序号 from ``matters`` (the store's matters table).

    Names that match no matter are kept as written, so they count as missed edges.
    """
    numeric = pd.to_numeric(gold["matter"], errors="coerce")
    if numeric.notna().all():
        return gold.assign(matter=numeric.astype(int))
    by_name = dict(zip(matters["name"].astype(str), matters["number"], strict=True))
    return gold.assign(
        matter=[
            by_name.get(str(m), m) if pd.isna(n) else int(n)
            for m, n in zip(gold["matter"], numeric, strict=True)
        ]
    )


def feedback_gaps(edges: pd.DataFrame, towns: dict[str, str]) -> set[tuple[str, ...]]:
    """(list, matter, department) where the town hands the department something (reports_to,
    escalates_to) and the department feeds nothing back to the town in that matter.

    ``edges`` has the columns list, matter, src, dst, type; ``towns`` maps a list to its town.
    """
    rows = edges[["list", "matter", "src", "dst", "type"]].astype(str).itertuples(index=False)
    up: set[tuple[str, ...]] = set()
    back: set[tuple[str, ...]] = set()
    for lst, matter, src, dst, kind in rows:
        town = towns.get(lst)
        if src == town and kind in ("reports_to", "escalates_to"):
            up.add((lst, matter, dst))
        if dst == town and kind == "feeds_back_to":
            back.add((lst, matter, src))
    return up - back


def score_feedback_gaps(
    predicted: pd.DataFrame, gold: pd.DataFrame, towns: dict[str, str]
) -> pd.DataFrame:
    """One row of :data:`SCORE_COLUMNS` (type ``feedback-gaps``): how well the feedback-gap
    answer computed from the predicted edges matches the one computed from gold."""
    g, p = feedback_gaps(gold, towns), feedback_gaps(predicted, towns)
    tp = len(g & p)
    precision = tp / len(p) if p else (1.0 if not g else 0.0)
    recall = tp / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    row = ["feedback-gaps", len(g), len(p), tp, round(precision, 3), round(recall, 3), round(f1, 3)]
    return pd.DataFrame([row], columns=SCORE_COLUMNS)


def align_gold(
    gold: pd.DataFrame,
    lists: pd.DataFrame,
    matters: pd.DataFrame,
    matter_departments: pd.DataFrame,
    duties: pd.DataFrame,
    vocab: Vocabulary,
) -> pd.DataFrame:
    """A gold file made comparable with the store's handoffs, with a ``list`` column holding
    list ids: its ``list`` values (a town as the annotator wrote it, 白河镇 for the store's
    丹阳县白河镇, or a list id) matched to the store's lists; its matters numbered; its names
    resolved through the list's own name resolver (short forms, 区政府/区人民政府), the town's
    name to the store's. Rows of lists the store does not hold are dropped.

    Raises DutygraphError when a gold file without a ``list`` column meets several lists.
    """
    gold = gold.copy()
    towns = dict(zip(lists["list_id"], lists["town"].astype(str), strict=True))
    if "list" in gold.columns:
        gold["list"] = gold["list"].astype(str).map(lambda name: _list_of(name, towns))
        gold = gold[gold["list"].notna()]
    elif len(towns) == 1:
        gold["list"] = next(iter(towns))
    else:
        raise DutygraphError(
            _(
                "the gold file has no list column, and the store holds several lists: "
                "choose one with --list"
            )
        )
    parts = []
    for list_id, part in gold.groupby("list", sort=False):
        part = gold_matter_numbers(part, matters[matters["list_id"] == list_id])
        names = ListNames(
            vocab.departments,
            matter_departments.loc[matter_departments["list_id"] == list_id, "raw_name"],
            " ".join(
                [
                    *duties.loc[duties["list_id"] == list_id, "text"].astype(str),
                    *duties.loc[duties["list_id"] == list_id, "heading"].astype(str),
                ]
            ),
        )
        town = towns[str(list_id)]
        for column in ("src", "dst"):
            part[column] = [_actor_name(str(n), town, names, vocab) for n in part[column]]
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else gold.iloc[0:0]


def _list_of(name: str, towns: dict[str, str]) -> str | None:
    """The list id a gold ``list`` value names: a list id, a town, or a town without its
    county prefix; None when it names none (or several)."""
    if name in towns:
        return name
    found = [i for i, t in towns.items() if name in (t, i) or t.endswith(name) or name.endswith(t)]
    return found[0] if len(found) == 1 else None


def _actor_name(name: str, town: str, names: ListNames, vocab: Vocabulary) -> str:
    actors = vocab.handoff_rules["actors"]
    if name == town or town.endswith(name) or name in actors["town"]:
        return town
    if name in actors["village"]:
        return str(actors["village_name"])
    return names.resolve(name)


def read_gold(path: str) -> pd.DataFrame:
    """A gold CSV as a DataFrame, or one ``InputFileError`` line saying what is wrong with it
    (empty, not UTF-8 text, not CSV, a column missing)."""
    import io

    from .. import messages as msg
    from ..errors import InputFileError
    from ..safe_io import read_input

    data = read_input(path, what="标注文件")
    columns = ",".join(_GRAIN)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputFileError(
            msg.GOLD_ENCODING.format(path=path, line=line, byte=err.start)
        ) from err
    if not text.strip():
        raise InputFileError(msg.GOLD_EMPTY.format(path=path, columns=columns))
    try:
        gold = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        detail = str(err).strip().splitlines()[0]
        raise InputFileError(msg.GOLD_PARSE.format(path=path, detail=detail)) from err
    missing = [c for c in _GRAIN if c not in gold.columns]
    if missing:
        raise InputFileError(
            msg.GOLD_COLUMNS.format(path=path, missing=",".join(missing), columns=columns)
        )
    return gold


#: The tables :func:`evaluate_extraction` reads (a store's, or one list's ``ListTables``).
EVALUATION_TABLES = ("lists", "matters", "matter_departments", "duties", "handoffs")


@dataclass(frozen=True)
class Evaluation:
    """Extracted handoffs scored against gold."""

    #: :data:`SCORE_COLUMNS`: one row per handoff type, ``all``, then ``feedback-gaps``
    scores: pd.DataFrame
    #: the edges gold has and extraction missed, and the extra ones (``edge_differences``)
    differences: pd.DataFrame


def evaluate_extraction(
    gold: pd.DataFrame, tables: Mapping[str, pd.DataFrame], vocab: Vocabulary
) -> Evaluation:
    """Score the handoffs of ``tables`` (keyed by :data:`EVALUATION_TABLES`) against ``gold``
    (as :func:`read_gold` reads it): gold aligned to the lists (:func:`align_gold`), only the
    lists gold covers scored, precision, recall and F1 per type and for the feedback gaps.
    """
    lists = tables["lists"]
    aligned = align_gold(
        gold, lists, tables["matters"], tables["matter_departments"], tables["duties"], vocab
    )
    predicted = tables["handoffs"]
    predicted = predicted[predicted["list_id"].isin(set(aligned["list"]))]
    predicted = predicted.assign(list=predicted["list_id"])
    towns = dict(zip(lists["list_id"], lists["town"].astype(str), strict=True))
    scores = pd.concat(
        [score_handoffs(predicted, aligned), score_feedback_gaps(predicted, aligned, towns)],
        ignore_index=True,
    )
    return Evaluation(scores, edge_differences(predicted, aligned))
