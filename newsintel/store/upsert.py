"""Dialect-aware insert-or-ignore: the one place SQLite and PostgreSQL upserts differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows, silently keeping any existing row that a unique constraint says is the same."""
    if not rows:
        return
    module = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = module.insert(table).on_conflict_do_nothing()
    connection.execute(statement, [dict(row) for row in rows])
