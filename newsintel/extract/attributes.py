"""The attributes SCHEMA.md names per event type, read off the trigger's sentence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.tokens import Token

from newsintel.extract.frames import Candidate
from newsintel.extract.targets import find_targets
from newsintel.extract.triggers import load_lexicon

EXCHANGES = ("Hong Kong", "Shanghai", "Shenzhen", "Nasdaq", "New York", "NYSE", "London", "STAR Market",
             "Tokyo", "Frankfurt", "Singapore", "Mumbai", "Taipei", "Seoul")
MAX_PHRASE = 12


def event_attributes(candidate: Candidate, anchor: dt.date | None) -> dict[str, Any]:
    attributes: dict[str, Any] = dict(candidate.attributes)
    trigger = candidate.trigger.root
    sentence = candidate.sentence
    kind = candidate.type
    if kind == "sanction":
        program = next((e.text for e in sentence.ents if e.label_ == "program"), None)
        attributes.setdefault("program", program or candidate.trigger.text)
    elif kind == "listing":
        attributes.setdefault("status", _listing_status(candidate))
        exchange = next((x for x in EXCHANGES if x.lower() in sentence.text.lower()), None)
        if exchange:
            attributes.setdefault("exchange", exchange)
    elif kind == "policy":
        program = next((e.text for e in sentence.ents if e.label_ == "program"), None)
        attributes.setdefault("name", program or _phrase(_policy_object(trigger)))
        targets = find_targets(sentence.text, anchor)
        following = (s for s in sentence.doc.sents if s.start >= sentence.end)
        for n, later in enumerate(following):
            more = find_targets(later.text, anchor)
            if not more or n >= 3:
                break
            targets.extend(more)
        if targets:
            attributes["targets"] = [{k: t[k] for k in ("value", "currency", "deadline")} for t in targets]
    elif kind == "partnership":
        attributes.setdefault("topic", _phrase(trigger))
    elif kind in ("designation", "contract"):
        detail = _prep_phrase(trigger, ("in", "for", "on", "of", "at")) or _object_phrase(trigger)
        if detail:
            attributes.setdefault("domain" if kind == "designation" else "location", detail)
    elif kind == "expulsion":
        reason = next((t for t in sentence if t.lower_ in ("suspicion", "allegations", "charges", "spying",
                                                          "espionage")), None)
        if reason is not None:
            attributes.setdefault("reason", _phrase(reason.head if reason.dep_ == "pobj" else reason))
    return attributes


def _listing_status(candidate: Candidate) -> str:
    words = {t.lemma_.lower() for t in candidate.sentence} | {t.lower_ for t in candidate.sentence}
    for status in ("postponed", "filed", "planned", "completed"):
        if words & load_lexicon().listing_status[status]:
            return status
    return "completed"


def _phrase(token: Token | None) -> str | None:
    if token is None:
        return None
    tokens = [t for t in token.subtree if t.dep_ not in ("relcl", "punct", "det") or t is token]
    if len(tokens) > MAX_PHRASE:
        tokens = [t for t in tokens if abs(t.i - token.i) <= MAX_PHRASE // 2]
    return " ".join(t.text for t in tokens).strip(" '\"") or None


def _prep_phrase(token: Token, preps: tuple[str, ...]) -> str | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _phrase(pobj)
    return None


def _object_phrase(token: Token) -> str | None:
    obj = next((c for c in token.children if c.dep_ in ("dobj", "attr")), None)
    return _phrase(obj)


def _policy_object(trigger: Token) -> Token | None:
    if trigger.pos_ in ("NOUN", "PROPN"):
        return trigger
    return next((c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")), None)
