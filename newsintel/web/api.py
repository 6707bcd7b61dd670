"""The JSON API: everything the pages show, from the same query functions as the CLI (docs/QUERIES.md).

Reads take a fresh connection per request; actions (ingest, merge, split) need
`Authorization: Bearer <NEWSINTEL_TOKEN>` and answer 403 on a read-only server.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, HTTPException, Query, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from newsintel.query import dossier as dossier_query
from newsintel.query import overview, since, stats, timeline
from newsintel.query.article import article as article_query
from newsintel.query.facts import load_facts
from newsintel.query.names import find_entity
from newsintel.query.search import search as search_query
from newsintel.web import actions
from newsintel.web.app import Conn, State
from newsintel.web.graph import LIMIT as GRAPH_LIMIT
from newsintel.web.graph import graph_json
from newsintel.web.views import link_sentences

router = APIRouter(prefix="/api", tags=["api"])
Json = dict[str, Any]
Authorization = Annotated[str | None, Header(description="Bearer <NEWSINTEL_TOKEN>")]


@router.get("/stats", summary="Store counts (as `newsintel stats --json`)")
def get_stats(conn: Conn) -> Json:
    return stats.stats(conn)


@router.get("/home", summary="The home page: counts, latest facts, most active actors")
def get_home(conn: Conn, latest: Annotated[int, Query(ge=1, le=100)] = 10,
             actors: Annotated[int, Query(ge=1, le=100)] = 10) -> Json:
    return home_data(conn, latest, actors)


def home_data(conn: Conn, latest: int = 10, actors: int = 10) -> Json:
    return {"stats": stats.stats(conn), "latest_facts": link_sentences(conn, overview.latest_facts(conn, latest)),
            "active_actors": overview.active_actors(conn, actors)}


@router.get("/search", summary="Articles (full text) and entities (names) matching the text")
def get_search(conn: Conn, q: Annotated[str, Query(max_length=500)],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Json:
    return search_query(conn, q, limit)


@router.get("/entity/{name:path}", summary="The dossier of an entity (id or name, forgiving); 404 with suggestions")
def get_entity(conn: Conn, name: str, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Json:
    return entity_data(conn, name, limit)


def entity_data(conn: Conn, name: str, limit: int = 500) -> Json:
    """The dossier of QUERIES.md, each source with an `href` to its sentence."""
    found = dossier_query.dossier(conn, find_entity(conn, name)["id"], limit=limit)
    link_sentences(conn, found["facts"])
    return found


@router.get("/timeline", summary="Facts in time order, filtered")
def get_timeline(conn: Conn, entity: str | None = None, type: str | None = None, country: str | None = None,
                 since: str | None = None, until: str | None = None,
                 limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> list[Json]:
    return timeline_data(conn, entity, type, country, since, until, limit)


def timeline_data(conn: Conn, entity: str | None, type: str | None, country: str | None, since: str | None,
                  until: str | None, limit: int = 200) -> list[Json]:
    entity_id = find_entity(conn, entity)["id"] if entity else None
    found = timeline.timeline(conn, entity_id=entity_id, type=type or None, country=country or None,
                              since=since or None, until=until or None, limit=limit)
    return link_sentences(conn, found)


@router.get("/network", summary="The actor graph (node-link JSON with edge colours), filtered")
def get_network(conn: Conn, entity: str | None = None, depth: Annotated[int, Query(ge=1, le=3)] = 2,
                type: Annotated[list[str] | None, Query()] = None, country: str | None = None,
                since: str | None = None, until: str | None = None,
                limit: Annotated[int, Query(ge=1, le=2000)] = GRAPH_LIMIT) -> Json:
    entity_id = find_entity(conn, entity)["id"] if entity else None
    types = [t for t in type or [] if t]
    return graph_json(conn, entity_id, depth, types, country or None, since or None, until or None, limit)


@router.get("/article/{document_id}", summary="An article: clean text, mentions with spans, facts with evidence")
def get_article(conn: Conn, document_id: str) -> Json:
    return article_query(conn, document_id)


@router.get("/facts", summary="Facts first stored since a date or timestamp (as `newsintel since`)")
def get_facts_since(conn: Conn, since_date: Annotated[str, Query(alias="since")],
                    limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> list[Json]:
    return link_sentences(conn, since.facts_since(conn, since_date, limit=limit))


@router.get("/facts/{fact_id}", summary="One fact with its sources")
def get_fact(conn: Conn, fact_id: str) -> Json:
    found = load_facts(conn, [fact_id])
    if not found:
        raise HTTPException(404, f"no fact with id {fact_id!r}")
    return link_sentences(conn, found)[0]


class IngestResult(BaseModel):
    status: str = Field(description="stored | duplicate (stored, a near-duplicate) | skipped (already stored)")
    document_id: str
    facts: int
    href: str


class MergeRequest(BaseModel):
    a: str = Field(description="the entity to keep (name or id)")
    b: str = Field(description="the entity merged into it")


class SplitRequest(BaseModel):
    a: str = Field(description="the entity to split (name or id)")


@router.post("/ingest", summary="Store a pasted or uploaded article (token required)")
async def post_ingest(state: State, authorization: Authorization = None,
                      file: Annotated[UploadFile | None, File()] = None,
                      text: Annotated[str | None, Form()] = None, title: Annotated[str | None, Form()] = None,
                      url: Annotated[str | None, Form()] = None,
                      published: Annotated[str | None, Form()] = None) -> IngestResult:
    actions.check_token(state, actions.bearer(authorization))
    name = None
    if file is not None and file.filename:
        name = file.filename
        text = actions.decode_upload(await file.read(), name)
    if not text:
        raise HTTPException(422, "give the article as `text` or as a `file`")
    done = await run_in_threadpool(actions.ingest_text, state, text, name, title, url, published)
    return IngestResult(status=done.status, document_id=done.document_id, facts=done.facts,
                        href=f"/article/{done.document_id}")


@router.post("/merge", summary="Merge entity b into a (token required)")
def post_merge(state: State, body: MergeRequest, authorization: Authorization = None) -> Json:
    actions.check_token(state, actions.bearer(authorization))
    keep = actions.merge(state, body.a, body.b)
    return {"kept": keep, "href": f"/entity/{keep}"}


@router.post("/split", summary="Split an entity: undo merges into it, or separate its names (token required)")
def post_split(state: State, body: SplitRequest, authorization: Authorization = None) -> Json:
    actions.check_token(state, actions.bearer(authorization))
    return {"split_off": actions.split(state, body.a)}
