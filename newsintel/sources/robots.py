"""robots.txt, fetched once per host (scheme://host:port) and kept for a day, via urllib.robotparser.

RFC 9309: a 4xx robots.txt means no rules (everything allowed); a 5xx or an unreachable one means
"assume complete disallow" until it can be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

TTL = 24 * 3600.0
MAX_ROBOTS_BYTES = 500_000
Get = Callable[[str], "tuple[int, bytes] | str"]  # url -> (status, body) or a failure reason


class RobotsCache:
    """Answers "may this URL be fetched?" for one user agent, reading each host's robots.txt once."""

    def __init__(self, get: Get, user_agent: str) -> None:
        self._get = get
        self.agent = user_agent.split("/")[0]  # the product token ("newsintel") that rules name
        self._cache: dict[str, tuple[float, RobotFileParser | str | None]] = {}

    def _rules(self, url: str) -> RobotFileParser | str | None:
        """The host's parsed rules, None (no rules) or the reason everything is disallowed."""
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        cached = self._cache.get(root)
        if cached is not None and time.monotonic() - cached[0] < TTL:
            return cached[1]
        answer = self._get(root + "/robots.txt")
        rules: RobotFileParser | str | None
        if isinstance(answer, str):
            rules = f"robots.txt unreachable ({answer}): disallowed until it can be read"
        elif answer[0] >= 500:
            rules = f"robots.txt answered HTTP {answer[0]}: disallowed until it can be read"
        elif answer[0] >= 400 or answer[0] == 304:
            rules = None
        else:
            parser = RobotFileParser()
            text = answer[1][:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
            rules = parser
        self._cache[root] = (time.monotonic(), rules)
        return rules

    def disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids `url`, or None when it may be fetched."""
        rules = self._rules(url)
        if rules is None:
            return None
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(self.agent, url) else "disallowed by robots.txt"

    def crawl_delay(self, url: str) -> float | None:
        """The host's Crawl-delay for us, if its robots.txt (already read) gives one."""
        parts = urlsplit(url)
        cached = self._cache.get(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", "")))
        if cached is None or not isinstance(cached[1], RobotFileParser):
            return None
        delay = cached[1].crawl_delay(self.agent)
        return float(delay) if delay is not None else None
