"""CLI commands that question the store: dossier, timeline, network, search, since, stats.

Thin layers over newsintel.query: open the store (never creating one), resolve names forgivingly,
call the library, print rich tables for people or `--json` for programs (docs/QUERIES.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from newsintel.errors import NewsIntelError
from newsintel.query.flags import flag_text

F = TypeVar("F", bound=Callable[..., Any])
PIPED_WIDTH = 140


def db_option(function: F) -> F:
    return click.option("--db", "db", metavar="URL", default=None,
                        help="Store URL or SQLite file (default: $NEWSINTEL_DB, else ./newsintel.db).")(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (the form of docs/QUERIES.md).")(function)


@contextmanager
def connect(db: str | None) -> Iterator[Connection]:
    """A read connection to an existing store; any library error becomes a one-line message."""
    from newsintel.store.db import as_url, default_url, open_store

    url = as_url(db) if db else default_url()
    _refuse_missing_file(url)
    try:
        store = open_store(url, create=False)
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    try:
        with store.engine.connect() as conn:
            yield conn
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


def _refuse_missing_file(url: str) -> None:
    """Opening a missing SQLite file would create an empty one; say there is no store instead."""
    try:
        parsed = make_url(url)
    except Exception:
        return  # open_store reports a malformed URL
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.exists():
            raise click.ClickException(f"no store at {path}; run `newsintel ingest` first (or pass --db)")


def resolve(conn: Connection, name: str) -> dict[str, Any]:
    from newsintel.query.names import find_entity

    return find_entity(conn, name)  # EntityNotFound is a NewsIntelError: connect() turns it into one line


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def console() -> Console:
    """Rich output: colour on a terminal; plain text of a fixed, generous width when piped."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=PIPED_WIDTH, color_system=None)
    return out


def roles_text(fact: dict[str, Any], skip: str | None = None) -> str:
    """"imposer: U.S. Department of Commerce; target: SenseTime" (the entity `skip` left out)."""
    parts = []
    for role, members in fact["roles"].items():
        names = [m["name"] for m in members if m["id"] != skip]
        if names:
            parts.append(f"{role}: {', '.join(names)}")
    return "; ".join(parts)


def date_text(fact: dict[str, Any]) -> str:
    return fact["date"]["value"] if fact["date"] else "—"


def amount_text(fact: dict[str, Any]) -> str:
    amount = fact["amount"]
    if not amount:
        return ""
    value = amount["value"]
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{shown} {amount['currency'] or ''}".strip()


def sources_text(fact: dict[str, Any], most: int = 3) -> Text:
    """Each source as "title (date)" and its sentence; the rest counted."""
    out = Text()
    for i, source in enumerate(fact["sources"][:most]):
        if i:
            out.append("\n")
        out.append(f"{source['title'] or source['document_id']} ({source['published'] or 'undated'})", style="bold")
        out.append(f"\n“{source['sentence']}”")
    if len(fact["sources"]) > most:
        out.append(f"\n… and {len(fact['sources']) - most} more")
    return out


def facts_table(title: str, found: list[dict[str, Any]], skip: str | None = None, with_type: bool = True,
                first_seen: bool = False) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    if first_seen:
        table.add_column("first seen", no_wrap=True)
    table.add_column("date", no_wrap=True)
    if with_type:
        table.add_column("type")
    table.add_column("who" if skip is None else "with")
    table.add_column("amount", justify="right")
    table.add_column("sources", overflow="fold", ratio=3)
    for fact in found:
        cells = [Text(fact["first_seen"][:19])] if first_seen else []
        cells.append(Text(date_text(fact)))
        if with_type:
            cells.append(Text(fact["type"]))
        cells += [Text(roles_text(fact, skip)), Text(amount_text(fact)), sources_text(fact)]
        table.add_row(*cells)
    return table


@click.command()
@click.argument("name")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1),
              help="Most recent facts to show (the total is always counted).")
@db_option
@json_option
def dossier(name: str, limit: int, db: str | None, as_json: bool) -> None:
    """Who NAME is, its facts by type in time order with their sources, and its counterparties."""
    from newsintel.query.dossier import dossier as build

    with connect(db) as conn:
        result = build(conn, resolve(conn, name)["id"], limit=limit)
    if as_json:
        echo_json(result)
        return
    out = console()
    entity = result["entity"]
    out.print(Text(f"{entity['name']} ({entity['type']}{', ' + entity['country'] if entity['country'] else ''})",
                   style="bold"), Text(f"  id {entity['id']}"))
    if entity["aliases"]:
        out.print(Text("also: " + "; ".join(entity["aliases"])))
    for flag in result.get("sanctions", []):
        out.print(Text(flag_text(flag), style="bold red"))
    shown, total = len(result["facts"]), result["facts_total"]
    out.print(Text(f"{total} fact(s)" + (f", the {shown} most recent shown" if shown < total else "")))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for fact in result["facts"]:
        by_type.setdefault(fact["type"], []).append(fact)
    for kind, found in by_type.items():
        out.print(facts_table(f"{kind} ({len(found)})", found, skip=entity["id"], with_type=False))
    if result["counterparties"]:
        table = Table(title="Counterparties", title_justify="left")
        table.add_column("name")
        table.add_column("type")
        table.add_column("shared facts", justify="right")
        for other in result["counterparties"]:
            table.add_row(Text(other["name"]), Text(other["type"]), str(other["facts"]))
        out.print(table)


@click.command()
@click.option("--entity", "entity_name", metavar="NAME", help="Only facts about this entity.")
@click.option("--type", "fact_type", metavar="T", help="Only facts of this type (sanction, investment, ...).")
@click.option("--country", metavar="CC", help="Only facts involving an entity of this country (ISO code).")
@click.option("--since", metavar="D", help="Facts dated on or after D (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="D", help="Facts dated on or before D (inclusive at D's precision).")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1), help="Most facts to list.")
@db_option
@json_option
def timeline(entity_name: str | None, fact_type: str | None, country: str | None, since: str | None,
             until: str | None, limit: int, db: str | None, as_json: bool) -> None:
    """Facts in time order, oldest first (undated last), with their sources."""
    from newsintel.query.timeline import timeline as build

    with connect(db) as conn:
        entity_id = resolve(conn, entity_name)["id"] if entity_name else None
        result = build(conn, entity_id=entity_id, type=fact_type, country=country, since=since, until=until,
                       limit=limit)
    if as_json:
        echo_json(result)
        return
    console().print(facts_table(f"{len(result)} fact(s)", result))


@click.command()
@click.option("--entity", "entity_name", metavar="NAME", help="The graph around this entity (else the whole store).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=1), help="Hops from --entity.")
@click.option("--type", "fact_types", metavar="T", multiple=True, help="Only facts of this type (repeatable).")
@click.option("--since", metavar="D", help="Only facts dated on or after D.")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(min=0),
              help="Most facts in the graph (0: no limit).")
@click.option("--per-entity", default=50, show_default=True, type=click.IntRange(min=1),
              help="Most facts of each entity reached beyond the first hop.")
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "gexf", "dot"]), default="json",
              show_default=True, help="json is networkx node-link data.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here (default: stdout).")
@db_option
@json_option
def network(entity_name: str | None, depth: int, fact_types: tuple[str, ...], since: str | None, limit: int,
            per_entity: int, fmt: str, output: IO[str], db: str | None, as_json: bool) -> None:
    """The entity graph (one edge per fact and role pair) as json, graphml, gexf or dot."""
    from newsintel.query.network import network as build
    from newsintel.query.network import render

    with connect(db) as conn:
        entity_id = resolve(conn, entity_name)["id"] if entity_name else None
        graph = build(conn, entity_id=entity_id, depth=depth, types=list(fact_types) or None, since=since,
                      limit=limit or None, per_entity=per_entity)
    output.write(render(graph, "json" if as_json else fmt))


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Most results of each kind.")
@db_option
@json_option
def search(text: str, limit: int, db: str | None, as_json: bool) -> None:
    """Full-text search of articles (all words must match) and of entity names."""
    from newsintel.query.search import search as run

    with connect(db) as conn:
        result = run(conn, text, limit=limit)
    if as_json:
        echo_json(result)
        return
    out = console()
    window = result.get("ranked_among_latest")
    among = f" (best of the {window:,} latest matches)" if window else ""
    table = Table(title=f"{len(result['documents'])} article(s){among}", title_justify="left", show_lines=True)
    for column in ("rank", "published", "title", "snippet"):
        table.add_column(column, overflow="fold")
    for doc in result["documents"]:
        table.add_row(f"{doc['rank']:.3g}", Text(doc["published"] or ""), Text(doc["title"] or doc["id"]),
                      Text(doc["snippet"] or ""))
    out.print(table)
    names = Table(title=f"{len(result['entities'])} entit(y/ies)", title_justify="left")
    for column in ("name", "type", "id"):
        names.add_column(column)
    for entity in result["entities"]:
        names.add_row(Text(entity["name"]), Text(entity["type"]), Text(entity["id"]))
    out.print(names)


@click.command()
@click.argument("date")
@click.option("--watch", type=click.File("r", encoding="utf-8"), help="Only facts about these names (one a line).")
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(min=1), help="Most facts to list.")
@db_option
@json_option
def since(date: str, watch: IO[str] | None, limit: int, db: str | None, as_json: bool) -> None:
    """Facts first stored on or after DATE (an ISO date or timestamp), in the order seen."""
    from newsintel.query.names import EntityNotFound, find_entity
    from newsintel.query.since import facts_since

    watched: list[dict[str, Any]] | None = None
    unknown: list[dict[str, Any]] = []
    with connect(db) as conn:
        if watch is not None:
            watched = []
            for name in _names(watch):
                try:
                    entity = find_entity(conn, name)
                except EntityNotFound as error:
                    unknown.append({"name": name, "suggestions": error.suggestions})
                    click.echo(f"warning: {error}", err=True)
                    continue
                watched.append({"name": name, "id": entity["id"], "entity": entity["name"]})
            if not watched:
                raise click.ClickException("none of the watched names is in the store")
        ids = None if watched is None else list(dict.fromkeys(w["id"] for w in watched))
        result = facts_since(conn, date, ids, limit=limit)
    if as_json:
        echo_json({"since": date, "watch": watched, "unknown": unknown, "facts": result})
        return
    console().print(facts_table(f"{len(result)} fact(s) new since {date}", result, first_seen=True))


def _names(handle: IO[str]) -> list[str]:
    """Names from a watch file: one a line; blank lines and # comments skipped."""
    return [line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")]


@click.command()
@db_option
@json_option
def stats(db: str | None, as_json: bool) -> None:
    """Counts: documents, entities, facts, sources, failures, duplicates; facts and entities by type."""
    from newsintel.query.stats import stats as count

    with connect(db) as conn:
        result = count(conn)
    if as_json:
        echo_json(result)
        return
    out = console()
    table = Table(title="Store", title_justify="left")
    table.add_column("what")
    table.add_column("n", justify="right")
    for key, value in result.items():
        if isinstance(value, dict):
            for kind, n in value.items():
                table.add_row(Text(f"{key.replace('_by_type', '')}: {kind}"), f"{n:,}")
        else:
            table.add_row(key, f"{value:,}")
    out.print(table)


COMMANDS: list[click.Command] = [dossier, timeline, network, search, since, stats]
