"""The builder merges the four source files into one clean, reproducible catalog."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.catalog.build import FILES, build, build_catalog
from bot.catalog.io import validate_catalog

FACTS = ["kdrama_id", "drama_name", "year", "director", "screenwriter", "country", "type", "tot_eps", "duration",
         "start_dt", "end_dt", "aired_on", "org_net", "content_rt", "rank", "pop"]
ACTORS = ["actor_id", "actor_name", "drama_name", "character_name", "role"]
DRAMALIST = ["title", "alternate_names", "publisher", "country", "genres", "rating_value", "rating_count",
             "date_published", "keywords", "actors", "directors", "screenwriters", "episodes", "aired", "duration",
             "score", "ranked", "popularity", "content_rating", "watchers"]
WIKI = ["Title", "Also Known As", "Written By", "Director", "Cast", "Genre", "Network", "Episodes",
        "Release Dates", "Release Years", "Poster"]


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    base = tmp_path / "sources"
    _write(base / FILES["facts"], FACTS, [
        {"kdrama_id": "1", "drama_name": "Run On", "year": "2020", "director": "['Lee Jae Hoon']",
         "screenwriter": "['Park Shi Hyun']", "tot_eps": "16", "start_dt": "2020-12-16", "end_dt": "Feb  4, 2021",
         "aired_on": "Thursday, Wednesday", "org_net": "jTBC Netflix"},
        {"kdrama_id": "2", "drama_name": "Start-Up", "year": "2020", "tot_eps": "16", "start_dt": "Oct 17, 2020",
         "end_dt": "Dec  6, 2020", "aired_on": "Sunday, Saturday", "org_net": "Netflix tvN"},
        {"kdrama_id": "3", "drama_name": "Lonely Web Show", "year": "2019", "tot_eps": "", "org_net": "Netflix"},
    ])
    _write(base / FILES["actors"], ACTORS, [
        {"actor_id": "a1", "actor_name": "Yim Si Wan", "drama_name": "Run On", "character_name": "Ki Seon Gyeom",
         "role": "Main Role"},
        {"actor_id": "a2", "actor_name": "Choi Soo Young", "drama_name": "Run On",
         "character_name": "  Seo  Dan Ah ", "role": "Main Role"},
        {"actor_id": "a3", "actor_name": "Shin Se Kyung", "drama_name": "Run On", "character_name": "Oh Mi Joo",
         "role": "Main Role"},
        {"actor_id": "a4", "actor_name": "Kim Min Jae", "drama_name": "Start-Up", "character_name": "Someone",
         "role": "Guest Role"},
        {"actor_id": "a5", "actor_name": "Kim Min Jae", "drama_name": "Lonely Web Show", "character_name": "X",
         "role": "Support Role"},
    ])
    _write(base / FILES["dramalist"], DRAMALIST, [
        {"title": "Run On", "alternate_names": "Keep On, Leonon, 런 온", "publisher": "jTBC",
         "genres": "Romance, Sports", "rating_value": "8.1", "actors": "Yim Si Wan, Shin Sae Kyeong, Choi Soo Young",
         "directors": "Lee Jae Hoon", "episodes": "16", "aired": "Dec 16, 2020 - Feb  4, 2021"},
        {"title": "Kill Me, Heal Me", "alternate_names": "Kilmihilmi, E Nebună, Dar E-a Mea", "publisher": "MBC",
         "episodes": "20", "aired": "Jan  7, 2015 - Mar 12, 2015", "actors": "Ji Sung"},
        {"title": "Trap", "publisher": "OCN", "episodes": "7", "aired": "Feb  9, 2019 - Mar 10, 2019"},
        {"title": "Trap", "publisher": "KBS2", "episodes": "1", "aired": "Oct  1, 2020 - Oct  1, 2020"},
    ])
    _write(base / FILES["wikipedia"], WIKI, [
        {"Title": "Run On (TV series)", "Written By": "Park Shi-hyun", "Director": "Lee Jae-hoon",
         "Cast": "Im Si-wan, Shin Se-kyung, Choi Soo-young, Kang Tae-oh", "Network": "JTBC",
         "Episodes": "16", "Release Dates": "December 16, 2020\xa0–\nFebruary 4, 2021", "Release Years": "2020"},
        {"Title": "Kill Me, Heal Me", "Director": "Kim Jin-man", "Cast": "Ji Sung, Hwang Jung-eum",
         "Network": "MBC TV", "Episodes": "20 + 2 special", "Release Dates": "January 7\xa0–\nMarch 12, 2015",
         "Release Years": "2015"},
        {"Title": "Because This Is My First Life", "Network": "tvN", "Episodes": "16",
         "Release Dates": "October 9\xa0–\nNovember 28, 2017", "Release Years": "2017"},
    ])
    return base


@pytest.fixture
def catalog(sources):
    return build_catalog(sources)


def _drama(catalog, slug):
    return next(d for d in catalog["dramas"] if d["slug"] == slug)


def _person(catalog, slug):
    return next(p for p in catalog["people"] if p["slug"] == slug)


def test_the_same_drama_across_files_is_one_entry(catalog):
    slugs = sorted(d["slug"] for d in catalog["dramas"])
    assert slugs == ["because-this-is-my-first-life-2017", "kill-me-heal-me-2015", "lonely-web-show-2019",
                     "lovely-runner-2024",  # not in these sources: the seeds add it
                     "run-on-2020", "start-up-2020", "trap-2019", "trap-2020"]
    assert validate_catalog(catalog) == []


def test_fields_are_normalised(catalog):
    run_on = _drama(catalog, "run-on-2020")
    assert run_on["network"] == "JTBC" and run_on["platforms"] == ["Netflix"]
    assert run_on["air_days"] == ["Wednesday", "Thursday"]
    assert (run_on["first_aired"], run_on["last_aired"]) == ("2020-12-16", "2021-02-04")
    assert run_on["directors"] == ["Lee Jae Hoon"]  # "Lee Jae-hoon" from Wikipedia is the same person
    assert run_on["korean_title"] == "런 온"
    assert {"Keep On", "Leonon", "런 온"} <= set(run_on["aliases"])
    start_up = _drama(catalog, "start-up-2020")
    assert (start_up["network"], start_up["platforms"]) == ("tvN", ["Netflix"])
    assert start_up["air_days"] == ["Saturday", "Sunday"]
    assert _drama(catalog, "lonely-web-show-2019")["network"] == "Netflix"
    heal = _drama(catalog, "kill-me-heal-me-2015")
    assert heal["episodes"] == 20 and heal["network"] == "MBC"
    assert {"Kilmihilmi", "Dar E-a Mea"} <= set(heal["aliases"])


def test_romanisations_of_one_actor_are_one_person(catalog):
    im = _person(catalog, "yim-si-wan")
    assert {"Im Si-wan"} <= set(im["aliases"])
    shin = _person(catalog, "shin-se-kyung")
    assert {"Shin Sae Kyeong", "Shin Se-kyung"} <= set(shin["aliases"])
    # two actor ids with one name stay two people
    assert sum(1 for p in catalog["people"] if p["name"] == "Kim Min Jae") == 2


def test_credits_keep_characters_roles_and_billing(catalog):
    run_on = _drama(catalog, "run-on-2020")
    by_person = {c["person"]: c for c in run_on["credits"]}
    # the seeds correct the review's "Mi-do" and keep it as a character alias
    assert by_person["shin-se-kyung"]["character"] == "Oh Mi-joo"
    assert {"Mi-do", "Oh Mi-do"} <= set(by_person["shin-se-kyung"]["character_aliases"])
    assert by_person["yim-si-wan"]["character"] == "Ki Seon-gyeom"
    assert by_person["choi-soo-young"]["role"] == "main"
    kang = by_person["kang-tae-oh"]
    assert kang["character"] == "Lee Young-hwa"
    billing = [c["person"] for c in sorted(run_on["credits"], key=lambda c: c["billing"])]
    assert billing[:4] == ["yim-si-wan", "shin-se-kyung", "choi-soo-young", "kang-tae-oh"]
    heal = _drama(catalog, "kill-me-heal-me-2015")
    assert [c.get("character") for c in heal["credits"]] == [None, None]  # names without characters
    assert {c["person"] for c in heal["credits"]} == {"ji-sung", "hwang-jung-eum"}


def test_seeds_overlay_run_on(catalog):
    run_on = _drama(catalog, "run-on-2020")
    assert run_on["synopsis"] and run_on["facts"]
    assert run_on["similar"] == ["because-this-is-my-first-life-2017", "start-up-2020"] or \
        [s["slug"] for s in run_on["similar"]] == ["because-this-is-my-first-life-2017", "start-up-2020"]


def test_build_is_byte_identical(sources, tmp_path):
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    build(sources, a)
    build(sources, b)
    assert a.read_bytes() == b.read_bytes()
