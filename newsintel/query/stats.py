"""How big the store is: counts of documents, entities, facts, sources, failures and duplicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from newsintel.store.schema import aliases, documents, entities, facts, failures, sources


def stats(conn: Connection) -> dict[str, Any]:
    """{"documents","entities","aliases","facts","sources","failures","duplicates","facts_by_type","entities_by_type"}."""
    duplicates = select(func.count()).select_from(documents).where(documents.c.duplicate_of.is_not(None))
    return {
        "documents": _count(conn, documents),
        "entities": _count(conn, entities),
        "aliases": _count(conn, aliases),
        "facts": _count(conn, facts),
        "sources": _count(conn, sources),
        "failures": _count(conn, failures),
        "duplicates": conn.execute(duplicates).scalar_one(),
        "facts_by_type": _by_type(conn, facts),
        "entities_by_type": _by_type(conn, entities),
    }


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _by_type(conn: Connection, table: Table) -> dict[str, int]:
    """type -> count, most common first (then by name)."""
    rows = conn.execute(select(table.c.type, func.count()).group_by(table.c.type)).all()
    return {kind: int(n) for kind, n in sorted(rows, key=lambda r: (-r[1], r[0]))}
