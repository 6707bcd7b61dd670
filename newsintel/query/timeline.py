"""Facts in time order, filtered by entity, type, country and a date range."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, select

from newsintel.query.facts import check_date, load_facts, until_bound
from newsintel.store.schema import entities, fact_roles, facts

LIMIT = 200


def timeline(conn: Connection, entity_id: str | None = None, type: str | None = None,
             country: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = LIMIT) -> list[dict[str, Any]]:
    """Fact dicts, oldest first (undated facts last, and left out when a date range is given).

    `since`/`until` are ISO dates of any precision and inclusive: until="2019-10" keeps 2019-10-31;
    a fact dated only "2019" is before since="2019-10". `country` keeps facts with a role held by an
    entity of that country (ISO code).
    """
    query = select(facts.c.id)
    if entity_id is not None:
        query = query.where(facts.c.id.in_(select(fact_roles.c.fact_id).where(fact_roles.c.entity_id == entity_id)))
    if type is not None:
        query = query.where(facts.c.type == type)
    if country is not None:
        of_country = select(entities.c.id).where(entities.c.country == country.upper())
        query = query.where(facts.c.id.in_(select(fact_roles.c.fact_id)
                                           .where(fact_roles.c.entity_id.in_(of_country))))
    if since is not None:
        query = query.where(facts.c.date_value >= check_date(since, "--since"))
    if until is not None:
        query = query.where(facts.c.date_value < until_bound(check_date(until, "--until")))
    ids = _page(conn, query.where(facts.c.date_value.is_not(None)), limit)
    if len(ids) < limit and since is None and until is None:
        ids += _page(conn, query.where(facts.c.date_value.is_(None)), limit - len(ids))
    return load_facts(conn, ids)


def _page(conn: Connection, query: Select[Any], limit: int) -> list[str]:
    """Dated and undated facts are paged separately so each query can follow an index's order."""
    ordered = query.order_by(facts.c.date_value, facts.c.id).limit(limit)
    return list(conn.execute(ordered).scalars())
