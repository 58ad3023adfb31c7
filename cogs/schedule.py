"""Airing schedules: /schedule (upcoming, calendar, follow, unfollow, following, edit ...) and the announcer.

The cog only translates: schedule rules live in ``bot.schedule``, rows in ``store.schedule``. What one
announcer pass does (due deliveries, sending, scheduled events) is ``cogs/_schedule_announcer.py``; the
owner ``/schedule edit`` commands are ``cogs/_schedule_edit.py``, mixed into this cog (one ``/schedule``
group). This file holds the loop and the member and manager commands.
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import checks
from bot.client import DramaBot
from bot.errors import BadInput, NotFound, StoreBusy
from bot.schedule import delivery as policy
from bot.schedule import slots
from bot.schedule.ics import CalendarItem, build_ics
from bot.schedule.times import duration_text, local_text, zone
from bot.sources.airing import span as airing_span
from bot.store.schedule import availability_of
from bot.ui import reply
from cogs._drama_option import drama_autocomplete, resolve_drama
from cogs._schedule_announcer import TICK_SECONDS, Announcer, esc, now_epoch
from cogs._schedule_edit import ScheduleEditCommands

log = logging.getLogger(__name__)


class Schedule(ScheduleEditCommands, commands.GroupCog, group_name="schedule",
               group_description="Episode schedules and announcements."):
    """Airing schedules, followed dramas and episode announcements."""

    feature = "Schedules"
    help_note = ("Times show in your own time zone. Managers: /schedule follow posts each episode at air time; "
                 "members: /remind add sends you a DM before episodes.")

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.delivery = Announcer(bot)

    async def cog_load(self) -> None:
        self.bot.store.schedule.listeners.append(self.wake)
        self.announcer.start()

    async def cog_unload(self) -> None:
        if self.wake in self.bot.store.schedule.listeners:
            self.bot.store.schedule.listeners.remove(self.wake)
        self.announcer.cancel()

    # ================================================================== the announcer
    @tasks.loop(seconds=TICK_SECONDS)
    async def announcer(self) -> None:
        """One pass, then sleep until the next due delivery (see :meth:`Announcer.tick`)."""
        try:
            delay = await self.delivery.tick()
            self.delivery.pass_succeeded(now_epoch())
        except StoreBusy:
            delay = self.delivery.pass_failed(now_epoch())
            log.warning("announcer pass failed: the database is locked by another process; retrying in %.0f s",
                        delay)
        except Exception:  # noqa: BLE001 - nothing may stop the loop; the next pass tries again soon
            delay = self.delivery.pass_failed(now_epoch())
            log.exception("announcer pass failed; retrying in %.0f s", delay)
        self.announcer.change_interval(seconds=delay)

    @announcer.before_loop
    async def _before(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.delivery.recover()
                return
            except StoreBusy:
                delay = self.delivery.pass_failed(now_epoch())
                log.warning("the database is locked by another process; the announcer starts in %.0f s", delay)
                await asyncio.sleep(delay)

    def wake(self) -> None:
        """Run the announcer now (after a write that may have made something due sooner)."""
        if self.announcer.is_running():
            self.announcer.change_interval(seconds=1)

    # ================================================================== member commands
    @app_commands.command(name="upcoming", description="The next episodes, in your own local time.",
                          extras={"who": "member"})
    @app_commands.describe(drama="Only this drama (default: the dramas this server follows)",
                           days="How many days ahead to look (1-90, default 7)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    async def upcoming(self, interaction: discord.Interaction, drama: str | None = None,
                       days: app_commands.Range[int, 1, 90] = 7) -> None:
        now = now_epoch()
        store = self.bot.store.schedule
        tz = await self._guild_tz(interaction)
        if drama:
            row = await resolve_drama(self.bot, drama)
            rows = await store.upcoming(now - 60, now + days * 86400, drama_id=row["id"])
            scope = f"**{esc(row['title'])}**"
        else:
            rows = []
            if interaction.guild is not None and await store.followed_drama_ids(interaction.guild.id):
                rows = await store.upcoming(now - 60, now + days * 86400, guild_id=interaction.guild.id)
                scope = "the dramas this server follows"
            else:
                rows = await store.upcoming(now - 60, now + days * 86400)
                scope = "all dramas"
        if not rows:
            await reply(interaction, f"No episodes of {scope} in the next {days} day{'s' if days != 1 else ''}.")
            return
        lines = [f"Upcoming episodes of {scope} (next {days} days; local times for {tz.key}):"]
        for r in rows:
            label = policy.episode_label(r["number"], bool(r["finale"]), bool(r["special"]))
            line = (f"• **{esc(r['drama_title'])}** {label} — <t:{r['air_at']}:F> (<t:{r['air_at']}:R>)"
                    f" · {local_text(r['air_at'], tz)}")
            if r["status"] == "cancelled":
                line = f"• ~~**{esc(r['drama_title'])}** {label} — <t:{r['air_at']}:F>~~ — ❌ cancelled"
            elif r["original_air_at"] is not None:
                line += f" · ⚠️ delayed (was <t:{r['original_air_at']}:f>)"
            if r["finale"] and r["status"] != "cancelled":
                line += " · 🎬 finale"
            if drama and r["status"] != "cancelled":
                also = slots.availability_text(availability_of(r["availability"]))
                line += f" · also {also}" if also else ""
            lines.append(line)
        text = "\n".join(lines)
        if len(text) > 1900:
            text = text[:1900].rsplit("\n", 1)[0] + "\n…"
        await reply(interaction, text)

    @app_commands.command(name="airing", description="The Korean dramas airing today (or another day, or this week).",
                          extras={"who": "member"})
    @app_commands.describe(day="today (default), tomorrow, week, a weekday like friday, or a date YYYY-MM-DD")
    async def airing(self, interaction: discord.Interaction, day: str | None = None) -> None:
        tz = await self._guild_tz(interaction)
        today = discord.utils.utcnow().astimezone(tz).date()
        span = airing_span(day, today)
        since, until = span.bounds(tz)
        rows = await self.bot.store.sources.airing(since, until, span.first.isoformat(), span.last.isoformat())
        if not rows:
            await reply(interaction, f"No Korean drama episodes I know of air {span.label} ({tz.key}).")
            return
        lines = [f"Korean dramas airing {span.label} (times in your own zone; days in {tz.key}):"]
        for r in rows:
            label = policy.episode_label(r["number"], bool(r["finale"]), bool(r["special"]))
            net = f" ({esc(r['network'])})" if r["network"] else ""
            if r["air_at"] is None:
                line = f"• **{esc(r['title'])}**{net} {label} — {r['airdate']}, time not announced yet"
            elif r["status"] == "cancelled":
                line = f"• ~~**{esc(r['title'])}**{net} {label}~~ — ❌ cancelled"
            else:
                style = "t" if span.first == span.last else "f"  # one day: the time; a week: day and time
                line = f"• **{esc(r['title'])}**{net} {label} — <t:{r['air_at']}:{style}> (<t:{r['air_at']}:R>)"
                if r["status"] == "delayed":
                    line += " · ⚠️ delayed"
            lines.append(line)
        lines.append(f"Follow one with /schedule follow (slug, e.g. `{rows[0]['slug']}`).")
        text = "\n".join(lines)
        if len(text) > 1900:
            text = text[:1900].rsplit("\n", 1)[0] + "\n…"
        await reply(interaction, text)

    @app_commands.command(name="calendar", description="Download an .ics calendar of the dramas this server follows.",
                          extras={"who": "member"})
    @checks.guild_only()
    async def calendar(self, interaction: discord.Interaction) -> None:
        store = self.bot.store.schedule
        now = now_epoch()
        drama_ids = await store.followed_drama_ids(interaction.guild.id)
        if not drama_ids:
            raise NotFound("This server doesn't follow any drama yet; a manager can start with /schedule follow.")
        rows = await store.upcoming(now - 30 * 86400, now + 366 * 86400, guild_id=interaction.guild.id, limit=2000)
        items = [CalendarItem(r["id"], r["drama_title"], r["number"], r["air_at"], r["status"], bool(r["finale"]),
                              bool(r["special"]), r["network"], slots.availability_text(availability_of(r["availability"])))
                 for r in rows]
        data = build_ics(items, name=f"{interaction.guild.name} — dramas", stamp=now)
        file = discord.File(io.BytesIO(data), filename="dramabot-schedule.ics")
        await reply(interaction, f"{len(items)} episodes; open the file with your calendar app.", file=file)

    # ================================================================== manager commands
    @app_commands.command(name="follow", description="Announce every episode of a drama in a channel.",
                          extras={"who": "manager"})
    @app_commands.describe(drama="The drama to follow",
                           channel="Where to post the announcements (default: the channel set in /settings announcements)",
                           role="A role to ping at each episode (only this role is pinged)",
                           remind_minutes="Also post a reminder this many minutes before (1-1440)",
                           thread="Open a spoiler discussion thread for each episode",
                           event="Create a Discord scheduled event for each upcoming episode")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.manager_only()
    async def follow(self, interaction: discord.Interaction, drama: str, channel: discord.TextChannel | None = None,
                     role: discord.Role | None = None, remind_minutes: app_commands.Range[int, 1, 1440] | None = None,
                     thread: bool = False, event: bool = False) -> None:
        guild = interaction.guild
        if channel is None:  # the server's default announcement channel (/settings announcements)
            default = guild.get_channel((await self.bot.store.guilds.get(guild.id)).announce_channel_id or 0)
            if not isinstance(default, discord.TextChannel):
                raise BadInput("Pick a channel for the announcements, or have a manager set a default one with "
                               "/settings announcements.")
            channel = default
        row = await resolve_drama(self.bot, drama)
        me = guild.me
        perms = channel.permissions_for(me)
        needed = {"View Channel": perms.view_channel, "Send Messages": perms.send_messages}
        if thread:
            needed["Create Public Threads"] = perms.create_public_threads
            needed["Send Messages in Threads"] = perms.send_messages_in_threads
        missing = [name for name, ok in needed.items() if not ok]
        if event and not me.guild_permissions.manage_events:
            missing.append("Manage Events (server-wide, for scheduled events)")
        if missing:
            raise BadInput(f"I can't announce in {channel.mention}: I'm missing {', '.join(missing)}. "
                           "Give me those permissions (or pick another channel) and try again.")
        if role is not None:
            if role.is_default():
                raise BadInput("I won't ping @everyone; pick a role for fans of this drama.")
            if not role.mentionable and not perms.mention_everyone:
                raise BadInput(f"I can't ping {role.mention}: make the role mentionable (Server Settings → Roles) "
                               "or give me Mention @everyone, @here, and All Roles.")
        now = now_epoch()
        new = await self.bot.store.schedule.follow(
            guild.id, row["id"], channel_id=channel.id, role_id=role.id if role else None,
            remind_minutes=remind_minutes, threads=thread, events=event, created_by=interaction.user.id, now=now)
        upcoming = await self.bot.store.schedule.upcoming(now, now + 400 * 86400, drama_id=row["id"], limit=1)
        extras = []
        if role:
            extras.append(f"pinging {role.mention}")
        if remind_minutes:
            extras.append(f"a reminder {duration_text(remind_minutes * 60)} before")
        if thread:
            extras.append("a spoiler thread per episode")
        if event:
            extras.append("scheduled events")
        verb = "Now following" if new else "Updated (and resumed)"
        text = f"✅ {verb} **{esc(row['title'])}** in {channel.mention}"
        text += f" with {', '.join(extras)}." if extras else "."
        if upcoming:
            text += f" Next episode: <t:{upcoming[0]['air_at']}:F> (<t:{upcoming[0]['air_at']}:R>)."
        else:
            text += " No upcoming episodes are scheduled yet; I'll announce them once they are."
        await reply(interaction, text)

    @app_commands.command(name="unfollow", description="Stop announcing a drama in this server.",
                          extras={"who": "manager"})
    @app_commands.describe(drama="The drama to stop announcing")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.manager_only()
    async def unfollow(self, interaction: discord.Interaction, drama: str) -> None:
        row = await resolve_drama(self.bot, drama)
        if not await self.bot.store.schedule.unfollow(interaction.guild.id, row["id"]):
            raise NotFound(f"This server doesn't follow **{esc(row['title'])}**; /schedule following lists what it does.")
        await self.delivery.sync_events(now_epoch())
        await reply(interaction, f"Stopped announcing **{esc(row['title'])}**; its scheduled events are removed.")

    @app_commands.command(name="following", description="The dramas this server announces, and any paused ones.",
                          extras={"who": "member"})
    @checks.guild_only()
    async def following(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.schedule.following(interaction.guild.id)
        if not rows:
            await reply(interaction, "This server doesn't follow any drama yet; managers can use /schedule follow.")
            return
        lines = ["Dramas this server follows:"]
        for r in rows:
            bits = [f"in <#{r['channel_id']}>"]
            if r["role_id"]:
                bits.append(f"pings <@&{r['role_id']}>")
            if r["remind_minutes"]:
                bits.append(f"reminder {r['remind_minutes']} min before")
            if r["threads"]:
                bits.append("threads")
            if r["events"]:
                bits.append("events")
            line = f"• **{esc(r['title'])}** — {', '.join(bits)}"
            if r["paused_at"]:
                line += (f"\n  ⏸️ **paused** <t:{r['paused_at']}:R> ({r['paused_reason']}). Fix my permissions, then "
                         f"resume with `/schedule follow drama: {r['slug']} channel: #…`")
            lines.append(line)
        await reply(interaction, "\n".join(lines))

    # ------------------------------------------------------------------ helpers
    async def _guild_tz(self, interaction: discord.Interaction):
        name = "UTC"
        if interaction.guild is not None:
            name = (await self.bot.store.guilds.get(interaction.guild.id)).timezone or "UTC"
        try:
            return zone(name)
        except BadInput:
            return zone("UTC")


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Schedule(bot))
