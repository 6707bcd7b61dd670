"""What is new: facts first stored since a date, optionally only those about watched entities."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from newsintel.query.facts import check_date, load_facts
from newsintel.store.schema import fact_roles, facts

LIMIT = 1000


def facts_since(conn: Connection, date: str, watch: list[str] | None = None,
                limit: int = LIMIT) -> list[dict[str, Any]]:
    """Fact dicts (with "first_seen") whose facts.first_seen >= `date`, in the order they were first seen.

    `date` is an ISO date or timestamp (compared as text with the stored UTC timestamps); `watch`
    restricts to facts with a role held by one of these entity ids (an empty list gives nothing).
    """
    query = select(facts.c.id).where(facts.c.first_seen >= check_date(date, "date", timestamp=True))
    if watch is not None:
        if not watch:
            return []
        query = query.where(facts.c.id.in_(select(fact_roles.c.fact_id).where(fact_roles.c.entity_id.in_(watch))))
    query = query.order_by(facts.c.first_seen, facts.c.first_sequence, facts.c.id).limit(limit)
    return load_facts(conn, list(conn.execute(query).scalars()), with_first_seen=True)
