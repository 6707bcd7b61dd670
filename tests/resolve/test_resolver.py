"""Resolution and facts through the writer, on hand-built extractions (no parser needed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from newsintel.resolve.facts import dates_compatible, independent_sources
from newsintel.store.db import Store, open_store
from newsintel.store.schema import documents, entities, fact_roles, facts, mentions, sources
from newsintel.store.writer import store_extraction
from tests.store.support import entity, event, extraction


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def _entity_of(store: Store, document_local: tuple[str, str]) -> str:
    with store.engine.connect() as connection:
        return str(connection.execute(select(mentions.c.entity_id).where(
            mentions.c.document_id == document_local[0], mentions.c.local_id == document_local[1])).scalar_one())


def test_names_sharing_a_word_stay_apart_and_generic_suffixes_join(store: Store) -> None:
    outcome = store_extraction(store, extraction("one", [
        entity("e1", "Huawei Technologies Co., Ltd.", country="CN"), entity("e2", "Huawei Marine"),
        entity("e3", "Alibaba"), entity("e4", "Alibaba Cloud"), entity("e5", "Zorblax Systems"),
        entity("e6", "Zorblax Marine")], []), "t:1")
    second = store_extraction(store, extraction("two", [entity("e1", "Zorblax"), entity("e2", "Huawei")], []), "t:2")
    ids = {local: _entity_of(store, (outcome.document_id, local)) for local in ("e1", "e2", "e3", "e4", "e5", "e6")}
    assert ids["e1"] == "company:huawei" == _entity_of(store, (second.document_id, "e2"))
    assert ids["e2"] == "company:hmn-technologies"  # reference data: Huawei Marine is HMN Technologies
    assert (ids["e3"], ids["e4"]) == ("company:alibaba", "company:alibaba-cloud")
    assert ids["e5"] == "company:zorblax-systems" == _entity_of(store, (second.document_id, "e1"))
    assert ids["e6"] == "company:zorblax-marine"


def test_every_name_of_a_country_is_one_entity(store: Store) -> None:
    first = store_extraction(store, extraction("a", [entity("e1", "United States", "country", "US",
                                                            ("Washington", "the Trump administration"))], []), "t:1")
    second = store_extraction(store, extraction("b", [entity("e1", "U.S.", "country", "US")], []), "t:2")
    assert _entity_of(store, (first.document_id, "e1")) == _entity_of(store, (second.document_id, "e1")) == "country:US"
    with store.engine.connect() as connection:
        assert connection.execute(select(entities.c.name).where(entities.c.id == "country:US")).scalar() == \
            "United States"


def test_one_event_in_two_articles_is_one_fact_with_two_sources(store: Store) -> None:
    people = [entity("e1", "United States", "country", "US"), entity("e2", "Zorblax")]
    store_extraction(store, extraction("a", people, [event("v1", "sanction", {"imposer": ["e1"], "target": ["e2"]},
                                                           "2020")]), "t:1")
    store_extraction(store, extraction("b", people, [event("v1", "sanction", {"imposer": ["e1"], "target": ["e2"]},
                                                           "2020-05-15")]), "t:2")
    store_extraction(store, extraction("c", people, [event("v1", "sanction", {"imposer": ["e1"], "target": ["e2"]},
                                                           "2021")]), "t:3")
    with store.engine.connect() as connection:
        rows = connection.execute(select(facts.c.id, facts.c.date_value).order_by(facts.c.first_sequence)).all()
        assert [r.date_value for r in rows] == ["2020-05-15", "2021"]  # the most precise date is kept
        assert independent_sources(connection) == {rows[0].id: 2, rows[1].id: 1}


def test_a_near_duplicate_is_linked_and_adds_no_independent_source(store: Store) -> None:
    text = " ".join(f"word{n} said the ministry on day {n}." for n in range(80))
    people = [entity("e1", "United States", "country", "US"), entity("e2", "Zorblax")]
    sanction = [event("v1", "sanction", {"imposer": ["e1"], "target": ["e2"]}, "2020")]
    first = store_extraction(store, extraction(text, people, sanction), "t:1")
    copy = store_extraction(store, extraction(text.upper(), people, sanction), "t:2")
    again = store_extraction(store, extraction(text, people, sanction), "t:3")
    assert (first.status, copy.status, again.status) == ("stored", "duplicate", "skipped")
    assert copy.duplicate_of == first.document_id
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(documents)).scalar() == 2
        assert connection.execute(select(func.count()).select_from(sources)).scalar() == 2
        assert list(independent_sources(connection).values()) == [1]


def test_the_same_input_gives_the_same_ids(store_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    docs = [extraction("x", [entity("e1", "Quuxcorp Holdings"), entity("e2", "Jane Roe", "person")],
                       [event("v1", "position", {"person": ["e2"], "organization": ["e1"]})])]
    found = []
    for url in (store_url, f"sqlite:///{tmp_path / 'other.db'}"):
        store = open_store(url)
        for doc in docs:
            store_extraction(store, doc, "t:1")
        with store.engine.connect() as connection:
            found.append((sorted(connection.execute(select(entities.c.id)).scalars()),
                          sorted(connection.execute(select(fact_roles.c.fact_id)).scalars())))
        store.close()
    assert found[0] == found[1]
    assert found[0][0] == ["company:quuxcorp", "person:jane-roe"]


def test_dates_are_compatible_when_unknown_or_a_prefix() -> None:
    assert dates_compatible(None, "2020")
    assert dates_compatible("2020", "2020-05-01")
    assert not dates_compatible("2020-05", "2020-06-01")


def test_an_imported_reference_list_joins_spellings_it_knows(store: Store, tmp_path) -> None:
    from newsintel.export.ftm_import import import_ftm

    listing = tmp_path / "list.ftm.json"
    listing.write_text('{"id": "NK-nordwind", "schema": "Company", "properties": {"name": ["Nordwind Robotics"], '
                       '"alias": ["NWR Automation"], "country": ["de"], "topics": ["sanction"]}, '
                       '"datasets": ["test_list"]}\n', encoding="utf-8")
    first = store_extraction(store, extraction("one", [entity("e1", "Nordwind Robotics")], []), "t:1")
    before = store_extraction(store, extraction("two", [entity("e1", "Kestrel Vision")], []), "t:2")
    assert _entity_of(store, (before.document_id, "e1")) != _entity_of(store, (first.document_id, "e1"))
    with store.engine.begin() as connection:
        import_ftm(connection, [listing])
    # "NWR Automation" shares no word with "Nordwind Robotics": only the list says they are one firm
    later = store_extraction(store, extraction("three", [entity("e1", "NWR Automation")], []), "t:3")
    assert _entity_of(store, (later.document_id, "e1")) == _entity_of(store, (first.document_id, "e1"))
    other = store_extraction(store, extraction("four", [entity("e1", "Kestrel Automation")], []), "t:4")
    assert _entity_of(store, (other.document_id, "e1")) != _entity_of(store, (first.document_id, "e1"))
