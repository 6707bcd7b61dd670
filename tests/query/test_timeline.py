"""The timeline: time order, undated last, filters by entity, type, country and dates."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from newsintel.errors import NewsIntelError
from newsintel.query.timeline import timeline


def ids(facts: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [f["id"] for f in facts]


def test_all_facts_oldest_first_undated_last(conn: Connection) -> None:
    assert ids(timeline(conn)) == ["f-invest", "f-partner", "f-sanction-huawei", "f-sanction", "f-contract",
                                   "f-sanction-us", "f-ban", "f-policy"]


def test_facts_have_the_dossier_form(conn: Connection) -> None:
    fact = timeline(conn, type="investment")[0]
    assert list(fact) == ["id", "type", "date", "roles", "amount", "sources", "independent_sources"]
    assert fact["amount"] == {"value": 1e9, "currency": "USD"}


def test_filters(conn: Connection) -> None:
    assert ids(timeline(conn, entity_id="company:huawei")) == ["f-partner", "f-sanction-huawei", "f-sanction-us"]
    assert ids(timeline(conn, type="sanction")) == ["f-sanction-huawei", "f-sanction", "f-sanction-us", "f-ban"]
    assert ids(timeline(conn, entity_id="company:sensetime", type="sanction")) == ["f-sanction", "f-ban"]
    assert ids(timeline(conn, country="RU")) == ["f-partner"]
    assert ids(timeline(conn, country="jp")) == ["f-invest"]


def test_date_range_is_inclusive_at_its_precision(conn: Connection) -> None:
    assert ids(timeline(conn, since="2020")) == ["f-contract", "f-sanction-us", "f-ban"]
    assert ids(timeline(conn, until="2019-10")) == ["f-invest", "f-partner", "f-sanction-huawei", "f-sanction"]
    assert ids(timeline(conn, since="2019-05-16", until="2020-03-02")) == [
        "f-sanction-huawei", "f-sanction", "f-contract"]
    assert ids(timeline(conn, until="2019-05")) == ["f-invest", "f-partner", "f-sanction-huawei"]


def test_limit(conn: Connection) -> None:
    assert ids(timeline(conn, limit=2)) == ["f-invest", "f-partner"]
    assert len(timeline(conn, limit=8)) == 8


@pytest.mark.parametrize("bad", ["yesterday", "2019/10", "2019-10-08; DROP TABLE facts"])
def test_bad_dates_are_refused(conn: Connection, bad: str) -> None:
    with pytest.raises(NewsIntelError, match="not a date"):
        timeline(conn, since=bad)
