"""Position events: who holds which title where.

News writes positions in a handful of shapes, which are matched around each person mention:
  "INRIA chief executive Bruno Sportisse"        (organisation, title, person)
  "Bruno Sportisse, chief executive of INRIA"     (person, title, of/at organisation)
  "Scott Kennedy of CSIS"                         (person, of/at organisation)
  "Jane Roe is the Financial Times' reporter"     (person, is, organisation's title)
  "a branch headed by Jane Roe" / "Roe, who chairs X"
A government title with no body named ("deputy prime minister Dmitry Chernyshenko") belongs to
the country the title or the article names.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from newsintel.extract.entities import EntityIndex


@dataclass(frozen=True)
class Titles:
    heads: frozenset[str]
    modifiers: frozenset[str]
    government: frozenset[str]
    leading_verbs: frozenset[str]


@dataclass
class PositionMatch:
    person: str
    organization: str
    title: str | None
    start: int  # token range of the supporting phrase
    end: int
    inferred: bool = False  # the organisation came from the article, not the phrase


@lru_cache(maxsize=1)
def load_titles() -> Titles:
    raw = json.loads(resources.files("newsintel.data").joinpath("titles.json").read_text("utf-8"))
    return Titles(*(frozenset(raw[k]) for k in ("heads", "modifiers", "government", "leading_verbs")))


def find_positions(doc: Doc, index: EntityIndex) -> list[PositionMatch]:
    titles = load_titles()
    types: dict[str, str] = {e.id: e.type for e in index.entities}
    main_country = _main_country(index, types)
    found: list[PositionMatch] = []
    for start, end, ident in index.mention_spans:
        if types.get(ident) != "person":
            continue
        match = (_title_before(doc, index, types, titles, start, end, ident, main_country)
                 or _title_after(doc, index, types, titles, start, end, ident)
                 or _is_title(doc, index, types, titles, start, end, ident)
                 or _led_by(doc, index, types, titles, start, end, ident))
        if match:
            found.append(match)
    return found


def _main_country(index: EntityIndex, types: dict[str, str]) -> str | None:
    counts = Counter(ident for _, _, ident in index.mention_spans if types.get(ident) == "country")
    return counts.most_common(1)[0][0] if counts else None


def _org_types(types: dict[str, str], ident: str | None, government_title: bool) -> bool:
    kind = types.get(ident or "")
    return kind in ("company", "organization", "government_body") or (kind == "country" and government_title)


def _title_before(doc: Doc, index: EntityIndex, types: dict[str, str], titles: Titles, start: int, end: int,
                  person: str, main_country: str | None) -> PositionMatch | None:
    sentence_start = doc[start].sent.start
    if start == 0 or doc[start - 1].lower_ not in titles.heads:
        return None
    i = start - 1
    while i >= sentence_start and (doc[i].lower_ in titles.heads or doc[i].lower_ in titles.modifiers):
        i -= 1
    title = doc[i + 1:start].text
    government = bool({t.lower_ for t in doc[i + 1:start]} & titles.government)
    org = index.entity_at(i) if i >= sentence_start else None
    if org is None and i >= sentence_start + 1 and doc[i].text in ("'s", "'"):
        org = index.entity_at(i - 1)
    if _org_types(types, org, government) and org != person:
        return PositionMatch(person, org or "", title, max(i, sentence_start), end)
    if government and main_country:
        return PositionMatch(person, main_country, title, i + 1, end, inferred=True)
    return None


def _title_after(doc: Doc, index: EntityIndex, types: dict[str, str], titles: Titles, start: int, end: int,
                 person: str) -> PositionMatch | None:
    if end >= len(doc):
        return None
    sentence_end = doc[start].sent.end
    if doc[end].lower_ in ("of", "at") and end + 1 < sentence_end:
        j = end + 1 + (doc[end + 1].lower_ == "the")
        org = index.entity_at(j) if j < sentence_end else None
        if _org_types(types, org, False):
            return PositionMatch(person, org or "", None, start, j + 1)
    if doc[end].text != ",":
        return None
    limit = min(sentence_end, end + 16)
    head_seen = False
    title_tokens: list[Token] = []
    candidates: list[str] = []
    for k in range(end + 1, limit):
        token = doc[k]
        if token.text in (".", ";") or (token.dep_ == "relcl"):
            break
        if token.lower_ in titles.heads:
            head_seen = True
        ident = index.entity_at(k)
        if ident and ident != person and ident not in candidates:
            if types.get(ident) == "person":
                break
            candidates.append(ident)
        elif not candidates:
            title_tokens.append(token)
    government = bool({t.lower_ for t in title_tokens} & titles.government)
    orgs = [c for c in candidates if _org_types(types, c, False)] or \
           [c for c in candidates if _org_types(types, c, government)]
    if head_seen and orgs:
        title = " ".join(t.text for t in title_tokens).strip(" ,") or None
        return PositionMatch(person, orgs[0], title, start, limit)
    return None


def _is_title(doc: Doc, index: EntityIndex, types: dict[str, str], titles: Titles, start: int, end: int,
              person: str) -> PositionMatch | None:
    if end >= len(doc) or doc[end].lemma_ != "be":
        return None
    limit = min(doc[start].sent.end, end + 10)
    org = next((index.entity_at(k) for k in range(end + 1, limit)
                if _org_types(types, index.entity_at(k), False)), None)
    head = next((doc[k] for k in range(end + 1, limit) if doc[k].lower_ in titles.heads), None)
    if org and head is not None:
        return PositionMatch(person, org, head.text, start, limit)
    return None


def _led_by(doc: Doc, index: EntityIndex, types: dict[str, str], titles: Titles, start: int, end: int,
            person: str) -> PositionMatch | None:
    """'a branch headed by X' (the branch's owner) and 'X, who chairs Y'."""
    if start >= 2 and doc[start - 1].lower_ == "by" and doc[start - 2].lemma_.lower() in titles.leading_verbs:
        token: Token = doc[start - 2]
        for _ in range(4):
            ident = index.entity_at(token.i)
            if ident and _org_types(types, ident, False):
                return PositionMatch(person, ident, doc[start - 2].lemma_, token.i, end)
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is not None and _org_types(types, index.entity_at(subject.i), False):
                return PositionMatch(person, index.entity_at(subject.i) or "", doc[start - 2].lemma_,
                                     subject.i, end)
            if token.head is token:
                break
            token = token.head
    person_token = doc[end - 1]
    for child in person_token.children:
        if child.dep_ == "relcl" and child.lemma_.lower() in titles.leading_verbs:
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            org = index.entity_at(obj.i) if obj is not None else None
            if _org_types(types, org, False):
                return PositionMatch(person, org or "", child.lemma_, start, obj.i + 1 if obj else end)
    return None
