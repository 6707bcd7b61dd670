"""Dialect-aware insert-or-ignore: the one place SQLite and PostgreSQL upserts differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, TextClause, bindparam, text

# (table, columns) -> the statement. SQLAlchemy does not cache the compiled form of a dialect insert with
# ON CONFLICT: built with `sqlite.insert(...).on_conflict_do_nothing()` it was compiled again on every
# call, which cost more than the insert itself (ingest runs this for every entity of every document).
# Both dialects spell it the same: INSERT ... ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+).
_STATEMENTS: dict[tuple[str, Table, tuple[str, ...]], TextClause] = {}


def insert_ignore(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows, silently keeping any existing row that a unique constraint says is the same."""
    if not rows:
        return
    columns = tuple(rows[0])
    key = (connection.dialect.name, table, columns)
    statement = _STATEMENTS.get(key)
    if statement is None:
        preparer = connection.dialect.identifier_preparer
        names = ", ".join(preparer.quote(name) for name in columns)
        values = ", ".join(f":{name}" for name in columns)
        statement = text(f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({values}) "
                         f"ON CONFLICT DO NOTHING")
        # typed binds: values go through the columns' types as they did through an Insert
        statement = statement.bindparams(*(bindparam(name, type_=table.c[name].type) for name in columns))
        _STATEMENTS[key] = statement
    connection.execute(statement, [dict(row) for row in rows])
