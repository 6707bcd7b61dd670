"""The HTML pages: thin routes that call the API's data functions and render escaped templates.

Analyst forms post back here with the token in a form field (which also makes them useless to a
cross-site forger, who does not know it); success redirects to the result (303, post/redirect/get).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from newsintel.errors import NewsIntelError
from newsintel.query.article import article as article_query
from newsintel.query.facts import check_date
from newsintel.query.search import search as search_query
from newsintel.web import actions
from newsintel.web.api import entity_data, home_data, timeline_data
from newsintel.web.app import Conn, State, state_of
from newsintel.web.colours import ENTITY_COLOURS, EVENT_COLOURS
from newsintel.web.views import article_chunks, link_sentences, snippet_parts, timeline_chart

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=500)]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A template with what every page needs (nav, read-only state, type tables)."""
    base = {"read_only": state_of(request).read_only, "event_types": list(EVENT_COLOURS),
            "entity_types": list(ENTITY_COLOURS), "path": request.url.path}
    response: HTMLResponse = request.app.state.templates.TemplateResponse(request, name, {**base, **context},
                                                                          status_code=status)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "home.html", home_data(conn))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, conn: Conn, q: Text = None) -> HTMLResponse:
    found = search_query(conn, q, 30) if q else {"documents": [], "entities": []}
    for document in found["documents"]:
        document["parts"] = snippet_parts(document["snippet"])
    return render(request, "search.html", {"q": q or "", **found})


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity(request: Request, conn: Conn, name: str) -> HTMLResponse:
    found = entity_data(conn, name)
    cited: dict[str, dict[str, Any]] = {}
    for fact in found["facts"]:
        for source in fact["sources"]:
            entry = cited.setdefault(source["document_id"], {**source, "facts": 0})
            entry["facts"] += 1
    sources = sorted(cited.values(), key=lambda s: (s["published"] is None, s["published"] or "", s["title"] or ""))
    return render(request, "dossier.html", {**found, "chart": timeline_chart(found["facts"]), "sources": sources,
                                            "graph_src": "/api/network?" + urlencode(
                                                {"entity": found["entity"]["id"], "depth": 1})})


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, entity: Text = None, type: Annotated[list[str] | None, Query()] = None,
            country: Text = None, since: Text = None, until: Text = None) -> HTMLResponse:
    for value, what in ((since, "since"), (until, "until")):
        if value:
            check_date(value, what)
    types = [t for t in type or [] if t]
    params: list[tuple[str, str]] = [("type", t) for t in types]
    params += [(k, v) for k, v in (("entity", entity), ("country", country), ("since", since), ("until", until)) if v]
    return render(request, "network.html", {"types": types, "entity": entity or "", "country": country or "",
                                            "since": since or "", "until": until or "",
                                            "graph_src": "/api/network?" + urlencode(params),
                                            "colours": EVENT_COLOURS})


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, conn: Conn, entity: Text = None, type: Text = None, country: Text = None,
             since: Text = None, until: Text = None) -> HTMLResponse:
    found = timeline_data(conn, entity, type, country, since, until, 300)
    filters = {"entity": entity or "", "type": type or "", "country": country or "", "since": since or "",
               "until": until or ""}
    return render(request, "timeline.html", {"facts": found, "chart": timeline_chart(found), **filters})


@router.get("/article/{document_id}", response_class=HTMLResponse)
def article(request: Request, conn: Conn, document_id: str) -> HTMLResponse:
    found = article_query(conn, document_id)
    chunks = article_chunks(found["document"]["text"], found["mentions"], found["facts"])
    link_sentences(conn, found["facts"])
    return render(request, "article.html", {**found, "chunks": chunks})


@router.get("/analyst", response_class=HTMLResponse)
def analyst(request: Request) -> HTMLResponse:
    return render(request, "analyst.html", {"message": None, "error": None})


def _refused(request: Request, error: Exception, status: int) -> HTMLResponse:
    message = error.detail if isinstance(error, HTTPException) else str(error)
    return render(request, "analyst.html", {"message": None, "error": message}, status)


@router.post("/analyst/ingest", response_model=None)
async def analyst_ingest(request: Request, state: State, token: Annotated[str, Form()] = "",
                         text: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                         url: Annotated[str, Form()] = "", published: Annotated[str, Form()] = "",
                         file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:
        actions.check_token(state, token)
        name = None
        if file is not None and file.filename:
            name = file.filename
            text = actions.decode_upload(await file.read(), name)
        done = await run_in_threadpool(actions.ingest_text, state, text, name, title, url, published)
    except HTTPException as error:
        return _refused(request, error, error.status_code)
    except NewsIntelError as error:
        return _refused(request, error, 400)
    return RedirectResponse(f"/article/{done.document_id}", status_code=303)


@router.post("/analyst/merge", response_model=None)
def analyst_merge(request: Request, state: State, token: Annotated[str, Form()] = "",
                  a: Annotated[str, Form()] = "", b: Annotated[str, Form()] = "") -> Response:
    try:
        actions.check_token(state, token)
        keep = actions.merge(state, a, b)
    except HTTPException as error:
        return _refused(request, error, error.status_code)
    except NewsIntelError as error:
        return _refused(request, error, 400)
    return RedirectResponse(f"/entity/{quote(keep, safe=':')}", status_code=303)


@router.post("/analyst/split", response_class=HTMLResponse)
def analyst_split(request: Request, state: State, token: Annotated[str, Form()] = "",
                  a: Annotated[str, Form()] = "") -> HTMLResponse:
    try:
        actions.check_token(state, token)
        parts = actions.split(state, a)
    except HTTPException as error:
        return _refused(request, error, error.status_code)
    except NewsIntelError as error:
        return _refused(request, error, 400)
    return render(request, "analyst.html", {"message": f"split off: {', '.join(parts) or 'nothing'}",
                                            "error": None, "split_off": parts})
