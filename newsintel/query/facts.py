"""Fact dicts in bulk: a page of fact ids becomes facts with their roles and sources in three queries.

Every query module returns facts in this one form (docs/QUERIES.md), so the CLI, the web edge and
exports render them alike. Roles and sources are fetched with `IN (...)` batches, never per fact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from newsintel.errors import NewsIntelError
from newsintel.store.schema import documents, entities, fact_roles, facts, sources

BATCH = 500  # ids per IN (...): well under SQLite's bound-parameter limit
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def batched(ids: Sequence[str], size: int = BATCH) -> Iterator[Sequence[str]]:
    """Slices of at most `size` ids."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def among(conn: Connection, column: ColumnElement[Any], ids: Sequence[str]) -> ColumnElement[bool]:
    """`column IN (ids)` with the ids as one parameter: an array on PostgreSQL (`= ANY(:ids)`), a JSON
    list on SQLite (`IN (SELECT value FROM json_each(:ids))`). Hundreds of separate parameters cost
    more to bind, parse and plan than the lookups themselves."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(column.type)))
    if conn.dialect.name == "sqlite":
        listed = func.json_each(bindparam(None, json.dumps(list(ids)))).table_valued("value")
        return column.in_(select(listed.c.value))
    return column.in_(list(ids))


def check_date(value: str, what: str = "date", timestamp: bool = False) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD; or a timestamp when allowed), else a clear error."""
    value = value.strip()
    if _DATE.match(value) or (timestamp and _TIMESTAMP.match(value)):
        return value
    forms = "YYYY, YYYY-MM, YYYY-MM-DD" + (" or an ISO timestamp" if timestamp else "")
    raise NewsIntelError(f"{what} {value!r} is not a date ({forms})")


def until_bound(until: str) -> str:
    """The exclusive upper bound for dates within `until`: "2019-10" also admits "2019-10-31"."""
    return until + "~"  # "~" sorts after "-" and the digits


def distinct_rows(conn: Connection, page: Callable[[int], Select[Any]], want: int) -> list[tuple[str, Any]]:
    """At least `want` rows with distinct fact ids (fewer when there are no more), in the page's order.

    An entity holding two roles of one fact has two index entries for it: read more when that happens.
    """
    size = want
    while True:
        rows = [tuple(row) for row in conn.execute(page(size))]
        distinct: dict[str, tuple[str, Any]] = {}
        for row in rows:
            distinct.setdefault(row[0], (row[0], row[1]))
        if len(distinct) >= want or len(rows) < size:
            return list(distinct.values())
        size *= 2


def load_facts(conn: Connection, fact_ids: Sequence[str], with_first_seen: bool = False) -> list[dict[str, Any]]:
    """Fact dicts for `fact_ids`, in the order given (unknown ids are left out)."""
    ids = list(dict.fromkeys(fact_ids))
    if not ids:
        return []
    rows: dict[str, Any] = {}
    for chunk in batched(ids):
        columns = (facts.c.id, facts.c.type, facts.c.date_value, facts.c.date_precision, facts.c.amount_value,
                   facts.c.amount_currency, facts.c.first_seen)
        for row in conn.execute(select(*columns).where(among(conn, facts.c.id, chunk))).all():
            rows[row.id] = row
    roles = _roles(conn, ids)
    cited, independent = _sources(conn, ids)
    out = []
    for fact_id in ids:
        if fact_id not in rows:
            continue
        row = rows[fact_id]
        fact: dict[str, Any] = {
            "id": row.id,
            "type": row.type,
            "date": {"value": row.date_value, "precision": row.date_precision} if row.date_value else None,
            "roles": roles.get(fact_id, {}),
            "amount": ({"value": row.amount_value, "currency": row.amount_currency}
                       if row.amount_value is not None else None),
            "sources": cited.get(fact_id, []),
            # distinct stories reporting it: a near-duplicate republication adds a source, not a story
            "independent_sources": independent.get(fact_id, 0),
        }
        if with_first_seen:
            fact["first_seen"] = row.first_seen
        out.append(fact)
    return out


def _roles(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, list[dict[str, str]]]]:
    """fact id -> {role: [{"id","name"}]}, roles and entities in a stable (name) order."""
    found: dict[str, dict[str, list[dict[str, str]]]] = {}
    for chunk in batched(ids):
        query = (select(fact_roles.c.fact_id, fact_roles.c.role, entities.c.id, entities.c.name)
                 .join(entities, entities.c.id == fact_roles.c.entity_id)
                 .where(among(conn, fact_roles.c.fact_id, chunk)))
        for fact_id, role, entity_id, name in conn.execute(query).all():
            found.setdefault(fact_id, {}).setdefault(role, []).append({"id": entity_id, "name": name})
    for roles in found.values():
        for members in roles.values():
            members.sort(key=lambda e: (e["name"].casefold(), e["id"]))
    return {fact_id: dict(sorted(roles.items())) for fact_id, roles in found.items()}


def _sources(conn: Connection, ids: Sequence[str]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """fact id -> [{"document_id","url","title","published","sentence"}], oldest article first; and
    fact id -> its independent sources (see resolve.facts.independent_sources), from the same rows."""
    found: dict[str, list[dict[str, Any]]] = {}
    stories: dict[str, set[str]] = {}
    for chunk in batched(ids):
        query = (select(sources.c.fact_id, sources.c.sentence, documents.c.id, documents.c.url,
                        documents.c.title, documents.c.published, documents.c.duplicate_of)
                 .join(documents, documents.c.id == sources.c.document_id)
                 .where(among(conn, sources.c.fact_id, chunk)))
        for row in conn.execute(query).all():  # one fetch: much cheaper than row by row
            found.setdefault(row.fact_id, []).append({
                "document_id": row.id, "url": row.url, "title": row.title, "published": row.published,
                "sentence": row.sentence})
            stories.setdefault(row.fact_id, set()).add(row.duplicate_of or row.id)
    for cited in found.values():
        cited.sort(key=lambda s: (s["published"] is None, s["published"] or "", s["document_id"], s["sentence"]))
    return found, {fact_id: len(story_ids) for fact_id, story_ids in stories.items()}


def fact_entities(fact: dict[str, Any]) -> Iterable[tuple[str, dict[str, str]]]:
    """(role, entity) pairs of a fact dict."""
    for role, members in fact["roles"].items():
        for entity in members:
            yield role, entity
