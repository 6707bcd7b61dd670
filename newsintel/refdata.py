"""Reference data for recognising and normalising actors: countries, known actors, sub-national places.

The data lives in newsintel/data/*.json; this module loads it once into typed records and lookup
indexes (a `Gazetteer`). Users can add or override actors with their own JSON files (argument or the
NEWSINTEL_ACTORS environment variable).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from newsintel.errors import NewsIntelError

ENV_ACTORS = "NEWSINTEL_ACTORS"
ACTOR_TYPES = ("company", "organization", "government_body", "program", "person")

# Trailing words that do not distinguish one actor from another ("Huawei Technologies Co., Ltd.").
LEGAL_SUFFIXES = frozenset({
    "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "group", "holding",
    "holdings", "plc", "llc", "llp", "lp", "ag", "sa", "gmbh", "nv", "bv", "se", "spa", "kk", "pte", "pty",
    "jsc", "pjsc",
})
# Words stripped from the front of a leader reference ("President Xi") before looking the name up.
_TITLES = frozenset({
    "president", "prime", "minister", "premier", "pm", "chancellor", "king", "queen", "crown", "prince",
    "sheikh", "emir", "chairman", "general", "secretary", "supreme", "leader", "former", "late", "mr",
    "mrs", "ms",
})
# Surnames that are also everyday words or very common names: "May" alone must not mean Britain.
_SURNAME_STOP = frozenset({
    "may", "brown", "fox", "martin", "howard", "khan", "park", "moon", "kan", "lee", "kim", "ma", "miller",
    "jonathan", "abbott", "harper", "mori", "noda", "kok", "duda", "silva", "ibrahim", "aziz", "mohamad",
    "fernandez", "lam", "tong", "loong",
})
# Korean, Chinese and Taiwanese leaders are written family name first in English news.
_FAMILY_FIRST = frozenset({"CN", "TW", "HK", "MO", "KR", "KP"})
_GENERATIONAL = re.compile(r"^(?:Jr|Sr|II|III|IV|V|VI|VII|VIII)$")  # case-sensitive: "Xi" is not XI
_GOVERNMENT_WORDS = ("administration", "government", "regime", "cabinet", "presidency")
_PLACE_KIND_WORDS = ("province", "prefecture", "state", "oblast", "krai", "region", "city", "municipality",
                     "metropolis", "emirate", "county", "district")
_ISO = re.compile(r"^[A-Z]{2}$")
# Letters that Unicode decomposition does not reduce to ASCII ("Szydło", "Yıldırım", "Đà Nẵng").
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                                 "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})


@dataclass(frozen=True)
class Country:
    """A state (or territory with its own ISO code) and every form news uses to name it."""

    iso: str
    name: str
    aliases: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    administrations: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Actor:
    """A well-known actor: company, organization, government body, program or person."""

    name: str
    type: str
    country: str | None = None
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Region:
    """A sub-national place (province, state, city); tells a place from an actor, gives a country."""

    name: str
    country: str
    kind: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _tokens(text: str) -> list[str]:
    """Surface tokens, case kept: accents, dots, apostrophes, possessive and a leading "the" removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).strip()
    plain = re.sub(r"['’ʼ]s$|['’ʼ]$", "", plain)  # "China's", "the United States'"
    plain = re.sub(r"[.'’ʼ]", "", plain)  # "U.S." == "US", "Xi'an" == "Xian"
    plain = plain.replace("&", " and ")
    words = re.sub(r"[\W_]+", " ", plain).split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return words


def _strip_suffixes(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1].casefold() in LEGAL_SUFFIXES:
        words = words[:-1]
    return words


def normalize_name(text: str) -> str:
    """The comparison form of a name: casefolded, accents/punctuation/"the"/legal suffixes removed."""
    return " ".join(_strip_suffixes(_tokens(text))).casefold()


def is_case_sensitive(form: str) -> bool:
    """True for short all-caps forms ("US", "UK", "ROK", "BiH"): they must match case-sensitively."""
    joined = " ".join(_tokens(form))
    return " " not in joined and len(joined) <= 5 and sum(c.isupper() for c in joined) >= 2


T = TypeVar("T")


class _Index(Generic[T]):
    """Name -> record, case-sensitive for acronyms, case-insensitive otherwise.

    A one-word query written all in lower case ("us", "turkey", "arm") only matches a form that is
    itself lower case: in news text a proper name is capitalised, a common word is not.
    """

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._folded: dict[str, tuple[T, str]] = {}

    def add(self, form: str, item: T, words: list[str] | None = None) -> None:
        words = _tokens(form) if words is None else words
        if not words:
            return
        joined = " ".join(words)
        if is_case_sensitive(joined):
            self._exact[joined] = item
        else:
            self._folded[joined.casefold()] = (item, joined)

    def get(self, text: str, words: list[str] | None = None) -> T | None:
        words = _tokens(text) if words is None else words
        joined = " ".join(words)
        if joined in self._exact:
            return self._exact[joined]
        hit = self._folded.get(joined.casefold())
        if hit is None:
            return None
        item, stored = hit
        if len(words) == 1 and joined.islower() and not stored.islower():
            return None
        return item

    def forms(self) -> set[str]:
        return set(self._exact) | set(self._folded)


class Gazetteer:
    """Lookups over the reference data; build one with `load_gazetteer`."""

    def __init__(
        self, countries: Sequence[Country], actors: Sequence[Actor], regions: Sequence[Region]
    ) -> None:
        self._countries = tuple(countries)
        self._actors = tuple(actors)
        self._regions = tuple(regions)
        self._by_iso = {c.iso: c for c in self._countries}
        self._country: _Index[Country] = _Index()
        self._capital: _Index[Country] = _Index()
        self._seat: _Index[Country] = _Index()
        self._demonym: _Index[Country] = _Index()
        self._prefix: _Index[Country] = _Index()
        self._leader: _Index[Country] = _Index()
        self._administration: _Index[Country] = _Index()
        for c in self._countries:
            for index, forms in ((self._country, c.names()), (self._capital, c.capitals),
                                 (self._seat, c.seats), (self._demonym, c.demonyms),
                                 (self._prefix, c.prefixes), (self._leader, c.leaders),
                                 (self._administration, c.administrations)):
                for form in forms:
                    index.add(form, c)
        self._add_surnames()
        self._region: _Index[Region] = _Index()
        for r in self._regions:
            for form in r.names():
                self._region.add(form, r)
        self._build_actor_indexes()

    def _add_surnames(self) -> None:
        """Index a leader's surname when it points to one country only ("Putin" -> RU, "Li" -> CN)."""
        owners: dict[str, set[str]] = {}
        for c in self._countries:
            for leader in c.leaders:
                # split on spaces only, so "Chan-o-cha" and "Jae-in" stay whole
                words = [w for w in leader.replace(".", " ").split() if not _GENERATIONAL.match(w)]
                if len(words) < 2:
                    continue
                surname = " ".join(_tokens(words[0] if c.iso in _FAMILY_FIRST else words[-1]))
                owners.setdefault(surname, set()).add(c.iso)
        for surname, isos in owners.items():
            if len(isos) == 1 and surname.casefold() not in _SURNAME_STOP and not self._leader.get(surname):
                self._leader.add(surname, self._by_iso[next(iter(isos))])

    def _build_actor_indexes(self) -> None:
        """Full forms index every name; suffix-stripped forms only where they stay unambiguous."""
        self._actor: _Index[Actor] = _Index()
        for a in self._actors:  # later entries (user files) win over earlier ones
            for form in a.names():
                self._actor.add(form, a)
        full_keys = {k.casefold() for k in self._actor.forms()}
        place_keys = {k.casefold() for k in (self._country.forms() | self._region.forms()
                                             | self._capital.forms())}
        stripped: dict[str, tuple[list[str], set[Actor]]] = {}
        for a in self._actors:
            for form in a.names():
                words = _strip_suffixes(_tokens(form))
                key = " ".join(words).casefold()
                stripped.setdefault(key, (words, set()))[1].add(a)
        self._actor_stripped: _Index[Actor] = _Index()
        for key, (words, owners) in stripped.items():
            if len(owners) != 1 or key in place_keys:
                continue
            owner = next(iter(owners))
            if key in full_keys and self._actor.get("", words) not in (None, owner):
                continue  # "Foo Group" must not swallow a distinct entry named "Foo"
            self._actor_stripped.add("", owner, words)

    # --- countries -------------------------------------------------------------------------
    def country(self, text: str) -> Country | None:
        """A country by its name or an alias ("U.S.", "the Netherlands", "Britain's")."""
        return self._country.get(text)

    def country_by_iso(self, iso: str) -> Country | None:
        return self._by_iso.get(iso.upper())

    def country_by_capital(self, text: str) -> Country | None:
        return self._capital.get(text)

    def country_by_seat(self, text: str) -> Country | None:
        """A seat of power used for its government: "the Kremlin", "Downing Street"."""
        return self._seat.get(text)

    def country_by_demonym(self, text: str) -> Country | None:
        """ "American", "Americans", "Chinese"; a plural is tried without its final "s"."""
        hit = self._demonym.get(text)
        if hit is None and text.endswith("s") and len(text) > 3:
            hit = self._demonym.get(text[:-1])
        return hit

    def country_by_prefix(self, text: str) -> Country | None:
        """A combining form: "Sino" (-> CN), "Russo-", "Franco"."""
        return self._prefix.get(text)

    def country_by_leader(self, text: str) -> Country | None:
        """A head of state/government since 2000, by full name or unambiguous surname."""
        words = _tokens(text)
        while len(words) > 1 and words[0].casefold() in _TITLES:
            words = words[1:]
        return self._leader.get("", words) if words else None

    def country_by_administration(self, text: str) -> Country | None:
        """ "the Trump administration", or "<leader> administration/government/regime/cabinet"."""
        hit = self._administration.get(text)
        if hit is not None:
            return hit
        words = _tokens(text)
        if len(words) >= 2 and words[-1].casefold() in _GOVERNMENT_WORDS:
            return self.country_by_leader(" ".join(words[:-1]))
        return None

    # --- actors and places ---------------------------------------------------------------------
    def actor(self, text: str) -> Actor | None:
        """A known actor by name or alias, ignoring case, accents, punctuation and legal suffixes."""
        words = _tokens(text)
        hit = self._actor.get("", words)
        if hit is None:
            core = _strip_suffixes(words)
            hit = self._actor.get("", core) or self._actor_stripped.get("", core)
        return hit

    def region(self, text: str) -> Region | None:
        """A sub-national place; "Guangdong province", "Gifu Prefecture" fall back to the bare name."""
        words = _tokens(text)
        hit = self._region.get("", words)
        if hit is None and len(words) > 1 and words[-1].casefold() in _PLACE_KIND_WORDS:
            hit = self._region.get("", words[:-1])
        return hit

    def countries(self) -> Iterator[Country]:
        return iter(self._countries)

    def actors(self) -> Iterator[Actor]:
        return iter(self._actors)

    def regions(self) -> Iterator[Region]:
        return iter(self._regions)


# --- loading ---------------------------------------------------------------------------------------
def _strings(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise NewsIntelError(f"{where}: '{field}' must be a list of non-empty strings")
    return tuple(value)


def _read_list(text: str, source: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NewsIntelError(f"{source}: not valid JSON ({error.msg}, line {error.lineno})") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise NewsIntelError(f"{source}: expected a JSON list of objects")
    return data


def _parse_actor(item: dict[str, Any], where: str) -> Actor:
    name, kind, country = item.get("name"), item.get("type"), item.get("country")
    if not isinstance(name, str) or not name.strip():
        raise NewsIntelError(f"{where}: 'name' must be a non-empty string")
    if kind not in ACTOR_TYPES:
        raise NewsIntelError(f"{where}: 'type' must be one of {', '.join(ACTOR_TYPES)}")
    if country is not None and not (isinstance(country, str) and _ISO.match(country)):
        raise NewsIntelError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code or null")
    return Actor(name=name.strip(), type=kind, country=country, aliases=_strings(item.get("aliases"),
                                                                                  "aliases", where))


def _parse_actors(text: str, source: str) -> list[Actor]:
    return [_parse_actor(item, f"{source}: entry {n}") for n, item in enumerate(_read_list(text, source), 1)]


def _data_text(filename: str) -> str:
    return resources.files("newsintel").joinpath("data", filename).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[Country, ...], tuple[Actor, ...], tuple[Region, ...]]:
    countries = []
    for n, item in enumerate(_read_list(_data_text("countries.json"), "countries.json"), 1):
        where = f"countries.json: entry {n}"
        if not _ISO.match(str(item.get("iso"))) or not isinstance(item.get("name"), str):
            raise NewsIntelError(f"{where}: needs an ISO code and a name")
        fields = ("aliases", "capitals", "seats", "demonyms", "prefixes", "leaders", "administrations")
        countries.append(Country(item["iso"], item["name"],
                                 *(_strings(item.get(f), f, where) for f in fields)))
    regions = []
    for n, item in enumerate(_read_list(_data_text("regions.json"), "regions.json"), 1):
        where = f"regions.json: entry {n}"
        if not all(isinstance(item.get(f), str) for f in ("name", "country", "kind")):
            raise NewsIntelError(f"{where}: needs name, country and kind")
        regions.append(Region(item["name"], item["country"], item["kind"],
                              _strings(item.get("aliases"), "aliases", where)))
    actors = _parse_actors(_data_text("actors.json"), "actors.json")
    return tuple(countries), tuple(actors), tuple(regions)


def _user_actors(path: str) -> list[Actor]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NewsIntelError(f"{path}: cannot read actor file ({error})") from error
    return _parse_actors(text, path)


def _same_name(name: str) -> str:
    """Identity of an entry for overriding: "Acme" and "Acme Holdings" are different entries."""
    return " ".join(_tokens(name)).casefold()


@lru_cache(maxsize=16)
def _build(paths: tuple[str, ...]) -> Gazetteer:
    countries, builtin, regions = _builtin()
    user: dict[str, Actor] = {}
    for path in paths:  # later files override earlier ones
        for a in _user_actors(path):
            user[_same_name(a.name)] = a
    kept = [a for a in builtin if _same_name(a.name) not in user]
    return Gazetteer(countries, [*kept, *user.values()], regions)


def load_gazetteer(extra_actor_files: Sequence[str | Path] = ()) -> Gazetteer:
    """The gazetteer with built-in data plus user actor files (NEWSINTEL_ACTORS first, then arguments).

    User entries replace built-in ones with the same (normalised) name. Cached per file list.
    """
    env = [p for p in os.environ.get(ENV_ACTORS, "").split(os.pathsep) if p.strip()]
    return _build(tuple(str(p) for p in (*env, *extra_actor_files)))
