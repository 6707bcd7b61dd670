"""The Ray engine stores exactly what the local engine stores, and handles failures the same way.

The corpus (with a bad line and a repeat mixed in) is ingested once locally and once on a local Ray
with two actors; the two stores must be identical, row for row (tests/store/support.dump).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import func, select

from newsintel.errors import InputError
from newsintel.extract.extractor import Extractor, ExtractorOptions
from newsintel.model import Document
from newsintel.scale import ray_engine
from newsintel.store.db import Store, open_store
from newsintel.store.ingest import IngestSummary, ingest
from newsintel.store.schema import documents, facts, sources
from tests.store.support import CORPUS, dump

Run = tuple[Store, IngestSummary]
# Ray Data reads its own deprecated settings when it copies its context: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The 30 articles with an empty one (a failure) and a repeat (a skip) between them."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    path = tmp_path_factory.mktemp("input") / "mixed.jsonl"
    path.write_text("\n".join([*lines[:15], '{"id": "empty", "text": ""}', lines[3], *lines[15:]]) + "\n",
                    encoding="utf-8")
    return [str(path)]


def _ingest(folder: Path, paths: list[str], engine: str) -> Iterator[Run]:
    store = open_store(f"sqlite:///{folder / f'{engine}.db'}")
    try:
        yield store, ingest(paths, store, workers=2, progress=False, engine=engine)
    finally:
        store.close()


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, mixed: list[str]) -> Iterator[Run]:
    yield from _ingest(tmp_path_factory.mktemp("local"), mixed, "local")


@pytest.fixture(scope="module")
def on_ray(tmp_path_factory: pytest.TempPathFactory, mixed: list[str]) -> Iterator[Run]:
    yield from _ingest(tmp_path_factory.mktemp("ray"), mixed, "ray")


def test_ray_stores_the_same_documents_entities_facts_and_sources(local: Run, on_ray: Run) -> None:
    (local_store, local_summary), (ray_store, ray_summary) = local, on_ray
    assert (ray_summary.stored + ray_summary.duplicates, ray_summary.skipped) == (30, 1)
    assert [source.rsplit(":", 1)[1] for source, _ in ray_summary.failed] == ["16"]
    assert ray_summary.failed == local_summary.failed
    with ray_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(facts)).scalar_one() > 50
        assert connection.execute(select(func.count()).select_from(sources)).scalar_one() > 50
        sequence = connection.execute(select(documents.c.source_id).order_by(documents.c.sequence)).scalars().all()
    with local_store.engine.connect() as connection:
        assert sequence == connection.execute(select(documents.c.source_id)
                                              .order_by(documents.c.sequence)).scalars().all()
    assert dump(ray_store.engine) == dump(local_store.engine)


def test_a_stored_corpus_is_skipped_without_starting_ray(on_ray: Run, mixed: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ray(workers: int) -> AbstractContextManager[None]:
        raise AssertionError("Ray was started with nothing to extract")

    monkeypatch.setattr(ray_engine, "ray_session", no_ray)
    store, _ = on_ray
    again = ingest(mixed, store, workers=2, progress=False, engine="ray")
    assert (again.stored, again.skipped, len(again.failed)) == (0, 31, 1)


def test_an_extraction_error_comes_back_as_that_documents_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """What an actor does with a batch (no Ray needed): the bad document fails, its neighbour is extracted."""
    batch_fn = ray_engine.ExtractBatch(ExtractorOptions())
    annotate = batch_fn.extractor.annotate

    def fragile(doc: object, document: Document) -> object:
        if document.id == "bad":
            raise ValueError("no parse for you")
        return annotate(doc, document)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_fn.extractor, "annotate", fragile)
    good = Document("good", "Huawei bought Vocord for $50 million in March 2019.", published="2021-06-15",
                    language="en")
    bad = Document("bad", "Anything at all.", language="en")
    rows = [{"source": f"in.jsonl:{i}", "document": json.dumps(d.to_dict())}
            for i, d in enumerate([bad, good], 1)]
    results = [ray_engine.decode(row) for row in batch_fn(pa.Table.from_pylist(rows)).to_pylist()]
    assert isinstance(results[0], InputError)
    assert (results[0].source, results[0].reason) == ("in.jsonl:1", "extraction failed: ValueError: no parse for you")
    assert isinstance(results[1], tuple) and results[1][0] == "in.jsonl:2"
    assert results[1][1].to_dict() == Extractor().extract(good).to_dict()
    assert results[1][1].events, "the good document should yield an acquisition with its amount and date"
