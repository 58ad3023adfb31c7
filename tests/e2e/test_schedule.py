"""Schedules end to end on SimCord: follows, the announcer, restarts, faults, overrides, events, DST.

Episodes are placed relative to SimCord's virtual now; time moves only with ``env.advance_time``
(the announcer ticks every 30 s of virtual time). Each test keeps its virtual span to a few hours.
"""

from __future__ import annotations

import re
from dataclasses import replace

import discord
import pytest

from bot.catalog.names import norm
from bot.schedule.slots import Episode

H = 3600
SLUG = "moonlit-runner-2026"
TITLE = "Moonlit Runner"


def now_s(env) -> int:
    return int(env.now().timestamp())


async def add_drama(bot, slug: str = SLUG, title: str = TITLE) -> int:
    """Insert a catalog row for a test drama (the catalog may not ship it)."""
    store = bot.store
    existing = await store.catalog.drama_by_slug(slug)
    if existing is not None:
        return existing["id"]
    # Test setup only: the catalog's own loader owns these tables in production.
    drama_id = await store.write("INSERT INTO dramas (slug, title, year, network) VALUES (?, ?, 2026, 'tvN') RETURNING id",
                                 (slug, title))
    await store.write("INSERT INTO drama_names (drama_id, name, norm, kind) VALUES (?, ?, ?, 'title') ON CONFLICT DO NOTHING",
                      (drama_id, title, norm(title)))
    return drama_id


async def set_schedule(bot, drama_id: int, *air_offsets: int, base: int, finale_last: bool = True) -> None:
    eps = [Episode(number=i + 1, air_at=base + off, finale=finale_last and i == len(air_offsets) - 1)
           for i, off in enumerate(air_offsets)]
    await bot.store.schedule.replace_episodes(drama_id, eps, base)


def bot_messages(channel, bot) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.id == bot.user.id]


def announcements(channel, bot) -> list[discord.Message]:
    return [m for m in bot_messages(channel, bot) if "Episode" in m.content and ("airing now" in m.content or "aired" in m.content)]


def reminders(channel, bot) -> list[discord.Message]:
    return [m for m in bot_messages(channel, bot) if "starts in" in m.content]


@pytest.fixture
async def drama(world):
    drama_id = await add_drama(world.env.bot)
    return drama_id


async def follow(world, **options):
    opts = {"drama": SLUG, "channel": world.announcements, **options}
    result = await world.manager.slash(world.general, "schedule follow", **opts)
    assert "following" in result.response.content.lower() or "updated" in result.response.content.lower(), \
        result.response.content
    return result


# ----------------------------------------------------------------------------- announcing
async def test_announced_once_at_air_time_with_reminder_thread_and_role_ping(world, drama):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 1 * H, 25 * H, base=base)
    await follow(world, role=world.watchers, remind_minutes=10, thread=True)

    await env.advance_time(H - 11 * 60)
    assert reminders(world.announcements, bot) == [] and announcements(world.announcements, bot) == []
    await env.advance_time(2 * 60)
    [reminder] = reminders(world.announcements, bot)
    assert "Episode 1" in reminder.content and reminder.role_mentions == []
    assert announcements(world.announcements, bot) == []

    await env.advance_time(10 * 60)
    [announcement] = announcements(world.announcements, bot)
    assert "Episode 1 is airing now" in announcement.content
    assert [r.id for r in announcement.role_mentions] == [world.watchers.id]
    posts = [e for e in env.http_requests if e.method == "POST" and e.path.endswith("/messages")
             and e.json and "airing now" in (e.json.get("content") or "")]
    allowed = posts[0].json["allowed_mentions"]
    assert allowed["parse"] == [] and [int(r) for r in allowed["roles"]] == [world.watchers.id]
    assert not allowed.get("users")
    [thread] = world.announcements.threads
    assert "Episode 1" in thread.name
    assert "Spoilers" in thread.history()[-1].content

    await env.advance_time(3 * H)
    assert len(announcements(world.announcements, bot)) == 1
    rows = await bot.store.schedule.deliveries_for(world.guild.id)
    assert {(r["kind"], r["number"], r["state"]) for r in rows} >= {("announce", 1, "sent"), ("remind", 1, "sent")}


async def test_no_role_no_ping_and_no_reminder_by_default(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 10 * 60, base=now_s(env))
    await follow(world)
    await env.advance_time(11 * 60)
    [announcement] = announcements(world.announcements, bot)
    assert announcement.role_mentions == [] and "<@&" not in announcement.content
    assert reminders(world.announcements, bot) == []
    post = [e for e in env.http_requests if e.method == "POST" and e.path.endswith("/messages")][-1]
    assert post.json["allowed_mentions"]["parse"] == [] and not post.json["allowed_mentions"].get("roles")


# ----------------------------------------------------------------------------- restarts and downtime
async def _stop_announcer(env):
    """Downtime: the bot is offline (its announcer no longer runs) while virtual time passes."""
    env.bot.get_cog("Schedule").announcer.cancel()


async def test_restarts_before_at_and_after_air_time_never_duplicate_or_miss(world, drama, bot_factory):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 20 * 60, 40 * 60, 60 * 60, base=base)
    await follow(world)
    # before air time
    await env.restart_bot(bot_factory())
    await env.advance_time(21 * 60)
    assert len(announcements(world.announcements, env.bot)) == 1
    # right after an announcement went out, the process dies before confirming: the claim stays
    await env.advance_time(20 * 60)
    assert len(announcements(world.announcements, env.bot)) == 2
    row = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id) if r["number"] == 2][0]
    # Simulate the crash window (claim committed, send done, confirmation lost).
    await env.bot.store.write("UPDATE deliveries SET state = 'claimed' WHERE id = ?", (row["id"],))
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert len(announcements(world.announcements, env.bot)) == 2
    row = await env.bot.store.schedule.delivery(row["id"])
    assert row["state"] == "sent" and row["note"].startswith("found on Discord")
    # a claim whose send never happened is sent once after the restart (at air time of episode 3)
    await env.advance_time(19 * 60)
    await _stop_announcer(env)
    row3 = [r for r in await env.bot.store.schedule.deliveries_for(world.guild.id) if r["number"] == 3][0]
    await env.bot.store.write("UPDATE deliveries SET state = 'claimed', attempts = 1, claimed_at = ? WHERE id = ?",
                              (now_s(env), row3["id"]))
    await env.advance_time(2 * 60)
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    texts = [m.content for m in announcements(world.announcements, env.bot)]
    assert len(texts) == 3 and "Episode 3" in texts[-1]


async def test_downtime_within_grace_is_sent_late_and_beyond_grace_is_skipped(world, drama, bot_factory, caplog):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 10 * 60, 50 * 60, base=base)
    await bot.store.guilds.update(world.guild.id, grace_minutes=60)
    await follow(world)
    await _stop_announcer(env)
    await env.advance_time(2 * H)  # ep1 missed by 110 min (> 60 grace), ep2 by 70 min (> grace)
    await bot.store.guilds.update(world.guild.id, grace_minutes=90)
    caplog.set_level("INFO", logger="cogs.schedule")
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    texts = [m.content for m in announcements(world.announcements, env.bot)]
    assert len(texts) == 1 and re.search(r"Episode 2 \(finale\) aired 1 hour 1\d minutes ago", texts[0])
    states = {r["number"]: (r["state"], r["note"]) for r in await env.bot.store.schedule.deliveries_for(world.guild.id)}
    assert states[1][0] == "skipped" and "beyond the grace period" in states[1][1]
    assert "skipped announcing" in caplog.text


# ----------------------------------------------------------------------------- overrides (owner path)
@pytest.fixture
async def owner(world):
    user = world.guild.add_member(world.env.create_user("owner"))
    world.env.bot.settings = replace(world.env.bot.settings, owner_ids=frozenset({user.id}))
    return user


async def test_owner_generate_delay_skip_double_cancel(world, drama, owner):
    bot = world.env.bot
    # SimCord starts Thu 2026-01-01 00:00 UTC = 09:00 in Seoul.
    r = await owner.slash(world.general, "schedule edit generate", drama=SLUG, days="Mon/Tue", time="20:50",
                          first_date="2026-01-05", episodes=8, platforms="Viki 60")
    assert "8 episodes" in r.response.content
    eps = await bot.store.schedule.episodes(drama)
    assert eps[0].air_at == int(discord.utils.parse_time("2026-01-05T11:50:00+00:00").timestamp())
    assert eps[-1].finale and eps[0].availability[0].platform == "Viki"
    before = {e.number: e.air_at for e in eps}

    await owner.slash(world.general, "schedule edit delay", drama=SLUG, episode=2, new_time="2026-01-07 21:00")
    eps = {e.number: e for e in await bot.store.schedule.episodes(drama)}
    assert eps[2].status == "delayed" and eps[2].original_air_at == before[2] and eps[3].air_at == before[3]

    await owner.slash(world.general, "schedule edit skip", drama=SLUG, week_of="2026-01-14")
    eps = {e.number: e for e in await bot.store.schedule.episodes(drama)}
    assert eps[3].air_at == before[3] + 7 * 86400 and eps[8].air_at == before[8] + 7 * 86400
    assert eps[1].air_at == before[1]

    shifted = {n: e.air_at for n, e in eps.items()}
    await owner.slash(world.general, "schedule edit double", drama=SLUG, date="2026-01-19")
    eps = {e.number: e for e in await bot.store.schedule.episodes(drama)}
    assert eps[4].air_at == shifted[3] + 70 * 60 and eps[5].air_at == shifted[4] and eps[8].air_at == shifted[7]

    await owner.slash(world.general, "schedule edit cancel", drama=SLUG, episode=5)
    eps = {e.number: e for e in await bot.store.schedule.episodes(drama)}
    assert eps[5].status == "cancelled"

    result = await world.fan.slash(world.general, "schedule upcoming", drama=SLUG, days=45)
    text = result.response.content
    assert "delayed" in text and "cancelled" in text and "finale" in text and "<t:" in text and ":R>" in text


async def test_delayed_episode_announced_at_new_time_and_cancelled_never(world, drama, owner):
    env, bot = world.env, world.env.bot
    base = now_s(env)
    await set_schedule(bot, drama, 30 * 60, 90 * 60, base=base)
    await follow(world, remind_minutes=5)
    # move episode 1 by an hour (entered in UTC) and cancel episode 2
    await owner.slash(world.general, "schedule edit delay", drama=SLUG, episode=1, new_time="2026-01-01 01:30",
                      tz="UTC")
    await owner.slash(world.general, "schedule edit cancel", drama=SLUG, episode=2)
    await env.advance_time(35 * 60)
    assert announcements(world.announcements, bot) == [] and reminders(world.announcements, bot) == []
    await env.advance_time(60 * 60)
    texts = [m.content for m in announcements(world.announcements, bot)]
    assert len(texts) == 1 and "Episode 1" in texts[0] and "delayed" in texts[0]
    assert len(reminders(world.announcements, bot)) == 1


# ----------------------------------------------------------------------------- faults
async def test_a_500_is_retried_once_and_sent_once(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 5 * 60, base=now_s(env))
    await follow(world)
    env.inject_error("POST", "/channels/*/messages", status=500)
    await env.advance_time(6 * 60)
    await env.advance_time(60)
    assert len(announcements(world.announcements, bot)) == 1
    posts = [e for e in env.http_requests if e.method == "POST" and e.path == f"/channels/{world.announcements.id}/messages"]
    assert len(posts) == 2


async def test_persistent_5xx_recorded_failed_and_the_loop_goes_on(world, drama):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 5 * 60, 60 * 60, base=now_s(env))
    await follow(world)
    env.inject_error("POST", "/channels/*/messages", status=503, times=4)
    await env.advance_time(20 * 60)
    rows = {r["number"]: r for r in await bot.store.schedule.deliveries_for(world.guild.id)}
    assert rows[1]["state"] == "failed" and rows[1]["attempts"] == 4
    await env.advance_time(41 * 60)
    assert ["Episode 2" in m.content for m in announcements(world.announcements, bot)] == [True]


@pytest.mark.parametrize(("status", "code", "words"), [(403, 50013, "not allowed"), (404, 10003, "no longer exists")])
async def test_refusals_pause_the_follow_and_tell_the_manager(world, drama, status, code, words):
    env, bot = world.env, world.env.bot
    await set_schedule(bot, drama, 5 * 60, 60 * 60, base=now_s(env))
    await follow(world)
    env.inject_error("POST", f"/channels/{world.announcements.id}/messages", status=status, code=code,
                     message="refused (injected)")
    await env.advance_time(6 * 60)
    follows = await bot.store.schedule.following(world.guild.id)
    assert follows[0]["paused_at"] is not None
    result = await world.fan.slash(world.general, "schedule following")
    assert "paused" in result.response.content and "/schedule follow" in result.response.content
    manager_dm = [m.content for m in world.manager.user.dm_channel.history()]
    assert manager_dm and words in manager_dm[-1] and "/schedule follow" in manager_dm[-1]
    # re-running follow resumes; the next episode is announced
    await follow(world)
    await env.advance_time(55 * 60)
    assert any("Episode 2" in m.content for m in announcements(world.announcements, bot))
