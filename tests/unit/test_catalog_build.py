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


def test_seeds_give_lovely_runner_its_korean_title_and_slot(catalog):
    lr = _drama(catalog, "lovely-runner-2024")
    assert lr["korean_title"] == "선재 업고 튀어"
    assert {"기억을 걷는 시간", "내일의 으뜸"} <= set(lr["aliases"])  # working and novel titles stay aliases
    assert "선재 업고 튀어" not in lr["aliases"]
    assert (lr["air_days"], lr["air_time"], lr["air_tz"]) == (["Monday", "Tuesday"], "20:50", "Asia/Seoul")
    assert (lr["network"], lr["first_aired"], lr["last_aired"], lr["episodes"]) == (
        "tvN", "2024-04-08", "2024-05-28", 16)


@pytest.fixture
def people_catalog(tmp_path: Path) -> dict:
    """Sources where one actor is spelled several ways, and where two people share a name."""
    base = tmp_path / "people"
    facts = [("A", "2017"), ("C", "2019"), ("E", "2020"), ("K", "2015"), ("L", "2016"), ("M", "2018")]
    _write(base / FILES["facts"], FACTS, [
        {"kdrama_id": str(n), "drama_name": f"Drama {t}", "year": y, "tot_eps": "16", "org_net": "KBS2"}
        for n, (t, y) in enumerate(facts)])
    _write(base / FILES["actors"], ACTORS, [
        {"actor_id": "uhm", "actor_name": "Uhm Ki Joon", "drama_name": "Drama A", "character_name": "Joo Dan Tae",
         "role": "Main Role"},
        {"actor_id": "go", "actor_name": "Go Ah Ra", "drama_name": "Drama A", "character_name": "Ah Ro",
         "role": "Main Role"},
        {"actor_id": "shin", "actor_name": "Shin Min Ah", "drama_name": "Drama C", "character_name": "Hye Jin",
         "role": "Main Role"},
        {"actor_id": "seo", "actor_name": "Seo Yoon Ah", "drama_name": "Drama E", "character_name": "X",
         "role": "Support Role"},
        {"actor_id": "jisoo1", "actor_name": "Kim Ji Soo", "drama_name": "Drama K", "character_name": "Bok Dong",
         "role": "Support Role"},
        {"actor_id": "jisoo1", "actor_name": "Kim Ji Soo", "drama_name": "Drama L", "character_name": "Sang Wook",
         "role": "Main Role"},
        {"actor_id": "jisoo2", "actor_name": "Kim Ji Soo", "drama_name": "Drama M", "character_name": "Young Ro",
         "role": "Main Role"},
        {"actor_id": "yoomi", "actor_name": "Jung Yoo Mi", "drama_name": "Drama K", "character_name": "Eun Sol",
         "role": "Main Role"},
        {"actor_id": "yoomi", "actor_name": "Jung Yoo Mi", "drama_name": "Drama L", "character_name": "Do Na",
         "role": "Main Role"},
        {"actor_id": "yumi", "actor_name": "Jung Yu Mi", "drama_name": "Drama M", "character_name": "Jung Oh",
         "role": "Main Role"},
    ])
    _write(base / FILES["dramalist"], DRAMALIST, [
        {"title": "Drama A", "aired": "Mar  1, 2017 - Apr 20, 2017", "actors": "Um Ki-joon, Go A Ra"},
        {"title": "Drama B", "aired": "Mar  1, 2018 - Apr 20, 2018", "actors": "Um Ki-joon, Go Ara"},
        {"title": "Drama F", "aired": "Mar  1, 2021 - Apr 20, 2021", "actors": "Seo Yu Na"},
        {"title": "Drama G", "aired": "Mar  1, 2022 - Apr 20, 2022", "actors": "Kim Ji-soo"},
        {"title": "Secret Royal Inspector &amp; Joy", "alternate_names": "Eosahwa Jo-i, 어사와 조이",
         "aired": "Nov  8, 2021 - Dec 14, 2021"},
        {"title": "Cheo Yong", "alternate_names": "귀신보는 형사, 처용", "aired": "Jan  1, 2014 - Feb  1, 2014"},
        {"title": "Tomorrow", "alternate_names": "기억을 걷는 시간, 내일의 으뜸", "aired": "Jan  1, 2023 - Feb  1, 2023"},
    ])
    _write(base / FILES["wikipedia"], WIKI, [
        {"Title": "Drama D", "Cast": "Shin Min-a", "Release Years": "2021"},
        {"Title": "Drama H", "Cast": "Jung Yu-mi", "Release Years": "2023"},
        {"Title": "Secret Royal Inspector & Joy", "Network": "tvN", "Release Years": "2021"},
    ])
    return build_catalog(base, with_seeds=False)


def _people_named(catalog, key_name):
    from bot.catalog.normalize import variant_key

    return [p for p in catalog["people"]
            if any(variant_key(n) == variant_key(key_name) for n in [p["name"], *p.get("aliases", [])])]


def _filmography(catalog, slug):
    return sorted(d["title"] for d in catalog["dramas"] for c in d.get("credits", []) if c["person"] == slug)


def test_html_entities_are_decoded_before_matching(people_catalog):
    joy = [d for d in people_catalog["dramas"] if d["title"].startswith("Secret Royal")]
    assert len(joy) == 1 and joy[0]["title"] == "Secret Royal Inspector & Joy"
    assert joy[0]["slug"] == "secret-royal-inspector-and-joy-2021" and joy[0]["network"] == "tvN"


def test_spellings_of_one_actor_across_files_are_one_person(people_catalog):
    for spelling, name, aliases, dramas in [
        ("Um Ki-joon", "Uhm Ki Joon", {"Um Ki-joon"}, ["Drama A", "Drama B"]),  # shared drama A
        ("Go Ara", "Go Ah Ra", {"Go A Ra", "Go Ara"}, ["Drama A", "Drama B"]),
        ("Shin Min-a", "Shin Min Ah", {"Shin Min-a"}, ["Drama C", "Drama D"]),  # same syllables, only two
    ]:
        (person,) = _people_named(people_catalog, spelling)
        assert person["name"] == name and aliases <= set(person["aliases"])
        assert _filmography(people_catalog, person["slug"]) == dramas
    drama_a = next(d for d in people_catalog["dramas"] if d["title"] == "Drama A")
    assert len(drama_a["credits"]) == 2  # no second credit for the other spelling
    assert {c["character"] for c in drama_a["credits"]} == {"Joo Dan Tae", "Ah Ro"}


def test_same_weak_key_without_evidence_stays_two_people(people_catalog):
    # "Seo Yoon Ah" and "Seo Yu Na" share the weak key but not the syllables, and no drama
    assert {p["name"] for p in _people_named(people_catalog, "Seo Yu Na")} == {"Seo Yoon Ah", "Seo Yu Na"}


def test_homonyms_with_two_actor_ids_stay_apart_and_bare_names_pick_the_plausible_one(people_catalog):
    ji_soo = sorted(p["slug"] for p in people_catalog["people"] if p["name"] == "Kim Ji Soo")
    assert ji_soo == ["kim-ji-soo", "kim-ji-soo-2"]
    films = {slug: _filmography(people_catalog, slug) for slug in ji_soo}
    # Drama G names "Kim Ji-soo" without an id: the one with the most credits, never a third person
    assert sorted(map(len, films.values())) == [1, 3]
    assert "Drama G" in max(films.values(), key=len)
    # an exact spelling wins over the credit count: "Jung Yu-mi" is Jung Yu Mi, not Jung Yoo Mi
    yu_mi = next(p for p in people_catalog["people"] if p["name"] == "Jung Yu Mi")
    assert _filmography(people_catalog, yu_mi["slug"]) == ["Drama H", "Drama M"]
    assert not [p for p in people_catalog["people"] if p["slug"].startswith("jung-yoo-mi-")]


def test_korean_title_only_when_the_sources_tell(people_catalog):
    by_title = {d["title"]: d for d in people_catalog["dramas"]}
    assert by_title["Secret Royal Inspector & Joy"]["korean_title"] == "어사와 조이"
    assert by_title["Cheo Yong"]["korean_title"] == "처용"  # romanises to the title
    assert "korean_title" not in by_title["Tomorrow"]  # two Hangul titles, no way to tell
    assert {"기억을 걷는 시간", "내일의 으뜸"} <= set(by_title["Tomorrow"]["aliases"])


@pytest.fixture
def merge_catalog(tmp_path: Path) -> dict:
    """Rows whose merging needs more than title and year: alternate-title fragments, far-apart dates."""
    base = tmp_path / "merge"
    _write(base / FILES["facts"], FACTS, [
        {"kdrama_id": "1", "drama_name": "Mom", "year": "2015", "director": "['Jang Joon Ho']",
         "screenwriter": "['Kim Jung Soo']", "tot_eps": "50", "start_dt": "2015-09-05", "org_net": "MBC"},
        {"kdrama_id": "2", "drama_name": "All About My Mom", "year": "2015", "director": "['Lee Geon Joon']",
         "tot_eps": "54", "start_dt": "2015-08-15", "org_net": "KBS2"},
        {"kdrama_id": "3", "drama_name": "Gold Mask", "year": "2022", "director": "['Uh Soo Sun']",
         "tot_eps": "100", "start_dt": "2022-05-23", "org_net": "KBS2"},
    ])
    _write(base / FILES["actors"], ACTORS, [
        {"actor_id": "hb", "actor_name": "Park Hee Bon", "drama_name": "Gold Mask", "character_name": "Yook Hye Ri",
         "role": "Main Role"},
    ])
    _write(base / FILES["dramalist"], DRAMALIST, [
        # "Please, Mom" is split at its comma: the fragment "Mom" is another drama's title
        {"title": "All about My Mom", "alternate_names": "Please, Mom, 산옥씨네 삼남매", "publisher": "KBS2",
         "directors": "Lee Geon Joon", "episodes": "54", "aired": "Aug 15, 2015 - Feb 14, 2016"},
        {"title": "Love for Love's Sake", "directors": "Kim Kyun Ah", "episodes": "8",
         "aired": "Jan 24, 2024 - Feb  1, 2024"},
        {"title": "Gold Mask", "actors": "Park Hee Von", "aired": "May 23, 2022 - Oct 14, 2022"},
    ])
    _write(base / FILES["wikipedia"], WIKI, [
        {"Title": "Love for Loves Sake", "Director": "Kim Kyun-ah", "Network": "TVING\nNetflix", "Episodes": "8",
         "Release Dates": "July 4\xa0–\nJuly 25, 2025", "Release Years": "2025"},
        {"Title": "Gold Mask", "Director": "Eo Soo-sun", "Network": "KBS2", "Release Years": "2022"},
    ])
    return build_catalog(base, with_seeds=False)


def test_an_alternate_title_fragment_does_not_merge_another_crews_drama(merge_catalog):
    by_title = {d["title"]: d for d in merge_catalog["dramas"]}
    assert set(by_title) >= {"All about My Mom", "Mom"}
    mom, all_about = by_title["Mom"], by_title["All about My Mom"]
    assert (all_about["network"], all_about["episodes"], all_about["first_aired"]) == ("KBS2", 54, "2015-08-15")
    assert (mom["network"], mom["episodes"], mom["directors"]) == ("MBC", 50, ["Jang Joon Ho"])
    assert all_about["korean_title"] == "산옥씨네 삼남매"


def test_one_crew_dated_far_apart_is_still_one_drama(merge_catalog):
    (love,) = [d for d in merge_catalog["dramas"] if d["title"].startswith("Love for Love")]
    assert love["network"] == "TVING" and love["first_aired"] == "2024-01-24"  # MyDramaList's date wins
    assert love["directors"] == ["Kim Kyun Ah"]  # "Kim Kyun-ah" is the same spelling


def test_other_spellings_of_a_director_are_kept_and_v_is_b_inside_one_drama(merge_catalog):
    (mask,) = [d for d in merge_catalog["dramas"] if d["title"] == "Gold Mask"]
    assert mask["directors"] == ["Uh Soo Sun", "Eo Soo-sun"]  # shown as "Uh Soo Sun (also Eo Soo-sun)"
    assert len(mask["credits"]) == 1  # "Park Hee Von" is Park Hee Bon
    (hee_bon,) = [p for p in merge_catalog["people"] if p["name"] == "Park Hee Bon"]
    assert "Park Hee Von" in hee_bon["aliases"]


@pytest.fixture
def alias_catalog(tmp_path: Path) -> dict:
    """The sources' shapes of Goblin: MyDramaList-derived files under two titles, Wikipedia naming both."""
    base = tmp_path / "alias"
    _write(base / FILES["facts"], FACTS, [
        {"kdrama_id": "1", "drama_name": "Goblin", "year": "2016", "director": "['Lee Eung Bok']",
         "screenwriter": "['Kim Eun Sook']", "tot_eps": "16", "start_dt": "2016-12-02", "org_net": "tvN"},
        {"kdrama_id": "2", "drama_name": "Perfume", "year": "2019", "tot_eps": "32", "start_dt": "2019-06-03",
         "org_net": "KBS2"},
        {"kdrama_id": "3", "drama_name": "Kiss Goblin", "year": "2020", "tot_eps": "12", "start_dt": "2020-07-28",
         "org_net": "Naver TV Cast"},
    ])
    _write(base / FILES["actors"], ACTORS, [
        {"actor_id": "gy", "actor_name": "Gong Yoo", "drama_name": "Goblin", "character_name": "Kim Shin",
         "role": "Main Role"},
        {"actor_id": "mg", "actor_name": "Kim Min Gue", "drama_name": "Perfume", "character_name": "Yun Min Suk",
         "role": "Main Role"},
        {"actor_id": "mk", "actor_name": "Kim Min Kyu", "drama_name": "Kiss Goblin", "character_name": "Someone",
         "role": "Main Role"},
    ])
    _write(base / FILES["dramalist"], DRAMALIST, [
        {"title": "Guardian: The Lonely and Great God", "alternate_names": "Goblin: The Lonely and Great God",
         "publisher": "tvN", "genres": "Comedy, Romance, Fantasy", "rating_value": "8.8", "episodes": "16",
         "aired": "Dec  2, 2016 - Jan 21, 2017", "directors": "Lee Eung Bok"},
    ])
    _write(base / FILES["wikipedia"], WIKI, [
        {"Title": "Guardian: The Lonely and Great God", "Also Known As": "Goblin", "Written By": "Kim Eun-sook",
         "Director": "Lee Eung-bok (Ep. 1–16), Kwon Hyuk-chan (Ep. 5–16)", "Cast": "Gong Yoo, Kim Go-eun",
         "Network": "tvN", "Episodes": "16 + 3 specials", "Release Dates": "December 2, 2016\xa0–\nJanuary 21, 2017",
         "Release Years": "2016"},
        {"Title": "Perfume (South Korean TV series)", "Cast": "Shin Sung-rok, Go Won-hee, Kim Min-kyu",
         "Network": "KBS2", "Episodes": "32", "Release Years": "2019"},
    ])
    return build_catalog(base, with_seeds=False)


def test_a_row_naming_two_entries_by_title_and_alias_makes_them_one_drama(alias_catalog):
    titles = [d["title"] for d in alias_catalog["dramas"]]
    assert "Goblin" not in titles and "Kiss Goblin" in titles  # Kiss Goblin only shares a word
    (guardian,) = [d for d in alias_catalog["dramas"] if d["title"] == "Guardian: The Lonely and Great God"]
    assert "Goblin" in guardian["aliases"] and guardian["genres"] and guardian["rating"] == 8.8
    assert {c["person"]: c.get("character") for c in guardian["credits"]}["gong-yoo"] == "Kim Shin"


def test_gue_and_kyu_are_one_syllable_inside_one_drama(alias_catalog):
    (perfume,) = [d for d in alias_catalog["dramas"] if d["title"] == "Perfume"]
    credited = [c["person"] for c in perfume["credits"]]
    assert credited.count("kim-min-gue") == 1 and "kim-min-kyu" not in credited  # no second Kim Min-kyu
    assert {p["slug"] for p in alias_catalog["people"]} >= {"kim-min-gue", "kim-min-kyu"}  # two actor ids stay two
