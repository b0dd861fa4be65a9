"""Identity by place: a list's province, city, district and town; departments by body."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from support_graphs import ListBuilder, merge_tables
from support_lists import REFERENCE_LIST, write_list

from dutygraph.cli import cli
from dutygraph.graphmodel.build import build_graph, graph_from_tables
from dutygraph.graphmodel.schema import NodeLabel, department_node_id, town_node_id
from dutygraph.graphmodel.scope import town_subgraph
from dutygraph.pipeline import load_list
from dutygraph.places import Place
from dutygraph.selection import Selection
from dutygraph.store import SCHEMA_VERSION, Store
from dutygraph.tables import Given
from dutygraph.vocabulary import Vocabulary

ROW = "\t".join(
    [
        "1",
        "征兵工作",
        "区人民武装部",
        "区人民武装部：1.负责征兵。",
        "1.择优选送上站体检对象，报区人民武装部。",
    ]
)
BAOTOU = "内蒙古自治区/包头市"


@pytest.mark.parametrize(
    ("title", "town", "district", "city", "list_id"),
    [
        (
            "杭州市临安区青石镇配合履职事项清单（2025年版）",
            "青石镇",
            "临安区",
            "杭州市",
            "临安区青石镇:配合:2025",
        ),
        (
            "锡林郭勒盟查干淖尔旗乌兰苏木配合履职事项清单",
            "乌兰苏木",
            "查干淖尔旗",
            "锡林郭勒盟",
            "查干淖尔旗乌兰苏木:配合",
        ),
        ("丹阳县白河镇配合履职事项清单", "白河镇", "丹阳县", "", "丹阳县白河镇:配合"),
        ("卜尔汉图镇配合履职事项清单", "卜尔汉图镇", "", "", "卜尔汉图镇:配合"),
    ],
)
def test_the_title_names_the_town_and_the_places_above_it(
    tmp_path, title, town, district, city, list_id
):
    tables = load_list(write_list(tmp_path / "l.txt", [ROW], title=title))
    row = tables.lists.iloc[0]
    assert (row["town"], row["district"], row["city"], tables.list_id) == (
        town,
        district,
        city,
        list_id,
    )
    assert set(tables.duties.loc[tables.duties["owner_kind"] == "town", "owner"]) == {town}


def test_a_known_district_fills_its_city_and_province():
    places = Vocabulary.load().places
    assert places.complete(places.split("昆都仑区卜尔汉图镇")) == Place(
        "内蒙古自治区", "包头市", "昆都仑区", "卜尔汉图镇"
    )


@pytest.mark.parametrize("name", ["新市镇", "城区街道", "市中区大观园街道"])
def test_place_suffixes_inside_a_name_do_not_cut_it(name):
    place = Vocabulary.load().places.split(name)
    assert place.key.replace("/", "") == name
    assert place.town.endswith(("镇", "街道"))
    assert len(place.town) > 2


def test_the_folders_give_the_place_and_options_override_both(tmp_path):
    folder = tmp_path / "包头市" / "九原区"
    folder.mkdir(parents=True)
    path = write_list(folder / "l.txt", [ROW])
    from_folder = load_list(path).lists.iloc[0]
    assert (from_folder["province"], from_folder["city"], from_folder["district"]) == (
        "内蒙古自治区",
        "包头市",
        "九原区",
    )
    given = load_list(path, given=Given(place=Place(district="昆都仑区"))).lists.iloc[0]
    assert (given["district"], given["list_id"]) == ("昆都仑区", "昆都仑区测试镇:配合")


def _district_list(district: str) -> ListBuilder:
    b = ListBuilder("城关镇", district=district, city="包头市", province="内蒙古自治区")
    b.matter(1, "农村公益性墓地申报审批", ["区民政局"])
    b.handoff(1, "城关镇", "区民政局", "reports_to", "上报区民政局")
    b.matter(2, "大跨度结构建筑安全排查", ["市住房和城乡建设局"])
    b.handoff(2, "城关镇", "市住房和城乡建设局", "reports_to", "上报市住房和城乡建设局")
    return b


def test_two_districts_departments_stay_apart_and_a_city_body_is_shared():
    G = graph_from_tables(merge_tables(_district_list("昆都仑区"), _district_list("九原区")))
    civil = [
        n
        for n, d in G.nodes(data=True)
        if d["label"] == NodeLabel.DEPARTMENT.value and d["name"] == "区民政局"
    ]
    assert sorted(G.nodes[n]["body"] for n in civil) == ["九原区", "昆都仑区"]
    kun = department_node_id("区民政局", f"{BAOTOU}/昆都仑区")
    assert [u for u, _ in G.in_edges(kun)] == [town_node_id(f"{BAOTOU}/昆都仑区/城关镇")]
    city = department_node_id("市住房和城乡建设局", BAOTOU)
    assert G.nodes[city]["body"] == "包头市"
    assert {G.nodes[u]["district"] for u, _ in G.in_edges(city) if u.startswith("town:")} == {
        "昆都仑区",
        "九原区",
    }


def test_two_towns_of_one_name_in_two_districts_are_two_towns():
    G = graph_from_tables(merge_tables(_district_list("昆都仑区"), _district_list("九原区")))
    towns = [n for n, d in G.nodes(data=True) if d["label"] == NodeLabel.TOWN.value]
    assert len(towns) == 2
    assert len(town_subgraph(G, "九原区城关镇").nodes) < len(G.nodes)


def test_loading_the_same_list_for_two_districts_keeps_their_bureaus_apart(tmp_path):
    store = tmp_path / "s.db"
    runner = CliRunner()
    for district in ("昆都仑区", "九原区"):
        result = runner.invoke(
            cli, ["load", str(REFERENCE_LIST), "--store", str(store), "-q", "--district", district]
        )
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        ["query", "dependents", "--store", str(store), "--format", "csv", "--town", "卜尔汉图镇"],
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ",区民政局," in line]
    assert sorted(line.split(",")[0] for line in lines) == [
        "九原区卜尔汉图镇:配合",
        "昆都仑区卜尔汉图镇:配合",
    ]
    G = build_graph(Store(store))
    assert {G.nodes[n].get("body") for n in G if n.endswith("/区民政局")} == {"昆都仑区", "九原区"}
    assert department_node_id("市住房和城乡建设局", BAOTOU) in G


def _v1_store(path, tmp_path) -> None:
    """A store as dutygraph wrote it before places: the whole prefix read as the town."""
    title = "杭州市临安区青石镇配合履职事项清单"
    Store(path).save_list(load_list(write_list(tmp_path / "l.txt", [ROW], title=title)))
    old, new = "杭州市临安区青石镇", "临安区青石镇:配合"
    conn = sqlite3.connect(path)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        for column in (c for c in columns if c.endswith("_id")):
            conn.execute(
                f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?)', (new, f"{old}:配合")
            )
    conn.execute("UPDATE lists SET town = ?", (old,))
    conn.execute("UPDATE duties SET owner = ? WHERE owner_kind = 'town'", (old,))
    conn.execute("UPDATE handoffs SET src = ? WHERE src_kind = 'town'", (old,))
    for column in ("province", "city", "district"):
        conn.execute(f"ALTER TABLE lists DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_an_old_store_migrates_its_towns_places_and_ids(tmp_path):
    path = tmp_path / "old.db"
    _v1_store(path, tmp_path)
    store = Store(path)
    lists = store.table("lists")
    assert lists[["list_id", "town", "district", "city"]].values.tolist() == [
        ["临安区青石镇:配合", "青石镇", "临安区", "杭州市"]
    ]
    assert set(store.table("matters")["matter_id"].str.split("#").str[0]) == {"临安区青石镇:配合"}
    handoffs = store.table("handoffs")
    assert set(handoffs.loc[handoffs["src_kind"] == "town", "src"]) == {"青石镇"}
    assert handoffs["handoff_id"].str.startswith("临安区青石镇:配合#").all()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.fixture
def three_lists(tmp_path) -> Store:
    store = Store(tmp_path / "three.db")
    store.save_lists(
        [
            _district_list("昆都仑区").list_tables(),
            _district_list("九原区").list_tables(),
            ListBuilder("乙镇", district="九原区")
            .matter(1, "征兵工作", ["区人民武装部"])
            .list_tables(),
        ]
    )
    return store


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), ["昆都仑区城关镇:配合", "九原区城关镇:配合", "九原区乙镇:配合"]),
        (
            Selection(lists=("九原区城关镇:配合", "九原区乙镇:配合")),
            ["九原区城关镇:配合", "九原区乙镇:配合"],
        ),
        (Selection(towns=("城关镇",)), ["昆都仑区城关镇:配合", "九原区城关镇:配合"]),
        (Selection(districts=("九原区",)), ["九原区城关镇:配合", "九原区乙镇:配合"]),
        (Selection(districts=("九原区",), towns=("城关镇",)), ["九原区城关镇:配合"]),
        (Selection(districts=("包头市",)), ["昆都仑区城关镇:配合", "九原区城关镇:配合"]),
        (Selection(towns=("昆都仑区城关镇", "乙镇")), ["昆都仑区城关镇:配合", "九原区乙镇:配合"]),
    ],
)
def test_one_selection_function_behind_list_district_and_town(three_lists, selection, expected):
    assert three_lists.resolve_lists(selection) == expected


@pytest.mark.usefixtures("english")
def test_selectors_repeat_on_the_command_line_and_a_wrong_one_is_one_line(three_lists):
    runner = CliRunner()
    store = str(three_lists.path)
    result = runner.invoke(
        cli,
        [
            "matters",
            "--store",
            store,
            "--format",
            "csv",
            "--list",
            "九原区乙镇:配合",
            "--list",
            "昆都仑区城关镇",
        ],
    )
    assert result.exit_code == 0, result.output
    assert {line.split(",")[0] for line in result.output.splitlines()[1:]} == {
        "九原区乙镇:配合",
        "昆都仑区城关镇:配合",
    }
    result = runner.invoke(cli, ["matters", "--store", store, "--district", "青山区"])
    assert result.exit_code == 1
    assert "no district '青山区' in " in result.output
    assert "昆都仑区" in result.output and len(result.output.splitlines()) == 1


@pytest.mark.neo4j
def test_the_push_keeps_each_districts_bureau_and_shares_the_city_one(neo4j_driver, bolt_database):
    from dutygraph.graphmodel import neo4j_backend as nb

    G = graph_from_tables(merge_tables(_district_list("昆都仑区"), _district_list("九原区")))
    nb.ensure_schema(neo4j_driver, bolt_database)
    nb.push(neo4j_driver, G, database=bolt_database)
    bodies = nb.run_read(
        neo4j_driver,
        "MATCH (d:Department) WHERE d.name = $name RETURN d.body AS body ORDER BY body",
        {"name": "区民政局"},
        database=bolt_database,
    )
    assert bodies["body"].tolist() == ["九原区", "昆都仑区"]
    city = nb.run_read(
        neo4j_driver,
        "MATCH (t:Town)-[:REPORTS_TO]->(d:Department {id: $id}) RETURN count(DISTINCT t) AS n",
        {"id": department_node_id("市住房和城乡建设局", BAOTOU)},
        database=bolt_database,
    )
    assert city["n"].tolist() == [2]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "question", ["escalations", "dependents", "feedback-gaps", "workload", "support-gaps"]
)
def test_two_districts_towns_of_one_name_answer_alike_on_both_backends(
    neo4j_driver, bolt_database, question
):
    from dutygraph.graphmodel import neo4j_backend as nb
    from dutygraph.queries import QUESTION_FUNCTIONS

    G = graph_from_tables(merge_tables(_district_list("昆都仑区"), _district_list("九原区")))
    nb.push(neo4j_driver, G, database=bolt_database)
    on_graph, on_server = QUESTION_FUNCTIONS[question]
    options = {"min_hops": 1} if question == "escalations" else {}
    expected = on_graph(G, **options)
    assert len(expected) > 0 or question == "support-gaps"
    assert on_server(neo4j_driver, database=bolt_database, **options).to_dict(
        "records"
    ) == expected.to_dict("records")
