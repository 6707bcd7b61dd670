"""Fixtures for live sources: a local site on 127.0.0.1, a webhook receiver, a fresh store, a fetcher.

A guard makes any connection to an address other than 127.0.0.1 fail the test: these tests never
contact the network.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newsintel.sources.fetch import Ingester
from newsintel.sources.fetcher import Fetcher, FetcherOptions
from newsintel.store.db import Store, open_store
from tests.sources.server import Site, start


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every outgoing connection is checked: 127.0.0.1 only."""
    original = socket.create_connection
    contacted: list[str] = []

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        contacted.append(address[0])
        if address[0] != "127.0.0.1":
            raise AssertionError(f"test tried to connect to {address[0]}")
        return original(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    monkeypatch.delenv("NEWSINTEL_ALLOW_PRIVATE", raising=False)
    monkeypatch.delenv("NEWSINTEL_ALLOW_NETWORKS", raising=False)
    return contacted


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[Site, Site]]:
    site_server, site = start()
    hook_server, hook = start()
    yield site, hook
    site_server.shutdown()
    hook_server.shutdown()


@pytest.fixture
def site(_servers: tuple[Site, Site]) -> Site:
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def hook(_servers: tuple[Site, Site]) -> Site:
    """A second server: the webhook receiver."""
    _servers[1].reset()
    return _servers[1]


@pytest.fixture
def store(tmp_path: Any) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


TEST_OPTIONS: dict[str, Any] = {"allow_private": True, "min_interval": 0.0, "connect_timeout": 0.5,
                                "read_timeout": 0.5, "total_timeout": 5.0, "max_bytes": 200_000}


@pytest.fixture
def make_fetcher() -> Callable[..., Fetcher]:
    """A fetcher with short timeouts, a 200 KB cap, no pause, and private addresses allowed (127.0.0.1)."""

    def make(**overrides: Any) -> Fetcher:
        return Fetcher(FetcherOptions(**{**TEST_OPTIONS, **overrides}))

    return make


@pytest.fixture
def ingester(store: Store, extractor: Any) -> Ingester:
    return Ingester(store, extractor)
