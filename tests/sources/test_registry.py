"""The registry and watchlist tables on SQLite and PostgreSQL (created on demand, beside the store's)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsintel.errors import NewsIntelError
from newsintel.sources import alerts, registry
from newsintel.store.db import open_store


def test_sources_and_watchlist_round_trip(store_url: str) -> None:
    store = open_store(store_url)
    now = dt.datetime(2024, 3, 8, 12, 0, tzinfo=dt.UTC)
    try:
        with store.engine.begin() as conn:
            added = registry.add_source(conn, "https://Wire.example/feed.xml?utm_source=x#f", every="2h", now=now)
            assert (added.url, added.name, added.every, added.next_due) == (
                "https://wire.example/feed.xml", "wire.example/feed.xml", 7200, "2024-03-08T12:00:00Z")
            with pytest.raises(NewsIntelError, match="already exists"):
                registry.add_source(conn, "https://wire.example/feed.xml")
            with pytest.raises(NewsIntelError, match="not an http"):
                registry.add_source(conn, "file:///etc/passwd")
            assert registry.mark_failure(conn, added, now, "HTTP 500") == 4 * 3600
            assert registry.next_due(conn) == now + dt.timedelta(hours=4)
            assert registry.due_sources(conn, now) == []
            alerts.add_watch(conn, "Huawei", types="Sanction, acquisition", roles="target")
            alerts.set_webhook(conn, "https://hooks.example/x")
            assert [w.label() for w in alerts.list_watch(conn)] == ["Huawei as target [sanction, acquisition]"]
            assert alerts.get_webhook(conn) == "https://hooks.example/x"
            assert registry.remove_source(conn, str(added.id)).name == "wire.example/feed.xml"
            assert registry.list_sources(conn) == []
    finally:
        store.close()


@pytest.mark.parametrize(("text", "seconds"), [("45s", 45), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("90", 90)])
def test_intervals(text: str, seconds: int) -> None:
    assert registry.parse_every(text) == seconds
    assert registry.parse_every(registry.format_every(seconds)) == seconds
