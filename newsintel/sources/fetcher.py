"""Safe HTTP(S): bytes or a reason, never an exception, and never a request we did not check.

Every hop (the first URL and each redirect, which we follow ourselves) is checked: http(s) only, no
credentials, the host resolved once and every address vetted (no loopback, private, link-local,
multicast, reserved or unspecified address unless allowed), robots.txt honoured, a per-host pause
kept; the connection then goes to the vetted address itself (the Host header and TLS name stay the
host's), so a second DNS answer cannot swap in another address (no DNS-rebinding window).
Bodies are read in chunks up to a size cap (also after gzip decoding) and a total deadline.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsintel import __version__
from newsintel.sources.robots import RobotsCache

USER_AGENT = f"newsintel/{__version__} (+https://example.invalid/newsintel)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (TCP), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class FetcherOptions:
    """How the fetcher behaves; `from_env` reads NEWSINTEL_ALLOW_PRIVATE and NEWSINTEL_ALLOW_NETWORKS."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 10.0  # per read; `total_timeout` bounds a whole response
    total_timeout: float = 60.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    min_interval: float = 1.0  # seconds between two requests to one host (robots' Crawl-delay can raise it)
    allow_private: bool = False  # loopback, private, link-local... (a local mirror)
    allowed_networks: tuple[str, ...] = ()  # networks allowed even when private ("10.0.0.5/32")
    robots: bool = True
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def from_env(cls, **overrides: Any) -> FetcherOptions:
        values: dict[str, Any] = {"allow_private": env_flag("NEWSINTEL_ALLOW_PRIVATE")}
        networks = os.environ.get("NEWSINTEL_ALLOW_NETWORKS", "")
        values["allowed_networks"] = tuple(n.strip() for n in networks.split(",") if n.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["allow_private"] = bool(values["allow_private"]) or env_flag("NEWSINTEL_ALLOW_PRIVATE")
        return cls(**values)


@dataclass(frozen=True)
class Response:
    """A complete answer: final URL after redirects, status (200 or 304) and the body's bytes."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


@dataclass(frozen=True)
class FetchFailure:
    """Why a URL could not be fetched (one line, for the analyst)."""

    url: str
    reason: str


class Refused(Exception):
    """Internal: a check or the transfer failed; the message is the reason."""


def address_problem(address: str, options: FetcherOptions) -> str | None:
    """Why `address` may not be contacted (e.g. "loopback address 127.0.0.1"), or None."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if options.allow_private or any(ip in ipaddress.ip_network(n, strict=False) for n in options.allowed_networks):
        return None
    for flag in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{flag}"):
            return f"{flag.replace('_', '-')} address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a vetted address; the Host header stays the URL's host."""

    def __init__(self, host: str, port: int, address: str, options: FetcherOptions) -> None:
        super().__init__(host, port, timeout=options.connect_timeout)
        self._address, self._read_timeout = address, options.read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.settimeout(self._read_timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a vetted address; certificate and SNI checked against the URL's host."""

    def __init__(self, host: str, port: int, address: str, options: FetcherOptions) -> None:
        super().__init__(host, port, timeout=options.connect_timeout, context=ssl.create_default_context())
        self._address, self._read_timeout = address, options.read_timeout

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        self.sock.settimeout(self._read_timeout)


class Fetcher:
    """GETs with conditional headers, robots.txt and per-host pauses; POSTs JSON (webhooks)."""

    def __init__(self, options: FetcherOptions | None = None) -> None:
        self.options = options or FetcherOptions()
        self.robots = RobotsCache(self._robots_get, self.options.user_agent)
        self._last: dict[str, float] = {}  # host:port -> time of the last request (monotonic)
        self._lock = threading.Lock()
        self.requests = 0  # requests sent (for reports and tests)

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response | FetchFailure:
        """GET `url`, following up to max_redirects redirects, each hop checked; 304 when unchanged."""
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, robots=self.options.robots)

    def post_json(self, url: str, payload: Any) -> Response | FetchFailure:
        """POST `payload` as JSON (redirects are not followed: a 3xx is a failure)."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            response = self._request(url, "POST", {"Content-Type": "application/json"}, body)
        except Refused as error:
            return FetchFailure(url, str(error))
        if not 200 <= response.status < 300:
            return FetchFailure(url, f"HTTP {response.status}")
        return response

    def _robots_get(self, url: str) -> tuple[int, bytes] | str:
        """robots.txt itself: (status, body) or a failure reason (its own redirects checked too)."""
        visited = {url}
        try:
            for _hop in range(self.options.max_redirects + 1):
                response = self._request(url, "GET", {}, None)
                if response.status not in REDIRECTS or "location" not in response.headers:
                    return response.status, response.body
                url = urljoin(url, response.headers["location"].strip())
                if url in visited:
                    return "redirect loop"
                visited.add(url)
            return "too many redirects"
        except Refused as error:
            return str(error)

    def _follow(self, url: str, headers: dict[str, str], robots: bool) -> Response | FetchFailure:
        visited: set[str] = set()
        current = url
        try:
            for _hop in range(self.options.max_redirects + 1):
                visited.add(current)
                if robots:
                    self._vet(current)  # an address we may not contact is not even asked for robots.txt
                    if reason := self.robots.disallowed(current):
                        raise Refused(reason)
                response = self._request(current, "GET", headers, None)
                if response.status not in REDIRECTS:
                    if response.status in (200, 304):
                        return response
                    raise Refused(f"HTTP {response.status}")
                location = response.headers.get("location")
                if not location:
                    raise Refused(f"HTTP {response.status} without a Location")
                current = urljoin(current, location.strip())
                if current in visited:
                    raise Refused(f"redirect loop at {current}")
            raise Refused(f"more than {self.options.max_redirects} redirects")
        except Refused as error:
            return FetchFailure(url, str(error) if current == url else f"{error} (via {current})")

    def _vet(self, url: str) -> tuple[str, str, int, str]:
        """(scheme, host, port, address) of a URL that may be fetched, else Refused."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise Refused(f"only http(s) URLs are fetched, not {scheme or 'no scheme'}:")
        if parts.username or parts.password:
            raise Refused("URLs with credentials are not fetched")
        try:
            host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
        except ValueError as error:
            raise Refused(f"bad URL: {error}") from None
        if not host:
            raise Refused("URL without a host")
        try:
            addresses = self.options.resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise Refused(f"DNS: cannot resolve {host}: {error}") from None
        if not addresses:
            raise Refused(f"DNS: no address for {host}")
        for address in addresses:  # every address must pass, whichever the connection would use
            problem = address_problem(address, self.options)
            if problem:
                raise Refused(f"refused: {host} resolves to a {problem} (allow with --allow-private)")
        return scheme, host, port, addresses[0]

    def _wait_turn(self, host: str, url: str) -> None:
        """Sleep until `host` may be asked again: min_interval, or robots.txt's Crawl-delay (<= 60 s)."""
        delay = self.robots.crawl_delay(url) if self.options.robots else None
        with self._lock:
            interval = max(self.options.min_interval, min(delay or 0.0, 60.0))
            wait = self._last.get(host, -1e9) + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()

    def _request(self, url: str, method: str, headers: dict[str, str], body: bytes | None) -> Response:
        scheme, host, port, address = self._vet(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pinned = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = pinned(host, port, address, self.options)
        self._wait_turn(f"{host}:{port}", url)
        deadline = time.monotonic() + self.options.total_timeout
        try:
            self.requests += 1
            connection.request(method, target, body=body, headers={
                "User-Agent": self.options.user_agent, "Accept-Encoding": "gzip", "Connection": "close",
                "Accept": "*/*", **headers})
            raw = connection.getresponse()
            answer = {k.lower(): v for k, v in raw.getheaders()}
            data = b"" if raw.status in REDIRECTS or raw.status == 304 else self._read(raw, answer, deadline)
        except TimeoutError:
            raise Refused(f"timeout after {self.options.read_timeout:g}s") from None
        except ssl.SSLError as error:
            raise Refused(f"TLS: {error.reason or error}") from None
        except (OSError, http.client.HTTPException) as error:
            raise Refused(f"connection failed: {error.__class__.__name__}: {error}") from None
        finally:
            connection.close()
        return Response(url, raw.status, data, answer)

    def _read(self, raw: http.client.HTTPResponse, headers: dict[str, str], deadline: float) -> bytes:
        """The body, at most max_bytes (decoded), read in chunks; Refused beyond the cap or deadline."""
        cap = self.options.max_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap and "gzip" not in headers.get("content-encoding", ""):
            raise Refused(f"too big: {int(length):,} bytes announced, above the {cap:,} byte cap")
        gzipped = headers.get("content-encoding", "").strip().lower() in ("gzip", "x-gzip")
        inflate = zlib.decompressobj(wbits=31) if gzipped else None
        parts: list[bytes] = []
        size = 0
        while chunk := raw.read1(65536):
            if time.monotonic() > deadline:
                raise Refused(f"timeout: response took over {self.options.total_timeout:g}s")
            if inflate is not None:
                chunk = inflate.decompress(chunk, cap + 1 - size)
                if inflate.unconsumed_tail:
                    size = cap + 1
            size += len(chunk)
            if size > cap:
                raise Refused(f"too big: above the {cap:,} byte cap (reading stopped)")
            parts.append(chunk)
        return b"".join(parts)
