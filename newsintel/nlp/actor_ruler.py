"""The actor ruler: reference-data names (countries, well-known actors) labelled before the NER.

A spaCy component built on two PhraseMatchers, which look phrases up by hash, so its cost grows
with the number of tokens, not with the 2,000 names (spaCy's token-pattern EntityRuler cost three
times the whole parse). Single words match case-sensitively ("Arm" the firm, not "arm"; "US" not
"us"); phrases match lower-cased (articles write "entity list" as often as "Entity List").
Labels are newsintel's entity types ("company", "country", ...) so the entity builder can tell a
reference-data match from a statistical guess; capitals get "GPE" because whether "Washington" is
the country or the city depends on how the sentence uses it. The NER, running after, keeps these
spans and labels everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsintel.refdata import load_gazetteer


@dataclass(frozen=True)
class NamePattern:
    label: str  # newsintel entity type, or GPE for a capital
    ident: str  # "country:CN", "actor:Huawei"
    text: str


def actor_patterns() -> Iterator[NamePattern]:
    """Every country name, alias, seat of power and capital, and every known actor's names."""
    gazetteer = load_gazetteer()
    for country in gazetteer.countries():
        ident = f"country:{country.iso}"
        for name in (country.name, *country.aliases, *country.seats):
            yield NamePattern("country", ident, name.removeprefix("the ").strip())
        for capital in country.capitals:
            yield NamePattern("GPE", ident, capital)
    for actor in gazetteer.actors():
        for name in (actor.name, *actor.aliases):
            yield NamePattern(actor.type, f"actor:{actor.name}", name)


class ActorRuler:
    """Labels reference-data names in a Doc; the longest match wins, and beats earlier entities."""

    def __init__(self, nlp: Language) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for pattern in actor_patterns():
            doc = nlp.make_doc(pattern.text)
            if not len(doc):
                continue
            key = f"{pattern.label}|{pattern.ident}"  # the match key carries label and identity
            if len(doc) == 1:
                variants = {pattern.text, pattern.text.upper()}
                self.exact.add(key, [nlp.make_doc(v) for v in sorted(variants)])
            else:
                self.folded.add(key, [doc])

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for match_id, start, end in [*self.exact(doc), *self.folded(doc)]:
            label, ident = doc.vocab.strings[match_id].split("|", 1)
            found.append(Span(doc, start, end, label=label, span_id=ident))
        if not found:
            return doc
        chosen = filter_spans(found)
        taken = {i for span in chosen for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = filter_spans([*kept, *chosen])
        return doc


@Language.factory("newsintel_actor_ruler")
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp)
