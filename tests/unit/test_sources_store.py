"""Sources store and faults: the migration upgrade, linking (clear, ambiguous, duplicate then merge), provider
faults (429 with Retry-After, 500 then success, malformed JSON, unreachable), season 2, status from facts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import pytest

from bot.sources import linking
from bot.sources.feed import RECORDED, Fault, FeedServer, write_json
from bot.sources.http import PoliteClient, ProviderError
from bot.sources.model import ShowFacts
from bot.sources.status import derive
from bot.sources.sync import Syncer
from bot.sources.tvmaze import TVmaze
from bot.store import Store, latest_version
from tests.schema import sqlite_at
from tests.unit.test_sources_sync import JAN1, Clock

D = dt.date


async def test_a_schema_6_database_upgrades_keeping_its_dramas_and_episodes(tmp_path):
    path = sqlite_at(tmp_path / "v6.sqlite3", 6, """
        INSERT INTO dramas (id, slug, title) VALUES (1, 'd-2024', 'D');
        INSERT INTO episodes (id, drama_id, number, air_at) VALUES (7, 1, 1, 100000);
        INSERT INTO follows (id, guild_id, drama_id, channel_id, created_at) VALUES (3, 50, 1, 60, 0);
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        assert await store.scalar("SELECT air_at FROM episodes WHERE id = 7") == 100000
        assert await store.scalar("SELECT count(*) FROM source_links") == 0
        await store.sources.set_link("tvmaze", "5", 1, method="owner", confidence=1.0, now="2026-01-01T00:00:00+00:00")
        assert (await store.sources.link_of(1))["show_id"] == "5"
        # one linked show per drama and provider
        with pytest.raises(sqlite3.IntegrityError):
            await store.write("INSERT INTO source_links (provider, show_id, drama_id, created_at)"
                              " VALUES ('tvmaze', '6', 1, 'x')")


def facts(**kw) -> ShowFacts:
    base = dict(provider="tvmaze", show_id="1", title="Goblin")
    return ShowFacts(**{**base, **kw})


def cand(i, **kw) -> linking.Candidate:
    base = dict(drama_id=i, slug=f"d{i}", title=f"D{i}", year=2016, network="tvN", episodes=16, matched="title")
    return linking.Candidate(**{**base, **kw})


def test_linking_needs_a_clear_winner():
    show = facts(premiered="2016-12-02", network="tvN")
    assert linking.decide([cand(1), cand(2, year=2001, network="SBS")], show).kind == "link"
    assert linking.decide([cand(1, year=2010)], show).kind == "none"           # years too far apart
    bare = facts()  # no year, no network: two dramas named "Goblin" cannot be told apart
    assert linking.decide([cand(1), cand(2)], bare).kind == "ambiguous"
    twins = linking.decide([cand(1), cand(2, matched="alias")], show)
    assert twins.kind == "duplicate" and twins.drama_id == 1 and twins.others == (2,)


def test_status_is_derived_from_facts():
    today = D(2026, 12, 1)
    assert derive(first_aired="2025-10-11", last_aired="2025-11-30", stored="airing", today=today) == "finished"
    assert derive(first_aired="2026-12-05", last_aired=None, stored=None, today=today) == "upcoming"
    assert derive(first_aired="2026-11-20", last_aired=None, stored="upcoming", today=today,
                  first_episode=D(2026, 11, 20), last_episode=D(2026, 12, 12), episodes_left=4) == "airing"
    assert derive(first_aired="2010-07-11", last_aired=None, stored=None, today=today) is None  # long runners
    assert derive(first_aired="2024-01-01", last_aired=None, stored="airing", today=today) == "finished"


@pytest.fixture
async def env(catalog_template, tmp_path):
    path = tmp_path / "s.sqlite3"
    shutil.copyfile(catalog_template, path)
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    store = Store(path)
    await store.open()
    server = FeedServer(root)
    url = await server.start()
    client = PoliteClient(url, rate=1000, backoff=0.01, retries=2)
    syncer = Syncer(store, TVmaze(client), clock=Clock(JAN1), days_ahead=3)
    try:
        yield store, server, syncer, root
    finally:
        await client.close()
        await server.close()
        await store.close()


GOBLIN = {"id": 70001, "name": "Guardian: The Lonely and Great God", "type": "Scripted", "language": "Korean",
          "genres": ["Drama", "Fantasy"], "status": "Ended", "premiered": "2016-12-02", "ended": "2017-01-21",
          "schedule": {"time": "20:00", "days": ["Friday", "Saturday"]}, "updated": 1700000000,
          "network": {"id": 156, "name": "tvN", "country": {"name": "Korea, Republic of", "code": "KR",
                                                              "timezone": "Asia/Seoul"}},
          "webChannel": None, "externals": {"imdb": None}, "summary": "<p>never shown</p>",
          "_embedded": {"episodes": [{"id": 800000 + n, "season": 1, "number": n, "type": "regular",
                                      "airdate": "2016-12-02", "airtime": "20:00",
                                      "airstamp": "2016-12-02T11:00:00+00:00"} for n in range(1, 17)], "cast": []}}


# The shipped catalog merges Goblin into its other title since issue 12; a provider may still reveal a
# duplicate (an imported file, an older catalog), so these tests add one.
GOBLIN_DUPLICATE = {"format": "dramabot-catalog", "version": 1, "people": [], "dramas": [
    {"slug": "goblin-2016", "title": "Goblin", "year": 2016, "network": "tvN", "episodes": 16,
     "first_aired": "2016-12-02"}]}


async def test_duplicates_are_merged_with_their_follows_polls_and_names(env):
    store, _server, syncer, root = env
    await store.catalog.apply_catalog(GOBLIN_DUPLICATE)
    goblin = await store.catalog.drama_by_slug("goblin-2016")
    guardian = await store.catalog.drama_by_slug("guardian-the-lonely-and-great-god-2016")
    await store.schedule.follow(9, goblin["id"], channel_id=1, role_id=None, remind_minutes=None, threads=False,
                                events=False, created_by=2, now=JAN1)
    poll_id = await store.write("INSERT INTO polls (guild_id, channel_id, creator_id, question, kind, drama_id,"
                                " created_at, closes_at) VALUES (9, 1, 2, 'S2?', 'season2', ?, 'a', 'b')",
                                (goblin["id"],))
    write_json(root / "shows/70001.json", GOBLIN)
    write_json(root / "shows/70001-akas.json", [{"name": "Goblin", "country": None}])
    await syncer.refresh("70001")
    assert await store.catalog.drama_by_slug("goblin-2016") is None
    assert await store.scalar("SELECT drama_id FROM follows WHERE guild_id = 9") == guardian["id"]
    assert await store.scalar("SELECT drama_id FROM polls WHERE id = ?", (poll_id,)) == guardian["id"]
    assert (await store.sources.link_of(guardian["id"]))["show_id"] == "70001"
    assert await store.scalar("SELECT count(*) FROM drama_names WHERE drama_id = ? AND norm = 'goblin'",
                              (guardian["id"],)) == 1


async def test_an_ambiguous_show_waits_for_the_owner(env):
    store, _server, syncer, root = env
    await store.catalog.apply_catalog(GOBLIN_DUPLICATE)
    bare = {k: v for k, v in GOBLIN.items() if k not in ("premiered", "ended", "network")}
    write_json(root / "shows/70002.json", dict(bare, id=70002, name="Goblin"))
    await syncer.refresh("70002")
    waiting = await store.sources.ambiguous("tvmaze")
    assert {r["slug"] for r in waiting} >= {"goblin-2016", "guardian-the-lonely-and-great-god-2016"}
    assert await store.sources.linked_drama("tvmaze", "70002") is None


async def test_429_waits_for_retry_after_and_500_then_success(env):
    _store, server, syncer, _root = env
    client = syncer.provider.client
    server.fail("/shows/90001", Fault(429, "{}", {"Retry-After": "0"}), Fault(500, "oops"))
    result = await syncer.refresh("90001")
    assert result is not None and result["created"] == 1
    assert [r for r in server.requests if r.startswith("/shows/90001?")].__len__() == 3
    assert client.errors == 2


async def test_malformed_json_changes_nothing_and_is_recorded(env):
    store, server, syncer, _root = env
    await syncer.refresh("90001")
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    before = [tuple(r) for r in await store.fetchall("SELECT * FROM episodes WHERE drama_id = ?", (harbor["id"],))]
    server.fail("/shows/90001", Fault(200, "{\"id\": 90001, \"name\": "))
    assert await syncer.refresh("90001") is None
    after = [tuple(r) for r in await store.fetchall("SELECT * FROM episodes WHERE drama_id = ?", (harbor["id"],))]
    assert after == before
    assert "malformed JSON" in await store.scalar("SELECT last_error FROM source_shows WHERE show_id = '90001'")


async def test_a_half_empty_answer_cancels_nothing(env):
    store, _server, syncer, root = env
    await syncer.refresh("90001")
    show = json.loads((root / "shows/90001.json").read_text())
    del show["_embedded"]
    write_json(root / "shows/90001.json", show)
    for _ in range(3):
        await syncer.refresh("90001")
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert [e.status for e in await store.schedule.episodes(harbor["id"])].count("cancelled") == 0


async def test_unreachable_provider_is_an_error_not_a_crash(store_path=None):
    client = PoliteClient("http://127.0.0.1:9", rate=1000, backoff=0.01, retries=1, timeout=2)
    try:
        with pytest.raises(ProviderError):
            await TVmaze(client).updates()
    finally:
        await client.close()


async def test_a_second_season_confirms_season_2(env):
    store, _server, syncer, root = env
    await syncer.refresh("90001")
    show = json.loads((root / "shows/90001.json").read_text())
    extra = dict(show["_embedded"]["episodes"][0], id=3999001, season=2, number=1, airdate="2027-03-01",
                 airstamp="2027-03-01T11:50:00+00:00")
    show["_embedded"]["episodes"].append(extra)
    write_json(root / "shows/90001.json", show)
    seen = []

    async def told(drama_id):
        seen.append(drama_id)

    syncer.on_season2 = told
    await syncer.refresh("90001")
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert harbor["season2_status"] == "confirmed" and "2027-03-01" in harbor["season2_note"]
    assert seen == [harbor["id"]]


def test_provider_text_is_cleaned_and_bounded():
    from bot.sources.model import clean
    from bot.sources.tvmaze import show_facts

    assert clean("a\x00b\u202e\n  c") == "a b c"
    assert clean("x" * 500) == "x" * 200 and clean(None) is None and clean(12) is None
    facts = show_facts({"id": 1, "name": "  <@123> **Bold**\u200b  ", "genres": ["Drama", 5], "schedule": {"days": ["Funday"]},
                        "_embedded": {"episodes": [{"id": "x"}, {"id": 2, "season": 1, "number": 1, "airtime": "25:99",
                                                                "airstamp": "2026-01-01T00:00:00+00:00"}]}}, [])
    assert facts.title == "<@123> **Bold**"  # kept as text; every place that shows it escapes it
    assert facts.genres == ("Drama",) and facts.air_days == ()
    assert [e.air_at for e in facts.episodes] == [None]  # a time that is not a time is no time
    with pytest.raises(ProviderError):
        show_facts({"name": "no id"}, [])
