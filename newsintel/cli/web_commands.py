"""`newsintel serve`: the web UI and JSON API over a store (newsintel.web)."""

from __future__ import annotations

import os

import click

from newsintel.errors import NewsIntelError


@click.command()
@click.option("--db", "db", default=None, metavar="URL",
              help="Store URL or SQLite file (default: $NEWSINTEL_DB, else ./newsintel.db). Never created here.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 exposes the UI to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the web UI (home, search, dossiers, network explorer, timeline, articles) and the JSON API.

    \b
    Pages at http://HOST:PORT/, the API under /api/ (OpenAPI docs at /docs). All assets are served
    locally; nothing is fetched from the network. Read-only unless NEWSINTEL_TOKEN is set: then
    analysts can ingest, merge and split with that token (a form field, or
    `Authorization: Bearer TOKEN` for the API).
    """
    import uvicorn

    from newsintel.web.app import create_app

    token = os.environ.get("NEWSINTEL_TOKEN") or None
    try:
        app = create_app(db, token)
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    mode = "analyst actions on (token set)" if token else "read-only (no NEWSINTEL_TOKEN)"
    click.echo(f"newsintel serving http://{host}:{port}/ - {mode}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


COMMANDS: list[click.Command] = [serve]
