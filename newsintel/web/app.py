"""The FastAPI application: one store, the API and the pages, strict security headers, local assets only.

`create_app(db_url, token)` opens an existing store (never creating one). Without a token the app is
read-only: every action answers 403 and the pages hide their forms.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Connection

from newsintel import __version__
from newsintel.errors import NewsIntelError
from newsintel.query.article import ArticleNotFound
from newsintel.query.names import EntityNotFound
from newsintel.store.db import Store, as_url, default_url, open_store
from newsintel.web.colours import types_css
from newsintel.web.limits import MAX_UPLOAD_BYTES, BodyLimit, SecurityHeaders

if TYPE_CHECKING:
    from newsintel.sources.fetch import Ingester

HERE = Path(__file__).parent


@dataclass
class WebState:
    """What every request shares: the store, the analyst token, and the ingester (its model loads on first use)."""

    store: Store
    token: str | None
    max_upload: int = MAX_UPLOAD_BYTES
    lock: threading.Lock = field(default_factory=threading.Lock)  # one writer at a time
    _ingester: Ingester | None = None

    @property
    def read_only(self) -> bool:
        return not self.token

    def ingester(self) -> Ingester:
        from newsintel.sources.fetch import Ingester

        if self._ingester is None:
            self._ingester = Ingester(self.store)
        return self._ingester


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def connection(request: Request) -> Iterator[Connection]:
    """A read connection for one request."""
    with state_of(request).store.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]
State = Annotated[WebState, Depends(state_of)]


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on for every template: article text is never trusted."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return Jinja2Templates(env=env)


def open_existing(db_url: str | None) -> Store:
    """The store at `db_url` (default $NEWSINTEL_DB, else ./newsintel.db); a missing SQLite file is an error."""
    url = as_url(db_url) if db_url else default_url()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise NewsIntelError(f"no store at {path}; run `newsintel ingest` first (or pass --db)")
    return open_store(url, create=False)


def create_app(db_url: str | None = None, token: str | None = None, max_upload: int = MAX_UPLOAD_BYTES) -> FastAPI:
    """The web app over the store at `db_url`; analyst actions need `token` (none: read-only)."""
    from newsintel.web import api, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.web.store.close()

    app = FastAPI(title="newsintel", lifespan=lifespan, version=__version__, docs_url=None, redoc_url=None,
                  description="The knowledge graph of technology-geopolitics news: entities, sourced facts, "
                              "articles. Shapes as in docs/QUERIES.md.")
    app.state.web = WebState(open_existing(db_url), token or None, max_upload)
    app.state.templates = templates()
    app.add_middleware(BodyLimit, max_bytes=max_upload)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _errors(app)

    @app.get("/assets/types.css", include_in_schema=False)
    def type_styles() -> Response:
        return Response(types_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI from the vendored files (FastAPI's default page loads it from a CDN, with inline script)."""
        return app.state.templates.TemplateResponse(request, "docs.html", {})

    return app


def _errors(app: FastAPI) -> None:
    """Library errors become 404/400 answers: JSON under /api, a page elsewhere."""

    def answer(request: Request, status: int, message: str, suggestions: list[str]) -> Response:
        if request.url.path.startswith("/api/"):
            body: dict[str, Any] = {"detail": message}
            if suggestions:
                body["suggestions"] = suggestions
            return JSONResponse(body, status_code=status)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message, "suggestions": suggestions,
                                    "read_only": state_of(request).read_only, "path": request.url.path},
            status_code=status)

    @app.exception_handler(EntityNotFound)
    def not_found(request: Request, error: EntityNotFound) -> Response:
        return answer(request, 404, str(error), error.suggestions)

    @app.exception_handler(ArticleNotFound)
    def no_article(request: Request, error: ArticleNotFound) -> Response:
        return answer(request, 404, str(error), [])

    @app.exception_handler(NewsIntelError)
    def bad_request(request: Request, error: NewsIntelError) -> Response:
        return answer(request, 400, str(error), [])
