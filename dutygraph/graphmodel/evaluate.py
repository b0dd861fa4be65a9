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

import pandas as pd

from ..graphmodel.schema import HANDOFF_TYPES

__all__ = ["SCORE_COLUMNS", "edge_differences", "read_gold", "score_handoffs"]

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
