"""Search: ranked articles with snippets, entity names, and hostile query text."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from newsintel.query.search import fts5_query, search


def test_shape_ranking_and_snippets(conn: Connection) -> None:
    result = search(conn, "SenseTime entity list")
    assert list(result) == ["documents", "entities"]
    found = result["documents"]
    assert [d["id"] for d in found] == ["d1", "d2"]  # d10 is d1's near-duplicate: left out
    assert list(found[0]) == ["id", "title", "published", "url", "snippet", "rank"]
    assert found[0]["title"] == "Commerce adds SenseTime to the Entity List"
    assert found[0]["rank"] > found[1]["rank"] > 0
    assert "**SenseTime**" in found[0]["snippet"]


def test_all_words_must_match(conn: Connection) -> None:
    assert {d["id"] for d in search(conn, "huawei")["documents"]} == {"d5", "d6", "d8"}
    assert [d["id"] for d in search(conn, "huawei vocord")["documents"]] == ["d5"]
    assert search(conn, "huawei zebra")["documents"] == []


def test_stemmed_and_better_matches_rank_higher(conn: Connection) -> None:
    found = search(conn, "investment")["documents"]  # d9: title and text; d3: "invested" in its text
    assert [d["id"] for d in found] == ["d9", "d3"]


def test_entities_exact_then_prefix_then_contains(conn: Connection) -> None:
    assert search(conn, "huawei")["entities"] == [
        {"id": "company:huawei", "name": "Huawei", "type": "company"},
        {"id": "company:huawei-marine", "name": "Huawei Marine", "type": "company"}]
    assert [e["id"] for e in search(conn, "commerce")["entities"]] == ["government_body:us-commerce"]
    assert [e["id"] for e in search(conn, "Société")["entities"]] == ["company:societe-generale"]


def test_limit(conn: Connection) -> None:
    result = search(conn, "huawei", limit=1)
    assert len(result["documents"]) == 1 and len(result["entities"]) == 1


@pytest.mark.parametrize("hostile", ['huawei" OR x', '-', '*', 'NEAR(', 'huawei"', '"', "huawei AND NOT x",
                                     "'; DROP TABLE documents; --", "title:huawei", "^huawei", "%", "_", "\\",
                                     "", "   ", "huawei*", "(huawei"])
def test_hostile_queries_never_break(conn: Connection, hostile: str) -> None:
    result = search(conn, hostile)
    assert set(result) == {"documents", "entities"}
    assert search(conn, "huawei")["documents"]  # the store is intact


def test_operators_are_words(conn: Connection) -> None:
    assert {d["id"] for d in search(conn, 'huawei"')["documents"]} == {"d5", "d6", "d8"}
    assert {d["id"] for d in search(conn, "(huawei*")["documents"]} == {"d5", "d6", "d8"}
    assert search(conn, "NEAR(")["documents"] == []


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query('huawei" OR x') == '"huawei" "OR" "x"'
    assert fts5_query("- * NEAR(") == '"NEAR"'
    assert fts5_query("") == ""


def test_common_words_rank_only_the_latest_window(conn: Connection) -> None:
    capped = search(conn, "huawei", window=2)  # three articles match: only the two stored last are ranked
    assert {d["id"] for d in capped["documents"]} == {"d6", "d8"}
    assert capped["ranked_among_latest"] == 2
    whole = search(conn, "huawei", window=3)
    assert {d["id"] for d in whole["documents"]} == {"d5", "d6", "d8"}
    assert "ranked_among_latest" not in whole
