"""Resolution: each document's entity becomes a canonical entity shared across articles.

Stages, nomenklatura-style: reference data first (a country is "country:XX" whatever the article
called it; a known actor is its gazetteer entry), then **block** (candidates sharing a normalised
name, alias, generic-stripped name, name prefix or acronym), **score** with the comparators of
compare.py and **merge** into the best candidate at or above the threshold, else create an entity
with a readable slug id. Analysts' merge judgements are replayed as redirects (merged-away id ->
surviving id), so a future mention of a merged actor lands on the survivor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from sqlalchemy import CompoundSelect, Connection, Select, bindparam, delete, insert, select, union, update

from newsintel import model
from newsintel.refdata import Gazetteer, load_gazetteer
from newsintel.resolve.blocking import blocking_keys, entity_slug, looks_like_acronym
from newsintel.resolve.blocking import cached_normalize as normalize_name
from newsintel.resolve.compare import THRESHOLD as MERGE_THRESHOLD
from newsintel.resolve.compare import Profile, profile, score
from newsintel.store import reference
from newsintel.store.schema import aliases, entities, judgements
from newsintel.store.upsert import insert_ignore

MAX_CANDIDATES = 50
ID_ATTEMPTS = 1000  # base, base-<country>, base-2 ... base-999

# Statements built once: building a SQLAlchemy statement costs several times executing a cached one,
# and these run for every entity of every ingested document.
_REDIRECTS = select(judgements.c.kind, judgements.c.subject, judgements.c.object).order_by(judgements.c.id)
_ENTITY = select(entities.c.id, entities.c.country).where(entities.c.id == bindparam("b_id"))
_PROFILE_ROWS = select(entities.c.id, entities.c.name, entities.c.type, entities.c.country).where(
    entities.c.id.in_(bindparam("b_ids", expanding=True)))
_PROFILE_ALIASES = (select(aliases.c.entity_id, aliases.c.alias).where(
    aliases.c.entity_id.in_(bindparam("b_ids", expanding=True))).order_by(aliases.c.entity_id, aliases.c.norm))
_INSERT_ENTITY = insert(entities)
_FILL_COUNTRY = (update(entities).where(entities.c.id == bindparam("b_id"), entities.c.country.is_(None))
                 .values(country=bindparam("b_country")))
_LISTED = (select(entities.c.id, entities.c.type).join(aliases, aliases.c.entity_id == entities.c.id)
           .where(aliases.c.norm.in_(bindparam("b_norms", expanding=True))).distinct())
CandidateQuery = Select[tuple[str]] | CompoundSelect
_CANDIDATE_QUERIES: dict[tuple[str, bool, int, int], CandidateQuery] = {}


def active_redirects(connection: Connection) -> dict[str, str]:
    """merged-away id -> surviving id, from the judgements in order (a later split cancels a merge)."""
    redirects: dict[str, str] = {}
    for kind, subject, obj in connection.execute(_REDIRECTS):
        if kind == "merge" and obj:
            redirects[obj] = subject
        elif kind == "split" and obj:
            redirects.pop(obj, None)
    return redirects


def follow(redirects: dict[str, str], entity_id: str) -> str:
    """The surviving id of `entity_id` after every merge (cycles stop where they started)."""
    seen = {entity_id}
    while entity_id in redirects and redirects[entity_id] not in seen:
        entity_id = redirects[entity_id]
        seen.add(entity_id)
    return entity_id


def alias_rows(entity_id: str, forms: Iterable[str]) -> list[dict[str, str]]:
    """One aliases row per normalised form (the first spelling kept)."""
    rows, seen = [], set()
    for form in forms:
        norm = normalize_name(form)
        if norm and norm not in seen:
            seen.add(norm)
            rows.append({"entity_id": entity_id, "alias": form, "norm": norm})
    return rows


def add_aliases(connection: Connection, entity_id: str, forms: list[str] | tuple[str, ...]) -> None:
    """Record forms as aliases of the entity (one row per normalised form; the first spelling kept)."""
    insert_ignore(connection, aliases, alias_rows(entity_id, forms))


def id_options(base: str, country: str | None) -> Iterable[str]:
    """The ids tried for a new entity, in order (lazily: the first is nearly always free)."""
    yield base
    if country:
        yield f"{base}-{country.lower()}"
    for n in range(2, ID_ATTEMPTS):
        yield f"{base}-{n}"


def unique_id(connection: Connection, base: str, country: str | None, taken: set[str]) -> str:
    """`base`, or base-<country>, base-2... when that id is already used by another entity."""
    for option in id_options(base, country):
        if option in taken:
            continue
        if connection.execute(_ENTITY, {"b_id": option}).first() is None:
            return option
    raise RuntimeError(f"no free id for {base}")  # pragma: no cover - a thousand namesakes


def create_entity(connection: Connection, entity_id: str, name: str, type_: str, country: str | None,
                  now: str) -> None:
    connection.execute(_INSERT_ENTITY, {"id": entity_id, "name": name, "type": type_, "country": country,
                                        "created_at": now})


def stored_profile(connection: Connection, entity_id: str, gazetteer: Gazetteer) -> Profile | None:
    """The comparators' view of a stored entity: its name, type, country and every alias."""
    return stored_profiles(connection, [entity_id], gazetteer).get(entity_id)


def stored_profiles(connection: Connection, entity_ids: Sequence[str], gazetteer: Gazetteer) -> dict[str, Profile]:
    """`stored_profile` of several entities in two queries (entities missing from the store left out)."""
    if not entity_ids:
        return {}
    rows = connection.execute(_PROFILE_ROWS, {"b_ids": list(entity_ids)}).all()
    forms: dict[str, list[str]] = {}
    for entity_id, alias in connection.execute(_PROFILE_ALIASES, {"b_ids": [r.id for r in rows]}):
        forms.setdefault(entity_id, []).append(alias)
    profiles = {}
    for row in rows:
        profiles[row.id] = profile(row.name, row.type, row.country, forms.get(row.id, []),
                                   _known_actor(gazetteer, row.name) if row.type != "country" else None)
    return profiles


@lru_cache(maxsize=1 << 16)
def _known_actor(gazetteer: Gazetteer, name: str) -> str | None:
    """The reference actor a stored name is, if any: asked for every candidate of every mention, and the
    candidates of a common name are the same entities document after document (the gazetteer is fixed)."""
    known = gazetteer.actor(name)
    return known.name if known else None


def _like_escape(text: str) -> str:
    """`text` as a LIKE pattern matching itself, with "/" as the escape character (SQLAlchemy's autoescape)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _after_prefix(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (binary order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _candidate_query(dialect: str, keyed: bool, prefixes: int, acronyms: int) -> CandidateQuery:
    """One round trip for all of a mention's blocking conditions: a UNION of one capped query each.

    On SQLite a name prefix is a range of the norm index: LIKE there cannot use a binary index and
    scanned every alias for every new entity, so ingest slowed down as the store grew. Stored norms
    are casefolded, so the range selects exactly the rows the case-insensitive LIKE did; the LIKE
    scan walked the (entity_id, norm) index, hence ORDER BY entity_id keeps the same capped subset.
    PostgreSQL keeps the LIKE (a range would follow the database's collation, not the bytes).
    """
    cache_key = (dialect, keyed, prefixes, acronyms)
    if cache_key in _CANDIDATE_QUERIES:
        return _CANDIDATE_QUERIES[cache_key]
    norm, ranged = aliases.c.norm, dialect == "sqlite"
    parts: list[Select[tuple[str]]] = []

    def capped(*conditions: object, ordered: bool = False) -> Select[tuple[str]]:
        query = select(aliases.c.entity_id).where(*conditions).distinct()  # type: ignore[arg-type]
        return (query.order_by(aliases.c.entity_id) if ordered else query).limit(MAX_CANDIDATES)

    if keyed:
        parts.append(capped(norm.in_(bindparam("b_keys", expanding=True))))
    for n in range(prefixes):
        if ranged:
            parts.append(capped(norm >= bindparam(f"b_lo{n}"), norm < bindparam(f"b_hi{n}"), ordered=True))
        else:
            parts.append(capped(norm.like(bindparam(f"b_like{n}"), escape="/")))
    for n in range(acronyms):
        pattern = norm.like(bindparam(f"b_acronym{n}"))
        if ranged:  # the first initial narrows the scan to a range; the LIKE still decides
            parts.append(capped(norm >= bindparam(f"b_alo{n}"), norm < bindparam(f"b_ahi{n}"), pattern,
                                ordered=True))
        else:
            parts.append(capped(pattern))
    query: CandidateQuery = parts[0]
    if len(parts) > 1:  # SQLite accepts LIMIT in a compound's member only inside a subquery
        query = union(*(select(part.subquery().c.entity_id) for part in parts))
    _CANDIDATE_QUERIES[cache_key] = query
    return query


class Resolver:
    """Canonical entity ids for one transaction's mentions (create entities and aliases as needed).

    What it reads or writes in its transaction it remembers for that transaction (which entities
    exist, with which country; whether reference lists are there), so a document's entities do not
    ask the database the same question twice. Nothing is kept across transactions.
    """

    def __init__(self, connection: Connection, gazetteer: Gazetteer | None = None, now: str = "") -> None:
        self.connection = connection
        self.gazetteer = gazetteer or load_gazetteer()
        self.now = now
        self.redirects = active_redirects(connection)
        self._countries: dict[str, str | None] = {}  # entity id -> its country, for entities known to exist
        self._has_reference: bool | None = None

    def canonical(self, entity: model.Entity) -> str:
        """The id of the canonical entity this document entity is; created when new."""
        forms = [entity.name, *entity.aliases]
        entity_id = (self._country(entity) or self._reference(entity) or self._match(entity)
                     or self._listed(entity))
        if entity_id is None:
            entity_id = self._create(entity_slug(entity.type, entity.name), entity.name, entity.type,
                                     entity.country)
        self._fill_country(entity_id, entity.country)
        add_aliases(self.connection, entity_id, forms)
        return entity_id

    # -- stages --------------------------------------------------------------------------------
    def _country(self, entity: model.Entity) -> str | None:
        """Every country with the same ISO code is one entity, "country:XX"."""
        if entity.type != "country" or not entity.country:
            return None
        iso = entity.country.upper()
        entity_id = follow(self.redirects, f"country:{iso}")
        if not self._exists(entity_id):
            known = self.gazetteer.country_by_iso(iso)
            self._new_entity(entity_id, known.name if known else entity.name, "country", iso)
            if known:
                add_aliases(self.connection, entity_id, known.names())
        return entity_id

    def _reference(self, entity: model.Entity) -> str | None:
        """A well-known actor (by its name, else an alias) is its reference-data entry."""
        if entity.type == "country":
            return None
        actor = self.gazetteer.actor(entity.name)
        for alias in entity.aliases if actor is None else ():
            actor = actor or self.gazetteer.actor(alias)
        if actor is None:
            return None
        entity_id = follow(self.redirects, entity_slug(actor.type, actor.name))
        if not self._exists(entity_id):
            self._new_entity(entity_id, actor.name, actor.type, actor.country or entity.country)
            add_aliases(self.connection, entity_id, actor.names())
        return entity_id

    def _match(self, entity: model.Entity) -> str | None:
        """Block, score, and return the best candidate at or above the threshold (ties: smallest id)."""
        candidates = self._candidates(entity)
        if not candidates:
            return None
        mention = profile(entity.name, entity.type, entity.country, entity.aliases)
        stored = stored_profiles(self.connection, candidates, self.gazetteer)
        best: tuple[float, str] | None = None
        for candidate_id in candidates:
            candidate = stored.get(candidate_id)
            if candidate is None:
                continue
            self._countries[candidate_id] = candidate.country
            value = score(mention, candidate)
            if value >= MERGE_THRESHOLD and (best is None or (-value, candidate_id) < (-best[0], best[1])):
                best = (value, candidate_id)
        return follow(self.redirects, best[1]) if best else None

    def _candidates(self, entity: model.Entity) -> list[str]:
        """Entity ids sharing a blocking key, a name prefix or (for a capitals form) an acronym."""
        keys = sorted(blocking_keys(entity.name, entity.aliases))
        sqlite = self.connection.dialect.name == "sqlite"
        params: dict[str, object] = {"b_keys": keys} if keys else {}
        prefixes = sorted({normalize_name(f) for f in (entity.name, *entity.aliases)} - {""})
        for n, norm in enumerate(prefixes):
            if sqlite:
                params[f"b_lo{n}"], params[f"b_hi{n}"] = norm + " ", _after_prefix(norm + " ")
            else:
                params[f"b_like{n}"] = _like_escape(norm + " ") + "%"
        acronyms = 0
        for surface in (entity.name, *entity.aliases):
            letters = normalize_name(surface)
            if looks_like_acronym(surface) and letters.isalnum() and 2 <= len(letters) <= 8:
                params[f"b_acronym{acronyms}"] = "% ".join(letters) + "%"
                if sqlite:
                    params[f"b_alo{acronyms}"], params[f"b_ahi{acronyms}"] = letters[0], _after_prefix(letters[0])
                acronyms += 1
        if not params:
            return []
        query = _candidate_query("sqlite" if sqlite else "other", bool(keys), len(prefixes), acronyms)
        return sorted(set(self.connection.execute(query, params).scalars()))[:MAX_CANDIDATES * 2]

    # -- writes --------------------------------------------------------------------------------
    def _listed(self, entity: model.Entity) -> str | None:
        """Imported reference lists (an OpenSanctions export) join spellings: when this name is one
        of a listed actor's names and exactly one stored actor of a compatible type already goes by
        another of them, it is that actor."""
        if self._has_reference is None:  # a catalogue query: once per transaction, not per name
            self._has_reference = reference.has_tables(self.connection)
        if not self._has_reference:
            return None
        refs = {row["entity_ref"] for form in (entity.name, *entity.aliases) for row in reference.lookup(
            self.connection, form)}
        if not refs or entity.type in ("country", "person"):
            return None
        norms = reference.names_of(self.connection, refs)
        found = self.connection.execute(_LISTED, {"b_norms": sorted(norms)}).all()
        fitting = {row.id for row in found if row.type == entity.type}
        return follow(self.redirects, fitting.pop()) if len(fitting) == 1 else None

    def _exists(self, entity_id: str) -> bool:
        if entity_id in self._countries:
            return True
        row = self.connection.execute(_ENTITY, {"b_id": entity_id}).first()
        if row is not None:
            self._countries[entity_id] = row.country
        return row is not None

    def _new_entity(self, entity_id: str, name: str, type_: str, country: str | None) -> None:
        create_entity(self.connection, entity_id, name, type_, country, self.now)
        self._countries[entity_id] = country

    def _create(self, base: str, name: str, type_: str, country: str | None) -> str:
        entity_id = unique_id(self.connection, base, country, set(self.redirects))
        self._new_entity(entity_id, name, type_, country)
        return entity_id

    def _fill_country(self, entity_id: str, country: str | None) -> None:
        """A country learnt later fills an unknown one (never overwrites a known one)."""
        if not country or self._countries.get(entity_id) is not None:
            return  # nothing to learn, or the UPDATE below would change no row
        self.connection.execute(_FILL_COUNTRY, {"b_id": entity_id, "b_country": country})
        if entity_id in self._countries:  # it existed with no country: now it has this one
            self._countries[entity_id] = country


def delete_entity(connection: Connection, entity_id: str) -> None:
    """Remove an entity and its aliases (its mentions and fact roles must already point elsewhere)."""
    connection.execute(delete(aliases).where(aliases.c.entity_id == entity_id))
    connection.execute(delete(entities).where(entities.c.id == entity_id))
