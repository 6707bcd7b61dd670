"""Read inputs (files, directories, stdin) into RawDocuments, reporting bad input instead of raising.

Every problem becomes an InputError naming the file (and line) so a batch goes on with the rest.
JSON Lines are streamed a line at a time with a size cap, so a huge file or line never sits in memory.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from newsintel.errors import InputError
from newsintel.model import RawDocument

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json-lines"})
JSON_SUFFIXES = frozenset({".json"})
STDIN_SOURCE = "<stdin>"
_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 20
_HTML_START = ("<!doctype html", "<html", "<head", "<body", "<article")

Item = RawDocument | InputError


class _Bad(Exception):
    """Internal: a reason why some input is unusable (turned into an InputError by the caller)."""


def _size(n: int) -> str:
    if n >= 100_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} bytes"


def _decode(data: bytes, what: str = "file") -> str:
    """UTF-8 text of `data` (a leading BOM is fine); _Bad for binary data or invalid UTF-8."""
    if b"\x00" in data:
        raise _Bad(f"binary {what} (NUL bytes)")
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        offset = skip + e.start
        raise _Bad(f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset})") from None


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value.strip() or None if isinstance(value, str) else None
    raise _Bad(f"'{key}' must be a string or null, got {_json_type(value)}")


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def record_to_raw(record: object, source: str, default_id: str) -> RawDocument:
    """A RawDocument from one SCHEMA input object; _Bad with the reason when the object is unusable."""
    if not isinstance(record, dict):
        raise _Bad(f"expected a JSON object, got {_json_type(record)}")
    for key in ("text", "html"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise _Bad(f"'{key}' must be a string, got {_json_type(record[key])}")
    text, html = record.get("text"), record.get("html")
    if text is None and html is None:
        raise _Bad("no 'text' or 'html' field")
    if not (text or "").strip() and not (html or "").strip():
        raise _Bad(f"empty '{'text' if text is not None else 'html'}' field")
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if doc_id is not None and not (isinstance(doc_id, str) and doc_id.strip()):
        raise _Bad(f"'id' must be a non-empty string, got {_json_type(doc_id)}")
    use_text = bool((text or "").strip())
    return RawDocument(
        id=doc_id.strip() if doc_id else default_id,
        source=source,
        text=text if use_text else None,
        html=None if use_text else html,
        url=_optional_str(record, "url"),
        title=_optional_str(record, "title"),
        published=_optional_str(record, "published"),
    )


def _iter_capped_lines(
    readline: Callable[[int], bytes], limit: int
) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line or None when over `limit`, size) for each line, never holding a long one."""
    lineno = 0
    while True:
        line = readline(limit + 1)
        if not line:
            return
        lineno += 1
        size = len(line)
        if size > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the line a chunk at a time
                chunk = readline(_SKIP_CHUNK)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None, size
        else:
            yield lineno, line, size


def _iter_jsonl(readline: Callable[[int], bytes], source: str, stem: str, max_bytes: int) -> Iterator[Item]:
    """Documents from JSON Lines, one InputError per bad line."""
    seen_any = False
    for lineno, line, size in _iter_capped_lines(readline, max_bytes):
        where = f"{source}:{lineno}"
        if line is None:
            seen_any = True
            yield InputError(where, f"line is {_size(size)}, above the {_size(max_bytes)} limit")
            continue
        try:
            text = _decode(line, "line")
            if not text.strip():
                continue
            seen_any = True
            try:
                record = json.loads(text)
            except json.JSONDecodeError as e:
                raise _Bad(f"malformed JSON: {e.msg} at column {e.colno}") from None
            yield record_to_raw(record, where, f"{stem}:{lineno}")
        except _Bad as e:
            seen_any = True
            yield InputError(where, str(e))
    if not seen_any:
        yield InputError(source, "empty file")


def _text_document(text: str, source: str, doc_id: str, suffix: str) -> RawDocument:
    if suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and text.lstrip()[:20].casefold().startswith(_HTML_START)
    ):
        return RawDocument(id=doc_id, source=source, html=text)
    return RawDocument(id=doc_id, source=source, text=text)


def _read_json_file(path: Path, source: str) -> Iterator[Item]:
    """A .json file: one SCHEMA object, or an array of them."""
    try:
        data = json.loads(_decode(path.read_bytes()))
    except json.JSONDecodeError as e:
        yield InputError(source, f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records, 1):
        where = f"{source}[{i}]" if isinstance(data, list) else source
        try:
            yield record_to_raw(record, where, f"{path.stem}:{i}" if isinstance(data, list) else path.stem)
        except _Bad as e:
            yield InputError(where, str(e))


def _read_file(path: Path, source: str, max_bytes: int) -> Iterator[Item]:
    suffix = path.suffix.casefold()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as f:
                yield from _iter_jsonl(f.readline, source, path.stem, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            raise _Bad(f"file is {_size(size)}, above the {_size(max_bytes)} limit")
        if size == 0:
            raise _Bad("empty file")
        if suffix in JSON_SUFFIXES:
            yield from _read_json_file(path, source)
            return
        text = _decode(path.read_bytes())
        if not text.strip():
            raise _Bad("empty file")
        yield _text_document(text, source, path.stem, suffix)
    except _Bad as e:
        yield InputError(source, str(e))
    except OSError as e:
        yield InputError(source, f"cannot read: {e.strerror or e}")


def _walk(root: Path) -> list[Path]:
    """Every non-hidden file under `root`, sorted by path."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath, f) for f in filenames if not f.startswith("."))
    return sorted(found)


def _stdin_readline(stream: TextIO) -> Callable[[int], bytes]:
    """readline(limit) on stdin's bytes, so decoding problems are ours to report, not exceptions."""
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        return binary.readline
    return lambda limit: stream.readline(limit).encode("utf-8")  # a text stream (tests, embedding)


def _read_stdin(stream: TextIO, max_bytes: int) -> Iterator[Item]:
    """JSON Lines when the first non-blank character is "{", else one text document "stdin"."""
    readline = _stdin_readline(stream)
    head: list[bytes] = []
    first = b""
    while not first:
        line = readline(max_bytes + 1)
        if not line:
            break
        head.append(line)
        first = line.removeprefix(_BOM).strip()[:1]

    def replay(limit: int) -> bytes:
        return head.pop(0) if head else readline(limit)

    if first == b"{":
        yield from _iter_jsonl(replay, STDIN_SOURCE, "stdin", max_bytes)
        return
    parts: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = replay(max_bytes + 1 - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        yield InputError(STDIN_SOURCE, f"input is larger than the {_size(max_bytes)} limit")
        return
    try:
        text = _decode(b"".join(parts), "input")
    except _Bad as e:
        yield InputError(STDIN_SOURCE, str(e))
        return
    if not text.strip():
        yield InputError(STDIN_SOURCE, "empty input")
        return
    yield RawDocument(id="stdin", source=STDIN_SOURCE, text=text)


def iter_raw_documents(
    paths: Sequence[str], stdin: TextIO | None = None, max_bytes: int = 10_000_000
) -> Iterator[RawDocument | InputError]:
    """RawDocuments from files, directories (recursively, sorted, hidden files skipped) and "-" (stdin).

    Bad input never raises: it is yielded as an InputError naming the input, and reading goes on.
    """
    for name in paths:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, max_bytes)
            continue
        path = Path(name)
        try:
            if path.is_dir():
                for file in _walk(path):
                    yield from _read_file(file, str(file), max_bytes)
            elif not path.exists():
                yield InputError(name, "no such file")
            else:
                yield from _read_file(path, name, max_bytes)
        except OSError as e:
            yield InputError(name, f"cannot read: {e.strerror or e}")
