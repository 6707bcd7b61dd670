"""RawDocument -> Document: extract (HTML), clean, and fill in date, title and language. Pure."""

from __future__ import annotations

from newsintel.errors import InputError
from newsintel.ingest.clean import clean_text, normalize_chars
from newsintel.ingest.html import extract_html
from newsintel.ingest.metadata import (
    date_from_url,
    detect_language,
    find_dateline,
    guess_title,
    normalize_published,
)
from newsintel.model import Document, RawDocument


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(normalize_chars(value).split())
    return value or None


def prepare_document(raw: RawDocument) -> Document:
    """The clean Document for one input; InputError(raw.source, reason) when nothing usable remains.

    published: the input's own date, else the page metadata, else a dateline in the text, else a date
    in the URL. title: the input's, else the page's, else the text's first line if it reads as one.
    """
    url = _clean_field(raw.url)
    html_title = html_date = None
    if raw.html is not None and raw.text is None:
        page = extract_html(raw.html, url)
        if not page.text.strip():
            raise InputError(raw.source, "no main text found in HTML")
        body, html_title, html_date, url = page.text, page.title, page.published, url or page.url
    else:
        body = raw.text or ""
    text = clean_text(body)
    if not text:
        raise InputError(raw.source, "empty after cleaning")
    published = (
        (normalize_published(raw.published) if raw.published else None)
        or html_date
        or find_dateline(text)
        or date_from_url(url)
    )
    title = _clean_field(raw.title) or _clean_field(html_title) or guess_title(text)
    return Document(
        id=raw.id, text=text, url=url, title=title, published=published, language=detect_language(text)
    )
