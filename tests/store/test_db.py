"""open_store on both dialects: schema creation, idempotent reopening, versioning, full-text objects."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, inspect, select, text

from newsintel.errors import NewsIntelError
from newsintel.store import db
from newsintel.store.db import open_store
from newsintel.store.schema import SCHEMA_VERSION, documents, metadata, schema_version

DOC = {"id": "d1", "source_id": "a01", "url": "https://example.org/a", "title": "Chip export rules",
       "published": "2021-06-15", "language": "en", "text": "Washington tightened semiconductor exports.",
       "fingerprint": "0" * 16, "ingested_at": "2021-06-15T00:00:00Z", "sequence": 1}


def test_open_store_creates_the_schema(store_url: str) -> None:
    store = open_store(store_url)
    try:
        assert store.dialect == ("sqlite" if store_url.startswith("sqlite") else "postgresql")
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert set(metadata.tables) <= tables
            assert connection.execute(select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
            indexes = {index["name"] for index in inspect(connection).get_indexes("fact_roles")}
            assert "ix_fact_roles_entity" in indexes
    finally:
        store.close()


def test_reopening_is_idempotent_and_keeps_the_data(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.begin() as connection:
        connection.execute(insert(documents).values(**DOC))
    store.close()
    for _ in range(2):
        store = open_store(store_url)
        with store.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(schema_version)).scalar_one() == 1
            assert connection.execute(select(documents.c.title)).scalars().all() == ["Chip export rules"]
        store.close()


def test_a_newer_schema_version_is_refused(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.begin() as connection:
        connection.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    store.close()
    with pytest.raises(NewsIntelError, match=rf"schema version {SCHEMA_VERSION + 1}, newer .*upgrade newsintel"):
        open_store(store_url)


def test_an_older_schema_is_migrated_in_order(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(store_url).close()
    steps: list[int] = []

    def step(version: int):  # type: ignore[no-untyped-def]
        return lambda connection: steps.append(version)

    monkeypatch.setattr(db, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    monkeypatch.setattr(db, "MIGRATIONS", {v: step(v) for v in (SCHEMA_VERSION, SCHEMA_VERSION + 1)})
    store = open_store(store_url)
    with store.engine.connect() as connection:
        assert connection.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION + 2
    store.close()
    assert steps == [SCHEMA_VERSION, SCHEMA_VERSION + 1]
    open_store(store_url).close()  # now current: nothing more to run
    assert steps == [SCHEMA_VERSION, SCHEMA_VERSION + 1]


def test_create_false_refuses_an_empty_database(store_url: str) -> None:
    with pytest.raises(NewsIntelError, match="no newsintel store"):
        open_store(store_url, create=False)


def test_full_text_objects_exist_and_match(store_url: str) -> None:
    store = open_store(store_url)
    try:
        with store.engine.begin() as connection:
            connection.execute(insert(documents).values(**DOC))
            if store.dialect == "sqlite":
                sql = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'")).scalar_one()
                assert "fts5" in sql.lower()
                connection.execute(text("INSERT INTO documents_fts (document_id, title, text) VALUES (:id, :t, :x)"),
                                   {"id": DOC["id"], "t": DOC["title"], "x": DOC["text"]})
                hits = connection.execute(text(
                    "SELECT document_id FROM documents_fts WHERE documents_fts MATCH 'semiconductor'")).scalars().all()
            else:
                definition = connection.execute(text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search'")).scalar_one()
                assert "gin" in definition.lower() and "to_tsvector" in definition
                hits = connection.execute(text(
                    "SELECT id FROM documents WHERE to_tsvector('english', coalesce(title, '') || ' ' || text) "
                    "@@ plainto_tsquery('english', 'semiconductors')")).scalars().all()
        assert hits == ["d1"]
    finally:
        store.close()


def test_connection_errors_are_clear_and_hide_the_password() -> None:
    with pytest.raises(NewsIntelError, match=r"cannot open database postgresql\+psycopg://\*\*\*@127\.0\.0\.1:1/x") \
            as raised:
        open_store("postgresql+psycopg://someone:s3cret@127.0.0.1:1/x?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
