"""Reference data and its loader: data integrity, lookups, user extension files."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from newsintel.errors import NewsIntelError
from newsintel.refdata import (
    ACTOR_TYPES,
    ENV_ACTORS,
    Gazetteer,
    is_case_sensitive,
    load_gazetteer,
    normalize_name,
)


@pytest.fixture(autouse=True)
def _no_user_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_ACTORS, raising=False)


@pytest.fixture
def gaz() -> Gazetteer:
    return load_gazetteer()


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _collisions(groups: dict[str, set[str]]) -> dict[str, set[str]]:
    return {key: owners for key, owners in groups.items() if len(owners) > 1}


# --- data integrity ------------------------------------------------------------------------------
def test_every_country_has_a_valid_unique_iso_code_and_a_name(gaz: Gazetteer) -> None:
    countries = list(gaz.countries())
    isos = [c.iso for c in countries]
    assert all(re.fullmatch(r"[A-Z]{2}", iso) for iso in isos)
    assert len(isos) == len(set(isos))
    assert all(c.name.strip() for c in countries)


def test_countries_cover_un_members_and_listed_territories(gaz: Gazetteer) -> None:
    isos = {c.iso for c in gaz.countries()}
    assert len(isos) == 193 + 6
    assert {"TW", "HK", "MO", "PS", "XK", "VA", "US", "CN", "RU", "GB", "SS", "TL"} <= isos


@pytest.mark.parametrize("field", ["names", "capitals", "seats", "demonyms", "prefixes", "administrations"])
def test_no_country_form_maps_to_two_countries(gaz: Gazetteer, field: str) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for c in gaz.countries():
        forms = c.names() if field == "names" else getattr(c, field)
        for form in forms:
            groups[normalize_name(form)].add(c.iso)
    assert _collisions(groups) == {}


def test_no_alias_maps_to_two_different_actors(gaz: Gazetteer) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for a in gaz.actors():
        for form in a.names():
            groups[normalize_name(form)].add(a.name)
    assert _collisions(groups) == {}


def test_no_actor_name_is_also_a_country_name(gaz: Gazetteer) -> None:
    country_forms = {normalize_name(f) for c in gaz.countries() for f in c.names()}
    clashes = {f for a in gaz.actors() for f in a.names() if normalize_name(f) in country_forms}
    assert clashes == set()


def test_actor_list_is_broad_and_well_typed(gaz: Gazetteer) -> None:
    actors = list(gaz.actors())
    isos = {c.iso for c in gaz.countries()}
    assert len(actors) >= 400
    assert {a.type for a in actors} == set(ACTOR_TYPES)
    assert all(a.country is None or a.country in isos for a in actors)


def test_every_region_belongs_to_a_known_country(gaz: Gazetteer) -> None:
    isos = {c.iso for c in gaz.countries()}
    regions = list(gaz.regions())
    assert regions and all(r.country in isos and r.kind for r in regions)


# --- country lookups -----------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "text", "iso"), [
    ("country", "U.S.", "US"),
    ("country", "US", "US"),
    ("country", "the United States'", "US"),
    ("country", "Britain's", "GB"),
    ("country", "ROK", "KR"),
    ("country", "the Netherlands", "NL"),
    ("country", "Türkiye", "TR"),
    ("country", "Cote d’Ivoire", "CI"),
    ("country", "CHINA", "CN"),
    ("country_by_capital", "Washington", "US"),
    ("country_by_capital", "Beijing", "CN"),
    ("country_by_capital", "Bogota", "CO"),
    ("country_by_seat", "the Kremlin", "RU"),
    ("country_by_seat", "Downing Street", "GB"),
    ("country_by_seat", "Elysee Palace", "FR"),
    ("country_by_demonym", "Americans", "US"),
    ("country_by_demonym", "Chinese", "CN"),
    ("country_by_demonym", "Germans", "DE"),
    ("country_by_prefix", "Sino", "CN"),
    ("country_by_prefix", "Russo-", "RU"),
    ("country_by_leader", "Vladimir Putin", "RU"),
    ("country_by_leader", "Putin", "RU"),
    ("country_by_leader", "President Xi", "CN"),
    ("country_by_leader", "Erdogan", "TR"),
    ("country_by_administration", "Trump administration", "US"),
    ("country_by_administration", "the Biden administration's", "US"),
    ("country_by_administration", "the Putin government", "RU"),
])
def test_country_forms_resolve_to_iso(gaz: Gazetteer, method: str, text: str, iso: str) -> None:
    found = getattr(gaz, method)(text)
    assert found is not None and found.iso == iso


@pytest.mark.parametrize("text", ["us", "uk", "rok", "turkey", "Europe", "Asia"])
def test_pronouns_common_words_and_non_states_are_not_countries(gaz: Gazetteer, text: str) -> None:
    assert gaz.country(text) is None


def test_ambiguous_surname_resolves_to_no_country(gaz: Gazetteer) -> None:
    assert gaz.country_by_leader("Kim") is None  # North and South Korea
    assert gaz.country_by_leader("May") is None  # a month, not only Theresa May


def test_country_by_iso(gaz: Gazetteer) -> None:
    country = gaz.country_by_iso("cn")
    assert country is not None and country.name == "China"


# --- actor lookups -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "name"), [
    ("Huawei Technologies", "Huawei"),
    ("Huawei Technologies Co., Ltd.", "Huawei"),
    ("HUAWEI", "Huawei"),
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision"),
    ("Alibaba Group Holding Ltd", "Alibaba"),
    ("Alibaba Cloud", "Alibaba Cloud"),
    ("the Commerce Department", "U.S. Department of Commerce"),
    ("BIS", "Bureau of Industry and Security"),
    ("Inria", "INRIA"),
    ("Macquarie", "Macquarie Group"),
    ("Sberbank", "Sber"),
    ("Mail.ru Group", "VK"),
    ("the entity list", "Entity List"),
    ("Élysée", None),
])
def test_actor_lookup_normalises_forms(gaz: Gazetteer, text: str, name: str | None) -> None:
    found = gaz.actor(text)
    assert (found.name if found else None) == name


def test_alibaba_cloud_and_alibaba_stay_distinct(gaz: Gazetteer) -> None:
    cloud, parent = gaz.actor("Alibaba Cloud"), gaz.actor("Alibaba")
    assert cloud is not None and parent is not None and cloud != parent


def test_huawei_marine_is_not_huawei(gaz: Gazetteer) -> None:
    found = gaz.actor("Huawei Marine")
    assert found is None or found.name != "Huawei"


def test_lowercase_common_word_does_not_match_a_capitalised_name(gaz: Gazetteer) -> None:
    assert gaz.actor("arm") is None
    arm = gaz.actor("Arm")
    assert arm is not None and arm.country == "GB"


def test_actor_types_follow_the_schema(gaz: Gazetteer) -> None:
    types = {t: gaz.actor(t) for t in ("European Union", "Abu Dhabi Investment Authority", "CSIS",
                                      "Entity List", "Xi Jinping", "Megvii")}
    assert {t: a.type if a else None for t, a in types.items()} == {
        "European Union": "government_body", "Abu Dhabi Investment Authority": "government_body",
        "CSIS": "organization", "Entity List": "program", "Xi Jinping": "person", "Megvii": "company",
    }


def test_legal_suffix_is_kept_when_stripping_would_merge_entries(tmp_path: Path) -> None:
    path = _write(tmp_path / "acme.json", [
        {"name": "Acme", "type": "company", "country": "US", "aliases": []},
        {"name": "Acme Holdings", "type": "company", "country": "GB", "aliases": []},
    ])
    gaz = load_gazetteer([path])
    assert [gaz.actor(t).country for t in ("Acme", "Acme Holdings", "Acme Inc.")] == ["US", "GB", "US"]


# --- regions -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "country", "kind"), [
    ("Guangdong", "CN", "province"),
    ("Guangdong province", "CN", "province"),
    ("Shanghai", "CN", "municipality"),
    ("Gifu Prefecture", "JP", "prefecture"),
    ("Bangalore", "IN", "city"),
    ("Tatarstan", "RU", "republic"),
    ("London", "GB", "capital"),
])
def test_region_lookup(gaz: Gazetteer, text: str, country: str, kind: str) -> None:
    region = gaz.region(text)
    assert region is not None and (region.country, region.kind) == (country, kind)


def test_country_level_places_are_not_regions(gaz: Gazetteer) -> None:
    assert gaz.region("Hong Kong") is None and gaz.region("Singapore") is None


# --- normalisation -------------------------------------------------------------------------------
def test_normalize_name() -> None:
    assert normalize_name("Huawei Technologies Co., Ltd.") == "huawei technologies"
    assert normalize_name("The Élysée") == "elysee"
    assert normalize_name("U.S.") == "us"
    assert normalize_name("Group") == "group"  # a name is never stripped to nothing


def test_is_case_sensitive_only_for_short_all_caps_forms() -> None:
    assert [is_case_sensitive(f) for f in ("US", "U.S.", "ROK", "BiH", "Huawei", "NVIDIA", "Sino")] == [
        True, True, True, True, False, False, False]


# --- loading and user files ----------------------------------------------------------------------
def test_load_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_env_var_adds_actors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _write(tmp_path / "one.json", [{"name": "Zebra Robotics", "type": "company", "country": "KE"}])
    two = _write(tmp_path / "two.json", [{"name": "Gnu Institute", "type": "organization", "country": None,
                                          "aliases": ["GNUI"]}])
    monkeypatch.setenv(ENV_ACTORS, f"{one}{os.pathsep}{two}")
    gaz = load_gazetteer()
    zebra, gnu = gaz.actor("Zebra Robotics Ltd"), gaz.actor("GNUI")
    assert zebra is not None and zebra.country == "KE"
    assert gnu is not None and gnu.name == "Gnu Institute"
    assert load_gazetteer().actor("Huawei") is not None  # built-ins are still there


def test_user_entry_overrides_builtin_with_same_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin_count = len(list(load_gazetteer().actors()))
    path = _write(tmp_path / "override.json",
                  [{"name": "Huawei", "type": "company", "country": "CN", "aliases": ["Shenzhen Phone Co"]}])
    monkeypatch.setenv(ENV_ACTORS, str(path))
    gaz = load_gazetteer()
    huawei = gaz.actor("Shenzhen Phone Co")
    assert huawei is not None and huawei.name == "Huawei" and huawei.aliases == ("Shenzhen Phone Co",)
    assert gaz.actor("Huawei Technologies") is None  # the built-in entry is gone, not merged
    assert len(list(gaz.actors())) == builtin_count


@pytest.mark.parametrize("content", [
    "{not json",
    json.dumps({"name": "Solo"}),
    json.dumps([{"name": "", "type": "company"}]),
    json.dumps([{"name": "X Corp Two", "type": "startup"}]),
    json.dumps([{"name": "X Corp Two", "type": "company", "country": "usa"}]),
    json.dumps([{"name": "X Corp Two", "type": "company", "aliases": "XCT"}]),
])
def test_malformed_user_file_raises_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad_actors.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NewsIntelError, match=r"bad_actors\.json"):
        load_gazetteer([path])


def test_missing_user_file_raises_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ACTORS, str(tmp_path / "nowhere.json"))
    with pytest.raises(NewsIntelError, match=r"nowhere\.json"):
        load_gazetteer()
