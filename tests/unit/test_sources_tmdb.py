"""TMDB enrichment against recorded TMDB answers (in TMDB's own shape) served from 127.0.0.1 by the feed server:
real HTTP through the real client, next to the recorded TVmaze feed."""

from __future__ import annotations

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
