"""The sync against the recorded TVmaze feed, served from 127.0.0.1 (real HTTP through the real client)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from bot.sources.feed import RECORDED, FeedServer, write_json
from bot.sources.http import PoliteClient
from bot.sources.sync import Syncer
from bot.sources.tvmaze import TVmaze
from bot.store import Store

JAN1 = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def feed_dir(tmp_path):
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    return root


@pytest.fixture
async def world(feed_dir, catalog_target):
    store = Store(catalog_target)
    await store.open()
    server = FeedServer(feed_dir)
    url = await server.start()
    client = PoliteClient(url, rate=1000, backoff=0.01)
    clock = Clock(JAN1)
    syncer = Syncer(store, TVmaze(client), clock=clock, days_ahead=14)
    try:
        yield store, server, syncer, clock
    finally:
        await client.close()
        await server.close()
        await store.close()


async def test_discovery_creates_korean_dramas_and_links_the_catalog_one(world):
    store, server, syncer, _clock = world
    report = await syncer.discover()
    assert report.errors == []
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert harbor is not None and harbor["korean_title"] == "달빛 항구"
    assert harbor["network"] == "tvN" and json.loads(harbor["air_days"]) == ["Friday", "Saturday"]
    assert harbor["status"] == "upcoming"
    eps = await store.schedule.episodes(harbor["id"])
    regular = [e for e in eps if not e.special]
    assert [e.number for e in regular] == list(range(1, 11))  # 11 and 12 have no time yet: never scheduled
    assert regular[0].air_at == int(dt.datetime(2026, 1, 2, 11, 50, tzinfo=dt.UTC).timestamp())
    assert [e.number for e in eps if e.special] == [1001]
    untimed = await store.sources.untimed(harbor["id"])
    assert [r["number"] for r in untimed] == [11, 12]
    # the talk show and the English web series are left out; the catalog's Our Golden Days is linked, not copied
    assert await store.catalog.drama_by_slug("late-night-harbor-talk-2020") is None
    assert await store.catalog.drama_by_slug("harbor-lights-2026") is None
    golden = await store.catalog.drama_by_slug("our-golden-days-2025")
    link = await store.sources.link_of(golden["id"])
    assert link["show_id"] == "90003" and link["method"] == "matched"
    assert await store.scalar("SELECT count(*) FROM dramas WHERE title = 'Our Golden Days'") == 1
    assert any(ua.startswith("dramabot/") for ua in server.user_agents)
    # a second discovery with nothing changed does not fetch the shows again
    before = len(server.requests)
    await syncer.discover()
    assert not [r for r in server.requests[before:] if r.startswith("/shows/")]


async def test_a_delay_moves_the_episode_and_bumps_its_revision(world, feed_dir):
    store, _server, syncer, clock = world
    await syncer.discover()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    show = json.loads((feed_dir / "shows/90001.json").read_text())
    first = show["_embedded"]["episodes"][0]
    first["airtime"], first["airstamp"] = "21:50", "2026-01-02T12:50:00+00:00"
    write_json(feed_dir / "shows/90001.json", show)
    clock.now = JAN1 + 86400
    await syncer.refresh("90001")
    row = await store.schedule.episode(harbor["id"], 1)
    assert row["air_at"] == int(dt.datetime(2026, 1, 2, 12, 50, tzinfo=dt.UTC).timestamp())
    assert row["status"] == "delayed" and row["revision"] == 1
    assert row["original_air_at"] == int(dt.datetime(2026, 1, 2, 11, 50, tzinfo=dt.UTC).timestamp())


async def test_missing_twice_is_cancelled_never_deleted(world, feed_dir):
    store, _server, syncer, _clock = world
    await syncer.discover()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    show = json.loads((feed_dir / "shows/90001.json").read_text())
    show["_embedded"]["episodes"] = [e for e in show["_embedded"]["episodes"] if e["number"] != 4]
    write_json(feed_dir / "shows/90001.json", show)
    await syncer.refresh("90001")
    assert (await store.schedule.episode(harbor["id"], 4))["status"] == "scheduled"
    await syncer.refresh("90001")
    row = await store.schedule.episode(harbor["id"], 4)
    assert row is not None and row["status"] == "cancelled"


async def test_hand_edits_survive_a_sync_until_handed_back(world, feed_dir):
    store, _server, syncer, _clock = world
    await syncer.discover()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    eps = await store.schedule.episodes(harbor["id"])
    from dataclasses import replace
    moved = [replace(e, air_at=e.air_at + 3600) if e.number == 2 else e for e in eps]
    await store.schedule.replace_episodes(harbor["id"], moved, JAN1, by_hand=True)
    await syncer.refresh("90001")
    assert (await store.schedule.episode(harbor["id"], 2))["air_at"] == eps[1].air_at + 3600
    assert await store.sources.release(harbor["id"])
    await syncer.refresh("90001")
    assert (await store.schedule.episode(harbor["id"], 2))["air_at"] == eps[1].air_at


async def test_ask_answers_airing_questions_from_the_episodes(world):
    from bot.knowledge.engine import KnowledgeEngine

    store, _server, syncer, _clock = world
    await syncer.discover()
    engine = KnowledgeEngine(store)
    today = dt.date(2026, 1, 1)
    week = (await engine.answer("what's airing this week?", today=today)).text
    assert "Moonlit Harbor" in week and "Winter Ledger" in week and "Late Night" not in week
    tonight = (await engine.answer("what dramas are airing today?", today=today)).text
    assert "Winter Ledger" in tonight and "Moonlit Harbor" not in tonight
    nxt = (await engine.answer("when is the next episode of Moonlit Harbor?", today=today)).text
    assert "Friday 2 January 2026 at 20:50 KST" in nxt
    finale = (await engine.answer("when is the finale of Moonlit Harbor?", today=today)).text
    assert "episode 10" in finale and "isn't announced yet" in finale  # 11 and 12 have no time yet
    still = (await engine.answer("is Paper Crown still airing?", today=today)).text
    assert "hasn't started yet" in still and "Friday 2 January 2026" in still


async def test_an_old_airing_word_becomes_finished(world):
    store, _server, _syncer, _clock = world
    typhoon = await store.catalog.drama_by_slug("typhoon-family-2025")
    assert typhoon["status"] == "airing"  # the shipped catalog's stale word (it ended on 30 November 2025)
    await store.sources.refresh_statuses(JAN1)
    assert (await store.catalog.drama_by_slug("typhoon-family-2025"))["status"] == "finished"


def test_settings_for_live_data():
    from bot.errors import ConfigError
    from bot.settings import Settings, load_settings
    from bot.sources.providers import provider_for

    assert Settings().sources == "none" and provider_for(Settings()) is None  # built in code: never online
    loaded = load_settings({"SOURCES": "", "TVMAZE_URL": ""}, dotenv=False)
    assert loaded.sources == "tvmaze" and loaded.tvmaze_url == Settings.tvmaze_url  # the default: the public API
    assert provider_for(loaded).client.interval == 0.5  # TVmaze's own host: 2 calls a second at most
    fast = load_settings({"SOURCES_RATE": "50", "TVMAZE_URL": "http://127.0.0.1:1"}, dotenv=False)
    assert provider_for(fast).client.interval == 0.02
    fast = load_settings({"SOURCES_RATE": "50"}, dotenv=False)
    assert provider_for(fast).client.interval == 0.5
    for env in ({"SOURCES": "imdb"}, {"TVMAZE_URL": "ftp://x"}, {"SYNC_DAYS_AHEAD": "99"}, {"SOURCES_RATE": "0"}):
        with pytest.raises(ConfigError):
            load_settings(env, dotenv=False)
