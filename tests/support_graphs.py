"""Hand-built duty lists as tidy tables, for the graph and query tests.

``ListBuilder`` writes the tables of one list a matter at a time, naming actors by name;
``two_town_tables`` is the store most query tests ask of: two towns, one list each, with a
closed loop, feedback gaps, a chain of three hops, a town reporting to two departments, a
cycle between two departments, and one department (区住房和城乡建设局) in both lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from dutygraph.graphmodel.build import graph_from_tables
from dutygraph.graphmodel.schema import VILLAGE_NAME
from dutygraph.store import Store
from dutygraph.tables import LIST_TABLES, TABLE_COLUMNS, ListTables

__all__ = [
    "ListBuilder",
    "jia_town",
    "merge_tables",
    "two_town_graph",
    "two_town_store",
    "two_town_tables",
    "yi_town",
]

_LEVELS = (("自治区", "省"), ("区", "区"), ("市", "市"))


def _level(department: str) -> str:
    return next((level for prefix, level in _LEVELS if department.startswith(prefix)), "其他")


class ListBuilder:
    """The tables of one hand-made list. Actors are named: the town by its name, the level below
    it by ``VILLAGE_NAME``, anything else is a department."""

    def __init__(
        self,
        town: str,
        kind: str = "配合",
        *,
        version: str = "",
        district: str = "",
        city: str = "",
        province: str = "",
    ) -> None:
        self.town = town
        self.list_id = ":".join(p for p in (f"{district}{town}", kind, version) if p)
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: [] for name in (*LIST_TABLES, "departments")
        }
        self.rows["lists"].append(
            {
                "list_id": self.list_id,
                "town": town,
                "province": province,
                "city": city,
                "district": district,
                "kind": kind,
                "version": version,
                "title": f"{town}{kind}履职事项清单",
                "source_file": f"{town}.txt",
                "matters": 0,
            }
        )
        self._duty_counts: dict[tuple[int, str], int] = {}
        self._handoff_counts: dict[str, int] = {}

    def matter_id(self, number: int) -> str:
        return f"{self.list_id}#{number}"

    def matter(
        self,
        number: int,
        name: str,
        departments: Iterable[str],
        *,
        category: str = "社会管理",
        town_duties: int = 1,
        kinds: str = "guidance",
    ) -> ListBuilder:
        """A matter led by ``departments``, with ``town_duties`` town duties and one guarantee."""
        categories = self.rows["categories"]
        known = {c["name"]: c for c in categories}
        if category not in known:
            position = len(categories) + 1
            categories.append(
                {
                    "list_id": self.list_id,
                    "category_id": f"{self.list_id}/c{position}",
                    "position": position,
                    "name": category,
                    "stated_count": None,
                }
            )
            known[category] = categories[-1]
        matter_id = self.matter_id(number)
        self.rows["matters"].append(
            {
                "list_id": self.list_id,
                "matter_id": matter_id,
                "number": number,
                "name": name,
                "category_id": known[category]["category_id"],
                "category": category,
                "source": f"line {number + 3}",
            }
        )
        self.rows["lists"][0]["matters"] += 1
        for position, department in enumerate(departments, start=1):
            self.rows["matter_departments"].append(
                {
                    "list_id": self.list_id,
                    "matter_id": matter_id,
                    "matter": number,
                    "position": position,
                    "department": department,
                    "raw_name": department,
                }
            )
        for _ in range(town_duties):
            self.duty(
                number, self.town, f"镇配合职责{self._duty_counts.get((number, self.town), 0) + 1}"
            )
        self.rows["guarantees"].append(
            {
                "list_id": self.list_id,
                "guarantee_id": f"{matter_id}/g",
                "matter_id": matter_id,
                "matter": number,
                "text": f"履职保障：{kinds}",
                "kinds": kinds,
            }
        )
        return self

    def duty(self, number: int, owner: str, text: str) -> str:
        """Add a duty of ``owner`` (the town or a department); returns its duty_id."""
        count = self._duty_counts.get((number, owner), 0) + 1
        self._duty_counts[(number, owner)] = count
        is_town = owner == self.town
        code = "t" if is_town else f"d.{owner}"
        duty_id = f"{self.matter_id(number)}/{code}.{count}"
        self.rows["duties"].append(
            {
                "list_id": self.list_id,
                "duty_id": duty_id,
                "matter_id": self.matter_id(number),
                "matter": number,
                "owner": owner,
                "owner_kind": "town" if is_town else "department",
                "heading": "" if is_town else owner,
                "number": count,
                "text": text,
            }
        )
        return duty_id

    def handoff(
        self,
        number: int,
        src: str,
        dst: str,
        kind: str,
        evidence: str | None = None,
        *,
        in_duty_of: str | None = None,
    ) -> ListBuilder:
        """A handoff src -> dst in matter ``number``, proved by a new duty of ``in_duty_of``
        (default: src) whose whole text is the evidence."""
        evidence = evidence or f"{src}{kind}{dst}"
        owner = in_duty_of or src
        if owner == VILLAGE_NAME:
            owner = self.town
        duty_id = self.duty(number, owner, evidence)
        count = self._handoff_counts.get(duty_id, 0) + 1
        self._handoff_counts[duty_id] = count
        self.rows["handoffs"].append(
            {
                "list_id": self.list_id,
                "handoff_id": f"{duty_id}/h{count}",
                "matter_id": self.matter_id(number),
                "matter": number,
                "src": src,
                "src_kind": self._kind(src),
                "dst": dst,
                "dst_kind": self._kind(dst),
                "type": kind,
                "evidence": evidence,
                "duty_id": duty_id,
                "start": 0,
                "end": len(evidence),
                "implicit": 0,
                "rule": "hand-made",
            }
        )
        return self

    def _kind(self, actor: str) -> str:
        if actor == self.town:
            return "town"
        return "village" if actor == VILLAGE_NAME else "department"

    def departments(self) -> list[str]:
        names = [r["department"] for r in self.rows["matter_departments"]]
        names += [r["owner"] for r in self.rows["duties"] if r["owner_kind"] == "department"]
        for r in self.rows["handoffs"]:
            names += [r[e] for e in ("src", "dst") if r[f"{e}_kind"] == "department"]
        return list(dict.fromkeys(names))

    def tables(self) -> dict[str, pd.DataFrame]:
        frames = {
            name: pd.DataFrame(rows, columns=list(TABLE_COLUMNS[name]))
            for name, rows in self.rows.items()
            if name != "departments"
        }
        frames["departments"] = pd.DataFrame(
            [{"name": d, "level": _level(d), "in_vocabulary": 1} for d in self.departments()],
            columns=list(TABLE_COLUMNS["departments"]),
        )
        return frames

    def list_tables(self) -> ListTables:
        return ListTables(**self.tables())


def merge_tables(*builders: ListBuilder) -> dict[str, pd.DataFrame]:
    """The tables of several lists, as one store holds them."""
    parts = [b.tables() for b in builders]
    merged = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}
    merged["departments"] = merged["departments"].drop_duplicates("name", ignore_index=True)
    return merged


def jia_town() -> ListBuilder:
    """甲镇: a closed loop (1), a gap (2), a chain of three hops (3), a town reporting to two
    departments (4), a cycle between two departments and a village reporting up (5)."""
    b = ListBuilder("甲镇")
    b.matter(1, "征兵工作", ["区人民武装部"], category="党的建设", town_duties=5, kinds="guidance")
    b.handoff(1, "甲镇", "区人民武装部", "reports_to", "择优选送上站体检对象，报区人民武装部")
    b.handoff(
        1,
        "甲镇",
        "区人民武装部",
        "reports_to",
        "根据街镇上报的上站体检对象名单",
        in_duty_of="区人民武装部",
    )
    b.handoff(1, "区人民武装部", "甲镇", "feeds_back_to", "将体检结果反馈街镇")

    b.matter(2, "农村公益性墓地申报审批", ["区民政局"], town_duties=0, kinds="training")
    b.handoff(2, "甲镇", "区民政局", "reports_to", "对相关材料进行初步审核并上报")

    b.matter(
        3,
        "大跨度结构建筑安全排查",
        ["区住房和城乡建设局", "市住房和城乡建设局"],
        category="安全生产",
        town_duties=1,
        kinds="training",
    )
    b.handoff(
        3, "甲镇", "区住房和城乡建设局", "escalates_to", "对拒不整改单位上报区住房和城乡建设局"
    )
    b.handoff(
        3,
        "甲镇",
        "区住房和城乡建设局",
        "reports_to",
        "对排查发现或街镇上报的",
        in_duty_of="区住房和城乡建设局",
    )
    b.handoff(
        3,
        "区住房和城乡建设局",
        "市住房和城乡建设局",
        "escalates_to",
        "对拒不整改的上报市住房和城乡建设局",
    )
    b.handoff(
        3, "市住房和城乡建设局", "自治区住房和城乡建设厅", "reports_to", "报自治区住房和城乡建设厅"
    )

    b.matter(
        4, "最低生活保障审核", ["区民政局", "区财政局"], town_duties=4, kinds="guidance,funding"
    )
    b.handoff(4, "甲镇", "区民政局", "reports_to", "将审核材料报区民政局")
    b.handoff(4, "甲镇", "区财政局", "reports_to", "将资金需求报区财政局")
    b.handoff(4, "区民政局", "市民政局", "reports_to", "报市民政局备案")
    b.handoff(4, "区民政局", "甲镇", "feeds_back_to", "将审批结果反馈街镇")

    b.matter(
        5,
        "森林草原防灭火",
        ["区应急管理局", "区林业和草原局"],
        category="安全生产",
        town_duties=4,
        kinds="guidance,training",
    )
    b.handoff(5, "区应急管理局", "甲镇", "assigns_to", "下达巡查任务")
    b.handoff(5, VILLAGE_NAME, "甲镇", "reports_to", "各村上报火情")
    b.handoff(5, "甲镇", "区应急管理局", "reports_to", "发现火情及时上报区应急管理局")
    b.handoff(5, "区应急管理局", "区林业和草原局", "reports_to", "将火情通报区林业和草原局")
    b.handoff(5, "区林业和草原局", "区应急管理局", "reports_to", "将处置情况报区应急管理局")
    b.handoff(5, "区林业和草原局", "市林业和草原局", "escalates_to", "无法处置的上报市林业和草原局")
    return b


def yi_town() -> ListBuilder:
    """乙镇: the recruits' list goes up with nothing back (1), a two-hop chain (2), and a
    matter whose upward edge must not extend matter 2's chain (3)."""
    b = ListBuilder("乙镇")
    b.matter(1, "征兵工作", ["区人民武装部"], category="党的建设", town_duties=2, kinds="guidance")
    b.handoff(1, "乙镇", "区人民武装部", "reports_to", "报区人民武装部")
    b.matter(
        2,
        "大跨度结构建筑安全排查",
        ["区住房和城乡建设局"],
        category="安全生产",
        town_duties=1,
        kinds="funding",
    )
    b.handoff(2, "乙镇", "区住房和城乡建设局", "escalates_to", "拒不整改的上报区住房和城乡建设局")
    b.handoff(
        2, "区住房和城乡建设局", "市住房和城乡建设局", "escalates_to", "上报市住房和城乡建设局"
    )
    b.matter(3, "既有建筑安全鉴定", ["市住房和城乡建设局"], category="安全生产", town_duties=1)
    b.handoff(
        3, "市住房和城乡建设局", "自治区住房和城乡建设厅", "reports_to", "报自治区住房和城乡建设厅"
    )
    return b


@pytest.fixture
def two_town_tables() -> dict[str, pd.DataFrame]:
    return merge_tables(jia_town(), yi_town())


@pytest.fixture
def two_town_graph(two_town_tables: dict[str, pd.DataFrame]) -> nx.MultiDiGraph:
    return graph_from_tables(two_town_tables)


@pytest.fixture
def two_town_store(tmp_path: Path) -> Path:
    """A store file holding 甲镇's and 乙镇's lists."""
    path = tmp_path / "two.db"
    Store(path).save_lists([jia_town().list_tables(), yi_town().list_tables()])
    return path
