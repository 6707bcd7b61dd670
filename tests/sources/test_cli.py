"""The CLI: source add/list/remove, watchlist, fetch with a digest and a webhook, watch --once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from newsintel.cli.source_commands import COMMANDS
from tests.sources.server import Site

cli = click.Group("newsintel", commands={command.name or "": command for command in COMMANDS})
FAST = ["--allow-private", "--timeout", "0.5", "--min-interval", "0", "--max-bytes", "200000"]


@pytest.fixture
def run(tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Invoke a command on a store in tmp_path; the session's Extractor is reused."""
    import newsintel.extract.extractor as module

    monkeypatch.setattr(module, "Extractor", lambda options=None: extractor)
    db = str(tmp_path / "cli.db")

    def invoke(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(cli, [*args, "--db", db])
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def test_the_whole_loop_from_the_command_line(run: Any, site: Site, hook: Site, tmp_path: Path) -> None:
    assert "added source 1 'wire'" in run("source", "add", f"{site.base}/feed.xml?utm_source=x", "--name", "wire",
                                          "--every", "1h")
    run("source", "add", f"{site.base}/broken-feed.xml", "--name", "broken", "--kind", "feed")
    assert "already exists" in run("source", "add", f"{site.base}/feed.xml", code=1)
    assert "not a duration" in run("source", "add", f"{site.base}/x.xml", "--every", "soon", code=1)
    assert "watching Zhongxing Sensing [sanction, export_control]" in run(
        "watchlist", "add", "Zhongxing Sensing", "--type", "sanction,export_control")
    run("watchlist", "webhook", f"{hook.base}/alerts")
    listing = run("watchlist", "list")
    assert "Zhongxing Sensing" in listing and f"webhook: {hook.base}/alerts" in listing

    refused = run("fetch", "--timeout", "0.5", code=1)  # no --allow-private: 127.0.0.1 is refused
    assert "loopback address 127.0.0.1" in refused and sum(site.hits.values()) == 0

    digest = tmp_path / "digest.md"
    output = run("fetch", "--all", *FAST, "--digest", str(digest), code=1)  # some articles fail: exit 1
    assert "wire: 9 listed, 3 new stored" in output and "broken: FAILED: HTTP 500" in output
    assert "1 new fact(s) about watched actors" in output and "zhongxing.html" in output
    assert "Zhongxing Sensing" in digest.read_text(encoding="utf-8")
    assert hook.posts and hook.posts[0][2]["facts"][0]["type"] == "sanction"

    sources = json.loads(run("source", "list", "--json"))
    assert [(s["name"], s["kind"], s["failures"], s["every"]) for s in sources] == [
        ("wire", "feed", 0, "1h"), ("broken", "feed", 2, "30m")]
    assert "no source is due" in run("watch", "--once", *FAST)
    assert "removed source 'broken'" in run("source", "remove", "broken")
    assert "removed 1 entry" in run("watchlist", "remove", "zhongxing sensing")
    assert "webhook: none" in run("watchlist", "webhook", "--clear")
