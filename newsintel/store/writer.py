"""Write one extraction into the store, in one transaction: all of the document or none of it.

The document id is a hash of its clean text, so a document already stored is skipped; a near
duplicate of a stored story (simhash within 3 bits) is stored and linked by `duplicate_of`, and its
events add sources to facts without raising their independent-source count (resolve/facts.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Column, Connection, MetaData, Table, Text, bindparam, func, insert, select

from newsintel import model
from newsintel.refdata import Gazetteer
from newsintel.resolve.facts import record_document_facts
from newsintel.resolve.resolver import Resolver
from newsintel.store.db import Store
from newsintel.store.fingerprint import MIN_CONTAINMENT, NearDuplicateIndex, containment, shingles, simhash, to_hex
from newsintel.store.schema import doc_events, documents, failures, mentions

# The SQLite full-text table created by db.py (a virtual table, so not part of the schema metadata).
documents_fts = Table("documents_fts", MetaData(), Column("document_id", Text), Column("title", Text),
                      Column("text", Text))

# Statements built once: building a SQLAlchemy statement costs several times executing a cached one.
_IS_STORED = select(documents.c.id).where(documents.c.id == bindparam("b_id"))
_TEXT_OF = select(documents.c.text).where(documents.c.id == bindparam("b_id"))
_NEXT_SEQUENCE = select(func.coalesce(func.max(documents.c.sequence), 0) + 1)
_INSERT_DOCUMENT = insert(documents)
_INSERT_FTS = insert(documents_fts)
_INSERT_MENTIONS = insert(mentions)
_INSERT_EVENTS = insert(doc_events)


@dataclass(frozen=True)
class StoreOutcome:
    """What storing one extraction did."""

    status: str  # "stored" | "skipped" | "duplicate"
    document_id: str
    facts: int = 0  # facts created or supported
    duplicate_of: str | None = None
    fingerprint: str = ""


def utc_now() -> str:
    """An ISO timestamp (UTC, seconds)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(text: str) -> str:
    """The document id: sha256 of the clean text, first 32 hex characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def is_stored(connection: Connection, document_id: str) -> bool:
    return connection.execute(_IS_STORED, {"b_id": document_id}).first() is not None


def load_duplicate_index(connection: Connection) -> NearDuplicateIndex:
    """Fingerprints of every original (non-duplicate) stored document, in ingest order."""
    rows = connection.execute(select(documents.c.id, documents.c.fingerprint)
                              .where(documents.c.duplicate_of.is_(None)).order_by(documents.c.sequence))
    return NearDuplicateIndex((str(i), str(f)) for i, f in rows)


def _same_story(connection: Connection, mine: set[str], other_id: str) -> bool:
    """Whether a near-duplicate candidate's stored text tells the same story (most shingles shared)."""
    other = connection.execute(_TEXT_OF, {"b_id": other_id}).scalar()
    return other is not None and containment(mine, other) >= MIN_CONTAINMENT


def store_extraction(store: Store, extraction: model.Extraction, source: str,
                     index: NearDuplicateIndex | None = None, gazetteer: Gazetteer | None = None,
                     now: str | None = None) -> StoreOutcome:
    """Store one document with its mentions, events and facts in a single transaction.

    `index` (near-duplicate fingerprints) is loaded from the store when not given; the caller that
    passes one must add the document to it after a "stored" outcome (ingest does).
    """
    now = now or utc_now()
    with store.engine.begin() as connection:
        return write_extraction(connection, extraction, source,
                                index if index is not None else load_duplicate_index(connection), gazetteer, now)


def write_extraction(connection: Connection, extraction: model.Extraction, source: str,
                     index: NearDuplicateIndex, gazetteer: Gazetteer | None, now: str) -> StoreOutcome:
    """The body of `store_extraction` inside the caller's transaction."""
    document = extraction.document
    document_id = content_hash(document.text)
    if is_stored(connection, document_id):
        return StoreOutcome("skipped", document_id)
    fingerprint = to_hex(simhash(document.text))
    mine: set[str] = set()  # the document's shingles, made for the first candidate (most have none)

    def same_story(other_id: str) -> bool:
        if not mine:
            mine.update(shingles(document.text))
        return _same_story(connection, mine, other_id)

    original = index.find(fingerprint, same_story)
    sequence = int(connection.execute(_NEXT_SEQUENCE).scalar_one())
    connection.execute(_INSERT_DOCUMENT, {
        "id": document_id, "source_id": document.id or source, "url": document.url, "title": document.title,
        "published": document.published, "language": document.language, "text": document.text,
        "fingerprint": fingerprint, "duplicate_of": original, "ingested_at": now, "sequence": sequence})
    if connection.dialect.name == "sqlite":
        connection.execute(_INSERT_FTS, {"document_id": document_id, "title": document.title or "",
                                         "text": document.text})
    resolver = Resolver(connection, gazetteer, now)
    resolved = {e.id: resolver.canonical(e) for e in extraction.entities}
    rows = [{"document_id": document_id, "local_id": e.id, "entity_id": resolved[e.id], "name": e.name,
             "type": e.type, "country": e.country, "spans": [m.to_dict() for m in e.mentions]}
            for e in extraction.entities]
    if rows:
        connection.execute(_INSERT_MENTIONS, rows)
    events = [{"document_id": document_id, "local_id": v.id, "type": v.type, "data": v.to_dict()}
              for v in extraction.events]
    if events:
        connection.execute(_INSERT_EVENTS, events)
    # The facts are derived from what was just written; handing it over saves reading it back. The
    # events go through JSON as the store's JSON column would return them.
    count = record_document_facts(connection, document_id, sequence, now, resolved=resolved,
                                  events=[(v.id, json.loads(json.dumps(v.to_dict()))) for v in extraction.events])
    return StoreOutcome("duplicate" if original else "stored", document_id, count, original, fingerprint)


def record_failure(store: Store, source: str, reason: str, now: str | None = None) -> None:
    """Note an input that could not be stored (once per source and reason, so re-runs add nothing)."""
    with store.engine.begin() as connection:
        seen = connection.execute(select(failures.c.id).where(failures.c.source == source,
                                                              failures.c.reason == reason)).first()
        if seen is None:
            connection.execute(insert(failures).values(source=source, reason=reason, at=now or utc_now()))
