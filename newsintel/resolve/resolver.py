"""Resolution: each document's entity becomes a canonical entity shared across articles.

Stages, nomenklatura-style: reference data first (a country is "country:XX" whatever the article
called it; a known actor is its gazetteer entry), then **block** (candidates sharing a normalised
name, alias, generic-stripped name, name prefix or acronym), **score** with the comparators of
compare.py and **merge** into the best candidate at or above the threshold, else create an entity
with a readable slug id. Analysts' merge judgements are replayed as redirects (merged-away id ->
surviving id), so a future mention of a merged actor lands on the survivor.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, and_, delete, insert, select, update

from newsintel import model
from newsintel.refdata import Gazetteer, load_gazetteer, normalize_name
from newsintel.resolve.blocking import blocking_keys, entity_slug, looks_like_acronym
from newsintel.resolve.compare import THRESHOLD as MERGE_THRESHOLD
from newsintel.resolve.compare import Profile, profile, score
from newsintel.store import reference
from newsintel.store.schema import aliases, entities, judgements
from newsintel.store.upsert import insert_ignore

MAX_CANDIDATES = 50


def active_redirects(connection: Connection) -> dict[str, str]:
    """merged-away id -> surviving id, from the judgements in order (a later split cancels a merge)."""
    redirects: dict[str, str] = {}
    rows = connection.execute(select(judgements.c.kind, judgements.c.subject, judgements.c.object)
                              .order_by(judgements.c.id))
    for kind, subject, obj in rows:
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


def add_aliases(connection: Connection, entity_id: str, forms: list[str] | tuple[str, ...]) -> None:
    """Record forms as aliases of the entity (one row per normalised form; the first spelling kept)."""
    rows, seen = [], set()
    for form in forms:
        norm = normalize_name(form)
        if norm and norm not in seen:
            seen.add(norm)
            rows.append({"entity_id": entity_id, "alias": form, "norm": norm})
    insert_ignore(connection, aliases, rows)


def unique_id(connection: Connection, base: str, country: str | None, taken: set[str]) -> str:
    """`base`, or base-<country>, base-2... when that id is already used by another entity."""
    options = [base, *([f"{base}-{country.lower()}"] if country else []), *(f"{base}-{n}" for n in range(2, 1000))]
    for option in options:
        if option in taken:
            continue
        if connection.execute(select(entities.c.id).where(entities.c.id == option)).first() is None:
            return option
    raise RuntimeError(f"no free id for {base}")  # pragma: no cover - a thousand namesakes


def create_entity(connection: Connection, entity_id: str, name: str, type_: str, country: str | None,
                  now: str) -> None:
    connection.execute(insert(entities).values(id=entity_id, name=name, type=type_, country=country,
                                               created_at=now))


def stored_profile(connection: Connection, entity_id: str, gazetteer: Gazetteer) -> Profile | None:
    """The comparators' view of a stored entity: its name, type, country and every alias."""
    row = connection.execute(select(entities).where(entities.c.id == entity_id)).first()
    if row is None:
        return None
    forms = connection.execute(select(aliases.c.alias).where(aliases.c.entity_id == entity_id)
                               .order_by(aliases.c.norm)).scalars().all()
    known = gazetteer.actor(row.name) if row.type != "country" else None
    return profile(row.name, row.type, row.country, list(forms), known.name if known else None)


class Resolver:
    """Canonical entity ids for one transaction's mentions (create entities and aliases as needed)."""

    def __init__(self, connection: Connection, gazetteer: Gazetteer | None = None, now: str = "") -> None:
        self.connection = connection
        self.gazetteer = gazetteer or load_gazetteer()
        self.now = now
        self.redirects = active_redirects(connection)

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
            create_entity(self.connection, entity_id, known.name if known else entity.name, "country", iso,
                          self.now)
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
            create_entity(self.connection, entity_id, actor.name, actor.type, actor.country or entity.country,
                          self.now)
            add_aliases(self.connection, entity_id, actor.names())
        return entity_id

    def _match(self, entity: model.Entity) -> str | None:
        """Block, score, and return the best candidate at or above the threshold (ties: smallest id)."""
        mention = profile(entity.name, entity.type, entity.country, entity.aliases)
        best: tuple[float, str] | None = None
        for candidate_id in self._candidates(entity):
            candidate = stored_profile(self.connection, candidate_id, self.gazetteer)
            if candidate is None:
                continue
            value = score(mention, candidate)
            if value >= MERGE_THRESHOLD and (best is None or (-value, candidate_id) < (-best[0], best[1])):
                best = (value, candidate_id)
        return follow(self.redirects, best[1]) if best else None

    def _candidates(self, entity: model.Entity) -> list[str]:
        """Entity ids sharing a blocking key, a name prefix or (for a capitals form) an acronym."""
        keys = sorted(blocking_keys(entity.name, entity.aliases))
        conditions: list[ColumnElement[bool]] = [aliases.c.norm.in_(keys)] if keys else []
        for norm in sorted({normalize_name(f) for f in (entity.name, *entity.aliases)} - {""}):
            conditions.append(aliases.c.norm.startswith(norm + " ", autoescape=True))
        for surface in (entity.name, *entity.aliases):
            letters = normalize_name(surface)
            if looks_like_acronym(surface) and letters.isalnum() and 2 <= len(letters) <= 8:
                conditions.append(aliases.c.norm.like("% ".join(letters) + "%"))
        found: set[str] = set()
        for condition in conditions:
            query = select(aliases.c.entity_id).where(condition).distinct().limit(MAX_CANDIDATES)
            found.update(self.connection.execute(query).scalars())
        return sorted(found)[:MAX_CANDIDATES * 2]

    # -- writes --------------------------------------------------------------------------------
    def _listed(self, entity: model.Entity) -> str | None:
        """Imported reference lists (an OpenSanctions export) join spellings: when this name is one
        of a listed actor's names and exactly one stored actor of a compatible type already goes by
        another of them, it is that actor."""
        refs = {row["entity_ref"] for form in (entity.name, *entity.aliases) for row in reference.lookup(
            self.connection, form)}
        if not refs or entity.type in ("country", "person"):
            return None
        norms = reference.names_of(self.connection, refs)
        found = self.connection.execute(
            select(entities.c.id, entities.c.type).join(aliases, aliases.c.entity_id == entities.c.id)
            .where(aliases.c.norm.in_(sorted(norms))).distinct()).all()
        fitting = {row.id for row in found if row.type == entity.type}
        return follow(self.redirects, fitting.pop()) if len(fitting) == 1 else None

    def _exists(self, entity_id: str) -> bool:
        return self.connection.execute(select(entities.c.id).where(entities.c.id == entity_id)).first() is not None

    def _create(self, base: str, name: str, type_: str, country: str | None) -> str:
        entity_id = unique_id(self.connection, base, country, set(self.redirects))
        create_entity(self.connection, entity_id, name, type_, country, self.now)
        return entity_id

    def _fill_country(self, entity_id: str, country: str | None) -> None:
        """A country learnt later fills an unknown one (never overwrites a known one)."""
        if country:
            self.connection.execute(update(entities).where(and_(entities.c.id == entity_id,
                                                                entities.c.country.is_(None)))
                                    .values(country=country))


def delete_entity(connection: Connection, entity_id: str) -> None:
    """Remove an entity and its aliases (its mentions and fact roles must already point elsewhere)."""
    connection.execute(delete(aliases).where(aliases.c.entity_id == entity_id))
    connection.execute(delete(entities).where(entities.c.id == entity_id))
