"""The comparators: explainable, pure, and never joining different actors that share a word."""

from __future__ import annotations

import pytest

from newsintel.resolve.blocking import acronym, blocking_keys, entity_slug, generic_extension, strip_generic
from newsintel.resolve.compare import explain, profile, same_actor, score


@pytest.mark.parametrize(("a", "b"), [
    ("Huawei", "Huawei Marine"),
    ("Alibaba", "Alibaba Cloud"),
    ("Tower", "Tower Semiconductor"),
    ("Savvy", "Savvy Games Group"),
    ("Allen Institute", "Allen Institute for AI"),
])
def test_names_sharing_a_word_are_different_actors(a: str, b: str) -> None:
    assert not same_actor(profile(a, "company"), profile(b, "company"))
    assert score(profile(a, "company"), profile(b, "company")) == 0.0


@pytest.mark.parametrize(("a", "b"), [
    ("Huawei", "Huawei Technologies"),
    ("Huawei", "Huawei Technologies Co., Ltd."),
    ("Acme", "Acme Holdings International"),
    ("Acme Digital", "ACME"),
])
def test_a_longer_name_joins_when_the_extra_words_are_generic(a: str, b: str) -> None:
    assert same_actor(profile(a, "company"), profile(b, "company"))


def test_the_extension_rule_is_a_prefix_of_whole_words() -> None:
    assert generic_extension("huawei technologies", "huawei")
    assert not generic_extension("huawei marine", "huawei")
    assert not generic_extension("hua technologies", "huawei")
    assert strip_generic("acme global technologies") == "acme"


def test_verdicts_are_explained() -> None:
    reasons = {s.comparator: s.reason for s in explain(profile("Huawei", "company", "CN"),
                                                         profile("Huawei Technologies", "company", "CN"))}
    assert "generic corporate words" in reasons["extension"]
    assert reasons["country"] == "same country CN"


def test_different_countries_and_incompatible_types_veto() -> None:
    assert not same_actor(profile("Acme", "company", "US"), profile("Acme", "company", "DE"))
    assert not same_actor(profile("Jordan", "person"), profile("Jordan", "company"))
    assert same_actor(profile("Acme", "company"), profile("Acme", "organization"))


def test_one_word_person_names_do_not_join_people_across_articles() -> None:
    assert not same_actor(profile("Wu", "person"), profile("Wu", "person"))
    assert same_actor(profile("Allen Wu", "person"), profile("Allen Wu", "person"))
    assert not same_actor(profile("Wu Jincheng", "person"), profile("Allen Wu", "person", aliases=["Wu"]))


def test_acronyms_need_the_same_country() -> None:
    full = profile("Bureau of Industry and Security", "government_body", "US")
    assert acronym("bureau of industry and security") == "bis"
    assert same_actor(profile("BIS", "government_body", "US"), full)
    assert not same_actor(profile("BIS", "government_body"), full)  # 0.7 alone is below the threshold


def test_different_reference_actors_veto_even_with_equal_names() -> None:
    a = profile("Acme", "company", reference="Acme")
    b = profile("Acme", "company", reference="Acme Corp of Ohio")
    assert not same_actor(a, b)


def test_blocking_keys_and_slugs() -> None:
    assert {"huawei technologies", "huawei", "ht"} <= blocking_keys("Huawei Technologies Co., Ltd.")
    assert entity_slug("company", "Huawei Technologies Co., Ltd.") == "company:huawei-technologies"
    assert entity_slug("person", "François-Philippe Champagne") == "person:francois-philippe-champagne"
