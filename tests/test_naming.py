"""One way to name things: every name form in every command that takes a department, a list
or a matter, and the same errors everywhere."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.errors import UnknownListError, UnknownNameError
from dutygraph.naming import resolve, resolve_all, resolve_matters
from dutygraph.pipeline import load_list
from dutygraph.selection import select_lists
from dutygraph.store import Store
from dutygraph.vocabulary import Vocabulary

HOUSING = "区住房和城乡建设局"
#: exact, alias, short form of the alias, unique part of the name
HOUSING_FORMS = ["区住房和城乡建设局", "区住建局", "住建局", "住房和城乡建设"]
DEPARTMENTS = [HOUSING, "市住房和城乡建设局", "区民政局", "区人力资源和社会保障局"]


@pytest.mark.parametrize("written", HOUSING_FORMS)
def test_every_form_names_the_district_bureau(written: str) -> None:
    directory = Vocabulary.load().departments
    assert resolve(written, DEPARTMENTS, directory=directory) == HOUSING


def test_a_level_prefix_picks_the_city_bureau() -> None:
    directory = Vocabulary.load().departments
    assert resolve("市住建局", DEPARTMENTS, directory=directory) == "市住房和城乡建设局"


def test_an_ambiguous_name_lists_its_candidates() -> None:
    with pytest.raises(UnknownNameError) as err:
        resolve("局", DEPARTMENTS, directory=Vocabulary.load().departments)
    assert err.value.ambiguous
    district = [name for name in DEPARTMENTS if name.startswith("区")]
    assert all(name in str(err.value) for name in district)
    assert "市住房和城乡建设局" not in str(err.value)  # a bare name never means the city's


def test_an_unknown_name_suggests_near_names() -> None:
    with pytest.raises(UnknownNameError) as err:
        resolve("区民政所", DEPARTMENTS, directory=Vocabulary.load().departments)
    assert not err.value.ambiguous and "区民政局" in str(err.value)


def test_lists_by_id_town_or_part_of_the_town() -> None:
    lists = pd.DataFrame({"list_id": ["甲镇:配合", "甲镇:基本", "乙镇:配合"]})
    lists["town"] = lists["list_id"].str.split(":").str[0]
    assert select_lists(lists, ["乙镇:配合"], where="s.db") == ["乙镇:配合"]
    assert select_lists(lists, ["甲"], where="s.db") == ["甲镇:配合", "甲镇:基本"]
    assert select_lists(lists, ("乙镇", "甲镇:基本"), where="s.db") == ["甲镇:基本", "乙镇:配合"]
    with pytest.raises(UnknownListError):
        select_lists(lists, ["丙镇"], where="s.db")


def test_a_matter_by_number_or_by_name() -> None:
    matters = pd.DataFrame(
        {"list_id": ["l", "l"], "number": [1, 29], "name": ["征兵工作", "大跨度结构建筑排查"]}
    )
    assert resolve_matters("29", matters) == resolve_matters("大跨度", matters) == {"l": 29}
    assert resolve_matters("２９", matters) == {"l": 29}  # full-width digits, as an IME types them
    with pytest.raises(UnknownNameError):
        resolve_matters("²", matters)  # a digit, but no number: an unknown name, not a crash


def test_a_matter_name_is_each_lists_own_matter() -> None:
    matters = pd.DataFrame(
        {
            "list_id": ["甲", "甲", "乙", "乙", "丙"],
            "number": [1, 5, 1, 5, 5],
            "name": ["征兵工作", "低保审核", "低保审核", "临时救助", "临时救助"],
        }
    )
    assert resolve_matters("低保审核", matters) == {"甲": 5, "乙": 1}  # 丙 has none: left out
    with pytest.raises(UnknownNameError) as err:
        resolve_matters("救助工作", matters)
    assert "乙#5 临时救助" in str(err.value)


def test_a_matter_name_that_names_two_matters_of_one_list_lists_them() -> None:
    matters = pd.DataFrame(
        {"list_id": ["甲", "甲"], "number": [3, 8], "name": ["低保审核", "低保资金发放"]}
    )
    with pytest.raises(UnknownNameError) as err:
        resolve_matters("低保", matters)
    assert "甲#3 低保审核" in str(err.value) and "甲#8 低保资金发放" in str(err.value)


COUNTY_TIER = ["区住房和城乡建设局", "县住房和城乡建设局", "旗住房和城乡建设局"]


@pytest.mark.parametrize("prefix", ["区", "县", "旗"])
def test_a_short_form_with_its_level_prefix_names_that_bureau(prefix: str) -> None:
    directory = Vocabulary.load().departments
    pool = [*COUNTY_TIER, "市住房和城乡建设局"]
    assert resolve_all(f"{prefix}住建局", pool, directory=directory) == [
        f"{prefix}住房和城乡建设局"
    ]
    assert resolve_all("市住建局", pool, directory=directory) == ["市住房和城乡建设局"]


def test_a_bare_name_is_each_lists_county_tier_bureau_never_the_citys() -> None:
    directory = Vocabulary.load().departments
    pool = [*COUNTY_TIER, "市住房和城乡建设局"]
    assert resolve_all("住建局", pool, directory=directory) == COUNTY_TIER
    county_list = ["县住房和城乡建设局", "市住房和城乡建设局"]
    assert resolve("住建局", county_list, directory=directory) == "县住房和城乡建设局"
    assert resolve_all("民政局", ["区民政局", "县民政局"], directory=directory) == [
        "区民政局",
        "县民政局",
    ]


@pytest.mark.parametrize("written", ["", "  "])
def test_an_empty_name_is_an_error(written: str) -> None:
    with pytest.raises(UnknownNameError, match="不能为空"):
        resolve(written, DEPARTMENTS)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("written", HOUSING_FORMS)
def test_every_command_that_takes_a_department_finds_the_same_one(
    reference_store: Store, tmp_path, written: str
) -> None:
    store = str(reference_store.path)
    code, matters = _run("matters", "--department", written, "--store", store, "--format", "csv")
    assert code == 0 and len(matters.splitlines()) == 17  # the header and its 16 matters
    code, path = _run("query", "path", "卜尔汉图镇", written, "--store", store, "--format", "csv")
    assert code == 0 and f",卜尔汉图镇,{HOUSING}," in path
    out = tmp_path / "d.html"
    code, _ = _run("viz", "department", written, "--store", store, "-o", str(out))
    assert code == 0 and HOUSING in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["matters", "--department", "气象局"],
        ["matters", "--department", "局"],
        ["query", "path", "卜尔汉图镇", "气象局"],
        ["viz", "department", "气象局"],
        ["handoffs", "--matter", "99"],
        ["duties", "--matter", "99"],
        ["explain", "99"],
        ["viz", "matter", "99"],
        ["matters", "--list", "丙镇"],
    ],
)
def test_an_unknown_or_ambiguous_name_is_one_line_and_an_error(
    reference_store: Store, tmp_path, args: list[str]
) -> None:
    code, output = _run(*args, "--store", str(reference_store.path))
    assert code == 1
    assert output.startswith("错误：") and output.count("\n") == 1


def test_explain_and_handoffs_say_the_same_for_a_missing_matter(reference_store: Store) -> None:
    store = str(reference_store.path)
    assert _run("explain", "99", "--store", store) == _run(
        "handoffs", "--matter", "99", "--store", store
    )


def test_a_matter_by_name_in_explain_handoffs_and_duties(reference_store: Store) -> None:
    store = str(reference_store.path)
    assert _run("explain", "大跨度", "--store", store) == _run("explain", "29", "--store", store)
    by_name = _run("handoffs", "--matter", "大跨度结构建筑", "--store", store, "--format", "csv")
    assert by_name == _run("handoffs", "--matter", "29", "--store", store, "--format", "csv")


def test_list_is_repeatable(two_town_store) -> None:
    both = _run("matters", "--list", "甲镇", "--list", "乙", "--store", str(two_town_store))
    one = _run("matters", "--list", "乙", "--store", str(two_town_store))
    assert both[0] == one[0] == 0
    assert "甲镇" in both[1] and "乙镇" in both[1] and "甲镇" not in one[1]


ROOT = Path(__file__).resolve().parent.parent
#: The tester's kind of store: lists of a 区, two 县 and a 旗 (and one without a district).
MANY_LISTS = [
    ROOT / "data" / "000_5b382267ef9e6b6d.txt",
    ROOT / "tests" / "fixtures" / "unseen" / "beiyangzhuang_zhen.txt",
    ROOT / "tests" / "fixtures" / "unseen" / "wulan_sumu.txt",
    ROOT / "tests" / "fixtures" / "unseen" / "jinyuan_jiedao.txt",
    ROOT / "tests" / "fixtures" / "other_towns" / "green_county_town.txt",
    ROOT / "tests" / "fixtures" / "other_towns" / "third" / "xinan_township.txt",
]


@pytest.fixture(scope="module")
def many_list_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("many") / "many.db"
    Store(path).save_lists([load_list(p) for p in MANY_LISTS])
    return str(path)


def _matters_named(store: str, written: str) -> dict[str, int]:
    table = Store(store).table("matters")
    named = table[table["name"].str.contains(written, regex=False)]
    return {str(i): int(n) for i, n in zip(named["list_id"], named["number"], strict=True)}


def test_explain_a_matter_by_name_shows_each_lists_own_matter(many_list_store: str) -> None:
    written = "最低生活保障审核确认"
    expected = _matters_named(many_list_store, written)
    assert len(set(expected.values())) > 1, "the lists number this matter differently"
    code, output = _run("explain", written, "--store", many_list_store)
    headings = [line for line in output.splitlines() if line.startswith("== ")]
    assert code == 0 and len(headings) == len(expected)
    for list_id, number in expected.items():
        assert any(h.startswith(f"== {list_id} 事项 {number}：") for h in headings)
    assert all(written in h for h in headings)


@pytest.mark.parametrize("command", ["handoffs", "duties"])
def test_handoffs_and_duties_of_a_matter_by_name_are_each_lists_own(
    many_list_store: str, command: str
) -> None:
    written = "最低生活保障审核确认"
    expected = _matters_named(many_list_store, written)
    code, output = _run(command, "--matter", written, "--store", many_list_store, "--format", "csv")
    rows = pd.read_csv(io.StringIO(output))
    assert code == 0 and not rows.empty
    assert {(str(i), int(n)) for i, n in zip(rows["list_id"], rows["matter"], strict=True)} <= set(
        expected.items()
    )


def test_viz_matter_by_name_draws_each_lists_own_matter(many_list_store: str, tmp_path) -> None:
    written = "最低生活保障审核确认"
    out = tmp_path / "m.html"
    code, _ = _run("viz", "matter", written, "--store", many_list_store, "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert code == 0
    for list_id, number in _matters_named(many_list_store, written).items():
        town = Store(many_list_store).table("lists", [list_id])["town"].iloc[0]
        assert f"{town}：#{number} {written}" in page


def test_a_matter_name_no_list_has_is_an_error_naming_candidates(many_list_store: str) -> None:
    code, output = _run("explain", "最低生活保障审核确认书", "--store", many_list_store)
    assert code == 1 and output.startswith("错误：")
    assert "红旗镇:配合:2025#" in output


@pytest.mark.parametrize("written", ["住建局", "县住建局", "旗住建局", "区住建局"])
def test_every_tier_short_form_finds_its_bureaus_matters(
    many_list_store: str, written: str
) -> None:
    store = Store(many_list_store)
    links = store.table("matter_departments")
    names = resolve_all(written, links["department"], directory=Vocabulary.load().departments)
    expected = links[links["department"].isin(names)]["matter_id"].nunique()
    code, output = _run(
        "matters", "--department", written, "--store", many_list_store, "--format", "csv"
    )
    assert code == 0 and len(pd.read_csv(io.StringIO(output))) == expected > 0


def test_a_bare_name_in_a_county_list_is_the_county_bureau(many_list_store: str) -> None:
    for extra in ([], ["--list", "红旗镇"]):
        code, output = _run(
            "query",
            "path",
            "红旗镇",
            "住建局",
            "--store",
            many_list_store,
            "--format",
            "csv",
            *extra,
        )
        rows = pd.read_csv(io.StringIO(output))
        assert code == 0 and not rows.empty
        assert set(rows["source"]) | set(rows["target"]) == {"红旗镇", "县住房和城乡建设局"}


def test_one_department_in_several_districts_says_how_to_choose(
    many_list_store: str, tmp_path
) -> None:
    code, output = _run(
        "viz", "department", "区民政局", "--store", many_list_store, "-o", str(tmp_path / "d.html")
    )
    assert code == 1 and "--district" in output and "--list" in output


@pytest.mark.parametrize(
    "args",
    [
        ["handoffs", "--town", ""],
        ["handoffs", "--list", ""],
        ["matters", "--department", ""],
        ["explain", ""],
        ["duties", "--matter", " "],
    ],
)
def test_an_empty_name_is_an_error_not_no_filter(many_list_store: str, args: list[str]) -> None:
    code, output = _run(*args, "--store", many_list_store)
    assert code == 1 and output.startswith("错误：") and "不能为空" in output


def test_an_unknown_category_lists_the_categories(many_list_store: str) -> None:
    categories = Store(many_list_store).table("matters")["category"].dropna().unique()
    code, output = _run("matters", "--category", "不存在的类别", "--store", many_list_store)
    assert code == 1 and output.startswith("错误：") and all(c in output for c in categories)


@pytest.mark.parametrize("written", ["上报", "reports_to", "reports to"])
def test_handoffs_type_takes_the_code_or_its_name(reference_store: Store, written: str) -> None:
    store = str(reference_store.path)
    code, by_code = _run("handoffs", "--type", "reports_to", "--store", store, "--format", "csv")
    assert code == 0 and len(by_code.splitlines()) > 1
    assert _run("handoffs", "--type", written, "--store", store, "--format", "csv") == (0, by_code)


def test_an_unknown_handoff_type_is_refused_in_chinese(reference_store: Store) -> None:
    code, output = _run("handoffs", "--type", "上班", "--store", str(reference_store.path))
    assert code == 2
    assert (
        "应为以下之一" in output and "reports_to/上报" in output and "is not one of" not in output
    )


@pytest.mark.parametrize("written", ["第3项", "事项3", "3号", "#3", "第３项"])
def test_a_matter_number_written_the_chinese_way(written: str) -> None:
    matters = pd.DataFrame({"list_id": ["l", "l"], "number": [3, 12], "name": ["甲事项", "乙事项"]})
    assert resolve_matters(written, matters) == {"l": 3}


def test_a_path_from_an_actor_to_itself_is_an_error(reference_store: Store) -> None:
    store = str(reference_store.path)
    code, output = _run("query", "path", "卜尔汉图镇", "卜尔汉图", "--store", store)
    assert code == 1 and output.startswith("错误：") and "卜尔汉图镇" in output
