"""The dossier: identity, facts by type in time order with sources, counterparties ranked."""

from __future__ import annotations

from sqlalchemy import Connection

from newsintel.query.dossier import dossier


def test_dossier_shape_and_grouping(conn: Connection) -> None:
    result = dossier(conn, "company:sensetime")
    assert list(result) == ["entity", "facts", "facts_total", "counterparties", "sanctions"]
    assert result["sanctions"] == []  # no reference list imported in this store
    assert result["entity"] == {"id": "company:sensetime", "name": "SenseTime", "type": "company",
                                "country": "CN", "aliases": []}
    assert [(f["type"], f["id"]) for f in result["facts"]] == [
        ("contract", "f-contract"), ("investment", "f-invest"), ("sanction", "f-sanction"), ("sanction", "f-ban")]
    assert result["facts_total"] == 4


def test_fact_dict_is_exactly_the_documented_form(conn: Connection) -> None:
    sanction = next(f for f in dossier(conn, "company:sensetime")["facts"] if f["id"] == "f-sanction")
    assert sanction == {
        "id": "f-sanction", "type": "sanction", "date": {"value": "2019-10", "precision": "month"},
        "roles": {"imposer": [{"id": "government_body:us-commerce", "name": "U.S. Department of Commerce"}],
                  "target": [{"id": "company:sensetime", "name": "SenseTime"}]},
        "amount": None,
        "sources": [
            {"document_id": "d1", "url": "https://example.org/d1",
             "title": "Commerce adds SenseTime to the Entity List", "published": "2019-10-08",
             "sentence": "The U.S. Department of Commerce added SenseTime to the Entity List on Monday."},
            {"document_id": "d2", "url": "https://example.org/d2", "title": "US blacklists Chinese AI firms",
             "published": "2019-10-09", "sentence": "The Commerce Department put SenseTime on the Entity List."}],
        "independent_sources": 2}


def test_amount(conn: Connection) -> None:
    investment = next(f for f in dossier(conn, "company:sensetime")["facts"] if f["type"] == "investment")
    assert investment["amount"] == {"value": 1e9, "currency": "USD"}


def test_counterparties_ranked_by_shared_facts_then_name(conn: Connection) -> None:
    assert dossier(conn, "company:sensetime")["counterparties"] == [
        {"id": "government_body:us-commerce", "name": "U.S. Department of Commerce", "type": "government_body",
         "facts": 2},
        {"id": "company:softbank", "name": "SoftBank", "type": "company", "facts": 1},
        {"id": "government_body:xinjiang-psb", "name": "Xinjiang Public Security Bureau", "type": "government_body",
         "facts": 1},
    ]


def test_limit_keeps_the_most_recent_and_counts_all(conn: Connection) -> None:
    result = dossier(conn, "company:sensetime", limit=2)
    assert [f["id"] for f in result["facts"]] == ["f-contract", "f-ban"]  # the two newest, grouped by type
    assert result["facts_total"] == 4


def test_undated_facts_are_listed_last_within_their_type(conn: Connection) -> None:
    result = dossier(conn, "country:us")
    assert [f["id"] for f in result["facts"]] == ["f-policy", "f-sanction-us"]
    assert result["facts"][0]["date"] is None
    assert result["entity"]["aliases"] == ["U.S.", "Washington"]


def test_entity_without_facts(conn: Connection) -> None:
    result = dossier(conn, "program:entity-list")
    assert result["facts"] == [] and result["facts_total"] == 0 and result["counterparties"] == []


def test_counterparties_are_counted_over_the_facts_listed(conn: Connection) -> None:
    result = dossier(conn, "company:sensetime", limit=2)  # f-contract (Xinjiang PSB) and f-ban (Commerce)
    assert [(c["id"], c["facts"]) for c in result["counterparties"]] == [
        ("government_body:us-commerce", 1), ("government_body:xinjiang-psb", 1)]


def test_a_capped_total_is_a_lower_bound_and_says_so(conn: Connection) -> None:
    result = dossier(conn, "company:sensetime", total_cap=3)
    assert result["facts_total"] == 3 and result["facts_total_capped"] is True
    assert len(result["facts"]) == 4
    assert "facts_total_capped" not in dossier(conn, "company:sensetime", total_cap=4)


def test_ties_on_the_cut_date_are_broken_by_id(conn: Connection) -> None:
    from sqlalchemy import insert, update

    from newsintel.store.schema import fact_roles, facts
    for fact_id in ("f-ban", "f-contract", "f-sanction"):  # three facts on one date; keep two
        conn.execute(update(facts).where(facts.c.id == fact_id).values(date_value="2020-01"))
        conn.execute(update(fact_roles).where(fact_roles.c.fact_id == fact_id).values(date_value="2020-01"))
    # an entity in two roles of one fact has two index entries: still one fact
    conn.execute(insert(fact_roles).values(fact_id="f-ban", role="witness", entity_id="company:sensetime",
                                           type="sanction", date_value="2020-01"))
    result = dossier(conn, "company:sensetime", limit=2)
    assert sorted(f["id"] for f in result["facts"]) == ["f-ban", "f-contract"]
    assert result["facts_total"] == 4
