"""Live data when things go wrong, on SimCord: the provider unreachable at start (the bot still serves), and a
restart that does not download everything again (the sync state is in the store)."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


@pytest.fixture
def settings_overrides(request, feed):
    url = f"http://127.0.0.1:{closed_port()}" if "unreachable" in request.node.name else feed.url
    return {"sources": "tvmaze", "tvmaze_url": url, "sources_rate": 1000.0, "sync_days_ahead": 3}


async def test_unreachable_provider_at_start_the_bot_still_serves(world):
    env = world.env
    for _ in range(30):  # the first discovery fails (local connections refused) and is recorded, not raised
        if "discovery" in await env.bot.store.sources.runs("tvmaze"):
            break
        await env.advance_time(10)
    answer = await world.fan.slash(world.general, "ask", question="who plays Im Sol in Lovely Runner?")
    assert "Kim Hye" in answer.response.content
    airing = await world.fan.slash(world.general, "schedule airing")
    assert "No Korean drama episodes I know of air today" in airing.response.content
    env.bot.settings = replace(env.bot.settings, owner_ids=frozenset({world.manager.id}))
    status = await world.manager.slash(world.general, "catalog sources")
    assert "discovery: never run" not in status.response.content
    assert "last success never" in status.response.content and "last error" in status.response.content


async def test_a_restart_does_not_download_everything_again(world, feed, bot_factory):
    env = world.env
    assert await env.bot.store.catalog.drama_by_slug("moonlit-harbor-2026") is not None
    shows = [r for r in feed.requests if r.startswith("/shows/")]
    assert shows  # the first start fetched the shows
    before = len(feed.requests)
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert [r for r in feed.requests[before:] if r.startswith(("/shows/", "/schedule"))] == []


async def test_a_second_season_found_by_the_sync_resolves_the_season_2_poll(world, feed):
    import json

    from bot.sources.feed import write_json

    env = world.env
    result = await world.manager.slash(world.polls, "poll season2", drama="moonlit-harbor-2026")
    assert not result.ephemeral, result.response.content
    show = json.loads((feed.root / "shows/90001.json").read_text())
    extra = dict(show["_embedded"]["episodes"][0], id=3999001, season=2, number=1, airdate="2027-03-05",
                 airstamp="2027-03-05T11:50:00+00:00")
    show["_embedded"]["episodes"].append(extra)
    show["updated"] += 500
    write_json(feed.root / "shows/90001.json", show)
    updates = json.loads((feed.root / "updates.json").read_text())
    updates["90001"] = show["updated"]
    write_json(feed.root / "updates.json", updates)
    await env.advance_time(3600 + 60)  # the hourly update check
    drama = await env.bot.store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert drama["season2_status"] == "confirmed" and "2027-03-05" in drama["season2_note"]
    told = [m.content for m in world.polls.history() if "Season 2 of **Moonlit Harbor** is confirmed" in (m.content or "")]
    assert len(told) == 1
