"""Schedules on SimCord, part 2: scheduled events and threads, .ics, DST, DM reminders, bad input."""

from __future__ import annotations

import icalendar
import pytest
import simcord

from bot.checks import Refused
from bot.errors import BadInput, NotFound
from bot.schedule.slots import Episode
from tests.e2e.test_schedule import SLUG, add_drama, follow, now_s, owner, set_schedule  # noqa: F401

H = 3600


@pytest.fixture
async def drama(world):
    return await add_drama(world.env.bot)


async def test_scheduled_events_created_kept_in_step_and_removed(world, drama, owner):  # noqa: F811
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 2 * H, 26 * H, base=now_s(env))
    await follow(world, event=True)
    await env.advance_time(60)
    guild = bot.get_guild(world.guild.id)
    events = sorted(guild.scheduled_events, key=lambda e: e.start_time)
    assert [e.name.split("— ")[1] for e in events] == ["Episode 1", "Episode 2 (finale)"]
    first_start = events[0].start_time
    await owner.slash(world.general, "schedule edit delay", drama=SLUG, episode=1, new_time="2026-01-01 03:00", tz="UTC")
    await env.advance_time(60)
    moved = [e for e in guild.scheduled_events if "Episode 1" in e.name][0]
    assert moved.start_time != first_start and moved.start_time.hour == 3
    await owner.slash(world.general, "schedule edit cancel", drama=SLUG, episode=2)
    await env.advance_time(60)
    assert [e.name.endswith("Episode 1") for e in guild.scheduled_events] == [True]
    await world.manager.slash(world.general, "schedule unfollow", drama=SLUG)
    await env.advance_time(60)
    assert list(guild.scheduled_events) == []
    assert await bot.store.schedule.events_of(world.guild.id) == []
    await follow(world, event=True)  # following again brings the (remaining) event back
    await env.advance_time(60)
    assert [e.name.endswith("Episode 1") for e in guild.scheduled_events] == [True]


async def test_calendar_is_a_parseable_ics_of_followed_dramas(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 2 * H, 26 * H, 50 * H, base=now_s(env))
    await follow(world)
    result = await world.fan.slash(world.general, "schedule calendar")
    [attachment] = result.response.attachments
    assert attachment.filename.endswith(".ics")
    cal = icalendar.Calendar.from_ical(await attachment.read())
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 3
    starts = sorted(int(e.decoded("dtstart").timestamp()) for e in events)
    assert starts == [now_s(env) + 2 * H, now_s(env) + 26 * H, now_s(env) + 50 * H]
    assert "Episode 3 (finale)" in str(sorted(events, key=lambda e: e.decoded("dtstart"))[-1]["summary"])


async def test_dst_new_york_local_times_on_both_sides(world, drama, owner):  # noqa: F811
    bot = world.env.bot
    await bot.store.guilds.update(world.guild.id, timezone="America/New_York")
    # Sundays 20:00 New York from 1 March 2026; DST starts 8 March.
    await owner.slash(world.general, "schedule edit generate", drama=SLUG, days="Sun", time="20:00",
                      first_date="2026-03-01", episodes=2, tz="America/New_York")
    eps = await bot.store.schedule.episodes(drama)
    assert [e.air_at - eps[0].air_at for e in eps] == [0, 7 * 86400 - 3600]  # one hour less in UTC
    result = await world.fan.slash(world.general, "schedule upcoming", drama=SLUG, days=90)
    text = result.response.content
    assert "Sun 1 Mar 20:00 EST" in text and "Sun 8 Mar 20:00 EDT" in text
    assert f"<t:{eps[0].air_at}:F>" in text and f"<t:{eps[1].air_at}:R>" in text


async def test_member_dm_reminders(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 40 * 60, base=now_s(env))
    result = await world.fan.slash(world.general, "remind add", drama=SLUG, minutes=15)
    assert result.ephemeral and "15 minutes before" in result.response.content
    listed = await world.fan.slash(world.general, "remind list")
    assert "Moonlit Runner" in listed.response.content
    await env.advance_time(26 * 60)
    [dm] = [m for m in world.fan.user.dm_channel.history() if "starts in" in m.content]
    assert "Episode 1" in dm.content and "15 minutes" in dm.content
    await env.advance_time(30 * 60)
    assert len([m for m in world.fan.user.dm_channel.history() if "starts in" in m.content]) == 1
    await world.fan.slash(world.general, "remind remove", drama=SLUG)
    await world.fan.slash(world.general, "remind remove", drama=SLUG)
    simcord.assert_error(env, NotFound, contains="no reminder")


async def test_bad_inputs_get_clear_errors(world, drama, owner):  # noqa: F811
    env = world.env
    cases = [
        (owner, "schedule edit generate", dict(drama=SLUG, days="Mon/Tue", time="20:50", first_date="2026-01-05",
                                              episodes=4, tz="Mars/Olympus"), BadInput, "time zone"),
        (owner, "schedule edit generate", dict(drama=SLUG, days="Mon/Funday", time="20:50", first_date="2026-01-05",
                                              episodes=4), BadInput, "not a day"),
        (owner, "schedule edit generate", dict(drama=SLUG, days="Mon", time="25:00", first_date="2026-01-05",
                                              episodes=4), BadInput, "not a time"),
        (owner, "schedule edit generate", dict(drama=SLUG, days="Mon", time="20:00", first_date="2026-02-30",
                                              episodes=4), BadInput, "not a real date"),
        (owner, "schedule edit generate", dict(drama=SLUG, days="Mon", time="20:00", first_date="2026-01-06",
                                              episodes=4), BadInput, "not one of the air days"),
        (owner, "schedule edit delay", dict(drama=SLUG, episode=1, new_time="2026-03-08 02:30",
                                           tz="America/New_York"), BadInput, "does not exist"),
        (world.fan, "schedule edit cancel", dict(drama=SLUG, episode=1), Refused, "owners"),
        (world.fan, "schedule follow", dict(drama=SLUG, channel=world.announcements), Refused, "managers"),
        (world.manager, "schedule follow", dict(drama="no such drama at all", channel=world.announcements),
         NotFound, "couldn't find"),
        (world.manager, "schedule unfollow", dict(drama=SLUG), NotFound, "doesn't follow"),
    ]
    await set_schedule(env.bot, drama, 5 * H, base=now_s(env))
    for actor, name, options, error, words in cases:
        result = await actor.slash(world.general, name, **options)
        assert result.ephemeral, name
        simcord.assert_error(env, error, contains=words)
    assert (await env.bot.store.schedule.episodes(drama))[0].air_at == now_s(env) + 5 * H


async def test_follow_refuses_a_channel_it_cannot_post_in(world, drama):
    import discord

    channel = world.guild.create_text_channel(
        "locked", overwrites={world.guild.default_role: discord.PermissionOverwrite(send_messages=False)})
    await world.manager.slash(world.general, "schedule follow", drama=SLUG, channel=channel)
    simcord.assert_error(world.env, BadInput, contains="Send Messages")


def test_episode_spec_is_plain_data():
    assert Episode(number=1, air_at=0).status == "scheduled"


async def test_generate_seeded_from_the_catalog_slot(world, owner):  # noqa: F811
    bot = world.env.bot
    drama_id = await bot.store.write(
        "INSERT INTO dramas (slug, title, air_days, air_time, air_tz, episodes, first_aired)"
        " VALUES ('seeded-2026', 'Seeded Drama', '[\"Wednesday\", \"Thursday\"]', '21:00', 'Asia/Seoul', 12,"
        " '2026-01-07') RETURNING id")
    result = await owner.slash(world.general, "schedule edit generate", drama="seeded-2026")
    assert "12 episodes" in result.response.content
    eps = await bot.store.schedule.episodes(drama_id)
    assert eps[0].air_at == 1767787200 and eps[1].air_at - eps[0].air_at == 86400  # Wed 21:00 KST = 12:00Z


async def test_episode_threads_open_and_the_previous_one_is_archived(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 5 * 60, 15 * 60, base=now_s(env))
    await follow(world, thread=True)
    await env.advance_time(6 * 60)
    [first] = world.announcements.threads
    assert not bot.get_channel(first.id).archived
    await env.advance_time(10 * 60)
    threads = sorted(world.announcements.threads, key=lambda t: t.id)
    assert [("Episode 1" in t.name, "Episode 2" in t.name) for t in threads] == [(True, False), (False, True)]
    patches = [e.json for e in env.http_requests if e.method == "PATCH" and e.path == f"/channels/{first.id}"]
    assert patches and patches[-1].get("archived") is True
    assert not bot.get_channel(threads[1].id).archived
    assert all("Spoilers" in t.history()[-1].content for t in threads)
