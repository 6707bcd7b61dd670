"""Open a store: SQLite in a file by default, PostgreSQL by URL, through the same code.

The schema is versioned: `schema_version` holds the version the tables were built for, and
`MIGRATIONS` lists the steps from each version to the next, applied in order on open.
Full-text search is the one place the dialects differ: FTS5 on SQLite, tsvector on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, insert, select, text

from newsintel.errors import NewsIntelError
from newsintel.store.schema import SCHEMA_VERSION, metadata, schema_version

DEFAULT_DB = "newsintel.db"
SQLITE_MMAP_BYTES = 4 << 30  # address space, not memory: the OS page cache backs it
SQLITE_CACHE_KB = 65_536  # per connection
# PostgreSQL's full-text vector of a document (the generated column documents.search_vector).
PG_SEARCH_VECTOR = "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || text)"


def _migrate_1_to_2(connection: Connection) -> None:
    """fact_roles gains copies of its fact's type and date_value, back-filled, with the per-entity
    date index; PostgreSQL's full-text index moves onto a stored (generated) tsvector column."""
    for column in ("type VARCHAR(32)", "date_value VARCHAR(10)"):
        connection.execute(text(f"ALTER TABLE fact_roles ADD COLUMN {column}"))
    connection.execute(text(
        "UPDATE fact_roles SET type = (SELECT f.type FROM facts AS f WHERE f.id = fact_roles.fact_id), "
        "date_value = (SELECT f.date_value FROM facts AS f WHERE f.id = fact_roles.fact_id)"))
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_fact_roles_entity_date "
                            "ON fact_roles (entity_id, date_value, fact_id)"))
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP INDEX IF EXISTS ix_documents_search"))
        _create_search(connection)


def _migrate_2_to_3(connection: Connection) -> None:
    """documents.sequence gets an index: PostgreSQL search reads a common word's newest matches by it."""
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_sequence ON documents (sequence)"))


# version -> step that migrates a store at that version to version + 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


def default_url() -> str:
    """`NEWSINTEL_DB` (a URL or a file path), else ./newsintel.db."""
    return as_url(os.environ.get("NEWSINTEL_DB", DEFAULT_DB))


def as_url(value: str) -> str:
    """A database URL from a URL or a plain SQLite file path."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass
class Store:
    """An open store: the engine plus what the dialect can do."""

    engine: Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, create: bool = True) -> Store:
    """Connect, create or migrate the schema, and return the store."""
    url = as_url(url) if url else default_url()
    try:
        engine = create_engine(url, future=True)
    except Exception as error:  # a malformed URL or a missing driver
        raise NewsIntelError(f"cannot open database {url!r}: {error}") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            _prepare(connection, create)
    except NewsIntelError:
        raise
    except Exception as error:
        raise NewsIntelError(f"cannot open database {_safe(url)}: {error.__class__.__name__}: {error}") from error
    return Store(engine, url)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the ingest writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each commit in WAL mode
    # Reads by random key (fact and document ids are hashes) touch pages all over a large store:
    # map the file (no read() per page) and keep a larger page cache than the 2 MB default.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    cursor.close()


def _prepare(connection: Connection, create: bool) -> None:
    exists = connection.dialect.has_table(connection, "schema_version")
    if not exists:
        if not create:
            raise NewsIntelError("the database has no newsintel store; run `newsintel ingest` first")
        metadata.create_all(connection)
        _create_search(connection)
        connection.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        return
    version = connection.execute(select(schema_version.c.version)).scalar_one()
    if version > SCHEMA_VERSION:
        raise NewsIntelError(f"the store is at schema version {version}, newer than this newsintel "
                             f"({SCHEMA_VERSION}); upgrade newsintel")
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](connection)
        version += 1
        connection.execute(schema_version.update().values(version=version))


def _create_search(connection: Connection) -> None:
    """The full-text index over documents (title and text) and entity names."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "document_id UNINDEXED, title, text, tokenize='porter unicode61')"))
    elif connection.dialect.name == "postgresql":
        # A stored generated column (PostgreSQL 12+): the vector is computed once per row, at
        # write time, so ranking and matching read it instead of re-parsing every text.
        connection.execute(text(
            f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_SEARCH_VECTOR}) STORED"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING GIN (search_vector)"))
