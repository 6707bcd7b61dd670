"""The entity graph of an export (GraphML, GEXF for Gephi): query.network, kept to the selected facts."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
from sqlalchemy import Connection

from newsintel.export.selection import Selection
from newsintel.query.network import network

UNCAPPED = 1 << 62  # an export is complete: no per-entity cap


def export_graph(conn: Connection, selection: Selection, entity_id: str | None = None, depth: int = 2,
                 types: Sequence[str] | None = None, since: str | None = None) -> nx.MultiDiGraph:
    """`network(...)` without caps; edges of facts outside the selection (`--until`) are dropped,
    and so are the nodes that then hold no selected fact (the named entity stays)."""
    graph = network(conn, entity_id=entity_id, depth=depth, types=types, since=since, limit=None,
                    per_entity=UNCAPPED)
    if selection.facts is None:
        return graph
    keep = set(selection.facts)
    graph.remove_edges_from([(u, v, k) for u, v, k, fact in graph.edges(keys=True, data="fact_id")
                             if fact not in keep])
    holders = set(selection.entities or ()) | ({entity_id} if entity_id else set())
    graph.remove_nodes_from([node for node in list(graph.nodes) if node not in holders])
    return graph


def for_gexf(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose edges say `fact_type` (and `label`) instead of `type`: in GEXF an edge's `type` is
    its direction (directed | undirected | mutual), so a fact type there makes the file invalid."""
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(graph.nodes(data=True))
    copy.add_edges_from((u, v, k, {**{a: b for a, b in d.items() if a != "type"}, "fact_type": d.get("type"),
                                   "label": d.get("type")})
                        for u, v, k, d in graph.edges(keys=True, data=True))
    return copy
