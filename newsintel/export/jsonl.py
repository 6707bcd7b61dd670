"""Each stored document's SCHEMA extraction (../shared/eval/SCHEMA.md), rebuilt from the store.

`document` from the documents row (its `id` is the input's own id, documents.source_id), `entities`
from mentions (local ids, names, types, countries, spans; `aliases` are the other surface forms of
the spans, since the extraction's own alias list is not stored), `events` from doc_events (the SCHEMA
event objects as extracted, roles by local id). Documents in ingest order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from newsintel.export.selection import Selection, document_ids, rows
from newsintel.model import SCHEMA_VERSION
from newsintel.query.facts import batched
from newsintel.resolve.facts import event_from_dict, local_order
from newsintel.store.schema import doc_events, documents, mentions


def export_jsonl(conn: Connection, selection: Selection | None = None) -> Iterator[dict[str, Any]]:
    """One SCHEMA output object per selected document."""
    selection = selection or Selection()
    for chunk in batched(document_ids(conn, selection), 200):
        found: dict[str, list[dict[str, Any]]] = {}
        for row in conn.execute(select(mentions).where(mentions.c.document_id.in_(chunk))):
            found.setdefault(row.document_id, []).append(_entity(row))
        events: dict[str, list[dict[str, Any]]] = {}
        for row in conn.execute(select(doc_events).where(doc_events.c.document_id.in_(chunk))):
            events.setdefault(row.document_id, []).append(event_from_dict(row.local_id, row.data).to_dict())
        for doc in rows(conn, documents, documents.c.id, chunk, order=(documents.c.sequence,)):
            yield {
                "schema": SCHEMA_VERSION,
                "document": {"id": doc["source_id"], "url": doc["url"], "title": doc["title"],
                             "published": doc["published"], "language": doc["language"], "text": doc["text"]},
                "entities": sorted(found.get(doc["id"], []), key=lambda e: local_order(e["id"])),
                "events": sorted(events.get(doc["id"], []), key=lambda e: local_order(e["id"])),
            }


def _entity(row: Any) -> dict[str, Any]:
    spans = [{"start": int(s["start"]), "end": int(s["end"]), "text": s["text"]} for s in row.spans]
    others = sorted({s["text"] for s in spans if s["text"] != row.name})
    return {"id": row.local_id, "name": row.name, "type": row.type, "country": row.country, "aliases": others,
            "mentions": spans}
