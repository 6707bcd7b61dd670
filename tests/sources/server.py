"""A local test site on 127.0.0.1: our fixture feeds, sitemaps and articles, plus misbehaving endpoints.

It counts every request by path, keeps request headers, answers 304 to matching validators, and
records POSTs (the webhook receiver).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
FEED_DATES = {1: "Wed, 06 Mar 2024 16:00:00 GMT", 2: "Thu, 07 Mar 2024 10:00:00 GMT"}


class Site:
    """State shared by the handler threads."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], Any]] = []
        self.feed_version = 1
        self.slow_seconds = 1.5
        self.base = ""
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.requests.clear()
            self.posts.clear()
            self.feed_version = 1

    def text(self, name: str) -> bytes:
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", self.base).encode("utf-8")

    def article_hits(self) -> int:
        return sum(n for path, n in self.hits.items() if path.startswith("/articles/"))


class Handler(BaseHTTPRequestHandler):
    server_version = "TestWire/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output quiet
        pass

    @property
    def site(self) -> Site:
        return self.server.site  # type: ignore[attr-defined, no-any-return]

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", headers={"Location": location})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with self.site.lock:
            self.site.hits[self.path] += 1
            self.site.posts.append((self.path, dict(self.headers), json.loads(body)))
        self._send(200, b'{"ok": true}', "application/json")

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.site.lock:
            self.site.hits[path] += 1
            self.site.requests.append((path, dict(self.headers)))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading: expected
            self._route(path)

    def _feed(self, version: int, validators: bool) -> None:
        etag, modified = f'"feed-v{version}"', FEED_DATES[version]
        asked = (self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
        if validators and (asked[0] == etag or asked[1] == modified):
            self._send(304, headers={"ETag": etag})
            return
        extra = {"ETag": etag, "Last-Modified": modified} if validators else {}
        self._send(200, self.site.text(f"feed_v{version}.xml"), "application/rss+xml; charset=utf-8", extra)

    def _route(self, path: str) -> None:  # a table of endpoints
        site = self.site
        if path == "/robots.txt":
            self._send(200, site.text("robots.txt"), "text/plain")
        elif path == "/feed.xml":
            self._feed(site.feed_version, validators=True)
        elif path == "/feed-plain.xml":
            self._feed(site.feed_version, validators=False)
        elif path == "/moved-feed.xml":
            self._redirect("/feed.xml", 301)
        elif path == "/clean-feed.xml":
            self._send(200, site.text("clean_feed.xml"), "application/atom+xml")
        elif path in ("/sitemap.xml", "/sitemap_index.xml"):
            self._send(200, site.text(path.lstrip("/")), "application/xml")
        elif path == "/links.html":
            self._send(200, site.text("links.html"))
        elif path.startswith("/articles/") and (FIXTURES / path.lstrip("/")).exists():
            self._send(200, site.text(path.lstrip("/")))
        elif path == "/private/secret.html":
            self._send(200, site.text("articles/secret.html"))
        elif path == "/slow.html":
            time.sleep(site.slow_seconds)
            self._send(200, site.text("articles/sony.html"))
        elif path in ("/broken.html", "/broken-feed.xml"):
            self._send(500, b"<h1>Internal Server Error</h1>")
        elif path == "/huge.html":  # streamed, no Content-Length: the reader must stop at its cap
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body><p>")
            for _ in range(64):  # 4 MB
                self.wfile.write(b"x" * 65536)
        elif path == "/gzip-bomb.html":
            self._send(200, gzip.compress(b"<p>" + b"0" * 3_000_000), headers={"Content-Encoding": "gzip"})
        elif path == "/gzip.html":
            self._send(200, gzip.compress(site.text("articles/sony.html")), headers={"Content-Encoding": "gzip"})
        elif path == "/loop/a":
            self._redirect("/loop/b")
        elif path == "/loop/b":
            self._redirect("/loop/a")
        elif path.startswith("/chain/"):
            self._redirect(f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/file")
        elif path == "/to-elsewhere":
            port = urlsplit(site.base).port
            self._redirect(f"http://elsewhere.test:{port}/articles/kestrel.html")
        elif path == "/notfeed.txt":
            self._send(200, b"just some words, no feed here\n", "text/plain")
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        else:
            self._send(404, b"<h1>Not Found</h1>")


def start() -> tuple[ThreadingHTTPServer, Site]:
    """A server on 127.0.0.1 (a free port) in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = Site()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.site = site  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, site
