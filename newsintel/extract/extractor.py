"""The extractor: raw inputs in, SCHEMA extractions out, streaming.

Cleaning (ingest) and the rules are cheap; the spaCy pipeline is the cost, so documents go
through `nlp.pipe` in batches and nothing holds the whole corpus in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from newsintel.errors import InputError
from newsintel.extract.entities import EntityIndex, build_entities
from newsintel.extract.events import EventFinder
from newsintel.extract.mentions import MentionFinder
from newsintel.extract.triggers import load_lexicon
from newsintel.ingest.prepare import prepare_document
from newsintel.model import Document, Entity, Event, Extraction, RawDocument
from newsintel.nlp.pipeline import load_pipeline
from newsintel.refdata import load_gazetteer

MAX_CHARS = 1_000_000  # spaCy's own default limit; longer texts need more memory than they are worth


@dataclass(frozen=True)
class ExtractorOptions:
    """Settings for one extractor: which model, how many documents per `nlp.pipe` batch."""

    model: str | None = None
    batch_size: int = 16


class Extractor:
    """Holds one loaded pipeline and turns documents into extractions."""

    def __init__(self, options: ExtractorOptions | None = None) -> None:
        self.options = options or ExtractorOptions()
        self.nlp: Language = load_pipeline(self.options.model)
        gazetteer = load_gazetteer()
        self.mentions = MentionFinder(gazetteer)
        self.events = EventFinder(self.nlp.vocab, load_lexicon(), gazetteer)

    def extract(self, document: Document) -> Extraction:
        """One clean document, parsed here."""
        return self.annotate(self.nlp(document.text), document)

    def extract_raw(self, items: Iterable[RawDocument | InputError]) -> Iterator[Extraction | InputError]:
        """Prepare and extract a stream of raw inputs; a failed input comes out as its error.

        A document the rules fail on is reported like an unreadable one (as ingest does), so one bad
        document does not end the stream.
        """
        def prepared() -> Iterator[tuple[str, tuple[str, Document] | InputError]]:
            for item in items:
                if isinstance(item, InputError):
                    yield "", item
                    continue
                try:
                    document = prepare_document(item)
                except InputError as error:
                    yield "", error
                    continue
                if len(document.text) > MAX_CHARS:
                    yield "", InputError(item.source, f"clean text is {len(document.text):,} characters, "
                                                      f"above the {MAX_CHARS:,} limit")
                    continue
                yield document.text, (item.source, document)

        for doc, context in self.nlp.pipe(prepared(), as_tuples=True, batch_size=self.options.batch_size):
            if isinstance(context, InputError):
                yield context
                continue
            source, document = context
            try:
                extraction = self.annotate(doc, document)
            except Exception as error:  # a bug in one rule must not lose the rest of the corpus
                yield InputError(source, f"extraction failed: {error.__class__.__name__}: {error}")
                continue
            yield extraction

    def annotate(self, doc: Doc, document: Document) -> Extraction:
        """The rules over one parsed document: pure given the Doc."""
        mentions = self.mentions.find(doc)
        english = document.language in (None, "en")
        if not english:  # an English model reads other languages badly: keep reference-data names only
            mentions = [m for m in mentions if m.canonical]
        index = build_entities(doc, mentions)
        anchor = _anchor(document.published)
        day_known = bool(document.published) and len(document.published or "") >= 10
        events = self.events(doc, index, anchor, day_known) if english else []
        return Extraction(document, _used_entities(index, events), events)


def _anchor(published: str | None) -> dt.date | None:
    """The article date that relative dates resolve against (a year alone anchors at its start)."""
    if not published:
        return None
    parts = [*published.split("-"), "1", "1"]
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
    except (ValueError, IndexError):
        return None


def _used_entities(index: EntityIndex, events: list[Event]) -> list[Entity]:
    """All strong entities, plus demonym-only countries that an event needs."""
    used = {i for e in events for ids in e.roles.values() for i in ids}
    return [e for e in index.entities if e.id not in index.weak or e.id in used]
