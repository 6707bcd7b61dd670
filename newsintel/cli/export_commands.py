"""CLI commands that move data in and out in analysts' formats: export, import-ftm (issue #6).

Thin layers over newsintel.export and newsintel.store.reference; filters and names as in the
query commands (docs/QUERIES.md).
"""

from __future__ import annotations

import json
import sys

import click

from newsintel.cli.query_commands import connect, db_option, resolve
from newsintel.export import FILE_FORMATS, FORMATS


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="ftm: FollowTheMoney JSON Lines; graphml/gexf: the entity graph; csv/parquet: the tables; "
                   "jsonl: each document's SCHEMA extraction.")
@click.option("--entity", "entity_name", metavar="NAME", help="Only the facts around this entity (see --depth).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=1), help="Hops from --entity.")
@click.option("--type", "fact_types", metavar="T", multiple=True, help="Only facts of this type (repeatable).")
@click.option("--since", metavar="D", help="Only facts dated on or after D (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="D", help="Only facts dated on or before D (inclusive at D's precision).")
@click.option("-o", "--output", metavar="FILE", default=None,
              help="Where to write (default: stdout; csv and parquet need a .zip path or a folder).")
@click.option("--prefix", default="newsintel", show_default=True, help="Namespace of the FtM entity ids.")
@db_option
def export(fmt: str, entity_name: str | None, depth: int, fact_types: tuple[str, ...], since: str | None,
           until: str | None, output: str | None, prefix: str, db: str | None) -> None:
    """Export the store (or the facts the filters choose, with their entities and articles)."""
    from newsintel.export.selection import select_store
    from newsintel.export.write import write_export

    if fmt in FILE_FORMATS and (output is None or output == "-"):
        raise click.UsageError(f"--format {fmt} writes several files: give -o FILE.zip or -o FOLDER")
    with connect(db) as conn:
        entity_id = resolve(conn, entity_name)["id"] if entity_name else None
        types = list(fact_types) or None
        selection = select_store(conn, entity_id, depth, types, since, until)
        written = write_export(conn, fmt, selection, output, entity_id=entity_id, depth=depth, types=types,
                               since=since, prefix=prefix)
    if output not in (None, "-"):
        click.echo(", ".join(f"{n} {what}" for what, n in written.items()) + f" written to {output}", err=True)


@click.command("import-ftm")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dataset", metavar="NAME", help="The list's name when entities carry no `datasets` "
                                                "(default: the file name up to its first dot).")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_ftm(paths: tuple[str, ...], dataset: str | None, db: str | None, as_json: bool) -> None:
    """Load FollowTheMoney entity files (e.g. an OpenSanctions export) as reference data.

    Names and aliases of people, companies and organisations are stored for matching; Sanction
    entities mark their target as listed. Stored entities with an equal (normalised) name are
    linked, and their dossier then says which sanctions lists they are on. Bad lines are reported
    and skipped (exit code 1).
    """
    from newsintel.export.ftm_import import import_ftm as run

    with connect(db) as conn:
        summary = run(conn, paths, dataset)  # a NewsIntelError becomes one line in connect()
        conn.commit()
    for source, reason in summary.failed:
        click.echo(f"error: {source}: {reason}", err=True)
    result = {"entities": summary.entities, "names": summary.names, "sanctions": summary.sanctions,
              "matched": summary.matched, "skipped": summary.skipped, "failed": len(summary.failed)}
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(f"{summary.entities} reference entities ({summary.names} names), {summary.sanctions} "
                   f"sanctions; {summary.matched} stored entities matched; {len(summary.failed)} failed")
    if summary.failed:
        sys.exit(1)


COMMANDS: list[click.Command] = [export, import_ftm]
