"""Loader for the entity cue words (newsintel/data/entity_cues.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class EntityCues:
    """Head words that reveal an entity's type, and names that are never actors."""

    government_body: frozenset[str]
    organization: frozenset[str]
    program: frozenset[str]
    company: frozenset[str]
    governing_nouns: frozenset[str]
    place_heads: frozenset[str]
    not_actors: frozenset[str]
    honorifics: frozenset[str]


@lru_cache(maxsize=1)
def load_cues() -> EntityCues:
    raw = json.loads(resources.files("newsintel.data").joinpath("entity_cues.json").read_text("utf-8"))
    return EntityCues(**{key: frozenset(raw[key]) for key in EntityCues.__dataclass_fields__})
