"""One conversion of a table cell to a plain Python value, for every writer of values.

pandas hands out numpy scalars (``numpy.int64``, ``numpy.bool_``), its own missing markers
(``pd.NA``, ``pd.NaT``) and float NaN; JSON, Excel, GraphML, Bolt and Cypher literals want
``None``, ``bool``, ``int``, ``float`` and ``str``. Each writer first makes its value
``plain``, then does only what its format needs.

>>> import numpy as np
>>> import pandas as pd
>>> [plain(v) for v in (np.int64(3), np.bool_(True), np.float64("nan"), pd.NA, None, "镇")]
[3, True, None, None, None, '镇']
>>> type(plain(np.int64(3))).__name__
'int'
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["is_missing", "plain"]


def plain(value: Any) -> Any:
    """``value`` as a Python value: numpy scalars unwrapped (``.item()``), a missing value
    (None, NaN, ``pd.NA``, ``pd.NaT``) as None; anything else as it is (lists stay lists)."""
    if value is None or type(value) in (str, bytes, int, bool):
        return value
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (bytes, list, tuple, dict)):
        try:
            value = item()
        except (TypeError, ValueError):  # an array of several values: not a scalar
            return value
    return None if is_missing(value) else value


def is_missing(value: Any) -> bool:
    """True for None, a float NaN, ``pd.NA`` and ``pd.NaT`` (pandas' missing markers)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    kind = type(value).__name__
    return kind in ("NAType", "NaTType")
