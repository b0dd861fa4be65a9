"""dutygraph synth: realistic synthetic lists, the same for the same seed, that load."""

from __future__ import annotations

import csv
import re

import pytest
from click.testing import CliRunner
from support_lists import REFERENCE_LIST

from dutygraph.cli import cli
from dutygraph.loaders import load_list
from dutygraph.synth import read_template, synthesize


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def twelve(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    return root, synthesize(12, seed=3, out_dir=root, matters=12)


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path, twelve):
    root, _ = twelve
    synthesize(12, seed=3, out_dir=tmp_path / "again", matters=12)
    synthesize(12, seed=4, out_dir=tmp_path / "other", matters=12)
    assert _files(tmp_path / "again") == _files(root)
    assert _files(tmp_path / "other") != _files(root)


def test_every_town_is_distinct_and_placed_in_a_district_folder(twelve):
    root, lists = twelve
    assert len({s.town for s in lists}) == 12
    for s in lists:
        assert s.path.relative_to(root).parts == (s.province, s.city, s.district, f"{s.town}.txt")
        assert s.district[-1] in "区县旗"
    with (root / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["town"] for r in rows] == [s.town for s in lists]


def test_each_list_loads_with_its_town_and_handoffs_to_extract(twelve):
    _, lists = twelve
    for s in lists:
        tables = load_list(s.path)
        assert tables.lists["town"].iloc[0] == s.town
        assert len(tables.matters) == s.matters
        assert len(tables.handoffs) > 0


def test_wording_and_layout_vary_between_lists(twelve):
    _, lists = twelve
    texts = [s.path.read_text(encoding="utf-8") for s in lists]
    headers = {line for t in texts for line in t.splitlines() if line.startswith("序号\t")}
    assert len(headers) >= 3
    styles = {
        name
        for t in texts
        for name, pattern in (("paren", "（1）"), ("circled", "①"), ("dot", r"\t1\.|> 1\."))
        if re.search(pattern, t)
    }
    assert len(styles) >= 2
    for s, text in zip(lists, texts, strict=True):  # departments follow the district's tier
        assert not any(f"{t}民政局" in text for t in "区县旗" if t != s.district[-1])


def test_templates_are_read_matter_by_matter():
    matters = read_template(REFERENCE_LIST)
    assert len(matters) == 69
    assert matters[0].town == "卜尔汉图镇" and matters[0].name == "征兵工作"


def test_synth_command_writes_the_lists_and_says_where(tmp_path):
    result = CliRunner(env={"DUTYGRAPH_LANG": "en"}).invoke(
        cli, ["synth", "--towns", "3", "--seed", "1", "--matters", "5", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote 3 lists in ")
    assert len(list(tmp_path.rglob("*.txt"))) == 3
