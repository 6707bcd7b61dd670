"""Event frames (newsintel/data/triggers.json) and a spaCy Matcher that finds their triggers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab


@dataclass(frozen=True)
class Frame:
    """How one family of triggers expresses one event type, and where its roles are found."""

    name: str
    type: str
    pos: str  # VERB, NOUN or ANY
    lemmas: tuple[str, ...]
    agent: str | None
    patient: str | None
    preps: dict[str, str]
    confidence: float
    requires_object: frozenset[str] = frozenset()
    requires_modifier: frozenset[str] = frozenset()
    requires_prep_object: frozenset[str] = frozenset()
    governing_verbs: frozenset[str] = frozenset()
    cue_words: frozenset[str] = frozenset()
    excludes_object: frozenset[str] = frozenset()
    needs_context: bool = False
    requires_money_object: bool = False  # an amount as object also satisfies requires_object
    as_complement: str | None = None


@dataclass(frozen=True)
class Lexicon:
    frames: tuple[Frame, ...]
    negators: frozenset[str]
    hypothetical_aux: frozenset[str]
    blocking_governors: frozenset[str]
    blocking_words: frozenset[str]
    listing_status: dict[str, frozenset[str]] = field(default_factory=dict)
    present_tense_tags: frozenset[str] = frozenset()

    def frame(self, name: str) -> Frame:
        return next(f for f in self.frames if f.name == name)


def _frame(raw: dict[str, Any]) -> Frame:
    sets = ("requires_object", "requires_modifier", "requires_prep_object", "governing_verbs", "cue_words",
            "excludes_object")
    return Frame(
        name=raw["name"], type=raw["type"], pos=raw["pos"], lemmas=tuple(raw["lemmas"]),
        agent=raw.get("agent"), patient=raw.get("patient"), preps=dict(raw.get("preps", {})),
        confidence=float(raw["confidence"]), needs_context=bool(raw.get("needs_context", False)),
        requires_money_object=bool(raw.get("requires_money_object", False)),
        as_complement=raw.get("as_complement"),
        **{key: frozenset(w.lower() for w in raw.get(key, [])) for key in sets},
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = json.loads(resources.files("newsintel.data").joinpath("triggers.json").read_text("utf-8"))
    return Lexicon(
        frames=tuple(_frame(f) for f in raw["frames"]),
        negators=frozenset(raw["negators"]), hypothetical_aux=frozenset(raw["hypothetical_aux"]),
        blocking_governors=frozenset(raw["blocking_governors"]),
        blocking_words=frozenset(raw["blocking_words"]),
        listing_status={k: frozenset(v) for k, v in raw["listing_status"].items()},
        present_tense_tags=frozenset(raw["present_tense_tags"]),
    )


def _token_patterns(phrase: str, pos: str) -> list[list[dict[str, Any]]]:
    """'take over' -> lemma 'take' + 'over'; 'entity list' -> 'entity' + lemma 'list'."""
    words = phrase.replace("-", " - ").split()
    pos_filter: dict[str, Any] = {}
    if pos == "VERB":
        pos_filter = {"POS": {"IN": ["VERB", "AUX"]}}
    elif pos == "NOUN":
        pos_filter = {"POS": {"IN": ["NOUN", "PROPN"]}}
    if len(words) == 1:
        return [[{"LEMMA": words[0], **pos_filter}], [{"LOWER": words[0], **pos_filter}]]
    if pos == "VERB":  # the verb is first: "take over", "team up", "go public"
        return [[{"LEMMA": words[0], **pos_filter}, *({"LOWER": w} for w in words[1:])]]
    return [[*({"LOWER": w} for w in words[:-1]), {"LEMMA": words[-1]}],
            [*({"LOWER": w} for w in words)]]


class TriggerMatcher:
    """Finds trigger spans for every frame; overlapping matches keep the longest."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.matcher = Matcher(vocab)
        for frame in self.lexicon.frames:
            patterns = [p for lemma in frame.lemmas for p in _token_patterns(lemma, frame.pos)]
            self.matcher.add(frame.name, patterns)

    def __call__(self, doc: Doc) -> list[tuple[Frame, Span]]:
        found: dict[tuple[str, int], tuple[Frame, Span]] = {}
        for match_id, start, end in self.matcher(doc):
            frame = self.lexicon.frame(doc.vocab.strings[match_id])
            span = doc[start:end]
            key = (frame.name, span.root.i)
            if key not in found or len(found[key][1]) < len(span):
                found[key] = (frame, span)
        return sorted(found.values(), key=lambda fs: fs[1].start)
