"""Blocking: the cheap keys under which two names could be the same actor. Pure functions.

A mention is only ever scored against entities that share one of its keys: its normalised name or
an alias, that name without trailing generic corporate words ("Huawei Technologies" -> "huawei"),
or an acronym ("Bureau of Industry and Security" -> "bis"). Keys only propose candidates; whether
two names are the same actor is the comparators' decision (compare.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from newsintel.extract.entities import GENERIC_CORPORATE
from newsintel.refdata import is_case_sensitive, normalize_name

# Words that do not give an initial to an acronym ("Bureau of Industry and Security" -> BIS).
FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "a", "an", "de", "du", "des",
                            "la", "le", "der", "die", "und"})
ACRONYM_MIN, ACRONYM_MAX = 2, 8

# The same names come back in every document ("China", "the government"), and normalising one costs
# a Unicode decomposition and several regular expressions: remember the answers (pure functions).
cached_normalize = lru_cache(maxsize=1 << 16)(normalize_name)


def words(norm: str) -> list[str]:
    """The words of a normalised name."""
    return norm.split()


def strip_generic(norm: str) -> str:
    """The normalised name without trailing generic corporate words, keeping at least one word."""
    parts = words(norm)
    while len(parts) > 1 and parts[-1] in GENERIC_CORPORATE:
        parts = parts[:-1]
    return " ".join(parts)


def generic_extension(longer: str, shorter: str) -> bool:
    """True when `longer` is `shorter` plus only generic corporate words ("huawei technologies", "huawei").

    The one way a longer name joins a shorter one: "huawei marine" does not extend "huawei".
    """
    long_words, short_words = words(longer), words(shorter)
    if len(long_words) <= len(short_words) or long_words[:len(short_words)] != short_words:
        return False
    return set(long_words[len(short_words):]) <= GENERIC_CORPORATE


def acronym(norm: str) -> str | None:
    """Initials of the content words of a normalised name of two or more words, else None."""
    content = [w for w in words(norm) if w not in FUNCTION_WORDS]
    if len(content) < ACRONYM_MIN or len(content) > ACRONYM_MAX:
        return None
    return "".join(w[0] for w in content)


@lru_cache(maxsize=1 << 16)
def looks_like_acronym(surface: str) -> bool:
    """A short all-capitals form as written ("BIS", "CFIUS", "U.S."), which may abbreviate a name."""
    return is_case_sensitive(surface)


def blocking_keys(name: str, aliases: Iterable[str] = ()) -> set[str]:
    """Normalised forms under which candidates for this name are looked up."""
    keys: set[str] = set()
    for form in (name, *aliases):
        norm = cached_normalize(form)
        if not norm:
            continue
        keys.add(norm)
        keys.add(strip_generic(norm))
        initials = acronym(norm)
        if initials:
            keys.add(initials)
    return keys


def slugify(text: str) -> str:
    """A readable id fragment: ASCII lower case words joined by dashes ("huawei-marine")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug[:48].rstrip("-") or "unnamed"


def entity_slug(entity_type: str, name: str) -> str:
    """The base id of an entity: "company:huawei", "person:donald-trump"."""
    return f"{entity_type}:{slugify(cached_normalize(name) or name)}"
