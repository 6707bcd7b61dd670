"""Write one export format to a file, a folder or a stream: the one function the CLI and the API call."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from sqlalchemy import Connection

from newsintel.errors import NewsIntelError
from newsintel.export import FILE_FORMATS, FORMATS
from newsintel.export.selection import Selection


def write_export(conn: Connection, fmt: str, selection: Selection, output: str | Path | None = None,
                 stream: IO[str] | None = None, entity_id: str | None = None, depth: int = 2,
                 types: Sequence[str] | None = None, since: str | None = None,
                 prefix: str = "newsintel") -> dict[str, int]:
    """Write `fmt` to `output` (a path; csv/parquet: a .zip or a folder), else to `stream` (default stdout).

    `entity_id`, `depth`, `types`, `since` are the filters the selection was made with (the graph formats
    hand them to query.network). Returns what was written: rows per table, or {"records": n}.
    """
    if fmt not in FORMATS:
        raise NewsIntelError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt in FILE_FORMATS:
        if output is None or str(output) == "-":
            raise NewsIntelError(f"the {fmt} export writes several files: give a .zip path or a folder")
        from newsintel.export.tables import write_tables

        return write_tables(conn, selection, output, fmt)
    if output is not None and str(output) != "-":
        try:
            with Path(output).open("w", encoding="utf-8") as handle:
                return _write_text(conn, fmt, selection, handle, entity_id, depth, types, since, prefix)
        except OSError as error:
            raise NewsIntelError(f"cannot write {output}: {error.strerror or error}") from error
    return _write_text(conn, fmt, selection, stream or sys.stdout, entity_id, depth, types, since, prefix)


def _write_text(conn: Connection, fmt: str, selection: Selection, handle: IO[str], entity_id: str | None,
                depth: int, types: Sequence[str] | None, since: str | None, prefix: str) -> dict[str, int]:
    if fmt in ("graphml", "gexf"):
        from newsintel.export.graph import export_graph, for_gexf
        from newsintel.query.network import render

        graph = export_graph(conn, selection, entity_id, depth, types, since)
        handle.write(render(for_gexf(graph) if fmt == "gexf" else graph, fmt))
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    from newsintel.export.ftm import export_ftm
    from newsintel.export.jsonl import export_jsonl

    records = export_ftm(conn, selection, prefix) if fmt == "ftm" else export_jsonl(conn, selection)
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=fmt == "ftm") + "\n")
        count += 1
    return {"records": count}
