"""The fetch cycle against the local site: new items only, failures recorded per source, back-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from newsintel.sources import registry
from newsintel.sources.fetch import Ingester, run_cycle, watch
from newsintel.sources.fetcher import Fetcher
from newsintel.sources.tables import seen_urls
from newsintel.store.db import Store
from newsintel.store.schema import documents, failures
from tests.sources.server import Site

MakeFetcher = Callable[..., Fetcher]
GOOD = {"/articles/zhongxing.html", "/articles/kestrel.html", "/articles/sony.html"}


def add(store: Store, url: str, **kwargs: Any) -> registry.Source:
    with store.engine.begin() as conn:
        return registry.add_source(conn, url, **kwargs)


def stored_urls(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(select(documents.c.url)).scalars())


def test_first_fetch_ingests_new_items_and_records_failures(store: Store, site: Site, make_fetcher: MakeFetcher,
                                                            ingester: Ingester) -> None:
    add(store, f"{site.base}/feed.xml", name="wire")
    report = run_cycle(store, make_fetcher(), ingester)
    [wire] = report.sources
    assert (wire.status, wire.listed, wire.stored) == ("ok", 9, 3)
    assert stored_urls(store) == sorted(site.base + path for path in GOOD)  # canonical: no utm_, no fragment
    reasons = dict(wire.failed)
    assert "timeout" in reasons[f"{site.base}/slow.html"]
    assert reasons[f"{site.base}/broken.html"] == "HTTP 500"
    assert "too big" in reasons[f"{site.base}/huge.html"]
    assert "redirect loop" in reasons[f"{site.base}/loop/a"]
    assert reasons[f"{site.base}/private/secret.html"] == "disallowed by robots.txt"
    assert reasons[f"{site.base}/image.png"] == "not HTML (image/png)"
    assert site.hits["/private/secret.html"] == 0
    with store.engine.connect() as conn:
        recorded = set(conn.execute(select(failures.c.source)).scalars())
        title, published = conn.execute(select(documents.c.title, documents.c.published)
                                        .where(documents.c.url.like("%zhongxing%"))).one()
    assert f"{site.base}/broken.html" in recorded
    assert (title, published) == ("Commerce adds Zhongxing Sensing to Entity List", "2024-03-04")


def test_second_fetch_downloads_nothing_new_and_a_changed_feed_brings_its_new_item(
        store: Store, site: Site, make_fetcher: MakeFetcher, ingester: Ingester) -> None:
    add(store, f"{site.base}/feed.xml", name="wire")
    run_cycle(store, make_fetcher(), ingester)
    before = site.hits.copy()
    report = run_cycle(store, make_fetcher(), ingester, everything=True)
    assert report.sources[0].status == "not modified" and report.documents == []
    assert site.hits["/feed.xml"] == before["/feed.xml"] + 1
    assert site.requests[-1][1]["If-None-Match"] == '"feed-v1"'
    assert site.article_hits() == sum(before[p] for p in GOOD)  # no article asked for again

    site.feed_version = 2
    report = run_cycle(store, make_fetcher(), ingester, everything=True)
    assert report.sources[0].stored == 1 and len(report.documents) == 1
    assert site.hits["/articles/eu-huawei.html"] == 1
    assert all(site.hits[p] == 1 for p in GOOD)
    assert f"{site.base}/articles/eu-huawei.html" in stored_urls(store)


def test_seen_urls_are_not_fetched_again_without_validators(store: Store, site: Site, make_fetcher: MakeFetcher,
                                                            ingester: Ingester) -> None:
    add(store, f"{site.base}/clean-feed.xml", name="atom")
    first = run_cycle(store, make_fetcher(), ingester)
    assert first.sources[0].stored == 2 and len(first.sources[0].failed) == 1
    second = run_cycle(store, make_fetcher(), ingester, everything=True)
    assert second.sources[0].stored == 0
    assert site.hits["/articles/kestrel.html"] == 1 and site.hits["/articles/sony.html"] == 1
    assert site.hits["/broken.html"] == 2  # a failed article is retried (a few times), not forgotten
    with store.engine.connect() as conn:
        row = conn.execute(select(seen_urls).where(seen_urls.c.url == f"{site.base}/broken.html")).one()
    assert (row.status, row.attempts, row.reason) == ("failed", 2, "HTTP 500")


def test_one_bad_source_never_stops_the_others_and_backs_off(store: Store, site: Site, make_fetcher: MakeFetcher,
                                                              ingester: Ingester) -> None:
    now = dt.datetime(2024, 3, 8, 12, 0, tzinfo=dt.UTC)
    add(store, f"{site.base}/broken-feed.xml", name="broken", every="10m", now=now)
    add(store, f"{site.base}/notfeed.txt", name="words", now=now)
    add(store, f"{site.base}/slow.html", name="slow", now=now)
    add(store, f"{site.base}/links.html", name="links", now=now)
    report = run_cycle(store, make_fetcher(), ingester, now=now)
    by_name = {s.name: s for s in report.sources}
    assert by_name["broken"].reason == "HTTP 500"
    assert "not a feed, sitemap or HTML page (text/plain)" in (by_name["words"].reason or "")
    assert "timeout" in (by_name["slow"].reason or "")
    assert (by_name["links"].status, by_name["links"].stored) == ("ok", 2)
    with store.engine.begin() as conn:
        broken = registry.get_source(conn, "broken")
        assert (broken.failures, broken.last_error, broken.next_due) == (1, "HTTP 500", "2024-03-08T12:20:00Z")
        later = now + dt.timedelta(hours=1)
        assert [s.name for s in registry.due_sources(conn, later)] == ["broken", "links", "words", "slow"]
    run_cycle(store, make_fetcher(), ingester, now=later)
    with store.engine.begin() as conn:
        assert registry.get_source(conn, "broken").next_due == "2024-03-08T13:40:00Z"  # 10m * 2**2
        assert registry.get_source(conn, "links").kind == "links"
    assert registry.backoff(1800, 12) == 24 * 3600


def test_sitemap_index_sources(store: Store, site: Site, make_fetcher: MakeFetcher, ingester: Ingester) -> None:
    add(store, f"{site.base}/sitemap_index.xml", name="map")
    report = run_cycle(store, make_fetcher(), ingester)
    assert (report.sources[0].listed, report.sources[0].stored) == (2, 2)
    with store.engine.connect() as conn:
        assert registry.list_sources(conn)[0].kind == "sitemap"


def test_watch_runs_cycles_until_told_to_stop(store: Store, site: Site, make_fetcher: MakeFetcher,
                                               ingester: Ingester) -> None:
    add(store, f"{site.base}/feed.xml", name="wire", every="1h")
    slept: list[float] = []
    fetcher = make_fetcher()
    done = watch(store, lambda: run_cycle(store, fetcher, ingester), max_cycles=2, sleep=slept.append)
    assert done == 2 and len(slept) == 1 and 3590 > slept[0] > 250  # capped at max_sleep (300 s)
    assert site.hits["/feed.xml"] == 1  # the second cycle found nothing due
