"""Find an entity by the name an analyst types: case, accents, legal suffixes and aliases forgiven.

Stages, each tried only when the one before found nothing: the entity id itself, an alias whose
normalised form equals the query's, a unique alias starting with it, a unique alias containing it.
Otherwise `EntityNotFound` carries "did you mean" suggestions (difflib over the known aliases).
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import Connection, func, select

from newsintel.errors import NewsIntelError
from newsintel.refdata import normalize_name
from newsintel.store.schema import aliases, entities, fact_roles

MAX_SUGGESTIONS = 5
_TOP = "\U0010ffff"  # sorts after every character: norm >= p AND norm < p + _TOP is a prefix range


class EntityNotFound(NewsIntelError):
    """No entity (or no single entity) answers to `name`; `suggestions` are names that might."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity named {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


def find_entity(conn: Connection, name: str) -> dict[str, Any]:
    """{"id","name","type","country","aliases"} of the entity `name` designates."""
    norm = normalize_name(name)
    by_id = conn.execute(select(entities.c.id).where(entities.c.id == name.strip())).scalar()
    if by_id is not None:
        return entity_card(conn, by_id)
    if not norm:
        raise EntityNotFound(name, [])
    exact = _ids(conn, aliases.c.norm == norm)
    if exact:
        return entity_card(conn, _best(conn, exact, norm))
    for condition in (prefix_condition(conn, norm), aliases.c.norm.like(f"%{escape_like(norm)}%", escape="\\")):
        found = _ids(conn, condition)
        if len(found) == 1:
            return entity_card(conn, found[0])
        if found:
            raise EntityNotFound(name, _names(conn, found)[:MAX_SUGGESTIONS])
    raise EntityNotFound(name, suggest(conn, norm))


def entity_card(conn: Connection, entity_id: str) -> dict[str, Any]:
    """The entity's identity: id, name, type, country and its aliases (sorted, the name left out)."""
    row = conn.execute(select(entities).where(entities.c.id == entity_id)).one()
    forms = conn.execute(select(aliases.c.alias).where(aliases.c.entity_id == entity_id)).scalars()
    others = sorted({form for form in forms if form != row.name}, key=str.casefold)
    return {"id": row.id, "name": row.name, "type": row.type, "country": row.country, "aliases": others}


def prefix_condition(conn: Connection, norm: str) -> Any:
    """aliases.norm starts with `norm`: on SQLite a range its binary-collated index answers; on
    PostgreSQL a LIKE (indexed only with a text_pattern_ops index, since collations are not binary)."""
    if conn.dialect.name == "sqlite":
        return (aliases.c.norm >= norm) & (aliases.c.norm < norm + _TOP)
    return aliases.c.norm.like(escape_like(norm) + "%", escape="\\")


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(conn: Connection, norm: str) -> list[str]:
    """Entity names whose aliases look like `norm` (same first letter; difflib ratio >= 0.6)."""
    rows = conn.execute(select(aliases.c.norm, entities.c.name)
                        .join(entities, entities.c.id == aliases.c.entity_id)
                        .where(prefix_condition(conn, norm[0]))).all()
    names: dict[str, str] = {}
    for alias_norm, entity_name in rows:
        names.setdefault(alias_norm, entity_name)
    close = difflib.get_close_matches(norm, list(names), n=MAX_SUGGESTIONS * 2, cutoff=0.6)
    return list(dict.fromkeys(names[match] for match in close))[:MAX_SUGGESTIONS]


def _ids(conn: Connection, condition: Any, limit: int = 50) -> list[str]:
    query = select(aliases.c.entity_id).where(condition).distinct().order_by(aliases.c.entity_id).limit(limit)
    return list(conn.execute(query).scalars())


def _names(conn: Connection, ids: list[str]) -> list[str]:
    rows = conn.execute(select(entities.c.name).where(entities.c.id.in_(ids))).scalars()
    return sorted(set(rows), key=lambda n: (len(n), n.casefold()))


def _best(conn: Connection, ids: list[str], norm: str) -> str:
    """Among entities sharing an alias: the one so named, then the one in most facts, then by id."""
    if len(ids) == 1:
        return ids[0]
    named = {row.id: normalize_name(row.name) == norm
             for row in conn.execute(select(entities.c.id, entities.c.name).where(entities.c.id.in_(ids)))}
    counts: dict[str, int] = {row[0]: row[1] for row in conn.execute(
        select(fact_roles.c.entity_id, func.count()).where(fact_roles.c.entity_id.in_(ids))
        .group_by(fact_roles.c.entity_id))}
    return min(ids, key=lambda i: (not named.get(i, False), -counts.get(i, 0), i))
