"""A small store for the web tests: six sample articles about Huawei and sanctions, plus a hostile one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsintel.extract.extractor import Extractor
from newsintel.model import RawDocument
from newsintel.sources.fetch import Ingester
from newsintel.store.db import open_store
from newsintel.web.app import create_app

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "articles.jsonl"
PICKED = ("a01", "a02", "b02", "b06", "b09", "b10")  # Huawei, the Entity List, other sanctions
TOKEN = "test-token-0123456789"

HOSTILE_TITLE = "<script>alert(1)</script> Hostile & <b>bold</b> title"
HOSTILE_TEXT = (
    "<script>alert(1)</script> Hostile test page\n\n"
    "The U.S. Commerce Department added ZetaVolt Systems to the Entity List in May 2019, officials said. "
    "<img src=x onerror=alert(2)> See javascript:alert(3) and <a href=\"javascript:alert(4)\">this link</a> "
    "&amp; &lt;b&gt;not bold&lt;/b&gt; \"quoted\" 'single'.\n\n"
    "<svg onload=alert(5)></svg> The end.")


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """The session's store file (never changed by tests: those that write work on a copy)."""
    path = tmp_path_factory.mktemp("web") / "store.db"
    store = open_store(f"sqlite:///{path}")
    ingester = Ingester(store, extractor)
    with CORPUS.open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            if record["id"] in PICKED:
                ingester.ingest(RawDocument(id=record["id"], source=record["id"], text=record["text"],
                                            title=record.get("title"), url=record.get("url"),
                                            published=record.get("published")))
    ingester.ingest(RawDocument(id="hostile", source="hostile", text=HOSTILE_TEXT, title=HOSTILE_TITLE,
                                url="javascript:alert(6)", published="2019-05-20"))
    store.close()
    return path


@pytest.fixture(scope="session")
def client(web_db: Path) -> Iterator[TestClient]:
    """A read-only app (no token) over the session store."""
    with TestClient(create_app(str(web_db))) as test_client:
        yield test_client


@pytest.fixture
def writable(web_db: Path, tmp_path: Path, extractor: Extractor) -> Callable[..., TestClient]:
    """An app with a token over a copy of the store (the shared extractor, so no second model load)."""

    def make(token: str | None = TOKEN, max_upload: int | None = None) -> TestClient:
        copy = tmp_path / "store.db"
        shutil.copy(web_db, copy)
        app: FastAPI = create_app(str(copy), token, **({"max_upload": max_upload} if max_upload else {}))
        app.state.web._ingester = Ingester(app.state.web.store, extractor)
        return TestClient(app)

    return make


@pytest.fixture(scope="session")
def hostile_id(client: TestClient) -> str:
    found = client.get("/api/search", params={"q": "ZetaVolt"}).json()["documents"]
    assert found, "the hostile article should be stored and searchable"
    return str(found[0]["id"])
