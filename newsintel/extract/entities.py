"""Group one document's mentions into entities: one Huawei, however the article spells it.

Within a document, mentions merge when they share a key (reference data, normalised name), when
one is the acronym given in brackets after the other ("... Technology (INRIA)"), when a lone
surname belongs to a full name used earlier, or when a short name is the long one minus generic
corporate words ("Hikvision" / "Hikvision Digital Technology"). "Huawei Marine" stays apart from
"Huawei": "Marine" is not a generic word.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsintel.extract.mentions import Mention
from newsintel.model import Entity, Span
from newsintel.refdata import normalize_name

GENERIC_CORPORATE = {
    "digital", "technology", "technologies", "tech", "group", "holdings", "holding", "international",
    "global", "industrial", "industries", "electronics", "systems", "corp", "corporation", "co", "company",
    "inc", "ltd", "limited", "plc", "llc", "ag", "sa", "gmbh", "the",
}


@dataclass
class EntityIndex:
    """The entities of one document and where each is mentioned, for the event rules."""

    entities: list[Entity]
    weak: set[str] = field(default_factory=set)  # ids of demonym-only countries
    by_token: dict[int, str] = field(default_factory=dict)  # token index -> entity id
    mention_spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, id)

    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    def entity_at(self, token_i: int) -> str | None:
        return self.by_token.get(token_i)


def build_entities(doc: Doc, mentions: list[Mention]) -> EntityIndex:
    """Cluster mentions and turn each cluster into an Entity with id, name, aliases and mentions."""
    _fold_acronyms(doc, mentions)
    _fold_surnames(mentions)
    _fold_short_names(mentions)
    clusters: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        clusters[mention.key].append(mention)
    ordered = sorted(clusters.values(), key=lambda ms: min(m.char_start for m in ms))
    index = EntityIndex(entities=[])
    for number, group in enumerate(ordered, 1):
        ident = f"e{number}"
        entity = _entity(ident, group)
        index.entities.append(entity)
        if all(m.weak for m in group):
            index.weak.add(ident)
        for m in group:
            index.mention_spans.append((m.start, m.end, ident))
            for i in range(m.start, m.end):
                index.by_token.setdefault(i, ident)
    return index


def _entity(ident: str, group: list[Mention]) -> Entity:
    kinds = Counter(m.type for m in group)
    known = next((m for m in group if m.canonical), None)
    kind = known.type if known else kinds.most_common(1)[0][0]
    strong = [m for m in group if not m.weak] or group
    name = known.canonical if known and known.canonical else max(strong, key=lambda m: len(m.text)).text
    country = next((m.country for m in group if m.country), None)
    seen: list[str] = []
    for m in group:
        if m.text != name and m.text not in seen:
            seen.append(m.text)
    mentions = [Span(m.char_start, m.char_end, m.text) for m in sorted(group, key=lambda m: m.char_start)]
    return Entity(ident, name or group[0].text, kind, country, seen, mentions)  # type: ignore[arg-type]


def _words(key: str) -> list[str]:
    return normalize_name(key.split(":", 1)[1]).split()


def _fold_acronyms(doc: Doc, mentions: list[Mention]) -> None:
    """'National Institute for ... Technology (INRIA)': INRIA anywhere joins the long name."""
    by_start = {m.start: m for m in mentions}
    aliases: dict[str, Mention] = {}
    for m in mentions:
        after = m.end
        if after + 2 < len(doc) and doc[after].text == "(" and doc[after + 2].text == ")":
            short = doc[after + 1].text
            if short.isupper() and 2 <= len(short) <= 8:
                aliases[short] = m
                inner = by_start.get(after + 1)
                if inner is not None and inner.key != m.key and not inner.key.startswith("country:"):
                    _rekey(mentions, inner.key, m)
    for m in mentions:
        target = aliases.get(m.text)
        if target is not None and m.key != target.key and not m.key.startswith("country:"):
            _rekey(mentions, m.key, target)


def _fold_surnames(mentions: list[Mention]) -> None:
    """A lone 'Chernyshenko' after 'Dmitry Chernyshenko' is the same person, whatever NER said."""
    full = {m.text.split()[-1]: m for m in mentions if m.type == "person" and len(m.text.split()) > 1}
    for m in mentions:
        person = full.get(m.text)
        if person is not None and m.key != person.key and not m.canonical:
            _rekey(mentions, m.key, person)
    # A lone capitalised word that NER called a person but never appears as part of a full name
    # is, in this domain, nearly always a firm ("Vocord", "Atos").
    for m in mentions:
        if m.type == "person" and len(m.text.split()) == 1 and not m.canonical and m.text not in full:
            m.type = "company"


def _fold_short_names(mentions: list[Mention]) -> None:
    """'Hikvision' joins 'Hikvision Digital Technology' when only generic words differ."""
    keys = {m.key: m for m in mentions}
    for key, m in list(keys.items()):
        if m.type == "person" or key.startswith("country:"):
            continue
        words = _words(key)
        for other_key, other in keys.items():
            if other_key == key or other.type == "person" or other_key.startswith("country:"):
                continue
            longer = _words(other_key)
            if len(longer) <= len(words) or longer[:len(words)] != words:
                continue
            if set(longer[len(words):]) <= GENERIC_CORPORATE:
                winner, loser = (m, other) if m.canonical else (other, m)
                _rekey(mentions, loser.key, winner)
                break


def _rekey(mentions: list[Mention], old: str, target: Mention) -> None:
    for m in mentions:
        if m.key == old:
            m.key = target.key
            m.type = target.type
            m.canonical = m.canonical if m.canonical else target.canonical
            m.country = m.country or target.country
