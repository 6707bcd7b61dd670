"""Scoring: small pure comparators, each saying how much two profiles look like one actor and why.

A comparator returns a `Score` (with a human-readable reason) or None when it has nothing to say.
Name comparators give evidence (the strongest counts); country and type comparators add a little
or veto. Two profiles are the same actor when `score` reaches `THRESHOLD`. `explain` lists every
comparator's verdict, for tests and for an analyst asking why two names were (not) merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from newsintel.resolve.blocking import acronym, generic_extension, looks_like_acronym, words
from newsintel.resolve.blocking import cached_normalize as normalize_name

THRESHOLD = 0.8
VETO = -1.0

# Types that one actor may carry in different articles (the extractor's type is a guess).
_COMPATIBLE = frozenset({frozenset({"company", "organization"}), frozenset({"organization", "government_body"})})


@dataclass(frozen=True)
class Profile:
    """What the comparators know about one side: a mention or a stored entity."""

    name: str
    type: str
    country: str | None = None
    norms: frozenset[str] = field(default_factory=frozenset)  # normalised name and aliases
    surfaces: frozenset[str] = field(default_factory=frozenset)  # the forms as written (for acronyms)
    reference: str | None = None  # name of the reference-data actor it is, if any

    @property
    def norm(self) -> str:
        return normalize_name(self.name)


def profile(name: str, type_: str, country: str | None = None, aliases: tuple[str, ...] | list[str] = (),
            reference: str | None = None) -> Profile:
    """A profile from a name and its aliases (normalised here)."""
    forms = [name, *aliases]
    norms = frozenset(n for n in (normalize_name(f) for f in forms) if n)
    return Profile(name, type_, country, norms, frozenset(forms), reference)


@dataclass(frozen=True)
class Score:
    """One comparator's verdict: `value` (VETO forbids the merge) and why."""

    comparator: str
    value: float
    reason: str


def _weak_person_name(norm: str, type_: str) -> bool:
    """A one-word person name ("Wu", "Trump") says too little to join two articles' people."""
    return type_ == "person" and len(words(norm)) < 2


def same_name(a: Profile, b: Profile) -> Score | None:
    """Equal normalised names ("Huawei Technologies Co., Ltd." == "huawei technologies")."""
    if not a.norm or a.norm != b.norm:
        return None
    if _weak_person_name(a.norm, a.type):
        return Score("same_name", 0.5, f"same one-word person name {a.norm!r}")
    return Score("same_name", 1.0, f"same normalised name {a.norm!r}")


def alias_match(a: Profile, b: Profile) -> Score | None:
    """A name or alias of one is a name or alias of the other."""
    shared = sorted(n for n in a.norms & b.norms if not _weak_person_name(n, a.type))
    if not shared:
        return None
    return Score("alias_match", 0.9, f"shared alias {shared[0]!r}")


def extension(a: Profile, b: Profile) -> Score | None:
    """One name is the other plus generic corporate words only ("Huawei Technologies" / "Huawei")."""
    if a.type == "person" or b.type == "person":
        return None
    for x in sorted(a.norms):
        for y in sorted(b.norms):
            if generic_extension(x, y) or generic_extension(y, x):
                return Score("extension", 0.85, f"{x!r} and {y!r} differ by generic corporate words")
    return None


def acronym_match(a: Profile, b: Profile) -> Score | None:
    """One side's short capitals form is the initials of the other's name ("BIS")."""
    for short, other in ((a, b), (b, a)):
        for surface in sorted(short.surfaces):
            if not looks_like_acronym(surface):
                continue
            letters = normalize_name(surface)
            for norm in sorted(other.norms):
                if acronym(norm) == letters:
                    return Score("acronym", 0.7, f"{surface!r} is the acronym of {norm!r}")
    return None


def country_agreement(a: Profile, b: Profile) -> Score | None:
    """Different known countries veto; the same known country adds a little."""
    if not a.country or not b.country:
        return None
    if a.country != b.country:
        return Score("country", VETO, f"countries differ ({a.country} / {b.country})")
    return Score("country", 0.1, f"same country {a.country}")


def type_compatibility(a: Profile, b: Profile) -> Score | None:
    """A person is never a company; a country only ever a country."""
    if a.type == b.type or frozenset({a.type, b.type}) in _COMPATIBLE:
        return None
    return Score("type", VETO, f"incompatible types ({a.type} / {b.type})")


def reference_agreement(a: Profile, b: Profile) -> Score | None:
    """Two different reference-data actors are never one, whatever their names share."""
    if a.reference and b.reference and a.reference != b.reference:
        return Score("reference", VETO, f"different known actors ({a.reference} / {b.reference})")
    if a.reference and a.reference == b.reference:
        return Score("reference", 1.0, f"the same known actor {a.reference}")
    return None


Comparator = Callable[[Profile, Profile], "Score | None"]
EVIDENCE: tuple[Comparator, ...] = (same_name, alias_match, extension, acronym_match, reference_agreement)
ADJUSTERS: tuple[Comparator, ...] = (country_agreement, type_compatibility)


def explain(a: Profile, b: Profile) -> list[Score]:
    """Every comparator's verdict on the pair."""
    return [s for comparator in (*EVIDENCE, *ADJUSTERS) if (s := comparator(a, b)) is not None]


def score(a: Profile, b: Profile) -> float:
    """The pair's score: the strongest name evidence plus adjustments; 0 on any veto."""
    verdicts = explain(a, b)
    if any(s.value <= VETO for s in verdicts):
        return 0.0
    evidence = max((s.value for s in verdicts if s.comparator not in ("country", "type")), default=0.0)
    if evidence <= 0:
        return 0.0
    return round(evidence + sum(s.value for s in verdicts if s.comparator in ("country", "type")), 6)


def same_actor(a: Profile, b: Profile) -> bool:
    return score(a, b) >= THRESHOLD
