"""Tables of the live-sources stage, on the shared schema metadata.

  live_sources   feeds, sitemaps and link pages to follow, with their fetch state and back-off
  seen_urls      every article URL already handled (listed form and canonical form), so it is fetched once
  watchlist      actors and event types the analyst wants alerts for
  settings       small key/value settings (the webhook URL)

`ensure_tables` creates them when missing; commands call it before touching them.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, String, Table, Text

from newsintel.store.schema import metadata

live_sources = Table(
    "live_sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", String(16)),  # feed | sitemap | links; None until the first fetch detects it
    Column("every_seconds", Integer, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_at", String(32), nullable=False),
    Column("last_fetch", String(32)),  # ISO timestamp (UTC) of the last attempt
    Column("last_ok", String(32)),  # ... of the last successful fetch
    Column("last_error", Text),  # the reason of the last failure; None after a success
    Column("failures", Integer, nullable=False, default=0),  # consecutive failures (back-off exponent)
    Column("next_due", String(32), nullable=False),
)
Index("ix_live_sources_next_due", live_sources.c.next_due)

seen_urls = Table(
    "seen_urls", metadata,
    Column("url", Text, primary_key=True),  # canonical form (tracking parameters and fragment removed)
    Column("source_id", Integer),  # the live source that listed it first (no foreign key: sources go)
    Column("status", String(16), nullable=False),  # stored | skipped | duplicate | failed
    Column("document_id", String(64)),
    Column("reason", Text),  # why it failed
    Column("attempts", Integer, nullable=False, default=1),
    Column("first_seen", String(32), nullable=False),
    Column("last_attempt", String(32), nullable=False),
)

watchlist = Table(
    "watchlist", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", Text),  # a name or entity id, resolved at alert time; None: any actor
    Column("types", Text),  # comma-separated event types; None: every type
    Column("roles", Text),  # comma-separated roles the actor must hold; None: any role
    Column("added_at", String(32), nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

TABLES = (live_sources, seen_urls, watchlist, settings)


def ensure_tables(connection: Connection) -> None:
    """Create this stage's tables when they are missing (idempotent)."""
    for table in TABLES:
        table.create(connection, checkfirst=True)
