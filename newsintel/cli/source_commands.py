"""CLI commands for live sources: source add/list/remove, fetch, watch, watchlist add/list/remove/webhook.

Thin layers over newsintel.sources; library errors become one-line messages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from newsintel.errors import NewsIntelError
from newsintel.sources import tables as _tables  # noqa: F401 - puts our tables on the schema metadata
from newsintel.store.db import Store, default_url, open_store

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(function: F) -> F:
    return click.option("--db", "db", default=None, metavar="URL",
                        help="Database URL or SQLite file (default: $NEWSINTEL_DB or ./newsintel.db).")(function)


def _fetch_options(function: F) -> F:
    """Options shared by fetch and watch."""
    options = [
        click.option("--allow-private", is_flag=True, default=None,
                     help="Allow loopback/private/link-local addresses (a local mirror); "
                          "also NEWSINTEL_ALLOW_PRIVATE=1."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Connect and read timeout in seconds (default 10)."),
        click.option("--max-bytes", type=click.IntRange(min=1000), default=None,
                     help="Largest response read, in bytes (default 5000000)."),
        click.option("--min-interval", type=click.FloatRange(min=0), default=None,
                     help="Seconds between two requests to one host (default 1)."),
        click.option("--max-items", type=click.IntRange(min=1), default=50, show_default=True,
                     help="New articles fetched per source per cycle."),
        click.option("--digest", "digest_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Append each cycle's watchlist digest (Markdown) to this file."),
        click.option("--model", default=None, help="spaCy model: en_core_web_sm (default) or en_core_web_md."),
        click.option("--quiet", "-q", is_flag=True, help="Only the digest and failures."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    try:
        store = open_store(db or default_url())
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield store
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


@click.group()
def source() -> None:
    """Follow RSS/Atom feeds, sitemaps and pages of links (`newsintel fetch` reads them)."""


@source.command("add")
@click.argument("url")
@click.option("--name", default=None, help="A short name (default: the URL without its scheme).")
@click.option("--every", default="30m", show_default=True, help="How often to fetch: 45s, 30m, 2h, 1d.")
@click.option("--kind", type=click.Choice(["feed", "sitemap", "links"]), default=None,
              help="What the URL is (default: detected on the first fetch).")
@_db_option
def source_add(url: str, name: str | None, every: str, kind: str | None, db: str | None) -> None:
    """Follow URL (due at once)."""
    from newsintel.sources.registry import add_source

    with _store(db) as store, store.engine.begin() as conn:
        added = add_source(conn, url, name, every, kind)
    click.echo(f"added source {added.id} {added.name!r}: {added.url} every {every}")


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_db_option
def source_list(as_json: bool, db: str | None) -> None:
    """The sources followed, with their state (last error, back-off, next fetch)."""
    from newsintel.sources.registry import list_sources

    with _store(db) as store, store.engine.begin() as conn:
        found = list_sources(conn)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found], indent=2))
        return
    if not found:
        click.echo("no sources; add one with `newsintel source add URL`")
    for s in found:
        state = f"FAILING x{s.failures}: {s.last_error}" if s.failures else ("ok" if s.last_ok else "never fetched")
        click.echo(f"{s.id:>3}  {s.name}  [{s.kind or '?'}, every {s.to_dict()['every']}]  {s.url}\n"
                   f"     {state}; next {s.next_due}")


@source.command("remove")
@click.argument("key")
@_db_option
def source_remove(key: str, db: str | None) -> None:
    """Stop following a source (by id, name or URL)."""
    from newsintel.sources.registry import remove_source

    with _store(db) as store, store.engine.begin() as conn:
        gone = remove_source(conn, key)
    click.echo(f"removed source {gone.name!r}")


def _fetcher(allow_private: bool | None, timeout: float | None, max_bytes: int | None,
             min_interval: float | None) -> Any:
    from newsintel.sources.fetcher import Fetcher, FetcherOptions

    return Fetcher(FetcherOptions.from_env(allow_private=allow_private, connect_timeout=timeout,
                                           read_timeout=timeout, max_bytes=max_bytes, min_interval=min_interval))


def _cycle(store: Store, fetcher: Any, ingester: Any, everything: bool, max_items: int,
           digest_path: Path | None, quiet: bool) -> int:
    """One fetch cycle with its digest; the number of failures."""
    from newsintel.sources import alerts
    from newsintel.sources.fetch import run_cycle

    report = run_cycle(store, fetcher, ingester, everything=everything, max_items=max_items)
    failures = 0
    for line in report.sources:
        failures += (line.status == "failed") + len(line.failed)
        if not quiet or line.status == "failed" or line.failed:
            click.echo(line.line(), err=True)
        for url, reason in line.failed:
            click.echo(f"  failed: {url}: {reason}", err=True)
    if not report.sources and not quiet:
        click.echo("no source is due", err=True)
    with store.engine.begin() as conn:
        digest = alerts.build_digest(conn, report.documents, report.started)
        webhook = alerts.get_webhook(conn)
    for name in digest.unresolved if not quiet else []:
        click.echo(f"watchlist: no entity named {name!r} yet", err=True)
    if digest.facts or not quiet:
        click.echo(alerts.render_text(digest))
    for problem in alerts.deliver(digest, fetcher, digest_path, webhook):
        click.echo(f"alert delivery failed: {problem}", err=True)
    return failures


@click.command()
@click.option("--all", "everything", is_flag=True, help="Fetch every source, due or not.")
@_fetch_options
@_db_option
def fetch(everything: bool, allow_private: bool | None, timeout: float | None, max_bytes: int | None,
          min_interval: float | None, max_items: int, digest_path: Path | None, model: str | None, quiet: bool,
          db: str | None) -> None:
    """Fetch every due source once: new articles only, extracted and stored; print the watchlist digest.

    Exit code 1 when a source or article failed (recorded; retried later with back-off).
    """
    from newsintel.sources.fetch import Ingester

    with _store(db) as store:
        failures = _cycle(store, _fetcher(allow_private, timeout, max_bytes, min_interval),
                          Ingester(store, model=model), everything, max_items, digest_path, quiet)
    raise SystemExit(1 if failures else 0)


@click.command()
@click.option("--once", is_flag=True, help="One cycle, then stop.")
@click.option("--max-cycles", type=click.IntRange(min=1), default=None, help="Stop after this many cycles.")
@_fetch_options
@_db_option
def watch(once: bool, max_cycles: int | None, allow_private: bool | None, timeout: float | None,
          max_bytes: int | None, min_interval: float | None, max_items: int, digest_path: Path | None,
          model: str | None, quiet: bool, db: str | None) -> None:
    """Fetch sources as they fall due, until stopped (Ctrl-C stops cleanly between requests)."""
    from newsintel.sources.fetch import Ingester
    from newsintel.sources.fetch import watch as run_watch

    with _store(db) as store:
        fetcher = _fetcher(allow_private, timeout, max_bytes, min_interval)
        ingester = Ingester(store, model=model)
        try:
            cycles = run_watch(store, lambda: _cycle(store, fetcher, ingester, False, max_items, digest_path, quiet),
                               max_cycles=1 if once else max_cycles)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
            return
    click.echo(f"{cycles} cycle(s) done", err=True)


@click.group()
def watchlist() -> None:
    """Actors and event types to be alerted about after each fetch."""


@watchlist.command("add")
@click.argument("actor", required=False)
@click.option("--type", "types", default=None, help="Event types, comma-separated (default: all).")
@click.option("--role", "roles", default=None, help="Roles the actor must hold, comma-separated (e.g. target).")
@_db_option
def watchlist_add(actor: str | None, types: str | None, roles: str | None, db: str | None) -> None:
    """Watch ACTOR (a name, resolved at alert time), optionally only for some event types or roles."""
    from newsintel.sources.alerts import add_watch

    with _store(db) as store, store.engine.begin() as conn:
        entry = add_watch(conn, actor, types, roles)
    click.echo(f"watching {entry.label()} (entry {entry.id})")


@watchlist.command("list")
@_db_option
def watchlist_list(db: str | None) -> None:
    """The watchlist and the webhook."""
    from newsintel.sources.alerts import get_webhook, list_watch

    with _store(db) as store, store.engine.begin() as conn:
        entries, webhook = list_watch(conn), get_webhook(conn)
    for entry in entries:
        click.echo(f"{entry.id:>3}  {entry.label()}")
    if not entries:
        click.echo("the watchlist is empty")
    click.echo(f"webhook: {webhook or 'none'}")


@watchlist.command("remove")
@click.argument("key")
@_db_option
def watchlist_remove(key: str, db: str | None) -> None:
    """Remove an entry by id, or every entry for an actor name."""
    from newsintel.sources.alerts import remove_watch

    with _store(db) as store, store.engine.begin() as conn:
        count = remove_watch(conn, key)
    click.echo(f"removed {count} entr{'y' if count == 1 else 'ies'}")


@watchlist.command("webhook")
@click.argument("url", required=False)
@click.option("--clear", is_flag=True, help="Stop posting digests.")
@_db_option
def watchlist_webhook(url: str | None, clear: bool, db: str | None) -> None:
    """POST each digest as JSON to URL (same safety rules as fetching; private addresses need the allow option)."""
    from newsintel.sources.alerts import get_webhook, set_webhook

    with _store(db) as store, store.engine.begin() as conn:
        if clear or url:
            set_webhook(conn, None if clear else url)
        current = get_webhook(conn)
    click.echo(f"webhook: {current or 'none'}")


COMMANDS: list[click.Command] = [source, fetch, watch, watchlist]
