"""One stored article as a reader sees it: clean text, the entities it mentions (with character spans)
and the facts it supports (with the span of each supporting sentence), for highlighting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, tuple_

from newsintel.errors import NewsIntelError
from newsintel.query.facts import BATCH, load_facts
from newsintel.store.schema import documents, entities, mentions, sources


class ArticleNotFound(NewsIntelError):
    """No stored document has this id."""


def article(conn: Connection, document_id: str) -> dict[str, Any]:
    """{"document": {"id","source_id","url","title","published","language","text","duplicate_of"},
    "mentions": [{"entity_id","name","type","spans": [{"start","end","text"}]}],
    "facts": [<fact> + "evidence": [{"start","end","sentence"}]]}.

    Mentions are linked to their canonical entity (its current name and type); `evidence` is where
    in this article's text each fact is said, first sentence first.
    """
    row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        raise ArticleNotFound(f"no article with id {document_id!r}")
    document = {key: row._mapping[key] for key in
                ("id", "source_id", "url", "title", "published", "language", "text", "duplicate_of")}
    query = (select(mentions.c.entity_id, mentions.c.spans, entities.c.name, entities.c.type)
             .join(entities, entities.c.id == mentions.c.entity_id)
             .where(mentions.c.document_id == document_id)
             .order_by(mentions.c.local_id))
    found = [{"entity_id": r.entity_id, "name": r.name, "type": r.type, "spans": list(r.spans or [])}
             for r in conn.execute(query)]
    cited = (select(sources.c.fact_id, sources.c.start, sources.c.end, sources.c.sentence)
             .where(sources.c.document_id == document_id)
             .order_by(sources.c.start, sources.c.fact_id))
    evidence: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(cited):
        evidence.setdefault(r.fact_id, []).append({"start": r.start, "end": r.end, "sentence": r.sentence})
    said = load_facts(conn, list(evidence))
    for fact in said:
        fact["evidence"] = evidence[fact["id"]]
    return {"document": document, "mentions": found, "facts": said}


def sentence_starts(conn: Connection, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(fact id, document id) -> start of the first sentence of that document stating the fact.

    Links from a fact to its sentence (`/article/<doc>#s-<start>`) need it; fact dicts carry the
    sentence text only.
    """
    starts: dict[tuple[str, str], int] = {}
    keys = list(dict.fromkeys(pairs))
    for offset in range(0, len(keys), BATCH):
        query = (select(sources.c.fact_id, sources.c.document_id, sources.c.start)
                 .where(tuple_(sources.c.fact_id, sources.c.document_id).in_(keys[offset:offset + BATCH])))
        for fact_id, document_id, start in conn.execute(query):
            key = (fact_id, document_id)
            starts[key] = min(start, starts.get(key, start))
    return starts
