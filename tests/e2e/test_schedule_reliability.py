"""The announcer when things go wrong around it: busy channels, a busy database, failed passes.

SimCord answers ``GET /channels/{id}/messages?after=X`` with the NEWEST messages after X; Discord
answers with the ``limit`` messages right after X (newest first within that page: discord.py takes the
page's first id as the next ``after`` and reverses it). ``discord_paging`` makes SimCord's route answer
as Discord does, so the restart look-back is tested against Discord's paging.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from simcord.backend.errors import BackendError
from simcord.http import router

from tests.e2e.test_schedule import add_drama, announcements, follow, now_s, set_schedule

H = 3600


def _swap_route(monkeypatch, method: str, template: str, make):
    """Replace SimCord's handler for one route (the server side; discord.py is untouched) for one test."""
    routes = list(router._ROUTES[method])
    parts = template.strip("/").split("/")
    index = next(i for i, (tpl, _handler) in enumerate(routes) if tpl == parts)
    routes[index] = (parts, make(routes[index][1]))
    monkeypatch.setitem(router._ROUTES, method, routes)


@pytest.fixture
def discord_paging(monkeypatch):
    """``after=X`` returns the ``limit`` messages right after X, newest first, as Discord does."""

    def make(original):
        def history(ctx):
            params = ctx.params
            if "after" not in params or "before" in params or "around" in params:
                return original(ctx)
            limit = int(params.get("limit", 50))
            everything = original(replace(ctx, params={"limit": 10**9}))  # newest first, all visible
            after = int(params["after"])
            window = sorted((m for m in everything if int(m["id"]) > after), key=lambda m: int(m["id"]))[:limit]
            return list(reversed(window))
        return history

    _swap_route(monkeypatch, "GET", "/channels/{channel_id}/messages", make)


@pytest.fixture
def stored_then_500(monkeypatch):
    """The next message POST is stored by Discord but answered with a 500 (the reply was lost)."""
    left = {"times": 1}

    def make(original):
        def create(ctx):
            result = original(ctx)
            if left["times"]:
                left["times"] -= 1
                raise BackendError(500, 0, "Internal Server Error")
            return result
        return create

    _swap_route(monkeypatch, "POST", "/channels/{channel_id}/messages", make)
    return left


@pytest.fixture
async def drama(world):
    return await add_drama(world.env.bot)


async def countdown_chat(world, count: int) -> None:
    """Fans chatting in the announcement channel just before air time."""
    for i in range(count):
        await world.fans[i % len(world.fans)].send(world.announcements, f"{count - i} minutes... so excited")


async def test_busy_channel_crash_after_the_send_is_not_announced_twice(world, drama, bot_factory, discord_paging):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 20 * 60, base=now_s(env))
    await follow(world)
    await env.advance_time(19 * 60)
    await countdown_chat(world, 60)  # within the 2 minutes before the claim
    await env.advance_time(2 * 60)
    [sent] = announcements(world.announcements, env.bot)
    [row] = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id) if r["kind"] == "announce"]
    # The crash window: the claim was committed and the message posted, the confirmation never written.
    await env.bot.store.write("UPDATE deliveries SET state = 'claimed', message_id = NULL WHERE id = ?", (row["id"],))
    await countdown_chat(world, 30)  # and the chat goes on after the announcement
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert [m.id for m in announcements(world.announcements, env.bot)] == [sent.id]
    row = await env.bot.store.schedule.delivery(row["id"])
    assert row["state"] == "sent" and row["message_id"] == sent.id and row["note"].startswith("found on Discord")


async def test_busy_channel_500_after_discord_stored_the_message_is_not_announced_twice(
        world, drama, discord_paging, stored_then_500):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 20 * 60, base=now_s(env))
    await follow(world)
    await env.advance_time(19 * 60)
    await countdown_chat(world, 60)
    await env.advance_time(2 * 60)  # sent: Discord stored it, the bot saw a 500 and will retry in 30 s
    assert stored_then_500["times"] == 0
    await countdown_chat(world, 30)
    await env.advance_time(2 * 60)
    assert len(announcements(world.announcements, env.bot)) == 1
    [row] = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id) if r["kind"] == "announce"]
    assert row["state"] == "sent" and row["attempts"] == 2 and row["note"].startswith("found on Discord")
    _ = env.errors  # the 500 was expected (logged by the announcer as a transient failure)


async def test_a_lost_send_in_a_busy_channel_is_sent_once_after_the_restart(world, drama, bot_factory, discord_paging):
    """The other side of the look-back: when nothing landed, reading a busy window still ends in one send."""
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 20 * 60, base=now_s(env))
    await follow(world)
    await env.advance_time(19 * 60)
    env.bot.get_cog("Schedule").announcer.cancel()  # the process is down at air time
    [row] = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id) if r["kind"] == "announce"]
    await env.bot.store.write("UPDATE deliveries SET state = 'claimed', attempts = 1, claimed_at = ? WHERE id = ?",
                              (now_s(env), row["id"]))
    await countdown_chat(world, 250)  # more than two pages of chatter, no marker
    await env.advance_time(60)
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    [sent] = announcements(world.announcements, env.bot)
    assert "Episode 1 (finale) is airing now" in sent.content
