"""One person per person, on the real sources: the actors file gives two different people named Kim Soo Hyun
one id, and Wikipedia's cast lists tell them apart by spelling ("Kim Soo-hyun" / "Kim Su-hyun")."""

from __future__ import annotations

import pytest

from bot.catalog import build as builder
from tests.conftest import QA_DIR

SOURCES = QA_DIR.parent / "data" / "catalog-sources"


@pytest.fixture(scope="module")
def real():
    """The catalog built from the real sources, and every split the rule made."""
    if not (SOURCES / builder.FILES["actors"]).is_file():
        pytest.skip(f"{SOURCES} is absent: the raw sources are not next to the repo")
    splits = []
    rule = builder.split_romanisations

    def recording(*args):
        made = rule(*args)
        splits.extend(made)
        return made

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builder, "split_romanisations", recording)
        catalog = builder.build_catalog(SOURCES, with_seeds=False)
    return catalog, splits


def _films(catalog, slug):
    return {d["title"] for d in catalog["dramas"] for c in d.get("credits", []) if c["person"] == slug}


def _people(catalog, name):
    return [p for p in catalog["people"] if p["name"] == name]


def test_the_two_kim_soo_hyuns_are_two_people(real):
    catalog, _ = real
    films = {p["slug"]: _films(catalog, p["slug"]) for p in _people(catalog, "Kim Soo Hyun")}
    (actor,) = [s for s, f in films.items() if "It's Okay to Not Be Okay" in f]
    (actress,) = [s for s, f in films.items() if "A-Teen" in f]
    assert actor != actress
    assert {"The Producers", "One Ordinary Day", "My Love from the Star", "Queen of Tears"} <= films[actor]
    # Go, Back Diary has no Wikipedia spelling: it follows A-Teen's character Yeo Bo Ram
    assert films[actress] == {"A-Teen", "A-Teen Season 2", "Go, Back Diary"}
    assert not films[actor] & films[actress]
    person = {p["slug"]: p for p in catalog["people"]}
    assert "Kim Su-hyun" in person[actress].get("aliases", []) and "Kim Su-hyun" not in person[actor].get("aliases", [])
    assert "Kim Soo-hyun" in person[actor].get("aliases", [])


def test_the_rule_fires_only_for_kim_soo_hyun(real):
    catalog, splits = real
    assert [spelling for _, _, spelling in splits] == ["Kim Su-hyun"]


@pytest.mark.parametrize("name, spellings, dramas", [
    # spelled one way everywhere
    ("Kim Go Eun", ("Kim Go-eun",), {"Guardian: The Lonely and Great God", "Little Women", "Yumi's Cells"}),
    # two spellings scattered over unrelated dramas: a changed romanisation, one actress
    ("Mun Ka Young", ("Moon Ka-young", "Moon Ga-young"), {"True Beauty", "Find Me in Your Memory"}),
    # one odd spelling among many
    ("Lee Byung Hun", ("Lee Byung-hun", "Lee Byung-hoon"), {"Mr. Sunshine", "Land of Gold"}),
])
def test_one_person_spelled_one_or_two_ways_is_not_split(real, name, spellings, dramas):
    catalog, _ = real
    (person,) = _people(catalog, name)
    assert set(spellings) <= set(person.get("aliases", []))
    assert dramas <= _films(catalog, person["slug"])
