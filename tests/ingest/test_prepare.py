"""prepare_document: RawDocument -> clean Document with date, title and language filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsintel.errors import InputError
from newsintel.ingest.prepare import prepare_document
from newsintel.model import RawDocument

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_document_gets_dateline_title_and_language() -> None:
    raw = RawDocument(id="p1", source="p1.txt", text=(FIXTURES / "page_copy.txt").read_text(encoding="utf-8"))
    doc = prepare_document(raw)
    assert doc.published == "2020-05-12"
    assert doc.title == "Solvik Grid signs battery supply pact with Aramor Energy"
    assert doc.language == "en"
    assert "Advertisement" not in doc.text and "Aramor Energy to buy storage batteries" in doc.text


def test_given_metadata_wins_over_what_the_text_says() -> None:
    raw = RawDocument(
        id="p2", source="x.jsonl:1", text="3 September 2020\n\nOld title\n\nThe firm said it would expand.",
        title="  Given   title ", published="2021-01-05T10:00:00Z", url="https://n.example/2019/02/03/x",
    )
    doc = prepare_document(raw)
    assert (doc.published, doc.title, doc.url) == ("2021-01-05", "Given title", "https://n.example/2019/02/03/x")


def test_date_falls_back_to_the_url() -> None:
    raw = RawDocument(id="p3", source="s", text="The firm said it would expand abroad next year.",
                      url="https://n.example/2019/02/03/x")
    assert prepare_document(raw).published == "2019-02-03"


def test_html_document_uses_page_metadata() -> None:
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    raw = RawDocument(id="h1", source="page.html", html=html)
    doc = prepare_document(raw)
    assert doc.title == "Nordlake Robotics buys sensor maker Quillfen"
    assert doc.published == "2022-04-14"
    assert doc.url == "https://ledger.example.org/tech/2022/04/14/nordlake-buys-quillfen"
    assert doc.text.split("\n\n")[1].startswith("Nordlake Robotics, the warehouse automation group")


def test_french_text_is_detected_and_prepared() -> None:
    text = (
        "Le gouvernement a présenté mardi un nouveau plan pour la recherche en intelligence artificielle. "
        "Les universités recevront des fonds supplémentaires pendant cinq ans.\n\n"
        "Plusieurs entreprises françaises ont déjà annoncé qu'elles participeraient au programme."
    )
    doc = prepare_document(RawDocument(id="fr", source="fr.txt", text=text))
    assert doc.language == "fr"
    assert doc.text == text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (RawDocument(id="e", source="e.html", html="<html><body></body></html>"),
         "e.html: no main text found in HTML"),
        (RawDocument(id="e", source="e.jsonl:4", text="Share | Tweet\n\nAdvertisement"),
         "e.jsonl:4: empty after cleaning"),
    ],
)
def test_nothing_usable_raises_input_error(raw: RawDocument, message: str) -> None:
    with pytest.raises(InputError) as info:
        prepare_document(raw)
    assert str(info.value) == message
