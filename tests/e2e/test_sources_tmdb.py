"""TMDB names end to end: SOURCES=tvmaze with TMDB_API_KEY set, both URLs at the local recorded feed."""

from __future__ import annotations

import pytest

from bot.sources.tmdb import ATTRIBUTION, ATTRIBUTION_URL
from tests.e2e.test_sources_live import SLUG, until

NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."


@pytest.fixture
def settings_overrides(feed):
    return {"sources": "tvmaze", "tvmaze_url": feed.url, "sources_rate": 1000.0, "sync_days_ahead": 3,
            "tmdb_url": feed.url + "/3", "tmdb_api_key": "recorded-key"}


async def test_tmdb_names_reach_members_with_its_notice(world, feed):
    env, bot = world.env, world.env.bot
    harbor = await until(env, lambda: bot.store.catalog.drama_by_slug(SLUG))
    await until(env, lambda: bot.store.sources.link_of(harbor["id"], "tmdb"))

    answer = await world.fan.slash(world.general, "ask", question="진우솔 출연 드라마")
    assert "Moonlit Harbor" in answer.response.content, answer.response.content

    info = await world.fan.slash(world.general, "drama info", title="Moonlit Harbor")
    data = {f.name: f.value for f in info.response.embeds[0].fields}["Data"]
    assert "TVmaze" in data and NOTICE in data and ATTRIBUTION_URL in data

    about = await world.fan.slash(world.general, "about")
    fields = {f.name: f.value for f in about.response.embeds[0].fields}
    assert fields["TMDB"] == ATTRIBUTION and NOTICE in fields["TMDB"]
    assert any(r.startswith("/3/tv/77001?") for r in feed.requests)



async def test_a_drama_only_tmdb_lists_is_found_but_never_announced_at_a_guessed_time(world, feed):
    env, bot = world.env, world.env.bot
    paper = await until(env, lambda: bot.store.catalog.drama_by_slug("paper-moon-diary-2025"))
    follow = await world.manager.slash(world.general, "schedule follow", drama="paper-moon-diary-2025",
                                       channel=world.announcements)
    assert "No upcoming episodes are scheduled yet" in follow.response.content
    info = await world.fan.slash(world.general, "drama info", title="Paper Moon Diary")
    fields = {f.name: f.value for f in info.response.embeds[0].fields}
    assert fields["Korean title"] == "종이달 일기" and fields["Status"] == "Airing"
    assert "Facts and cast from TMDB" in fields["Data"] and "/tv/77002" in fields["Data"]
    assert "episode times are not known yet" in fields["Data"] and NOTICE in fields["Data"]
    assert "TVmaze" not in fields["Data"] and "Moon Ga-eun" in fields["Starring"]
    # the drama TVmaze also has, found through TMDB: TVmaze's time
    velvet = await world.fan.slash(world.general, "ask", question="when is the next episode of Velvet Hour?")
    assert "Saturday 10 January 2026 at 22:30 KST" in velvet.response.content, velvet.response.content
    await env.advance_time(6 * 3600)  # the hourly passes run: nothing is announced for it, at no guessed time
    assert not [m for m in world.announcements.history() if m.author.id == bot.user.id and "Paper Moon" in m.content]
    assert await bot.store.schedule.episodes(paper["id"]) == []
