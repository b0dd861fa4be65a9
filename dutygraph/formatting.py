"""Rendering DataFrames for the terminal: CSV, JSON and a table aligned for Chinese text.

Only the CLI uses this module; library functions return DataFrames and never format.

>>> import pandas as pd
>>> print(render(pd.DataFrame({"number": [1], "name": ["征兵工作"]}), "table",
...              headings={"number": "序号", "name": "事项名称"}))
序号  事项名称
----  --------
1     征兵工作
"""

from __future__ import annotations

import io
import json
import unicodedata

import pandas as pd

__all__ = ["FORMATS", "HEADINGS", "display_width", "render"]

FORMATS = ("table", "csv", "json")

#: Chinese headings for table output; CSV and JSON keep the stable English column names.
HEADINGS: dict[str, str] = {
    "list_id": "清单",
    "town": "乡镇",
    "kind": "类型",
    "version": "版本",
    "title": "标题",
    "source_file": "来源文件",
    "source_sha256": "SHA256",
    "loaded_at": "载入时间",
    "matters": "事项数",
    "category": "类别",
    "category_id": "类别编号",
    "position": "顺序",
    "stated_count": "标注项数",
    "found_count": "实有项数",
    "number": "序号",
    "name": "名称",
    "matter": "事项",
    "matter_name": "事项名称",
    "matter_id": "事项编号",
    "department": "部门",
    "departments": "部门",
    "raw_name": "原文名称",
    "level": "层级",
    "in_vocabulary": "词表收录",
    "owner": "履职主体",
    "owner_kind": "主体类型",
    "text": "内容",
    "kinds": "保障类型",
    "src": "发出方",
    "dst": "接收方",
    "src_kind": "发出方类型",
    "dst_kind": "接收方类型",
    "type": "类型",
    "evidence": "依据原文",
    "implicit": "隐含",
    "rule": "规则",
    "duty_id": "职责编号",
    "handoff_id": "交接编号",
    "start": "起",
    "end": "止",
    "severity": "级别",
    "code": "代码",
    "where": "位置",
    "message": "说明",
    "chain": "链条",
    "hops": "跳数",
    "types": "边类型",
    "handoffs": "交接数",
    "matter_list": "事项清单",
    "duties": "职责数",
    "reason": "原因",
    "gold": "标注",
    "predicted": "抽取",
    "true_positives": "命中",
    "precision": "精确率",
    "recall": "召回率",
    "f1": "F1",
    "side": "差异",
    "note": "附注",
    "heading": "标题",
    "status": "复核状态",
    "reviewer": "复核人",
    "reviewed_at": "复核时间",
    "review_note": "复核备注",
    "was": "原抽取",
    "decision": "判断",
    "extracted": "机器抽取",
    "reviewed": "已复核",
    "confirmed": "已确认",
    "corrected": "已改正",
    "rejected": "已否决",
    "added": "人工添加",
    "unreviewed": "未复核",
    "unapplied": "未套用",
    "unresolved": "未解析条款",
    "rests_on_unreviewed": "依赖未复核交接",
}


def display_width(text: str) -> int:
    """Terminal columns a string takes: East Asian wide and fullwidth characters take two.

    >>> display_width("区民政局"), display_width("abc")
    (8, 3)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _cell(value: object, max_width: int | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if max_width is not None and display_width(text) > max_width:
        out, used = [], 0
        for ch in text:
            w = display_width(ch)
            if used + w > max_width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text


def render(
    frame: pd.DataFrame,
    fmt: str = "table",
    *,
    headings: dict[str, str] | None = None,
    max_width: int | None = 60,
) -> str:
    """Render ``frame`` as ``table`` (aligned, Chinese headings), ``csv`` or ``json``."""
    if fmt == "csv":
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().rstrip("\n")
    if fmt == "json":
        records = [
            {k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    names = headings if headings is not None else HEADINGS
    head = [names.get(str(c), str(c)) for c in frame.columns]
    body = [[_cell(v, max_width) for v in row] for row in frame.itertuples(index=False, name=None)]
    widths = [display_width(h) for h in head]
    for row in body:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body
    ]
    return "\n".join(lines)


def _json_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value
