"""Entities: reference data corrects the NER, mentions fold into one entity per actor."""

from __future__ import annotations

from newsintel.model import Extraction


def by_name(result: Extraction) -> dict[str, object]:
    return {e.name: e for e in result.entities}


def test_capital_acting_politically_is_its_country(extract) -> None:
    result = extract("Washington said on Monday it would respond. Moscow rejected the claim.")
    countries = {e.country for e in result.entities if e.type == "country"}
    assert {"US", "RU"} <= countries


def test_capital_as_a_place_is_not_an_actor(extract) -> None:
    result = extract("The start-up opened offices in Tokyo last year.")
    assert not [e for e in result.entities if e.type == "country" and e.country == "JP"]


def test_seat_of_power_is_its_country(extract) -> None:
    result = extract("The Kremlin said the plan would go ahead.")
    assert any(e.country == "RU" and e.type == "country" for e in result.entities)


def test_acronym_in_brackets_folds_into_long_name(extract) -> None:
    text = ("The Korea Advanced Institute of Science and Technology (KAIST) opened a lab. "
            "KAIST said the lab would hire forty researchers.")
    result = extract(text)
    kaist = [e for e in result.entities if "KAIST" in [e.name, *e.aliases]]
    assert len(kaist) == 1
    assert kaist[0].type == "organization"
    assert len(kaist[0].mentions) >= 2


def test_legal_name_and_short_name_are_one_company(extract) -> None:
    result = extract("Huawei Technologies Co. reported higher sales. Huawei said demand was strong.")
    huawei = [e for e in result.entities if e.name == "Huawei"]
    assert len(huawei) == 1 and len(huawei[0].mentions) == 2
    assert huawei[0].type == "company" and huawei[0].country == "CN"


def test_a_different_firm_sharing_a_word_stays_apart(extract) -> None:
    result = extract("Alibaba Cloud signed the deal. Alibaba shares rose on the news.")
    names = {e.name for e in result.entities if e.type == "company"}
    assert "Alibaba" in names and any(n != "Alibaba" and "Cloud" in n for n in names)


def test_lone_surname_joins_the_full_name(extract) -> None:
    result = extract("Deputy minister Anna Kowalczyk visited the plant. Kowalczyk praised the engineers.")
    people = [e for e in result.entities if e.type == "person"]
    assert len(people) == 1
    assert people[0].name == "Anna Kowalczyk" and len(people[0].mentions) == 2


def test_mention_offsets_point_into_the_clean_text(extract) -> None:
    result = extract("Beijing named Baidu a national champion. Baidu welcomed the decision.")
    for entity in result.entities:
        for mention in entity.mentions:
            assert result.document.text[mention.start:mention.end] == mention.text


def test_government_phrase_is_the_country(extract) -> None:
    result = extract("The Trump administration said the rules were final.")
    assert any(e.country == "US" and e.type == "country" for e in result.entities)


def test_numbers_with_currency_are_not_organisations(extract) -> None:
    result = extract("The firm hoped to raise HK$5.99bn in the offering.")
    assert not [e for e in result.entities if "5.99" in e.name]


def test_a_name_at_the_very_end_of_the_text(extract) -> None:  # type: ignore[no-untyped-def]
    """A name that is the text's last token (no full stop after it) is found, not an IndexError."""
    found = extract("Shares rose after the deal was announced by Huawei Technologies", published="2020-01-01")
    assert "Huawei" in {e.name for e in found.entities}
