"""Live data end to end (the issue's "Done when"): a fresh store, SOURCES=tvmaze, TVMAZE_URL at a local feed
holding a Korean drama that premieres the next evening. Real HTTP through the real client to 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from bot.sources.feed import write_json

H = 3600
EP1 = int(dt.datetime(2026, 1, 2, 11, 50, tzinfo=dt.UTC).timestamp())  # Friday 20:50 KST
SLUG = "moonlit-harbor-2026"


@pytest.fixture
def settings_overrides(feed):
    return {"sources": "tvmaze", "tvmaze_url": feed.url, "sources_rate": 1000.0, "sync_days_ahead": 14}


def now_s(env) -> int:
    return int(env.now().timestamp())


async def until(env, check, *, step: float = 1, tries: int = 30):
    """Advance virtual time in small steps until ``check()`` holds (the sync runs over real local HTTP)."""
    for _ in range(tries):
        value = await check()
        if value:
            return value
        await env.advance_time(step)
    raise AssertionError("condition never held")


async def advance(env, seconds: int, step: int = 2 * H) -> None:
    while seconds > 0:
        await env.advance_time(min(step, seconds))
        seconds -= step


def announcements(channel, bot) -> list:
    return [m for m in channel.history() if m.author.id == bot.user.id and "Moonlit Harbor" in m.content
            and ("airing now" in m.content or " aired " in m.content)]


async def test_a_drama_found_on_its_own_is_followed_and_announced_once_after_a_late_delay(world, feed):
    env, bot = world.env, world.env.bot
    harbor = await until(env, lambda: bot.store.catalog.drama_by_slug(SLUG))

    # no owner typed anything: a manager follows it, with the next episode known
    result = await world.manager.slash(world.general, "schedule follow", drama=SLUG, channel=world.announcements)
    assert "Now following **Moonlit Harbor**" in result.response.content
    assert f"<t:{EP1}:F>" in result.response.content

    answer = await world.fan.slash(world.general, "ask", question="when is the next episode of Moonlit Harbor?")
    assert "Friday 2 January 2026 at 20:50 KST" in answer.response.content, answer.response.content

    info = await world.fan.slash(world.general, "drama info", title="Moonlit Harbor")
    fields = {f.name: f.value for f in info.response.embeds[0].fields}
    assert fields["Korean title"] == "달빛 항구"
    assert "TVmaze" in fields["Data"] and "/shows/90001" in fields["Data"]
    assert fields["Status"] == "Upcoming"

    # status from facts: a drama the catalog still called "airing" ended on 30 November 2025
    old = await world.fan.slash(world.general, "ask", question="is Typhoon Family still airing?")
    assert "has finished airing" in old.response.content, old.response.content
    old_info = await world.fan.slash(world.general, "drama info", title="Typhoon Family")
    assert {f.name: f.value for f in old_info.response.embeds[0].fields}["Status"] == "Finished"

    airing = await world.fan.slash(world.general, "schedule airing", day="friday")
    assert "Moonlit Harbor" in airing.response.content and f"<t:{EP1}:t>" in airing.response.content
    assert "Late Night Harbor Talk" not in airing.response.content  # a talk show is left out

    # an hour before air (Friday 10:50 UTC) the feed publishes a one-hour delay
    await advance(env, EP1 - H - now_s(env))
    assert announcements(world.announcements, bot) == []
    show = json.loads((feed.root / "shows/90001.json").read_text())
    first = show["_embedded"]["episodes"][0]
    first["airtime"], first["airstamp"] = "21:50", "2026-01-02T12:50:00+00:00"
    show["updated"] += 100
    write_json(feed.root / "shows/90001.json", show)
    await advance(env, H + 5 * 60, step=15 * 60)  # past the old time: nothing yet
    assert announcements(world.announcements, bot) == []
    row = await bot.store.schedule.episode(harbor["id"], 1)
    assert row["air_at"] == EP1 + H and row["status"] == "delayed"
    await advance(env, H, step=15 * 60)  # past the new time: announced once
    [posted] = announcements(world.announcements, bot)
    assert "Episode 1" in posted.content
    await advance(env, 2 * H, step=H)
    assert len(announcements(world.announcements, bot)) == 1
    assert any(ua.startswith("dramabot/") for ua in feed.user_agents)

    # the owner sees the sync's state in Discord
    env.bot.settings = replace(env.bot.settings, owner_ids=frozenset({world.manager.id}))
    status = await world.manager.slash(world.general, "catalog sources")
    assert "discovery: last success 2026-01-0" in status.response.content
    assert "dramas linked: 5" in status.response.content
