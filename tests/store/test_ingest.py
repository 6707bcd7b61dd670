"""Ingesting the sample corpus and the seeds: idempotent, resumable after a kill, resolved across articles.

One store per dialect is built once for the module (the parser costs ~0.2 s per article).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsintel.resolve.facts import independent_sources
from newsintel.store.db import Store, open_store
from newsintel.store.ingest import IngestSummary, ingest
from newsintel.store.schema import documents, entities, fact_roles, facts, failures, mentions, sources
from newsintel.store.writer import record_failure
from tests.store.support import CORPUS, CORPUS_PATHS, ROOT, dump

NEWSINTEL = [str(Path(sys.executable).parent / "newsintel")]  # the console script


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) \
        -> Iterator[tuple[Store, IngestSummary]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    store = open_store(url)
    summary = ingest(CORPUS_PATHS, store, progress=False)
    yield store, summary
    store.close()


def test_the_corpus_is_stored_once(corpus_store: tuple[Store, IngestSummary]) -> None:
    store, summary = corpus_store
    assert (summary.stored + summary.duplicates, summary.skipped, summary.failed) == (35, 0, [])
    with store.engine.connect() as connection:
        assert connection.execute(select(documents.c.sequence).order_by(documents.c.sequence)).scalars().all() == \
            list(range(1, 36))


def test_ingesting_again_changes_nothing(corpus_store: tuple[Store, IngestSummary]) -> None:
    store, _ = corpus_store
    before = dump(store.engine)
    again = ingest(CORPUS_PATHS, store, progress=False)
    assert (again.stored, again.duplicates, again.skipped) == (0, 0, 35)
    assert dump(store.engine) == before


def _ids_named(store: Store, *names: str) -> set[str]:
    with store.engine.connect() as connection:
        return set(connection.execute(select(mentions.c.entity_id).where(mentions.c.name.in_(names))).scalars())


def test_one_huawei_and_one_united_states_across_articles(corpus_store: tuple[Store, IngestSummary]) -> None:
    store, _ = corpus_store
    assert _ids_named(store, "Huawei", "Huawei Technologies", "Huawei Technologies Co Ltd") == {"company:huawei"}
    assert _ids_named(store, "United States", "U.S.", "US", "Washington") == {"country:US"}
    with store.engine.connect() as connection:
        docs = connection.execute(select(func.count(mentions.c.document_id.distinct()))
                                  .where(mentions.c.entity_id == "company:huawei")).scalar()
        assert docs is not None and docs >= 5
        us_forms = set(connection.execute(select(entities.c.name).where(entities.c.id.like("country:%"))).scalars())
        assert "United States" in us_forms


def test_sensetime_facts_include_its_sanction_funding_and_contracts(corpus_store: tuple[Store, IngestSummary]) -> None:
    store, _ = corpus_store
    with store.engine.connect() as connection:
        kinds = set(connection.execute(select(facts.c.type).join(fact_roles, fact_roles.c.fact_id == facts.c.id)
                                       .where(fact_roles.c.entity_id == "company:sensetime")).scalars())
        imposers = set(connection.execute(
            select(fact_roles.c.entity_id).where(fact_roles.c.role == "imposer", fact_roles.c.fact_id.in_(
                select(fact_roles.c.fact_id).where(fact_roles.c.entity_id == "company:sensetime")))).scalars())
    assert {"sanction", "investment", "contract"} <= kinds
    assert "government_body:us-department-of-commerce" in imposers  # the Entity List


def test_some_facts_have_several_independent_sources(corpus_store: tuple[Store, IngestSummary]) -> None:
    store, _ = corpus_store
    with store.engine.connect() as connection:
        counts = independent_sources(connection)
        assert sum(1 for n in counts.values() if n > 1) >= 5
        assert len(counts) == connection.execute(select(func.count()).select_from(facts)).scalar()


def test_a_failure_is_recorded_once(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'failures.db'}")
    for _ in range(2):
        record_failure(store, "x.jsonl:3", "not JSON")
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(failures)).scalar() == 1
    store.close()


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSINTEL, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _count(url: str) -> int:
    try:
        store = open_store(url, create=False)
    except Exception:  # not created yet
        return 0
    try:
        with store.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(documents)).scalar_one())
    finally:
        store.close()


def test_a_killed_ingest_resumes_to_the_same_store(corpus_store: tuple[Store, IngestSummary], tmp_path: Path) -> None:
    store, _ = corpus_store
    if store.dialect != "sqlite":
        pytest.skip("the kill test runs once, on SQLite")
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    process = subprocess.Popen([*NEWSINTEL, "ingest", *CORPUS_PATHS, "--db", url, "-q"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(url) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = _count(url)
    assert 3 <= partial < 35, "the ingest should have been killed halfway"
    result = _run(["ingest", *CORPUS_PATHS, "--db", url])
    assert result.returncode == 0, result.stderr
    assert f"{35 - partial} stored, {partial} skipped" in result.stderr
    resumed = open_store(url)
    try:
        assert dump(resumed.engine) == dump(store.engine)
    finally:
        resumed.close()


def test_workers_store_the_same_as_one_process(corpus_store: tuple[Store, IngestSummary], tmp_path: Path) -> None:
    store, _ = corpus_store
    if store.dialect != "sqlite":
        pytest.skip("compared once, on SQLite")
    parallel = open_store(f"sqlite:///{tmp_path / 'parallel.db'}")
    try:
        summary = ingest(CORPUS_PATHS, parallel, workers=2, progress=False)
        assert summary.failed == []
        assert dump(parallel.engine) == dump(store.engine)
    finally:
        parallel.close()


def test_the_failures_command_lists_them(corpus_store: tuple[Store, IngestSummary], tmp_path: Path) -> None:
    store, _ = corpus_store
    if store.dialect != "sqlite":
        pytest.skip("CLI checked once, on SQLite")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\nnot json\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = _run(["ingest", str(bad), "--db", url])
    assert result.returncode == 1
    assert "0 stored" in result.stderr and "2 failed" in result.stderr
    listed = _run(["failures", "--db", url, "--json"])
    assert listed.returncode == 0
    assert [r["source"] for r in json.loads(listed.stdout)] == [f"{bad}:1", f"{bad}:2"]


def test_a_wire_story_republished_elsewhere_is_linked_not_counted(tmp_path: Path) -> None:
    """Another site's copy: its own headline and URL, a dateline and credit line, the last paragraph cut."""
    original = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    paragraphs = original["text"].split("\n\n")
    copy = dict(original, id="elsewhere", url="https://elsewhere.example/wire/1", title="Wire: " + original["title"],
                text="SINGAPORE (Wire) - " + "\n\n".join(paragraphs[:-1]) + "\n\nReporting by our wire desk.")
    unrelated = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[1])
    path = tmp_path / "two-sites.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in (original, copy, unrelated)) + "\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    summary = ingest([str(path)], store, progress=False)
    assert (summary.stored, summary.duplicates) == (2, 1)
    with store.engine.connect() as connection:
        rows = dict(connection.execute(select(documents.c.source_id, documents.c.duplicate_of)).tuples().all())
        ids = dict(connection.execute(select(documents.c.source_id, documents.c.id)).tuples().all())
        counts = independent_sources(connection)
        cited = connection.execute(select(sources.c.fact_id, sources.c.document_id)).all()
    store.close()
    assert rows["elsewhere"] == ids[original["id"]] and rows[unrelated["id"]] is None
    by_copy = {fact for fact, doc in cited if doc == ids["elsewhere"]}
    assert by_copy  # the copy's facts add sources, not stories:
    for fact in by_copy:
        assert counts[fact] == len({doc for f, doc in cited if f == fact and doc != ids["elsewhere"]})
