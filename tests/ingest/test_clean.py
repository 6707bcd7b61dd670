"""clean_text: character normalisation and clutter removal that never eats real sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsintel.ingest.clean import clean_text, strip_boilerplate_lines

FIXTURE = Path(__file__).parent / "fixtures" / "page_copy.txt"

CONTENT = [
    "Solvik Grid signs battery supply pact with Aramor Energy",
    "Tuesday, 12 May 2020 10:15 AM",
    "OSLO — Solvik Grid, the Norwegian power network operator, has signed a five-year agreement with "
    "Aramor Energy to buy storage batteries for its regional substations.",
    "The contract, worth about 1.2 billion kroner, covers the delivery of 300 battery units between 2021 "
    "and 2025, the companies said in a joint statement on Monday.",
    "Aramor Energy, which is backed by the state investment fund Nordvekst, said it would expand its "
    "factory in Trondheim and hire 150 additional workers to meet the order.",
    "Analysts at the consultancy Fjordline Research said the deal made Aramor the largest supplier of grid "
    "storage in the Nordic region by installed capacity.",
    "The agreement still needs the approval of the Norwegian energy regulator, which is expected to rule "
    "on it before the end of the summer.",
]

CLUTTER = [
    "Home | News",  # menu
    "Tweet",  # share bar
    "Advertisement",
    "ad ad ad",
    "Photo by",
    "READ MORE",
    "Why grid batteries are suddenly in demand",  # link title after READ MORE
    "Image: Aramor",
    "Related articles",
    "Oil major bets on hydrogen trucks",
    "EU weighs new rules",
    "الرئيسية",  # lone menu word in another script
    "cookies",
    "newsletter",
    "Harbour Press",
    "©",
    "All rights reserved",
    "Leave a comment",
    "will not be published",
    "Comments are closed",
]


@pytest.fixture(scope="module")
def cleaned() -> str:
    return clean_text(FIXTURE.read_text(encoding="utf-8"))


def test_page_copy_keeps_every_content_paragraph_in_order(cleaned: str) -> None:
    assert cleaned.split("\n\n") == CONTENT


@pytest.mark.parametrize("clutter", CLUTTER)
def test_page_copy_clutter_is_gone(cleaned: str, clutter: str) -> None:
    assert clutter not in cleaned


def test_repeated_title_and_duplicate_caption_are_kept_once() -> None:
    text = (
        "Ministry unveils chip plan\n\nMinistry unveils chip plan\n\n"
        "The ministry published its plan today."
    )
    assert clean_text(text) == "Ministry unveils chip plan\n\nThe ministry published its plan today."


def test_characters_are_normalised() -> None:
    raw = "Moscow\u2019s \u201cplan\u201d\u00a0costs\u2009$5\u200b bn  now.\r\n\r\n\r\n  Next\tline. "
    assert clean_text(raw) == "Moscow's \"plan\" costs $5 bn now.\n\nNext line."


def test_clean_text_is_idempotent() -> None:
    once = clean_text(FIXTURE.read_text(encoding="utf-8"))
    assert clean_text(once) == once


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "The regulator said on Monday that the two companies had agreed to\n"
        "sell their joint venture to a group of regional investors.\nA second line."
    )
    assert clean_text(text).split("\n\n") == [
        "The regulator said on Monday that the two companies had agreed to sell their joint venture to a "
        "group of regional investors.",
        "A second line.",
    ]


def test_long_sentences_with_clutter_words_survive() -> None:
    lines = [
        "The firm will share its home-grown chip designs with news agencies and print shops across the "
        "region, its chief executive said.",
        "Regulators said the use of cookies by the advertising network breached privacy law, and fined the "
        "company 20 million euros over the practice last year after a two-year inquiry into it.",
    ]
    assert strip_boilerplate_lines(lines) == lines


def test_credit_is_cut_from_a_long_paragraph_but_the_paragraph_stays() -> None:
    body = " ".join(["The provincial government approved the new subsidy scheme for chip makers."] * 5)
    assert clean_text(f"{body} (Photo: Anna Berg)") == body


def test_about_us_blurb_and_its_heading_are_dropped_at_the_end() -> None:
    text = (
        "Kestrel Systems won a contract to supply radar units to the coast guard, the agency said.\n\n"
        "Polar Review\n\n"
        "Polar Review is specialized in energy and security reporting. Our goal is to give readers clear "
        "analysis of the Arctic economy."
    )
    assert clean_text(text) == (
        "Kestrel Systems won a contract to supply radar units to the coast guard, the agency said."
    )


def test_quoted_goal_statement_at_the_end_is_content() -> None:
    text = (
        "The merger was approved by shareholders on Friday.\n\n"
        '"Our goal is to build the best sensors in Europe," the chief executive said of the merger.'
    )
    assert clean_text(text) == text


def test_comment_section_after_the_article_is_cut_with_the_comments() -> None:
    text = (
        "The city council adopted its artificial intelligence strategy on Tuesday after a long debate.\n\n"
        "The plan sets targets for public services and schools over the next five years.\n\n"
        "2 thoughts on \"City adopts AI strategy\"\n\n"
        "I think this is a waste of money and the council should fix the roads first instead."
    )
    assert clean_text(text).split("\n\n") == [
        "The city council adopted its artificial intelligence strategy on Tuesday after a long debate.",
        "The plan sets targets for public services and schools over the next five years.",
    ]


def test_comment_form_in_another_language_is_dropped() -> None:
    text = (
        "The agency signed a cooperation agreement with the university on Monday.\n\n"
        "Deja una respuesta\n\n"
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *"
    )
    assert clean_text(text) == "The agency signed a cooperation agreement with the university on Monday."


def test_non_latin_text_is_not_treated_as_clutter() -> None:
    text = "人工智能\n\n政府发布了新的人工智能发展计划。"
    assert clean_text(text) == text


def test_empty_and_clutter_only_text_cleans_to_empty() -> None:
    assert clean_text("  \n\n\u200b ") == ""
    assert clean_text("Share\nTweet\n\nAdvertisement\n\n© 2021 Example Media") == ""


def test_sentence_that_starts_like_a_comment_header_is_kept() -> None:
    lines = [
        "The ministry published the rules on Monday after months of talks with industry groups.",
        "One response to the sanctions was a new export ban.",
        "Regulators are expected to review the measure next year.",
    ]
    assert strip_boilerplate_lines(lines) == lines
