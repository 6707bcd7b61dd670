"""Exports in the formats analysts already use (issue #6).

    ftm      FollowTheMoney entities, JSON Lines (Aleph, OpenSanctions tooling)   export.ftm
    graphml  the entity graph for Gephi, yEd, Cytoscape                           export.graph
    gexf     the same graph, Gephi's own format                                   export.graph
    csv      one CSV per table (entities, aliases, facts, fact_roles, sources,    export.tables
             documents), in a .zip or a folder
    parquet  the same tables as Parquet files, in a .zip or a folder              export.tables
    jsonl    each document's SCHEMA extraction, rebuilt from the store            export.jsonl

Every format takes the same `Selection` (export.selection.select_store): the whole store, or the
facts chosen by --entity/--depth, --type, --since, --until with their entities and documents.
"""

from __future__ import annotations

FORMATS = ("ftm", "graphml", "gexf", "csv", "parquet", "jsonl")
FILE_FORMATS = ("csv", "parquet")  # written to a .zip or a folder, never to standard output
