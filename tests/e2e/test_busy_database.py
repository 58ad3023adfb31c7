"""Another process holds the database's write lock (an import, a backup tool): the bot stays correct.

A second SQLite connection holds a write transaction for 10 s of virtual time while the test advances
the clock in steps. The bot's busy timeout is shortened to 150 ms of real time so the test stays fast;
what is asserted does not depend on its length: the announcer retries within seconds and still
announces (time the bot was up is no outage), an interaction whose write must wait is deferred before
it waits (its first answer is never late), and a vote that could not be stored is told so, with
nothing stored.
"""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager

import pytest
import simcord

from bot.errors import StoreBusy
from tests.e2e.test_schedule import add_drama, announcements, follow, now_s, set_schedule

BUSY_MS = 150
CALLBACK = 4  # CHANNEL_MESSAGE_WITH_SOURCE
DEFERRED_THINKING, DEFERRED_UPDATE = 5, 6


@asynccontextmanager
async def write_lock(env, path):
    """A second connection inside a write transaction (BEGIN IMMEDIATE) until the block ends.

    Taken once the bot is idle: this connection is synchronous, so it must not wait on a transaction
    the bot has open (the bot could not finish it while the event loop is blocked here).
    """
    await env.settle()
    other = sqlite3.connect(path, isolation_level=None, timeout=1)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE meta SET value = value WHERE key = 'synced_commands'")
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


async def advance(env, seconds: int, step: int = 2) -> None:
    for _ in range(0, seconds, step):
        await env.advance_time(step)


def callbacks(env, start: int) -> list[int]:
    return [e.json["type"] for e in env.http_requests[start:]
            if e.method == "POST" and e.path.endswith("/callback") and isinstance(e.json, dict)]


@pytest.fixture
async def busy_world(world):
    if world.env.bot.store.postgres:
        pytest.skip("SQLite's file-wide write lock; PostgreSQL writers lock rows, not the database")
    await world.env.bot.store.set_busy_timeout(BUSY_MS)
    return world


async def test_a_locked_database_delays_the_announcement_by_seconds_not_minutes(busy_world, db_path, caplog):
    world = busy_world
    env, bot = world.env, world.env.bot
    drama = await add_drama(bot)
    await set_schedule(bot, drama, 10 * 60, base=now_s(env))
    await bot.store.guilds.update(world.guild.id, grace_minutes=0)  # no outage is forgiven at all
    await follow(world)
    await env.advance_time(10 * 60 - 4)
    caplog.set_level("WARNING", logger="cogs.schedule")
    async with write_lock(env, db_path):
        await advance(env, 14)  # the lock is held from 4 s before air time to 10 s after it
        assert announcements(world.announcements, bot) == []
    await advance(env, 10)
    [sent] = announcements(world.announcements, bot)
    assert "is airing now" in sent.content
    [row] = [r for r in await bot.store.schedule.deliveries_for(world.guild.id) if r["kind"] == "announce"]
    done_at = await bot.store.scalar("SELECT done_at FROM deliveries WHERE id = ?", (row["id"],))
    assert row["state"] == "sent" and done_at - row["air_at"] <= 20
    assert "the database is locked by another process; retrying in 2 s" in caplog.text


async def test_a_vote_during_a_long_lock_is_deferred_then_told_it_was_not_stored(busy_world, db_path):
    world = busy_world
    env, bot = world.env, world.env.bot
    created = await world.manager.slash(world.polls, "poll create", question="Season 2?", options="yes|no")
    poll_message = created.response
    start = len(env.http_requests)
    async with write_lock(env, db_path):
        await advance(env, 4)
        result = await world.fan.click(poll_message, label="1. yes")
        await advance(env, 6)
    assert callbacks(env, start) == [DEFERRED_UPDATE]  # answered at once, before the write waited
    [told] = result.followups
    assert told.ephemeral and "not stored" in told.content and "error" not in told.content.lower()
    assert await bot.store.scalar("SELECT count(*) FROM poll_votes") == 0
    again = await world.fan.click(poll_message, label="1. yes")
    assert "Your vote" in again.response.content
    assert await bot.store.scalar("SELECT count(*) FROM poll_votes") == 1


async def test_a_command_whose_write_waits_is_deferred_privately_and_nothing_is_changed(busy_world, db_path):
    world = busy_world
    env, bot = world.env, world.env.bot
    before = (await bot.store.guilds.get(world.guild.id)).zone.key
    start = len(env.http_requests)
    async with write_lock(env, db_path):
        await advance(env, 4)
        result = await world.manager.slash(world.general, "settings timezone", zone="America/New_York")
        await advance(env, 6)
    assert callbacks(env, start) == [DEFERRED_THINKING]
    assert result.ephemeral and "busy" in (result.response.content or "") + "".join(
        m.content or "" for m in result.followups)
    simcord.assert_error(env, StoreBusy, contains="nothing was saved")
    assert (await bot.store.guilds.get(world.guild.id)).zone.key == before
    ok = await world.manager.slash(world.general, "settings timezone", zone="America/New_York")
    assert "New York" in ok.response.content or "America/New_York" in ok.response.content
