"""Commands are synced on purpose: instantly to DEV_GUILD_ID when set, globally only when they changed."""

from __future__ import annotations

from dataclasses import replace

import simcord


async def test_with_a_dev_guild_commands_sync_there_and_not_globally(bot_factory):
    bot = bot_factory()
    env = simcord.Env(bot)
    guild = env.create_guild(name="dramabot dev")
    bot.settings = replace(bot.settings, dev_guild_id=guild.id)  # configured before the bot starts
    await env.start()
    try:
        channel = guild.create_text_channel("testing")
        dev = guild.add_member(env.create_user("dev"))
        assert "about" in dev.available_commands(channel)
        result = await dev.slash(channel, "about")
        assert result.response.embeds[0].title == "About dramabot"
        assert env.backend.visible_commands(user_id=dev.id, channel_id=channel.id)
        assert await bot.store.meta.get("synced_commands") is None  # no global sync happened
        other = env.create_guild(name="somewhere else")
        lurker = other.add_member(env.create_user("lurker"))
        assert "about" not in lurker.available_commands(other.create_text_channel("general"))
        env.raise_errors()
    finally:
        await env.shutdown()


async def test_a_restart_with_unchanged_commands_does_not_sync_again(simcord_env, bot_factory):
    signature = await simcord_env.bot.store.meta.get("synced_commands")
    assert signature == simcord_env.bot.command_signature()
    syncs_before = [r for r in simcord_env.http_requests if r.method == "PUT" and "/commands" in r.path]
    await simcord_env.restart_bot(bot_factory())
    syncs_after = [r for r in simcord_env.http_requests if r.method == "PUT" and "/commands" in r.path]
    assert len(syncs_after) == len(syncs_before) == 1
