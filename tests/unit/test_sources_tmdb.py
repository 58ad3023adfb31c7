"""TMDB enrichment against recorded TMDB answers (in TMDB's own shape) served from 127.0.0.1 by the feed server:
real HTTP through the real client, next to the recorded TVmaze feed."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from bot.catalog.names import norm
from bot.settings import load_settings
from bot.sources.feed import RECORDED, Fault, FeedServer, write_json
from bot.sources.http import PoliteClient
from bot.sources.providers import enricher_for
from bot.sources.sync import Syncer
from bot.sources.tmdb import pick_result
from bot.sources.tvmaze import TVmaze
from bot.store import Store
from tests.unit.test_sources_sync import JAN1, Clock

TMDB_PATHS = ("/search/tv", "/tv/", "/person/", "/3/")


@pytest.fixture
def feed_dir(tmp_path):
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    # TVmaze lists Tak Ji-hun without a character: TMDB's aggregate credits fill it in
    show = json.loads((root / "shows/90001.json").read_text())
    for entry in show["_embedded"]["cast"]:
        if entry["person"]["name"] == "Tak Ji-hun":
            entry["character"] = None
    write_json(root / "shows/90001.json", show)
    return root


async def _world(feed_dir, catalog_target, key: str | None):
    store = Store(catalog_target)
    await store.open()
    server = FeedServer(feed_dir)
    url = await server.start()
    env = {"SOURCES_RATE": "50", "TVMAZE_URL": url, "TMDB_URL": url + "/3"}
    if key:
        env["TMDB_API_KEY"] = key
    enricher = enricher_for(load_settings(env, dotenv=False), store)
    client = PoliteClient(url, rate=1000, backoff=0.01)
    syncer = Syncer(store, TVmaze(client), clock=Clock(JAN1), days_ahead=14, enricher=enricher)

    async def close():
        await client.close()
        if enricher is not None:
            await enricher.tmdb.client.close()
        await server.close()
        await store.close()
    return store, server, syncer, close


@pytest.fixture
async def keyed(feed_dir, catalog_target):
    world = await _world(feed_dir, catalog_target, "recorded-key")
    try:
        yield world[:3]
    finally:
        await world[3]()


async def _person(store, name: str):
    return await store.fetchone("SELECT * FROM people WHERE name = ?", (name,))


async def test_a_sync_with_a_key_adds_hangul_titles_names_and_characters(keyed):
    store, server, syncer = keyed
    report = await syncer.discover()
    assert report.errors == []
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    link = await store.sources.link_of(harbor["id"], "tmdb")
    assert link is not None and link["show_id"] == "77001"
    names = await store.fetchall("SELECT name, kind FROM drama_names WHERE drama_id = ?", (harbor["id"],))
    assert ("달빛항구의 밤", "korean") in [(r["name"], r["kind"]) for r in names]  # TMDB's Hangul other title
    assert "Harbor Under the Moon" in json.loads(harbor["aliases"])
    assert harbor["first_aired"] == "2026-01-02" and harbor["air_time"] is not None  # dates stay TVmaze's
    jin = await _person(store, "Jin Woo-sol")
    assert jin["korean_name"] == "진우솔"
    found = await store.knowledge.people_by_norms([norm("진우솔")])
    assert [r["id"] for r in found] == [jin["id"]]  # a question in Korean finds the actor
    tak = await _person(store, "Tak Ji-hun")
    credit = await store.fetchone("SELECT character FROM credits WHERE drama_id = ? AND person_id = ?",
                                  (harbor["id"], tak["id"]))
    assert credit["character"] == "Captain Oh"
    tmdb_calls = [r for r in server.requests if r.startswith("/3/")]
    assert tmdb_calls and all("api_key=recorded-key" in r for r in tmdb_calls)
    assert any(r.startswith("/3/search/tv?") and "first_air_date_year=2026" in r for r in tmdb_calls)
    # nothing provider-written is prose: the overview never reaches the store
    assert not await store.scalar("SELECT count(*) FROM dramas WHERE synopsis LIKE '%provider prose%'")


async def test_ask_finds_the_actor_by_the_hangul_name(keyed):
    from bot.knowledge.engine import KnowledgeEngine

    store, _server, syncer = keyed
    await syncer.discover()
    answer = (await KnowledgeEngine(store).answer("진우솔 출연 드라마")).text
    assert "Moonlit Harbor" in answer


async def test_without_a_key_no_tmdb_call_is_made(feed_dir, catalog_target):
    store, server, syncer, close = await _world(feed_dir, catalog_target, None)
    try:
        assert syncer.enricher is None
        await syncer.discover()
        assert server.requests and not [r for r in server.requests if r.startswith(TMDB_PATHS)]
        harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
        assert await store.sources.link_of(harbor["id"], "tmdb") is None
        assert (await _person(store, "Jin Woo-sol"))["korean_name"] is None
    finally:
        await close()


@pytest.mark.parametrize("bad", ['{"id": 77001, "name": "Moonlit Harbor", "aggregate_credits": []}', "{not json",
                                 '[1, 2]'])
async def test_a_malformed_tmdb_answer_changes_nothing(keyed, bad):
    store, server, syncer = keyed
    server.fail("/3/tv/77001", *[Fault(200, bad)] * 4)
    report = await syncer.discover()
    assert report.errors == []  # TVmaze's part is applied; TMDB's is skipped and logged
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert await store.sources.link_of(harbor["id"], "tmdb") is None
    assert (await _person(store, "Jin Woo-sol"))["korean_name"] is None
    assert not await store.scalar("SELECT count(*) FROM drama_names WHERE name = '달빛항구의 밤'")


def test_only_a_clear_korean_winner_of_the_year_is_linked():
    ko = {"id": 1, "name": "Moonlit Harbor", "original_name": "달빛 항구", "first_air_date": "2026-01-02",
          "origin_country": ["KR"], "original_language": "ko"}
    assert pick_result([ko], ["Moonlit Harbor"], 2026) == 1
    assert pick_result([ko], ["달빛 항구"], 2026) == 1
    assert pick_result([ko], ["Moonlit Harbor"], 2024) is None  # another year
    assert pick_result([{**ko, "origin_country": ["US"], "original_language": "en"}], ["Moonlit Harbor"], 2026) is None
    assert pick_result([ko, {**ko, "id": 2}], ["Moonlit Harbor"], 2026) is None  # two candidates: none wins
    assert pick_result(["junk", {"id": "x"}, ko], ["Moonlit Harbor"], 2026) == 1


async def test_tmdb_discovery_adds_what_tvmaze_lacks_without_air_times_and_a_tvmaze_match_with_them(keyed):
    store, server, syncer = keyed
    report = await syncer.discover()
    assert report.errors == []
    discover = [r for r in server.requests if r.startswith("/3/discover/tv?")]
    assert len(discover) == 2 and all("with_origin_country=KR" in r and "air_date.gte=2025-12-25" in r
                                      and "air_date.lte=2026-01-15" in r and "10767" in r for r in discover)
    # known through TVmaze already: not fetched a second time
    assert len([r for r in server.requests if r.startswith("/3/tv/77001?")]) == 1

    # TVmaze lacks Paper Moon Diary: a drama from TMDB's facts alone, linked to TMDB, with no episode at all
    paper = await store.catalog.drama_by_slug("paper-moon-diary-2025")
    assert paper["korean_title"] == "종이달 일기" and paper["network"] == "ENA" and paper["episodes"] == 12
    assert json.loads(paper["genres"]) == ["Drama", "Mystery"] and paper["first_aired"] == "2025-12-29"
    assert paper["air_time"] is None and json.loads(paper["air_days"]) == []
    link = await store.sources.link_of(paper["id"], "tmdb")
    assert link["show_id"] == "77002" and link["method"] == "discovered"
    assert await store.sources.link_of(paper["id"], "tvmaze") is None
    assert await store.schedule.episodes(paper["id"]) == [] and await store.sources.untimed(paper["id"]) == []
    cast = await store.fetchall("SELECT p.name, p.korean_name, c.character FROM credits c JOIN people p"
                                " ON p.id = c.person_id WHERE c.drama_id = ? ORDER BY c.billing", (paper["id"],))
    assert [tuple(r) for r in cast][:2] == [("Moon Ga-eun", "문가은", "Seo Ha-jin"),
                                             ("Ryu Tae-oh", "류태오", "Cha Do-hyun")]
    assert not await store.scalar("SELECT count(*) FROM dramas WHERE synopsis LIKE '%provider prose%'")

    # TVmaze has Velvet Hour (found by its IMDb id): TVmaze's air times, TMDB's names and its missing cast member
    assert any(r.startswith("/lookup/shows?imdb=tt39000003") for r in server.requests)
    velvet = await store.catalog.drama_by_slug("velvet-hour-2026")
    assert (await store.sources.link_of(velvet["id"], "tvmaze"))["show_id"] == "90031"
    assert (await store.sources.link_of(velvet["id"], "tmdb"))["show_id"] == "77003"
    episodes = await store.schedule.episodes(velvet["id"])
    assert len(episodes) == 12
    assert episodes[0].air_at == int(dt.datetime(2026, 1, 10, 13, 30, tzinfo=dt.UTC).timestamp())
    ohn = await _person(store, "Ohn Seo-rin")
    assert ohn["korean_name"] == "온서린"
    credit = await store.fetchone("SELECT character FROM credits WHERE drama_id = ? AND person_id = ?",
                                  (velvet["id"], ohn["id"]))
    assert credit["character"] == "Detective Na"
    assert [r["id"] for r in await store.knowledge.people_by_norms([norm("온서린")])] == [ohn["id"]]
    # the talk show is left out
    assert await store.scalar("SELECT count(*) FROM dramas WHERE title = 'Night Talk Seoul'") == 0
    # a second discovery asks TMDB nothing about the dramas it already knows
    before = len(server.requests)
    await syncer.discover()
    assert not [r for r in server.requests[before:] if r.startswith(("/3/tv/77002", "/3/tv/77003", "/lookup"))]


async def test_a_missing_cast_member_is_added_but_not_a_respelling_of_one_we_credit(keyed, feed_dir):
    store, _server, syncer = keyed
    show = json.loads((feed_dir / "tmdb/tv/77001.json").read_text())
    cast = show["aggregate_credits"]["cast"]
    cast.append({**cast[0], "id": 1880009, "name": "Baek Ha-ram Jr", "original_name": "백하람",
                 "roles": [{"credit_id": "c9", "character": "Yoon Da-hae", "episode_count": 12}]})  # same role
    cast.append({**cast[0], "id": 1880010, "name": "Jeon Mi-so", "original_name": "전미소",
                 "roles": [{"credit_id": "c10", "character": "Harbor Master", "episode_count": 6}]})
    write_json(feed_dir / "tmdb/tv/77001.json", show)
    await syncer.discover()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    rows = await store.fetchall("SELECT p.name, p.korean_name, c.character FROM credits c JOIN people p"
                                " ON p.id = c.person_id WHERE c.drama_id = ?", (harbor["id"],))
    names = {r["name"]: (r["korean_name"], r["character"]) for r in rows}
    assert names["Jeon Mi-so"] == ("전미소", "Harbor Master")
    assert "Baek Ha-ram Jr" not in names
