"""Query latency on a large synthetic store, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/query_latency.py                                  # 100k documents, 1M facts
    .venv/bin/python benchmarks/query_latency.py --documents 10000 --facts 100000 --runs 100
    .venv/bin/python benchmarks/query_latency.py --sizes 10000,100000,1000000     # p95 against store size
    .venv/bin/python benchmarks/query_latency.py --dialects postgresql --pg-url postgresql+psycopg://u@host/db

Builds a store with `open_store` (so the schema and full-text objects are the real ones) and fills it with
SQLAlchemy Core bulk inserts (executemany, ~10k rows a batch): ~20k entities whose popularity follows a
Zipf law, facts spread over the ten SCHEMA event types with 1-3 roles each (the roles of EVENT_ROLES) and
1-2 sources each, and documents of a few sentences of synthetic news text drawn from a word list and the
entities' names, so full-text search has something to match. Then it times, over `--runs` calls each,
the four reads an analyst makes: dossier, timeline (by entity), search and network (depth 2), through
the functions of newsintel/query, on one connection, after a short warm-up. Entities to query are drawn
with the same Zipf popularity (analysts ask about entities in the news), so hubs are among them.

PostgreSQL: a throwaway server from tests/pg.py (its binaries come with `make postgres`), one fresh
database per size, or `--pg-url` (an empty database; the tables are dropped afterwards). The store is
ANALYZEd after the build on PostgreSQL (autovacuum would do it); SQLite gets nothing the store does not.
The readable table goes to stdout; the last line is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, func, insert, select, text
from sqlalchemy.engine import make_url

from newsintel.model import EVENT_ROLES, EVENT_TYPES
from newsintel.refdata import normalize_name
from newsintel.store.db import open_store
from newsintel.store.schema import aliases, documents, entities, fact_roles, facts, mentions, metadata, sources

REPO = Path(__file__).resolve().parent.parent
BATCH = 10_000
QUERIES = ("dossier", "timeline", "search", "network")
# The throwaway server's memory: PostgreSQL's defaults (128MB shared buffers) are for tiny machines.
PG_SETTINGS = {"shared_buffers": "1GB", "effective_cache_size": "4GB", "work_mem": "32MB",
               "maintenance_work_mem": "512MB", "max_wal_size": "8GB", "checkpoint_timeout": "30min"}
SQLITE_BUILD_CACHE_KB = 1_048_576  # the build's page cache (the store's own connections keep the default)



def words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


ENTITY_TYPES = (("company", 45), ("government_body", 15), ("organization", 14), ("person", 16),
                ("program", 7), ("country", 3))
COUNTRIES = ("US", "CN", "GB", "DE", "FR", "JP", "KR", "TW", "NL", "IN", "RU", "IR", "IL", "CA", "AU", "SG",
             "BR", "SE", "FI", "IT", "ES", "CH", "AE", "SA", "VN", "MY", "ID", "PL", "UA", "TR")
SYLLABLES = words("kal vor zen tri nex ara bel cor dra eto fal gor hal ist jun kor lum mar nor ost pra qui ros sil "
             "tav ulm ver wex yar zol")
MIDDLES = words("a e i o u ar en is on ur")
ENDINGS = words("tek via ron dex lia nix mar tis gon sys")
SUFFIXES = {"company": ("Systems", "Holdings", "Semiconductor", "Technologies", "Networks", "Electronics", "Group"),
            "government_body": ("Ministry", "Commission", "Agency", "Bureau", "Department"),
            "organization": ("Institute", "Alliance", "Council", "Foundation", "Association"),
            "program": ("Initiative", "Programme", "Project", "Fund"),
            "person": ("",), "country": ("",)}
FIRST_NAMES = words("Anna Wei Omar Lena Raj Mei Jonas Sofia Hiro Ivan Clara Tariq Nadia Li Marco Yuki Pablo Ama "
               "Erik Zara")
WORDS = words("semiconductor chip export control sanctions license ministry commerce trade tariff supply chain "
         "foundry wafer lithography equipment telecom network infrastructure cloud data security investment "
         "acquisition merger stake contract satellite drone battery lithium rare earth magnet quantum "
         "computing artificial intelligence model research university partnership agreement government "
         "regulator entity list blacklist listing exchange shares offering subsidy factory plant capacity "
         "capital venture fund billion million dollars yuan euros officials said on Tuesday Wednesday "
         "according statement spokesperson announced week month year deal talks negotiations border "
         "technology transfer patent intellectual property cyber espionage surveillance camera smartphone "
         "5G base station router fiber cable undersea port shipping vessel customs inspection review "
         "national interest committee parliament senate bill law rules restrictions ban embargo diplomats "
         "embassy expelled ambassador consulate retaliation measures market analysts investors growth "
         "production output revenue profit quarter forecast demand shortage")
VERBS = {"partnership": "partnered with", "acquisition": "agreed to acquire", "investment": "invested in",
         "sanction": "imposed sanctions on", "designation": "added to its entity list", "policy": "announced rules on",
         "contract": "won a contract from", "listing": "listed shares alongside", "expulsion": "expelled diplomats of",
         "position": "appointed a new chief at"}


# -- synthetic data -----------------------------------------------------------------------------------


def digest(*parts: object) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


@dataclass
class Entity:
    id: str
    name: str
    type: str
    country: str | None


def make_entities(n: int, rng: random.Random) -> list[Entity]:
    """n entities, index 0 the most popular (the Zipf rank is the position in this list)."""
    kinds = [kind for kind, _ in ENTITY_TYPES]
    weights = [weight for _, weight in ENTITY_TYPES]
    seen: set[str] = set()
    out: list[Entity] = []
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        stem = (rng.choice(SYLLABLES) + rng.choice(MIDDLES) + rng.choice(ENDINGS)).capitalize()
        if kind == "person":
            name = f"{rng.choice(FIRST_NAMES)} {stem}"
        elif kind == "country":
            name = f"Republic of {stem}"
        else:
            name = f"{stem} {rng.choice(SUFFIXES[kind])}"
        if name in seen:
            name = f"{name} {i}"
        seen.add(name)
        slug = name.lower().replace(" ", "-")
        country = None if kind == "person" and rng.random() < 0.3 else rng.choice(COUNTRIES)
        out.append(Entity(f"{kind}:{slug}", name, kind, country))
    return out


class Zipf:
    """Draws entity ranks with P(rank k) proportional to 1 / (k + 1) ** s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.cum = list(accumulate(1.0 / (k + 1) ** s for k in range(n)))
        self.population = range(n)
        self.rng = rng

    @classmethod
    def sharing(cls, other: Zipf, rng: random.Random) -> Zipf:
        """The same distribution drawn with another generator (one per thread)."""
        copy = cls.__new__(cls)
        copy.cum, copy.population, copy.rng = other.cum, other.population, rng
        return copy

    def draw(self, k: int) -> list[int]:
        return self.rng.choices(self.population, cum_weights=self.cum, k=k)

    def distinct(self, k: int) -> list[int]:
        picked: list[int] = []
        while len(picked) < k:
            for rank in self.draw(k - len(picked)):
                if rank not in picked:
                    picked.append(rank)
        return picked


def sentence(rng: random.Random, subject: str, verb: str, obj: str) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 14))
    cut = rng.randint(2, len(words) - 2)
    return f"{subject} {verb} {obj} {' '.join(words[:cut])}, {' '.join(words[cut:])}."


def iso_date(rng: random.Random) -> str:
    return f"{rng.randint(2010, 2025):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


Rows = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]
TYPE_WEIGHTS = (10, 8, 12, 10, 8, 10, 12, 5, 4, 21)  # per EVENT_TYPES: position most common, expulsion rarest


def make_facts(out: queue.Queue[Rows | None], n_facts: int, ents: list[Entity], zipf: Zipf, rng: random.Random,
               doc_ids: list[str], doc_sentences: list[list[str]]) -> None:
    """Put batches of (facts, fact_roles, sources) rows on `out`, then None."""
    zipf = Zipf.sharing(zipf, rng)
    n_documents = len(doc_ids)
    for base in range(0, n_facts, BATCH):
        fact_rows: list[dict[str, Any]] = []
        role_rows: list[dict[str, Any]] = []
        source_rows: list[dict[str, Any]] = []
        for i in range(base, min(base + BATCH, n_facts)):
            kind = rng.choices(EVENT_TYPES, TYPE_WEIGHTS)[0]
            required, optional = EVENT_ROLES[kind]
            roles = list(required) + [role for role in optional if rng.random() < 0.5]
            if kind == "partnership":
                roles += ["party"] * rng.choice((1, 1, 2))
            roles = roles[:3]
            fact_id = digest("fact", i)
            r = rng.random()
            date, precision = ((None, None) if r < 0.12 else (iso_date(rng), "day") if r < 0.65
                               else (iso_date(rng)[:7], "month") if r < 0.9 else (iso_date(rng)[:4], "year"))
            money = kind in ("investment", "acquisition", "contract") and rng.random() < 0.6
            fact_rows.append({
                "id": fact_id, "type": kind, "date_value": date, "date_precision": precision,
                "amount_value": round(rng.lognormvariate(18, 2), 0) if money else None,
                "amount_currency": rng.choice(("USD", "USD", "EUR", "CNY")) if money else None,
                "attributes": {}, "confidence": round(rng.uniform(0.5, 1.0), 3),
                "first_seen": f"2024-{1 + i * 12 // n_facts:02d}-01T00:00:00Z", "first_sequence": i + 1})
            for role, rank in zip(roles, zipf.distinct(len(roles)), strict=True):
                role_rows.append({"fact_id": fact_id, "role": role, "entity_id": ents[rank].id, "type": kind,
                                  "date_value": date})  # the copies record_fact keeps
            cited = rng.sample(range(n_documents), 2 if rng.random() < 0.3 else 1)
            for k, doc in enumerate(cited):
                said = doc_sentences[doc]
                which = rng.randrange(len(said))
                begin = sum(len(s) + 1 for s in said[:which])
                source_rows.append({"fact_id": fact_id, "document_id": doc_ids[doc], "event_local_id": f"v{k + 1}",
                                    "sentence": said[which], "start": begin, "end": begin + len(said[which]),
                                    "confidence": 0.8})
        out.put((fact_rows, role_rows, source_rows))
    out.put(None)


@dataclass
class Built:
    documents: int = 0
    facts: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def build(engine: Engine, n_documents: int, n_facts: int, ents: list[Entity], zipf: Zipf,
          rng: random.Random, log: Callable[[str], None]) -> Built:
    """Fill an empty store with synthetic entities, documents, facts, roles and sources."""
    built = Built(n_documents, n_facts)
    sqlite = engine.dialect.name == "sqlite"
    counts = dict.fromkeys(("entities", "aliases", "documents", "mentions", "facts", "fact_roles", "sources"), 0)
    started = time.perf_counter()

    def flush(connection: Connection, table: Any, rows: list[dict[str, Any]], name: str) -> None:
        if rows:
            connection.execute(insert(table), rows)
            counts[name] += len(rows)
            rows.clear()

    with engine.begin() as connection:
        superuser = not sqlite and bool(connection.execute(text(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())
        entity_rows = [{"id": e.id, "name": e.name, "type": e.type, "country": e.country,
                        "created_at": "2024-01-01T00:00:00Z"} for e in ents]
        alias_rows = [{"entity_id": e.id, "alias": e.name, "norm": normalize_name(e.name)} for e in ents]
        alias_rows += [{"entity_id": e.id, "alias": acronym, "norm": normalize_name(acronym)} for e in ents
                       if e.type != "person" and rng.random() < 0.3
                       and (acronym := "".join(w[0] for w in e.name.split()).upper() + str(len(e.id)))]
        for start in range(0, len(entity_rows), BATCH):
            flush(connection, entities, entity_rows[start:start + BATCH], "entities")
        for start in range(0, len(alias_rows), BATCH):
            flush(connection, aliases, alias_rows[start:start + BATCH], "aliases")
    built.seconds["entities"] = time.perf_counter() - started

    # Documents: 3-6 sentences, each naming two entities; kept (id, sentences) for the sources.
    # On PostgreSQL the full-text GIN index is built once after the load (as db.py defines it).
    started = time.perf_counter()
    search_index = None
    if not sqlite:
        with engine.begin() as connection:
            search_index = connection.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search'")).scalar()
            if search_index:
                connection.execute(text("DROP INDEX ix_documents_search"))
    doc_ids: list[str] = []
    doc_sentences: list[list[str]] = []
    doc_dates: list[str] = []
    rows: list[dict[str, Any]] = []
    fts: list[dict[str, Any]] = []
    mention_rows: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for i in range(n_documents):
            said = []
            named: list[int] = []
            for _ in range(rng.randint(3, 6)):
                a, b = zipf.distinct(2)
                named += [a, b]
                said.append(sentence(rng, ents[a].name, VERBS[rng.choice(EVENT_TYPES)], ents[b].name))
            body = " ".join(said)
            doc_id = digest("doc", i)
            published = iso_date(rng)
            title = f"{ents[named[0]].name} {' '.join(rng.choices(WORDS, k=rng.randint(3, 7)))}"
            doc_ids.append(doc_id)
            doc_sentences.append(said)
            doc_dates.append(published)
            rows.append({"id": doc_id, "source_id": f"syn{i}", "url": f"https://news.example/{i}", "title": title,
                         "published": published, "language": "en", "text": body,
                         "fingerprint": doc_id[:16], "duplicate_of": None,
                         "ingested_at": f"{published}T12:00:00Z", "sequence": i + 1})
            if sqlite:
                fts.append({"document_id": doc_id, "title": title, "text": body})
            for local, rank in enumerate(dict.fromkeys(named)):
                e = ents[rank]
                mention_rows.append({"document_id": doc_id, "local_id": f"e{local + 1}", "entity_id": e.id,
                                     "name": e.name, "type": e.type, "country": e.country,
                                     "spans": [{"start": 0, "end": len(e.name), "text": e.name}]})
            if len(rows) >= BATCH or len(mention_rows) >= BATCH or i == n_documents - 1:
                flush(connection, documents, rows, "documents")  # before the mentions that refer to them
                flush(connection, mentions, mention_rows, "mentions")
                if fts:
                    connection.execute(text("INSERT INTO documents_fts (document_id, title, text) "
                                            "VALUES (:document_id, :title, :text)"), fts)
                    fts.clear()
    if search_index:
        with engine.begin() as connection:
            connection.execute(text(search_index))
    built.seconds["documents"] = time.perf_counter() - started
    log(f"  documents: {n_documents:,} in {built.seconds['documents']:.1f}s")

    # Facts, their roles and sources, one transaction per batch of BATCH facts. A thread makes the
    # next batch while this one is inserted (the drivers release the GIL while the database works).
    started = time.perf_counter()
    batches: queue.Queue[Rows | None] = queue.Queue(maxsize=2)
    maker = threading.Thread(target=make_facts, daemon=True,
                             args=(batches, n_facts, ents, zipf, random.Random(rng.random()), doc_ids, doc_sentences))
    maker.start()
    done = 0
    while (batch := batches.get()) is not None:
        fact_rows, role_rows, source_rows = batch
        with engine.begin() as connection:
            if not sqlite and superuser:  # skip FK triggers: the rows are consistent by construction
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            done += len(fact_rows)
            flush(connection, facts, fact_rows, "facts")
            flush(connection, fact_roles, role_rows, "fact_roles")
            flush(connection, sources, source_rows, "sources")
        if done % (BATCH * 20) == 0 or done == n_facts:
            log(f"  facts: {done:,}/{n_facts:,} ({time.perf_counter() - started:.0f}s)")
    maker.join()
    built.seconds["facts"] = time.perf_counter() - started

    started = time.perf_counter()
    with engine.begin() as connection:
        if not sqlite:
            connection.execute(text("ANALYZE"))
    built.seconds["analyze"] = time.perf_counter() - started
    built.rows = counts
    return built


# -- timing ---------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def load_queries() -> dict[str, Callable[..., Any] | str]:
    """The query functions of newsintel/query, or why one is missing (they are optional here)."""
    found: dict[str, Callable[..., Any] | str] = {}
    for name in QUERIES:
        try:
            module = importlib.import_module(f"newsintel.query.{name}")
            found[name] = getattr(module, name)
        except (ImportError, AttributeError) as error:
            found[name] = f"unavailable: {error}"
    return found


def search_terms(ents: list[Entity], zipf: Zipf, rng: random.Random, n: int) -> list[str]:
    """A mix of what analysts type: a topic word, two words, an entity's name."""
    terms = []
    for _ in range(n):
        r = rng.random()
        if r < 0.4:
            terms.append(rng.choice(WORDS))
        elif r < 0.7:
            terms.append(" ".join(rng.sample(WORDS, 2)))
        else:
            terms.append(ents[zipf.draw(1)[0]].name)
    return terms


def time_queries(engine: Engine, ents: list[Entity], zipf: Zipf, rng: random.Random, runs: int, budget: float,
                 log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    functions = load_queries()
    picks = [ents[rank].id for rank in zipf.draw(runs)]
    terms = search_terms(ents, zipf, rng, runs)
    calls: dict[str, Callable[[Connection, int], Any]] = {
        "dossier": lambda c, i: functions["dossier"](c, picks[i]),  # type: ignore[operator]
        "timeline": lambda c, i: functions["timeline"](c, entity_id=picks[i]),  # type: ignore[operator]
        "search": lambda c, i: functions["search"](c, terms[i]),  # type: ignore[operator]
        "network": lambda c, i: functions["network"](c, entity_id=picks[i], depth=2),  # type: ignore[operator]
    }
    results: dict[str, dict[str, Any]] = {}
    with engine.connect() as connection:
        for name in QUERIES:
            if isinstance(functions[name], str):
                results[name] = {"status": functions[name]}
                log(f"  {name}: {functions[name]}")
                continue
            for i in range(min(5, runs)):  # warm-up: caches, prepared plans
                calls[name](connection, (i * 7919) % runs)
                connection.rollback()
            times: list[float] = []
            sizes: list[int] = []
            deadline = time.perf_counter() + budget
            for i in range(runs):
                started = time.perf_counter()
                out = calls[name](connection, i)
                times.append(time.perf_counter() - started)
                connection.rollback()  # end the read transaction, as a CLI command or a request would
                sizes.append(result_size(name, out))
                if time.perf_counter() > deadline:
                    break
            results[name] = {"status": "ok", "runs": len(times), "p50_ms": 1000 * percentile(times, 0.5),
                             "p95_ms": 1000 * percentile(times, 0.95), "max_ms": 1000 * max(times),
                             "mean_ms": 1000 * statistics.fmean(times), "median_result": statistics.median(sizes),
                             "truncated_by_budget": len(times) < runs}
    return results


def result_size(name: str, out: Any) -> int:
    """Facts in a dossier, facts in a timeline, documents + entities found, edges of a network."""
    if name == "dossier":
        return len(out["facts"])
    if name == "timeline":
        return len(out)
    if name == "search":
        return len(out["documents"]) + len(out["entities"])
    return int(out.number_of_edges())


# -- orchestration --------------------------------------------------------------------------------------


@dataclass
class Target:
    """Where one store lives, and how to get rid of it afterwards."""

    dialect: str
    url: str
    cleanup: Callable[[], None]


class Stores:
    """Fresh empty databases: SQLite files in a temp dir; PostgreSQL from tests/pg.py or --pg-url."""

    def __init__(self, workdir: Path, pg_url: str | None, keep: bool, reuse: bool = False) -> None:
        self.workdir = workdir
        self.pg_url = pg_url
        self.keep = keep or reuse
        self.reuse = reuse
        self.server: Any = None
        self.count = 0

    def new(self, dialect: str) -> Target:
        self.count += 1
        if dialect == "sqlite":
            path = self.workdir / f"store-{self.count}.db"

            def remove() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            return Target(dialect, f"sqlite:///{path}", (lambda: None) if self.keep else remove)
        if self.pg_url:
            if not self.reuse:
                self._refuse_nonempty(self.pg_url)
            url = self.pg_url

            def drop() -> None:
                store = open_store(url)
                with store.engine.begin() as connection:
                    metadata.drop_all(connection)
                store.close()
            return Target(dialect, url, (lambda: None) if self.keep else drop)
        if self.server is None:
            sys.path.insert(0, str(REPO))
            from tests.pg import PostgresServer
            self.server = PostgresServer.start(settings=PG_SETTINGS)
        name = f"bench_{self.count}"
        url = self.server.create_database(name)
        return Target(dialect, url, lambda: self.server.drop_database(name))

    @staticmethod
    def _refuse_nonempty(url: str) -> None:
        store = open_store(url)
        with store.engine.connect() as connection:
            if connection.execute(select(func.count()).select_from(documents)).scalar_one():
                store.close()
                raise SystemExit(f"{make_url(url).render_as_string(hide_password=True)} already holds documents; "
                                 "give an empty database")
        store.close()

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def database_size(engine: Engine, url: str) -> int:
    if engine.dialect.name == "sqlite":
        path = make_url(url).database or ""
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def _holds_documents(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(documents.c.id).limit(1)).first() is not None


def _row_counts(engine: Engine) -> dict[str, int]:
    tables = {"entities": entities, "aliases": aliases, "documents": documents, "mentions": mentions,
              "facts": facts, "fact_roles": fact_roles, "sources": sources}
    with engine.connect() as connection:
        return {name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in tables.items()}


def _sqlite_build_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_BUILD_CACHE_KB}")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def run_one(target: Target, n_documents: int, n_facts: int, n_entities: int, args: argparse.Namespace,
            log: Callable[[str], None]) -> dict[str, Any]:
    rng = random.Random(args.seed)
    ents = make_entities(n_entities, rng)
    zipf = Zipf(n_entities, args.zipf, rng)
    log(f"{target.dialect}: building {n_documents:,} documents, {n_facts:,} facts, {n_entities:,} entities")
    store = open_store(target.url)
    try:
        started = time.perf_counter()
        if args.reuse and _holds_documents(store.engine):  # built by an earlier --keep run (same arguments)
            log("  reusing the store built earlier (--reuse)")
            built = Built(n_documents, n_facts, rows=_row_counts(store.engine))
        else:
            if store.dialect == "sqlite":  # random-key index inserts need the indexes in memory
                event.listen(store.engine, "connect", _sqlite_build_pragmas)
                store.engine.dispose()
            built = build(store.engine, n_documents, n_facts, ents, zipf, rng, log)
        build_seconds = time.perf_counter() - started
        store.close()
        store = open_store(target.url)  # the queries run on the store's own connection settings
        size = database_size(store.engine, target.url)
        log(f"  built in {build_seconds:.1f}s ({size / 1e6:,.0f} MB); timing {args.runs} runs per query")
        with store.engine.connect() as connection:
            top = connection.execute(select(fact_roles.c.entity_id, func.count().label("n"))
                                     .group_by(fact_roles.c.entity_id).order_by(text("n DESC")).limit(1)).one()
        queries = time_queries(store.engine, ents, Zipf(n_entities, args.zipf, random.Random(args.seed + 1)),
                               random.Random(args.seed + 2), args.runs, args.budget, log)
    finally:
        store.close()
        target.cleanup()
    return {"dialect": target.dialect, "documents": n_documents, "facts": n_facts, "entities": n_entities,
            "rows": built.rows, "build_seconds": round(build_seconds, 2),
            "build_split_seconds": {k: round(v, 2) for k, v in built.seconds.items()},
            "rows_per_second": round(sum(built.rows.values()) / build_seconds),
            "database_mb": round(size / 1e6, 1), "top_entity_facts": int(top.n), "queries": queries}


def git_state() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def table(results: list[dict[str, Any]]) -> Iterator[str]:
    yield f"{'dialect':<11}{'facts':>10}{'docs':>9}{'build s':>9}{'MB':>8}  " + "".join(
        f"{q + ' p50/p95 ms':>26}" for q in QUERIES)
    for r in results:
        cells = []
        for q in QUERIES:
            got = r["queries"][q]
            cells.append(f"{got['p50_ms']:>11.1f} / {got['p95_ms']:>8.1f}{'*' if got['truncated_by_budget'] else ' '}"
                         if got["status"] == "ok" else f"{'n/a':>22}   ")
        yield (f"{r['dialect']:<11}{r['facts']:>10,}{r['documents']:>9,}{r['build_seconds']:>9.1f}"
               f"{r['database_mb']:>8.0f}  " + "".join(f"{c:>26}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --documents and --facts (0.1: 10k/100k)")
    parser.add_argument("--sizes", help="comma-separated fact counts (documents = facts/10 each); overrides --facts")
    parser.add_argument("--dialects", default="sqlite,postgresql")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to use instead of a throwaway server")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per query (default 200)")
    parser.add_argument("--budget", type=float, default=120.0, help="stop timing a query after this many seconds")
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent of entity popularity (default 1.0)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="where the SQLite files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files (and --pg-url tables)")
    parser.add_argument("--reuse", action="store_true",
                        help="time a store kept by an earlier --keep run with the same arguments (SQLite: same "
                             "--workdir; PostgreSQL: same --pg-url) instead of building it again; implies --keep")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    ratio = args.documents / args.facts
    if args.sizes:
        plan = [(max(1, round(int(n) * ratio)), int(n)) for n in args.sizes.split(",")]
    else:
        plan = [(max(1, round(args.documents * args.scale)), max(1, round(args.facts * args.scale)))]
    dialects = [d.strip() for d in args.dialects.split(",") if d.strip()]
    temporary = None if args.workdir else tempfile.TemporaryDirectory(prefix="newsintel-bench-")
    workdir = args.workdir or Path(temporary.name)  # type: ignore[union-attr]
    workdir.mkdir(parents=True, exist_ok=True)
    stores = Stores(workdir, args.pg_url, args.keep, args.reuse)
    results = []
    try:
        for n_documents, n_facts in plan:
            for dialect in dialects:
                results.append(run_one(stores.new(dialect), n_documents, n_facts, args.entities, args, log))
    finally:
        stores.close()
        if temporary is not None and not stores.keep:
            temporary.cleanup()

    print(f"Query latency over {args.runs} runs each (entities drawn by Zipf popularity, s={args.zipf}); "
          "* = cut short by --budget")
    for line in table(results):
        print(line)
    for r in results:
        print(f"{r['dialect']} {r['facts']:,} facts: build {r['build_seconds']:.1f}s "
              f"({r['rows_per_second']:,} rows/s; split {r['build_split_seconds']}), "
              f"busiest entity in {r['top_entity_facts']:,} facts")
    if len(plan) > 1:
        print("p95 growth (ms) with the number of facts:")
        for dialect in dialects:
            for q in QUERIES:
                series = [f"{r['facts']:,}: {r['queries'][q].get('p95_ms', float('nan')):.1f}"
                          for r in results if r["dialect"] == dialect]
                print(f"  {dialect:<11}{q:<9}" + "  ".join(series))
    print(json.dumps({"benchmark": "query_latency", "commit": git_state(), "python": platform.python_version(),
                      "machine": f"{platform.machine()} {os.cpu_count()} cpus", "runs": args.runs,
                      "zipf": args.zipf, "seed": args.seed, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
