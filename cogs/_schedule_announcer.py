"""The announcer's work for the schedule cog: send what is due, exactly once, paced, and keep events in step.

Each pass asks the store for due deliveries (an indexed outbox), claims them in a committed
transaction, then sends, paced under Discord's global rate limit. See ``bot.schedule.delivery`` for the
state machine and docs/schedule.md for the exactly-once policy. The loop itself (``tasks.loop``) lives
in ``cogs/schedule.py``; this helper is what one pass does.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from datetime import datetime, timedelta

import aiohttp
import discord

from bot.client import DramaBot
from bot.errors import StoreBusy
from bot.schedule import delivery as policy
from bot.schedule import slots
from bot.schedule.times import from_epoch
from bot.store.schedule import availability_of
from bot.ui import NO_PINGS, escape

# Logged under the schedule feature's name (operators filter on it, and so do the tests).
log = logging.getLogger("cogs.schedule")

TICK_SECONDS = 30  # first interval; afterwards the loop sleeps until the next due delivery
BATCH = 25
SENDS_PER_SECOND = 40   # global pacing, below Discord's 50 requests/s per bot
BURST = 10
MAX_SLEEP_SECONDS = 600  # look at the database at least this often even when nothing is due
# Checking whether an earlier attempt reached Discord: read the channel forward from the first claim
# (minus clock slack) to now, however busy it was, up to this many messages (100 per request).
HISTORY_LOOKBACK_MAX = 5000
CLOCK_SLACK_SECONDS = 120  # our clock and Discord's may disagree by this much
REFUSED_CODES = {50013: "missing permissions", 50001: "missing access", 10003: "unknown channel"}
TRANSIENT = (asyncio.TimeoutError, aiohttp.ClientError, OSError)


def now_epoch() -> int:
    return int(discord.utils.utcnow().timestamp())


esc = escape  # member or catalog text shown back in a message (cogs/schedule.py imports it from here)


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


class Announcer:
    """Delivers what the schedule store says is due: announcements, reminders, DMs and scheduled events."""

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.pacer = Pacer(SENDS_PER_SECOND, BURST)
        self._aired_cursor: int | None = None
        self.ticks = 0
        self.failures = 0  # failed passes in a row
        self._failing_since: int | None = None
        self._stalls: list[tuple[int, int]] = []  # (start, end) of stretches of failed passes while up
        self._in_flight: set[int] = set()  # claimed by this process, outcome not recorded yet
        self._pass_started: int | None = None

    async def recover(self) -> None:
        """At start: claims a previous run left behind are checked on Discord before anything is resent."""
        # On a shared database other processes may be mid-send: take over only claims whose hold ran out.
        recovered = await self.bot.store.schedule.recover_claimed(
            expired_at=now_epoch() if self.bot.store.postgres else None, mine=self.bot.settings.process_name)
        if recovered:
            log.warning("%d delivery claim(s) left by the previous run: checking before resending", recovered)

    async def tick(self) -> float:
        """One pass: mark aired episodes, sync scheduled events, send everything due; then plan the next.

        The loop sleeps until the earliest pending delivery (at most MAX_SLEEP_SECONDS, so writes made by
        another process, e.g. ``dramabot schedule import``, are noticed). Writes made here (follow,
        reminders, schedule edits) wake the cog's loop, so nothing waits for the next planned tick.
        Returns the seconds until the next pass.
        """
        store = self.bot.store.schedule
        started = self._pass_started = now_epoch()
        generation = store.generation
        self.ticks += 1
        if self._in_flight:  # a failed pass left claims unrecorded: look on Discord before resending them
            await store.release_claims(sorted(self._in_flight))
            self._in_flight.clear()
        await self.run_due(started)
        upcoming = await store.next_due_at(shards=self.bot.shard_slice())
        if store.generation != generation:
            delay = 1.0  # something changed while we worked: look again right away
        elif upcoming is None:
            delay = MAX_SLEEP_SECONDS
        else:
            delay = min(max(upcoming - started, 1), MAX_SLEEP_SECONDS)
        return delay

    def pass_failed(self, now: int) -> float:
        """Record a failed pass; returns the seconds until the retry (backoff, never the old long sleep)."""
        self.failures += 1
        if self._failing_since is None:
            self._failing_since = min(now, self._pass_started or now)
        return policy.pass_retry_delay(self.failures)

    def pass_succeeded(self, now: int) -> None:
        self.failures = 0
        if self._failing_since is not None:
            self._stalls.append((self._failing_since, now))
            self._failing_since = None
        week_ago = now - 7 * 86400  # longer than any grace period
        self._stalls = [s for s in self._stalls if s[1] > week_ago]

    def _excused(self, air_at: int, now: int) -> int:
        stalls = self._stalls + ([(self._failing_since, now)] if self._failing_since is not None else [])
        return policy.stalled_seconds(stalls, air_at, now)

    async def run_due(self, now: int) -> None:
        store = self.bot.store.schedule
        since = self._aired_cursor if self._aired_cursor is not None else now - 7 * 86400
        if self.bot.store.postgres:  # a stopped process's claims: taken over once their hold ran out
            if await store.recover_claimed(expired_at=now):
                log.warning("took over delivery claims another process left behind; checking before resending")
        await store.mark_aired(since, now)
        self._aired_cursor = now
        await self.sync_events(now)
        while True:
            rows = await store.due(now, BATCH, shards=self.bot.shard_slice())
            if not rows:
                return
            await self.process(rows, now)
            if len(rows) < BATCH:
                return
            now = now_epoch()

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
            decision = policy.decide(row["kind"], row["air_at"], row["status"], now, row["grace_minutes"],
                                     excused=self._excused(row["air_at"], now))
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
        claimed = await store.claim(list(send), now, by=self.bot.settings.process_name)
        self._in_flight |= claimed
        for delivery_id in sorted(claimed, key=lambda i: send[i][0]["due_at"]):
            row, decision = send[delivery_id]
            await self.pacer.wait()
            await self.deliver(row, decision)
            self._in_flight.discard(delivery_id)

    async def deliver(self, row: sqlite3.Row, decision: policy.Decision) -> None:
        """Send one claimed delivery and record the outcome.

        Raises only when the database fails (locked, or worse): the pass fails, the claim stays in
        ``_in_flight`` and the next pass puts it back to pending, to be looked for on Discord first.
        """
        store = self.bot.store.schedule
        kind = row["kind"]
        try:
            if row["attempts"] >= 1:  # an earlier attempt may have reached Discord: look before resending
                if await self._already_delivered(row):
                    return
            if kind in ("remind", "dm"):
                skip = policy.reminder_skip(row["revision"], row["episode_revision"], row["reminded_for"],
                                            row["air_at"])
                if skip:
                    await store.finish(row["id"], "skipped", skip, now_epoch())
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
        except (sqlite3.Error, StoreBusy):
            raise
        except TRANSIENT as exc:
            await self._transient(row, f"{type(exc).__name__}")
        except Exception:  # noqa: BLE001 - a bug in one delivery must not stop the others
            log.exception("delivery %s failed unexpectedly", row["id"])
            await store.finish(row["id"], "failed", "unexpected error (see log)", now_epoch())

    async def _failed(self, row: sqlite3.Row, exc: discord.HTTPException) -> None:
        store = self.bot.store.schedule
        if exc.status >= 500 or exc.status == 429:
            await self._transient(row, f"HTTP {exc.status}")
            return
        if row["kind"] == "dm":
            reason = "the member's DMs are closed" if exc.code == 50007 else f"HTTP {exc.status} ({exc.code})"
            await store.finish(row["id"], "failed", reason, now_epoch())
            return
        if exc.code in REFUSED_CODES or exc.status in (403, 404):
            reason = REFUSED_CODES.get(exc.code, f"HTTP {exc.status}")
            await self.pause(row, reason, exc.code)
            return
        log.warning("delivery %s refused: %s", row["id"], exc)
        await store.finish(row["id"], "failed", f"HTTP {exc.status} ({exc.code})", now_epoch())

    async def _transient(self, row: sqlite3.Row, what: str) -> None:
        store = self.bot.store.schedule
        attempts = row["attempts"] + 1  # this attempt counted by the claim
        if attempts >= policy.MAX_ATTEMPTS:
            log.warning("delivery %s failed after %d attempts (%s)", row["id"], attempts, what)
            await store.finish(row["id"], "failed", f"{what}, gave up after {attempts} attempts", now_epoch())
        else:
            await store.retry_later(row["id"], now_epoch() + policy.retry_delay(attempts), f"{what}, retrying")

    async def pause(self, row: sqlite3.Row, reason: str, code: int) -> None:
        """Pause the follow Discord refused and tell the server's managers, once, how to fix it."""
        now = now_epoch()
        newly = await self.bot.store.schedule.pause_follow(row["follow_id"], reason, now)
        log.warning("follow %s paused in server %s: %s", row["follow_id"], row["target_id"], reason)
        if not newly:
            return
        guild = self.bot.get_guild(row["target_id"])
        if guild is None:  # not in that server any more: nobody there to tell
            return
        channel = guild.get_channel(row["channel_id"])
        mention = channel.mention if channel else f"<#{row['channel_id']}>"
        text = policy.pause_notice(esc(row["title"]), mention, code, events=row["kind"] == "event")
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
                guild_name = esc(guild.name)
                await user.send(f"About **{guild_name}**: {text}", allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                log.info("could not DM the manager of server %s: %s", row["target_id"], exc)

    # ------------------------------------------------------------------ sending
    async def _announce(self, row: sqlite3.Row, decision: policy.Decision) -> None:
        channel = self.bot.get_partial_messageable(row["channel_id"], guild_id=row["target_id"])
        text = policy.announcement_text(
            esc(row["title"]), row["number"], finale=bool(row["finale"]), special=bool(row["special"]),
            late_seconds=decision.late_seconds, delayed=row["original_air_at"] is not None,
            availability=slots.availability_text(availability_of(row["availability"])))
        allowed = NO_PINGS
        if row["role_id"]:
            text = f"<@&{row['role_id']}> {text}"
            allowed = discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                              roles=[discord.Object(row["role_id"])])
        message = await channel.send(f"{text}\n-# {policy.marker(row['id'])}", allowed_mentions=allowed,
                                     nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], now_epoch(), channel_id=channel.id, message_id=message.id)
        if row["threads"]:
            await self._open_thread(row, message)

    async def _open_thread(self, row: sqlite3.Row, message: discord.Message) -> None:
        try:
            thread = await message.create_thread(name=policy.thread_name(row["title"], row["number"]),
                                                 auto_archive_duration=1440)
            await thread.send(policy.spoiler_note(esc(row["title"]), row["number"]), allowed_mentions=NO_PINGS)
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

    @staticmethod
    def _reminder(row: sqlite3.Row) -> str:
        """The reminder's words; a reminder for a moved episode says where it moved from."""
        return policy.reminder_text(esc(row["title"]), row["number"], finale=bool(row["finale"]),
                                    special=bool(row["special"]), air_at=row["air_at"], now=now_epoch(),
                                    moved_from=policy.moved_from(row["reminded_for"], row["original_air_at"],
                                                                 row["air_at"]))

    async def _remind(self, row: sqlite3.Row) -> None:
        channel = self.bot.get_partial_messageable(row["channel_id"], guild_id=row["target_id"])
        text = self._reminder(row)
        message = await channel.send(f"{text}\n-# {policy.marker(row['id'])}", allowed_mentions=NO_PINGS,
                                     nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], now_epoch(), channel_id=channel.id, message_id=message.id)

    async def _dm(self, row: sqlite3.Row) -> None:
        user = self.bot.get_user(row["target_id"]) or await self.bot.fetch_user(row["target_id"])
        text = self._reminder(row)
        footer = f"-# {policy.marker(row['id'])} · stop these with /remind remove"
        message = await user.send(f"{text}\n{footer}", allowed_mentions=NO_PINGS, nonce=f"d{row['id']}")
        await self.bot.store.schedule.mark_sent(row["id"], now_epoch(), channel_id=message.channel.id,
                                                message_id=message.id)

    async def _create_event(self, row: sqlite3.Row) -> None:
        guild = self.bot.get_guild(row["target_id"])
        if guild is None:
            await self.bot.store.schedule.finish(row["id"], "skipped", "the bot is not in that server", now_epoch())
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
        await self.bot.store.schedule.mark_sent(row["id"], now_epoch(), channel_id=None, message_id=event.id)

    async def _already_delivered(self, row: sqlite3.Row) -> bool:
        """Find the delivery's marker on Discord (an earlier attempt may have landed); record it if found."""
        mark = re.compile(rf"\b{re.escape(policy.marker(row['id']))}\b")
        found: discord.Message | discord.ScheduledEvent | None = None
        # claimed_at is the FIRST claim (the store keeps it across retries): no attempt sent before it.
        after = from_epoch((row["claimed_at"] or row["due_at"]) - CLOCK_SLACK_SECONDS)
        until = from_epoch(now_epoch() + CLOCK_SLACK_SECONDS)  # later messages are not an earlier attempt
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
                found = await self._find_marker(channel, mark, after, until)
        except discord.Forbidden:
            # Can't read back: resend (the nonce still lets Discord drop a fresh duplicate). Documented.
            log.warning("cannot read back delivery %s before resending; sending again", row["id"])
            return False
        if found is None:
            return False
        channel_id = getattr(getattr(found, "channel", None), "id", None)
        await self.bot.store.schedule.mark_sent(row["id"], now_epoch(), channel_id=channel_id, message_id=found.id,
                                                note="found on Discord after a retry/restart")
        log.info("delivery %s had already reached Discord; not resending", row["id"])
        if row["kind"] == "announce" and row["threads"] and isinstance(found, discord.Message) and not row["thread_id"]:
            if found.thread is None:
                await self._open_thread(row, found)
        return True

    async def _find_marker(self, channel: discord.abc.Messageable, mark: re.Pattern[str], after: datetime,
                           until: datetime) -> discord.Message | None:
        """The bot's message carrying ``mark`` posted between ``after`` and ``until``, else None.

        Discord answers ``after=`` with the messages right after that point, so the search pages forward
        (oldest first) through the whole window: fan chatter before or after the send cannot push the
        marked message out of reach. Bounded by HISTORY_LOOKBACK_MAX messages.
        """
        read = 0
        async for message in channel.history(limit=HISTORY_LOOKBACK_MAX, after=after, oldest_first=True):
            read += 1
            if message.created_at > until:
                return None
            if message.author.id == self.bot.user.id and mark.search(message.content or ""):
                return message
        if read >= HISTORY_LOOKBACK_MAX:
            log.warning("looked through %d messages in channel %s without finding %s; sending again",
                        read, getattr(channel, "id", "?"), mark.pattern)
        return None

    # ------------------------------------------------------------------ scheduled events in step
    async def sync_events(self, now: int) -> None:
        store = self.bot.store.schedule
        for row in await store.dirty_events(shards=self.bot.shard_slice()):
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
                    # (an un-cancel may have come in while we deleted: then the event is owed afresh)
                    await store.event_deleted(row["guild_id"], row["episode_id"], row["event_id"], now_epoch())
            except discord.NotFound:
                await store.event_dropped(row["guild_id"], row["episode_id"])
            except discord.HTTPException as exc:
                log.warning("could not bring scheduled event %s in step: %s", row["event_id"], exc)
                if exc.status < 500:
                    await store.event_synced(row["guild_id"], row["episode_id"], row["start_at"])
