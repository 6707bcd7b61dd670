"""The `newsintel` command line: thin click commands over the library.

Library errors become one-line messages; a bad input is reported and skipped, and the exit
code says whether anything failed (0 all good, 1 some inputs failed, 2 usage error).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from newsintel import __version__
from newsintel.errors import InputError, NewsIntelError
from newsintel.interfaces.progress import progress_over
from newsintel.interfaces.summary import render_summary


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsintel")
def main() -> None:
    """newsintel: turn technology-geopolitics news into sourced entities and events.

    \b
    Start with:
      newsintel extract corpus/articles.jsonl -o out.jsonl
      newsintel summarize out.jsonl
      newsintel evaluate corpus/gold.jsonl out.jsonl
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write SCHEMA JSON Lines here (default: standard output).")
@click.option("--pretty", is_flag=True, help="Indented JSON, one document after another, for reading.")
@click.option("--model", default=None, help="spaCy model: en_core_web_sm (default) or en_core_web_md.")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(min=1),
              help="Documents per spaCy batch.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary on standard error.")
def extract(paths: tuple[str, ...], output: IO[str], pretty: bool, model: str | None, batch_size: int,
            quiet: bool) -> None:
    """Extract entities and events from PATHS (.txt, .html, .jsonl files or folders; - for stdin).

    Writes one SCHEMA output line per document (see ../shared/eval/SCHEMA.md). A bad input is
    reported on standard error and skipped; the exit code is 1 if any input failed.
    """
    from newsintel.extract.extractor import Extractor, ExtractorOptions
    from newsintel.ingest.readers import iter_raw_documents

    try:
        extractor = Extractor(ExtractorOptions(model=model, batch_size=batch_size))
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    stdin = sys.stdin if (not paths or "-" in paths) else None
    raw = iter_raw_documents(list(paths) or ["-"], stdin=stdin)
    written = failed = 0
    for item in progress_over(extractor.extract_raw(raw), "extracting", quiet=quiet):
        if isinstance(item, InputError):
            failed += 1
            click.echo(f"error: {item}", err=True)
            continue
        output.write(_dump(item.to_dict(), pretty))
        written += 1
    if not quiet:
        click.echo(f"{written} document(s) extracted, {failed} failed", err=True)
    if failed:
        sys.exit(1)


def _dump(record: dict[str, Any], pretty: bool) -> str:
    if pretty:
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(record, ensure_ascii=False) + "\n"


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("system", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (score.py's keys).")
@click.option("--misses", is_flag=True, help="Also list missed and spurious event tuples.")
def evaluate(gold: str, system: str, as_json: bool, misses: bool) -> None:
    """Score SYSTEM output against GOLD: event P/R/F1 per type, entity F1, date and amount accuracy.

    The definitions are those of ../shared/eval/SCHEMA.md (the same numbers as score.py).
    """
    from newsintel.evaluate.report import format_report
    from newsintel.evaluate.scorer import evaluate as run_evaluation
    from newsintel.evaluate.scorer import load_jsonl, parse_jsonl_lines
    from newsintel.evaluate.scorer import misses as list_misses

    try:
        gold_docs = load_jsonl(gold)
        system_docs = parse_jsonl_lines(sys.stdin, "<stdin>") if system == "-" else load_jsonl(system)
        result = run_evaluation(gold_docs, system_docs)
        missed = list_misses(gold_docs, system_docs) if misses else []
    except NewsIntelError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    for line in missed:
        click.echo(line)
    click.echo(format_report(result))


@main.command()
@click.argument("extractions", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--events", "max_events", default=8, show_default=True, help="How many example events to show.")
def summarize(extractions: str, max_events: int) -> None:
    """Summarise an extract output file: counts by type, most-mentioned actors, example events."""
    if extractions == "-":
        records = _read_extractions(sys.stdin, "<stdin>")
        click.echo(render_summary(records, max_events=max_events))
        return
    try:
        with Path(extractions).open(encoding="utf-8") as handle:
            click.echo(render_summary(_read_extractions(handle, extractions), max_events=max_events))
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{extractions}: not valid UTF-8 ({error.reason})") from error


def _read_extractions(lines: Iterable[str], source: str) -> Iterator[dict[str, Any]]:
    """Extraction records from JSON Lines; anything else is a one-line error naming the line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise click.ClickException(f"{source}:{number}: not JSON: {error.msg}") from error
        if not isinstance(record, dict) or not isinstance(record.get("document"), dict):
            raise click.ClickException(f"{source}:{number}: not a newsintel extraction (no 'document' object)")
        yield record


def _register() -> None:
    """Commands of the store and query stages live in their own modules."""
    from newsintel.cli import export_commands, query_commands, source_commands, store_commands, web_commands

    for command in (*store_commands.COMMANDS, *query_commands.COMMANDS, *export_commands.COMMANDS,
                    *source_commands.COMMANDS, *web_commands.COMMANDS):
        main.add_command(command)


_register()

if __name__ == "__main__":
    main()
