"""One way to name things: every name form in every command that takes a department, a list
or a matter, and the same errors everywhere."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from dutygraph.cli import cli
from dutygraph.errors import UnknownListError, UnknownNameError
from dutygraph.naming import resolve, resolve_matter
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
    assert all(name in str(err.value) for name in DEPARTMENTS)


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
    assert resolve_matter("29", matters) == resolve_matter("大跨度", matters) == 29
    assert resolve_matter("２９", matters) == 29  # full-width digits, as a Chinese IME types them
    with pytest.raises(UnknownNameError):
        resolve_matter("²", matters)  # a digit, but no number: an unknown name, not a crash


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
