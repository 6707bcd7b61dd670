"""Full-text search over articles (FTS5 on SQLite, tsvector on PostgreSQL) and over entity names.

The query text is untrusted: it only ever travels as a bound parameter, and on SQLite each of its
words becomes a quoted FTS5 string, so operators (OR, NOT, NEAR, *, -, ^, quotes) are plain words.
All words must match (as with PostgreSQL's plainto_tsquery).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, case, func, literal, select, text

from newsintel.query.facts import batched
from newsintel.query.names import escape_like, prefix_condition
from newsintel.refdata import normalize_name
from newsintel.store.schema import aliases, documents, entities

LIMIT = 20
# A query matching more articles than this ranks only the most recently stored RANK_WINDOW of them:
# ranking every match of a common word (half a large store) costs more than an interactive answer may,
# and for such words the recent articles are the ones an analyst is after.
RANK_WINDOW = 2_000
MARK = "**"  # around matched words in snippets, on both dialects
_WORD = re.compile(r"\w+")


def search(conn: Connection, text: str, limit: int = LIMIT, window: int = RANK_WINDOW) -> dict[str, Any]:
    """{"documents": [{"id","title","published","url","snippet","rank"}], "entities": [{"id","name","type"}]}.

    Documents best first (`rank`: higher is better, comparable within one answer); near-duplicates
    of an article already stored are left out. When more than `window` articles match, only the
    `window` most recently stored are ranked and the answer says "ranked_among_latest": window.
    Entities: exact name or alias, then prefix, then contains.
    """
    search_documents = _documents_sqlite if conn.dialect.name == "sqlite" else _documents_pg
    found, capped = search_documents(conn, text, limit, window)
    result: dict[str, Any] = {"documents": found, "entities": search_entities(conn, text, limit)}
    if capped:
        result["ranked_among_latest"] = window
    return result


def fts5_query(text: str) -> str:
    """The FTS5 MATCH expression for untrusted text: each word a quoted string, all required."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in _WORD.findall(text))


def _documents_sqlite(conn: Connection, query_text: str, limit: int, window: int) -> tuple[list[dict[str, Any]], bool]:
    """FTS5 ranks on its own first (ORDER BY rank LIMIT, no join), then the page is completed.

    Only matches from the `window`-th newest on are ranked (a rowid range FTS5 reads cheaply). The
    best `size` matches are read; near-duplicates are dropped and the page is exact as long as
    `limit` originals score strictly better than the last match read (else four times as many are
    read). Snippets are made for the final page only.
    """
    match = fts5_query(query_text)
    if not match or limit <= 0:
        return [], False
    # the newest match left out of the window, if any: ranking reads only rowids above it
    floor = conn.execute(text(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match ORDER BY rowid DESC LIMIT 1 OFFSET :skip"),
        {"match": match, "skip": window}).scalar()
    ranked = text(
        "SELECT rowid, document_id, rank FROM documents_fts WHERE documents_fts MATCH :match AND rowid > :floor "
        "AND rank MATCH 'bm25(0.0, 3.0, 1.0)' ORDER BY rank LIMIT :size")
    size = 2 * limit + 10
    while True:
        hits = conn.execute(ranked, {"match": match, "floor": floor or 0, "size": size}).all()
        docs = _documents_by_id(conn, [h.document_id for h in hits])
        kept = [(h.rank, h.document_id, h.rowid) for h in hits
                if h.document_id in docs and docs[h.document_id].duplicate_of is None]
        if len(hits) < size:  # every match read
            page = sorted(kept)[:limit]
            break
        last = hits[-1].rank
        better = sorted(k for k in kept if k[0] < last)
        if len(better) >= limit:
            page = better[:limit]
            break
        size *= 4
    if not page:
        return [], floor is not None
    snippets = dict(conn.execute(text(
        "SELECT rowid, snippet(documents_fts, 2, :mark, :mark, '…', 16) FROM documents_fts "
        "WHERE documents_fts MATCH :match AND rowid IN (SELECT value FROM json_each(:rowids))"),
        {"mark": MARK, "match": match, "rowids": json.dumps([p[2] for p in page])}).tuples().all())
    found = [{"id": d.id, "title": d.title, "published": d.published, "url": d.url, "snippet": snippets.get(rowid),
              "rank": round(-score, 6)} for score, document_id, rowid in page for d in [docs[document_id]]]
    return found, floor is not None


def _documents_by_id(conn: Connection, ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in batched(ids):
        query = select(documents.c.id, documents.c.title, documents.c.published, documents.c.url,
                       documents.c.duplicate_of).where(documents.c.id.in_(chunk))
        found.update((row.id, row) for row in conn.execute(query))
    return found


def _documents_pg(conn: Connection, query_text: str, limit: int, window: int) -> tuple[list[dict[str, Any]], bool]:
    """Matching and ranking read the stored vector (documents.search_vector); headlines (costly: they
    re-parse the text) are made for the ranked page only.

    Each match read costs a visit to its row, so the plan is chosen by how many rows it visits.
    Reading backwards along ix_documents_sequence until `window` matches are found visits about
    window x documents / matches rows (~2 us each, measured); reading every match through the GIN
    index visits all of them (~5 us each: bitmap and sort). The planner misprices both (it does not
    price the @@ test), so we decide from its estimate of the matches: backwards once
    matches^2 > window x documents / 2, which keeps the worst case near 20,000 cheap visits.
    """
    if not _WORD.search(query_text) or limit <= 0:
        return [], False
    # Plan this statement for these words: a generic plan (psycopg prepares a statement run five
    # times) knows neither how common the words are nor the LIMIT, and picks the wrong reading.
    conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    matches, documents_total = _estimates(conn, query_text)
    # `sequence + 0` hides the index from the ORDER BY, so the GIN index is used and its matches sorted
    order = "d.sequence" if 2 * matches * matches > window * documents_total else "d.sequence + 0"
    sql = text(
        "WITH matches AS (SELECT d.id, d.sequence, ts_rank(d.search_vector, plainto_tsquery('english', :query)) "
        "  AS score FROM documents AS d WHERE d.search_vector @@ plainto_tsquery('english', :query) "
        f"  AND d.duplicate_of IS NULL ORDER BY {order} DESC LIMIT :window + 1), "
        "hits AS (SELECT latest.id, latest.score FROM "
        "  (SELECT id, score FROM matches ORDER BY sequence DESC LIMIT :window) AS latest "
        "  ORDER BY latest.score DESC, latest.id LIMIT :limit) "
        "SELECT d.id, d.title, d.published, d.url, hits.score, "
        "ts_headline('english', d.text, plainto_tsquery('english', :query), :options) AS snippet, "
        "(SELECT count(*) FROM matches) > :window AS capped "
        "FROM hits JOIN documents AS d ON d.id = hits.id ORDER BY hits.score DESC, d.id")
    options = f"StartSel={MARK}, StopSel={MARK}, MaxWords=30, MinWords=12, MaxFragments=1"
    rows = conn.execute(sql, {"query": query_text, "limit": limit, "window": window, "options": options}).all()
    found = [{"id": r.id, "title": r.title, "published": r.published, "url": r.url, "snippet": r.snippet,
              "rank": round(float(r.score), 6)} for r in rows]
    return found, bool(rows and rows[0].capped)


def _estimates(conn: Connection, query_text: str) -> tuple[float, float]:
    """The planner's estimates (no execution) of the documents matching, and of all documents."""
    estimate = text("EXPLAIN (FORMAT JSON) SELECT 1 FROM documents "
                    "WHERE search_vector @@ plainto_tsquery('english', :query)")
    plan: Any = conn.execute(estimate, {"query": query_text}).scalar()
    total = conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'documents'")).scalar()
    return float(plan[0]["Plan"]["Plan Rows"]), max(float(total or 0), 1.0)


def search_entities(conn: Connection, query_text: str, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Entities whose name or alias equals, starts with, or contains the text (normalised), in that order.

    Equal and prefix come from the aliases.norm index; the contains scan runs only when they leave room.
    """
    norm = normalize_name(query_text)
    if not norm:
        return []
    found = _entities(conn, prefix_condition(conn, norm), case((aliases.c.norm == norm, 0), else_=1), limit)
    if len(found) < limit:
        contains = aliases.c.norm.like(f"%{escape_like(norm)}%", escape="\\")
        more = _entities(conn, contains, literal(2), limit + len(found))
        found += [e for e in more if e not in found][:limit - len(found)]
    return found


def _entities(conn: Connection, condition: Any, grade: Any, limit: int) -> list[dict[str, Any]]:
    best = func.min(grade).label("grade")
    query = (select(entities.c.id, entities.c.name, entities.c.type, best)
             .join(aliases, aliases.c.entity_id == entities.c.id)
             .where(condition)
             .group_by(entities.c.id, entities.c.name, entities.c.type)
             .order_by(best, func.length(entities.c.name), entities.c.name, entities.c.id)
             .limit(limit))
    return [{"id": r.id, "name": r.name, "type": r.type} for r in conn.execute(query)]
