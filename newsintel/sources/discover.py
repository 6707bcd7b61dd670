"""What a source lists: items of an RSS/Atom feed, a sitemap, or a page of links. Pure: bytes in.

`detect_kind` sniffs the body (feedparser for feeds, xml.etree for sitemaps, html.parser for
pages); `list_items` returns Items with canonical URLs (fragment and tracking parameters removed).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from newsintel.errors import NewsIntelError

KINDS = ("feed", "sitemap", "links")
TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|"
                      r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_(anon|enc)_id|vero_(id|conv)|ref_src|cmpid|ncid)$", re.I)
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_IP_HOST = re.compile(r"^[\d.]+$|:")
_SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|svg|webp|pdf|zip|mp[34]|css|js|xml|rss|atom|ico)$", re.I)


class NotASource(NewsIntelError):
    """The body is not a feed, sitemap or page of links (the reason says what it was)."""


@dataclass(frozen=True)
class Item:
    """One article a source lists: canonical URL, and title / ISO date when the listing gives them."""

    url: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Listing:
    """A parsed source: its items, and child sitemaps (of a sitemap index) to read as well."""

    kind: str
    items: list[Item]
    sitemaps: list[str]


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The URL without fragment, tracking parameters or default port, scheme and host lower-cased.

    None for anything but an absolute http(s) URL.
    """
    parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    kept = [part for part in parts.query.split("&") if part and not TRACKING.match(unquote(part.split("=")[0]))]
    query = "&".join(kept)  # the parameters kept as written: re-encoding could change the URL's meaning
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def same_site(a: str, b: str) -> bool:
    """Whether two URLs share a host or its last two labels (www.x.com / amp.x.com), approximately."""
    ha, hb = (urlsplit(u).hostname or "" for u in (a, b))
    if ha == hb:
        return True
    if _IP_HOST.search(ha) or _IP_HOST.search(hb):
        return False
    return ha.split(".")[-2:] == hb.split(".")[-2:] and ha.count(".") >= 1


def _safe_xml(body: bytes) -> ET.Element:
    """Parse XML without entity declarations (no billion laughs, no external entities)."""
    if b"<!ENTITY" in body.upper():
        raise NotASource("XML with entity declarations (refused)")
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        raise NotASource(f"malformed XML: {error}") from None


def detect_kind(body: bytes, content_type: str) -> str:
    """feed | sitemap | links, from the body (the Content-Type only breaks ties); NotASource otherwise."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if "html" in content_type or b"<html" in head or b"<!doctype html" in head:
        return "links"
    what = content_type or "unknown content"
    raise NotASource(f"not a feed, sitemap or HTML page ({what})")


def list_items(kind: str, body: bytes, base_url: str, max_items: int = 100) -> Listing:
    """The items `body` lists, as a source of `kind`; NotASource when it is not one."""
    if kind == "feed":
        return Listing(kind, _feed_items(body, base_url)[:max_items], [])
    if kind == "sitemap":
        items, children = _sitemap_items(body, base_url)
        return Listing(kind, items[:max_items], children)
    if kind == "links":
        return Listing(kind, _link_items(body, base_url)[:max_items], [])
    raise NotASource(f"unknown source kind {kind!r}")


def _iso_date(value: object) -> str | None:
    """An ISO date from feedparser's time tuple or a W3C datetime string."""
    if isinstance(value, tuple) and len(value) >= 3:
        return dt.date(*value[:3]).isoformat()
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()[:10]
    return None


def _feed_items(body: bytes, base_url: str) -> list[Item]:
    import feedparser  # bytes, never a URL: feedparser would fetch a string that looks like one

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        raise NotASource("not a feed (no RSS/Atom structure)")
    items = []
    for entry in parsed.entries:
        url = canonical_url(entry.get("link") or "", base_url)
        if url:
            published = _iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            items.append(Item(url, (entry.get("title") or "").strip() or None, published))
    return _unique(items)


def _sitemap_items(body: bytes, base_url: str) -> tuple[list[Item], list[str]]:
    root = _safe_xml(body)
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        children = [canonical_url(loc.text or "", base_url) for loc in root.iter(f"{_SITEMAP_NS}loc")]
        return [], [c for c in dict.fromkeys(children) if c]
    if tag != "urlset":
        raise NotASource(f"not a sitemap (root element <{tag}>)")
    items = []
    for node in root.iter(f"{_SITEMAP_NS}url"):
        url = canonical_url(node.findtext(f"{_SITEMAP_NS}loc") or "", base_url)
        if not url:
            continue
        title = node.findtext(f"{_NEWS_NS}news/{_NEWS_NS}title")
        date = node.findtext(f"{_NEWS_NS}news/{_NEWS_NS}publication_date") or node.findtext(f"{_SITEMAP_NS}lastmod")
        items.append(Item(url, title.strip() if title else None, _iso_date(date)))
    items.sort(key=lambda i: i.published or "", reverse=True)  # newest first when capped
    return _unique(items), []


class _Links(HTMLParser):
    """<a href> targets with their text, and <link rel=canonical>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.canonical: str | None = None
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split() and self.canonical is None:
            self.canonical = values.get("href") or None
        elif tag == "a" and values.get("href"):
            self._href, self._text = values["href"], []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def _link_items(body: bytes, base_url: str) -> list[Item]:
    """Same-site links of a page that look like articles (a path, not the page, not a file or index)."""
    parser = _Links()
    parser.feed(body.decode("utf-8", errors="replace"))
    page = canonical_url(base_url)
    items = []
    for href, text in parser.links:
        url = canonical_url(href, base_url)
        if not url or url == page or not same_site(url, base_url):
            continue
        path = urlsplit(url).path
        if path.strip("/") == "" or _SKIP_EXT.search(path):
            continue
        items.append(Item(url, text or None))
    return _unique(items)


def page_canonical(html: str, url: str) -> str:
    """The page's <link rel=canonical> (same site only, so a page cannot claim another's URL), else `url`."""
    parser = _Links()
    head = html[: html.lower().find("</head>") + 7] if "</head>" in html.lower() else html[:200_000]
    parser.feed(head)
    found = canonical_url(parser.canonical, url) if parser.canonical else None
    return found if found and same_site(found, url) else canonical_url(url) or url


def _unique(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            out.append(item)
    return out
