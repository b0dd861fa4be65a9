"""Chinese by default, English on request: the catalogue, the switch, and the same commands run
in both languages."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from dutygraph import i18n
from dutygraph.cli import cli
from dutygraph.graphmodel.schema import HANDOFF_TYPES
from dutygraph.queries import QUESTION_COLUMNS
from dutygraph.store import Store
from dutygraph.tables import TABLE_COLUMNS
from dutygraph.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "dutygraph" / "locale" / "zh_CN" / "LC_MESSAGES" / "dutygraph.po"
MO = PO.with_suffix(".mo")


def _catalog(mo_bytes: bytes) -> dict[object, str]:
    return gettext.GNUTranslations(io.BytesIO(mo_bytes))._catalog  # type: ignore[attr-defined]


def test_the_shipped_mo_is_the_po_compiled_now() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert _catalog(compiled.getvalue()) == _catalog(MO.read_bytes())


def test_every_message_of_the_sources_has_a_chinese_translation() -> None:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = []
    for filename, _, message, _, _ in extract_from_dir(
        str(ROOT / "dutygraph"), method_map, options_map
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        text = entry.string if entry is not None else ""
        if not (text[0] if isinstance(text, tuple) else text):
            untranslated.append(f"{filename}: {msgid!r}")
    assert untranslated == []


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8", "DUTYGRAPH_LANG": "zh_CN"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "DUTYGRAPH_LANG": "en"}, "en"),
        ({"LC_ALL": "POSIX", "LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_the_language_comes_from_dutygraph_lang_then_the_locale_else_chinese(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], language: str
) -> None:
    for variable in ("DUTYGRAPH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.current_language() == language


def test_every_column_has_a_heading_in_both_languages() -> None:
    columns = {c for cols in [*TABLE_COLUMNS.values(), *QUESTION_COLUMNS.values()] for c in cols}
    assert [c for c in sorted(columns) if i18n.heading(c, language="zh_CN") == c] == []
    assert [c for c in sorted(columns) if "_" in i18n.heading(c, language="en")] == []


@pytest.mark.parametrize("name", ["headings.csv", "labels.csv"])
def test_no_heading_or_label_is_written_twice(name: str) -> None:
    lines = (ROOT / "dutygraph" / "vocab" / name).read_text(encoding="utf-8").splitlines()
    keys = [",".join(line.split(",")[: 2 if name == "labels.csv" else 1]) for line in lines]
    keys = [key for key in keys if key and not key.startswith("#")]
    assert sorted({key for key in keys if keys.count(key) > 1}) == []


def test_every_handoff_type_and_guarantee_kind_has_a_chinese_label() -> None:
    kinds = Vocabulary.load().guarantee_kinds
    assert [i18n.label("type", t, "zh_CN") for t in HANDOFF_TYPES] == [
        "上报",
        "反馈",
        "提级上报",
        "交办下发",
        "平级移交",
    ]
    assert all(i18n.label("kinds", k, "zh_CN") != k for k in kinds)


def _run(args: list[str], language: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, env={"DUTYGRAPH_LANG": language})
    return result.exit_code, result.output


def test_help_reads_in_chinese_by_default_and_in_english_on_request() -> None:
    code_zh, zh = _run(["query", "escalations", "--help"], "zh_CN")
    code_en, en = _run(["query", "escalations", "--help"], "en")
    assert code_zh == code_en == 0
    assert zh.startswith("用法：") and "显示本帮助并退出。" in zh and "同一事项内" in zh
    assert en.startswith("Usage:") and "Show this message and exit." in en and "Chains" in en


def test_click_errors_read_in_both_languages() -> None:
    code_zh, zh = _run(["explain"], "zh_CN")
    code_en, en = _run(["explain"], "en")
    assert code_zh == code_en == 2
    assert "错误：缺少参数 'MATTER'" in zh and "explain --help' 查看帮助" in zh
    assert "Error: Missing argument 'MATTER'" in en


def test_library_errors_read_in_both_languages(tmp_path: Path) -> None:
    store = str(tmp_path / "none.db")
    assert "错误：" in _run(["lists", "--store", store], "zh_CN")[1]
    assert "Error: " in _run(["lists", "--store", store], "en")[1]


def test_a_table_has_chinese_headings_and_labels_or_english_ones(reference_store: Store) -> None:
    args = ["query", "escalations", "--store", str(reference_store.path)]
    zh, en = _run(args, "zh_CN")[1], _run(args, "en")[1]
    assert zh.splitlines()[0].split()[:3] == ["清单", "乡镇", "事项"]
    assert "上报+提级上报 -> 提级上报" in zh and "reports_to" not in zh
    assert en.splitlines()[0].split()[:3] == ["list", "town", "matter"]
    assert "reports to+escalates to -> escalates to" in en


def test_csv_and_json_keep_english_names_and_codes_in_both_languages(
    reference_store: Store,
) -> None:
    for fmt in ("csv", "json"):
        args = ["query", "escalations", "--store", str(reference_store.path), "--format", fmt]
        zh, en = _run(args, "zh_CN")[1], _run(args, "en")[1]
        assert zh == en
        assert "reports_to+escalates_to -> escalates_to" in zh


def test_load_speaks_the_language(tmp_path: Path) -> None:
    data = str(ROOT / "data" / "000_5b382267ef9e6b6d.txt")
    zh = _run(["load", data, "--store", str(tmp_path / "a.db"), "-q"], "zh_CN")[1]
    en = _run(["load", data, "--store", str(tmp_path / "b.db"), "-q"], "en")[1]
    assert zh.startswith("已载入 卜尔汉图镇:配合：11 类 69 个事项")
    assert en.startswith("loaded 卜尔汉图镇:配合: 69 matters in 11 categories")


@pytest.mark.parametrize(
    ("name", "content", "chinese", "english"),
    [
        ("empty.txt", b"", "empty.txt：应为履职事项清单；文件为空", "the file is empty"),
        (
            "nul.txt",
            b"abc\x00def",
            "nul.txt, 第 3 字节：应为文本文件；发现二进制数据",
            "(a NUL byte)",
        ),
        ("page.html", b"<html><p>no table</p></html>", "未找到表格", "found none"),
    ],
)
def test_a_file_that_is_not_a_list_is_named_in_the_users_language(
    tmp_path: Path, name: str, content: bytes, chinese: str, english: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    args = ["load", str(path), "--store", str(tmp_path / "s.db")]
    (code_zh, zh), (code_en, en) = _run(args, "zh_CN"), _run(args, "en")
    assert code_zh == code_en == 2
    assert chinese in zh and english not in zh
    assert english in en and name in en


def test_the_hardening_messages_read_in_both_languages(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(foreign) as connection:
        connection.execute("create table t (x)")
    args = ["lists", "--store", str(foreign)]
    (code_zh, zh), (code_en, en) = _run(args, "zh_CN"), _run(args, "en")
    assert code_zh == code_en != 0
    assert "这是其他程序的 SQLite 文件，不是 dutygraph 存储；未作任何改动" in zh
    assert "this is another program's SQLite file, not a dutygraph store" in en


def test_the_catalogue_has_no_string_outside_an_entry() -> None:
    """A merge once left a stale entry's lines without their msgid: Babel glued them to the
    entry above, and `viz --help` printed an English paragraph under the Chinese one."""
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    assert [b for b in blocks if b.lstrip().startswith('"')] == []


def test_every_plural_message_has_every_form_translated() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    half = [m.id for m in catalog if m.pluralizable and not all(m.string)]
    assert half == []


@pytest.mark.parametrize(
    ("args", "shown", "english"),
    [
        (["viz", "--help"], "多个乡镇时，matter N 每个乡镇画一栏", "VIEW is overview"),
        (["--help"], "逐条打印事项 MATTER", "Print matter"),
        (["--version"], "，版本 ", "version"),
        (["export", "--help"], "[必填]", "[required]"),
        (["export", "--help"], "./dutygraph.db 或 $DUTYGRAPH_STORE", " or $DUTYGRAPH_STORE"),
        (["export", "--help"], "选项：", "Options:"),
        (["load", "--jobs", "abc", "x"], "'abc' 不是有效的整数。", "integer range"),
        (["lists", "--format", "xml"], "不在可选值 'table', 'csv', 'json' 之中", "is not one of"),
        (["lint", "--di", "x"], "您是不是要用以下之一：", "Did you mean"),
        (["lists", "--store", "/"], "文件 '/' 是文件夹。", "File '/'"),
    ],
)
def test_click_and_help_fragments_read_in_chinese(
    args: list[str], shown: str, english: str
) -> None:
    _code, text = _run(args, "zh_CN")
    assert shown in text and english not in text


def test_click_fragments_stay_english_on_request() -> None:
    _code, text = _run(["load", "--jobs", "abc", "x"], "en")
    assert "'abc' is not a valid integer range." in text
    _code, text = _run(["export", "--help"], "en")
    assert "[required]" in text and "Options:" in text and "--store FILE" in text


def test_every_verb_class_and_reading_explain_shows_has_a_chinese_label() -> None:
    import yaml

    rules = yaml.safe_load((ROOT / "dutygraph" / "vocab" / "handoff_rules.yaml").read_text("utf-8"))
    unlabelled = [c for c in rules["verbs"] if i18n.label("verb_class", c, "zh_CN") == c]
    assert unlabelled == []
    readings = ["named", "toward", "to-owner", "attributive", "receive", "collect", "bare"]
    assert [r for r in readings if i18n.label("reading", r, "zh_CN") == r] == []


def test_an_option_taking_codes_shows_them_as_the_language_names_them() -> None:
    _code, zh = _run(["query", "escalations", "--help"], "zh_CN")
    _code, en = _run(["query", "escalations", "--help"], "en")
    assert "--kind 提级处置|逐级上报" in zh and "--kind enforcement|report" in en
