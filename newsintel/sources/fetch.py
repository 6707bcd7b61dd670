"""One fetch cycle: every due source once, new items only, each article extracted and stored.

New only: the listing is fetched with its ETag / Last-Modified (304: nothing to do), and an item
whose canonical URL is in `seen_urls` is not fetched again (a failed one is retried a few times).
One bad source or article is recorded with its reason and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from newsintel.errors import InputError, NewsIntelError
from newsintel.model import RawDocument
from newsintel.sources import registry
from newsintel.sources.discover import Item, NotASource, detect_kind, list_items, page_canonical
from newsintel.sources.fetcher import Fetcher, FetchFailure, Response
from newsintel.sources.tables import ensure_tables, seen_urls
from newsintel.store.db import Store
from newsintel.store.writer import StoreOutcome, content_hash, is_stored, record_failure, store_extraction

if TYPE_CHECKING:
    from newsintel.extract.extractor import Extractor
    from newsintel.store.fingerprint import NearDuplicateIndex

MAX_ATTEMPTS = 3  # an article that failed is retried in later cycles up to this many times
MAX_CHILD_SITEMAPS = 10
HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


@dataclass
class SourceReport:
    """What happened to one source in a cycle."""

    name: str
    status: str = "ok"  # ok | not modified | failed
    reason: str | None = None
    retry_in: int | None = None  # seconds, after a failure
    listed: int = 0
    stored: int = 0
    skipped: int = 0  # already stored (same text) or a canonical URL already seen
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.name}: FAILED: {self.reason} (retry in {registry.format_every(self.retry_in or 0)})"
        if self.status == "not modified":
            return f"{self.name}: not modified"
        return (f"{self.name}: {self.listed} listed, {self.stored} new stored, {self.skipped} skipped, "
                f"{len(self.failed)} failed")


@dataclass
class CycleReport:
    """A cycle's sources and the documents it stored (their facts feed the alerts)."""

    started: str
    sources: list[SourceReport] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


class Ingester:
    """Extraction and storage of fetched pages; the Extractor is loaded once, on first need."""

    def __init__(self, store: Store, extractor: Extractor | None = None, model: str | None = None) -> None:
        self.store, self._extractor, self.model = store, extractor, model
        self._index: NearDuplicateIndex | None = None

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            from newsintel.extract.extractor import Extractor, ExtractorOptions

            self._extractor = Extractor(ExtractorOptions(model=self.model))
        return self._extractor

    def new_cycle(self) -> None:
        self._index = None  # other writers may have stored documents since: reload fingerprints

    def ingest(self, raw: RawDocument) -> StoreOutcome:
        """Prepare (extract_html, clean), extract and store one page; InputError with the reason."""
        from newsintel.extract.extractor import MAX_CHARS
        from newsintel.ingest.prepare import prepare_document
        from newsintel.store.writer import load_duplicate_index

        document = prepare_document(raw)
        if len(document.text) > MAX_CHARS:
            raise InputError(raw.source, f"clean text is {len(document.text):,} characters, above the limit")
        with self.store.engine.connect() as conn:
            if is_stored(conn, content_hash(document.text)):
                return StoreOutcome("skipped", content_hash(document.text))
            if self._index is None:
                self._index = load_duplicate_index(conn)
        try:
            extraction = self.extractor.extract(document)
            outcome = store_extraction(self.store, extraction, raw.source, self._index)
        except NewsIntelError:
            raise
        except Exception as error:  # one bad page must not stop the cycle
            raise InputError(raw.source, f"extraction failed: {error.__class__.__name__}: {error}") from error
        if outcome.status == "stored":
            self._index.add(outcome.document_id, outcome.fingerprint)
        return outcome


def decode_html(response: Response) -> str:
    """The page's text: charset from the header, else a <meta charset>, else UTF-8 (bad bytes replaced)."""
    match = _META_CHARSET.search(response.body[:4096])
    for charset in (response.charset, match.group(1).decode("ascii") if match else None, "utf-8"):
        if charset:
            try:
                return response.body.decode(charset, errors="replace")
            except LookupError:
                continue
    return response.body.decode("utf-8", errors="replace")


def _seen(store: Store, url: str) -> tuple[str, int] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(seen_urls.c.status, seen_urls.c.attempts).where(seen_urls.c.url == url)).first()
    return (row.status, row.attempts) if row else None


def _remember(store: Store, urls: list[str], source_id: int, status: str, document_id: str | None = None,
              reason: str | None = None) -> None:
    now = registry.iso(registry.utc_now())
    with store.engine.begin() as conn:
        for url in dict.fromkeys(urls):
            row = conn.execute(select(seen_urls.c.attempts).where(seen_urls.c.url == url)).first()
            values = {"status": status, "document_id": document_id, "reason": reason, "last_attempt": now}
            if row is None:
                conn.execute(insert(seen_urls).values(url=url, source_id=source_id, first_seen=now, attempts=1,
                                                      **values))
            else:
                conn.execute(update(seen_urls).where(seen_urls.c.url == url).values(attempts=row.attempts + 1,
                                                                                    **values))


def _is_html(response: Response) -> bool:
    if response.content_type:
        return response.content_type in HTML_TYPES
    return b"<html" in response.body[:2048].lower()


def fetch_item(store: Store, fetcher: Fetcher, ingester: Ingester, source: registry.Source, item: Item,
               report: SourceReport, cycle: CycleReport) -> None:
    """Fetch one listed article (unless seen), extract and store it; failures recorded, not raised."""
    seen = _seen(store, item.url)
    if seen and (seen[0] != "failed" or seen[1] >= MAX_ATTEMPTS):
        return
    response = fetcher.fetch(item.url)
    reason = None
    if isinstance(response, FetchFailure):
        reason = response.reason
    elif not _is_html(response):
        reason = f"not HTML ({response.content_type or 'no content type'})"
    elif b"\x00" in response.body[:65536]:
        reason = "not HTML (binary data)"
    if reason is not None or not isinstance(response, Response):
        _fail_item(store, source, item.url, [item.url], reason or "no response", report)
        return
    html = decode_html(response)
    canonical = page_canonical(html, response.url)
    urls = [item.url, canonical]
    if canonical != item.url and (other := _seen(store, canonical)) and other[0] != "failed":
        _remember(store, urls, source.id, "skipped")
        report.skipped += 1
        return
    raw = RawDocument(id=canonical, source=canonical, html=html, url=canonical, title=item.title,
                      published=item.published)
    try:
        outcome = ingester.ingest(raw)
    except InputError as error:
        _fail_item(store, source, item.url, urls, error.reason, report)
        return
    _remember(store, urls, source.id, outcome.status, outcome.document_id)
    if outcome.status == "skipped":
        report.skipped += 1
    else:
        report.stored += 1
        cycle.documents.append(outcome.document_id)


def _fail_item(store: Store, source: registry.Source, url: str, urls: list[str], reason: str,
               report: SourceReport) -> None:
    report.failed.append((url, reason))
    _remember(store, urls, source.id, "failed", reason=reason)
    record_failure(store, url, reason)


def _listing(fetcher: Fetcher, source: registry.Source, response: Response, max_items: int) -> tuple[str, list[Item]]:
    """The source's kind and items (child sitemaps of an index read too); NotASource when unusable."""
    kind = source.kind or detect_kind(response.body, response.content_type)
    listing = list_items(kind, response.body, response.url, max_items)
    items = list(listing.items)
    for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
        answer = fetcher.fetch(child)
        if isinstance(answer, Response) and answer.status == 200:
            items.extend(list_items("sitemap", answer.body, answer.url, max_items).items)
    return kind, items


def fetch_source(store: Store, fetcher: Fetcher, ingester: Ingester, source: registry.Source,
                 cycle: CycleReport, max_items: int = 50, now: dt.datetime | None = None) -> SourceReport:
    """Fetch one source's listing and its new items; the source's state updated either way."""
    report = SourceReport(source.name)
    now = now or registry.utc_now()
    response = fetcher.fetch(source.url, source.etag, source.last_modified)
    try:
        if isinstance(response, FetchFailure):
            raise NotASource(response.reason)
        if response.status == 304:
            report.status = "not modified"
            with store.engine.begin() as conn:
                registry.mark_success(conn, source, now, source.kind, source.etag, source.last_modified)
            return report
        kind, items = _listing(fetcher, source, response, max_items * 4)
    except NotASource as error:
        report.status, report.reason = "failed", str(error)
        with store.engine.begin() as conn:
            report.retry_in = registry.mark_failure(conn, source, now, report.reason)
        record_failure(store, f"source:{source.name}", report.reason)
        return report
    report.listed = len(items)
    new = [item for item in items if (seen := _seen(store, item.url)) is None
           or (seen[0] == "failed" and seen[1] < MAX_ATTEMPTS)]
    for item in new[:max_items]:
        fetch_item(store, fetcher, ingester, source, item, report, cycle)
    complete = len(new) <= max_items  # otherwise drop the validators, so the rest is listed next time
    with store.engine.begin() as conn:
        registry.mark_success(conn, source, now, kind, response.headers.get("etag") if complete else None,
                              response.headers.get("last-modified") if complete else None)
    return report


def run_cycle(store: Store, fetcher: Fetcher, ingester: Ingester, everything: bool = False,
              max_items: int = 50, now: dt.datetime | None = None) -> CycleReport:
    """Fetch every due source (every source with `everything`) once."""
    moment = now or registry.utc_now()
    with store.engine.begin() as conn:
        ensure_tables(conn)
        due = registry.list_sources(conn) if everything else registry.due_sources(conn, moment)
    cycle = CycleReport(registry.iso(moment))
    ingester.new_cycle()
    for source in due:
        cycle.sources.append(fetch_source(store, fetcher, ingester, source, cycle, max_items, moment))
    return cycle


def watch(store: Store, cycle: Callable[[], object], max_cycles: int | None = None, max_sleep: float = 300.0,
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Run `cycle` now and whenever a source is next due, until max_cycles (Ctrl-C: the caller's)."""
    done = 0
    while max_cycles is None or done < max_cycles:
        cycle()
        done += 1
        if max_cycles is not None and done >= max_cycles:
            break
        with store.engine.begin() as conn:
            due = registry.next_due(conn)
        wait = max_sleep if due is None else (due - registry.utc_now()).total_seconds()
        sleep(min(max(wait, 1.0), max_sleep))  # re-read the registry at least every max_sleep seconds
    return done
