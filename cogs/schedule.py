"""Airing schedules: /schedule (upcoming, calendar, follow, unfollow, following, edit ...) and the announcer.

The cog only translates: schedule rules live in ``bot.schedule``, rows in ``store.schedule``. The
announcer is a ``tasks.loop`` that asks the store for due deliveries (an indexed outbox), claims them
in a committed transaction, then sends, paced under Discord's global rate limit. See
``bot.schedule.delivery`` for the state machine and docs/schedule.md for the exactly-once policy.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sqlite3
from datetime import timedelta

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import checks
from bot.client import DramaBot
from bot.errors import BadInput, NotFound
from bot.schedule import delivery as policy
from bot.schedule import slots
from bot.schedule.ics import CalendarItem, build_ics
from bot.schedule.times import (
    DEFAULT_TZ,
    duration_text,
    from_epoch,
    local_text,
    parse_date,
    parse_days,
    parse_local_datetime,
    parse_time,
    to_epoch,
    to_utc,
    zone,
)
from bot.store.schedule import availability_of
from bot.ui import NO_PINGS, reply
from cogs._drama_option import drama_autocomplete, resolve_drama

log = logging.getLogger(__name__)

TICK_SECONDS = 30  # first interval; afterwards the loop sleeps until the next due delivery
BATCH = 25
SENDS_PER_SECOND = 40   # global pacing, below Discord's 50 requests/s per bot
BURST = 10
MAX_SLEEP_SECONDS = 600  # look at the database at least this often even when nothing is due
HISTORY_LOOKBACK = 50   # messages read back when checking whether a claimed send reached Discord
REFUSED_CODES = {50013: "missing permissions", 50001: "missing access", 10003: "unknown channel"}
TRANSIENT = (asyncio.TimeoutError, aiohttp.ClientError, OSError)


def _now() -> int:
    return int(discord.utils.utcnow().timestamp())


def _esc(text: str) -> str:
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text or ""))


class Pacer:
    """A token bucket on the (virtual) clock: at most ``rate`` sends a second after a short burst."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.stamp = discord.utils.utcnow().timestamp()

    async def wait(self) -> None:
        now = discord.utils.utcnow().timestamp()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            await asyncio.sleep((1 - self.tokens) / self.rate)
            self.tokens = 1.0
            self.stamp = discord.utils.utcnow().timestamp()
        self.tokens -= 1


class Schedule(commands.GroupCog, group_name="schedule", group_description="Episode schedules and announcements."):
    """Airing schedules, followed dramas and episode announcements."""

    feature = "Schedules"
    help_note = ("Times show in your own time zone. Managers: /schedule follow posts each episode at air time; "
                 "members: /remind add sends you a DM before episodes.")

    edit = app_commands.Group(name="edit", description="Edit a drama's airing schedule (bot owners).",
                              extras={"who": "owner"})

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.pacer = Pacer(SENDS_PER_SECOND, BURST)
        self._aired_cursor: int | None = None
        self.ticks = 0

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
        try:
            await self.tick()
        except Exception:  # noqa: BLE001 - nothing may stop the loop; the next tick tries again
            log.exception("announcer tick failed")

    @announcer.before_loop
    async def _before(self) -> None:
        await self.bot.wait_until_ready()
        recovered = await self.bot.store.schedule.recover_claimed()
        if recovered:
            log.warning("%d delivery claim(s) left by the previous run: checking before resending", recovered)

    async def tick(self) -> None:
        """One pass: mark aired episodes, sync scheduled events, send everything due; then plan the next.

        The loop sleeps until the earliest pending delivery (at most MAX_SLEEP_SECONDS, so writes made by
        another process, e.g. ``dramabot schedule import``, are noticed). Writes made here (follow,
        reminders, schedule edits) call :meth:`wake`, so nothing waits for the next planned tick.
        """
        store = self.bot.store.schedule
        started = _now()
        generation = store.generation
        self.ticks += 1
        await self.run_due(started)
        upcoming = await store.next_due_at()
        if store.generation != generation:
            delay = 1.0  # something changed while we worked: look again right away
        elif upcoming is None:
            delay = MAX_SLEEP_SECONDS
        else:
            delay = min(max(upcoming - started, 1), MAX_SLEEP_SECONDS)
        self.announcer.change_interval(seconds=delay)

    def wake(self) -> None:
        """Run the announcer now (after a write that may have made something due sooner)."""
        if self.announcer.is_running():
            self.announcer.change_interval(seconds=1)

    async def run_due(self, now: int) -> None:
        store = self.bot.store.schedule
        since = self._aired_cursor if self._aired_cursor is not None else now - 7 * 86400
        await store.mark_aired(since, now)
        self._aired_cursor = now
        await self.sync_events(now)
        while True:
            rows = await store.due(now, BATCH)
            if not rows:
                return
            await self.process(rows, now)
            if len(rows) < BATCH:
                return
            now = _now()

    async def process(self, rows: list[sqlite3.Row], now: int) -> None:
        store = self.bot.store.schedule
        skips: dict[str, list[int]] = {}
        send: dict[int, tuple[sqlite3.Row, policy.Decision]] = {}
        for row in rows:
            if row["kind"] != "dm" and row["follow_id"] is None:
                skips.setdefault("no longer followed", []).append(row["id"])
                continue
            if row["kind"] != "dm" and row["left_at"]:
                skips.setdefault("the bot left that server", []).append(row["id"])
                continue
            decision = policy.decide(row["kind"], row["air_at"], row["status"], now, row["grace_minutes"])
            if decision.send:
                send[row["id"]] = (row, decision)
            else:
                skips.setdefault(decision.reason, []).append(row["id"])
                if row["kind"] == "announce":
                    log.info("skipped announcing %s episode %s in server %s: %s",
                             row["slug"], row["number"], row["target_id"], decision.reason)
        for reason, ids in skips.items():
            await store.skip_many(ids, reason, now)
        if not send:
            return
        claimed = await store.claim(list(send), now)
        for delivery_id in sorted(claimed, key=lambda i: send[i][0]["due_at"]):
            row, decision = send[delivery_id]
            await self.pacer.wait()
            await self.deliver(row, decision)

    async def deliver(self, row: sqlite3.Row, decision: policy.Decision) -> None:
        """Send one claimed delivery and record the outcome; never raises."""
        store = self.bot.store.schedule
        kind = row["kind"]
        try:
            if row["attempts"] >= 1:  # an earlier attempt may have reached Discord: look before resending
                if await self._already_delivered(row):
                    return
            if kind == "announce":
                await self._announce(row, decision)
            elif kind == "remind":
                await self._remind(row)
            elif kind == "dm":
                await self._dm(row)
            else:
                await self._create_event(row)
        except discord.HTTPException as exc:
            await self._failed(row, exc)
        except TRANSIENT as exc:
            await self._transient(row, f"{type(exc).__name__}")
        except Exception:  # noqa: BLE001 - a bug in one delivery must not stop the others
            log.exception("delivery %s failed unexpectedly", row["id"])
            await store.finish(row["id"], "failed", "unexpected error (see log)", _now())

    async def _failed(self, row: sqlite3.Row, exc: discord.HTTPException) -> None:
        store = self.bot.store.schedule
        if exc.status >= 500 or exc.status == 429:
            await self._transient(row, f"HTTP {exc.status}")
            return
        if row["kind"] == "dm":
            reason = "the member's DMs are closed" if exc.code == 50007 else f"HTTP {exc.status} ({exc.code})"
            await store.finish(row["id"], "failed", reason, _now())
            return
        if exc.code in REFUSED_CODES or exc.status in (403, 404):
            reason = REFUSED_CODES.get(exc.code, f"HTTP {exc.status}")
            await self.pause(row, reason, exc.code)
            return
        log.warning("delivery %s refused: %s", row["id"], exc)
        await store.finish(row["id"], "failed", f"HTTP {exc.status} ({exc.code})", _now())

    async def _transient(self, row: sqlite3.Row, what: str) -> None:
        store = self.bot.store.schedule
        attempts = row["attempts"] + 1  # this attempt counted by the claim
        if attempts >= policy.MAX_ATTEMPTS:
            log.warning("delivery %s failed after %d attempts (%s)", row["id"], attempts, what)
            await store.finish(row["id"], "failed", f"{what}, gave up after {attempts} attempts", _now())
        else:
            await store.retry_later(row["id"], _now() + policy.retry_delay(attempts), f"{what}, retrying")

    async def pause(self, row: sqlite3.Row, reason: str, code: int) -> None:
        """Pause the follow Discord refused and tell the server's managers, once, how to fix it."""
        now = _now()
        newly = await self.bot.store.schedule.pause_follow(row["follow_id"], reason, now)
        log.warning("follow %s paused in server %s: %s", row["follow_id"], row["target_id"], reason)
        if not newly:
            return
        guild = self.bot.get_guild(row["target_id"])
        if guild is None:  # not in that server any more: nobody there to tell
            return
        channel = guild.get_channel(row["channel_id"])
        mention = channel.mention if channel else f"<#{row['channel_id']}>"
        text = policy.pause_notice(_esc(row["title"]), mention, code, events=row["kind"] == "event")
        system = guild.system_channel
        if system is not None and system.id != row["channel_id"] and system.permissions_for(guild.me).send_messages:
            try:
                await system.send(text, allowed_mentions=NO_PINGS)
                return
            except discord.HTTPException as exc:
                log.info("could not tell server %s in its system channel: %s", row["target_id"], exc)
        if row["created_by"]:
            try:
                user = self.bot.get_user(row["created_by"]) or await self.bot.fetch_user(row["created_by"])
                guild_name = _esc(guild.name)
                await user.send(f"About **{guild_name}**: {text}", allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                log.info("could not DM the manager of server %s: %s", row["target_id"], exc)

    # ------------------------------------------------------------------ sending
    async def _announce(self, row: sqlite3.Row, decision: policy.Decision) -> None:
        channel = self.bot.get_partial_messageable(row["channel_id"], guild_id=row["target_id"])
        text = policy.announcement_text(
            _esc(row["title"]), row["number"], finale=bool(row["finale"]), special=bool(row["special"]),
            late_seconds=decision.late_seconds, delayed=row["original_air_at"] is not None,
            availability=slots.availability_text(availability_of(row["availability"])))
        allowed = NO_PINGS
        if row["role_id"]:
            text = f"<@&{row['role_id']}> {text}"
            allowed = discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                              roles=[discord.Object(row["role_id"])])
        message = await channel.send(f"{text}\n-# {policy.marker(row['id'])}", allowed_mentions=allowed,
                                     nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], _now(), channel_id=channel.id, message_id=message.id)
        if row["threads"]:
            await self._open_thread(row, message)

    async def _open_thread(self, row: sqlite3.Row, message: discord.Message) -> None:
        try:
            thread = await message.create_thread(name=policy.thread_name(row["title"], row["number"]),
                                                 auto_archive_duration=1440)
            await thread.send(policy.spoiler_note(_esc(row["title"]), row["number"]), allowed_mentions=NO_PINGS)
            previous = await self.bot.store.schedule.previous_thread(row["follow_id"], row["id"])
            await self.bot.store.schedule.set_thread(row["id"], thread.id)
        except discord.HTTPException as exc:  # the announcement is out; a missing thread is logged, not retried
            log.warning("could not open the discussion thread for delivery %s: %s", row["id"], exc)
            return
        if previous:
            await self._archive_thread(previous)

    async def _archive_thread(self, thread_id: int) -> None:
        """Tidy up: the previous episode's thread is archived (a new message there reopens it)."""
        try:
            thread = self.bot.get_channel(thread_id) or await self.bot.fetch_channel(thread_id)
            if isinstance(thread, discord.Thread) and not thread.archived:
                await thread.edit(archived=True)
        except discord.HTTPException as exc:
            log.info("could not archive thread %s: %s", thread_id, exc)

    async def _remind(self, row: sqlite3.Row) -> None:
        channel = self.bot.get_partial_messageable(row["channel_id"], guild_id=row["target_id"])
        text = policy.reminder_text(_esc(row["title"]), row["number"], finale=bool(row["finale"]),
                                    special=bool(row["special"]), air_at=row["air_at"], now=_now())
        message = await channel.send(f"{text}\n-# {policy.marker(row['id'])}", allowed_mentions=NO_PINGS,
                                     nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], _now(), channel_id=channel.id, message_id=message.id)

    async def _dm(self, row: sqlite3.Row) -> None:
        user = self.bot.get_user(row["target_id"]) or await self.bot.fetch_user(row["target_id"])
        text = policy.reminder_text(_esc(row["title"]), row["number"], finale=bool(row["finale"]),
                                    special=bool(row["special"]), air_at=row["air_at"], now=_now())
        footer = f"-# {policy.marker(row['id'])} · stop these with /remind remove"
        message = await user.send(f"{text}\n{footer}", allowed_mentions=NO_PINGS, nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], _now(), channel_id=message.channel.id,
                                                message_id=message.id)

    async def _create_event(self, row: sqlite3.Row) -> None:
        guild = self.bot.get_guild(row["target_id"])
        if guild is None:
            await self.bot.store.schedule.finish(row["id"], "skipped", "the bot is not in that server", _now())
            return
        start = from_epoch(row["air_at"])
        channel = guild.get_channel(row["channel_id"])
        label = policy.episode_label(row["number"], bool(row["finale"]), bool(row["special"]))
        event = await guild.create_scheduled_event(
            name=f"{row['title'][:70]} — {label}"[:100],
            start_time=start, end_time=start + timedelta(seconds=policy.EVENT_LENGTH_SECONDS),
            entity_type=discord.EntityType.external, privacy_level=discord.PrivacyLevel.guild_only,
            location=(f"#{channel.name}" if channel else "Discord")[:100],
            description=f"Watch along and chat in the episode thread.\n{policy.marker(row['id'])}",
        )
        await self.bot.store.schedule.record_event(guild.id, row["episode_id"], event.id, row["air_at"])
        await self.bot.store.schedule.mark_sent(row["id"], _now(), channel_id=None, message_id=event.id)

    async def _already_delivered(self, row: sqlite3.Row) -> bool:
        """Find the delivery's marker on Discord (an earlier attempt may have landed); record it if found."""
        mark = re.compile(rf"\b{re.escape(policy.marker(row['id']))}\b")
        found: discord.Message | discord.ScheduledEvent | None = None
        after = from_epoch((row["claimed_at"] or row["due_at"]) - 120)
        try:
            if row["kind"] == "event":
                guild = self.bot.get_guild(row["target_id"])
                for event in await guild.fetch_scheduled_events() if guild else []:
                    if mark.search(event.description or ""):
                        found = event
                        await self.bot.store.schedule.record_event(guild.id, row["episode_id"], event.id, row["air_at"])
                        break
            else:
                if row["kind"] == "dm":
                    user = self.bot.get_user(row["target_id"]) or await self.bot.fetch_user(row["target_id"])
                    channel = user.dm_channel or await user.create_dm()
                else:
                    channel = self.bot.get_partial_messageable(row["channel_id"], guild_id=row["target_id"])
                async for message in channel.history(limit=HISTORY_LOOKBACK, after=after):
                    if message.author.id == self.bot.user.id and mark.search(message.content or ""):
                        found = message
                        break
        except discord.Forbidden:
            # Can't read back: resend (the nonce still lets Discord drop a fresh duplicate). Documented.
            log.warning("cannot read back delivery %s before resending; sending again", row["id"])
            return False
        if found is None:
            return False
        channel_id = getattr(getattr(found, "channel", None), "id", None)
        await self.bot.store.schedule.mark_sent(row["id"], _now(), channel_id=channel_id, message_id=found.id,
                                                note="found on Discord after a retry/restart")
        log.info("delivery %s had already reached Discord; not resending", row["id"])
        if row["kind"] == "announce" and row["threads"] and isinstance(found, discord.Message) and not row["thread_id"]:
            if found.thread is None:
                await self._open_thread(row, found)
        return True

    # ------------------------------------------------------------------ scheduled events in step
    async def sync_events(self, now: int) -> None:
        store = self.bot.store.schedule
        for row in await store.dirty_events():
            guild = self.bot.get_guild(row["guild_id"])
            try:
                keep = row["want"] and row["status"] != "cancelled"
                if guild is None:
                    await store.event_dropped(row["guild_id"], row["episode_id"])
                elif keep:
                    if row["start_at"] != row["air_at"] and row["air_at"] > now:
                        event = guild.get_scheduled_event(row["event_id"]) or \
                            await guild.fetch_scheduled_event(row["event_id"])
                        start = from_epoch(row["air_at"])
                        await event.edit(start_time=start,
                                         end_time=start + timedelta(seconds=policy.EVENT_LENGTH_SECONDS))
                    await store.event_synced(row["guild_id"], row["episode_id"], row["air_at"])
                else:
                    try:
                        event = guild.get_scheduled_event(row["event_id"]) or \
                            await guild.fetch_scheduled_event(row["event_id"])
                        await event.delete()
                    except discord.NotFound:
                        pass
                    await store.event_dropped(row["guild_id"], row["episode_id"])
            except discord.NotFound:
                await store.event_dropped(row["guild_id"], row["episode_id"])
            except discord.HTTPException as exc:
                log.warning("could not bring scheduled event %s in step: %s", row["event_id"], exc)
                if exc.status < 500:
                    await store.event_synced(row["guild_id"], row["episode_id"], row["start_at"])

    # ================================================================== member commands
    @app_commands.command(name="upcoming", description="The next episodes, in your own local time.",
                          extras={"who": "member"})
    @app_commands.describe(drama="Only this drama (default: the dramas this server follows)",
                           days="How many days ahead to look (1-90, default 7)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    async def upcoming(self, interaction: discord.Interaction, drama: str | None = None,
                       days: app_commands.Range[int, 1, 90] = 7) -> None:
        now = _now()
        store = self.bot.store.schedule
        tz = await self._guild_tz(interaction)
        if drama:
            row = await resolve_drama(self.bot, drama)
            rows = await store.upcoming(now - 60, now + days * 86400, drama_id=row["id"])
            scope = f"**{_esc(row['title'])}**"
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
            line = (f"• **{_esc(r['drama_title'])}** {label} — <t:{r['air_at']}:F> (<t:{r['air_at']}:R>)"
                    f" · {local_text(r['air_at'], tz)}")
            if r["status"] == "cancelled":
                line = f"• ~~**{_esc(r['drama_title'])}** {label} — <t:{r['air_at']}:F>~~ — ❌ cancelled"
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

    @app_commands.command(name="calendar", description="Download an .ics calendar of the dramas this server follows.",
                          extras={"who": "member"})
    @checks.guild_only()
    async def calendar(self, interaction: discord.Interaction) -> None:
        store = self.bot.store.schedule
        now = _now()
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
        now = _now()
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
        text = f"✅ {verb} **{_esc(row['title'])}** in {channel.mention}"
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
            raise NotFound(f"This server doesn't follow **{_esc(row['title'])}**; /schedule following lists what it does.")
        await self.sync_events(_now())
        await reply(interaction, f"Stopped announcing **{_esc(row['title'])}**; its scheduled events are removed.")

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
            line = f"• **{_esc(r['title'])}** — {', '.join(bits)}"
            if r["paused_at"]:
                line += (f"\n  ⏸️ **paused** <t:{r['paused_at']}:R> ({r['paused_reason']}). Fix my permissions, then "
                         f"resume with `/schedule follow drama: {r['slug']} channel: #…`")
            lines.append(line)
        await reply(interaction, "\n".join(lines))

    # ================================================================== owner commands
    async def _drama_and_episodes(self, drama: str) -> tuple[sqlite3.Row, list[slots.Episode]]:
        row = await resolve_drama(self.bot, drama)
        episodes = await self.bot.store.schedule.episodes(row["id"])
        return row, episodes

    async def _save(self, interaction: discord.Interaction, row: sqlite3.Row, episodes: list[slots.Episode],
                    summary: str) -> None:
        await self.bot.store.schedule.replace_episodes(row["id"], episodes, _now())
        await self.sync_events(_now())
        await reply(interaction, f"**{_esc(row['title'])}**: {summary}")

    @edit.command(name="generate", description="Create a drama's episodes from its broadcast slot.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", days="Air days, e.g. Mon/Tue (default: from the catalog)",
                           time="Local air time HH:MM, e.g. 20:50 (default: from the catalog)",
                           first_date="Date of episode 1, YYYY-MM-DD (default: the catalog's first air date)",
                           episodes="How many episodes (default: from the catalog)",
                           tz="Time zone of the slot (default: the catalog's, else Asia/Seoul)",
                           platforms="Streaming availability, e.g. 'Viki 60, Netflix 0' (minutes after broadcast)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_generate(self, interaction: discord.Interaction, drama: str, days: str | None = None,
                            time: str | None = None, first_date: str | None = None,
                            episodes: app_commands.Range[int, 1, 500] | None = None, tz: str | None = None,
                            platforms: str | None = None) -> None:
        row = await resolve_drama(self.bot, drama)
        import json

        catalog_days = " ".join(json.loads(row["air_days"] or "[]"))
        days = days or catalog_days
        time = time or row["air_time"]
        first_date = first_date or row["first_aired"]
        count = episodes or row["episodes"]
        missing = [n for n, v in (("days", days), ("time", time), ("first_date", first_date), ("episodes", count))
                   if not v]
        if missing:
            raise BadInput(f"The catalog has no {', '.join(missing)} for this drama; give {'/'.join(missing)}.")
        zone_info = zone(tz or row["air_tz"] or DEFAULT_TZ)
        generated = slots.generate(parse_days(days), parse_time(time), parse_date(first_date), count, zone_info,
                                   slots.parse_availability(platforms))
        await self._save(interaction, row, generated,
                         f"{len(generated)} episodes, <t:{generated[0].air_at}:F> to <t:{generated[-1].air_at}:F> (finale).")

    @edit.command(name="delay", description="Move one episode to a new time.", extras={"who": "owner"})
    @app_commands.describe(drama="The drama", episode="Episode number", new_time="New local time, YYYY-MM-DD HH:MM",
                           tz="Time zone of new_time (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_delay(self, interaction: discord.Interaction, drama: str, episode: app_commands.Range[int, 1, 500],
                         new_time: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        moment = to_utc(parse_local_datetime(new_time), zone(tz or DEFAULT_TZ))
        changed = slots.delay(eps, episode, to_epoch(moment), _now())
        await self._save(interaction, row, changed, f"episode {episode} now airs <t:{to_epoch(moment)}:F>.")

    @edit.command(name="skip", description="Pre-emption: nothing airs that week; later episodes move a week.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", week_of="Any date in the skipped week, YYYY-MM-DD",
                           tz="Time zone the week is counted in (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_skip(self, interaction: discord.Interaction, drama: str, week_of: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        day = parse_date(week_of)
        changed = slots.skip_week(eps, day, zone(tz or DEFAULT_TZ), _now())
        await self._save(interaction, row, changed, f"no episode in the week of {day.isoformat()}; later ones move a week.")

    @edit.command(name="double", description="Two episodes in one night: the next one follows directly.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", date="The night, YYYY-MM-DD", tz="Time zone of that date (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_double(self, interaction: discord.Interaction, drama: str, date: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        day = parse_date(date)
        changed = slots.double(eps, day, zone(tz or DEFAULT_TZ), _now())
        await self._save(interaction, row, changed, f"two episodes on {day.isoformat()}; later ones move up a slot.")

    @edit.command(name="cancel", description="Cancel one episode (it will not be announced).", extras={"who": "owner"})
    @app_commands.describe(drama="The drama", episode="Episode number")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_cancel(self, interaction: discord.Interaction, drama: str,
                          episode: app_commands.Range[int, 1, 500]) -> None:
        row, eps = await self._drama_and_episodes(drama)
        changed = slots.cancel(eps, episode, _now())
        await self._save(interaction, row, changed, f"episode {episode} is cancelled.")

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
