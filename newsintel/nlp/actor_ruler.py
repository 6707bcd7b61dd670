"""Entity-ruler patterns built from the reference data (countries and well-known actors).

Labels are newsintel's own entity types ("company", "country", ...) so the entity builder can
tell a reference-data match from a statistical guess; capitals get "GPE" because whether
"Washington" is the country or the city depends on how the sentence uses it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy

from newsintel.refdata import load_gazetteer

Pattern = dict[str, Any]


def _pattern(label: str, name: str, ident: str) -> Pattern:
    """One ruler pattern. Single words match case-sensitively ("Arm" the firm, not "arm");
    phrases match lower-cased (articles write "entity list" as often as "Entity List")."""
    words = _words(name)
    if len(words) == 1:
        variants = {name, name.upper()} if not name.isupper() else {name}
        return {"label": label, "id": ident, "pattern": [{"ORTH": {"IN": sorted(variants)}}]}
    if any(w.isupper() and len(w) <= 4 for w in words):
        # "U.S. Commerce Department": keep acronym words exact, the rest case-insensitive.
        return {
            "label": label, "id": ident,
            "pattern": [{"ORTH": w} if (w.isupper() and len(w) <= 4) else {"LOWER": w.lower()}
                        for w in words],
        }
    return {"label": label, "id": ident, "pattern": name}


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    return spacy.blank("en").tokenizer


def _words(name: str) -> list[str]:
    """Split a name the way the pipeline's tokenizer will ("Washington, D.C." -> 3 tokens)."""
    return [t.text for t in _tokenizer()(name)]


def actor_patterns() -> list[Pattern]:
    """Patterns for every country name, alias, seat of power and capital, and every known actor."""
    gazetteer = load_gazetteer()
    patterns: list[Pattern] = []
    for country in gazetteer.countries():
        ident = f"country:{country.iso}"
        for name in (country.name, *country.aliases, *country.seats):
            patterns.append(_pattern("country", name.removeprefix("the ").strip(), ident))
        for capital in country.capitals:
            patterns.append(_pattern("GPE", capital, ident))
    for actor in gazetteer.actors():
        ident = f"actor:{actor.name}"
        for name in (actor.name, *actor.aliases):
            patterns.append(_pattern(actor.type, name, ident))
    return patterns
