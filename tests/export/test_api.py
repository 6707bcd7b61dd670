"""The notebook API: dossier dicts with sanctions, networkx graphs, pandas frames."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import Connection, select

from newsintel.api import EntityNotFound, NewsIntelError, open_store
from newsintel.export.ftm_import import import_ftm
from newsintel.store.db import Store
from newsintel.store.schema import entities, facts
from tests.export.conftest import FIXTURES


def test_facts_are_one_row_each_with_roles_as_columns(store: Store, conn: Connection) -> None:
    with open_store(store.url) as api:
        frame = api.facts()
        sanctions = api.facts(type="sanction", since="2019")
        around = api.facts(entity="SenseTime")
    assert len(frame) == len(conn.execute(select(facts.c.id)).all())
    assert list(frame.columns[:6]) == ["id", "type", "date", "precision", "amount", "currency"]
    row = sanctions.iloc[0]
    assert (row["imposer"], row["target"], row["target_id"]) == ("U.S. Department of Commerce", "SenseTime",
                                                                 "company:sensetime")
    assert row["attributes"] == {"program": "Entity List"} and row["sources"] == 1
    assert set(around["type"]) == {"sanction", "investment", "contract"}


def test_entities_network_and_dossier(store: Store, conn: Connection) -> None:
    with conn.begin():
        import_ftm(conn, [FIXTURES / "opensanctions_sample.ftm.json"])
    with open_store(store.url) as api:
        people = api.entities(type="person")
        everyone = api.entities()
        graph = api.network("SenseTime", depth=1)
        dossier = api.dossier("sensetime")
        with pytest.raises(EntityNotFound):
            api.dossier("Nonexistent Corp")
    assert list(people["name"]) == ["Yin Qi"]
    assert len(everyone) == len(conn.execute(select(entities.c.id)).all())
    assert isinstance(graph, nx.MultiDiGraph) and "company:softbank" in graph
    assert dossier["entity"]["id"] == "company:sensetime"
    assert [flag["authority"] for flag in dossier["sanctions"]] == ["Bureau of Industry and Security"]


def test_exports_from_python(store: Store, tmp_path: Path) -> None:
    with open_store(store.url) as api:
        api.export("ftm", tmp_path / "out.ftm.json", name="SenseTime", depth=1)
        api.export("parquet", tmp_path / "tables")
    assert (tmp_path / "tables" / "facts.parquet").exists()
    assert '"schema": "Sanction"' in (tmp_path / "out.ftm.json").read_text(encoding="utf-8")


def test_a_missing_store_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(NewsIntelError, match="no store"):
        open_store(str(tmp_path / "nothing.db"))
    assert not (tmp_path / "nothing.db").exists()
