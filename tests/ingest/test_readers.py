"""iter_raw_documents: every kind of bad input becomes a one-line InputError, and reading goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsintel.errors import InputError
from newsintel.ingest.readers import iter_raw_documents
from newsintel.model import RawDocument


def _read(paths: list[str], **kwargs: object) -> list[RawDocument | InputError]:
    return list(iter_raw_documents(paths, **kwargs))  # type: ignore[arg-type]


def _docs(items: list[RawDocument | InputError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _errors(items: list[RawDocument | InputError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputError)]


def _jsonl(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_text_file_is_one_document_named_by_stem(tmp_path: Path) -> None:
    (tmp_path / "story-1.txt").write_text("Headline\n\nBody text.", encoding="utf-8")
    [doc] = _read([str(tmp_path / "story-1.txt")])
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.text, doc.html) == ("story-1", "Headline\n\nBody text.", None)


def test_html_file_fills_the_html_field(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    [doc] = _read([str(tmp_path / "page.htm")])
    assert isinstance(doc, RawDocument)
    assert doc.html is not None and doc.text is None


def test_jsonl_lines_become_documents_with_ids_and_metadata(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "a1", "text": "First.", "url": "https://x.example/a", "published": "2020-01-02"}),
        "",
        json.dumps({"text": "No id.", "published": None}),
        json.dumps({"id": 7, "html": "<p>Page</p>"}),
    ])
    docs = _read([path])
    assert [(d.id, d.source) for d in _docs(docs)] == [
        ("a1", f"{path}:1"), ("in:3", f"{path}:3"), ("7", f"{path}:4"),
    ]
    first = _docs(docs)[0]
    assert (first.url, first.published) == ("https://x.example/a", "2020-01-02")
    assert _docs(docs)[2].html == "<p>Page</p>"


def test_bad_jsonl_lines_are_reported_and_good_ones_kept(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "mixed.jsonl", [
        json.dumps({"id": "good1", "text": "Fine."}),
        '{"id": "x" "text": "missing comma"}',
        json.dumps({"id": "notext", "title": "t"}),
        json.dumps({"id": "num", "text": 5}),
        json.dumps({"id": "pub", "text": "x", "published": 2020}),
        "[1, 2]",
        json.dumps({"id": "good2", "text": "Also fine."}),
    ])
    items = _read([path])
    assert [d.id for d in _docs(items)] == ["good1", "good2"]
    assert _errors(items) == [
        f"{path}:2: malformed JSON: Expecting ',' delimiter at column 12",
        f"{path}:3: no 'text' or 'html' field",
        f"{path}:4: 'text' must be a string, got number",
        f"{path}:5: 'published' must be a string or null, got number",
        f"{path}:6: expected a JSON object, got array",
    ]


def test_oversized_jsonl_line_is_skipped_without_losing_the_next(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "huge", "text": "a" * 12_000_000}) + "\n")
        f.write(json.dumps({"id": "after", "text": "Still read."}) + "\n")
    items = _read([str(path)], max_bytes=1_000_000)
    assert _errors(items) == [f"{path}:1: line is 12.0 MB, above the 1.0 MB limit"]
    assert [d.id for d in _docs(items)] == ["after"]


def test_invalid_utf8_line_in_jsonl_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "enc.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    items = _read([str(path)])
    assert _errors(items) == [f"{path}:2: not valid UTF-8 (byte 0xe9 at offset 13)"]
    assert len(_docs(items)) == 1


def test_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "bom.jsonl").write_bytes(b'\xef\xbb\xbf{"text": "x"}\n')
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfHello there.")
    items = _read([str(tmp_path)])
    assert _errors(items) == []
    assert [d.text for d in _docs(items)] == ["x", "Hello there."]


def test_directory_is_walked_sorted_skipping_hidden_and_reporting_bad_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text("hidden", encoding="utf-8")
    (root / ".secret.txt").write_text("hidden", encoding="utf-8")
    (root / "a.txt").write_text("Alpha.", encoding="utf-8")
    (root / "a.bin").write_bytes(b"\x00\x01\x02binary")
    (root / "b.txt").write_bytes(b"0123456789\xff rest")
    (root / "c.txt").write_bytes(b"")
    (root / "d.txt").write_text(" \n\n ", encoding="utf-8")
    (root / "notes.log").write_text("Plain text under an unknown suffix.", encoding="utf-8")
    (root / "sub" / "z.md").write_text("Zed.", encoding="utf-8")
    items = _read([str(root), str(tmp_path / "missing.txt")])
    assert [d.id for d in _docs(items)] == ["a", "notes", "z"]
    assert _errors(items) == [
        f"{root / 'a.bin'}: binary file (NUL bytes)",
        f"{root / 'b.txt'}: not valid UTF-8 (byte 0xff at offset 10)",
        f"{root / 'c.txt'}: empty file",
        f"{root / 'd.txt'}: empty file",
        f"{tmp_path / 'missing.txt'}: no such file",
    ]


def test_empty_jsonl_and_oversized_text_file_are_errors(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "f.txt").write_text("x" * 5000, encoding="utf-8")
    items = _read([str(tmp_path / "e.jsonl"), str(tmp_path / "f.txt")], max_bytes=1000)
    assert _errors(items) == [
        f"{tmp_path / 'e.jsonl'}: empty file",
        f"{tmp_path / 'f.txt'}: file is 5.0 KB, above the 1.0 KB limit",
    ]


def test_unknown_suffix_with_html_content_is_read_as_html(tmp_path: Path) -> None:
    (tmp_path / "page.php").write_text("<!DOCTYPE html><html><body><p>x</p></body></html>", encoding="utf-8")
    [doc] = _read([str(tmp_path / "page.php")])
    assert isinstance(doc, RawDocument) and doc.html is not None


def test_json_file_with_an_array_of_records(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "one", "text": "A."}, {"text": 3}]), encoding="utf-8")
    items = _read([str(path)])
    assert [d.id for d in _docs(items)] == ["one"]
    assert _errors(items) == [f"{path}[2]: 'text' must be a string, got number"]


def test_stdin_json_lines() -> None:
    stdin = io.StringIO('\n  {"id": "s1", "text": "One."}\n{broken\n{"text": "Two."}\n')
    items = _read(["-"], stdin=stdin)
    assert [(d.id, d.source) for d in _docs(items)] == [("s1", "<stdin>:2"), ("stdin:4", "<stdin>:4")]
    assert _errors(items) == [
        "<stdin>:3: malformed JSON: Expecting property name enclosed in double quotes at column 2"
    ]


def test_stdin_plain_text_is_one_document() -> None:
    [doc] = _read(["-"], stdin=io.StringIO("Headline\n\nThe body of the story."))
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.source, doc.text) == ("stdin", "<stdin>", "Headline\n\nThe body of the story.")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "<stdin>: empty input"),
        (b"caf\xe9 au lait", "<stdin>: not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"x" * 2000, "<stdin>: input is larger than the 1.0 KB limit"),
    ],
)
def test_bad_binary_stdin_is_reported(data: bytes, error: str) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    assert _errors(_read(["-"], stdin=stdin, max_bytes=1000)) == [error]
