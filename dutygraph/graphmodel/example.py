"""The tiny example list the docstrings and tests build graphs from (``example_list.json``).

示例镇 reports recruits to 区人民武装部, which feeds the results back (a closed loop, matter 1);
files cemetery applications up to 区民政局 and hears nothing back (a feedback gap, matter 2);
escalates refusals to 区住房和城乡建设局, which escalates them on to 市住房和城乡建设局 (an
escalation chain, matter 3). The rows are data, not code: edit the JSON file to change them.
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

__all__ = ["example_tables"]


def example_tables() -> dict[str, pd.DataFrame]:
    """The example list's tidy tables, one DataFrame per table name (a fresh copy each call).

    Examples
    --------
    >>> sorted(example_tables())[:3]
    ['categories', 'departments', 'duties']
    >>> example_tables()["matters"]["name"].tolist()
    ['征兵工作', '农村公益性墓地申报审批', '大跨度结构建筑安全排查']
    """
    text = resources.files(__package__).joinpath("example_list.json").read_text(encoding="utf-8")
    return {name: pd.DataFrame(rows) for name, rows in json.loads(text).items()}
