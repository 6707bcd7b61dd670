"""End-to-end tests of the `newsintel` command line through click's CliRunner.

The extractor loads its spaCy model once per process (load_pipeline is cached), so only the first
`extract` pays for it. Bad inputs are made in tmp_path; the two hand-written articles live in
tests/fixtures/cli/.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newsintel.cli import main
from newsintel.ingest.clean import clean_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
CORPUS = ROOT / "corpus"
COMMANDS = ("extract", "evaluate", "summarize")
READER_LIMIT = 10_000_000  # readers.iter_raw_documents' default max_bytes; the CLI has no option for it

ENTITY_TYPES = {"country", "government_body", "company", "organization", "person", "program"}
EVENT_TYPES = {"partnership", "acquisition", "investment", "sanction", "designation", "policy", "contract",
               "listing", "expulsion", "position"}
DOCUMENT_KEYS = {"id", "url", "title", "published", "language", "text"}


# --- helpers -------------------------------------------------------------------------------------


def run(*args: str | Path, stdin: str | bytes | None = None) -> Result:
    """Invoke the CLI in-process; an unexpected exception (a traceback) fails the test outright."""
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def run_catching(*args: str | Path, stdin: str | bytes | None = None) -> Result:
    """Invoke the CLI, keeping an unexpected exception in result.exception instead of raising it."""
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin)


def output_records(text: str) -> list[dict[str, Any]]:
    """The SCHEMA objects of JSON Lines output, one per non-blank line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def check_record(record: dict[str, Any]) -> None:
    """The SCHEMA output contract for one document: keys, offsets into the clean text, role ids."""
    assert set(record) == {"schema", "document", "entities", "events"}
    assert record["schema"] == "newsintel/1"
    document = record["document"]
    assert set(document) >= DOCUMENT_KEYS
    text = document["text"]
    assert isinstance(text, str) and text.strip()

    entity_ids = [entity["id"] for entity in record["entities"]]
    assert len(entity_ids) == len(set(entity_ids)), "entity ids must be unique"
    for entity in record["entities"]:
        assert entity["type"] in ENTITY_TYPES
        assert entity["name"]
        assert entity["mentions"], f"entity {entity['name']} has no mention"
        for mention in entity["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(text)
            assert text[mention["start"]:mention["end"]] == mention["text"]

    for event in record["events"]:
        assert event["type"] in EVENT_TYPES
        assert event["roles"], f"event {event['id']} names no entity"
        for role, ids in event["roles"].items():
            assert isinstance(ids, list) and ids, f"role {role} is empty"
            for entity_id in ids:
                assert entity_id in entity_ids, f"event {event['id']} role {role}: unknown id {entity_id}"
        assert event["evidence"]
        for evidence in event["evidence"]:
            assert 0 <= evidence["start"] < evidence["end"] <= len(text)
            assert text[evidence["start"]:evidence["end"]] == evidence["text"]


def entity_name(record: dict[str, Any], entity_id: str) -> str:
    return next(e["name"] for e in record["entities"] if e["id"] == entity_id)


def acquisitions(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [event for event in record["events"] if event["type"] == "acquisition"]


@pytest.fixture(scope="module")
def nordlicht(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The one SCHEMA record that `extract nordlicht.txt -o FILE` writes, plus the run's stderr."""
    out = tmp_path_factory.mktemp("nordlicht") / "out.jsonl"
    result = run("extract", FIXTURES / "nordlicht.txt", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # everything went to -o
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    return {"record": json.loads(lines[0]), "stderr": result.stderr}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`extract` on the first two corpus articles, and a gold file holding the same two ids."""
    folder = tmp_path_factory.mktemp("corpus")
    articles = CORPUS.joinpath("articles.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    ids = [json.loads(line)["id"] for line in articles]
    gold_lines = [line for line in CORPUS.joinpath("gold.jsonl").read_text(encoding="utf-8").splitlines()
                  if line.strip() and json.loads(line)["id"] in ids]
    assert len(gold_lines) == 2
    (folder / "articles.jsonl").write_text("\n".join(articles) + "\n", encoding="utf-8")
    (folder / "gold.jsonl").write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    result = run("extract", folder / "articles.jsonl", "-o", folder / "system.jsonl", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # --quiet: no summary line
    records = output_records((folder / "system.jsonl").read_text(encoding="utf-8"))
    assert [r["document"]["id"] for r in records] == ids
    return {"gold": folder / "gold.jsonl", "system": folder / "system.jsonl"}


# --- 1. extract: one .txt article ----------------------------------------------------------------


def test_extract_txt_writes_one_valid_schema_line(nordlicht: dict[str, Any]) -> None:
    record = nordlicht["record"]
    check_record(record)
    raw = (FIXTURES / "nordlicht.txt").read_text(encoding="utf-8")
    document = record["document"]
    assert document["id"] == "nordlicht"  # the file's stem
    assert document["text"] == clean_text(raw)
    assert document["text"] == document["text"].strip()
    for sentence in raw.strip().splitlines():
        assert sentence in document["text"]
    assert document["published"] == "2024-03-12"  # from the dateline
    assert document["language"] == "en"
    assert "1 document(s) extracted, 0 failed" in nordlicht["stderr"]


def test_extract_txt_finds_the_acquisition(nordlicht: dict[str, Any]) -> None:
    record = nordlicht["record"]
    names = {e["name"] for e in record["entities"]}
    assert {"Halvorsen Industrial Group", "Nordlicht Systems", "Anja Brandt"} <= names
    (event,) = acquisitions(record)
    assert [entity_name(record, i) for i in event["roles"]["target"]] == ["Nordlicht Systems"]
    assert event["amount"] == {"value": 120_000_000, "currency": "EUR", "text": "€120 million"}
    assert event["date"]["value"] == "2024-03-12"
    assert "agreed to buy Nordlicht Systems" in event["evidence"][0]["text"]


def test_extract_txt_acquirer_is_the_buyer_not_the_dateline(nordlicht: dict[str, Any]) -> None:
    record = nordlicht["record"]
    (event,) = acquisitions(record)
    assert [entity_name(record, i) for i in event["roles"]["acquirer"]] == ["Halvorsen Industrial Group"]


# --- 2. extract: JSON Lines with bad lines -------------------------------------------------------


def test_extract_jsonl_skips_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "file.jsonl"
    path.write_text(
        json.dumps({"id": "good-1", "published": "2023-06-01",
                    "text": "Vantor Robotics signed a supply contract with the port of Rotterdam."}) + "\n"
        + '{"id": "broken", "text": "unterminated\n'
        + json.dumps({"id": "good-2", "text": "Kestrel Analytics raised $40 million from Northgate Capital."})
        + "\n"
        + json.dumps({"id": "no-text", "title": "A headline without a body"}) + "\n",
        encoding="utf-8",
    )
    result = run("extract", path)
    assert result.exit_code == 1
    records = output_records(result.stdout)
    assert [r["document"]["id"] for r in records] == ["good-1", "good-2"]
    for record in records:
        check_record(record)
    assert records[0]["document"]["published"] == "2023-06-01"

    errors = error_lines(result)
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {path}:2: malformed JSON")
    assert errors[1] == f"error: {path}:4: no 'text' or 'html' field"
    assert "2 document(s) extracted, 2 failed" in result.stderr
    assert "Traceback" not in result.output


# --- 3. extract: a folder of bad files and one good one ------------------------------------------


def test_extract_directory_reports_each_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary\x00stream\n")
    (folder / "latin1.txt").write_bytes("Le café de Müller a été racheté.".encode("latin-1"))
    huge_line = b'{"id": "huge", "text": "' + b"a" * (READER_LIMIT + 1_000_000) + b'"}\n'
    (folder / "huge.jsonl").write_bytes(huge_line)
    (folder / "good.txt").write_text(
        "Orbis Mapping opened a research office in Lisbon to work on satellite imagery.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("A hidden file is skipped.\n", encoding="utf-8")

    started = time.perf_counter()
    result = run("extract", folder)
    assert time.perf_counter() - started < 10  # the oversized line is skipped in chunks, not parsed

    assert result.exit_code == 1
    records = output_records(result.stdout)
    assert len(records) == 1
    check_record(records[0])
    assert records[0]["document"]["id"] == "good"

    errors = error_lines(result)
    assert len(errors) == 4
    assert all("\n" not in e for e in errors)
    stderr = result.stderr
    assert f"error: {folder / 'empty.txt'}: empty file" in stderr
    assert f"error: {folder / 'scan.pdf'}: binary file (NUL bytes)" in stderr
    assert f"error: {folder / 'latin1.txt'}: not valid UTF-8" in stderr
    assert f"error: {folder / 'huge.jsonl'}:1: line is 11.0 MB, above the 10.0 MB limit" in stderr
    assert ".hidden" not in stderr
    assert "1 document(s) extracted, 4 failed" in stderr


def test_extract_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = run("extract", missing, FIXTURES / "nordlicht.txt", "-q")
    assert result.exit_code == 1
    assert [r["document"]["id"] for r in output_records(result.stdout)] == ["nordlicht"]
    assert result.stderr.strip() == f"error: {missing}: no such file"  # -q: no summary line


# --- 4. extract: standard input ------------------------------------------------------------------


@pytest.mark.parametrize("args", [(), ("-",)], ids=["no-path", "dash"])
def test_extract_stdin_text_is_one_document(args: tuple[str, ...]) -> None:
    text = "Corvid Semiconductors agreed to buy Lumen Photonics for $75 million.\n"
    result = run("extract", *args, stdin=text)
    assert result.exit_code == 0, result.output
    (record,) = output_records(result.stdout)
    check_record(record)
    assert record["document"]["id"] == "stdin"
    assert record["document"]["text"] == text.strip()


def test_extract_stdin_json_lines_are_read_as_jsonl() -> None:
    lines = [
        "",  # a leading blank line does not hide the JSON
        json.dumps({"id": "s1", "text": "Halden Energy signed a partnership with the city of Bergen."}),
        json.dumps({"text": "Tallis Biotech raised €15 million in a Series A round."}),
        "{not json",
    ]
    result = run("extract", "-", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    records = output_records(result.stdout)
    assert [r["document"]["id"] for r in records] == ["s1", "stdin:3"]
    for record in records:
        check_record(record)
    (error,) = error_lines(result)
    assert error.startswith("error: <stdin>:4: malformed JSON")


def test_extract_empty_stdin_is_an_error() -> None:
    result = run("extract", "-", stdin="   \n\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert error_lines(result) == ["error: <stdin>: empty input"]


# --- 5. --pretty ---------------------------------------------------------------------------------


def test_extract_pretty_is_indented_json(tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl"
    path.write_text(
        json.dumps({"id": "p1", "text": "Brightwater Labs won a contract to supply sensors to Oslo."}) + "\n"
        + json.dumps({"id": "p2", "text": "Ferrum Steel agreed to buy Kovac Metals for $30 million."}) + "\n",
        encoding="utf-8",
    )
    pretty = run("extract", path, "--pretty", "-q")
    plain = run("extract", path, "-q")
    assert pretty.exit_code == plain.exit_code == 0

    text = pretty.stdout
    assert text.startswith('{\n  "schema": "newsintel/1",\n  "document": {\n    "id": "p1"')
    decoder = json.JSONDecoder()
    parsed, position = [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        obj, position = decoder.raw_decode(text, position)
        parsed.append(obj)
    assert parsed == output_records(plain.stdout)  # same documents, only the layout differs
    assert len(parsed) == 2
    assert len(plain.stdout.splitlines()) == 2  # without --pretty: one line per document


# --- 6. HTML ---------------------------------------------------------------------------------------


SCRIPT_AND_CHROME = ("SECRET_TRACKER_TOKEN", "injected", "AD_SLOT_PAYLOAD", "ANALYTICS_CALL", "trackPageView",
                     "font-family", "hidden-style-marker", "Sign in", "cookies", "All rights reserved",
                     "Ten gadgets")


def test_extract_html_page_gives_article_text_without_scripts() -> None:
    result = run("extract", FIXTURES / "newsroom_page.html")
    assert result.exit_code == 0, result.output
    (record,) = output_records(result.stdout)
    check_record(record)
    document = record["document"]
    text = document["text"]
    assert document["id"] == "newsroom_page"
    assert "Halvorsen Industrial Group has agreed to buy Nordlicht Systems" in text
    assert "team of about 300 engineers in Saxony" in text
    assert "Nordlicht chief executive Anja Brandt said" in text
    for junk in SCRIPT_AND_CHROME:
        assert junk not in text
    assert "<" not in text and "&" not in text
    assert document["title"] == "Nordlicht Systems sold to Halvorsen"
    assert document["published"] == "2024-03-12"  # from article:published_time


def test_extract_html_field_in_jsonl(tmp_path: Path) -> None:
    page = (FIXTURES / "newsroom_page.html").read_text(encoding="utf-8")
    path = tmp_path / "pages.jsonl"
    record = {"id": "h1", "url": "https://wire.example.test/nordlicht", "html": page}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("extract", path, "-q")
    assert result.exit_code == 0, result.output
    (record,) = output_records(result.stdout)
    check_record(record)
    assert record["document"]["id"] == "h1"
    assert record["document"]["url"] == "https://wire.example.test/nordlicht"
    assert "agreed to buy Nordlicht Systems" in record["document"]["text"]
    for junk in SCRIPT_AND_CHROME:
        assert junk not in record["document"]["text"]


# --- 7. evaluate ---------------------------------------------------------------------------------


def test_evaluate_text_report(corpus_run: dict[str, Path]) -> None:
    result = run("evaluate", corpus_run["gold"], corpus_run["system"])
    assert result.exit_code == 0, result.output
    assert "F1" in result.stdout
    assert "documents answered: 2/2" in result.stdout
    assert "all events" in result.stdout
    assert "document dates" in result.stdout


def test_evaluate_json_report(corpus_run: dict[str, Path]) -> None:
    result = run("evaluate", corpus_run["gold"], corpus_run["system"], "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"events", "entities_typed", "date_accuracy"} <= set(report)
    assert report["documents"] == 2
    assert report["documents_answered"] == 2
    events = report["events"]
    assert 0 <= events["matched"] <= min(events["gold"], events["system"])
    assert events["gold"] > 0 and events["system"] > 0
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= events[key] <= 1.0
        assert 0.0 <= report["entities_typed"][key] <= 1.0

    text = run("evaluate", corpus_run["gold"], corpus_run["system"]).stdout
    # the text report shows the same numbers (JSON rounds to 4 places, the table to 3)
    assert any(f"{events['f1'] + d:.3f}" in text for d in (-0.0005, 0.0, 0.0005))


def test_evaluate_misses_lists_unmatched_tuples(corpus_run: dict[str, Path]) -> None:
    events = json.loads(run("evaluate", corpus_run["gold"], corpus_run["system"], "--json").stdout)["events"]
    result = run("evaluate", corpus_run["gold"], corpus_run["system"], "--misses")
    assert result.exit_code == 0, result.output
    head, found, tail = result.stdout.partition("documents answered")
    assert found and "F1" in tail
    rows = [line.split("\t") for line in head.splitlines() if line.strip()]
    assert all(len(row) == 4 and row[0] in {"a01", "a02"} for row in rows)
    assert sum(row[1] == "missed" for row in rows) == events["gold"] - events["matched"]
    assert sum(row[1] == "spurious" for row in rows) == events["system"] - events["matched"]


# --- 8. evaluate: malformed input ------------------------------------------------------------------


@pytest.mark.parametrize("side", ["gold", "system"])
def test_evaluate_malformed_file_is_a_one_line_error(corpus_run: dict[str, Path], tmp_path: Path,
                                                      side: str) -> None:
    bad = tmp_path / f"bad-{side}.jsonl"
    first = corpus_run[side].read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(first + "\n" + '{"id": "a02", "entities": [\n', encoding="utf-8")
    paths = [bad, corpus_run["system"]] if side == "gold" else [corpus_run["gold"], bad]
    result = run("evaluate", *paths)
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {bad}:2: not JSON")


def test_evaluate_missing_file_is_a_usage_error(tmp_path: Path, corpus_run: dict[str, Path]) -> None:
    result = run("evaluate", tmp_path / "absent.jsonl", corpus_run["system"])
    assert result.exit_code == 2
    assert "absent.jsonl" in result.stderr


def test_evaluate_invalid_utf8_is_a_one_line_error(tmp_path: Path, corpus_run: dict[str, Path]) -> None:
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"id": "a01", "published": "café"}\n'.encode("latin-1"))
    result = run_catching("evaluate", bad, corpus_run["system"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: {bad}")


def test_evaluate_invalid_gold_structure_is_a_one_line_error(tmp_path: Path,
                                                            corpus_run: dict[str, Path]) -> None:
    bad = tmp_path / "nokey.jsonl"
    bad.write_text(json.dumps({"id": "a01", "entities": [{"type": "company", "names": ["Huawei"]}],
                               "events": []}) + "\n", encoding="utf-8")
    result = run_catching("evaluate", bad, corpus_run["system"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert 'an entity has no "key"' in result.stderr


# --- 9. summarize --------------------------------------------------------------------------------


def test_summarize_prints_counts_and_actors(corpus_run: dict[str, Path]) -> None:
    records = output_records(corpus_run["system"].read_text(encoding="utf-8"))
    n_entities = sum(len(r["entities"]) for r in records)
    n_events = sum(len(r["events"]) for r in records)
    result = run("summarize", corpus_run["system"], "--events", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"{len(records)} documents, {n_entities} entities, {n_events} events")
    assert "What was found" in out
    assert "Most mentioned actors" in out
    assert f"{min(3, n_events)} most confident events" in out
    mentions: dict[str, int] = {}
    for record in records:
        for entity in record["entities"]:
            mentions[entity["name"]] = mentions.get(entity["name"], 0) + len(entity["mentions"])
    top = max(mentions, key=lambda name: mentions[name])
    assert top in out


def test_summarize_malformed_line_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "out.jsonl"
    bad.write_text('{"schema": "newsintel/1", "document": {"id": "x"}, "entities": [], "events": []}\n'
                   "not json at all\n", encoding="utf-8")
    result = run("summarize", bad)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {bad}:2: not JSON")


def test_summarize_non_object_line_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "out.jsonl"
    bad.write_text("[1, 2]\n", encoding="utf-8")
    result = run_catching("summarize", bad)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: {bad}")


# --- --batch-size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["0", "-3"])
def test_extract_rejects_a_batch_size_below_one(size: str) -> None:
    result = run_catching("extract", FIXTURES / "nordlicht.txt", "--batch-size", size)
    assert result.exit_code == 2  # a usage error
    assert "batch-size" in result.stderr


# --- 10. help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_group_help_lists_every_command(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    assert f" {command} " in result.stdout.splitlines()[0]
    assert "--help" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("newsintel, version ")


def test_unknown_command_is_a_usage_error() -> None:
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.stderr
