"""Shared fixtures: one loaded extractor per test session (loading spaCy takes a second)."""

from __future__ import annotations

import pytest

from newsintel.extract.extractor import Extractor
from newsintel.model import Document, Extraction


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor):  # type: ignore[no-untyped-def]
    """Extract a text we wrote, as an article of a given date."""

    def run(text: str, published: str | None = "2021-06-15") -> Extraction:
        return extractor.extract(Document(id="t", text=text, published=published, language="en"))

    return run
