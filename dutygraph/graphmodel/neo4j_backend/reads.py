"""Reading from the server: one read query as a DataFrame, and the graph's counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
import networkx as nx
import pandas as pd
from neo4j import RoutingControl

from ..cypher_safety import check_parameters, refuse_writes
from .connection import backend_errors, server_of
from .statements import NODE_COUNTS, RELATIONSHIP_COUNTS

__all__ = ["GraphCounts", "counts", "graph_counts", "run_read"]


def run_read(
    driver: neo4j.Driver,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str,
) -> pd.DataFrame:
    """Run one read query and return its rows as a DataFrame (columns in RETURN order).

    Routed to a reader on a cluster; retried by the driver on transient errors. A write is
    refused before sending (``cypher_safety.refuse_writes``: FalkorDB ignores the read access
    mode), and on Neo4j by the server too (read access mode). On every server
    ``check_parameters`` refuses what the driver cannot send exactly, and the server's kind
    prepares the rest (``Server.read_parameters``: FalkorDB's escaping and size cap).
    """
    refuse_writes(cypher)
    parameters = check_parameters(params or {})
    parameters = server_of(driver, database).read_parameters(cypher, parameters)
    with backend_errors(driver, database=database):
        frame: pd.DataFrame = driver.execute_query(
            cypher,
            parameters_=parameters,
            routing_=RoutingControl.READ,
            database_=database,
            result_transformer_=neo4j.Result.to_df,
        )
    return frame


@dataclass(frozen=True)
class GraphCounts:
    """Node counts per label and relationship counts per type."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    def to_frame(self) -> pd.DataFrame:
        """Columns ``kind`` (node | relationship), ``name`` (label or type), ``count``."""
        rows = [("node", k, v) for k, v in sorted(self.nodes.items())]
        rows += [("relationship", k, v) for k, v in sorted(self.relationships.items())]
        return pd.DataFrame(rows, columns=["kind", "name", "count"])


def counts(driver: neo4j.Driver, database: str) -> GraphCounts:
    """Count the database's nodes per label and relationships per type."""
    nodes = run_read(driver, NODE_COUNTS, database=database)
    relationships = run_read(driver, RELATIONSHIP_COUNTS, database=database)
    return GraphCounts(
        nodes={str(r.label): int(r.count) for r in nodes.itertuples()},
        relationships={str(r.type): int(r.count) for r in relationships.itertuples()},
    )


def graph_counts(graph: nx.MultiDiGraph) -> GraphCounts:
    """The counts a push of ``graph`` into an empty database leaves (compare with counts()).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("town:示例镇", label="Town", name="示例镇")
    >>> G.add_node("list:示例镇:配合", label="List", name="示例镇配合清单")
    >>> _ = G.add_edge("town:示例镇", "list:示例镇:配合", key="PUBLISHES", type="PUBLISHES")
    >>> graph_counts(G)
    GraphCounts(nodes={'List': 1, 'Town': 1}, relationships={'PUBLISHES': 1})
    """
    nodes = Counter(str(attrs.get("label")) for _, attrs in graph.nodes(data=True))
    relationships = Counter(str(attrs.get("type")) for _, _, attrs in graph.edges(data=True))
    return GraphCounts(
        nodes=dict(sorted(nodes.items())), relationships=dict(sorted(relationships.items()))
    )
