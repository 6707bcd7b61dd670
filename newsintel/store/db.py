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

# version -> step that migrates a store at that version to version + 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


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
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING GIN "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text))"))
