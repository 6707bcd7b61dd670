"""Position events through the whole pipeline, one sentence shape per test (sentences written for the tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsintel.model import Extraction

Extract = Callable[[str], Extraction]


def positions(result: Extraction) -> set[tuple[str, str, str | None]]:
    """(person, organisation, status) of every position event."""
    names = {e.id: e.name for e in result.entities}
    return {(names[e.roles["person"][0]], names[e.roles["organization"][0]], e.attributes.get("status"))
            for e in result.events if e.type == "position"}


def people(result: Extraction) -> set[str]:
    return {person for person, _, _ in positions(result)}


def test_organisation_then_title_then_person(extract: Extract) -> None:
    result = extract("Siemens chief executive Roland Busch said on Tuesday that orders had risen.")
    assert ("Roland Busch", "Siemens", None) in positions(result)


def test_appositive_title_after_person_with_a_ministry_word(extract: Extract) -> None:
    result = extract("The U.S. Commerce Department added twelve firms to its trade blacklist on Friday. "
                     "Mark Halvorsen, the under secretary of commerce for industry and security, said the "
                     "agency would keep watching exports.")
    assert {(p, o) for p, o, _ in positions(result)} == {("Mark Halvorsen", "U.S. Department of Commerce")}


def test_ministry_in_the_title_prefers_the_body_the_article_names(extract: Extract) -> None:
    result = extract("The U.S. Commerce Department tightened export rules for chips on Monday. "
                     "Commerce Secretary Gina Raimondo said China would find it harder to buy them.")
    assert ("Gina Raimondo", "U.S. Department of Commerce", None) in positions(result)
    assert not any(org == "China" for _, org, _ in positions(result))


def test_government_title_without_a_body_goes_to_the_acting_country(extract: Extract) -> None:
    result = extract("The Dutch government said on Tuesday that it had expelled two Russian diplomats. "
                     "Foreign Minister Pieter Jansen said the men had worked for Moscow's intelligence services.")
    assert ("Pieter Jansen", "Netherlands", None) in positions(result)
    assert not any(org == "Russia" for _, org, _ in positions(result))


def test_demonym_in_the_title_names_the_country(extract: Extract) -> None:
    result = extract("Germany and France signed a cooperation agreement on batteries. "
                     "Russian deputy prime minister Alexei Orlov criticised the deal on Thursday.")
    assert ("Alexei Orlov", "Russia", None) in positions(result)


def test_secretary_of_state(extract: Extract) -> None:
    result = extract("Washington imposed new sanctions on Iran on Monday. "
                     "Secretary of State Antony Blinken said the measures targeted drone makers.")
    assert ("Antony Blinken", "United States", None) in positions(result)


def test_bare_corporate_title_belongs_to_the_firm_in_focus(extract: Extract) -> None:
    result = extract("Nokia said its quarterly sales fell 10 percent as operators cut spending. "
                     "Chief executive Pekka Lundmark has argued that the slowdown will be short.")
    assert ("Pekka Lundmark", "Nokia", None) in positions(result)


def test_possessive_title_then_person_in_commas(extract: Extract) -> None:
    result = extract("Siemens's chief executive, Roland Busch, said the company would hire 500 engineers.")
    assert ("Roland Busch", "Siemens", None) in positions(result)


def test_said_person_director_of_organisation(extract: Extract) -> None:
    result = extract("The rules are too vague, said Maria Keller, director of the Fraunhofer Society.")
    assert {(p, o) for p, o, _ in positions(result)} == {("Maria Keller", "Fraunhofer Society")}


def test_who_heads(extract: Extract) -> None:
    result = extract("Export curbs will not work, said Jonathan Pryce, who heads the Brookings Institution.")
    assert ("Jonathan Pryce", "Brookings Institution", None) in positions(result)


def test_which_person_founded(extract: Extract) -> None:
    result = extract("Alibaba, which Jack Ma founded in 1999, said it would split into six units.")
    assert ("Jack Ma", "Alibaba", None) in positions(result)


def test_former_before_the_title(extract: Extract) -> None:
    result = extract("Former Toshiba chairman Nobuaki Kurumatani resigned from the board of Sony in April.")
    assert ("Nobuaki Kurumatani", "Toshiba", "former") in positions(result)


def test_removed_as_and_appointed_as(extract: Extract) -> None:
    result = extract("Alibaba Group said on Monday that it had removed Zhou Wei as chief executive and appointed "
                     "Li Ming and Chen Hao as co-chief executives.")
    found = positions(result)
    assert ("Zhou Wei", "Alibaba", "former") in found
    assert ("Li Ming", "Alibaba", None) in found
    assert ("Chen Hao", "Alibaba", None) in found


def test_stepped_down_as(extract: Extract) -> None:
    result = extract("Vodafone said Nick Read had stepped down as chief executive after four years.")
    assert ("Nick Read", "Vodafone", "former") in positions(result)


def test_appointed_title_of_organisation(extract: Extract) -> None:
    result = extract("Sandra Kowalski was appointed chief financial officer of Allianz in March.")
    assert ("Sandra Kowalski", "Allianz", None) in positions(result)


def test_list_of_titles_after_one_possessive(extract: Extract) -> None:
    result = extract("Regulators summoned Ant Group's founder Jack Ma, executive chairman Eric Jing and "
                     "chief executive Simon Hu for a meeting in Beijing.")
    assert {("Jack Ma", "Ant Group"), ("Eric Jing", "Ant Group"), ("Simon Hu", "Ant Group")} <= \
        {(p, o) for p, o, _ in positions(result)}


def test_current_title_and_former_employer(extract: Extract) -> None:
    result = extract("Kevin Mayer, Disney's head of streaming and a former Nike executive, said the app would "
                     "grow.")
    found = positions(result)
    assert ("Kevin Mayer", "Disney", None) in found
    assert ("Kevin Mayer", "Nike", "former") in found


def test_lawmaker_belongs_to_the_parliament_named(extract: Extract) -> None:
    result = extract("The European Parliament approved the AI Act on Wednesday. Paolo Ferri, the Italian lawmaker "
                     "who steered the bill through Parliament, said Europe had set a standard.")
    assert {(p, o) for p, o, _ in positions(result)} == {("Paolo Ferri", "European Parliament")}


@pytest.mark.parametrize("text", [
    "Jane Harper visited Microsoft on Monday to discuss the cloud contract.",
    "Analysts said Jane Harper and Microsoft disagreed about the price of the deal.",
])
def test_person_next_to_an_unrelated_organisation_is_no_position(extract: Extract, text: str) -> None:
    assert positions(extract(text)) == set()


def test_meeting_another_firms_chief_links_only_the_chief(extract: Extract) -> None:
    result = extract("Olaf Scholz met Siemens's chief executive Roland Busch in Berlin on Monday.")
    assert ("Roland Busch", "Siemens", None) in positions(result)
    assert "Olaf Scholz" not in {p for p, o, _ in positions(result) if o == "Siemens"}
