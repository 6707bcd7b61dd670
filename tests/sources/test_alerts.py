"""Watchlist digests: exactly the facts a fetch added about watched actors, to a file and a webhook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsintel.errors import NewsIntelError
from newsintel.sources import alerts, registry
from newsintel.sources.fetch import Ingester, run_cycle
from newsintel.sources.fetcher import Fetcher
from newsintel.store.db import Store
from tests.sources.server import Site

MakeFetcher = Callable[..., Fetcher]


def digest_after_cycle(store: Store, fetcher: Fetcher, ingester: Ingester) -> alerts.Digest:
    report = run_cycle(store, fetcher, ingester, everything=True)
    with store.engine.begin() as conn:
        return alerts.build_digest(conn, report.documents, report.started)


def summary(digest: alerts.Digest) -> list[tuple[str, dict[str, list[str]], str | None]]:
    return [(f["type"], {role: [h["name"] for h in holders] for role, holders in f["roles"].items()}, f["link"])
            for f in digest.facts]


def test_digest_lists_exactly_the_new_facts_about_watched_actors(
        store: Store, site: Site, hook: Site, make_fetcher: MakeFetcher, ingester: Ingester, tmp_path: Path) -> None:
    with store.engine.begin() as conn:
        registry.add_source(conn, f"{site.base}/feed.xml", name="wire")
        alerts.add_watch(conn, "Zhongxing Sensing")  # not yet in the store: resolved after the fetch
        alerts.add_watch(conn, "Huawei", types="sanction")  # its acquisition must not alert
        alerts.add_watch(conn, "huawei", types="acquisition", roles="target")  # Huawei is the acquirer
        alerts.add_watch(conn, "Nobody Industries")
        alerts.set_webhook(conn, f"{hook.base}/hook")
    fetcher, markdown = make_fetcher(), tmp_path / "digest.md"

    first = digest_after_cycle(store, fetcher, ingester)
    assert summary(first) == [("sanction",
                               {"target": ["Zhongxing Sensing"], "imposer": ["U.S. Department of Commerce"]},
                               f"{site.base}/articles/zhongxing.html")]
    assert first.facts[0]["watch"] == ["Zhongxing Sensing"]
    assert first.unresolved == ["Nobody Industries"]
    assert alerts.deliver(first, fetcher, markdown, f"{hook.base}/hook") == []

    site.feed_version = 2
    second = digest_after_cycle(store, fetcher, ingester)
    assert summary(second) == [("sanction", {"target": ["Huawei"], "imposer": ["European Union"]},
                                f"{site.base}/articles/eu-huawei.html")]
    assert second.facts[0]["watch"] == ["Huawei [sanction]"]
    assert alerts.deliver(second, fetcher, markdown, f"{hook.base}/hook") == []

    third = digest_after_cycle(store, fetcher, ingester)  # nothing new: nothing said, nothing sent
    assert third.facts == [] and alerts.deliver(third, fetcher, markdown, f"{hook.base}/hook") == []

    text = markdown.read_text(encoding="utf-8")
    assert text.count("## newsintel digest") == 2
    assert f"[Commerce adds Zhongxing Sensing to Entity List]({site.base}/articles/zhongxing.html)" in text
    assert f"({site.base}/articles/eu-huawei.html)" in text and "Kestrel" not in text
    assert "> BRUSSELS, March 7, 2024" in text or "imposed sanctions on Huawei" in text

    assert [path for path, _, _ in hook.posts] == ["/hook", "/hook"]
    body = hook.posts[1][2]
    assert body["count"] == 1 and body["at"] == second.at and body["newsintel"]
    [fact] = body["facts"]
    assert fact["type"] == "sanction" and fact["date"] == {"value": "2024-03-07", "precision": "day"}
    assert fact["link"] == f"{site.base}/articles/eu-huawei.html"
    assert fact["sources"][0]["url"] == fact["link"] and "Huawei" in fact["sources"][0]["sentence"]
    assert fact["watch"] == ["Huawei [sanction]"]
    assert f"<{site.base}/articles/eu-huawei.html>" in alerts.render_text(second)


def test_type_only_watches_and_watchlist_management(store: Store, site: Site, make_fetcher: MakeFetcher,
                                                    ingester: Ingester) -> None:
    with store.engine.begin() as conn:
        registry.add_source(conn, f"{site.base}/clean-feed.xml", name="atom")
        entry = alerts.add_watch(conn, None, types="acquisition")
        assert entry.label() == "any actor [acquisition]"
        with pytest.raises(NewsIntelError):
            alerts.add_watch(conn, None)
        with pytest.raises(NewsIntelError):
            alerts.set_webhook(conn, "file:///etc/passwd")
    digest = digest_after_cycle(store, make_fetcher(), ingester)
    assert summary(digest) == [("acquisition", {"acquirer": ["Huawei"], "target": ["Kestrel Photonics"]},
                                f"{site.base}/articles/kestrel.html")]
    with store.engine.begin() as conn:
        assert alerts.remove_watch(conn, str(entry.id)) == 1
        assert alerts.list_watch(conn) == []


def test_a_failing_webhook_is_reported_not_raised(store: Store, make_fetcher: MakeFetcher) -> None:
    digest = alerts.Digest("2024-03-08T00:00:00Z", facts=[{"type": "sanction", "roles": {}, "link": None,
                                                          "watch": ["x"], "sources": []}])
    problems = alerts.deliver(digest, Fetcher(), None, "http://127.0.0.1:9/hook")
    assert len(problems) == 1 and "loopback" in problems[0]
