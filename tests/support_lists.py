"""Fixtures for the reference list and small hand-written lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutygraph.pipeline import load_list
from dutygraph.store import Store
from dutygraph.tables import ListTables

__all__ = ["HEADER", "REFERENCE_LIST", "reference_store", "reference_tables", "write_list"]

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_LIST = ROOT / "data" / "000_5b382267ef9e6b6d.txt"
HEADER = "序号\t事项名称\t对应上级部门\t上级部门职责 (含提供的履职保障)\t苏木乡镇(街道) 配合职责"


@pytest.fixture(scope="session")
def reference_tables() -> ListTables:
    """The reference list (卜尔汉图镇), loaded once, handoffs included."""
    return load_list(REFERENCE_LIST)


@pytest.fixture(scope="session")
def reference_store(
    tmp_path_factory: pytest.TempPathFactory, reference_tables: ListTables
) -> Store:
    """A store holding only the reference list (read-only for tests)."""
    store = Store(tmp_path_factory.mktemp("reference") / "dutygraph.db")
    store.save_list(reference_tables)
    return store


def write_list(
    path: Path,
    rows: list[str],
    *,
    title: str = "测试镇配合履职事项清单",
    header: str = HEADER,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """Write a small duty list in the text format (rows are tab-joined lines)."""
    text = newline.join([title, "", header, *rows, "注：测试用。"]) + newline
    path.write_bytes(text.encode(encoding))
    return path
