"""Alerts: the watchlist, and a digest of the facts a fetch added about watched actors and event types.

A fact is new when it was first stored by a document of this fetch (facts.first_sequence), so
facts stored meanwhile by another process are not claimed. Watched names are resolved after the
fetch with query.names.find_entity, so an actor first seen in this fetch already matches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from newsintel import __version__
from newsintel.errors import NewsIntelError
from newsintel.sources.discover import canonical_url
from newsintel.sources.fetcher import Fetcher, FetchFailure
from newsintel.sources.tables import ensure_tables, settings, watchlist
from newsintel.store.schema import documents, fact_roles, facts

WEBHOOK_KEY = "webhook_url"


@dataclass(frozen=True)
class Watch:
    """One watchlist entry: an actor (None: any), event types and roles (None: any)."""

    id: int
    actor: str | None
    types: list[str] | None
    roles: list[str] | None

    def label(self) -> str:
        text = self.actor or "any actor"
        if self.roles:
            text += f" as {'/'.join(self.roles)}"
        return text + (f" [{', '.join(self.types)}]" if self.types else "")


@dataclass
class Digest:
    """New facts matching the watchlist, each with the entries it matched."""

    at: str
    facts: list[dict[str, Any]] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # watched names not (yet) in the store


def _split(value: str | None) -> list[str] | None:
    items = [v.strip().lower() for v in (value or "").split(",") if v.strip()]
    return items or None


def add_watch(conn: Connection, actor: str | None, types: str | None = None, roles: str | None = None) -> Watch:
    ensure_tables(conn)
    if not (actor and actor.strip()) and not _split(types):
        raise NewsIntelError("watch an actor, event types (--type), or both")
    type_list, role_list = _split(types), _split(roles)
    conn.execute(insert(watchlist).values(
        actor=actor.strip() if actor else None, types=",".join(type_list) if type_list else None,
        roles=",".join(role_list) if role_list else None,
        added_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    return list_watch(conn)[-1]


def list_watch(conn: Connection) -> list[Watch]:
    ensure_tables(conn)
    rows = conn.execute(select(watchlist).order_by(watchlist.c.id))
    return [Watch(r.id, r.actor, _split(r.types), _split(r.roles)) for r in rows]


def remove_watch(conn: Connection, key: str) -> int:
    """Remove entries by id or by actor name (case-insensitive); how many were removed."""
    ensure_tables(conn)
    ids = [w.id for w in list_watch(conn) if str(w.id) == key or (w.actor or "").lower() == key.strip().lower()]
    if not ids:
        raise NewsIntelError(f"no watchlist entry {key!r} (see `newsintel watchlist list`)")
    conn.execute(delete(watchlist).where(watchlist.c.id.in_(ids)))
    return len(ids)


def set_webhook(conn: Connection, url: str | None) -> None:
    """Set (or clear, with None) the URL digests are POSTed to as JSON."""
    ensure_tables(conn)
    if url is not None and canonical_url(url) is None:
        raise NewsIntelError(f"{url!r} is not an http(s) URL")
    conn.execute(delete(settings).where(settings.c.key == WEBHOOK_KEY))
    if url is not None:
        conn.execute(insert(settings).values(key=WEBHOOK_KEY, value=url.strip()))


def get_webhook(conn: Connection) -> str | None:
    ensure_tables(conn)
    return conn.execute(select(settings.c.value).where(settings.c.key == WEBHOOK_KEY)).scalar()


def _matches(fact: dict[str, Any], watch: Watch, entity_id: str | None) -> bool:
    if watch.types and fact["type"].lower() not in watch.types:
        return False
    if entity_id is None:
        return True
    return any(holder["id"] == entity_id for role, holders in fact["roles"].items()
               if not watch.roles or role.lower() in watch.roles for holder in holders)


def build_digest(conn: Connection, document_ids: list[str], at: str) -> Digest:
    """The new facts (first stored by these documents) that match a watchlist entry."""
    from newsintel.query.facts import load_facts
    from newsintel.query.names import EntityNotFound, find_entity

    digest = Digest(at)
    entries = list_watch(conn)
    if not document_ids or not entries:
        return digest
    sequences = list(conn.execute(select(documents.c.sequence).where(documents.c.id.in_(document_ids))).scalars())
    resolved: list[tuple[Watch, str | None]] = []
    for watch in entries:
        try:
            resolved.append((watch, find_entity(conn, watch.actor)["id"] if watch.actor else None))
        except EntityNotFound:
            digest.unresolved.append(watch.actor or "")
    query = select(facts.c.id).where(facts.c.first_sequence.in_(sequences))
    if all(entity_id is not None for _, entity_id in resolved):
        wanted = [entity_id for _, entity_id in resolved]
        query = query.where(facts.c.id.in_(select(fact_roles.c.fact_id).where(fact_roles.c.entity_id.in_(wanted))))
    ids = list(conn.execute(query.order_by(facts.c.first_sequence, facts.c.id)).scalars())
    for fact in load_facts(conn, ids, with_first_seen=True) if resolved else []:
        matched = [watch.label() for watch, entity_id in resolved if _matches(fact, watch, entity_id)]
        if matched:
            digest.facts.append({**fact, "watch": matched, "link": _link(fact)})
    return digest


def _link(fact: dict[str, Any]) -> str | None:
    return next((s["url"] for s in fact.get("sources", []) if s.get("url")), None)


def _summary(fact: dict[str, Any]) -> str:
    roles = "; ".join(f"{role}: {', '.join(h['name'] for h in holders)}" for role, holders in fact["roles"].items())
    date = f" ({fact['date']['value']})" if fact.get("date") else ""
    return f"{fact['type']}{date}: {roles}"


def render_text(digest: Digest) -> str:
    if not digest.facts:
        return "no new facts about watched actors"
    lines = [f"{len(digest.facts)} new fact(s) about watched actors:"]
    for fact in digest.facts:
        lines.append(f"  - {_summary(fact)}  <{fact['link'] or 'no link'}>  [{'; '.join(fact['watch'])}]")
    return "\n".join(lines)


def render_markdown(digest: Digest) -> str:
    lines = [f"## newsintel digest, {digest.at}", ""]
    for fact in digest.facts:
        source: dict[str, Any] = next((s for s in fact.get("sources", []) if s.get("url")), {})
        title = (source.get("title") or fact["link"] or "source").replace("[", "(").replace("]", ")")
        link = f"[{title}]({fact['link']})" if fact["link"] else "no link"
        lines.append(f"- **{_summary(fact)}** — {link} (watching {'; '.join(fact['watch'])})")
        if source.get("sentence"):
            lines.append(f"  > {' '.join(source['sentence'].split())}")
    return "\n".join(lines) + "\n\n"


def payload(digest: Digest) -> dict[str, Any]:
    """The webhook's JSON body."""
    return {"newsintel": __version__, "at": digest.at, "count": len(digest.facts), "facts": digest.facts}


def deliver(digest: Digest, fetcher: Fetcher, markdown: Path | None = None, webhook: str | None = None) -> list[str]:
    """Append the digest to `markdown` and POST it to `webhook` (only when it has facts); problems."""
    problems: list[str] = []
    if not digest.facts:
        return problems
    if markdown is not None:
        try:
            with markdown.open("a", encoding="utf-8") as handle:
                handle.write(render_markdown(digest))
        except OSError as error:
            problems.append(f"digest file {markdown}: {error.strerror or error}")
    if webhook:
        answer = fetcher.post_json(webhook, payload(digest))
        if isinstance(answer, FetchFailure):
            problems.append(f"webhook {webhook}: {answer.reason}")
    return problems
