"""The database schema, defined once with SQLAlchemy Core for SQLite and PostgreSQL alike.

Three layers, mirroring the data flow:
  documents, mentions, doc_events   what each article said (its SCHEMA extraction, kept as stored)
  entities, aliases, judgements     who is who across articles (resolution; analysts' corrections)
  facts, fact_roles, sources        what happened, once, with every article that reports it

Ids are stable text keys (content hashes and slugs), so re-ingesting is idempotent and a store
built twice from the same input is identical.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 3  # 2: fact_roles.type/date_value (denormalised), PostgreSQL's stored search vector;
#                    3: ix_documents_sequence (search ranks the newest matches of a common word)

metadata = MetaData()

# The versioned schema: one row, the version the tables were created or migrated to.
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the clean text, hex, first 32 chars
    Column("source_id", Text, nullable=False),  # the input's own id ("a01", "file.txt")
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),  # ISO date, possibly "YYYY" or "YYYY-MM"
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("fingerprint", String(16), nullable=False),  # simhash of word shingles, hex, for near duplicates
    Column("duplicate_of", String(64), ForeignKey("documents.id")),  # the same story seen earlier
    Column("ingested_at", String(32), nullable=False),  # ISO timestamp (UTC)
    Column("sequence", Integer, nullable=False),  # ingest order, for "new since"
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_fingerprint", documents.c.fingerprint)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)
Index("ix_documents_sequence", documents.c.sequence)  # newest first: search's window, "since"

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),  # "file.jsonl:7"
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("id", String(64), primary_key=True),  # "company:huawei" style slug, unique
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("country", String(2)),
    Column("created_at", String(32), nullable=False),
)
Index("ix_entities_type", entities.c.type)
Index("ix_entities_country", entities.c.country)

aliases = Table(
    "aliases", metadata,
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False),  # refdata.normalize_name(alias): what lookups compare
    UniqueConstraint("entity_id", "norm", name="uq_alias"),
)
Index("ix_aliases_norm", aliases.c.norm)

mentions = Table(  # one row per entity of a document's extraction, linked to its canonical entity
    "mentions", metadata,
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("local_id", String(16), nullable=False),  # "e3" in that document's extraction
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("country", String(2)),
    Column("spans", JSON, nullable=False),  # [{"start","end","text"}, ...]
    UniqueConstraint("document_id", "local_id", name="uq_mention"),
)
Index("ix_mentions_entity", mentions.c.entity_id)

doc_events = Table(  # one row per event of a document's extraction, as extracted (roles by local id)
    "doc_events", metadata,
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("local_id", String(16), nullable=False),  # "v2" in that document's extraction
    Column("type", String(32), nullable=False),
    Column("data", JSON, nullable=False),  # the SCHEMA event object; facts are rebuilt from it after a judgement
    UniqueConstraint("document_id", "local_id", name="uq_doc_event"),
)

judgements = Table(  # analysts' corrections, append-only; replayed on every resolution
    "judgements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # merge | split | rename
    Column("subject", Text, nullable=False),  # entity id (or normalised name for split)
    Column("object", Text),  # the other entity id (merge) or the new name (rename)
    Column("author", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)

facts = Table(
    "facts", metadata,
    Column("id", String(64), primary_key=True),  # hash of type + resolved roles (+ date when given)
    Column("type", String(32), nullable=False),
    Column("date_value", String(10)),
    Column("date_precision", String(8)),
    Column("amount_value", Float),
    Column("amount_currency", String(3)),
    Column("attributes", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("first_seen", String(32), nullable=False),  # ISO timestamp when first stored
    Column("first_sequence", Integer, nullable=False),
)
Index("ix_facts_type_date", facts.c.type, facts.c.date_value)
Index("ix_facts_first_seen", facts.c.first_seen)
Index("ix_facts_date", facts.c.date_value)  # the timeline without a type filter

fact_roles = Table(
    "fact_roles", metadata,
    Column("fact_id", String(64), ForeignKey("facts.id"), nullable=False),
    Column("role", String(32), nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    # Copies of the fact's type and date_value (kept in step by resolve/facts.py), so an entity's
    # facts in date order are one range of ix_fact_roles_entity_date, however many it has.
    Column("type", String(32)),
    Column("date_value", String(10)),
    UniqueConstraint("fact_id", "role", "entity_id", name="uq_fact_role"),
)
Index("ix_fact_roles_entity", fact_roles.c.entity_id, fact_roles.c.fact_id)  # per-entity reads, index-only
Index("ix_fact_roles_entity_date", fact_roles.c.entity_id, fact_roles.c.date_value, fact_roles.c.fact_id)

sources = Table(  # every article that reports a fact, with the sentence that says so
    "sources", metadata,
    Column("fact_id", String(64), ForeignKey("facts.id"), nullable=False),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("event_local_id", String(16), nullable=False),  # "v2" in that document's extraction
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    UniqueConstraint("fact_id", "document_id", "event_local_id", name="uq_source"),
)
Index("ix_sources_document", sources.c.document_id)
