"""Extraction on Ray Data: an actor pool, one Extractor per actor, the local engine's per-document code.

`extract_ray` is a drop-in for `extract_serial` / `extract_parallel`: `ingest()` still cleans, skips
stored documents and writes one transaction per document, in input order, in this process (the
driver); only extraction runs on Ray. The input goes over in windows, one Ray Data dataset each, so
the text in memory stays bounded and results (in input order: `preserve_order`) reach the progress
bar as they come. Documents and extractions cross as SCHEMA JSON text: Arrow, Ray Data's block
format, would turn nested dicts with varying keys (roles, attributes) into structs of every key seen.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
from collections.abc import Generator, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Any

import pyarrow as pa

from newsintel.errors import InputError, NewsIntelError
from newsintel.extract.extractor import Extractor, ExtractorOptions
from newsintel.model import Document, Extraction
from newsintel.nlp.pipeline import model_name
from newsintel.refdata import ENV_ACTORS
from newsintel.store.ingest import Pending, Prepared, Result, _annotate

# Each window is a new dataset whose actors start and load their model anew (5-10 s), so a window holds
# enough documents to keep every actor busy far longer than that (~2 minutes at 4 docs/s), while its
# text stays a few MB per actor.
WINDOW_PER_WORKER = 500
BATCHES_PER_WORKER = 4  # small batches spread a short window over every actor
LOCAL_OBJECT_STORE = 256 * 1024 * 1024  # a window is a few MB of text; small enough for a small /dev/shm
FORWARDED = (ENV_ACTORS,)  # settings read inside the Extractor from the environment
OUTPUT = pa.schema([("source", pa.string()), ("extraction", pa.string()), ("error", pa.string())])


class ExtractBatch:
    """The map_batches function: one loaded Extractor per actor; documents in, extractions or errors out."""

    def __init__(self, options: ExtractorOptions) -> None:
        self.extractor = Extractor(options)

    def __call__(self, batch: pa.Table) -> pa.Table:
        pending = [Pending(row["source"], Document.from_dict(json.loads(row["document"])))
                   for row in batch.to_pylist()]
        docs = self.extractor.nlp.pipe([item.document.text for item in pending])
        # _annotate is the local engine's own per-document step: same result, same failure message.
        results = [encode(_annotate(self.extractor, doc, item)) for doc, item in zip(docs, pending, strict=True)]
        return pa.Table.from_pylist(results, schema=OUTPUT)


def encode(result: Result) -> dict[str, str | None]:
    """One extraction result as an output row."""
    if isinstance(result, tuple):
        source, extraction = result
        return {"source": source, "extraction": json.dumps(extraction.to_dict()), "error": None}
    if isinstance(result, InputError):
        return {"source": result.source, "extraction": None, "error": result.reason}
    raise TypeError(f"not an extraction result: {result!r}")


def decode(row: dict[str, Any]) -> tuple[str, Extraction] | InputError:
    """An output row back as the local engine's result: (source, extraction) or the InputError."""
    if row["error"] is not None:
        return InputError(row["source"], row["error"])
    return row["source"], Extraction.from_dict(json.loads(row["extraction"]))


def extract_ray(items: Iterable[Prepared], options: ExtractorOptions, workers: int) -> Iterator[Result]:
    """Extraction on `workers` Ray actors, results in input order. Ray starts only once there is work."""
    # Settings are the driver's, not each node's: the model is named here, the actor files travel as
    # an environment variable (the files themselves must exist at that path on every node).
    options = replace(options, model=options.model or model_name())
    iterator = iter(items)
    with ExitStack() as stack:
        started = False
        while window := list(itertools.islice(iterator, workers * WINDOW_PER_WORKER)):
            pending = [item for item in window if isinstance(item, Pending)]
            if pending and not started:
                stack.enter_context(ray_session(workers))
                started = True
            done = _extract_window(pending, options, workers)
            try:
                for item in window:
                    yield next(done) if isinstance(item, Pending) else item
                next(done, None)  # the dataset's iterator ends (and zip checks the count) while Ray is up
            finally:
                done.close()


def _extract_window(pending: list[Pending], options: ExtractorOptions, workers: int) \
        -> Generator[Result, None, None]:
    if not pending:
        return
    import ray.data
    import ray.exceptions

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the store's sequence follows the input
    context.enable_progress_bars = False  # ours counts documents already
    context.print_on_execution_start = False
    batch_size = max(1, min(options.batch_size, math.ceil(len(pending) / (workers * BATCHES_PER_WORKER))))
    actors = min(workers, math.ceil(len(pending) / batch_size))
    rows = [{"source": item.source, "document": json.dumps(item.document.to_dict())} for item in pending]
    settings = {name: os.environ[name] for name in FORWARDED if name in os.environ}
    dataset = ray.data.from_items(rows).map_batches(
        ExtractBatch, fn_constructor_kwargs={"options": options}, batch_size=batch_size, batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
        runtime_env={"env_vars": settings} if settings else None)
    try:
        for row, item in zip(dataset.iter_rows(), pending, strict=True):
            if row["source"] != item.source:  # never expected: storing it under another source would be worse
                raise RuntimeError(f"Ray returned {row['source']!r} where {item.source!r} was expected")
            yield decode(row)
    except (ray.exceptions.RayError, ray.data.exceptions.SystemException) as error:
        # An actor that cannot start (no newsintel or model on a node) fails the whole run, as a bad
        # --model does locally; what is stored stays stored and a re-run resumes.
        raise NewsIntelError(f"extraction on Ray failed: {_root_cause(error)}") from error


def _root_cause(error: Exception) -> str:
    """Ray's message carries the remote traceback; its last line names the original error."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else error.__class__.__name__


@contextmanager
def ray_session(workers: int) -> Iterator[None]:
    """Connect to $RAY_ADDRESS, or start a quiet local Ray with `workers` CPUs; stop only what we started."""
    import ray
    import ray.data  # configures its loggers on import: before ours below

    if ray.is_initialized():  # started by the caller (a notebook, a test): theirs to stop
        yield
        return
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    address = os.environ.get("RAY_ADDRESS")
    try:
        if address:
            ray.init(address=address, **quiet)
        else:  # "local": a fresh instance, never a cluster someone else started on this machine
            ray.init(address="local", num_cpus=workers, object_store_memory=LOCAL_OBJECT_STORE,
                     include_dashboard=False, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"the Ray cluster at RAY_ADDRESS={address}" if address else "a local Ray"
        raise NewsIntelError(f"cannot start or reach {where}: {_root_cause(error)}") from error
    # Ray Data narrates each dataset at INFO and warns that its progress bars are off: our bar says enough.
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    data_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        data_logger.setLevel(level)
        ray.shutdown()
