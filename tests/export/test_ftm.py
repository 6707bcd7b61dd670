"""FollowTheMoney export: valid against the model, references resolve, stable ids, and the mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from followthemoney import model
from sqlalchemy import Connection, select

from newsintel.cli.export_commands import export, import_ftm
from newsintel.export.ftm import export_ftm, ref
from newsintel.export.selection import select_store
from newsintel.store import reference
from newsintel.store.db import Store
from newsintel.store.schema import documents, entities, facts


def by_schema(found: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [e for e in found if e["schema"] == schema]


def test_every_entity_is_valid_ftm_and_every_reference_resolves(conn: Connection) -> None:
    found = list(export_ftm(conn))
    ids = {e["id"]: e["schema"] for e in found}
    assert len(ids) == len(found), "ids are unique"
    for data in found:
        proxy = model.get_proxy(data, cleaned=False)  # cleans every value: nothing may change or vanish
        assert proxy.to_dict() == data
        schema = proxy.schema
        assert not schema.abstract
        assert set(schema.required) <= set(data["properties"]), (data["id"], schema.required)
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{schema.name} has no property {name}"
            for value in values:
                assert prop.type.validate(value), (data["id"], name, value)
                if prop.type.name == "entity":
                    assert value in ids, f"{data['id']}.{name} -> {value} is not exported"
                    assert model.get(ids[value]).is_a(prop.range), (name, ids[value], prop.range)


def test_ids_are_stable_across_exports(conn: Connection) -> None:
    assert list(export_ftm(conn)) == list(export_ftm(conn))
    assert ref("newsintel", "ent", "company:sensetime") == "newsintel-ent-company.sensetime"
    assert ref("x", "ent", "company:société").startswith("x-enth-")  # not a valid FtM id: hashed


def test_actors_facts_and_sources_map_to_their_schemata(conn: Connection) -> None:
    found = list(export_ftm(conn))
    schemata = {e["schema"] for e in found}
    assert {"Company", "PublicBody", "Person", "Article", "Documentation", "Sanction", "Ownership",
            "Directorship", "Event"} <= schemata
    sanction = by_schema(found, "Sanction")[0]["properties"]
    assert sanction["entity"] == ["newsintel-ent-company.sensetime"]
    assert sanction["authority"] == ["U.S. Department of Commerce"]
    assert sanction["program"] == ["Entity List"]
    assert sanction["proof"][0].startswith("newsintel-doc-")
    owners = {(o["properties"]["owner"][0], o["properties"]["asset"][0], o["properties"]["ownershipType"][0])
              for o in by_schema(found, "Ownership")}
    assert ("newsintel-ent-company.alibaba", "newsintel-ent-company.megvii", "acquisition") in owners
    assert ("newsintel-ent-company.softbank", "newsintel-ent-company.sensetime", "investment") in owners
    director = by_schema(found, "Directorship")[0]["properties"]
    assert director["role"] == ["chief executive"] and director["organization"] == ["newsintel-ent-company.megvii"]
    china = next(e for e in found if e["id"] == "newsintel-ent-country.CN")
    assert china["schema"] == "PublicBody" and china["properties"]["jurisdiction"] == ["cn"]
    assert len(by_schema(found, "Article")) == len(conn.execute(select(documents.c.id)).all())
    n_programs = len(conn.execute(select(entities.c.id).where(entities.c.type == "program")).all())
    n_actors = sum(e["schema"] in ("Company", "PublicBody", "Person", "Organization") for e in found)
    assert n_actors == len(conn.execute(select(entities.c.id)).all()) - n_programs  # programs are not actors
    recorded = {v for e in found for v in e["properties"].get("recordId", [])}
    assert recorded == set(conn.execute(select(facts.c.id)).scalars())  # every fact is exported


def test_a_filtered_export_keeps_its_references_inside(conn: Connection) -> None:
    selection = select_store(conn, "company:sensetime", depth=1, types=["sanction"])
    found = list(export_ftm(conn, selection))
    ids = {e["id"] for e in found}
    assert {e["schema"] for e in found} >= {"Sanction", "Company", "PublicBody", "Article"}
    assert not by_schema(found, "Ownership")
    for data in found:
        for name, values in data["properties"].items():
            if model.get(data["schema"]).get(name).type.name == "entity":
                assert set(values) <= ids


def test_export_then_import_makes_our_names_reference_names(store: Store, conn: Connection, tmp_path: Path) -> None:
    out = tmp_path / "newsintel.ftm.json"
    runner = CliRunner()
    result = runner.invoke(export, ["--format", "ftm", "-o", str(out), "--db", store.url])
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    result = runner.invoke(import_ftm, [str(out), "--db", store.url, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    actors = [e for e in exported if e["schema"] in ("Company", "PublicBody", "Person", "Organization")]
    assert summary["entities"] == len(actors) and summary["sanctions"] == 1
    with store.engine.connect() as fresh:
        names = set(fresh.execute(select(reference.reference_names.c.name)).scalars())
        assert {"SenseTime", "U.S. Department of Commerce", "Yin Qi"} <= names
        assert summary["matched"] == len(actors)  # each actor finds itself again
        flags = reference.sanction_flags(fresh, "company:sensetime")
    assert [(f["list"], f["authority"], f["dataset"]) for f in flags] == [
        ("Entity List", "U.S. Department of Commerce", "newsintel")]
