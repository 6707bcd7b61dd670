"""Everything the store knows about one entity: who it is, its facts with sources, its counterparties.

Reads are bounded by the page, not by the entity: a hub in 150,000 facts costs about what an entity
in 500 does. The page is a range of the fact_roles (entity_id, date_value, fact_id) index, read from
its recent end; counterparties are counted over the facts of the page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from newsintel.query.facts import among, batched, distinct_rows, load_facts
from newsintel.query.flags import sanction_flags
from newsintel.query.names import entity_card
from newsintel.store.schema import entities, fact_roles

FACT_LIMIT = 200  # a page: the most recent facts, what an analyst reads first; --limit for more
COUNTERPARTY_LIMIT = 50
TOTAL_CAP = 5_000  # facts_total counts at most this many (then facts_total_capped is true)


def dossier(conn: Connection, entity_id: str, limit: int = FACT_LIMIT,
            counterparty_limit: int = COUNTERPARTY_LIMIT, total_cap: int = TOTAL_CAP) -> dict[str, Any]:
    """{"entity", "facts", "facts_total", "counterparties"} (see docs/QUERIES.md).

    Facts: the `limit` most recent ones (undated last), grouped by type then in time order;
    `facts_total` counts them all, up to `total_cap` (beyond it the answer says
    "facts_total_capped": true and facts_total is a lower bound). Counterparties: the entities
    sharing most of those `limit` facts with this one (all of its facts when it has no more).
    """
    card = entity_card(conn, entity_id)
    ids = latest_fact_ids(conn, entity_id, limit)
    total = count_facts(conn, entity_id, total_cap)
    found = load_facts(conn, ids)
    found.sort(key=lambda f: (f["type"], f["date"] is None, f["date"]["value"] if f["date"] else "", f["id"]))
    result: dict[str, Any] = {"entity": card, "facts": found, "facts_total": min(total, total_cap),
                              "counterparties": counterparties_of(conn, entity_id, found, counterparty_limit),
                              "sanctions": sanction_flags(conn, entity_id)}
    if total > total_cap:
        result["facts_total_capped"] = True
    return result


def latest_fact_ids(conn: Connection, entity_id: str, limit: int) -> list[str]:
    """The ids of the entity's `limit` most recent facts: latest date first (ties by id), then undated by id.

    Read from the recent end of the entity's range of ix_fact_roles_entity_date, so only about
    `limit` index entries are visited (plus the facts sharing the oldest date kept, to break ties by id).
    """
    if limit <= 0:
        return []
    mine = fact_roles.c.entity_id == entity_id
    date = fact_roles.c.date_value
    recent = select(fact_roles.c.fact_id, date).where(mine, date.is_not(None))
    rows = distinct_rows(conn, lambda n: recent.order_by(date.desc(), fact_roles.c.fact_id.desc()).limit(n), limit)
    if len(rows) >= limit:  # cut within the dates: take every fact of the oldest date kept, then order by id
        cutoff = rows[-1][1]
        ties = conn.execute(select(fact_roles.c.fact_id).where(mine, date == cutoff)).scalars()
        newer = [(fact_id, value) for fact_id, value in rows if value != cutoff]
        ranked = _recent_first(list(dict.fromkeys(newer + [(fact_id, cutoff) for fact_id in ties])))
        return [fact_id for fact_id, _ in ranked[:limit]]
    ids = [fact_id for fact_id, _ in _recent_first(rows)]
    undated = select(fact_roles.c.fact_id, date).where(mine, date.is_(None))
    more = distinct_rows(conn, lambda n: undated.order_by(fact_roles.c.fact_id).limit(n), limit - len(ids))
    return ids + [fact_id for fact_id, _ in more]


def _recent_first(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(fact id, date) rows, latest date first, ties by id (two stable sorts)."""
    return sorted(sorted(rows), key=lambda row: row[1], reverse=True)


def count_facts(conn: Connection, entity_id: str, cap: int | None = None) -> int:
    """The number of distinct facts of the entity; with a cap, at most cap + 1 are counted."""
    ids = select(fact_roles.c.fact_id).where(fact_roles.c.entity_id == entity_id).distinct()
    if cap is not None:
        ids = ids.order_by(fact_roles.c.fact_id).limit(cap + 1)
    return int(conn.execute(select(func.count()).select_from(ids.subquery())).scalar_one())


def counterparties_of(conn: Connection, entity_id: str, found: list[dict[str, Any]],
                      limit: int = COUNTERPARTY_LIMIT) -> list[dict[str, Any]]:
    """[{"id","name","type","facts": n}] over the fact dicts `found`: most shared facts first, then by name."""
    shared: dict[str, int] = {}
    names: dict[str, str] = {}
    for fact in found:
        others = {e["id"]: e["name"] for members in fact["roles"].values() for e in members if e["id"] != entity_id}
        names.update(others)
        for other in others:
            shared[other] = shared.get(other, 0) + 1
    ranked = sorted(shared, key=lambda e: (-shared[e], names[e], e))[:limit]
    types: dict[str, str] = {}
    for chunk in batched(ranked):
        query = select(entities.c.id, entities.c.type).where(among(conn, entities.c.id, chunk))
        types.update(conn.execute(query).tuples().all())
    return [{"id": e, "name": names[e], "type": types.get(e, ""), "facts": shared[e]} for e in ranked]


def counterparties(conn: Connection, entity_id: str, limit: int = COUNTERPARTY_LIMIT) -> list[dict[str, Any]]:
    """[{"id","name","type","facts": n}]: entities in most facts with `entity_id` (all of them), then by name.

    Exact over every fact of the entity, so its cost grows with them; dossier() counts over its page.
    """
    mine = fact_roles.alias("mine")
    other = fact_roles.alias("other")
    shared = func.count(other.c.fact_id.distinct()).label("shared")
    query = (select(entities.c.id, entities.c.name, entities.c.type, shared)
             .select_from(mine)
             .join(other, other.c.fact_id == mine.c.fact_id)
             .join(entities, entities.c.id == other.c.entity_id)
             .where(mine.c.entity_id == entity_id, other.c.entity_id != entity_id)
             .group_by(entities.c.id, entities.c.name, entities.c.type)
             .order_by(shared.desc(), entities.c.name, entities.c.id)
             .limit(limit))
    return [{"id": row.id, "name": row.name, "type": row.type, "facts": row.shared} for row in conn.execute(query)]
