"""Helpers shared by the store and resolve tests: dumps for comparing stores, hand-built extractions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from newsintel.model import DateValue, Document, Entity, Event, Extraction, Span
from newsintel.store.schema import metadata

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "articles.jsonl"
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
CORPUS_PATHS = [str(CORPUS), *map(str, SEEDS)]
TIMESTAMPS = {"ingested_at", "created_at", "at", "first_seen"}


def dump(engine: Engine) -> dict[str, list[str]]:
    """Every table's rows (timestamps left out) as sorted JSON strings: equal dumps, equal stores."""
    out: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            columns = [c for c in table.columns if c.name not in TIMESTAMPS]
            rows = connection.execute(select(*columns)).all()
            out[name] = sorted(json.dumps([_plain(v) for v in row], sort_keys=True, default=str) for row in rows)
    return out


def _plain(value: Any) -> Any:
    return round(value, 6) if isinstance(value, float) else value


def entity(local_id: str, name: str, type_: str = "company", country: str | None = None,
           aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(local_id, name, type_, country, list(aliases), [Span(0, len(name), name)])  # type: ignore[arg-type]


def event(local_id: str, type_: str, roles: dict[str, list[str]], date: str | None = None,
          sentence: str = "It happened.") -> Event:
    precision = {4: "year", 7: "month", 10: "day"}
    value = DateValue(date, precision[len(date)], date) if date else None  # type: ignore[arg-type]
    return Event(local_id, type_, roles, [Span(0, len(sentence), sentence)], 0.8, value)


def extraction(text: str, entities: list[Entity], events: list[Event], doc_id: str = "d",
               published: str | None = "2021-06-15") -> Extraction:
    return Extraction(Document(doc_id, text, None, text[:30], published, "en"), entities, events)
