"""The extractor end to end over raw inputs: cleaning, language, errors passed through."""

from __future__ import annotations

from newsintel.errors import InputError
from newsintel.extract.extractor import Extractor
from newsintel.model import Extraction, RawDocument


def test_non_english_article_gets_its_language_and_no_crash(extractor: Extractor) -> None:
    text = ("Le gouvernement français a annoncé mardi un nouveau plan pour l'intelligence artificielle. "
            "Huawei a ouvert un centre de recherche à Paris l'année dernière. "
            "Les syndicats ont critiqué la décision du ministère.")
    (result,) = list(extractor.extract_raw([RawDocument(id="fr", source="fr.txt", text=text)]))
    assert isinstance(result, Extraction)
    assert result.document.language == "fr"
    assert result.events == []
    assert all(e.name in ("Huawei", "France") or e.type == "country" for e in result.entities)


def test_errors_pass_through_in_order_and_good_documents_still_come_out(extractor: Extractor) -> None:
    items = [
        RawDocument(id="a", source="a.txt", text="Nokia won a contract from Telia on Monday."),
        InputError("bad.txt", "binary file (NUL bytes)"),
        RawDocument(id="b", source="b.txt", text="   \n\n  "),
        RawDocument(id="c", source="c.txt", html="<html><body><p>Ericsson said on Friday it had "
                                                 "signed a deal.</p></body></html>"),
    ]
    results = list(extractor.extract_raw(items))
    assert [type(r).__name__ for r in results] == ["Extraction", "InputError", "InputError", "Extraction"]
    assert str(results[1]).startswith("bad.txt:")
    assert str(results[2]).startswith("b.txt:")


def test_dateline_gives_the_document_date_and_anchors_relative_dates(extractor: Extractor) -> None:
    text = ("Nvidia buys Israeli start-up\n\nTEL AVIV, 3 March 2021 — Nvidia said on Tuesday it had "
            "bought Excelero, an Israeli storage start-up, in a deal agreed last month.")
    (result,) = list(extractor.extract_raw([RawDocument(id="d", source="d.txt", text=text)]))
    assert isinstance(result, Extraction)
    assert result.document.published == "2021-03-03"
    (event,) = [e for e in result.events if e.type == "acquisition"]
    assert event.date is not None and event.date.value.startswith("2021-0")
