"""Schedules on SimCord, part 3: an episode that moves after its reminder went out, and an un-cancelled
episode's scheduled event. Both must survive restarts without a duplicate or a miss."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.e2e.test_schedule import (  # noqa: F401
    SLUG,
    _stop_announcer,
    add_drama,
    follow,
    now_s,
    owner,
    reminders,
    set_schedule,
)

H = 3600


@pytest.fixture
async def drama(world):
    return await add_drama(world.env.bot)


def dm_reminders(member) -> list[str]:
    channel = member.user.dm_channel
    return [m.content for m in channel.history() if "starts in" in m.content] if channel else []


def episode_events(bot, guild_id: int, label: str) -> list:
    return [e for e in bot.get_guild(guild_id).scheduled_events if e.name.endswith(label)]


# ----------------------------------------------------------------------------- moved after the reminder
async def test_moved_episode_is_reminded_again_before_its_new_time_once(world, drama, owner, bot_factory):  # noqa: F811
    env, bot = world.env, world.env.bot
    base = now_s(env)  # 2026-01-01 00:00 UTC
    await set_schedule(bot, drama, 1 * H, 4 * H, base=base)
    await follow(world, remind_minutes=10)
    await bot.store.schedule.add_reminder(world.fan.id, drama, 10, world.guild.id, base)
    await env.advance_time(51 * 60)
    assert len(reminders(world.announcements, bot)) == 1 and len(dm_reminders(world.fan)) == 1

    # Delayed by an hour after the reminders went out: remind again 10 minutes before the new time.
    await owner.slash(world.general, "schedule edit delay", drama=SLUG, episode=1, new_time="2026-01-01 02:00",
                      tz="UTC")
    await env.advance_time(H - 3 * 60)  # 01:48
    assert len(reminders(world.announcements, bot)) == 1 and len(dm_reminders(world.fan)) == 1
    await env.advance_time(3 * 60)  # 01:51
    again = reminders(world.announcements, env.bot)
    assert len(again) == 2 and f"<t:{base + 2 * H}:t>" in again[-1].content
    assert f"Moved from <t:{base + H}:f>" in again[-1].content
    dms = dm_reminders(world.fan)
    assert len(dms) == 2 and f"Moved from <t:{base + H}:f>" in dms[-1]

    # A restart right after (and one more after the episode) sends nothing twice.
    await env.restart_bot(bot_factory())
    await env.advance_time(20 * 60)
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert len(reminders(world.announcements, env.bot)) == 2 and len(dm_reminders(world.fan)) == 2

    # A regenerated slot moves episode 2 earlier, to less than the reminder lead away, after its reminder
    # went out: the new reminder goes out at once (still before the episode), once.
    await env.advance_time(H + 39 * 60)  # 03:51, episode 2's reminder is out
    assert len(reminders(world.announcements, env.bot)) == 3
    eps = await env.bot.store.schedule.episodes(drama)
    moved = [eps[0], replace(eps[1], air_at=base + 3 * H + 55 * 60)]
    await env.bot.store.schedule.replace_episodes(drama, moved, now_s(env))
    await env.advance_time(60)
    texts = [m.content for m in reminders(world.announcements, env.bot)]
    assert len(texts) == 4 and "Episode 2" in texts[-1] and f"Moved from <t:{base + 4 * H}:f>" in texts[-1]
    await env.advance_time(10 * 60)
    assert len(reminders(world.announcements, env.bot)) == 4 and len(dm_reminders(world.fan)) == 4


async def test_reminder_in_flight_when_the_episode_moved_is_not_resent_for_the_new_time(world, drama, bot_factory):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 1 * H, base=base)
    await follow(world, remind_minutes=10)
    await env.advance_time(49 * 60)
    # The old reminder was claimed and the process died before sending; meanwhile the episode moved.
    await _stop_announcer(env)
    [row] = [r for r in await bot.store.schedule.deliveries_for(world.guild.id) if r["kind"] == "remind"]
    await bot.store.write("UPDATE deliveries SET state = 'claimed', attempts = 1, claimed_at = ? WHERE id = ?",
                          (base + 50 * 60, row["id"]))
    await set_schedule(bot, drama, 2 * H, base=base)
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert reminders(world.announcements, env.bot) == []
    assert (await env.bot.store.schedule.delivery(row["id"]))["state"] == "skipped"
    await env.advance_time(H)  # 01:50
    [reminder] = reminders(world.announcements, env.bot)
    assert f"<t:{base + 2 * H}:t>" in reminder.content


# ----------------------------------------------------------------------------- un-cancelled episodes
async def test_uncancelled_episode_gets_its_scheduled_event_back_once(world, drama, owner, bot_factory):  # noqa: F811
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 2 * H, 26 * H, base=base)
    await follow(world, event=True)
    await env.advance_time(60)
    assert len(episode_events(bot, world.guild.id, "Episode 2 (finale)")) == 1
    await owner.slash(world.general, "schedule edit cancel", drama=SLUG, episode=2)
    await env.advance_time(60)
    assert episode_events(bot, world.guild.id, "Episode 2 (finale)") == []

    # Moving a cancelled episode (here: back to its own slot) reverses the cancel.
    result = await owner.slash(world.general, "schedule edit delay", drama=SLUG, episode=2,
                               new_time="2026-01-02 02:00", tz="UTC")
    assert "now airs" in result.response.content
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    [event] = episode_events(env.bot, world.guild.id, "Episode 2 (finale)")
    assert int(event.start_time.timestamp()) == base + 26 * H
    # The creation was confirmed by a process that then died: the restart finds it, creates no second one.
    [row] = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id)
             if r["kind"] == "event" and r["number"] == 2 and r["state"] == "sent"]
    await env.bot.store.write("UPDATE deliveries SET state = 'claimed', claimed_at = ? WHERE id = ?",
                              (now_s(env), row["id"]))
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert len(episode_events(env.bot, world.guild.id, "Episode 2 (finale)")) == 1
    assert len(env.bot.get_guild(world.guild.id).scheduled_events) == 2
    assert len(await env.bot.store.schedule.events_of(world.guild.id)) == 2


async def test_cancel_reversed_before_the_event_was_deleted_keeps_the_event(world, drama):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 2 * H, base=base)
    await follow(world, event=True)
    await env.advance_time(60)
    [event] = episode_events(bot, world.guild.id, "Episode 1 (finale)")
    # Back to back, with no announcer pass in between: its wake-up is held until both writes are in (the
    # announcer could otherwise run between them while either backend awaits its I/O).
    eps = await bot.store.schedule.episodes(drama)
    wake, bot.store.schedule.listeners = bot.store.schedule.listeners, []
    await bot.store.schedule.replace_episodes(drama, [replace(eps[0], status="cancelled")], now_s(env))
    await bot.store.schedule.replace_episodes(drama, eps, now_s(env))
    bot.store.schedule.listeners = wake
    for listener in wake:
        listener()
    await env.advance_time(60)
    assert [e.id for e in episode_events(bot, world.guild.id, "Episode 1 (finale)")] == [event.id]
    assert not [r for r in env.http_requests if r.method == "DELETE" and "scheduled-events" in r.path]
