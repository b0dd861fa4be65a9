"""Extraction: the tidy tables of a list -> its handoff edges, each with its verbatim evidence,
how it was found and the frame that typed it; and the handoff clauses it could not type.

Extraction works on tables, not on the graph: it sits between ``loaders/`` (documents -> tables)
and ``graphmodel/`` (tables -> graph). Its steps, one module each:

* :mod:`.clauses`   cut a duty into clauses, each with the context it needs;
* :mod:`.actors`    find the town, the villages and the departments a clause names;
* :mod:`.lexicon`   the handoff verbs and the words that block or qualify them;
* :mod:`.receivers` resolve a receiver the clause does not name;
* :mod:`.frames`    type an edge from its verb class, direction and levels (data in
  ``vocab/handoff_frames.yaml``);
* :mod:`.engine`    read each verb of each clause through these steps.

>>> from dutygraph.loaders import read_list
>>> edges = extract_handoffs(read_list("data/000_5b382267ef9e6b6d.txt"))
>>> sorted(set(edges.loc[edges.matter == 1, "type"]))
['feeds_back_to', 'reports_to']
"""

from __future__ import annotations

import pandas as pd

from ..tables import ListTables
from ..vocabulary import Vocabulary
from .engine import Extraction, Rule, extract

__all__ = ["Extraction", "Rule", "extract", "extract_handoffs"]


def extract_handoffs(tables: ListTables, *, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The handoffs every duty of a list states or implies, as the ``handoffs`` table."""
    return extract(tables, vocab=vocab).handoffs
