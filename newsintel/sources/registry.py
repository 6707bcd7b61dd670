"""The live sources an analyst follows: add, list, remove, and their fetch state with back-off.

Times are ISO timestamps (UTC, seconds), comparable as text like the rest of the store.
A failure pushes the next attempt out exponentially: now + every * 2**failures, at most a day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from newsintel.errors import NewsIntelError
from newsintel.sources.discover import KINDS, canonical_url
from newsintel.sources.tables import ensure_tables, live_sources

MAX_BACKOFF = 24 * 3600
DEFAULT_EVERY = "30m"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def parse_every(value: str) -> int:
    """Seconds in "30m", "2h", "1d", "45s" or "90" (seconds); at least 1."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", value.lower())
    if not match or int(match.group(1)) < 1:
        raise NewsIntelError(f"interval {value!r} is not a duration like 30m, 2h, 1d or 45s")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]


def format_every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class Source:
    """One followed source and its fetch state."""

    id: int
    url: str
    name: str
    kind: str | None
    every: int
    etag: str | None
    last_modified: str | None
    last_fetch: str | None
    last_ok: str | None
    last_error: str | None
    failures: int
    next_due: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "every": format_every(self.every)}


def _source(row: Any) -> Source:
    return Source(row.id, row.url, row.name, row.kind, row.every_seconds, row.etag, row.last_modified,
                  row.last_fetch, row.last_ok, row.last_error, row.failures, row.next_due)


def add_source(conn: Connection, url: str, name: str | None = None, every: str = DEFAULT_EVERY,
               kind: str | None = None, now: dt.datetime | None = None) -> Source:
    """Register a source (due at once); NewsIntelError for a bad URL, interval or kind, or a duplicate."""
    ensure_tables(conn)
    clean = canonical_url(url)
    if clean is None:
        raise NewsIntelError(f"{url!r} is not an http(s) URL")
    if kind is not None and kind not in KINDS:
        raise NewsIntelError(f"kind must be one of {', '.join(KINDS)}")
    seconds = parse_every(every)
    name = (name or clean.split("://", 1)[1].rstrip("/")).strip()
    clash = conn.execute(select(live_sources.c.name).where(
        or_(live_sources.c.url == clean, live_sources.c.name == name))).first()
    if clash is not None:
        raise NewsIntelError(f"a source with this URL or name already exists ({clash.name!r})")
    moment = iso(now or utc_now())
    conn.execute(insert(live_sources).values(url=clean, name=name, kind=kind, every_seconds=seconds,
                                             added_at=moment, failures=0, next_due=moment))
    return get_source(conn, name)


def get_source(conn: Connection, key: str) -> Source:
    """A source by id, name or URL."""
    ensure_tables(conn)
    conditions = [live_sources.c.name == key, live_sources.c.url == (canonical_url(key) or key)]
    if key.isdigit():
        conditions.append(live_sources.c.id == int(key))
    row = conn.execute(select(live_sources).where(or_(*conditions))).first()
    if row is None:
        raise NewsIntelError(f"no source {key!r} (see `newsintel source list`)")
    return _source(row)


def list_sources(conn: Connection) -> list[Source]:
    ensure_tables(conn)
    return [_source(row) for row in conn.execute(select(live_sources).order_by(live_sources.c.id))]


def remove_source(conn: Connection, key: str) -> Source:
    """Stop following a source (URLs already seen stay seen)."""
    source = get_source(conn, key)
    conn.execute(delete(live_sources).where(live_sources.c.id == source.id))
    return source


def due_sources(conn: Connection, now: dt.datetime) -> list[Source]:
    ensure_tables(conn)
    query = select(live_sources).where(live_sources.c.next_due <= iso(now)).order_by(live_sources.c.next_due,
                                                                                      live_sources.c.id)
    return [_source(row) for row in conn.execute(query)]


def next_due(conn: Connection) -> dt.datetime | None:
    """When the next source is due (None without sources)."""
    ensure_tables(conn)
    value = conn.execute(select(live_sources.c.next_due).order_by(live_sources.c.next_due).limit(1)).scalar()
    return parse_iso(value) if value else None


def backoff(every: int, failures: int) -> int:
    """Seconds until the next attempt after `failures` consecutive failures."""
    return min(every * 2 ** min(failures, 20), MAX_BACKOFF) if failures else every


def mark_success(conn: Connection, source: Source, now: dt.datetime, kind: str | None,
                 etag: str | None, last_modified: str | None) -> None:
    conn.execute(update(live_sources).where(live_sources.c.id == source.id).values(
        kind=kind, etag=etag, last_modified=last_modified, last_fetch=iso(now), last_ok=iso(now),
        last_error=None, failures=0, next_due=iso(now + dt.timedelta(seconds=source.every))))


def mark_failure(conn: Connection, source: Source, now: dt.datetime, reason: str) -> int:
    """Record the failure; the seconds until the next attempt."""
    failures = source.failures + 1
    wait = backoff(source.every, failures)
    conn.execute(update(live_sources).where(live_sources.c.id == source.id).values(
        last_fetch=iso(now), last_error=reason, failures=failures,
        next_due=iso(now + dt.timedelta(seconds=wait))))
    return wait
