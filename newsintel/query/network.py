"""The entity graph: who did what to whom, as a networkx MultiDiGraph, and its export formats.

Nodes are entity ids (attributes name, type, country); each fact gives one edge per pair of its
role holders, directed from the acting role to the one acted upon (imposer -> target, investor ->
recipient), with attributes type, fact_id, date, source_role and target_role.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import networkx as nx
from sqlalchemy import Connection, select, text, union_all

from newsintel.errors import NewsIntelError
from newsintel.query.facts import among, batched, check_date
from newsintel.store.schema import entities, fact_roles, facts

FORMATS = ("json", "graphml", "gexf", "dot")
LIMIT = 500  # facts per graph: more is unreadable, and a hub two hops away can reach most of the store
PER_ENTITY = 50  # facts per entity reached beyond the first hop
COMPOUND = 200  # selects per UNION ALL (SQLite allows 500)

# Within each event type, the order in which roles act on one another (earlier -> later).
ROLE_ORDER: dict[str, tuple[str, ...]] = {
    "sanction": ("imposer", "target"),
    "acquisition": ("acquirer", "target"),
    "investment": ("investor", "recipient"),
    "designation": ("designator", "designee"),
    "contract": ("supplier", "customer"),
    "expulsion": ("expeller", "expelled"),
    "position": ("person", "organization"),
    "policy": ("issuer",),
    "listing": ("company",),
    "partnership": ("party",),
}


def network(conn: Connection, entity_id: str | None = None, depth: int = 2, types: Sequence[str] | None = None,
            since: str | None = None, limit: int | None = LIMIT, per_entity: int = PER_ENTITY) -> nx.MultiDiGraph:
    """The graph of facts around `entity_id` (up to `depth` hops), or of the whole store.

    `types` keeps only those fact types; `since` only facts dated on or after it. At most `limit`
    facts are drawn (None: no limit), nearest hops first; beyond the first hop at most `per_entity`
    facts of each entity reached, so a hub one hop away does not swamp the graph. Where a cap cuts,
    the facts kept are a stable sample (lowest fact ids, which are hashes): ordering a hub's facts
    by date would cost a read of every one of them.
    """
    chosen: dict[str, None] = {}
    holders: dict[str, list[tuple[str, str]]] = {}
    if entity_id is None:
        query = _filtered(select(facts.c.id), types, since).order_by(facts.c.id)
        chosen.update(dict.fromkeys(conn.execute(query if limit is None else query.limit(limit)).scalars()))
    else:
        seen, frontier = {entity_id}, [entity_id]
        for hop in range(max(depth, 1)):
            room = None if limit is None else limit - len(chosen)
            if not frontier or room == 0:
                break
            new_facts = _facts_of(conn, frontier, types, since, None if hop == 0 else per_entity, room, chosen)
            chosen.update(dict.fromkeys(new_facts))
            reached = _holders(conn, new_facts)
            holders.update(reached)
            frontier = sorted({e for members in reached.values() for _, e in members} - seen)
            seen.update(frontier)
    graph = nx.MultiDiGraph()
    if entity_id is not None:
        graph.add_node(entity_id)
    fact_rows = {}
    ids = list(chosen)
    for chunk in batched(ids):
        query = select(facts.c.id, facts.c.type, facts.c.date_value).where(among(conn, facts.c.id, chunk))
        for row in conn.execute(query).all():  # one fetch: much cheaper than row by row
            fact_rows[row.id] = row
    holders.update(_holders(conn, [i for i in ids if i not in holders]))
    links: list[tuple[str, str, str, dict[str, Any]]] = []
    for fact_id in ids:
        row = fact_rows[fact_id]
        members = sorted(holders.get(fact_id, []), key=lambda m: (_rank(row.type, m[0]), m[0], m[1]))
        graph.add_nodes_from(holder for _, holder in members)
        for i, (source_role, source) in enumerate(members):
            links.extend((source, target, f"{fact_id}:{source_role}:{target_role}",
                          {"type": row.type, "fact_id": fact_id, "date": row.date_value, "source_role": source_role,
                           "target_role": target_role})
                         for target_role, target in members[i + 1:] if target != source)
    graph.add_edges_from(links)
    _describe_nodes(conn, graph)
    return graph


def _filtered(query: Any, types: Sequence[str] | None, since: str | None) -> Any:
    if types:
        query = query.where(facts.c.type.in_(list(types)))
    if since is not None:
        query = query.where(facts.c.date_value >= check_date(since, "--since"))
    return query


def _facts_of(conn: Connection, holders: list[str], types: Sequence[str] | None, since: str | None,
              per_entity: int | None, room: int | None, chosen: dict[str, None]) -> list[str]:
    """Facts of any of `holders` not already chosen (at most `per_entity` of each), at most `room`.

    With a cap, one compound statement of per-entity `LIMIT` selects: each reads only its first
    rows of the fact_roles index, however many facts a hub has.
    """
    if per_entity is not None and room is not None:  # share the room out: read about `room` rows, not more
        per_entity = max(1, min(per_entity, room // len(holders) + 1))
    found: set[str] = set()
    if per_entity is not None and not types and since is None:
        for chunk in batched(holders, COMPOUND):
            found.update(conn.execute(*_first_facts(chunk, per_entity)).scalars())
        ranked = sorted(found - chosen.keys())
        return ranked if room is None else ranked[:room]
    for chunk in batched(holders, COMPOUND):
        parts = []
        for holder in chunk if per_entity is not None else [None]:
            roles = select(fact_roles.c.fact_id)
            roles = roles.where(fact_roles.c.entity_id.in_(chunk) if holder is None else
                                fact_roles.c.entity_id == holder)
            if types or since is not None:
                roles = _filtered(roles.join(facts, facts.c.id == fact_roles.c.fact_id), types, since)
            if per_entity is not None:
                roles = roles.order_by(fact_roles.c.fact_id).limit(per_entity)
            elif room is not None and len(holders) == 1:  # the first hop: one entity, `room` of its facts
                roles = roles.order_by(fact_roles.c.fact_id).limit(room + len(chosen))
            inner = roles.subquery()
            parts.append(select(inner.c.fact_id))
        query = parts[0] if len(parts) == 1 else union_all(*parts)
        found.update(conn.execute(query).scalars())
    ranked = sorted(found - chosen.keys())
    return ranked if room is None else ranked[:room]


def _first_facts(holders: Sequence[str], per_entity: int) -> tuple[Any, dict[str, Any]]:
    """The compound statement of per-entity `LIMIT` selects, written as text: building hundreds of
    Core subqueries costs more than running them."""
    parts = [f"SELECT fact_id FROM (SELECT fact_id FROM fact_roles WHERE entity_id = :e{i} "
             f"ORDER BY fact_id LIMIT :per_entity) AS p{i}" for i in range(len(holders))]
    params: dict[str, Any] = {f"e{i}": holder for i, holder in enumerate(holders)}
    params["per_entity"] = per_entity
    return text(" UNION ALL ".join(parts)), params


def _holders(conn: Connection, fact_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """fact id -> [(role, entity id)]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for chunk in batched(fact_ids):
        query = select(fact_roles.c.fact_id, fact_roles.c.role, fact_roles.c.entity_id).where(
            among(conn, fact_roles.c.fact_id, chunk))
        for fact_id, role, holder in conn.execute(query).all():
            out.setdefault(fact_id, []).append((role, holder))
    return out


def _rank(fact_type: str, role: str) -> int:
    order = ROLE_ORDER.get(fact_type, ())
    return order.index(role) if role in order else len(order)


def _describe_nodes(conn: Connection, graph: nx.MultiDiGraph) -> None:
    for chunk in batched(list(graph.nodes)):
        for row in conn.execute(select(entities.c.id, entities.c.name, entities.c.type, entities.c.country)
                                .where(among(conn, entities.c.id, chunk))):
            graph.nodes[row.id].update(name=row.name, type=row.type, country=row.country)


def render(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as json (node-link) | graphml | gexf | dot text."""
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_without_nulls(graph))) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_for_gexf(_without_nulls(graph)))) + "\n"
    if fmt == "dot":
        return to_dot(graph)
    raise NewsIntelError(f"unknown network format {fmt!r} (one of {', '.join(FORMATS)})")


def _without_nulls(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose missing values (no country, no date) are absent attributes: XML has no null."""
    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True))
    copy.add_edges_from((u, v, k, {a: b for a, b in d.items() if b is not None})
                        for u, v, k, d in graph.edges(keys=True, data=True))
    return copy


def _for_gexf(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF reserves an edge's `type` for its direction: the fact type goes to `fact_type` and `label`."""
    for _u, _v, data in graph.edges(data=True):
        if "type" in data:
            data["fact_type"] = data["label"] = data.pop("type")
    return graph


def dot_quote(value: object) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks as \\n."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT, written by hand: every id and value quoted, so any name is safe."""
    lines = ["digraph newsintel {"]
    for node, data in graph.nodes(data=True):
        attrs = {"label": data.get("name", node), **{k: v for k, v in data.items() if k != "name"}}
        lines.append(f"  {dot_quote(node)} [{_dot_attrs(attrs)}];")
    for source, target, data in graph.edges(data=True):
        attrs = {"label": data.get("type", ""), **data}
        lines.append(f"  {dot_quote(source)} -> {dot_quote(target)} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_attrs(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{dot_quote(k)}={dot_quote(v)}" for k, v in attrs.items() if v is not None)
