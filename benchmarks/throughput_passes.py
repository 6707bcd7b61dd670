"""The passes and instruments of throughput.py: corpus files, timed passes, stage timers, RSS, PostgreSQL.

Every pass streams its documents from a file written once at the start (nothing holds the corpus in a
list), so the memory a pass needs is what the code under test needs.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import newsintel.extract.extractor as extractor_module
import newsintel.store.ingest as ingest_module
import newsintel.store.writer as writer_module
from newsintel.errors import InputError
from newsintel.extract.extractor import MAX_CHARS, Extractor, ExtractorOptions
from newsintel.ingest.prepare import prepare_document
from newsintel.ingest.readers import iter_raw_documents, record_to_raw
from newsintel.resolve.resolver import Resolver
from newsintel.store.db import open_store
from newsintel.store.ingest import Pending, extract_parallel, ingest
from newsintel.store.writer import content_hash

REPO = Path(__file__).resolve().parents[1]
RSS_POINTS = (0.25, 0.5, 0.75, 1.0)


# -- the corpus ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Corpus:
    """The selected articles, as raw JSON Lines (for extract and ingest) and as clean texts (for bare spaCy)."""

    raw_path: Path
    clean_path: Path
    read: int  # lines taken from the corpus
    docs: int  # documents every pass processes
    words: int  # whitespace tokens of their clean texts
    chars: int
    duplicates: int  # exact duplicates (same clean text) left out: ingest would skip them unparsed
    rejected: int  # unreadable, or refused by cleaning


def select_corpus(source: str, limit: int | None, workdir: Path) -> Corpus:
    """The first `limit` lines of `source`, less unusable ones and exact duplicates, written to `workdir`."""
    raw_path, clean_path = workdir / "articles.jsonl", workdir / "clean.jsonl"
    read = docs = words = chars = duplicates = rejected = 0
    seen: set[str] = set()  # content hashes: 32 characters a document
    with open(source, encoding="utf-8") as lines, open(raw_path, "w", encoding="utf-8") as raw_out, \
            open(clean_path, "w", encoding="utf-8") as clean_out:
        for line in lines:
            if limit is not None and read >= limit:
                break
            if not line.strip():
                continue
            read += 1
            try:
                document = prepare_document(record_to_raw(json.loads(line), f"{source}:{read}", f"doc-{read}"))
            except (InputError, ValueError):  # _Bad is a ValueError; InputError from cleaning
                rejected += 1
                continue
            if len(document.text) > MAX_CHARS:
                rejected += 1
                continue
            key = content_hash(document.text)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            raw_out.write(line if line.endswith("\n") else line + "\n")
            clean_out.write(json.dumps({"text": document.text}) + "\n")
            docs += 1
            words += len(document.text.split())
            chars += len(document.text)
    return Corpus(raw_path, clean_path, read, docs, words, chars, duplicates, rejected)


def clean_texts(corpus: Corpus) -> Iterator[str]:
    with open(corpus.clean_path, encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)["text"]


# -- measuring ---------------------------------------------------------------------------------------
@dataclass
class Measure:
    """One timed pass: wall seconds, CPU seconds (this process and its finished children), documents."""

    wall: float
    cpu: float
    docs: int
    extra: dict[str, Any] = field(default_factory=dict)


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[..., tuple[int, dict[str, Any]]], *args: Any) -> Measure:
    """`run(*args)`, which returns (documents done, anything else worth reporting), timed."""
    gc.collect()
    wall, cpu = time.perf_counter(), cpu_seconds()
    docs, extra = run(*args)
    return Measure(time.perf_counter() - wall, cpu_seconds() - cpu, docs, extra)


def current_rss_mb() -> float:
    """Resident set size now (not the peak), from /proc."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def peak_rss_mb() -> tuple[float, float]:
    """Peak RSS in MB of this process and of its largest finished child (Linux reports KB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


class RssSampler:
    """RSS at 25/50/75/100% of a stream of known length: flat if nothing accumulates per document."""

    def __init__(self, total: int) -> None:
        self.marks = {max(1, round(total * p)): p for p in RSS_POINTS}
        self.count = 0
        self.samples: dict[str, float] = {}

    def tick(self) -> None:
        self.count += 1
        if self.count in self.marks:
            self.samples[f"{round(100 * self.marks[self.count])}%"] = round(current_rss_mb(), 1)


class StageTimers:
    """Time spent in named functions, by wrapping them where the code under test looks them up.

    Inclusive times: "storing" contains "resolution", "facts" and "fingerprint". Wrapping costs two
    clock reads a call. Attributes that do not exist (code moved) are left alone and reported as absent.
    """

    TARGETS: tuple[tuple[str, Any, str], ...] = (
        ("cleaning", extractor_module, "prepare_document"),
        ("cleaning", ingest_module, "prepare_document"),
        ("rules", Extractor, "annotate"),
        ("skip check", ingest_module, "is_stored"),
        ("storing", ingest_module, "_store_one"),
        ("resolution", Resolver, "canonical"),
        ("facts", writer_module, "record_document_facts"),
        ("fingerprint", writer_module, "simhash"),
    )

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.missing: list[str] = []

    @contextlib.contextmanager
    def active(self) -> Iterator[StageTimers]:
        saved = []
        for stage, owner, name in self.TARGETS:
            original = getattr(owner, name, None)
            if original is None:
                self.missing.append(f"{stage} ({name})")
                continue
            saved.append((owner, name, original))
            setattr(owner, name, self._wrap(stage, original))
        try:
            yield self
        finally:
            for owner, name, original in reversed(saved):
                setattr(owner, name, original)

    def _wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        seconds, clock = self.seconds, time.perf_counter

        @functools.wraps(function)
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[stage] += clock() - start
        return timed_call


# -- the passes ----------------------------------------------------------------------------------------
def run_bare(nlp: Any, corpus: Corpus, batch_size: int, workers: int) -> tuple[int, dict[str, Any]]:
    """(a) `nlp.pipe` of the bare model over the clean texts; n_process=workers."""
    n = 0
    for _doc in nlp.pipe(clean_texts(corpus), batch_size=batch_size, n_process=workers):
        n += 1
    return n, {}


def run_extract(extractor: Extractor, corpus: Corpus, workers: int,
                sampler: RssSampler | None = None) -> tuple[int, dict[str, Any]]:
    """(b) cleaning + pipeline + rules. One worker: `extract_raw` in this process; more: ingest's
    `extract_parallel` (a spawned pool, each process loading its Extractor), fed cleaned documents."""
    ok = failed = 0
    raws = iter_raw_documents([str(corpus.raw_path)])
    results: Iterable[object]
    if workers <= 1:
        results = extractor.extract_raw(raws)
    else:
        results = extract_parallel(_pending(raws), extractor.options, workers)
    for item in results:
        if isinstance(item, InputError):
            failed += 1
        else:
            ok += 1
        if sampler is not None:
            sampler.tick()
    return ok, {"failed": failed}


def _pending(raws: Iterable[object]) -> Iterator[Pending | InputError]:
    """Cleaned documents, as ingest's prepare_all hands them to the pool (minus the store lookup)."""
    for raw in raws:
        if isinstance(raw, InputError):
            yield raw
            continue
        try:
            yield Pending(raw.source, prepare_document(raw))  # type: ignore[attr-defined,arg-type]
        except InputError as error:
            yield error


def run_ingest(url: str, corpus: Corpus, workers: int, options: ExtractorOptions,
               sampler: RssSampler | None = None) -> tuple[int, dict[str, Any]]:
    """(c, d) `ingest` into an empty store at `url`."""
    store = open_store(url)
    try:
        if sampler is not None:  # RSS after each stored document, via the store call ingest makes
            original = ingest_module._store_one

            def sampled(*args: Any, **kwargs: Any) -> None:
                original(*args, **kwargs)
                sampler.tick()
            ingest_module._store_one = sampled
        try:
            summary = ingest([str(corpus.raw_path)], store, workers=workers, progress=False, options=options)
        finally:
            if sampler is not None:
                ingest_module._store_one = original
    finally:
        store.close()
    done = summary.stored + summary.duplicates + summary.skipped
    return done, {"stored": summary.stored, "near_duplicates": summary.duplicates, "skipped": summary.skipped,
                  "failed": len(summary.failed), "facts": summary.facts}


def run_components(nlp: Any, corpus: Corpus, batch_size: int) -> dict[str, float]:
    """Seconds per pipeline component (plus "tokenizer"), one batch of Docs at a time."""
    seconds: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    clock = time.perf_counter
    batch: list[str] = []

    def run(texts: list[str]) -> None:
        t0 = clock()
        docs = [nlp.make_doc(t) for t in texts]
        seconds["tokenizer"] += clock() - t0
        for name, proc in nlp.pipeline:
            t0 = clock()
            docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            seconds[name] += clock() - t0

    for text in clean_texts(corpus):
        batch.append(text)
        if len(batch) == batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)
    return seconds


# -- stores -----------------------------------------------------------------------------------------------
class Databases:
    """Empty databases for the ingest passes: SQLite files in the work dir; PostgreSQL from --pg-url (its
    tables dropped after each pass) or a throwaway server from tests/pg.py."""

    def __init__(self, workdir: Path, pg_url: str | None, use_pg: bool) -> None:
        self.workdir, self.pg_url, self.count = workdir, pg_url, 0
        self.server: Any = None
        self.pg_note = ""
        self.pg_available = use_pg
        if use_pg and not pg_url:
            sys.path.insert(0, str(REPO))
            from tests.pg import PostgresServer, PostgresUnavailable
            try:
                self.server = PostgresServer.start()
            except (PostgresUnavailable, RuntimeError) as error:
                self.pg_available = False
                self.pg_note = f"PostgreSQL pass skipped: {error}"

    @contextlib.contextmanager
    def sqlite(self) -> Iterator[str]:
        self.count += 1
        path = self.workdir / f"store-{self.count}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    @contextlib.contextmanager
    def postgresql(self) -> Iterator[str]:
        self.count += 1
        if self.server is not None:
            name = f"throughput_{self.count}"
            url = self.server.create_database(name)
            try:
                yield url
            finally:
                self.server.drop_database(name)
            return
        assert self.pg_url is not None
        try:
            yield self.pg_url
        finally:
            _drop_tables(self.pg_url)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def _drop_tables(url: str) -> None:
    from newsintel.store.reference import reference_metadata
    from newsintel.store.schema import metadata

    store = open_store(url)
    with store.engine.begin() as connection:
        reference_metadata.drop_all(connection)
        metadata.drop_all(connection)
    store.close()


def pg_is_empty(url: str) -> bool:
    """No tables yet: the --pg-url database is ours to fill and to empty again after each pass."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()
