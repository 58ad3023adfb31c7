"""/settings as members and managers see it."""

from __future__ import annotations

import simcord

from bot.checks import Refused


async def test_anyone_sees_the_defaults(world):
    result = await world.fan.slash(world.general, "settings show")
    assert result.ephemeral
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["Who may create polls"] == "managers only"
    assert fields["Time zone"].startswith("UTC")
    assert fields["Announcement grace period"].startswith("360 minutes")


async def test_a_manager_changes_every_setting_and_it_persists(world, bot_factory):
    env, m, g = world.env, world.manager, world.general
    r = await m.slash(g, "settings announcements", channel=world.announcements)
    simcord.assert_responded(r, contains="announcements", ephemeral=True)
    r = await m.slash(g, "settings manager-role", role=world.watchers)
    simcord.assert_responded(r, contains="now dramabot managers", ephemeral=True)
    r = await m.slash(g, "settings poll-creators", who="everyone")
    simcord.assert_responded(r, contains="everyone may create polls", ephemeral=True)
    r = await m.slash(g, "settings timezone", zone="asia/seoul")
    simcord.assert_responded(r, contains="Asia/Seoul", ephemeral=True)
    r = await m.slash(g, "settings grace", minutes=90)
    simcord.assert_responded(r, contains="90 minutes", ephemeral=True)

    await env.restart_bot(bot_factory())
    stored = await env.bot.store.guilds.get(world.guild.id)
    assert (stored.announce_channel_id, stored.manager_role_id) == (world.announcements.id, world.watchers.id)
    assert (stored.poll_creators, stored.timezone, stored.grace_minutes) == ("everyone", "Asia/Seoul", 90)
    assert str(stored.zone) == "Asia/Seoul"
    shown = await world.fan.slash(g, "settings show")
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert fields["Announcement channel"] == world.announcements.mention
    assert fields["Time zone"].startswith("Asia/Seoul")


async def test_the_manager_role_makes_managers_but_cannot_hand_itself_on(world):
    env, fan, g = world.env, world.fan, world.general
    await world.manager.slash(g, "settings manager-role", role=world.watchers)
    denied = await fan.slash(g, "settings grace", minutes=5)
    simcord.assert_responded(denied, contains="Only server managers", ephemeral=True)
    simcord.assert_error(env, Refused)

    watcher = world.guild.add_member(env.create_user("yuna"), roles=[world.watchers])
    ok = await watcher.slash(g, "settings grace", minutes=5)
    simcord.assert_responded(ok, contains="5 minutes", ephemeral=True)
    refused = await watcher.slash(g, "settings manager-role", role=world.mods)
    simcord.assert_responded(refused, contains="Manage Server permission", ephemeral=True)
    simcord.assert_error(env, contains="Manage Server permission")
    assert (await env.bot.store.guilds.get(world.guild.id)).manager_role_id == world.watchers.id


async def test_bad_values_are_refused_with_a_reason(world):
    env, m, g = world.env, world.manager, world.general
    r = await m.slash(g, "settings timezone", zone="Asia/Seol")
    simcord.assert_responded(r, contains="Did you mean Asia/Seoul", ephemeral=True)
    r = await m.slash(g, "settings timezone", zone="../../etc/passwd")
    simcord.assert_responded(r, contains="not a time zone", ephemeral=True)
    r = await m.slash(g, "settings manager-role", role=world.guild.default_role)
    simcord.assert_responded(r, contains="@everyone can't be the manager role", ephemeral=True)
    assert len(env.errors) == 3
    assert (await env.bot.store.guilds.get(world.guild.id)).timezone == "UTC"


async def test_timezone_autocomplete_offers_iana_names(world):
    choices = await world.manager.autocomplete(world.general, "settings timezone", "zone", "seoul")
    assert [c["value"] for c in choices] == ["Asia/Seoul"]
    choices = await world.manager.autocomplete(world.general, "settings timezone", "zone", "")
    assert len(choices) == 25


async def test_clearing_the_announcement_channel(world):
    await world.manager.slash(world.general, "settings announcements", channel=world.announcements)
    r = await world.manager.slash(world.general, "settings announcements")
    simcord.assert_responded(r, contains="no default announcement channel", ephemeral=True)
    assert (await world.env.bot.store.guilds.get(world.guild.id)).announce_channel_id is None


async def test_schedule_follow_uses_the_default_announcement_channel(world):
    env, m, g = world.env, world.manager, world.general
    drama = (await env.bot.store.catalog.find_dramas("", limit=1))[0]
    r = await m.slash(g, "schedule follow", drama=drama["slug"])
    simcord.assert_responded(r, contains="/settings announcements", ephemeral=True)
    _ = env.errors  # that refusal was expected
    await m.slash(g, "settings announcements", channel=world.announcements)
    cursor = env.error_cursor
    await m.slash(g, "schedule follow", drama=drama["slug"])
    assert env.errors_since(cursor) == ()
    (follow,) = await env.bot.store.schedule.following(world.guild.id)
    assert follow["channel_id"] == world.announcements.id
