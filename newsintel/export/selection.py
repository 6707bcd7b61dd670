"""What an export covers: the facts chosen by the shared filters, and the entities and documents they touch.

No filter: the whole store (every entity and document, also those in no fact). With a filter
(`--entity` with `--depth`, `--type`, `--since`, `--until`): the facts that pass, the entities
holding their roles (plus the named entity) and the documents that report them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from newsintel.query.facts import batched, check_date, load_facts, until_bound
from newsintel.store.schema import documents, entities, fact_roles, facts, sources

STREAM = 2000  # rows per fetch when a whole table is read


@dataclass(frozen=True)
class Selection:
    """Ids of what to export; None means every row of that table."""

    facts: list[str] | None = None
    entities: list[str] | None = None
    documents: list[str] | None = None

    @property
    def everything(self) -> bool:
        return self.facts is None


def select_store(conn: Connection, entity_id: str | None = None, depth: int = 2,
                 types: Sequence[str] | None = None, since: str | None = None,
                 until: str | None = None) -> Selection:
    """The selection the filters describe (dates inclusive at their precision, as in `timeline`)."""
    if entity_id is None and not types and since is None and until is None:
        return Selection()
    since = check_date(since, "--since") if since is not None else None
    until = check_date(until, "--until") if until is not None else None
    if entity_id is None:
        query = _dated(select(facts.c.id), facts.c, types, since, until).order_by(facts.c.id)
        fact_ids = list(conn.execute(query).scalars())
        holders: set[str] = set()
    else:
        fact_ids, holders = _around(conn, entity_id, max(depth, 1), types, since, until)
    holders |= set(_column_where(conn, fact_roles.c.entity_id, fact_roles.c.fact_id, fact_ids))
    docs = sorted(set(_column_where(conn, sources.c.document_id, sources.c.fact_id, fact_ids)))
    return Selection(fact_ids, sorted(holders), docs)


def _dated(query: Any, columns: Any, types: Sequence[str] | None, since: str | None, until: str | None) -> Any:
    if types:
        query = query.where(columns.type.in_(list(types)))
    if since is not None:
        query = query.where(columns.date_value >= since)
    if until is not None:
        query = query.where(columns.date_value < until_bound(until))
    return query


def _around(conn: Connection, entity_id: str, depth: int, types: Sequence[str] | None, since: str | None,
            until: str | None) -> tuple[list[str], set[str]]:
    """Facts within `depth` hops of the entity (hop 1: its own facts), uncapped; and the entities seen."""
    chosen: dict[str, None] = {}
    seen, frontier = {entity_id}, [entity_id]
    for _ in range(depth):
        new: set[str] = set()
        for chunk in batched(frontier):
            query = _dated(select(fact_roles.c.fact_id).where(fact_roles.c.entity_id.in_(chunk)), fact_roles.c,
                           types, since, until)
            new.update(conn.execute(query).scalars())
        fresh = sorted(new - chosen.keys())
        chosen.update(dict.fromkeys(fresh))
        reached = set(_column_where(conn, fact_roles.c.entity_id, fact_roles.c.fact_id, fresh))
        frontier = sorted(reached - seen)
        seen |= reached
        if not frontier:
            break
    return sorted(chosen), seen


def _column_where(conn: Connection, column: Any, key: Any, ids: Sequence[str]) -> Iterator[Any]:
    for chunk in batched(list(ids)):
        yield from conn.execute(select(column).where(key.in_(chunk)).distinct()).scalars()


def rows(conn: Connection, table: Table, key: Any | None = None, ids: Sequence[str] | None = None,
         order: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """Rows of `table` as dicts: all of them (streamed) when `ids` is None, else those whose `key` is in ids."""
    order = tuple(order) or tuple(table.primary_key.columns) or tuple(table.columns)
    if ids is None or key is None:
        result = conn.execution_options(yield_per=STREAM).execute(select(table).order_by(*order))
        for row in result:
            yield dict(row._mapping)
        return
    for chunk in batched(list(ids)):
        for row in conn.execute(select(table).where(key.in_(chunk)).order_by(*order)):
            yield dict(row._mapping)


def fact_ids(conn: Connection, selection: Selection) -> list[str]:
    if selection.facts is not None:
        return selection.facts
    return list(conn.execute(select(facts.c.id).order_by(facts.c.id)).scalars())


def entity_ids(conn: Connection, selection: Selection) -> list[str]:
    if selection.entities is not None:
        return selection.entities
    return list(conn.execute(select(entities.c.id).order_by(entities.c.id)).scalars())


def document_ids(conn: Connection, selection: Selection) -> list[str]:
    if selection.documents is not None:
        return selection.documents
    return list(conn.execute(select(documents.c.id).order_by(documents.c.sequence)).scalars())


def fact_dicts(conn: Connection, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The fact dicts of docs/QUERIES.md, with the stored `attributes` added, a batch at a time."""
    for chunk in batched(list(ids)):
        attributes = dict(conn.execute(select(facts.c.id, facts.c.attributes).where(facts.c.id.in_(chunk)))
                          .tuples().all())
        for fact in load_facts(conn, chunk):
            fact["attributes"] = dict(attributes.get(fact["id"]) or {})
            yield fact
