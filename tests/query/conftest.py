"""A small store built by hand (SQLAlchemy Core inserts), so queries are tested without the extractor.

The database comes from the suite's `store_url` fixture (tests/conftest.py): every test runs on a
fresh SQLite file and on a fresh PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, text

from newsintel.refdata import normalize_name
from newsintel.store.db import Store, open_store
from newsintel.store.schema import aliases, documents, entities, fact_roles, facts, failures, sources

NOW = "2024-01-01T00:00:00+00:00"

ENTITIES = [  # id, name, type, country, aliases
    ("company:huawei", "Huawei", "company", "CN", ["Huawei", "Huawei Technologies"]),
    ("company:huawei-marine", "Huawei Marine", "company", "CN", ["Huawei Marine"]),
    ("country:us", "United States", "country", "US", ["United States", "U.S.", "Washington"]),
    ("company:sensetime", "SenseTime", "company", "CN", ["SenseTime"]),
    ("government_body:us-commerce", "U.S. Department of Commerce", "government_body", "US",
     ["U.S. Department of Commerce", "Commerce Department"]),
    ("company:vocord", "Vocord", "company", "RU", ["Vocord"]),
    ("company:softbank", "SoftBank", "company", "JP", ["SoftBank", "SoftBank Vision Fund"]),
    ("government_body:xinjiang-psb", "Xinjiang Public Security Bureau", "government_body", "CN",
     ["Xinjiang Public Security Bureau"]),
    ("company:societe-generale", "Société Générale", "company", "FR", ["Société Générale"]),
    ("program:entity-list", "Entity List", "program", "US", ["Entity List"]),
]

DOCUMENTS = [  # id, title, published, text, duplicate_of
    ("d1", "Commerce adds SenseTime to the Entity List", "2019-10-08",
     "The U.S. Department of Commerce added SenseTime to the Entity List on Monday. "
     "SenseTime said it was disappointed.", None),
    ("d2", "US blacklists Chinese AI firms", "2019-10-09",
     "Washington blacklisted eight firms. The Commerce Department put SenseTime on the Entity List.", None),
    ("d3", "SenseTime raises $1 billion", "2018-05-30",
     "SoftBank invested $1 billion in SenseTime, the artificial intelligence start-up.", None),
    ("d4", "Xinjiang police buy cameras", "2020-03-02",
     "SenseTime won a contract to supply the Xinjiang Public Security Bureau with cameras.", None),
    ("d5", "Huawei and Vocord team up", "2019-06-01",
     "Huawei and Vocord formed a partnership on video analytics.", None),
    ("d6", "Huawei blacklisted", "2019-05-16",
     "The Commerce Department added Huawei to the Entity List, barring it from buying American parts.", None),
    ("d7", "US unveils AI initiative", None,
     "The United States announced the American AI Initiative.", None),
    ("d8", "Washington tightens rules on Huawei", "2020-08-17",
     "The United States imposed new sanctions on Huawei over chips.", None),
    ("d9", "SenseTime hit by investment ban", "2021-12-10",
     "The Commerce Department barred investment in SenseTime.", None),
    ("d10", "Commerce adds SenseTime to the Entity List (copy)", "2019-10-08",
     "The U.S. Department of Commerce added SenseTime to the Entity List on Monday. "
     "SenseTime said it was disappointed.", "d1"),
]

FACTS: list[dict[str, Any]] = [
    {"id": "f-sanction", "type": "sanction", "date": ("2019-10", "month"), "amount": None,
     "attributes": {"program": "Entity List"}, "first_seen": "2024-01-01T10:00:00+00:00", "seq": 1,
     "roles": [("imposer", "government_body:us-commerce"), ("target", "company:sensetime")],
     "sources": [("d1", "The U.S. Department of Commerce added SenseTime to the Entity List on Monday."),
                 ("d2", "The Commerce Department put SenseTime on the Entity List.")]},
    {"id": "f-invest", "type": "investment", "date": ("2018-05", "month"), "amount": (1e9, "USD"),
     "attributes": {}, "first_seen": "2024-01-01T10:00:01+00:00", "seq": 2,
     "roles": [("recipient", "company:sensetime"), ("investor", "company:softbank")],
     "sources": [("d3", "SoftBank invested $1 billion in SenseTime, the artificial intelligence start-up.")]},
    {"id": "f-contract", "type": "contract", "date": ("2020-03-02", "day"), "amount": None,
     "attributes": {}, "first_seen": "2024-02-01T09:00:00+00:00", "seq": 3,
     "roles": [("supplier", "company:sensetime"), ("customer", "government_body:xinjiang-psb")],
     "sources": [("d4", "SenseTime won a contract to supply the Xinjiang Public Security Bureau with cameras.")]},
    {"id": "f-partner", "type": "partnership", "date": ("2019", "year"), "amount": None,
     "attributes": {"topic": "video analytics"}, "first_seen": "2024-03-01T08:00:00+00:00", "seq": 4,
     "roles": [("party", "company:huawei"), ("party", "company:vocord")],
     "sources": [("d5", "Huawei and Vocord formed a partnership on video analytics.")]},
    {"id": "f-sanction-huawei", "type": "sanction", "date": ("2019-05-16", "day"), "amount": None,
     "attributes": {"program": "Entity List"}, "first_seen": "2024-01-01T10:00:02+00:00", "seq": 5,
     "roles": [("imposer", "government_body:us-commerce"), ("target", "company:huawei")],
     "sources": [("d6", "The Commerce Department added Huawei to the Entity List.")]},
    {"id": "f-policy", "type": "policy", "date": None, "amount": None,
     "attributes": {"name": "American AI Initiative"}, "first_seen": "2024-03-05T12:00:00+00:00", "seq": 6,
     "roles": [("issuer", "country:us")],
     "sources": [("d7", "The United States announced the American AI Initiative.")]},
    {"id": "f-sanction-us", "type": "sanction", "date": ("2020-08-17", "day"), "amount": None,
     "attributes": {}, "first_seen": "2024-03-06T12:00:00+00:00", "seq": 7,
     "roles": [("imposer", "country:us"), ("target", "company:huawei")],
     "sources": [("d8", "The United States imposed new sanctions on Huawei over chips.")]},
    {"id": "f-ban", "type": "sanction", "date": ("2021-12-10", "day"), "amount": None,
     "attributes": {"program": "investment ban"}, "first_seen": "2024-03-07T12:00:00+00:00", "seq": 8,
     "roles": [("imposer", "government_body:us-commerce"), ("target", "company:sensetime")],
     "sources": [("d9", "The Commerce Department barred investment in SenseTime.")]},
]


def build_store(conn: Connection) -> None:
    """Insert the fixture rows (idempotent: a store already built is left alone)."""
    if conn.execute(select(entities.c.id).where(entities.c.id == "company:huawei")).first():
        return
    conn.execute(insert(entities), [{"id": i, "name": n, "type": t, "country": c, "created_at": NOW}
                                    for i, n, t, c, _ in ENTITIES])
    conn.execute(insert(aliases), [{"entity_id": i, "alias": a, "norm": normalize_name(a)}
                                   for i, _, _, _, forms in ENTITIES for a in forms])
    for sequence, (doc_id, title, published, body, duplicate_of) in enumerate(DOCUMENTS, 1):
        conn.execute(insert(documents).values(
            id=doc_id, source_id=doc_id, url=f"https://example.org/{doc_id}", title=title, published=published,
            language="en", text=body, fingerprint=f"{sequence:016x}", duplicate_of=duplicate_of,
            ingested_at=NOW, sequence=sequence))
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO documents_fts (document_id, title, text) VALUES (:i, :t, :x)"),
                         {"i": doc_id, "t": title, "x": body})
    for fact in FACTS:
        date = fact["date"] or (None, None)
        amount = fact["amount"] or (None, None)
        conn.execute(insert(facts).values(
            id=fact["id"], type=fact["type"], date_value=date[0], date_precision=date[1], amount_value=amount[0],
            amount_currency=amount[1], attributes=fact["attributes"], confidence=0.8,
            first_seen=fact["first_seen"], first_sequence=fact["seq"]))
        conn.execute(insert(fact_roles), [{"fact_id": fact["id"], "role": r, "entity_id": e,
                                           "type": fact["type"], "date_value": date[0]}  # as record_fact does
                                          for r, e in fact["roles"]])
        conn.execute(insert(sources), [{"fact_id": fact["id"], "document_id": d, "event_local_id": f"v{n}",
                                        "sentence": s, "start": 0, "end": len(s), "confidence": 0.8}
                                       for n, (d, s) in enumerate(fact["sources"], 1)])
    conn.execute(insert(failures).values(source="bad.jsonl:3", reason="not JSON", at=NOW))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """The fixture store, on each database of the suite's `store_url` (SQLite, PostgreSQL)."""
    built = open_store(store_url)
    with built.engine.begin() as conn:
        build_store(conn)
    yield built
    built.close()


@pytest.fixture
def conn(store: Store) -> Iterator[Connection]:
    with store.engine.connect() as connection:
        yield connection
