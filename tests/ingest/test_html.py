"""extract_html: the article body, title, date and URL of a page, and no crash on junk."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsintel.ingest.html import extract_html

PAGE = (Path(__file__).parent / "fixtures" / "article.html").read_text(encoding="utf-8")


def test_page_gives_body_title_date_and_canonical_url() -> None:
    page = extract_html(PAGE)
    assert page.title == "Nordlake Robotics buys sensor maker Quillfen"
    assert page.published == "2022-04-14"
    assert page.url == "https://ledger.example.org/tech/2022/04/14/nordlake-buys-quillfen"
    assert "agreed to acquire the lidar sensor developer Quillfen for 240 million euros" in page.text
    assert "protect the company against export restrictions on optical parts." in page.text


@pytest.mark.parametrize(
    "clutter",
    ["Sign in", "We use cookies", "tracking", "font-family", "Robot makers race", "Great news for the region",
     "Leave a comment", "newsletter", "All rights reserved", "Privacy policy"],
)
def test_page_chrome_is_left_out(clutter: str) -> None:
    assert clutter not in extract_html(PAGE).text


@pytest.mark.parametrize("junk", ["", "<<<>>>", "\x00\x01\x02", "<html><body>" + "<div>" * 3000, "<p"])
def test_malformed_html_gives_empty_text_not_an_exception(junk: str) -> None:
    assert extract_html(junk).text == ""
