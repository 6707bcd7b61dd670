"""Dates from datelines, URLs and metadata fields; titles; language."""

from __future__ import annotations

import pytest

from newsintel.ingest.metadata import (
    date_from_url,
    detect_language,
    find_dateline,
    guess_title,
    normalize_published,
)

BODY = "\n\nThe ministry said it would publish new export rules for chip equipment next month."


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("3 September 2020", "2020-09-03"),
        ("September 3, 2020", "2020-09-03"),
        ("Thursday 09/December/2021 - 04:37 PM", "2021-12-09"),
        ("2021-03-03", "2021-03-03"),
        ("Tuesday, 12 May 2020", "2020-05-12"),
        ("12 May 2020 10:15 AM", "2020-05-12"),
        ("Published on Sept. 3rd, 2020 | By Jane Doe", "2020-09-03"),
        ("By Jane Doe | Published 3 Sept. 2020", "2020-09-03"),
        ("LONDON, 3 May 2020 (Wire) - The government said on Monday it would ban the sale.", "2020-05-03"),
        ("LONDON, March 3 (Wire) - The government said it would ban the sale of the devices.", None),
        ("31 February 2020", None),
        ("14/02/2020", "2020-02-14"),
        ("03/04/2020", None),  # day and month could be either way round
    ],
)
def test_find_dateline(head: str, expected: str | None) -> None:
    assert find_dateline(head + BODY) == expected


def test_date_inside_an_ordinary_sentence_is_not_a_dateline() -> None:
    text = (
        "Chip rules tighten\n\nThe ministry said on 3 May 2020 that it would ban the sale of many kinds of "
        "equipment to the listed companies."
    )
    assert find_dateline(text) is None


def test_date_far_into_the_body_is_not_a_dateline() -> None:
    filler = "The ministry said it would publish new export rules for chip equipment next month. " * 10
    assert find_dateline(f"Chip rules tighten\n\n{filler}\n\n3 September 2020") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.org/2021/03/03/chip-rules", "2021-03-03"),
        ("https://news.example.org/world/20210303/chip-rules.html", "2021-03-03"),
        ("https://news.example.org/chip-rules-2021-03-03.html", "2021-03-03"),
        ("https://news.example.org/2021/03/chip-rules", "2021-03"),
        ("https://news.example.org/story/123456789", None),
        ("https://news.example.org/2021/13/45/x", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: str | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-09-03", "2020-09-03"),
        ("2020-09-03T10:00:00Z", "2020-09-03"),
        ("2020-09-03T23:30:00-05:00", "2020-09-03"),
        ("2020-09-03 10:00", "2020-09-03"),
        ("Thu, 03 Sep 2020 10:00:00 GMT", "2020-09-03"),
        ("3 September 2020", "2020-09-03"),
        ("September 3, 2020", "2020-09-03"),
        ("20200903", "2020-09-03"),
        ("2020-09", "2020-09"),
        ("2020", "2020"),
        ("2020-02-30", None),
        ("last week", None),
        ("", None),
    ],
)
def test_normalize_published(value: str, expected: str | None) -> None:
    assert normalize_published(value) == expected


def test_guess_title_skips_dates_and_bylines() -> None:
    text = "3 September 2020\n\nBy Jane Doe\n\nChip makers expand abroad\n\nThe companies said on Monday."
    assert guess_title(text) == "Chip makers expand abroad"


@pytest.mark.parametrize(
    "text",
    [
        "The companies said on Monday that they would merge.\n\nMore text follows here.",
        "Only one line here",
        "3 September 2020",
    ],
)
def test_guess_title_refuses_sentences_and_lone_lines(text: str) -> None:
    assert guess_title(text) is None


def test_detect_language() -> None:
    english = "The government announced a new plan for artificial intelligence research."
    assert detect_language(english) == "en"
    german = (
        "Die Bundesregierung hat am Mittwoch eine neue Strategie für künstliche Intelligenz vorgestellt. "
        "Das Programm soll Forschung und Unternehmen stärker fördern. "
        "Kritiker bemängeln, dass die Mittel zu spät kommen."
    )
    assert detect_language(german) == "de"
    assert detect_language("Hi.") is None


def test_guess_title_of_a_chinese_text() -> None:
    assert guess_title("人工智能发展计划\n\n政府发布了新的人工智能发展计划。") == "人工智能发展计划"
