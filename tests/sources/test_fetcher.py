"""The safe fetcher against the local site: address guard, robots, caps, timeouts, redirects, politeness."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from newsintel.sources.fetcher import USER_AGENT, Fetcher, FetcherOptions, FetchFailure, Response, address_problem
from tests.sources.server import Site

MakeFetcher = Callable[..., Fetcher]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "224.0.0.1", "240.0.0.1", "100.64.0.1", "::1", "fe80::1",
                                     "fc00::1", "::", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"])
def test_non_public_addresses_are_refused_by_default(address: str) -> None:
    assert address_problem(address, FetcherOptions()) is not None
    assert address_problem(address, FetcherOptions(allow_private=True)) is None


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(address, FetcherOptions()) is None


def test_a_url_resolving_to_loopback_is_refused_without_any_request(site: Site, only_localhost: list[str]) -> None:
    fetcher = Fetcher(FetcherOptions(min_interval=0))
    for url in (f"{site.base}/feed.xml", site.base.replace("127.0.0.1", "localhost") + "/feed.xml"):
        result = fetcher.fetch(url)
        assert isinstance(result, FetchFailure)
        assert "loopback address" in result.reason and "--allow-private" in result.reason
    assert sum(site.hits.values()) == 0 and only_localhost == []


def test_the_allow_option_and_environment_let_a_local_mirror_through(site: Site,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(Fetcher(FetcherOptions(allow_private=True, min_interval=0)).fetch(f"{site.base}/feed.xml"),
                      Response)
    monkeypatch.setenv("NEWSINTEL_ALLOW_PRIVATE", "1")
    assert FetcherOptions.from_env().allow_private
    monkeypatch.setenv("NEWSINTEL_ALLOW_PRIVATE", "0")
    assert not FetcherOptions.from_env().allow_private


def test_each_redirect_hop_is_checked_again(site: Site, only_localhost: list[str]) -> None:
    """127.0.0.1 is allowed explicitly; a redirect to a host resolving to 10.1.2.3 is refused before connecting."""
    names = {"127.0.0.1": ["127.0.0.1"], "elsewhere.test": ["10.1.2.3"]}
    fetcher = Fetcher(FetcherOptions(allowed_networks=("127.0.0.1/32",), min_interval=0,
                                     resolver=lambda host, port: names[host]))
    result = fetcher.fetch(f"{site.base}/to-elsewhere")
    assert isinstance(result, FetchFailure)
    assert "private address 10.1.2.3" in result.reason and "elsewhere.test" in result.reason
    assert set(only_localhost) == {"127.0.0.1"}


def test_named_user_agent_and_robots_read_once_per_host(site: Site, make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher()
    assert isinstance(fetcher.fetch(f"{site.base}/articles/sony.html"), Response)
    assert isinstance(fetcher.fetch(f"{site.base}/articles/kestrel.html"), Response)
    assert site.hits["/robots.txt"] == 1
    assert USER_AGENT.startswith("newsintel/") and "(+https://example.invalid/newsintel)" in USER_AGENT
    assert all(headers["User-Agent"] == USER_AGENT for _, headers in site.requests)


def test_robots_disallow_is_honoured(site: Site, make_fetcher: MakeFetcher) -> None:
    result = make_fetcher().fetch(f"{site.base}/private/secret.html")
    assert isinstance(result, FetchFailure) and result.reason == "disallowed by robots.txt"
    assert site.hits["/private/secret.html"] == 0


@pytest.mark.parametrize(("path", "reason"), [
    ("/slow.html", "timeout after 0.5s"),
    ("/broken.html", "HTTP 500"),
    ("/nothing-here", "HTTP 404"),
    ("/huge.html", "too big"),
    ("/gzip-bomb.html", "too big"),
    ("/loop/a", "redirect loop"),
    ("/chain/1", "more than 5 redirects"),
    ("/to-ftp", "only http(s) URLs"),
])
def test_failures_come_back_as_reasons(site: Site, make_fetcher: MakeFetcher, path: str, reason: str) -> None:
    started = time.monotonic()
    result = make_fetcher().fetch(site.base + path)
    assert isinstance(result, FetchFailure) and reason in result.reason
    assert time.monotonic() - started < 3


def test_other_schemes_are_refused(make_fetcher: MakeFetcher) -> None:
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/", "http://user:secret@127.0.0.1/"):
        result = make_fetcher().fetch(url)
        assert isinstance(result, FetchFailure)


def test_redirects_are_followed_and_gzip_is_decoded(site: Site, make_fetcher: MakeFetcher) -> None:
    moved = make_fetcher().fetch(f"{site.base}/moved-feed.xml")
    assert isinstance(moved, Response) and moved.url == f"{site.base}/feed.xml" and b"<rss" in moved.body
    page = make_fetcher().fetch(f"{site.base}/gzip.html")
    assert isinstance(page, Response) and b"Sony and Toyota" in page.body


def test_conditional_get_answers_304(site: Site, make_fetcher: MakeFetcher) -> None:
    first = make_fetcher().fetch(f"{site.base}/feed.xml")
    assert isinstance(first, Response) and first.status == 200
    again = make_fetcher().fetch(f"{site.base}/feed.xml", etag=first.headers["etag"])
    assert isinstance(again, Response) and again.status == 304 and again.body == b""
    by_date = make_fetcher().fetch(f"{site.base}/feed.xml", last_modified=first.headers["last-modified"])
    assert isinstance(by_date, Response) and by_date.status == 304


def test_requests_to_one_host_are_spaced(site: Site, make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher(min_interval=0.3)
    started = time.monotonic()
    for _ in range(3):  # robots.txt, then 3 pages: 4 requests, 3 pauses
        assert isinstance(fetcher.fetch(f"{site.base}/articles/sony.html"), Response)
    assert time.monotonic() - started >= 0.85


def test_webhook_post_follows_the_address_rule(hook: Site, make_fetcher: MakeFetcher) -> None:
    refused = Fetcher(FetcherOptions(min_interval=0)).post_json(f"{hook.base}/hook", {"a": 1})
    assert isinstance(refused, FetchFailure) and "loopback" in refused.reason
    assert hook.posts == []
    sent = make_fetcher().post_json(f"{hook.base}/hook", {"a": 1})
    assert isinstance(sent, Response) and hook.posts[0][2] == {"a": 1}
    assert hook.posts[0][1]["Content-Type"] == "application/json"


def test_https_goes_through_tls_to_the_vetted_address(site: Site, make_fetcher: MakeFetcher,
                                                      only_localhost: list[str]) -> None:
    """The local server speaks plain HTTP, so the TLS handshake (SNI/certificate for the host) fails cleanly."""
    result = make_fetcher(robots=False).fetch(site.base.replace("http://", "https://") + "/feed.xml")
    assert isinstance(result, FetchFailure) and result.reason.startswith(("TLS", "connection failed"))
    assert only_localhost == ["127.0.0.1"]
