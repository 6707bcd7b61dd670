"""The query commands: --json parses into the documented forms, human output reads, errors are one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from newsintel.cli import main
from newsintel.store.db import Store


def run(store: Store, *args: str) -> Result:
    return CliRunner().invoke(main, [args[0], "--db", store.url, *args[1:]], catch_exceptions=False)


def test_commands_are_registered() -> None:
    listing = CliRunner().invoke(main, ["--help"]).output
    for command in ("dossier", "timeline", "network", "search", "since", "stats"):
        assert command in listing


def test_dossier_json_and_forgiving_name(store: Store) -> None:
    result = run(store, "dossier", "huawei technologies", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "company:huawei"
    assert set(data) == {"entity", "facts", "facts_total", "counterparties", "sanctions"}
    assert [f["id"] for f in data["facts"]] == ["f-partner", "f-sanction-huawei", "f-sanction-us"]


def test_dossier_for_people(store: Store) -> None:
    result = run(store, "dossier", "SenseTime")
    assert result.exit_code == 0
    out = result.stdout
    for text in ("SenseTime (company, CN)", "sanction (2)", "Counterparties", "U.S. Department of Commerce",
                 "1,000,000,000 USD", "Commerce adds SenseTime to the Entity List (2019-10-08)"):
        assert text in out
    assert "\x1b[" not in out  # no colour codes when piped


def test_unknown_name_is_one_line_with_suggestions(store: Store) -> None:
    result = run(store, "dossier", "Huawie")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no entity named 'Huawie'; did you mean: Huawei?"


def test_timeline_json_and_filters(store: Store) -> None:
    result = run(store, "timeline", "--entity", "HUAWEI", "--type", "sanction", "--since", "2019", "--json")
    assert [f["id"] for f in json.loads(result.stdout)] == ["f-sanction-huawei", "f-sanction-us"]
    result = run(store, "timeline", "--country", "JP", "--until", "2019")
    assert result.exit_code == 0 and "SoftBank" in result.stdout
    bad = run(store, "timeline", "--since", "soon")
    assert bad.exit_code == 1 and "is not a date" in bad.stderr


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "dot"])
def test_network_formats(store: Store, fmt: str) -> None:
    result = run(store, "network", "--entity", "SenseTime", "--depth", "1", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        graph = nx.node_link_graph(json.loads(result.stdout), edges="links")
    elif fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(result.stdout.encode()))
    elif fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(result.stdout.encode()))
    else:
        assert result.stdout.startswith("digraph newsintel {") and result.stdout.rstrip().endswith("}")
        return
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 4


def test_network_json_flag_and_output_file(store: Store, tmp_path: Path) -> None:
    assert json.loads(run(store, "network", "--json", "--type", "partnership").stdout)["links"][0]["fact_id"] == (
        "f-partner")
    target = tmp_path / "g.gexf"
    assert run(store, "network", "--format", "gexf", "-o", str(target)).exit_code == 0
    assert nx.read_gexf(target).number_of_edges() == 7


def test_search_json_and_hostile_text(store: Store) -> None:
    data = json.loads(run(store, "search", "SenseTime", "--json").stdout)
    assert data["documents"][0]["snippet"] and data["entities"][0]["id"] == "company:sensetime"
    for hostile in ('huawei" OR x', "-", "*", "NEAR("):
        result = run(store, "search", "--json", "--", hostile)
        assert result.exit_code == 0 and set(json.loads(result.stdout)) == {"documents", "entities"}
    human = run(store, "search", "huawei")
    assert human.exit_code == 0 and "**Huawei**" in human.stdout


def test_since_with_a_watch_list(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "watch.txt"
    watch.write_text("# our actors\nhuawei technologies\n\nHuawie Marrine Zzz\nsoftbank\n", encoding="utf-8")
    result = run(store, "since", "2024-01-01", "--watch", str(watch), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["since"] == "2024-01-01"
    assert data["watch"] == [{"name": "huawei technologies", "id": "company:huawei", "entity": "Huawei"},
                             {"name": "softbank", "id": "company:softbank", "entity": "SoftBank"}]
    assert data["unknown"][0]["name"] == "Huawie Marrine Zzz"
    assert [f["id"] for f in data["facts"]] == ["f-invest", "f-sanction-huawei", "f-partner", "f-sanction-us"]
    assert "no entity named 'Huawie Marrine Zzz'" in result.stderr
    human = run(store, "since", "2024-03")
    assert human.exit_code == 0 and "4 fact(s) new since 2024-03" in human.stdout


def test_since_when_no_watched_name_is_known(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "watch.txt"
    watch.write_text("Nobody Inc\n", encoding="utf-8")
    result = run(store, "since", "2024", "--watch", str(watch))
    assert result.exit_code == 1 and "none of the watched names" in result.stderr


def test_stats(store: Store) -> None:
    data = json.loads(run(store, "stats", "--json").stdout)
    assert {"documents", "entities", "facts", "sources", "failures", "duplicates"} <= set(data)
    assert data["facts"] == 8
    assert "facts: sanction" in run(store, "stats").stdout


def test_missing_store_is_one_line_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing.db"
    result = CliRunner().invoke(main, ["stats", "--db", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no store at") and len(result.stderr.strip().splitlines()) == 1
    assert not path.exists()


def test_a_database_without_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    result = CliRunner().invoke(main, ["dossier", "Huawei", "--db", str(path)])
    assert result.exit_code == 1 and "no newsintel store" in result.stderr
