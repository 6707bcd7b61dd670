"""Everything the store knows about one entity: who it is, its facts with sources, its counterparties."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from newsintel.query.facts import load_facts
from newsintel.query.names import entity_card
from newsintel.store.schema import entities, fact_roles, facts

FACT_LIMIT = 500
COUNTERPARTY_LIMIT = 50


def dossier(conn: Connection, entity_id: str, limit: int = FACT_LIMIT,
            counterparty_limit: int = COUNTERPARTY_LIMIT) -> dict[str, Any]:
    """{"entity", "facts", "facts_total", "counterparties"} (see docs/QUERIES.md).

    Facts: the `limit` most recent ones (undated last), grouped by type then in time order;
    `facts_total` counts them all. Counterparties: the entities sharing most facts with this one.
    """
    card = entity_card(conn, entity_id)
    mine = select(fact_roles.c.fact_id).where(fact_roles.c.entity_id == entity_id)
    page = (select(facts.c.id).where(facts.c.id.in_(mine))
            .order_by(facts.c.date_value.desc().nulls_last(), facts.c.id).limit(limit))
    ids = list(conn.execute(page).scalars())
    total = conn.execute(select(func.count(fact_roles.c.fact_id.distinct()))
                         .where(fact_roles.c.entity_id == entity_id)).scalar_one()
    found = load_facts(conn, ids)
    found.sort(key=lambda f: (f["type"], f["date"] is None, f["date"]["value"] if f["date"] else "", f["id"]))
    return {"entity": card, "facts": found, "facts_total": total,
            "counterparties": counterparties(conn, entity_id, counterparty_limit)}


def counterparties(conn: Connection, entity_id: str, limit: int = COUNTERPARTY_LIMIT) -> list[dict[str, Any]]:
    """[{"id","name","type","facts": n}]: entities in most facts with `entity_id`, then by name."""
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
