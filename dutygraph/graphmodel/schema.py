"""The one graph schema that the networkx and the Neo4j backends share.

Node labels, relationship types and their properties are defined here and nowhere else;
Cypher text elsewhere takes labels and types only from these enums.

Node ids are stable strings built by the ``*_node_id`` functions below, so the same list
loaded twice, or pushed to Neo4j twice, yields the same ids.

>>> department_node_id("区民政局")
'dept:区民政局'
>>> RelType.for_handoff("reports_to")
<RelType.REPORTS_TO: 'REPORTS_TO'>
>>> RelType.REPORTS_TO.handoff_type
'reports_to'
"""

from __future__ import annotations

from enum import StrEnum

from ..handoff_types import HandoffType
from ..tables import HANDOFF_TYPES

__all__ = [
    "ACTOR_KINDS",
    "ACTOR_LABELS",
    "HANDOFF_PROPERTIES",
    "HANDOFF_TYPES",
    "NODE_PROPERTIES",
    "REL_PROPERTIES",
    "TOWN_LEVEL",
    "UPWARD_HANDOFF_TYPES",
    "VILLAGE_LEVEL",
    "VILLAGE_NAME",
    "NodeLabel",
    "RelType",
    "actor_node_id",
    "category_node_id",
    "department_node_id",
    "duty_node_id",
    "guarantee_node_id",
    "list_node_id",
    "matter_node_id",
    "town_node_id",
    "village_node_id",
]


class NodeLabel(StrEnum):
    LIST = "List"
    TOWN = "Town"
    VILLAGE = "Village"  # the level below the town: 嘎查村, 社区, 村委会, 居委会
    DEPARTMENT = "Department"
    CATEGORY = "Category"
    MATTER = "Matter"
    DUTY = "Duty"
    GUARANTEE = "Guarantee"


#: Edges that carry a case up the hierarchy (escalation chains follow these).
UPWARD_HANDOFF_TYPES: tuple[str, ...] = tuple(t.value for t in HandoffType if t.is_upward)


class RelType(StrEnum):
    # structure
    PUBLISHES = "PUBLISHES"  # (Town)-[:PUBLISHES]->(List)
    IN_LIST = "IN_LIST"  # (Matter|Category)-[:IN_LIST]->(List)
    IN_CATEGORY = "IN_CATEGORY"  # (Matter)-[:IN_CATEGORY]->(Category)
    LEADS = "LEADS"  # (Department)-[:LEADS {position}]->(Matter)
    COOPERATES_ON = "COOPERATES_ON"  # (Town)-[:COOPERATES_ON]->(Matter)
    HAS_DUTY = "HAS_DUTY"  # (Department|Town)-[:HAS_DUTY]->(Duty)
    DUTY_OF = "DUTY_OF"  # (Duty)-[:DUTY_OF]->(Matter)
    GUARANTEES = "GUARANTEES"  # (Guarantee)-[:GUARANTEES]->(Matter)
    BELOW = "BELOW"  # (Village)-[:BELOW]->(Town)
    # handoffs between actors, always inside one matter (property `matter_id`)
    REPORTS_TO = "REPORTS_TO"
    FEEDS_BACK_TO = "FEEDS_BACK_TO"
    ESCALATES_TO = "ESCALATES_TO"
    ASSIGNS_TO = "ASSIGNS_TO"
    REFERS_TO = "REFERS_TO"

    @classmethod
    def for_handoff(cls, handoff_type: str) -> RelType:
        """The relationship type of a handoff type string (``"reports_to"``)."""
        return cls(handoff_type.upper())

    @property
    def handoff_type(self) -> str | None:
        """The handoff type string, or None for a structural relationship."""
        value = self.value.lower()
        return value if value in HANDOFF_TYPES else None

    @property
    def is_handoff(self) -> bool:
        return self.handoff_type is not None


#: What kind of actor a handoff's src/dst is, as stored in ``handoffs.src_kind``/``dst_kind``.
ACTOR_KINDS: tuple[str, ...] = ("town", "department", "village")
ACTOR_LABELS: dict[str, NodeLabel] = {
    "town": NodeLabel.TOWN,
    "department": NodeLabel.DEPARTMENT,
    "village": NodeLabel.VILLAGE,
}

#: The ``level`` of Town and Village nodes, and the name of the one Village node per town.
#: Department levels come from the departments table (区 | 市 | 省 | 部 | 其他).
TOWN_LEVEL = "镇"
VILLAGE_NAME = "村（社区）"
VILLAGE_LEVEL = "村"

#: Properties every node of a label carries besides ``id`` and ``label`` (networkx attrs,
#: Neo4j properties). ``name`` is what a reader sees.
NODE_PROPERTIES: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.LIST: (
        "name",
        "list_id",
        "town",
        "province",
        "city",
        "district",
        "kind",
        "version",
        "source_file",
        "title",
        "source_sha256",
        "loaded_at",
        "matters",
        "note",
    ),
    # the town's place above it, when known (a town's node key is its place: Place.key)
    NodeLabel.TOWN: ("name", "level", "province", "city", "district"),
    NodeLabel.VILLAGE: ("name", "town", "level"),
    # body: the district, city or province the department belongs to (Place.body), '' unknown;
    # scope: that body's path (Place.scope), the department's node key with its name
    NodeLabel.DEPARTMENT: ("name", "level", "in_vocabulary", "body", "scope"),
    NodeLabel.CATEGORY: ("name", "list_id", "position", "stated_count", "category_id"),
    NodeLabel.MATTER: (
        "name",
        "list_id",
        "number",
        "category",
        "matter_id",
        "category_id",
        "source",
    ),
    NodeLabel.DUTY: (
        "name",
        "list_id",
        "matter_id",
        "owner",
        "owner_kind",
        "number",
        "text",
        "duty_id",
        "matter",
        "heading",
    ),
    NodeLabel.GUARANTEE: (
        "name",
        "list_id",
        "matter_id",
        "text",
        "kinds",
        "guarantee_id",
        "matter",
    ),
}

#: Properties of relationships. Handoff relationships all carry HANDOFF_PROPERTIES (the columns
#: of the handoffs table but src/dst) and, on the graph, the list's ``town`` as well.
HANDOFF_PROPERTIES: tuple[str, ...] = (
    "handoff_id",
    "list_id",
    "matter_id",
    "matter",
    "type",
    "evidence",
    "duty_id",
    "start",
    "end",
    "implicit",
    "rule",
    "status",  # the analysts' review: machine | confirmed | corrected | added
    "reviewer",
    "reviewed_at",
)
#: Structural relationships inside one list carry its ``list_id``, and those inside one matter
#: its ``matter_id`` too, so that a list or a matter is a filter on edges (scoped views).
#: ``BELOW`` belongs to no list. A value that is missing (NULL) is left out, never stored as None.
REL_PROPERTIES: dict[RelType, tuple[str, ...]] = {
    RelType.PUBLISHES: ("list_id",),
    RelType.IN_LIST: ("list_id", "matter_id"),  # matter_id only on (Matter)-[:IN_LIST]->(List)
    RelType.IN_CATEGORY: ("list_id", "matter_id"),
    RelType.LEADS: ("list_id", "position", "matter_id", "raw_name"),
    RelType.COOPERATES_ON: ("list_id", "matter_id"),
    RelType.HAS_DUTY: ("list_id", "matter_id"),
    RelType.DUTY_OF: ("list_id", "matter_id"),
    RelType.GUARANTEES: ("list_id", "matter_id"),
    RelType.BELOW: (),
    **{t: HANDOFF_PROPERTIES for t in RelType if t.is_handoff},
}


def list_node_id(list_id: str) -> str:
    return f"list:{list_id}"


def town_node_id(town: str) -> str:
    """A town's node, given its place key (``Place.key``: ``昆都仑区/卜尔汉图镇``, or the bare
    name when nothing above it is known)."""
    return f"town:{town}"


def village_node_id(town: str) -> str:
    """The level below one town (all its 嘎查村/社区 as one actor), given the town's place key."""
    return f"village:{town}"


def department_node_id(name: str, scope: str = "") -> str:
    """A department's node: its name within the body it belongs to (``Place.scope``).

    >>> department_node_id("区民政局", "内蒙古自治区/包头市/昆都仑区")
    'dept:内蒙古自治区/包头市/昆都仑区/区民政局'
    """
    return f"dept:{scope}/{name}" if scope else f"dept:{name}"


def actor_node_id(kind: str, name: str, town: str) -> str:
    """Node id of a handoff endpoint given its kind (see ACTOR_KINDS).

    >>> actor_node_id("village", "嘎查村（社区）", "卜尔汉图镇")
    'village:卜尔汉图镇'
    """
    if kind == "town":
        return town_node_id(name)
    if kind == "village":
        return village_node_id(town)
    if kind == "department":
        return department_node_id(name)
    raise ValueError(f"unknown actor kind {kind!r}; expected one of {ACTOR_KINDS}")


def category_node_id(list_id: str, position: int) -> str:
    return f"category:{list_id}#{position}"


def matter_node_id(matter_id: str) -> str:
    return f"matter:{matter_id}"


def duty_node_id(duty_id: str) -> str:
    return f"duty:{duty_id}"


def guarantee_node_id(guarantee_id: str) -> str:
    return f"guarantee:{guarantee_id}"
