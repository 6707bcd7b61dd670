"""Analysts' corrections: merge, split and rename, kept as append-only judgement rows.

Each correction is applied to the store at once and recorded in `judgements` (who, when, what), so
it outlives re-ingestion and shapes new articles: a merged-away entity's aliases now name the
survivor and its id redirects there (resolver.active_redirects); a split leaves each part its own
aliases, so later mentions find the part they name. Facts of the documents concerned are rebuilt
from their events (facts.rebuild_facts), which combines the sources of facts that became identical.
"""

from __future__ import annotations

import difflib

from sqlalchemy import Connection, insert, select, update

from newsintel.errors import NewsIntelError
from newsintel.refdata import Gazetteer, load_gazetteer, normalize_name
from newsintel.resolve.blocking import entity_slug
from newsintel.resolve.compare import Profile, profile, same_actor
from newsintel.resolve.facts import local_order, rebuild_facts
from newsintel.resolve.resolver import active_redirects, add_aliases, create_entity, delete_entity, unique_id
from newsintel.store.db import Store
from newsintel.store.schema import aliases, documents, entities, fact_roles, judgements, mentions
from newsintel.store.upsert import insert_ignore
from newsintel.store.writer import utc_now

DEFAULT_AUTHOR = "analyst"


# -- finding the entity an analyst means ----------------------------------------------------------------
def lookup_entity(connection: Connection, name: str) -> str:
    """The entity id `name` designates: an id, or a name/alias (case, accents, legal suffixes forgiven)."""
    if connection.execute(select(entities.c.id).where(entities.c.id == name)).first() is not None:
        return name
    norm = normalize_name(name)
    ids = sorted(set(connection.execute(select(aliases.c.entity_id).where(aliases.c.norm == norm)).scalars()))
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        named = [i for i in ids if normalize_name(_name(connection, i)) == norm]
        if len(named) == 1:
            return named[0]
        raise NewsIntelError(f"{name!r} is ambiguous: it names {', '.join(ids)}; give an id")
    known = sorted(set(connection.execute(select(aliases.c.norm)).scalars()))
    close = difflib.get_close_matches(norm, known, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise NewsIntelError(f"no entity named {name!r}{hint}")


def _name(connection: Connection, entity_id: str) -> str:
    return str(connection.execute(select(entities.c.name).where(entities.c.id == entity_id)).scalar_one())


def _record(connection: Connection, kind: str, subject: str, obj: str | None, author: str) -> None:
    connection.execute(insert(judgements).values(kind=kind, subject=subject, object=obj, author=author,
                                                 created_at=utc_now()))


def _documents_of(connection: Connection, entity_ids: list[str]) -> list[str]:
    return sorted(set(connection.execute(select(mentions.c.document_id)
                                         .where(mentions.c.entity_id.in_(entity_ids))).scalars()))


# -- merge ----------------------------------------------------------------------------------------------
def merge(store: Store, a: str, b: str, author: str = DEFAULT_AUTHOR) -> str:
    """Merge B into A: B's aliases, mentions and fact roles become A's; B's id redirects to A. A's id."""
    with store.engine.begin() as connection:
        keep, gone = lookup_entity(connection, a), lookup_entity(connection, b)
        if keep == gone:
            raise NewsIntelError(f"{a!r} and {b!r} are already one entity ({keep})")
        _record(connection, "merge", keep, gone, author)
        apply_merge(connection, keep, gone)
        return keep


def apply_merge(connection: Connection, keep: str, gone: str) -> None:
    """Point everything of `gone` at `keep`, delete `gone`, rebuild the facts of their documents."""
    docs = _documents_of(connection, [keep, gone])
    moved = connection.execute(select(aliases.c.alias, aliases.c.norm).where(aliases.c.entity_id == gone)).all()
    insert_ignore(connection, aliases, [{"entity_id": keep, "alias": alias, "norm": norm} for alias, norm in moved])
    connection.execute(update(mentions).where(mentions.c.entity_id == gone).values(entity_id=keep))
    roles = connection.execute(select(fact_roles.c.fact_id, fact_roles.c.role)
                               .where(fact_roles.c.entity_id == gone)).all()
    insert_ignore(connection, fact_roles, [{"fact_id": f, "role": r, "entity_id": keep} for f, r in roles])
    connection.execute(fact_roles.delete().where(fact_roles.c.entity_id == gone))
    country = connection.execute(select(entities.c.country).where(entities.c.id == gone)).scalar()
    if country:
        connection.execute(update(entities).where(entities.c.id == keep, entities.c.country.is_(None))
                           .values(country=country))
    delete_entity(connection, gone)
    rebuild_facts(connection, docs)


# -- split ----------------------------------------------------------------------------------------------
def cluster(profiles: list[Profile]) -> list[list[int]]:
    """Group profiles (in order) with the comparators alone: each joins the first group it matches."""
    groups: list[list[int]] = []
    for n, p in enumerate(profiles):
        for group in groups:
            if any(same_actor(p, profiles[m]) for m in group):
                group.append(n)
                break
        else:
            groups.append([n])
    return groups


def by_name(profiles: list[Profile]) -> list[list[int]]:
    """Group profiles (in order) by normalised name."""
    groups: dict[str, list[int]] = {}
    for n, p in enumerate(profiles):
        groups.setdefault(p.norm, []).append(n)
    return list(groups.values())


def split(store: Store, a: str, author: str = DEFAULT_AUTHOR, gazetteer: Gazetteer | None = None) -> list[str]:
    """Undo merges into A, or separate A's mentions by name; the ids of the entities split off."""
    gazetteer = gazetteer or load_gazetteer()
    with store.engine.begin() as connection:
        keep = lookup_entity(connection, a)
        row = connection.execute(select(entities).where(entities.c.id == keep)).one()
        found = connection.execute(
            select(mentions.c.document_id, mentions.c.local_id, mentions.c.name, mentions.c.type,
                   mentions.c.country, documents.c.sequence)
            .join(documents, documents.c.id == mentions.c.document_id).where(mentions.c.entity_id == keep)).all()
        found = sorted(found, key=lambda m: (m.sequence, local_order(m.local_id)))
        profiles = [_mention_profile(m.name, m.type, m.country, gazetteer) for m in found]
        groups = cluster(profiles)
        if len(groups) < 2:
            groups = by_name(profiles)
        if len(groups) < 2:
            raise NewsIntelError(f"nothing to split: every mention of {keep} is named {row.name!r}")
        own = normalize_name(row.name)
        kept = next((g for g in groups if any(own in profiles[n].norms for n in g)), groups[0])
        kept_norms = set().union(*(profiles[n].norms for n in kept))
        redirects = active_redirects(connection)
        taken = {k for k, v in redirects.items() if v != keep}
        new_ids = []
        for group in (g for g in groups if g is not kept):
            first = profiles[group[0]]
            known = gazetteer.actor(first.name) if first.type != "country" else None
            name, type_ = (known.name, known.type) if known else (first.name, first.type)
            country = next((profiles[n].country for n in group if profiles[n].country), None)
            new_id = unique_id(connection, entity_slug(type_, name), country, taken)
            create_entity(connection, new_id, name, type_, country, utc_now())
            names = [profiles[n].name for n in group] + list(known.names() if known else ())
            add_aliases(connection, new_id, names)
            norms = {normalize_name(x) for x in names} - kept_norms
            connection.execute(aliases.delete().where(aliases.c.entity_id == keep, aliases.c.norm.in_(sorted(norms))))
            for n in group:
                connection.execute(update(mentions).where(mentions.c.document_id == found[n].document_id,
                                                          mentions.c.local_id == found[n].local_id)
                                   .values(entity_id=new_id))
            _record(connection, "split", keep, new_id, author)
            new_ids.append(new_id)
        rebuild_facts(connection, sorted({m.document_id for m in found}))
        return new_ids


def _mention_profile(name: str, type_: str, country: str | None, gazetteer: Gazetteer) -> Profile:
    known = gazetteer.actor(name) if type_ != "country" else None
    return profile(name, type_, country, (), known.name if known else None)


# -- rename ---------------------------------------------------------------------------------------------
def rename(store: Store, a: str, name: str, author: str = DEFAULT_AUTHOR) -> str:
    """Give entity A a new display name (also an alias, so it can be looked up by it). A's id."""
    if not name.strip():
        raise NewsIntelError("the new name is empty")
    with store.engine.begin() as connection:
        entity_id = lookup_entity(connection, a)
        _record(connection, "rename", entity_id, name.strip(), author)
        connection.execute(update(entities).where(entities.c.id == entity_id).values(name=name.strip()))
        add_aliases(connection, entity_id, [name.strip()])
        return entity_id
