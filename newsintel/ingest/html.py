"""Main text and metadata of an HTML news page, via trafilatura (offline: it is given a string)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from newsintel.ingest.metadata import normalize_published


@dataclass(frozen=True)
class HtmlContent:
    """What a page yields: its main text (not yet cleaned), title, ISO date and canonical URL."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


# htmldate's "extensive search" guesses dates from free text; the page's own metadata, the URL and
# the dateline in the clean text (found later) are more trustworthy.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}


def _field(doc: Any, name: str) -> str | None:
    value = getattr(doc, name, None)
    return value.strip() or None if isinstance(value, str) else None


def extract_html(html: str, url: str | None = None) -> HtmlContent:
    """Extract the article body, title, date and canonical URL of a page.

    Comments and tables are left out; leftover clutter is the job of clean_text. Never raises: a page
    trafilatura cannot parse gives empty text, which the caller reports as "no main text found".
    """
    import trafilatura  # heavy import, only paid when HTML input appears

    # trafilatura logs parse trouble at ERROR level; the caller reports it as an InputError instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # third-party parser on hostile input: any failure means "no text"
        return HtmlContent(text="", url=url)
    if doc is None:
        return HtmlContent(text="", url=url)
    date = _field(doc, "date")
    return HtmlContent(
        text=_field(doc, "text") or "",
        title=_field(doc, "title"),
        published=normalize_published(date) if date else None,
        url=_field(doc, "url") or url,
    )
