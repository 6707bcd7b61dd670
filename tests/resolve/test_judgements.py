"""Analysts' merge, split and rename: applied at once, kept as judgements, applied to later articles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from newsintel.errors import NewsIntelError
from newsintel.resolve import judgements as j
from newsintel.resolve.facts import independent_sources
from newsintel.store.db import Store, open_store
from newsintel.store.schema import aliases, entities, fact_roles, judgements, mentions
from newsintel.store.writer import store_extraction
from tests.store.support import entity, event, extraction


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    us = entity("e1", "United States", "country", "US")
    sanction = {"imposer": ["e1"], "target": ["e2"]}
    first = extraction("a", [us, entity("e2", "Zorblax")], [event("v1", "sanction", sanction, "2020")])
    second = extraction("b", [us, entity("e2", "Zorblax Dynamics")], [event("v1", "sanction", sanction)])
    store_extraction(opened, first, "t:1")
    store_extraction(opened, second, "t:2")
    yield opened
    opened.close()


def _ids(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return sorted(connection.execute(select(entities.c.id)).scalars())


def _targets(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return sorted(connection.execute(select(fact_roles.c.entity_id).where(fact_roles.c.role == "target")).scalars())


def test_merge_combines_entities_and_the_facts_that_became_identical(store: Store) -> None:
    assert _targets(store) == ["company:zorblax", "company:zorblax-dynamics"]
    assert j.merge(store, "zorblax", "ZORBLAX DYNAMICS", author="tester") == "company:zorblax"
    assert "company:zorblax-dynamics" not in _ids(store)
    assert _targets(store) == ["company:zorblax"]
    with store.engine.connect() as connection:
        assert list(independent_sources(connection).values()) == [2]
        row = connection.execute(select(judgements)).one()
        assert (row.kind, row.subject, row.object, row.author) == ("merge", "company:zorblax",
                                                                   "company:zorblax-dynamics", "tester")
        norms = set(connection.execute(select(aliases.c.norm)
                                       .where(aliases.c.entity_id == "company:zorblax")).scalars())
        assert {"zorblax", "zorblax dynamics"} <= norms


def test_a_merge_applies_to_later_articles(store: Store) -> None:
    j.merge(store, "company:zorblax", "company:zorblax-dynamics")
    later = store_extraction(store, extraction("c", [entity("e1", "Zorblax Dynamics")], []), "t:3")
    with store.engine.connect() as connection:
        assert connection.execute(select(mentions.c.entity_id).where(
            mentions.c.document_id == later.document_id)).scalar() == "company:zorblax"


def test_split_undoes_a_merge_and_the_split_holds_for_later_articles(store: Store) -> None:
    j.merge(store, "Zorblax", "Zorblax Dynamics")
    assert j.split(store, "Zorblax") == ["company:zorblax-dynamics"]
    assert _targets(store) == ["company:zorblax", "company:zorblax-dynamics"]
    later = store_extraction(store, extraction("c", [entity("e1", "Zorblax Dynamics")], []), "t:3")
    with store.engine.connect() as connection:
        assert connection.execute(select(mentions.c.entity_id).where(
            mentions.c.document_id == later.document_id)).scalar() == "company:zorblax-dynamics"
        kinds = connection.execute(select(judgements.c.kind).order_by(judgements.c.id)).scalars().all()
    assert kinds == ["merge", "split"]


def test_split_separates_an_entitys_names(store: Store) -> None:
    store_extraction(store, extraction("c", [entity("e1", "Zorblax Technologies")], []), "t:3")
    assert "company:zorblax-technologies" not in _ids(store)  # joined Zorblax (generic word)
    assert j.split(store, "Zorblax") == ["company:zorblax-technologies"]
    with pytest.raises(NewsIntelError, match="nothing to split"):
        j.split(store, "Zorblax")


def test_rename_changes_the_display_name_and_keeps_the_id(store: Store) -> None:
    assert j.rename(store, "zorblax", "Zorblax Group (Cyprus)") == "company:zorblax"
    with store.engine.connect() as connection:
        assert connection.execute(select(entities.c.name).where(entities.c.id == "company:zorblax")).scalar() == \
            "Zorblax Group (Cyprus)"
        assert j.lookup_entity(connection, "zorblax group (cyprus)") == "company:zorblax"


def test_unknown_and_identical_names_are_clear_errors(store: Store) -> None:
    with pytest.raises(NewsIntelError, match=r"no entity named 'Zorblux'.*did you mean"):
        j.merge(store, "Zorblax", "Zorblux")
    with pytest.raises(NewsIntelError, match="already one entity"):
        j.merge(store, "Zorblax", "company:zorblax")
