"""Events from sentences we wrote: each type, its roles, modality, dates and amounts."""

from __future__ import annotations

from newsintel.model import Event, Extraction


def events_of(result: Extraction, kind: str) -> list[Event]:
    return [e for e in result.events if e.type == kind]


def names(result: Extraction, ids: list[str]) -> set[str]:
    by_id = {e.id: e for e in result.entities}
    return {by_id[i].name for i in ids}


def test_acquisition_with_amount_and_relative_date(extract) -> None:
    result = extract("Samsung Electronics agreed in October last year to buy Harman for US$8 billion.",
                     published="2017-03-01")
    (event,) = events_of(result, "acquisition")
    assert names(result, event.roles["acquirer"]) == {"Samsung Electronics"}
    assert names(result, event.roles["target"]) == {"Harman"}
    assert event.amount is not None and event.amount.value == 8e9 and event.amount.currency == "USD"
    assert event.date is not None and (event.date.value, event.date.precision) == ("2016-10", "month")


def test_denied_or_hypothetical_acquisitions_are_not_events(extract) -> None:
    result = extract("Intel denied it would buy Tower Semiconductor. "
                     "Analysts said Qualcomm could acquire NXP Semiconductors next year.")
    assert events_of(result, "acquisition") == []


def test_sanction_list_names_every_target(extract) -> None:
    result = extract("The U.S. Commerce Department on Monday added Hikvision, Dahua and iFlytek "
                     "to the Entity List.", published="2019-10-08")
    (event,) = events_of(result, "sanction")
    assert names(result, event.roles["target"]) == {"Hikvision", "Dahua", "iFlytek"}
    assert names(result, event.roles["imposer"]) == {"U.S. Department of Commerce"}
    assert event.date is not None and event.date.value == "2019-10-07"
    assert "Entity List" in str(event.attributes.get("program"))


def test_partnership_between_two_parties(extract) -> None:
    result = extract("Microsoft formed a partnership with G42 to sell cloud services in the Gulf.")
    (event,) = events_of(result, "partnership")
    assert names(result, event.roles["party"]) == {"Microsoft", "G42"}


def test_expulsion_of_nationals_names_their_country(extract) -> None:
    result = extract("The Netherlands expelled two Russian diplomats on suspicion of spying.")
    (event,) = events_of(result, "expulsion")
    expelled = {e.country for e in result.entities if e.id in event.roles["expelled"]}
    assert expelled == {"RU"}
    assert "suspicion" in str(event.attributes.get("reason"))


def test_position_from_title_before_a_name(extract) -> None:
    result = extract("Nvidia chief executive Jensen Huang said demand was strong.")
    (event,) = events_of(result, "position")
    assert names(result, event.roles["person"]) == {"Jensen Huang"}
    assert names(result, event.roles["organization"]) == {"Nvidia"}
    assert event.attributes["title"] == "chief executive"


def test_investors_named_in_a_relative_clause(extract) -> None:
    result = extract("Zhipu, whose backers include Alibaba and Tencent, released a new model.")
    (event,) = events_of(result, "investment")
    assert names(result, event.roles["recipient"]) <= {"Zhipu", "Zhipu AI"}
    assert names(result, event.roles["investor"]) == {"Alibaba", "Tencent"}


def test_policy_with_targets_and_deadline(extract) -> None:
    result = extract("In 2017 the Chinese government published its New Generation AI Development Plan. "
                     "It aims to build an industry worth RMB 150 billion by 2020.")
    (event,) = events_of(result, "policy")
    assert {e.country for e in result.entities if e.id in event.roles["issuer"]} == {"CN"}
    assert event.date is not None and event.date.value == "2017"
    targets = event.attributes.get("targets")
    assert targets == [{"value": 1.5e11, "currency": "CNY", "deadline": "2020"}]


def test_contract_win_is_one_event_per_supplier(extract) -> None:
    result = extract("Both Ericsson and Nokia won contracts this year to build 5G networks in India.",
                     published="2022-08-01")
    suppliers = [names(result, e.roles["supplier"]) for e in events_of(result, "contract")]
    assert sorted(map(sorted, suppliers)) == [["Ericsson"], ["Nokia"]]


def test_repeated_mentions_of_one_occurrence_are_one_event(extract) -> None:
    result = extract("Huawei acquired Vocord last year. The purchase of Vocord by Huawei was its first in Russia.")
    assert len(events_of(result, "acquisition")) == 1


def test_every_event_is_well_formed(extract) -> None:
    result = extract("Washington put Huawei on its trade blacklist. Huawei said it would challenge the move. "
                     "SenseTime raised $620 million from investors in a round led by SoftBank.")
    ids = {e.id for e in result.entities}
    for event in result.events:
        assert 0.0 < event.confidence < 1.0
        assert all(i in ids for role in event.roles.values() for i in role)
        for span in event.evidence:
            assert result.document.text[span.start:span.end] == span.text
