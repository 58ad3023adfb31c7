"""Removal from a server: it is marked as left at once, its data is purged after the retention period,
unless the bot is added back first. Plus the heartbeat behind `dramabot health`."""

from __future__ import annotations

import pytest
import pytest_asyncio
from simcord.backend import serializers

from bot.health import HEARTBEAT_KEY, check_health

MINE = {"cogs.meta", "cogs.settings", "cogs.lifecycle", "cogs.privacy"}


@pytest.fixture
def settings_overrides():
    return {"retention_days": 1}


@pytest_asyncio.fixture
async def world(world):
    """Only this feature's cogs: other features' polling loops would make advancing days slow."""
    for name in set(world.env.bot.extensions) - MINE:
        await world.env.bot.unload_extension(name)
    return world


async def remove_bot(env, guild):
    """The bot is removed from the server (the same GUILD_DELETE as a kick)."""
    await env.bot.get_guild(guild.id).leave()
    await env.settle()


async def add_bot_back(env, snapshot):
    """Re-add the bot to the same server (SimCord has no public re-invite, so restore its model)."""
    backend = env.backend
    model, channels = snapshot
    backend.guilds[model.id] = model
    backend.channels.update(channels)
    backend.emit("GUILD_CREATE", serializers.guild_create_payload(backend, model))
    await env.settle()


def snapshot(env, guild):
    model = env.backend.guilds[guild.id]
    return model, {cid: env.backend.channels[cid] for cid in model.channel_ids}


async def test_removal_marks_the_server_and_the_purge_waits_for_the_retention_period(world):
    env, store = world.env, world.env.bot.store
    await world.manager.slash(world.general, "settings timezone", zone="Asia/Seoul")
    await remove_bot(env, world.guild)
    stored = await store.guilds.get(world.guild.id)
    assert stored.left_at is not None and not await store.guilds.is_active(world.guild.id)

    await env.advance_time(23 * 3600)
    assert (await store.guilds.get(world.guild.id)).timezone == "Asia/Seoul"
    await env.advance_time(2 * 3600)
    assert (await store.guilds.get(world.guild.id)).timezone == "UTC"  # the row is gone: defaults
    assert await store.scalar("SELECT count(*) FROM guild_settings WHERE guild_id = ?", (world.guild.id,)) == 0


async def test_being_added_back_cancels_the_purge(world):
    env, store = world.env, world.env.bot.store
    await world.manager.slash(world.general, "settings timezone", zone="Asia/Seoul")
    saved = snapshot(env, world.guild)
    await remove_bot(env, world.guild)
    await env.advance_time(3600)
    await add_bot_back(env, saved)
    assert await store.guilds.is_active(world.guild.id)
    await env.advance_time(2 * 86400)
    assert (await store.guilds.get(world.guild.id)).timezone == "Asia/Seoul"


@pytest.mark.parametrize("settings_overrides", [{"retention_days": 0}])
async def test_zero_retention_deletes_at_once(world):
    store = world.env.bot.store
    await world.manager.slash(world.general, "settings grace", minutes=10)
    await remove_bot(world.env, world.guild)
    assert await store.scalar("SELECT count(*) FROM guild_settings WHERE guild_id = ?", (world.guild.id,)) == 0


async def test_removals_while_offline_are_noticed_at_start(world, bot_factory):
    env = world.env
    gone = 1234567890123
    await env.bot.store.guilds.update(gone, timezone="Europe/Paris")
    await env.restart_bot(bot_factory())
    assert not await env.bot.store.guilds.is_active(gone)
    assert await env.bot.store.guilds.is_active(world.guild.id)


@pytest.mark.parametrize("settings_overrides", [{"heartbeat_seconds": 60}])
async def test_the_heartbeat_keeps_health_green(world, db_path):
    env = world.env
    first = await env.bot.store.meta.get(HEARTBEAT_KEY)
    assert first is not None
    await env.advance_time(600)
    beat = await env.bot.store.meta.get(HEARTBEAT_KEY)
    assert beat > first
    healthy, text = await check_health(db_path, max_age=180, now=env.now())
    assert healthy, text
    env.bot.get_cog("Lifecycle").heartbeat.cancel()
    await env.advance_time(600)
    healthy, text = await check_health(db_path, max_age=180, now=env.now())
    assert not healthy and "heartbeat" in text


async def test_follows_stop_at_once_and_resume_when_the_bot_is_added_back(world):
    env, store = world.env, world.env.bot.store
    drama = (await store.catalog.find_dramas("", limit=1))[0]
    now = int(env.now().timestamp())
    await store.schedule.follow(world.guild.id, drama["id"], channel_id=world.announcements.id, role_id=None,
                                remind_minutes=None, threads=False, events=False, created_by=world.manager.id, now=now)
    saved = snapshot(env, world.guild)
    await remove_bot(env, world.guild)
    (follow,) = await store.schedule.following(world.guild.id)
    assert follow["paused_at"] is not None and "removed" in follow["paused_reason"]
    await add_bot_back(env, saved)
    (follow,) = await store.schedule.following(world.guild.id)
    assert follow["paused_at"] is None
