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
                assert "gin" in definition.lower() and "search_vector" in definition
                generated = connection.execute(text(
                    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef AS d JOIN pg_attribute AS a "
                    "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                    "WHERE d.adrelid = 'documents'::regclass AND a.attname = 'search_vector'")).scalar_one()
                assert "to_tsvector" in generated
                hits = connection.execute(text(
                    "SELECT id FROM documents WHERE search_vector "
                    "@@ plainto_tsquery('english', 'semiconductors')")).scalars().all()
        assert hits == ["d1"]
    finally:
        store.close()


def test_connection_errors_are_clear_and_hide_the_password() -> None:
    with pytest.raises(NewsIntelError, match=r"cannot open database postgresql\+psycopg://\*\*\*@127\.0\.0\.1:1/x") \
            as raised:
        open_store("postgresql+psycopg://someone:s3cret@127.0.0.1:1/x?connect_timeout=2")
    assert "s3cret" not in str(raised.value)


def test_version_1_is_migrated_to_the_latest_with_back_filled_fact_roles(store_url: str) -> None:
    """A version-1 store (made here by undoing version 2) gains fact_roles.type/date_value and its index."""
    from newsintel.store.schema import entities, fact_roles, facts

    store = open_store(store_url)
    with store.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_fact_roles_entity_date"))
        connection.execute(text("DROP INDEX ix_documents_sequence"))  # version 3
        connection.execute(text("ALTER TABLE fact_roles DROP COLUMN type"))
        connection.execute(text("ALTER TABLE fact_roles DROP COLUMN date_value"))
        if store.dialect == "postgresql":  # version 1: an expression index, no stored vector
            connection.execute(text("ALTER TABLE documents DROP COLUMN search_vector"))
            connection.execute(text("CREATE INDEX ix_documents_search ON documents USING GIN "
                                    "(to_tsvector('english', coalesce(title, '') || ' ' || text))"))
        connection.execute(schema_version.update().values(version=1))
        connection.execute(insert(documents).values(**DOC))
        connection.execute(insert(entities), [{"id": e, "name": e, "type": "company", "created_at": "x"}
                                              for e in ("company:a", "company:b")])
        for fact_id, date in (("f1", "2021-06"), ("f2", None)):
            connection.execute(insert(facts).values(
                id=fact_id, type="contract", date_value=date, attributes={}, confidence=0.8, first_seen="x",
                first_sequence=1))
            connection.execute(text("INSERT INTO fact_roles (fact_id, role, entity_id) VALUES "
                                    "(:f, 'supplier', 'company:a'), (:f, 'customer', 'company:b')"), {"f": fact_id})
    store.close()

    store = open_store(store_url)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(select(schema_version.c.version)).scalar_one() == SCHEMA_VERSION == 3
            rows = connection.execute(select(fact_roles.c.fact_id, fact_roles.c.entity_id, fact_roles.c.type,
                                             fact_roles.c.date_value).order_by(fact_roles.c.fact_id,
                                                                               fact_roles.c.entity_id)).all()
            assert [tuple(r) for r in rows] == [("f1", "company:a", "contract", "2021-06"),
                                                ("f1", "company:b", "contract", "2021-06"),
                                                ("f2", "company:a", "contract", None),
                                                ("f2", "company:b", "contract", None)]
            indexes = {i["name"] for i in inspect(connection).get_indexes("fact_roles")}
            assert "ix_fact_roles_entity_date" in indexes
            assert "ix_documents_sequence" in {i["name"] for i in inspect(connection).get_indexes("documents")}
            if store.dialect == "postgresql":
                hits = connection.execute(text("SELECT id FROM documents WHERE search_vector "
                                               "@@ plainto_tsquery('english', 'semiconductors')")).scalars().all()
                assert hits == ["d1"]
                definition = connection.execute(text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search'")).scalar_one()
                assert "search_vector" in definition
    finally:
        store.close()
