"""Analyst actions (ingest, merge, split), shared by the API and the HTML forms, each behind the token.

The token is compared in constant time; with no token configured on the server every action is
refused (the app is read-only), whatever the request carries.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from fastapi import HTTPException

from newsintel.errors import InputError
from newsintel.model import RawDocument
from newsintel.web.app import WebState

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
AUTHOR = "web"


def check_token(state: WebState, given: str | None) -> None:
    """403 when the app is read-only or the token is wrong or missing."""
    if state.token is None:
        raise HTTPException(403, "read-only: this server has no NEWSINTEL_TOKEN, so analyst actions are off")
    if not given or not hmac.compare_digest(given.encode(), state.token.encode()):
        raise HTTPException(403, "a valid analyst token is required")


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


@dataclass(frozen=True)
class Ingested:
    status: str  # stored | duplicate | skipped
    document_id: str
    facts: int


def ingest_text(state: WebState, body: str, name: str | None = None, title: str | None = None,
                url: str | None = None, published: str | None = None) -> Ingested:
    """Extract and store one pasted or uploaded article (HTML when the file name says so, or it starts with a tag)."""
    body = body.strip()
    if not body:
        raise InputError(name or "pasted text", "empty article")
    is_html = (name or "").lower().endswith(HTML_SUFFIXES) or body[:1] == "<"
    doc_id = name or "web-" + hashlib.sha256(body.encode()).hexdigest()[:12]
    raw = RawDocument(id=doc_id, source=f"web:{doc_id}", text=None if is_html else body,
                      html=body if is_html else None, url=url or None, title=title or None,
                      published=published or None)
    with state.lock:
        outcome = state.ingester().ingest(raw)
    return Ingested(outcome.status, outcome.document_id, outcome.facts)


def decode_upload(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(name, "not UTF-8 text") from error


def merge(state: WebState, a: str, b: str) -> str:
    from newsintel.resolve.judgements import merge as run_merge

    with state.lock:
        return run_merge(state.store, a, b, AUTHOR)


def split(state: WebState, a: str) -> list[str]:
    from newsintel.resolve.judgements import split as run_split

    with state.lock:
        return list(run_split(state.store, a, AUTHOR))

