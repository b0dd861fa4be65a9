"""Which answers rest on handoffs no analyst has reviewed (the report flags them).

An answer row rests on the handoffs of its list, in its matters (``matter`` or
``matter_list``; every matter when it names none), between the actors it names: the
consecutive actors of a ``chain`` (either direction), else those touching its ``department``,
else every handoff of those matters.

>>> import pandas as pd
>>> handoffs = pd.DataFrame({"list_id": ["L", "L"], "matter": [3, 3], "src": ["镇", "区民政局"],
...     "dst": ["区民政局", "镇"], "status": ["confirmed", "machine"]})
>>> answer = pd.DataFrame({"list_id": ["L"], "chain": ["镇 -> 区民政局"], "matter": [3]})
>>> unreviewed_support(answer, handoffs).tolist()
[1]
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd

from ..queries import CHAIN_SEP, LIST_SEP
from ..values import plain

__all__ = ["unreviewed_support"]


def unreviewed_support(answer: pd.DataFrame, handoffs: pd.DataFrame) -> pd.Series:
    """Per answer row, how many of the handoffs it rests on are unreviewed (机器抽取).

    ``handoffs`` are the reviewed handoffs (``review.reviewed_handoffs``) of the same lists.
    The unreviewed ones are indexed once by list and matter, so each row looks only at its own
    matters' edges: linear in the rows and the handoffs (a province's answers have 100,000 rows).
    """
    machine = handoffs[handoffs["status"] == "machine"]
    by_list: dict[Any, dict[int, list[tuple[Any, Any]]]] = {}
    for list_id, matter, src, dst in zip(
        machine["list_id"], machine["matter"], machine["src"], machine["dst"], strict=True
    ):
        by_list.setdefault(list_id, {}).setdefault(int(matter), []).append((src, dst))
    counts = [_count(row, by_list) for row in answer.to_dict("records")]
    return pd.Series(counts, index=answer.index, dtype=int)


def _count(row: dict[str, Any], by_list: dict[Any, dict[int, list[tuple[Any, Any]]]]) -> int:
    by_matter = by_list.get(row.get("list_id"))
    if not by_matter:
        return 0
    matters = _matters(row)
    chosen = by_matter.values() if matters is None else (by_matter.get(m, []) for m in matters)
    edges = [edge for group in chosen for edge in group]
    if row.get("chain"):
        names = str(row["chain"]).split(CHAIN_SEP)
        pairs = set(pairwise(names))
        pairs |= {(b, a) for a, b in pairs}
        return sum(edge in pairs for edge in edges)
    if row.get("department"):
        department = row["department"]
        return sum(src == department or dst == department for src, dst in edges)
    return len(edges)


def _matters(row: dict[str, Any]) -> set[int] | None:
    if plain(row.get("matter")) is not None:
        return {int(row["matter"])}
    if row.get("matter_list"):
        return {int(n) for n in str(row["matter_list"]).split(LIST_SEP) if n.strip()}
    return None
