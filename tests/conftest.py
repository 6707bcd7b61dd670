"""Shared fixtures: one loaded extractor per test session (loading spaCy takes a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsintel.extract.extractor import Extractor
from newsintel.model import Document, Extraction


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor):  # type: ignore[no-untyped-def]
    """Extract a text we wrote, as an article of a given date."""

    def run(text: str, published: str | None = "2021-06-15") -> Extraction:
        return extractor.extract(Document(id="t", text=text, published=published, language="en"))

    return run


# -- stores: every test taking `store_url` runs on SQLite and on PostgreSQL --------------------------------

@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """One throwaway PostgreSQL server for the session (tests/pg.py), stopped at the end.

    Without server binaries the PostgreSQL tests are skipped, unless NEWSINTEL_REQUIRE_PG is set
    (`make test` sets it), in which case they fail: CI never silently skips them.
    """
    from tests.pg import PostgresServer, PostgresUnavailable, required

    try:
        server = PostgresServer.start()
    except PostgresUnavailable as error:
        if required():
            pytest.fail(f"NEWSINTEL_REQUIRE_PG is set but {error}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {error}")
    request.addfinalizer(server.stop)  # atexit stops it too, should the session die before this
    return server


@pytest.fixture(scope="session")
def pg_url(pg_server) -> str:  # type: ignore[no-untyped-def]
    """A database `newsintel` on the session's PostgreSQL server, shared by the whole session."""
    return pg_server.create_database("newsintel")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL to a fresh, empty database for this test: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    yield url
    server.drop_database(url.rsplit("/", 1)[1])
