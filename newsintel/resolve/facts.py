"""Facts: the same event reported by several articles is one fact with several sources.

Fact identity: the same type, the same resolved entity set in every role, and compatible dates
(either unknown, or one a prefix of the other: "2019" fits "2019-05-16"). A fact keeps the most
precise date, the first amount and the highest confidence reported.

Independent sources: the distinct stories that report a fact, counting a near-duplicate document
(`documents.duplicate_of`) as its original. A duplicate's `sources` rows are stored (its sentence is
still evidence) but never raise the count: see `independent_sources`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from newsintel import model
from newsintel.store.schema import doc_events, documents, fact_roles, facts, mentions, sources
from newsintel.store.upsert import insert_ignore

Roles = dict[str, list[str]]

# Statements built once (building one costs several times executing it; these run per event).
# The candidates come from the entity's fact_roles, not from every fact of the type: given an index on
# facts.type SQLite walked all facts of that type (most are "position") for every event, a cost that grew
# with the store. coalesce() on the NOT NULL column changes no result and keeps that index out of the plan.
_CANDIDATES = (select(facts.c.id, facts.c.date_value).join(fact_roles, fact_roles.c.fact_id == facts.c.id)
               .where(func.coalesce(facts.c.type, "") == bindparam("b_type"), fact_roles.c.role == bindparam("b_role"),
                      fact_roles.c.entity_id == bindparam("b_entity"))
               .order_by(facts.c.first_sequence, facts.c.id))
_ROLES_OF = select(fact_roles.c.fact_id, fact_roles.c.role, fact_roles.c.entity_id).where(
    fact_roles.c.fact_id.in_(bindparam("b_ids", expanding=True)))
_FACT = select(facts).where(facts.c.id == bindparam("b_id"))
_FACT_EXISTS = select(facts.c.id).where(facts.c.id == bindparam("b_id"))
_INSERT_FACT = insert(facts)
_INSERT_ROLES = insert(fact_roles)
_UPDATE_FACT = update(facts).where(facts.c.id == bindparam("b_id"))  # SET: the keys of the parameters
_UPDATE_ROLE_DATES = (update(fact_roles).where(fact_roles.c.fact_id == bindparam("b_id"))
                      .values(date_value=bindparam("b_date")))
_MENTIONS_OF = select(mentions.c.local_id, mentions.c.entity_id).where(mentions.c.document_id == bindparam("b_doc"))
_EVENTS_OF = select(doc_events.c.local_id, doc_events.c.data).where(doc_events.c.document_id == bindparam("b_doc"))


# -- pure ------------------------------------------------------------------------------------------
def normalise_roles(role_entity_ids: Mapping[str, Sequence[str]]) -> Roles:
    """Roles with sorted, distinct entity ids; empty roles dropped."""
    return {role: sorted(set(ids)) for role, ids in sorted(role_entity_ids.items()) if ids}


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Unknown fits anything; otherwise one date must be a prefix of the other."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def more_precise(a: model.DateValue | None, value: str | None, precision: str | None) -> tuple[str | None, str | None]:
    """The stored (value, precision) or the event's date, whichever says more."""
    if a is None or (value is not None and len(value) >= len(a.value)):
        return value, precision
    return a.value, a.precision


def fact_key(event_type: str, roles: Roles, date: str | None) -> str:
    """The stable id of a new fact: a hash of its type, roles and date (when given)."""
    payload = json.dumps([event_type, roles, date or ""], sort_keys=True, separators=(",", ":"))
    return f"{event_type}:{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:20]}"


def event_from_dict(local_id: str, data: Mapping[str, Any]) -> model.Event:
    """A model.Event back from its SCHEMA dict (as stored in doc_events.data)."""
    date = data.get("date")
    amount = data.get("amount")
    return model.Event(
        id=local_id, type=data["type"], roles={k: list(v) for k, v in data.get("roles", {}).items()},
        evidence=[model.Span(s["start"], s["end"], s["text"]) for s in data.get("evidence", [])],
        confidence=float(data.get("confidence", 0.0)),
        date=model.DateValue(date["value"], date["precision"], date.get("text", "")) if date else None,
        amount=(model.Money(amount["value"], amount["currency"], amount.get("text", ""), amount.get("qualifier"),
                            amount.get("upper")) if amount else None),
        attributes=dict(data.get("attributes", {})),
    )


def local_order(local_id: str) -> tuple[int, str]:
    """Extraction order of local ids ("v2" before "v10")."""
    return len(local_id), local_id


# -- the store ---------------------------------------------------------------------------------------
def _roles_of(connection: Connection, fact_ids: Sequence[str]) -> dict[str, Roles]:
    """The normalised roles of each of these facts, in one query."""
    found: dict[str, dict[str, list[str]]] = {fact_id: {} for fact_id in fact_ids}
    if fact_ids:
        for fact_id, role, entity_id in connection.execute(_ROLES_OF, {"b_ids": list(fact_ids)}):
            found[fact_id].setdefault(role, []).append(entity_id)
    return {fact_id: normalise_roles(roles) for fact_id, roles in found.items()}


def find_fact(connection: Connection, event_type: str, roles: Roles, date: str | None) -> str | None:
    """The earliest stored fact this event is (same type, same role sets, compatible date)."""
    if not roles:
        return None
    role, ids = next(iter(roles.items()))
    candidates = connection.execute(_CANDIDATES, {"b_type": event_type, "b_role": role, "b_entity": ids[0]}).all()
    fitting = [str(fact_id) for fact_id, value in candidates if dates_compatible(value, date)]
    stored = _roles_of(connection, fitting)  # one query for all candidates, not one each
    return next((fact_id for fact_id in fitting if stored[fact_id] == roles), None)


def record_fact(connection: Connection, event: model.Event, role_entity_ids: Mapping[str, Sequence[str]],
                document_id: str, sequence: int, now: str) -> str:
    """Add this document's event as a source of its fact (created when new); the fact's id."""
    roles = normalise_roles(role_entity_ids)
    date = event.date.value if event.date else None
    fact_id = find_fact(connection, event.type, roles, date)
    if fact_id is None:
        fact_id = _create_fact(connection, event, roles, sequence, now)
    else:
        _support_fact(connection, fact_id, event, sequence, now)
    evidence = event.evidence[0] if event.evidence else model.Span(0, 0, "")
    insert_ignore(connection, sources, [{
        "fact_id": fact_id, "document_id": document_id, "event_local_id": event.id, "sentence": evidence.text,
        "start": evidence.start, "end": evidence.end, "confidence": round(event.confidence, 3)}])
    return fact_id


def _create_fact(connection: Connection, event: model.Event, roles: Roles, sequence: int, now: str) -> str:
    base = fact_key(event.type, roles, event.date.value if event.date else None)
    fact_id, n = base, 1
    while connection.execute(_FACT_EXISTS, {"b_id": fact_id}).first() is not None:
        n += 1
        fact_id = f"{base}-{n}"
    connection.execute(_INSERT_FACT, {
        "id": fact_id, "type": event.type, "date_value": event.date.value if event.date else None,
        "date_precision": event.date.precision if event.date else None,
        "amount_value": event.amount.value if event.amount else None,
        "amount_currency": event.amount.currency if event.amount else None,
        "attributes": dict(event.attributes), "confidence": round(event.confidence, 3), "first_seen": now,
        "first_sequence": sequence})
    date_value = event.date.value if event.date else None
    connection.execute(_INSERT_ROLES, [{"fact_id": fact_id, "role": role, "entity_id": entity_id,
                                        "type": event.type, "date_value": date_value}
                                       for role, ids in roles.items() for entity_id in ids])
    return fact_id


def sync_fact_roles(connection: Connection, fact_ids: Sequence[str]) -> None:
    """Copy the facts' type and date_value onto their fact_roles rows (the per-entity date index)."""
    ids = sorted(set(fact_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        of_fact = facts.c.id == fact_roles.c.fact_id
        connection.execute(update(fact_roles).where(fact_roles.c.fact_id.in_(chunk)).values(
            type=select(facts.c.type).where(of_fact).scalar_subquery(),
            date_value=select(facts.c.date_value).where(of_fact).scalar_subquery()))


def _support_fact(connection: Connection, fact_id: str, event: model.Event, sequence: int, now: str) -> None:
    """A further report of a stored fact: a more precise date, a missing amount, more confidence."""
    row = connection.execute(_FACT, {"b_id": fact_id}).one()
    value, precision = more_precise(event.date, row.date_value, row.date_precision)
    changes: dict[str, Any] = {"date_value": value, "date_precision": precision,
                               "confidence": max(row.confidence, round(event.confidence, 3))}
    if row.amount_value is None and event.amount is not None:
        changes.update(amount_value=event.amount.value, amount_currency=event.amount.currency)
    if sequence < row.first_sequence:
        changes.update(first_sequence=sequence, first_seen=now)
    connection.execute(_UPDATE_FACT, {"b_id": fact_id, **changes})
    if value != row.date_value:
        connection.execute(_UPDATE_ROLE_DATES, {"b_id": fact_id, "b_date": value})


def independent_sources(connection: Connection, fact_ids: Sequence[str] | None = None) -> dict[str, int]:
    """fact id -> the number of distinct original stories that report it (duplicates count as originals)."""
    story = func.coalesce(documents.c.duplicate_of, documents.c.id)
    query = (select(sources.c.fact_id, func.count(story.distinct()))
             .join(documents, documents.c.id == sources.c.document_id).group_by(sources.c.fact_id))
    if fact_ids is not None:
        query = query.where(sources.c.fact_id.in_(list(fact_ids)))
    return {str(fact_id): int(n) for fact_id, n in connection.execute(query)}


def record_document_facts(connection: Connection, document_id: str, sequence: int, now: str,
                          resolved: Mapping[str, str] | None = None,
                          events: Sequence[tuple[str, Mapping[str, Any]]] | None = None) -> int:
    """Record every stored event of one document as facts, roles resolved through its mentions.

    `resolved` (mention local id -> entity id) and `events` ((local id, SCHEMA dict) as stored) are
    read from the store unless the caller, who has just written them, passes them in.
    """
    if resolved is None:
        resolved = dict(connection.execute(_MENTIONS_OF, {"b_doc": document_id}).tuples().all())
    if events is None:
        events = [(str(local_id), data) for local_id, data in connection.execute(_EVENTS_OF, {"b_doc": document_id})]
    count = 0
    for local_id, data in sorted(events, key=lambda r: local_order(r[0])):
        event = event_from_dict(local_id, data)
        roles = {role: [resolved[i] for i in ids if i in resolved] for role, ids in event.roles.items()}
        if any(roles.values()):
            record_fact(connection, event, roles, document_id, sequence, now)
            count += 1
    return count


def rebuild_facts(connection: Connection, document_ids: Sequence[str]) -> None:
    """Re-derive the facts of these documents from their events (after entities were merged or split).

    Their sources are removed, facts left without a source are deleted, and the documents' events
    are recorded again in ingest order, so facts that became identical now share one row.
    """
    ids = sorted(set(document_ids))
    if not ids:
        return
    touched = connection.execute(select(sources.c.fact_id).where(sources.c.document_id.in_(ids))
                                 .distinct()).scalars().all()
    connection.execute(delete(sources).where(sources.c.document_id.in_(ids)))
    supported = set(connection.execute(select(sources.c.fact_id).where(sources.c.fact_id.in_(touched))
                                       .distinct()).scalars())
    orphans = [f for f in touched if f not in supported]
    if orphans:
        connection.execute(delete(fact_roles).where(fact_roles.c.fact_id.in_(orphans)))
        connection.execute(delete(facts).where(facts.c.id.in_(orphans)))
    # Roles moved onto these facts by a merge were inserted without the copied columns.
    sync_fact_roles(connection, [f for f in touched if f in supported])
    docs = connection.execute(select(documents.c.id, documents.c.sequence, documents.c.ingested_at)
                              .where(documents.c.id.in_(ids)).order_by(documents.c.sequence)).all()
    for document_id, sequence, ingested_at in docs:
        record_document_facts(connection, document_id, sequence, ingested_at)
