"""The store's tables as CSV or Parquet: one file per table, in a .zip or a folder.

Tables: entities, aliases, facts, fact_roles, sources, documents (the columns of store/schema.py;
JSON columns such as facts.attributes are written as JSON text). A path ending in ".zip" gets one
zip archive (`entities.csv` ... or `entities.parquet` ...); any other path is a folder, created if
needed. Rows are streamed, so a large store is written without holding a table in memory.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import JSON, Connection, Float, Integer, Table

from newsintel.errors import NewsIntelError
from newsintel.export.selection import Selection, rows
from newsintel.store.schema import aliases, documents, entities, fact_roles, facts, sources

TABLES: tuple[Table, ...] = (entities, aliases, facts, fact_roles, sources, documents)
BATCH = 5000  # rows per Parquet row group


def table_rows(conn: Connection, table: Table, selection: Selection) -> Iterator[dict[str, Any]]:
    """The selected rows of one table (see selection.py for what a filter keeps)."""
    keys = {"entities": (entities.c.id, selection.entities), "aliases": (aliases.c.entity_id, selection.entities),
            "facts": (facts.c.id, selection.facts), "fact_roles": (fact_roles.c.fact_id, selection.facts),
            "sources": (sources.c.fact_id, selection.facts), "documents": (documents.c.id, selection.documents)}
    order = {"aliases": (aliases.c.entity_id, aliases.c.norm),
             "fact_roles": (fact_roles.c.fact_id, fact_roles.c.role, fact_roles.c.entity_id),
             "sources": (sources.c.fact_id, sources.c.document_id, sources.c.event_local_id),
             "documents": (documents.c.sequence,)}
    key, ids = keys[table.name]
    for row in rows(conn, table, key, ids, order.get(table.name, ())):
        yield {name: json.dumps(value, ensure_ascii=False, sort_keys=True) if _is_json(table, name) else value
               for name, value in row.items() if name in table.c}


def _is_json(table: Table, name: str) -> bool:
    return isinstance(table.c[name].type, JSON)


def write_tables(conn: Connection, selection: Selection, path: str | Path, fmt: str) -> dict[str, int]:
    """Write every table as `fmt` (csv | parquet) to `path` (.zip or folder); rows written per table."""
    if fmt not in ("csv", "parquet"):
        raise NewsIntelError(f"unknown table format {fmt!r} (csv or parquet)")
    target = Path(path)
    if target.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="newsintel-export-") as folder:
            counts = write_tables(conn, selection, folder, fmt)
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for table in TABLES:
                    archive.write(Path(folder) / f"{table.name}.{fmt}", f"{table.name}.{fmt}")
        return counts
    if target.exists() and not target.is_dir():
        raise NewsIntelError(f"{target} exists and is not a folder (give a .zip path for an archive)")
    target.mkdir(parents=True, exist_ok=True)
    writer = _write_csv if fmt == "csv" else _write_parquet
    counts = {}
    for table in TABLES:
        with (target / f"{table.name}.{fmt}").open("wb") as handle:
            counts[table.name] = writer(table, table_rows(conn, table, selection), handle)
    return counts


def _write_csv(table: Table, records: Iterator[dict[str, Any]], handle: BinaryIO) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    out = csv.DictWriter(text, fieldnames=[c.name for c in table.columns])
    out.writeheader()
    count = 0
    for record in records:
        out.writerow(record)
        count += 1
    text.flush()
    text.detach()
    return count


def arrow_schema(table: Table) -> pa.Schema:
    """Column types for Parquet: integers, floats, everything else text (JSON as its text)."""
    def kind(column: Any) -> pa.DataType:
        if isinstance(column.type, Integer):
            return pa.int64()
        if isinstance(column.type, Float):
            return pa.float64()
        return pa.string()
    return pa.schema([pa.field(c.name, kind(c), nullable=True) for c in table.columns])


def _write_parquet(table: Table, records: Iterator[dict[str, Any]], handle: BinaryIO) -> int:
    schema = arrow_schema(table)
    count = 0
    with pq.ParquetWriter(handle, schema) as out:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH:
                out.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or not count:
            out.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
