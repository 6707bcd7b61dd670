"""What a front page shows: the facts stored most recently and the actors in the most facts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from newsintel.query.facts import load_facts
from newsintel.store.schema import entities, fact_roles, facts

LATEST = 10
ACTIVE = 10


def latest_facts(conn: Connection, limit: int = LATEST) -> list[dict[str, Any]]:
    """Fact dicts (with "first_seen"), the most recently stored first (ties: later ingest, then id)."""
    query = (select(facts.c.id)
             .order_by(facts.c.first_seen.desc(), facts.c.first_sequence.desc(), facts.c.id)
             .limit(limit))
    return load_facts(conn, list(conn.execute(query).scalars()), with_first_seen=True)


def active_actors(conn: Connection, limit: int = ACTIVE,
                  skip_types: tuple[str, ...] = ("country",)) -> list[dict[str, Any]]:
    """[{"id","name","type","country","facts": n}]: entities holding a role in most facts, then by name.

    Countries are left out by default: "United States" is in nearly every fact and says little.
    """
    count = func.count(fact_roles.c.fact_id.distinct()).label("n")
    query = (select(entities.c.id, entities.c.name, entities.c.type, entities.c.country, count)
             .join(fact_roles, fact_roles.c.entity_id == entities.c.id)
             .group_by(entities.c.id, entities.c.name, entities.c.type, entities.c.country)
             .order_by(count.desc(), entities.c.name, entities.c.id)
             .limit(limit))
    if skip_types:
        query = query.where(entities.c.type.not_in(skip_types))
    return [{"id": r.id, "name": r.name, "type": r.type, "country": r.country, "facts": int(r.n)}
            for r in conn.execute(query)]
