"""Live data when things go wrong, on SimCord: the provider unreachable at start (the bot still serves), and a
restart that does not download everything again (the sync state is in the store)."""

from __future__ import annotations

import shutil
import socket
from dataclasses import replace

import pytest

from bot.sources.feed import RECORDED, FeedServer


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


@pytest.fixture
async def feed(tmp_path):
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    server = FeedServer(root)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
def settings_overrides(request, feed):
    url = f"http://127.0.0.1:{closed_port()}" if "unreachable" in request.node.name else feed.url
    return {"sources": "tvmaze", "tvmaze_url": url, "sources_rate": 1000.0, "sync_days_ahead": 3}


async def test_unreachable_provider_at_start_the_bot_still_serves(world):
    env = world.env
    answer = await world.fan.slash(world.general, "ask", question="who plays Im Sol in Lovely Runner?")
    assert "Kim Hye" in answer.response.content
    await env.advance_time(60)  # the first discovery's retries run out meanwhile
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
