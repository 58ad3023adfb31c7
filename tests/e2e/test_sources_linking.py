"""The sync loop links the existing catalog a few dramas at a time, followed dramas first (real HTTP to the
local recorded feed)."""

from __future__ import annotations

import pytest

from tests.e2e.test_sources_live import until


@pytest.fixture
def settings_overrides(feed):
    return {"sources": "tvmaze", "tvmaze_url": feed.url, "sources_rate": 1000.0, "sync_days_ahead": 14,
            "sources_link_batch": 3}


async def test_a_followed_catalog_drama_is_linked_by_the_loop_and_shows_its_source(world, feed):
    env, bot = world.env, world.env.bot
    runner = await bot.store.catalog.drama_by_slug("lovely-runner-2024")
    assert await bot.store.sources.link_of(runner["id"]) is None
    await world.manager.slash(world.general, "schedule follow", drama="lovely-runner-2024",
                              channel=world.announcements)
    await until(env, lambda: bot.store.sources.link_of(runner["id"], "tvmaze"), step=30, tries=10)

    info = await world.fan.slash(world.general, "drama info", title="Lovely Runner")
    data = {f.name: f.value for f in info.response.embeds[0].fields}["Data"]
    assert "TVmaze" in data and "/shows/90021" in data
    # a batch at a time: the loop looked up only a few dramas, the most recent ones before the follow
    searches = [r for r in feed.requests if r.startswith("/search/shows")]
    assert "/search/shows?q=Lovely+Runner" in searches and len(searches) <= 3 * 2 * 3
