"""The network as the explorer draws it: query.network's graph, narrowed by country and end date,
as node-link JSON with the colour of each edge type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx
from sqlalchemy import Connection

from newsintel.query.facts import check_date, until_bound
from newsintel.query.network import network
from newsintel.web.colours import ENTITY_COLOURS, EVENT_COLOURS

LIMIT = 400  # facts: more is a hairball in a browser tab


def graph_json(conn: Connection, entity_id: str | None = None, depth: int = 2, types: Sequence[str] | None = None,
               country: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = LIMIT) -> dict[str, Any]:
    """{"nodes": [{"id","name","type","country","degree"}], "links": [{"source","target","type","fact_id","date",
    "source_role","target_role"}], "focus", "colours": {type: colour}, "entity_colours": {...}}.

    `country` keeps edges with an end in that country (ISO code); `until` drops facts dated after it
    (inclusive at its precision, undated facts are dropped too). Nodes left without an edge go,
    except the focus.
    """
    if since:
        check_date(since, "since")
    bound = until_bound(check_date(until, "until")) if until else None
    graph = network(conn, entity_id=entity_id, depth=depth, types=list(types) if types else None,
                    since=since or None, limit=limit)
    cc = country.strip().upper() if country else None
    kept = nx.MultiDiGraph()
    for u, v, key, data in graph.edges(keys=True, data=True):
        if bound is not None and (data.get("date") is None or data["date"] >= bound):
            continue
        if cc and cc not in (graph.nodes[u].get("country"), graph.nodes[v].get("country")):
            continue
        kept.add_edge(u, v, key, **data)
    if entity_id is not None and entity_id in graph:
        kept.add_node(entity_id)
    nodes = [{"id": n, "name": graph.nodes[n].get("name", n), "type": graph.nodes[n].get("type"),
              "country": graph.nodes[n].get("country"), "degree": kept.degree(n)} for n in kept.nodes]
    links = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in kept.edges(keys=True, data=True)]
    return {"focus": entity_id, "nodes": nodes, "links": links, "colours": EVENT_COLOURS,
            "entity_colours": ENTITY_COLOURS}
