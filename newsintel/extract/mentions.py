"""Find actor mentions in a parsed document and give each a type, a country and a cluster key.

spaCy's NER proposes spans; the reference data (countries, capitals, seats of power, demonyms,
known actors) and head-word cues correct its labels. A capital or region counts as an actor only
when the sentence makes it act ("Beijing said"), not when it is a place ("offices in Beijing").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsintel.extract.cues import EntityCues, load_cues
from newsintel.refdata import Gazetteer, normalize_name

# spaCy labels that may name an actor; others (DATE, MONEY, ...) never do.
ACTOR_LABELS = {"ORG", "PERSON", "GPE", "NORP", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART",
                "company", "organization", "government_body", "program", "person", "country"}
# Dependency relations through which a place name acts rather than locates.
ACTING_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "dative", "agent", "csubj"}
ACTING_PREPS = {"by", "with", "against", "between", "from", "to"}
ARTICLES = {"the", "a", "an"}
_TITLE_WORDS = {"treasurer", "crown", "prince", "deputy", "vice", "prime", "chief", "executive", "former",
                "foreign", "finance", "trade", "commerce", "defence", "defense", "home", "culture", "business",
                "economy", "interior", "health", "digital", "technology", "science", "industry", "secretary"}


@dataclass
class Mention:
    """One stretch of text naming an actor."""

    start: int  # token offsets in the Doc
    end: int
    char_start: int
    char_end: int
    text: str
    type: str
    key: str  # mentions with the same key are the same entity
    country: str | None = None
    canonical: str | None = None  # the reference-data name, when known
    weak: bool = False  # only a demonym ("Russian agents"): kept only if an event needs it


class MentionFinder:
    """Turns a Doc's entity spans into typed, keyed mentions."""

    def __init__(self, gazetteer: Gazetteer, cues: EntityCues | None = None) -> None:
        self.gazetteer = gazetteer
        self.cues = cues or load_cues()

    def find(self, doc: Doc) -> list[Mention]:
        mentions = list(self._governing_phrases(doc))
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in doc.ents:
            if ent.label_ not in ACTOR_LABELS:
                continue
            for part in _clean_parts(ent):
                if any(i in taken for i in range(part.start, part.end)):
                    continue
                mention = self._classify(part, ent.label_, ent.ent_id_)
                if mention:
                    mentions.append(mention)
                    taken.update(range(mention.start, mention.end))
        mentions.extend(self._demonyms(doc, taken))
        mentions.sort(key=lambda m: m.char_start)
        return mentions

    # -- spans the NER does not give whole -------------------------------------------------

    def _governing_phrases(self, doc: Doc) -> Iterator[Mention]:
        """'the Chinese government', 'the Trump administration', 'U.S. authorities' -> the country."""
        g = self.gazetteer
        for token in doc:
            if token.lower_ not in self.cues.governing_nouns or token.i == 0:
                continue
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.is_title and following.pos_ == "PROPN":
                continue  # "Russian Government Analytical Centre" is a body of its own
            start = token.i - 1
            while start > 0 and (doc[start - 1].is_title or doc[start - 1].is_upper) \
                    and doc[start - 1].pos_ == "PROPN":
                start -= 1
            words = doc[start:token.i].text
            country = (g.country(words) or g.country_by_demonym(words) or g.country_by_capital(words)
                       or g.country_by_leader(words))
            if country is None:
                continue
            span = doc[start:token.i + 1]
            yield Mention(span.start, span.end, span.start_char, span.end_char, span.text, "country",
                          f"country:{country.iso}", country.iso, country.name)

    def _demonyms(self, doc: Doc, taken: set[int]) -> Iterator[Mention]:
        """Demonyms and combining forms, also inside hyphenated words ('Sino-Russian')."""
        g = self.gazetteer
        for token in doc:
            if token.i in taken or not token.text[:1].isupper():
                continue
            offset = 0
            for piece in token.text.split("-"):
                country = g.country_by_demonym(piece) or g.country_by_prefix(piece)
                if country and piece:
                    start = token.idx + offset
                    yield Mention(token.i, token.i + 1, start, start + len(piece), piece, "country",
                                  f"country:{country.iso}", country.iso, country.name, weak=True)
                offset += len(piece) + 1

    # -- typing ------------------------------------------------------------------------------

    def _classify(self, span: Span, label: str, ent_id: str) -> Mention | None:
        if label == "PERSON":
            # "Treasurer Josh Frydenberg", "President Xi Jinping": the title is not the name
            while len(span) > 1 and (span[0].lower_ in self.cues.honorifics or span[0].lower_ in _TITLE_WORDS):
                span = span.doc[span.start + 1:span.end]
        text = span.text
        lowered = text.lower()
        if lowered in self.cues.not_actors or not any(c.isupper() for c in text):
            return None
        if any(c.isdigit() for c in text) and any(c in text for c in "$€£¥₹"):
            return None  # "HK$5.99bn" tagged as an organisation
        if len(span) == 1 and span[0].tag_ in ("NNS", "NN") and span[0].is_sent_start:
            return None  # a capitalised common noun opening a sentence ("Suppliers will ...")
        g = self.gazetteer

        def make(kind: str, key: str, country: str | None = None, canonical: str | None = None,
                 weak: bool = False) -> Mention:
            return Mention(span.start, span.end, span.start_char, span.end_char, text, kind, key,
                           country, canonical, weak)

        if ent_id.startswith("actor:"):
            actor = g.actor(ent_id.removeprefix("actor:")) or g.actor(text)
            if actor:
                return make(actor.type, f"actor:{actor.name}", actor.country, actor.name)
        country = g.country(text) or g.country_by_seat(text)
        if country:
            return make("country", f"country:{country.iso}", country.iso, country.name)
        capital = g.country_by_capital(text)
        region = g.region(text)
        if capital or region:
            if self._city_government(span) and region:
                return make("government_body", f"region:{region.name}", region.country, region.name)
            if capital and _acts(span):
                return make("country", f"country:{capital.iso}", capital.iso, capital.name)
            if region and not capital and _acts(span):  # "Shenzhen's legislature passed ..."
                return make("government_body", f"region:{region.name}", region.country, region.name)
            return None
        demonym = g.country_by_demonym(text)
        if demonym:
            return make("country", f"country:{demonym.iso}", demonym.iso, demonym.name, weak=True)
        actor = g.actor(text)
        if actor:
            return make(actor.type, f"actor:{actor.name}", actor.country, actor.name)
        if label in ("NORP", "LOC"):
            return None
        kind = self._type_from_cues(span, label)
        if kind is None:
            return None
        return make(kind, f"name:{normalize_name(text)}", self._country_hint(span))

    def _type_from_cues(self, span: Span, label: str) -> str | None:
        words = [t.lower_ for t in span]
        if label in ("PERSON", "person"):
            if _looks_like_person(span, self.gazetteer):
                return "person"
            return "company" if len(span) == 1 else None
        if words[-1] in self.cues.place_heads or (span.end < len(span.doc)
                                                   and span.doc[span.end].lower_ in self.cues.place_heads):
            return None
        head = _head_word(words)
        for kind in ("government_body", "organization", "program", "company"):
            if head in getattr(self.cues, kind):
                return kind
        for kind in ("government_body", "organization", "program", "company"):
            if any(w in getattr(self.cues, kind) for w in words):
                return kind
        if label in ("ORG", "GPE", "FAC"):
            return "company"  # in this domain an unknown organisation name is most often a firm
        if label in ("PRODUCT", "EVENT") and len(span) == 1:
            return "company"
        return None

    def _country_hint(self, span: Span) -> str | None:
        """A country from the name itself ('Russian Academy...') or just before it ('France's X')."""
        g = self.gazetteer
        first = span[0].text
        found = g.country(first) or g.country_by_demonym(first)
        if found is None and span.start >= 2 and span.doc[span.start - 1].text in ("'s", "'"):
            before = span.doc[span.start - 2].text
            found = g.country(before) or g.country_by_capital(before)
        return found.iso if found else None

    def _city_government(self, span: Span) -> bool:
        """'cities including Beijing, Shanghai and Chongqing issued AI policies': city governments."""
        lemmas = {t.lemma_.lower() for t in _ancestors(span.root, 4)}
        return bool(lemmas & {"include", "such"}) and bool(
            lemmas & {"city", "province", "municipality", "region", "government"})


def _ancestors(token: Token, limit: int) -> list[Token]:
    found: list[Token] = []
    while token.head is not token and len(found) < limit:
        token = token.head
        found.append(token)
    return found


def _acts(span: Span) -> bool:
    """Whether a capital is used as an actor ('Beijing said') rather than as a place."""
    doc = span.doc
    if span.start == span.sent.start and span.end < len(doc) and doc[span.end].text in (",", "—", "-", "--", "("):
        return False  # a dateline: "BERLIN, 12 March 2024 —"
    if (span.end < len(doc) and doc[span.end].text in ("-", "-based")) or (
            span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "based"):
        return False
    token = span.root
    while token.dep_ in ("conj", "appos") and token.head is not token:
        token = token.head
    if token.dep_ in ACTING_DEPS:
        return True
    return token.dep_ == "pobj" and token.head.lower_ in ACTING_PREPS


def _looks_like_person(span: Span, gazetteer: Gazetteer) -> bool:
    if any(gazetteer.country_by_demonym(piece) for t in span for piece in t.text.split("-")):
        return False
    if len(span) > 4 or any(t.like_num for t in span):
        return False
    return all(t.is_title or t.is_upper or t.text in ("-", ".") for t in span)


def _head_word(words: list[str]) -> str:
    """The noun that types a name: before its first preposition ('Ministry of X'), else the last."""
    for i, word in enumerate(words):
        if word in ("of", "for", "on", "de") and i > 0:
            return words[i - 1]
    return words[-1]


def _clean_parts(span: Span) -> Iterator[Span]:
    """Split a span at sentence and line breaks and dashes; trim articles, quotes and possessives."""
    doc = span.doc
    start = span.start
    for i in range(span.start, span.end + 1):
        # The span's end is a break (and may be the document's end: doc[i] would not exist there).
        # A dash breaks a name only when spaced ("CEMO Center - Paris"), not inside one ("Al-Rumayyan").
        if i < span.end:
            spaced_dash = doc[i].text in ("-", "--", "—", "|") and bool(doc[i - 1].whitespace_) if i > 0 else False
            if not (i > start and (doc[i].is_sent_start or "\n" in doc[i].text or spaced_dash)):
                continue
        lo, hi = start, i
        while lo < hi and (doc[lo].lower_ in ARTICLES or doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        while hi > lo and (doc[hi - 1].text in ("'s", "'", "’s") or doc[hi - 1].is_punct
                           or doc[hi - 1].is_space):
            hi -= 1
        if hi > lo:
            yield doc[lo:hi]
        start = i + 1 if i < span.end and ("\n" in doc[i].text or doc[i].is_punct) else i
