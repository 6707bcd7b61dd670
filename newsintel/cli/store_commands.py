"""CLI commands that fill and correct the store: ingest, failures, merge, split, rename."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy import select

from newsintel.errors import NewsIntelError
from newsintel.store.db import Store, default_url, open_store

T = TypeVar("T")

_db_option = click.option("--db", "db", default=None, metavar="URL",
                          help="Database URL or SQLite file (default: $NEWSINTEL_DB or ./newsintel.db).")
_author_option = click.option("--author", default=lambda: os.environ.get("USER") or "analyst",
                              show_default="$USER", help="Who made this judgement (kept with it).")


@contextmanager
def _store(db: str | None, create: bool = True) -> Iterator[Store]:
    """The open store; library errors become one-line click errors."""
    try:
        store = open_store(db or default_url(), create=create)
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield store
    finally:
        store.close()


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@_db_option
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Extraction processes (1: no pool), or Ray actors with --engine ray. Results are stored in "
                   "input order either way.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where extraction runs: this machine, or Ray actors (one model each) on the cluster at "
                   "$RAY_ADDRESS, else on a Ray started here for the run. Storing stays in this process.")
@click.option("--model", default=None, help="spaCy model: en_core_web_sm (default) or en_core_web_md.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary on standard error.")
def ingest(paths: tuple[str, ...], db: str | None, workers: int, engine: str, model: str | None,
           quiet: bool) -> None:
    """Extract PATHS (.txt, .html, .jsonl files or folders) and store them, one transaction per document.

    Safe to interrupt and re-run: documents already stored (same clean text) are skipped, near
    duplicates are linked to the story they repeat, failures are recorded (`newsintel failures`).
    Exit code 1 when an input failed, 130 when interrupted.
    """
    from newsintel.extract.extractor import ExtractorOptions
    from newsintel.store.ingest import ingest as run_ingest

    with _store(db) as store:
        summary = _run(lambda: run_ingest(list(paths), store, workers=workers, progress=not quiet,
                                          options=ExtractorOptions(model=model), engine=engine))
    if not quiet:
        for source, reason in summary.failed:
            click.echo(f"failed: {source}: {reason}", err=True)
        click.echo(summary.line(), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(1)


@click.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {source, reason, at}.")
def failures(db: str | None, as_json: bool) -> None:
    """List inputs that could not be stored, and why."""
    from newsintel.store.schema import failures as table

    with _store(db, create=False) as store, store.engine.connect() as connection:
        rows = connection.execute(select(table.c.source, table.c.reason, table.c.at).order_by(table.c.id)).all()
    records = [{"source": s, "reason": r, "at": a} for s, r, a in rows]
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo("no failures")
        return
    width = max(len(r["source"]) for r in records)
    click.echo(f"{'SOURCE'.ljust(width)}  {'AT'.ljust(20)}  REASON")
    for r in records:
        click.echo(f"{r['source'].ljust(width)}  {r['at'].ljust(20)}  {r['reason']}")


@click.command()
@click.argument("a")
@click.argument("b")
@_db_option
@_author_option
def merge(a: str, b: str, db: str | None, author: str) -> None:
    """Merge entity B into A (names or ids): B's aliases, mentions and facts become A's, now and later."""
    from newsintel.resolve.judgements import merge as run_merge

    with _store(db, create=False) as store:
        keep = _run(lambda: run_merge(store, a, b, author))
    click.echo(f"merged {b!r} into {keep}")


@click.command()
@click.argument("a")
@_db_option
@_author_option
def split(a: str, db: str | None, author: str) -> None:
    """Split entity A: undo merges into it, or separate its mentions by name."""
    from newsintel.resolve.judgements import split as run_split

    with _store(db, create=False) as store:
        parts = _run(lambda: run_split(store, a, author))
    click.echo(f"split off {', '.join(parts)}")


@click.command()
@click.argument("a")
@click.argument("name")
@_db_option
@_author_option
def rename(a: str, name: str, db: str | None, author: str) -> None:
    """Give entity A (a name or id) a new display name."""
    from newsintel.resolve.judgements import rename as run_rename

    with _store(db, create=False) as store:
        entity_id = _run(lambda: run_rename(store, a, name, author))
    click.echo(f"renamed {entity_id} to {name!r}")


COMMANDS: list[click.Command] = [ingest, failures, merge, split, rename]
