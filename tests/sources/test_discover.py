"""Listings (feeds, sitemaps, link pages) and canonical URLs: pure functions over our fixtures."""

from __future__ import annotations

import pytest

from newsintel.sources.discover import NotASource, canonical_url, detect_kind, list_items, page_canonical
from tests.sources.server import FIXTURES

BASE = "http://wire.test"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", BASE).encode()


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Wire.Test:80/a.html?utm_source=rss&id=7&fbclid=x#top", "http://wire.test/a.html?id=7"),
    ("https://wire.test:443", "https://wire.test/"),
    ("https://wire.test:8443/a?q=a%20b&gclid=1", "https://wire.test:8443/a?q=a%20b"),
    ("mailto:desk@wire.test", None),
    ("javascript:alert(1)", None),
    ("/relative", None),
])
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_kinds_are_detected_from_the_body() -> None:
    assert detect_kind(fixture("feed_v1.xml"), "application/rss+xml") == "feed"
    assert detect_kind(fixture("clean_feed.xml"), "text/xml") == "feed"
    assert detect_kind(fixture("sitemap.xml"), "application/xml") == "sitemap"
    assert detect_kind(fixture("sitemap_index.xml"), "") == "sitemap"
    assert detect_kind(fixture("links.html"), "text/html") == "links"
    with pytest.raises(NotASource, match="not a feed"):
        detect_kind(b"just words", "text/plain")


def test_feed_items_are_canonical_with_titles_and_dates() -> None:
    items = list_items("feed", fixture("feed_v1.xml"), f"{BASE}/feed.xml").items
    assert items[0].url == f"{BASE}/articles/zhongxing.html"
    assert items[0].title == "Commerce adds Zhongxing Sensing to Entity List" and items[0].published == "2024-03-04"
    assert items[2].url == f"{BASE}/articles/sony.html"
    atom = list_items("feed", fixture("clean_feed.xml"), f"{BASE}/clean-feed.xml").items
    assert [i.url for i in atom][:2] == [f"{BASE}/articles/kestrel.html", f"{BASE}/articles/sony.html"]


def test_sitemaps_and_indexes() -> None:
    listing = list_items("sitemap", fixture("sitemap.xml"), f"{BASE}/sitemap.xml")
    assert [(i.url, i.published) for i in listing.items] == [(f"{BASE}/articles/eu-huawei.html", "2024-03-07"),
                                                             (f"{BASE}/articles/zhongxing.html", "2024-03-04")]
    assert listing.items[1].title == "Commerce adds Zhongxing Sensing to Entity List"
    index = list_items("sitemap", fixture("sitemap_index.xml"), f"{BASE}/sitemap_index.xml")
    assert index.items == [] and index.sitemaps == [f"{BASE}/sitemap.xml"]


def test_xml_entities_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    with pytest.raises(NotASource, match="entity"):
        list_items("sitemap", bomb, BASE)


def test_link_pages_keep_same_site_article_links() -> None:
    items = list_items("links", fixture("links.html"), f"{BASE}/links.html").items
    assert [i.url for i in items] == [f"{BASE}/articles/kestrel.html", f"{BASE}/articles/sony.html"]
    assert items[0].title == "Huawei to buy Kestrel Photonics"


def test_page_canonical_link_only_within_the_site() -> None:
    html = fixture("articles/kestrel.html").decode()
    assert page_canonical(html, f"{BASE}/articles/kestrel.html?utm_source=x") == f"{BASE}/articles/kestrel.html"
    foreign = html.replace(f"{BASE}/articles/kestrel.html", "http://other.test/x")
    assert page_canonical(foreign, f"{BASE}/a.html?utm_medium=y") == f"{BASE}/a.html"
