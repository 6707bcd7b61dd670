"""import-ftm: an OpenSanctions-style file becomes reference data, and the dossier names the lists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Connection, func, select

from newsintel.cli.export_commands import import_ftm
from newsintel.export.ftm_import import import_ftm as run_import
from newsintel.query.flags import flag_text, sanction_flags
from newsintel.store import reference
from newsintel.store.db import Store
from tests.export.conftest import FIXTURES

SAMPLE = FIXTURES / "opensanctions_sample.ftm.json"


def load(store: Store, *paths: Path) -> dict[str, int]:
    result = CliRunner().invoke(import_ftm, [*map(str, paths), "--db", store.url, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_listed_company_in_our_store_is_flagged_with_its_list(store: Store) -> None:
    summary = load(store, SAMPLE)
    assert summary == {"entities": 5, "names": 8, "sanctions": 2, "matched": 3, "skipped": 1, "failed": 0}
    with store.engine.connect() as conn:
        flags = sanction_flags(conn, "company:sensetime")
    assert flags == [{"list": "Entity List (EL) - Bureau of Industry and Security",
                      "authority": "Bureau of Industry and Security", "source_id": "us-csl-sanc-4f1a0c9d",
                      "program": "Entity List (EL) - Bureau of Industry and Security", "dataset": "us_trade_csl",
                      "name": "SenseTime Group Limited", "since": "2019-10-09"}]
    assert flag_text(flags[0]).startswith("sanctioned: Entity List (EL)")


def test_nested_sanctions_and_topics_flag_too(store: Store) -> None:
    load(store, SAMPLE)
    with store.engine.connect() as conn:
        vocord = sanction_flags(conn, "company:vocord")
        huawei = sanction_flags(conn, "company:huawei")
    assert [(f["list"], f["authority"], f["source_id"]) for f in vocord] == [
        ("Ukraine NSDC sanctions", "National Security and Defense Council", "ua-nsdc-sanc-v0c0rd")]
    assert [(f["list"], f["authority"], f["source_id"]) for f in huawei] == [
        ("us_trade_csl", None, "NK-HuaWe1Techn0logies")]  # topic "sanction", no Sanction entity


def test_a_different_kind_or_country_is_not_a_match(store: Store) -> None:
    load(store, SAMPLE)
    with store.engine.connect() as conn:
        assert sanction_flags(conn, "company:softbank") == []  # the list's "SoftBank" is a Person
        assert sanction_flags(conn, "company:megvii") == []  # the list's Megvii is Russian, ours Chinese
        matched = set(conn.execute(select(reference.reference_matches.c.entity_id)).scalars())
    assert matched == {"company:sensetime", "company:huawei", "company:vocord"}


def test_importing_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "again.json"
    shutil.copy(SAMPLE, copy)
    load(store, SAMPLE)
    with store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(reference.reference_names)).scalar_one()
    load(store, SAMPLE)
    with store.engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(reference.reference_names)).scalar_one()
    assert before == after == 8


def test_bad_lines_are_reported_and_skipped(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('not json\n{"schema": "Nonsense", "id": "x"}\n'
                   '{"id": "p1", "schema": "Person", "properties": {"name": ["Yin Qi"]}}\n', encoding="utf-8")
    result = CliRunner().invoke(import_ftm, [str(bad), "--db", store.url])
    assert result.exit_code == 1
    assert "bad.json:1" in result.stderr and "bad.json:2" in result.stderr
    assert "1 reference entities" in result.stdout


def test_a_store_without_reference_tables_has_no_flags(conn: Connection) -> None:
    for table in reversed(reference.TABLES):
        table.drop(conn, checkfirst=True)
    assert sanction_flags(conn, "company:sensetime") == []
    summary = run_import(conn, [SAMPLE])  # creates them again
    assert summary.sanctions == 2 and sanction_flags(conn, "company:sensetime")
