"""The built-in scorer: unit behaviour, and agreement with the official ../shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsintel.errors import NewsIntelError
from newsintel.evaluate.report import format_report
from newsintel.evaluate.scorer import (
    LEGAL_SUFFIXES,
    evaluate,
    gold_side,
    load_jsonl,
    misses,
    normalize_name,
    system_side,
)

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = REPO_ROOT.parent / "shared" / "eval" / "score.py"
PAIRS = ("basic", "twophase")


def official() -> ModuleType:
    """The official scorer, imported from its file; the test is skipped where it is absent."""
    if not OFFICIAL.exists():
        pytest.skip(f"official scorer not found at {OFFICIAL}")
    spec = importlib.util.spec_from_file_location("official_score", OFFICIAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pair(name: str) -> tuple[dict[str, dict], dict[str, dict]]:
    return load_jsonl(FIXTURES / f"{name}.gold.jsonl"), load_jsonl(FIXTURES / f"{name}.system.jsonl")


# --- small document builders ------------------------------------------------------------------


def gold_doc(entities: list[tuple[str, str, list[str]]], events: list[dict], published: str | None = None,
             ident: str = "d") -> dict[str, Any]:
    ents = [{"key": k, "type": t, "names": n, "country": None} for k, t, n in entities]
    return {"id": ident, "published": published, "entities": ents, "events": events}


def system_doc(entities: list[tuple[str, str, str]], events: list[dict], published: str | None = None,
               ident: str = "d") -> dict[str, Any]:
    ents = [{"id": i, "type": t, "name": n, "aliases": [], "mentions": []} for i, t, n in entities]
    return {"document": {"id": ident, "published": published}, "entities": ents, "events": events}


def ev(kind: str, date: str | None = None, amount: tuple[float, str] | None = None, **roles: list) -> dict:
    out: dict[str, Any] = {"type": kind, "roles": roles}
    if date:
        out["date"] = {"value": date, "precision": "day"}
    if amount:
        out["amount"] = {"value": amount[0], "currency": amount[1]}
    return out


# --- agreement with score.py -------------------------------------------------------------------


@pytest.mark.parametrize("name", PAIRS)
def test_result_dict_equals_official_scorer_on_fixtures(name: str) -> None:
    gold, system = load_pair(name)
    assert evaluate(gold, system).to_dict() == official().score(gold, system)


@pytest.mark.parametrize("name", PAIRS)
def test_misses_equal_official_scorer_lines(name: str) -> None:
    gold, system = load_pair(name)
    expected = official().score(gold, system, misses=True)["misses"]
    assert expected  # the fixtures are built to have misses
    assert misses(gold, system) == expected


def test_result_dict_equals_official_scorer_with_no_system_output() -> None:
    gold, _ = load_pair("basic")
    assert evaluate(gold, {}).to_dict() == official().score(gold, {})


def random_pair(rng: random.Random) -> tuple[dict[str, dict], dict[str, dict]]:
    """A random gold/system corpus over a tiny vocabulary, so names, roles and details collide often."""
    names = ["Alpha", "Beta Ltd", "Gamma & Sons", "Délta", "Beta", "France", "Alpha Group"]
    types = ["company", "country", "person", "program", "organization"]
    dates = [None, "2020", "2020-03", "2020-03-09", "2021"]
    amounts = [None, (100.0, "USD"), (100.5, "usd"), (200.0, "EUR")]
    gold: dict[str, dict] = {}
    system: dict[str, dict] = {}
    for d in range(rng.randint(1, 4)):
        ident = f"r{d}"
        g_ents = [(f"g{i}", rng.choice(types), rng.sample(names, rng.randint(1, 2))) for i in range(4)]
        s_ents = [(f"s{i}", rng.choice(types), rng.choice(names)) for i in range(4)]
        g_keys, s_keys = [k for k, _, _ in g_ents], [k for k, _, _ in s_ents]

        def events(keys: list[str], gold_side: bool) -> list[dict]:
            out = []
            for _ in range(rng.randint(0, 5)):
                kind = rng.choice(["partnership", "sanction", "acquisition", "position", "policy"])
                roles = {"party": ["party"], "sanction": ["imposer", "target"],
                         "acquisition": ["acquirer", "target"], "position": ["person", "organization"],
                         "policy": ["issuer"]}[kind if kind != "partnership" else "party"]
                filled: dict[str, list] = {}
                for role in roles:
                    items: list = rng.sample(keys, rng.randint(1, 3))
                    if gold_side and rng.random() < 0.3:
                        items[0] = rng.sample(keys, 2)  # a list of alternatives
                    if rng.random() < 0.1:
                        items.append("unknown")
                    filled[role] = items
                out.append(ev(kind, rng.choice(dates), rng.choice(amounts), **filled))
            return out

        gold[ident] = gold_doc(g_ents, events(g_keys, True), rng.choice(dates), ident)
        if rng.random() < 0.85:
            system[ident] = system_doc(s_ents, events(s_keys, False), rng.choice(dates), ident)
    return gold, system


def test_result_and_misses_equal_official_scorer_on_random_corpora() -> None:
    score = official()
    rng = random.Random(7)
    for _ in range(300):
        gold, system = random_pair(rng)
        expected = score.score(gold, system, misses=True)
        assert misses(gold, system) == expected.pop("misses")
        assert evaluate(gold, system).to_dict() == expected


def test_legal_suffixes_are_the_official_list() -> None:
    assert official().SUFFIXES == LEGAL_SUFFIXES


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "normal"), [
    ("Huawei Technologies Co., Ltd.", "huawei"),
    ("Société Générale", "societe generale"),
    ("AT&T", "at and t"),
    ("U.S.", "u s"),
    ("The Group", "the group"),  # only suffix words: kept whole, not emptied
    ("  BYTEDANCE   Inc ", "bytedance"),
    (None, ""),
])
def test_normalize_name(raw: str | None, normal: str) -> None:
    assert normalize_name(raw) == normal


def test_country_matches_by_iso_code_across_different_names() -> None:
    gold = gold_doc([], [])
    gold["entities"] = [{"key": "c", "type": "country", "country": "cn", "names": ["China"]}]
    system = system_doc([], [])
    system["entities"] = [{"id": "x", "type": "country", "country": "CN", "name": "Middle Kingdom"}]
    assert evaluate({"d": gold}, {"d": system}).entities_typed.matched == 1


def test_system_entity_matches_by_mention_text() -> None:
    gold = gold_doc([("a", "company", ["Northwind Analytics"])], [ev("listing", company=["a"])])
    system = system_doc([("x", "company", "NWA")], [ev("listing", company=["x"])])
    assert evaluate({"d": gold}, {"d": system}).events.matched == 0
    system["entities"][0]["mentions"] = [{"start": 0, "end": 19, "text": "Northwind Analytics"}]
    assert evaluate({"d": gold}, {"d": system}).events.matched == 1


# --- tuples ------------------------------------------------------------------------------------


def test_partnership_gives_one_tuple_per_pair_of_parties() -> None:
    gold = gold_doc([(k, "country", [k]) for k in "abcd"], [ev("partnership", party=["a", "b", "c", "d"])])
    side = gold_side(gold)
    assert [t.roles for t in side.tuples] == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"),
                                              ("c", "d")]


def test_partnership_pair_matches_in_either_order() -> None:
    gold = gold_doc([("a", "country", ["France"]), ("b", "country", ["Chile"])],
                    [ev("partnership", party=["a", "b"])])
    system = system_doc([("x", "country", "Chile"), ("y", "country", "France")],
                        [ev("partnership", party=["x", "y"])])
    assert evaluate({"d": gold}, {"d": system}).events.matched == 1


def test_other_types_give_the_product_of_required_roles_only() -> None:
    gold = gold_doc([(k, "company", [k]) for k in "abcde"],
                    [ev("sanction", imposer=["a", "b"], target=["c", "d", "e"]),
                     ev("investment", recipient=["c"], investor=["a", "b"])])
    side = gold_side(gold)
    assert sorted(t.roles for t in side.tuples if t.type == "sanction") == [
        ("a", "c"), ("a", "d"), ("a", "e"), ("b", "c"), ("b", "d"), ("b", "e")]
    assert [t.roles for t in side.tuples if t.type == "investment"] == [("c",)]  # investor is optional


def test_unknown_ids_and_types_give_no_tuples() -> None:
    system = system_doc([("x", "company", "X")], [ev("listing", company=["nope"]), ev("merger", a=["x"]),
                                                  ev("acquisition", acquirer=["x"])])
    assert system_side(system).tuples == []


def test_gold_alternatives_accept_either_reading() -> None:
    gold = gold_doc([("dept", "government_body", ["Commerce Department"]),
                     ("us", "country", ["United States"]), ("t", "company", ["Target"])],
                    [ev("sanction", imposer=[["dept", "us"]], target=["t"])])
    for imposer in ("Commerce Department", "United States"):
        system = system_doc([("i", "country", imposer), ("t", "company", "Target")],
                            [ev("sanction", imposer=["i"], target=["t"])])
        result = evaluate({"d": gold}, {"d": system})
        assert (result.events.gold, result.events.matched) == (1, 1)


def test_system_role_lists_are_not_alternatives() -> None:
    system = system_doc([("x", "company", "X")], [ev("listing", company=[["x"]])])
    assert system_side(system).tuples == []


# --- matching and details ----------------------------------------------------------------------


def test_two_phase_matching_pairs_tuples_that_agree_on_date_and_amount() -> None:
    gold = gold_doc([("a", "company", ["A"])], [ev("listing", "2019", (5.0, "USD"), company=["a"]),
                                                ev("listing", "2021", (9.0, "USD"), company=["a"]),
                                                ev("listing", company=["a"])])
    # A single plain matching would pair them in order: 2019 with 2021, 2021 with 2019.
    system = system_doc([("x", "company", "A")], [ev("listing", "2021-05-01", (9.0, "USD"), company=["x"]),
                                                  ev("listing", "2019-01", (5.02, "usd"), company=["x"]),
                                                  ev("listing", company=["x"])])
    result = evaluate({"d": gold}, {"d": system})
    assert result.events.matched == 3
    assert (result.date_accuracy.hits, result.date_accuracy.total) == (2, 2)
    assert (result.amount_accuracy.hits, result.amount_accuracy.total) == (2, 2)


def test_tuple_matches_at_most_once() -> None:
    gold = gold_doc([("a", "company", ["A"])], [ev("listing", company=["a"])])
    system = system_doc([("x", "company", "A")], [ev("listing", company=["x"]), ev("listing", company=["x"])])
    result = evaluate({"d": gold}, {"d": system})
    assert (result.events.system, result.events.matched) == (2, 1)
    assert misses({"d": gold}, {"d": system}) == ["d\tspurious\tlisting\ta"]


@pytest.mark.parametrize(("gold_date", "system_date", "agrees"), [
    ("2019-10", "2019-10-03", True),   # finer system date agrees at the gold's precision
    ("2019-10", "2019", False),        # coarser system date does not
    ("2019", "2019-12-31", True),
    ("2019-10", None, False),
])
def test_date_accuracy_at_gold_precision(gold_date: str, system_date: str | None, agrees: bool) -> None:
    gold = gold_doc([("a", "company", ["A"])], [ev("listing", gold_date, company=["a"])])
    system = system_doc([("x", "company", "A")], [ev("listing", system_date, company=["x"])])
    result = evaluate({"d": gold}, {"d": system})
    assert (result.date_accuracy.hits, result.date_accuracy.total) == (int(agrees), 1)


@pytest.mark.parametrize(("system_amount", "agrees"), [
    ((1_010_000, "cad"), True),    # within 1%, currency case ignored
    ((1_020_000, "CAD"), False),   # 2% off
    ((1_000_000, "USD"), False),   # wrong currency
    (None, False),
])
def test_amount_accuracy_within_one_percent_same_currency(system_amount: tuple | None, agrees: bool) -> None:
    gold = gold_doc([("a", "company", ["A"])], [ev("listing", amount=(1_000_000, "CAD"), company=["a"])])
    system = system_doc([("x", "company", "A")], [ev("listing", amount=system_amount, company=["x"])])
    result = evaluate({"d": gold}, {"d": system})
    assert (result.amount_accuracy.hits, result.amount_accuracy.total) == (int(agrees), 1)
    assert result.date_accuracy.value is None  # no gold date: nothing judged


def test_document_date_accuracy_only_where_gold_has_a_date() -> None:
    gold = {"a": gold_doc([], [], "2020-09-03", "a"), "b": gold_doc([], [], None, "b"),
            "c": gold_doc([], [], "2020-09", "c")}
    system = {"a": system_doc([], [], "2020-09-03", "a"), "b": system_doc([], [], "2011-01-01", "b"),
              "c": system_doc([], [], "2020-10-01", "c")}
    result = evaluate(gold, system)
    assert (result.document_date_accuracy.hits, result.document_date_accuracy.total) == (1, 2)
    assert result.to_dict()["document_date_accuracy"] == 0.5


def test_entities_typed_requires_same_type_and_skips_programs() -> None:
    gold = gold_doc([("a", "company", ["Acme"]), ("p", "program", ["Entity List"])], [])
    system = system_doc([("x", "organization", "Acme"), ("y", "program", "Entity List")], [])
    result = evaluate({"d": gold}, {"d": system})
    untyped = result.entities_untyped
    assert (untyped.gold, untyped.system, untyped.matched) == (1, 1, 1)
    assert result.entities_typed.matched == 0


def test_by_type_and_without_position_counts() -> None:
    gold = gold_doc([("p", "person", ["Ann Lee"]), ("o", "company", ["Acme"])],
                    [ev("position", person=["p"], organization=["o"]), ev("listing", company=["o"])])
    system = system_doc([("x", "person", "Ann Lee"), ("y", "company", "Acme")],
                        [ev("position", person=["x"], organization=["y"]), ev("policy", issuer=["y"])])
    out = evaluate({"d": gold}, {"d": system}).to_dict()
    assert out["by_type"] == {"listing": {"gold": 1, "system": 0, "matched": 0, "f1": 0.0},
                              "policy": {"gold": 0, "system": 1, "matched": 0, "f1": 0.0},
                              "position": {"gold": 1, "system": 1, "matched": 1, "f1": 1.0}}
    assert out["events"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "gold": 2, "system": 2, "matched": 1}
    assert out["events_without_position"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_to_dict_keys_in_official_order() -> None:
    assert list(evaluate({}, {}).to_dict()) == [
        "documents", "documents_answered", "events", "date_accuracy", "amount_accuracy",
        "document_date_accuracy", "by_type", "events_without_position", "entities_typed", "entities_untyped"]


# --- loading -----------------------------------------------------------------------------------


def test_load_jsonl_reads_gold_and_system_ids(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": 7}\n\n{"document": {"id": "s1"}}\n', encoding="utf-8")
    assert set(load_jsonl(path)) == {"7", "s1"}


@pytest.mark.parametrize(("content", "message"), [
    ('{"id": "a"}\n{not json\n', "x.jsonl:2: not JSON"),
    ('{"id": "a"}\n{"document": {}}\n', "x.jsonl:2: no document id"),
    ('[1, 2]\n', "x.jsonl:1: not a JSON object"),
])
def test_load_jsonl_errors_name_path_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NewsIntelError, match=message):
        load_jsonl(path)


def test_load_jsonl_missing_file_is_a_newsintel_error(tmp_path: Path) -> None:
    with pytest.raises(NewsIntelError, match="cannot read"):
        load_jsonl(tmp_path / "absent.jsonl")


# --- report ------------------------------------------------------------------------------------


def test_report_shows_precision_recall_f1_per_type_and_accuracies() -> None:
    gold, system = load_pair("basic")
    report = format_report(evaluate(gold, system))
    lines = report.splitlines()
    assert lines[0] == "documents answered: 3/4"
    partnership = next(line for line in lines if line.strip().startswith("partnership"))
    assert partnership.split() == ["partnership", "3", "1", "1", "1.000", "0.333", "0.500"]
    assert ["event", "amounts", "0.500", "(1/2)"] in [line.split() for line in lines]
    assert "without position" in report and "typed" in report
    assert report == format_report(evaluate(gold, system))  # stable
    assert json.dumps(evaluate(gold, system).to_dict())  # JSON-serialisable


def test_report_marks_unjudged_accuracy_as_na() -> None:
    report = format_report(evaluate({}, {}))
    assert ["event", "dates", "n/a", "(0/0)"] in [line.split() for line in report.splitlines()]
    assert "(no event tuples on either side)" in report
