"""Facts in time order, filtered by entity, type, country and a date range."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, select

from newsintel.query.facts import check_date, distinct_rows, load_facts, until_bound
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
    if entity_id is not None:  # one range of ix_fact_roles_entity_date, in date order
        fact_id, date, kind = fact_roles.c.fact_id, fact_roles.c.date_value, fact_roles.c.type
        query = select(fact_id, date).where(fact_roles.c.entity_id == entity_id)
    else:
        fact_id, date, kind = facts.c.id, facts.c.date_value, facts.c.type
        query = select(fact_id, date)
    if type is not None:
        query = query.where(kind == type)
    if country is not None:
        held = fact_roles.alias("held")
        of_country = select(entities.c.id).where(entities.c.country == country.upper())
        query = query.where(fact_id.in_(select(held.c.fact_id).where(held.c.entity_id.in_(of_country))))
    if since is not None:
        query = query.where(date >= check_date(since, "--since"))
    if until is not None:
        query = query.where(date < until_bound(check_date(until, "--until")))
    ids = _page(conn, query.where(date.is_not(None)), (date, fact_id), limit)
    if len(ids) < limit and since is None and until is None:
        ids += _page(conn, query.where(date.is_(None)), (fact_id,), limit - len(ids))
    return load_facts(conn, ids)


def _page(conn: Connection, query: Select[Any], order: tuple[Any, ...], limit: int) -> list[str]:
    """Dated and undated facts are paged separately so each query can follow an index's order."""
    rows = distinct_rows(conn, lambda n: query.order_by(*order).limit(n), limit)
    return [fact_id for fact_id, _ in rows[:limit]]
