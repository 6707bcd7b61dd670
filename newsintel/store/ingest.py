"""Ingest: read, clean, extract and store many inputs, resumably.

Cleaning happens here, before extraction, so a document whose clean text is already stored is
skipped without paying for the parser. Extraction runs in this process (workers=1) or in a pool of
N processes, each loading one Extractor; either way results are written by this process in input
order, one transaction per document, so `sequence` follows the input and an interrupted run,
re-run, gives exactly the store of an uninterrupted one. The Ray engine (newsintel.scale) replaces
only the extraction step.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newsintel.errors import InputError, NewsIntelError
from newsintel.extract.extractor import MAX_CHARS, Extractor, ExtractorOptions
from newsintel.ingest.prepare import prepare_document
from newsintel.ingest.readers import iter_raw_documents
from newsintel.interfaces.progress import progress_over
from newsintel.model import Document, Extraction
from newsintel.refdata import Gazetteer, load_gazetteer
from newsintel.store.db import Store
from newsintel.store.fingerprint import NearDuplicateIndex
from newsintel.store.writer import content_hash, is_stored, load_duplicate_index, record_failure, store_extraction

CHUNK = 16  # documents per task sent to a worker: one nlp.pipe batch
WINDOW_PER_WORKER = 32  # documents in flight per worker


@dataclass
class IngestSummary:
    """What one ingest run did."""

    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0  # facts created or supported by the documents stored
    seconds: float = 0.0
    interrupted: bool = False

    def line(self) -> str:
        rate = (self.stored + self.duplicates + self.skipped) / self.seconds if self.seconds else 0.0
        text = (f"{self.stored} stored, {self.skipped} skipped (already stored), {self.duplicates} near "
                f"duplicate(s), {len(self.failed)} failed in {self.seconds:.1f}s ({rate:.1f} docs/s)")
        return text + (" - interrupted" if self.interrupted else "")


@dataclass(frozen=True)
class Pending:
    """A clean document waiting for extraction, and where it came from."""

    source: str
    document: Document


@dataclass(frozen=True)
class Skip:
    """An input whose clean text is already stored (or appeared earlier in this run)."""

    source: str


Prepared = Pending | Skip | InputError
Result = tuple[str, Extraction] | Skip | InputError


def prepare_all(paths: Sequence[str], store: Store) -> Iterator[Prepared]:
    """Clean each input and mark those already stored; errors come out as InputError."""
    seen: set[str] = set()
    for raw in iter_raw_documents(list(paths)):
        if isinstance(raw, InputError):
            yield raw
            continue
        try:
            document = prepare_document(raw)
        except InputError as error:
            yield error
            continue
        if len(document.text) > MAX_CHARS:
            yield InputError(raw.source, f"clean text is {len(document.text):,} characters, above the "
                                         f"{MAX_CHARS:,} limit")
            continue
        key = content_hash(document.text)
        if key in seen:
            yield Skip(raw.source)
            continue
        seen.add(key)
        with store.engine.connect() as connection:
            stored = is_stored(connection, key)
        yield Skip(raw.source) if stored else Pending(raw.source, document)


def extract_serial(items: Iterable[Prepared], options: ExtractorOptions) -> Iterator[Result]:
    """Extraction in this process, batched through spaCy's pipe; the model loads only if needed."""
    iterator = iter(items)
    for first in iterator:
        if isinstance(first, Pending):
            break
        yield first
    else:
        return
    extractor = Extractor(options)
    remaining = itertools.chain([first], iterator)
    stream = ((item.document.text if isinstance(item, Pending) else "", item) for item in remaining)
    for doc, item in extractor.nlp.pipe(stream, as_tuples=True, batch_size=options.batch_size):
        if isinstance(item, Pending):
            yield _annotate(extractor, doc, item)
        else:
            yield item


def _annotate(extractor: Extractor, doc: object, item: Pending) -> Result:
    try:
        return item.source, extractor.annotate(doc, item.document)  # type: ignore[arg-type]
    except Exception as error:  # one bad document must not stop the batch
        return InputError(item.source, f"extraction failed: {error.__class__.__name__}: {error}")


_WORKER: Extractor | None = None


def _init_worker(options: ExtractorOptions) -> None:
    """Each pool process loads one Extractor; Ctrl-C is the parent's to handle."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = Extractor(options)


def _extract_chunk(chunk: list[Pending]) -> list[Result]:
    assert _WORKER is not None
    results: list[Result] = []
    for doc, item in zip(_WORKER.nlp.pipe([p.document.text for p in chunk]), chunk, strict=True):
        results.append(_annotate(_WORKER, doc, item))
    return results


def extract_parallel(items: Iterable[Prepared], options: ExtractorOptions, workers: int) -> Iterator[Result]:
    """Extraction in `workers` processes, results in input order, a bounded window in flight."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
        iterator = iter(items)
        while window := list(itertools.islice(iterator, workers * WINDOW_PER_WORKER)):
            pending = [item for item in window if isinstance(item, Pending)]
            chunks = [pending[i:i + CHUNK] for i in range(0, len(pending), CHUNK)]
            done = iter(result for results in pool.imap(_extract_chunk, chunks) for result in results)
            for item in window:
                yield next(done) if isinstance(item, Pending) else item


def ingest(paths: Sequence[str], store: Store, workers: int = 1, progress: bool = True,
           options: ExtractorOptions | None = None, engine: str = "local") -> IngestSummary:
    """Extract and store every input; failures are recorded, never fatal. Ctrl-C stops cleanly.

    `engine` "ray" extracts on Ray actors (newsintel.scale.ray_engine), `workers` of them; storing stays here.
    """
    options = options or ExtractorOptions()
    summary = IngestSummary()
    started = time.monotonic()
    with store.engine.connect() as connection:
        index = load_duplicate_index(connection)
    gazetteer = load_gazetteer()
    prepared = prepare_all(paths, store)
    results = _extract(prepared, options, workers, engine)
    try:
        for item in progress_over(results, "ingesting", quiet=not progress):
            _store_one(store, item, index, gazetteer, summary)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.monotonic() - started
    return summary


def _extract(prepared: Iterable[Prepared], options: ExtractorOptions, workers: int, engine: str) -> Iterator[Result]:
    if engine == "ray":  # imported here: Ray takes seconds to import and only this engine needs it
        from newsintel.scale.ray_engine import extract_ray

        return extract_ray(prepared, options, workers)
    if engine != "local":
        raise NewsIntelError(f"unknown engine {engine!r}: local or ray")
    return extract_serial(prepared, options) if workers <= 1 else extract_parallel(prepared, options, workers)


def _store_one(store: Store, item: Result, index: NearDuplicateIndex, gazetteer: Gazetteer,
               summary: IngestSummary) -> None:
    if isinstance(item, Skip):
        summary.skipped += 1
        return
    if isinstance(item, InputError):
        _fail(store, summary, item.source, item.reason)
        return
    source, extraction = item
    try:
        outcome = store_extraction(store, extraction, source, index, gazetteer)
    except Exception as error:  # rolled back: record why, go on
        _fail(store, summary, source, f"storing failed: {error.__class__.__name__}: {error}")
        return
    if outcome.status == "skipped":
        summary.skipped += 1
        return
    summary.facts += outcome.facts
    if outcome.status == "duplicate":
        summary.duplicates += 1
    else:
        summary.stored += 1
        index.add(outcome.document_id, outcome.fingerprint)


def _fail(store: Store, summary: IngestSummary, source: str, reason: str) -> None:
    summary.failed.append((source, reason))
    record_failure(store, source, reason)
