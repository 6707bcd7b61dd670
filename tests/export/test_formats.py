"""CSV, Parquet, GraphML, GEXF and SCHEMA JSON Lines exports load back with what the store holds."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, select

from newsintel.cli.export_commands import export
from newsintel.export.jsonl import export_jsonl
from newsintel.export.tables import TABLES
from newsintel.model import Extraction
from newsintel.query.network import network
from newsintel.store.db import Store
from newsintel.store.schema import fact_roles, facts
from tests.export.conftest import count


def run(store: Store, *args: str) -> str:
    result = CliRunner().invoke(export, [*args, "--db", store.url])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_zip_reloads_with_the_store_counts(store: Store, conn: Connection, tmp_path: Path) -> None:
    out = tmp_path / "store.zip"
    run(store, "--format", "csv", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(f"{t.name}.csv" for t in TABLES)
        for table in TABLES:
            with archive.open(f"{table.name}.csv") as handle:
                frame = pd.read_csv(handle, keep_default_na=False)
            assert len(frame) == count(conn, table), table.name
            assert list(frame.columns) == [c.name for c in table.columns]
        with archive.open("facts.csv") as handle:
            loaded = pd.read_csv(handle)
    assert set(loaded["id"]) == set(conn.execute(select(facts.c.id)).scalars())
    assert all(isinstance(json.loads(a), dict) for a in loaded["attributes"])


@pytest.mark.parametrize("name", ["tables", "tables.zip"])
def test_parquet_loads_with_pandas(store: Store, conn: Connection, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    run(store, "--format", "parquet", "-o", str(out))
    if name.endswith(".zip"):
        with zipfile.ZipFile(out) as archive:
            archive.extractall(tmp_path / "unzipped")
        out = tmp_path / "unzipped"
    for table in TABLES:
        frame = pd.read_parquet(out / f"{table.name}.parquet")
        assert len(frame) == count(conn, table), table.name
    frame = pd.read_parquet(out / "facts.parquet")
    assert frame["amount_value"].dtype == "float64" and frame["first_sequence"].dtype == "int64"


def test_a_filter_exports_only_its_facts_and_their_entities(store: Store, conn: Connection, tmp_path: Path) -> None:
    run(store, "--format", "csv", "--type", "sanction", "-o", str(tmp_path / "out"))
    loaded = pd.read_csv(tmp_path / "out" / "facts.csv")
    assert set(loaded["type"]) == {"sanction"}
    holders = set(conn.execute(select(fact_roles.c.entity_id).where(fact_roles.c.type == "sanction")).scalars())
    assert set(pd.read_csv(tmp_path / "out" / "entities.csv")["id"]) == holders


def test_csv_needs_a_path(store: Store) -> None:
    result = CliRunner().invoke(export, ["--format", "csv", "--db", store.url])
    assert result.exit_code == 2 and "-o" in result.output


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphs_load_in_networkx_with_the_expected_nodes(store: Store, conn: Connection, tmp_path: Path,
                                                         fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    run(store, "--format", fmt, "-o", str(out))
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    expected = network(conn, limit=None)
    assert set(graph.nodes) == set(expected.nodes)
    assert graph.number_of_edges() == expected.number_of_edges()
    text = run(store, "--format", fmt, "--entity", "SenseTime", "--depth", "1", "--since", "2019")
    around = nx.read_graphml(_file(tmp_path, text)) if fmt == "graphml" else nx.read_gexf(_file(tmp_path, text))
    assert set(around.nodes) == {"company:sensetime", "government_body:us-department-of-commerce"}  # not 2018
    kind = "type" if fmt == "graphml" else "fact_type"  # GEXF reserves an edge's "type" for its direction
    assert {d[kind] for _, _, d in around.edges(data=True)} == {"sanction"}
    narrower = run(store, "--format", fmt, "--entity", "SenseTime", "--depth", "1", "--until", "2018")
    graph = nx.read_graphml(_file(tmp_path, narrower)) if fmt == "graphml" else nx.read_gexf(_file(tmp_path, narrower))
    assert set(graph.nodes) == {"company:sensetime", "company:softbank"}


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stdout.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_lines_are_schema_output(store: Store, conn: Connection, extractions: list[Extraction]) -> None:
    text = run(store, "--format", "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == len(extractions)
    for line, original in zip(lines, extractions, strict=True):
        assert set(line) == {"schema", "document", "entities", "events"} and line["schema"] == "newsintel/1"
        body = line["document"]["text"]
        assert line["document"] == original.document.to_dict()
        local = {e["id"] for e in line["entities"]}
        for entity in line["entities"]:
            assert set(entity) == {"id", "name", "type", "country", "aliases", "mentions"}
            assert all(body[m["start"]:m["end"]] == m["text"] for m in entity["mentions"])
        for event in line["events"]:
            assert all(body[e["start"]:e["end"]] == e["text"] for e in event["evidence"])
            assert {i for ids in event["roles"].values() for i in ids} <= local
        assert line["events"] == [v.to_dict() for v in original.events]
        assert [(e["id"], e["name"], e["type"], e["mentions"]) for e in line["entities"]] == \
            [(e.id, e.name, e.type, [m.to_dict() for m in e.mentions]) for e in original.entities]
    assert len(list(export_jsonl(conn))) == len(extractions)
