"""The store from Python (notebooks): dossiers as dicts, the network as networkx, facts as pandas.

    from newsintel.api import open_store
    store = open_store("newsintel.db")          # a path or URL; default $NEWSINTEL_DB, else ./newsintel.db
    store.dossier("SenseTime")["sanctions"]
    graph = store.network("Huawei", depth=2)    # networkx.MultiDiGraph
    df = store.facts(type="sanction", since="2019")
    store.entities(type="company")

Names are resolved forgivingly (query.names.find_entity); an unknown name raises
`EntityNotFound` with suggestions. Each call opens and closes its own connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from sqlalchemy import Connection, select

from newsintel.errors import NewsIntelError
from newsintel.export.selection import fact_dicts, fact_ids, select_store
from newsintel.query.flags import sanction_flags
from newsintel.query.names import EntityNotFound, find_entity
from newsintel.store import db
from newsintel.store.schema import aliases, entities

__all__ = ["EntityNotFound", "NewsIntelError", "Store", "open_store"]
FACT_COLUMNS = ["id", "type", "date", "precision", "amount", "currency"]
TAIL_COLUMNS = ["attributes", "sources", "independent_sources", "url", "title", "sentence"]


class Store:
    """An open store for analysis; `close()` it (or use `with`) when done."""

    def __init__(self, store: db.Store) -> None:
        self._store = store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._store.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A SQLAlchemy connection, for queries of your own (newsintel.query.*)."""
        with self._store.engine.connect() as conn:
            yield conn

    def entity_id(self, name: str) -> str:
        with self.connection() as conn:
            return str(find_entity(conn, name)["id"])

    def dossier(self, name: str, limit: int = 500) -> dict[str, Any]:
        """The dossier of docs/QUERIES.md plus "sanctions": the lists the entity is on (reference data)."""
        from newsintel.query.dossier import dossier

        with self.connection() as conn:
            entity_id = find_entity(conn, name)["id"]
            result = dossier(conn, entity_id, limit=limit)
            result.setdefault("sanctions", sanction_flags(conn, entity_id))
            return result

    def network(self, name: str | None = None, depth: int = 2, types: Sequence[str] | None = None,
                since: str | None = None, limit: int | None = None, per_entity: int = 50) -> nx.MultiDiGraph:
        """The entity graph (query.network): around `name` to `depth` hops, or the whole store; no limit
        on facts by default (`limit` caps them)."""
        from newsintel.query.network import network

        with self.connection() as conn:
            entity_id = find_entity(conn, name)["id"] if name else None
            return network(conn, entity_id=entity_id, depth=depth, types=types, since=since, limit=limit,
                           per_entity=per_entity)

    def facts(self, type: str | Sequence[str] | None = None, since: str | None = None, until: str | None = None,
              entity: str | None = None, depth: int = 1) -> pd.DataFrame:
        """One row per fact: id, type, date, precision, amount, currency, a column per role (names joined
        by "; ") and "<role>_id" (ids), attributes (dict), sources, independent_sources, and the first
        source's url, title and sentence. Filters as `newsintel export` (entity: its facts, depth 1)."""
        types = [type] if isinstance(type, str) else list(type or []) or None
        with self.connection() as conn:
            entity_id = find_entity(conn, entity)["id"] if entity else None
            selection = select_store(conn, entity_id, depth, types, since, until)
            records = [_flat(fact) for fact in fact_dicts(conn, fact_ids(conn, selection))]
        frame = pd.DataFrame.from_records(records)
        roles = sorted({c for r in records for c in r} - set(FACT_COLUMNS) - set(TAIL_COLUMNS))
        return frame.reindex(columns=[*FACT_COLUMNS, *roles, *TAIL_COLUMNS])

    def entities(self, type: str | None = None) -> pd.DataFrame:
        """One row per entity: id, name, type, country, aliases (list, the name left out)."""
        with self.connection() as conn:
            query = select(entities.c.id, entities.c.name, entities.c.type, entities.c.country).order_by(entities.c.id)
            if type is not None:
                query = query.where(entities.c.type == type)
            rows = [dict(row._mapping) for row in conn.execute(query)]
            forms: dict[str, list[str]] = {}
            for entity_id, alias in conn.execute(select(aliases.c.entity_id, aliases.c.alias)
                                                 .order_by(aliases.c.entity_id, aliases.c.alias)):
                forms.setdefault(entity_id, []).append(alias)
        for row in rows:
            row["aliases"] = [a for a in forms.get(row["id"], []) if a != row["name"]]
        return pd.DataFrame.from_records(rows, columns=["id", "name", "type", "country", "aliases"])

    def export(self, fmt: str, path: str | Path, name: str | None = None, depth: int = 2,
               types: Sequence[str] | None = None, since: str | None = None, until: str | None = None) -> None:
        """Write an export as `newsintel export --format fmt -o path` does, with the same filters."""
        from newsintel.export.write import write_export

        with self.connection() as conn:
            entity_id = find_entity(conn, name)["id"] if name else None
            selection = select_store(conn, entity_id, depth, types, since, until)
            write_export(conn, fmt, selection, path, entity_id=entity_id, depth=depth, types=types, since=since)


def _flat(fact: dict[str, Any]) -> dict[str, Any]:
    first = fact["sources"][0] if fact["sources"] else {}
    record: dict[str, Any] = {
        "id": fact["id"], "type": fact["type"],
        "date": fact["date"]["value"] if fact["date"] else None,
        "precision": fact["date"]["precision"] if fact["date"] else None,
        "amount": fact["amount"]["value"] if fact["amount"] else None,
        "currency": fact["amount"]["currency"] if fact["amount"] else None,
    }
    for role, members in fact["roles"].items():
        record[role] = "; ".join(m["name"] for m in members)
        record[f"{role}_id"] = "; ".join(m["id"] for m in members)
    record.update(attributes=fact["attributes"], sources=len(fact["sources"]),
                  independent_sources=fact["independent_sources"], url=first.get("url"), title=first.get("title"),
                  sentence=first.get("sentence"))
    return record


def open_store(url: str | None = None) -> Store:
    """An existing store by URL or SQLite path (default $NEWSINTEL_DB, else ./newsintel.db); never creates one."""
    target = db.as_url(url) if url else db.default_url()
    if target.startswith("sqlite:///") and not Path(target.removeprefix("sqlite:///")).exists():
        raise NewsIntelError(f"no store at {target.removeprefix('sqlite:///')}")
    return Store(db.open_store(target, create=False))
