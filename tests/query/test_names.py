"""Names resolve forgivingly: case, accents, aliases, legal suffixes, prefixes; else suggestions."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from newsintel.errors import NewsIntelError
from newsintel.query.names import EntityNotFound, find_entity


@pytest.mark.parametrize("name", ["Huawei", "HUAWEI", "huawei", "huawei technologies", "Huawei Technologies Co., Ltd.",
                                  "  Huawei ", "company:huawei"])
def test_forgiven_forms_find_huawei(conn: Connection, name: str) -> None:
    assert find_entity(conn, name)["id"] == "company:huawei"


def test_entity_card_shape(conn: Connection) -> None:
    assert find_entity(conn, "huawei technologies") == {
        "id": "company:huawei", "name": "Huawei", "type": "company", "country": "CN",
        "aliases": ["Huawei Technologies"]}


def test_accents_and_aliases_are_forgiven(conn: Connection) -> None:
    assert find_entity(conn, "societe generale")["id"] == "company:societe-generale"
    assert find_entity(conn, "U.S.")["id"] == "country:us"
    assert find_entity(conn, "the Commerce Department")["id"] == "government_body:us-commerce"


def test_unique_prefix_or_substring_is_enough(conn: Connection) -> None:
    assert find_entity(conn, "sense")["id"] == "company:sensetime"
    assert find_entity(conn, "huawei mar")["id"] == "company:huawei-marine"
    assert find_entity(conn, "public security")["id"] == "government_body:xinjiang-psb"


def test_misspelling_suggests(conn: Connection) -> None:
    with pytest.raises(EntityNotFound) as raised:
        find_entity(conn, "Huawie")
    assert raised.value.suggestions[0] == "Huawei"
    assert "did you mean: Huawei" in str(raised.value)
    assert isinstance(raised.value, NewsIntelError)


def test_ambiguous_substring_lists_the_candidates(conn: Connection) -> None:
    assert find_entity(conn, "bank")["id"] == "company:softbank"  # a unique substring is enough
    with pytest.raises(EntityNotFound) as ambiguous:
        find_entity(conn, "hua")  # Huawei and Huawei Marine
    assert set(ambiguous.value.suggestions) == {"Huawei", "Huawei Marine"}


def test_nothing_alike_gives_no_suggestions(conn: Connection) -> None:
    with pytest.raises(EntityNotFound) as raised:
        find_entity(conn, "Zzyzx Quux")
    assert raised.value.suggestions == []
    with pytest.raises(EntityNotFound):
        find_entity(conn, "!!!")


def test_like_wildcards_in_names_are_literal(conn: Connection) -> None:
    with pytest.raises(EntityNotFound):
        find_entity(conn, "%")
    with pytest.raises(EntityNotFound):
        find_entity(conn, "_a_")
