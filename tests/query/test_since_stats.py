"""What is new since a date (optionally about watched entities), and the store's counts."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from newsintel.errors import NewsIntelError
from newsintel.query.since import facts_since
from newsintel.query.stats import stats


def test_facts_first_seen_since_a_date_in_order_seen(conn: Connection) -> None:
    found = facts_since(conn, "2024-02-01")
    assert [f["id"] for f in found] == ["f-contract", "f-partner", "f-policy", "f-sanction-us", "f-ban"]
    assert found[0]["first_seen"] == "2024-02-01T09:00:00+00:00"
    assert list(found[0]) == ["id", "type", "date", "roles", "amount", "sources", "independent_sources",
                              "first_seen"]


def test_since_a_timestamp(conn: Connection) -> None:
    assert [f["id"] for f in facts_since(conn, "2024-03-05T12:00:00")] == ["f-policy", "f-sanction-us", "f-ban"]


def test_watch_list_restricts_to_those_entities(conn: Connection) -> None:
    assert [f["id"] for f in facts_since(conn, "2024-02", watch=["company:huawei"])] == ["f-partner", "f-sanction-us"]
    assert [f["id"] for f in facts_since(conn, "2024", watch=["company:softbank", "company:vocord"])] == [
        "f-invest", "f-partner"]
    assert facts_since(conn, "2024", watch=[]) == []


def test_limit_and_bad_date(conn: Connection) -> None:
    assert len(facts_since(conn, "2024", limit=3)) == 3
    with pytest.raises(NewsIntelError, match="not a date"):
        facts_since(conn, "last week")


def test_stats(conn: Connection) -> None:
    assert stats(conn) == {
        "documents": 10, "entities": 10, "aliases": 15, "facts": 8, "sources": 9, "failures": 1, "duplicates": 1,
        "facts_by_type": {"sanction": 4, "contract": 1, "investment": 1, "partnership": 1, "policy": 1},
        "entities_by_type": {"company": 6, "government_body": 2, "country": 1, "program": 1},
    }
