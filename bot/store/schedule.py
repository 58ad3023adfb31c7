"""Queries for episodes, follows, member reminders, scheduled events and the delivery log.

The delivery log is also the announcer's outbox: rows are created when a follow/reminder/episode
appears (for episodes still to come), kept in step when the schedule changes, and selected each
tick through the partial index ``deliveries_due`` (pending rows only), so the cost of a tick does
not grow with the number of episodes, follows or past deliveries. See ``bot.schedule.delivery``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.schedule.delivery import EVENT_LEAD_SECONDS
from bot.schedule.slots import Availability, Episode

if TYPE_CHECKING:
    from bot.store.database import Database

CANCELLED_NOTE = "episode cancelled"
REMINDER_KINDS = "('remind', 'dm')"  # deliveries owed once per scheduled time (keyed by the episode revision)
# Columns the announcer needs for one due delivery (drama, episode, follow, server grace period).
_DUE_SELECT = """
SELECT d.id, d.target_id, d.episode_id, d.kind, d.follow_id, d.due_at, d.state, d.attempts, d.claimed_at,
       d.channel_id AS sent_channel_id, d.message_id, d.thread_id, d.note, d.revision, d.slot_at,
       CASE WHEN d.kind IN ('remind', 'dm') THEN  -- the time the last reminder named (announce/event: unused)
         (SELECT p.slot_at FROM deliveries p WHERE p.target_id = d.target_id AND p.episode_id = d.episode_id
             AND p.kind = d.kind AND p.state = 'sent' AND p.id != d.id
           ORDER BY p.done_at DESC, p.id DESC LIMIT 1) END AS reminded_for,
       e.drama_id, e.number, e.air_at, e.status, e.finale, e.special, e.availability, e.original_air_at,
       e.revision AS episode_revision,
       dr.title, dr.slug,
       f.channel_id, f.role_id, f.threads, f.created_by, f.paused_at,
       COALESCE(gs.grace_minutes, 360) AS grace_minutes, gs.left_at
  FROM deliveries d
  JOIN episodes e ON e.id = d.episode_id
  JOIN dramas dr ON dr.id = e.drama_id
  LEFT JOIN follows f ON f.id = d.follow_id
  LEFT JOIN guild_settings gs ON gs.guild_id = d.target_id AND d.kind != 'dm'
"""


Shards = tuple[int, tuple[int, ...]] | None
CLAIM_SECONDS = 300  # a claim is its process's for this long (sending a batch takes seconds)


def shard_sql(column: str, shards: Shards) -> tuple[str, list[int]]:
    """A condition (and its parameters) true for servers ``column`` on ``shards`` ((count, ids)); Discord puts
    a server on shard (id >> 22) % count. ``shards`` None: every server (``1 = 1``)."""
    if shards is None:
        return "1 = 1", []
    count, ids = shards
    return f"({column} / 4194304) % ? IN ({','.join('?' * len(ids))})", [count, *ids]


def _shard_filter(shards: Shards, alias: str = "d.") -> tuple[str, list[int]]:
    """SQL (and parameters) keeping DMs and the deliveries of servers on ``shards``."""
    if shards is None:
        return "", []
    condition, params = shard_sql(f"{alias}target_id", shards)
    return f" AND ({alias}kind = 'dm' OR {condition})", params


def _availability_json(items: tuple[Availability, ...]) -> str:
    return json.dumps([{"platform": a.platform, "offset_minutes": a.offset_minutes} for a in items])


def availability_of(raw: str | None) -> tuple[Availability, ...]:
    try:
        return tuple(Availability(str(a["platform"]), int(a.get("offset_minutes", 0))) for a in json.loads(raw or "[]"))
    except (ValueError, TypeError, KeyError):
        return ()


def episode_of(row: sqlite3.Row) -> Episode:
    return Episode(
        number=row["number"], air_at=row["air_at"], status=row["status"], finale=bool(row["finale"]),
        special=bool(row["special"]), title=row["title"], original_air_at=row["original_air_at"],
        availability=availability_of(row["availability"]),
    )


class ScheduleQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Bumped by every write that can add, move or re-open a delivery or dirty a scheduled event, so
        # the announcer can skip idle ticks without touching the database (see cogs/_schedule_announcer.py).
        self.generation = 0
        self.listeners: list[Callable[[], None]] = []  # e.g. the announcer's wake-up

    def _bump(self) -> None:
        """Called before such a write (an announcer pass running meanwhile looks again) and after its commit
        (the woken announcer then sees the new rows)."""
        self.generation += 1
        for listener in list(self.listeners):
            listener()

    # ------------------------------------------------------------------ episodes
    async def episodes(self, drama_id: int) -> list[Episode]:
        rows = await self.db.fetchall("SELECT * FROM episodes WHERE drama_id = ? ORDER BY number", (drama_id,))
        return [episode_of(r) for r in rows]

    async def episode(self, drama_id: int, number: int) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM episodes WHERE drama_id = ? AND number = ?", (drama_id, number))

    async def replace_episodes(self, drama_id: int, episodes: list[Episode], now: int, *,
                               by_hand: bool = False) -> dict[str, int]:
        """Make the drama's stored schedule equal ``episodes`` (one transaction) and keep deliveries in step.

        ``by_hand``: an owner's edit; the live sync then leaves this drama's episodes alone until handed back."""
        async with self.db.transaction() as conn:
            counts = await self.replace_episodes_in(conn, drama_id, episodes, now, by_hand=by_hand)
        self._bump()
        return counts

    async def replace_episodes_in(self, conn: aiosqlite.Connection, drama_id: int, episodes: list[Episode],
                                  now: int, *, by_hand: bool = False) -> dict[str, int]:
        self._bump()
        if by_hand:
            await conn.execute(
                "INSERT INTO schedule_holds (drama_id, held_at, reason) VALUES (?, ?, 'owner edit')"
                " ON CONFLICT (drama_id) DO UPDATE SET held_at = excluded.held_at",
                (drama_id, datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")))
        counts = {"added": 0, "changed": 0, "removed": 0}
        async with conn.execute("SELECT * FROM episodes WHERE drama_id = ?", (drama_id,)) as cur:
            cur.row_factory = sqlite3.Row
            existing = {r["number"]: r for r in await cur.fetchall()}
        wanted = {ep.number for ep in episodes}
        for ep in episodes:
            values = (ep.air_at, ep.status, ep.original_air_at, int(ep.finale), int(ep.special), ep.title,
                      _availability_json(ep.availability))
            old = existing.get(ep.number)
            if old is None:
                cur = await conn.execute(
                    "INSERT INTO episodes (air_at, status, original_air_at, finale, special, title, availability,"
                    " drama_id, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", (*values, drama_id, ep.number))
                episode_id = (await cur.fetchall())[0][0]  # (read to the end: SQLite commits only then)
                if ep.status != "cancelled" and ep.air_at > now:
                    await self._deliveries_for_episodes(conn, drama_id, now, episode_id=episode_id)
                counts["added"] += 1
                continue
            old_values = (old["air_at"], old["status"], old["original_air_at"], old["finale"], old["special"],
                          old["title"], old["availability"])
            if old_values == values:
                continue
            counts["changed"] += 1
            episode_id = old["id"]
            await conn.execute(  # (SET expressions see the old row: the revision moves with air_at)
                "UPDATE episodes SET air_at = ?, status = ?, original_air_at = ?, finale = ?, special = ?, title = ?,"
                " availability = ?, revision = revision + CASE WHEN air_at != ? THEN 1 ELSE 0 END WHERE id = ?", (*values, ep.air_at, episode_id))
            await self._episode_changed(conn, old, drama_id, ep, now)
        for number, old in existing.items():
            if number in wanted:
                continue
            has_events = await _scalar(conn, "SELECT 1 FROM guild_events WHERE episode_id = ? LIMIT 1", (old["id"],))
            if has_events:  # keep the row so the announcer can still remove the Discord events
                cancelled = Episode(number=number, air_at=old["air_at"], status="cancelled")
                await conn.execute("UPDATE episodes SET status = 'cancelled' WHERE id = ?", (old["id"],))
                await self._episode_changed(conn, old, drama_id, cancelled, now)
            else:
                await conn.execute("DELETE FROM episodes WHERE id = ?", (old["id"],))
            counts["removed"] += 1
        return counts

    async def _episode_changed(self, conn: aiosqlite.Connection, old: sqlite3.Row, drama_id: int, ep: Episode,
                               now: int) -> None:
        """Keep the episode's deliveries and scheduled events in step with ``ep`` (the episodes row is already
        updated; ``old`` is the row as it was before)."""
        episode_id, old_status = old["id"], old["status"]
        if ep.status == "cancelled" and old_status != "cancelled":
            await conn.execute(
                "UPDATE deliveries SET state = 'skipped', note = ?, done_at = ? WHERE episode_id = ?"
                " AND state IN ('pending', 'held')", (CANCELLED_NOTE, now, episode_id))
            await conn.execute("UPDATE guild_events SET want = 0, dirty = 1 WHERE episode_id = ?", (episode_id,))
            return
        uncancelled = old_status == "cancelled" and ep.status != "cancelled"
        moved = ep.air_at != old["air_at"]
        old_revision = old["revision"]  # the revision reminders were owed for before this change
        if uncancelled:
            # What the cancel skipped is owed again (a reminder only if it was for the time before this
            # change; one skipped for an earlier time stays skipped).
            await conn.execute(
                "UPDATE deliveries SET state = 'pending', note = NULL, done_at = NULL WHERE episode_id = ?"
                " AND state = 'skipped' AND note = ? AND (kind NOT IN " + REMINDER_KINDS + " OR revision = ?)",
                (episode_id, CANCELLED_NOTE, old_revision))
            await self._events_wanted_again(conn, episode_id, drama_id)
        if uncancelled or moved:
            await conn.execute(
                "UPDATE deliveries SET due_at = ? - offset_s WHERE episode_id = ? AND state IN ('pending', 'held')"
                " AND kind NOT IN " + REMINDER_KINDS, (ep.air_at, episode_id))
        if moved:
            # One reminder per scheduled time (see the deliveries table): pending reminders move with the
            # episode to its new revision; reminders already sent (or in flight) stay with the old one, so
            # the ON CONFLICT DO NOTHING insert below owes a new reminder before the new time. The announcer skips a
            # reminder for a time members were already reminded of last (moved back), and stale ones.
            await conn.execute(
                "UPDATE deliveries SET due_at = ? - offset_s, slot_at = ?, revision = revision + 1"
                " WHERE episode_id = ? AND kind IN " + REMINDER_KINDS + " AND state IN ('pending', 'held')"
                " AND revision = ?", (ep.air_at, ep.air_at, episode_id, old_revision))
            await conn.execute("UPDATE guild_events SET dirty = 1 WHERE episode_id = ?", (episode_id,))
        if uncancelled or moved:  # (only episodes still to come get deliveries)
            await self._deliveries_for_episodes(conn, drama_id, now, episode_id=episode_id)

    async def _events_wanted_again(self, conn: aiosqlite.Connection, episode_id: int, drama_id: int) -> None:
        """An un-cancelled episode needs its scheduled event again in every server following with events.

        A mirror whose deletion is still queued is kept (the event is still on Discord); where the event is
        already gone, its creation row is forgotten so ``_deliveries_for_episodes`` owes a fresh one (a new
        delivery id: its marker, and so the restart check, is its own).
        """
        await conn.execute(
            "UPDATE guild_events SET want = 1, dirty = 1 WHERE episode_id = ? AND want = 0 AND guild_id IN"
            " (SELECT guild_id FROM follows WHERE drama_id = ? AND events = 1)", (episode_id, drama_id))
        await conn.execute(
            "DELETE FROM deliveries WHERE episode_id = ? AND kind = 'event' AND state IN ('sent', 'failed', 'skipped')"
            " AND NOT EXISTS (SELECT 1 FROM guild_events g WHERE g.guild_id = deliveries.target_id"
            "  AND g.episode_id = deliveries.episode_id AND g.want = 1)", (episode_id,))

    async def _deliveries_for_episodes(self, conn: aiosqlite.Connection, drama_id: int, now: int, *,
                                       episode_id: int | None = None, follow_id: int | None = None,
                                       user_id: int | None = None) -> None:
        """Create the missing delivery rows (ON CONFLICT DO NOTHING on the UNIQUE key) for upcoming episodes.

        Narrowed to one episode (schedule change), one follow (follow) or one member (reminder).
        """
        ep_filter = "e.drama_id = ? AND e.air_at > ? AND e.status != 'cancelled'"
        ep_params: list[Any] = [drama_id, now]
        if episode_id is not None:
            ep_filter += " AND e.id = ?"
            ep_params.append(episode_id)
        if user_id is None:
            f_filter = "f.drama_id = e.drama_id" + (" AND f.id = ?" if follow_id is not None else "")
            f_params = [follow_id] if follow_id is not None else []
            state = "CASE WHEN f.paused_at IS NULL THEN 'pending' ELSE 'held' END"
            await conn.execute(
                "INSERT INTO deliveries (target_id, episode_id, kind, follow_id, offset_s, due_at, state)"
                f" SELECT f.guild_id, e.id, 'announce', f.id, 0, e.air_at, {state}"
                f" FROM episodes e JOIN follows f ON {f_filter} WHERE {ep_filter} ON CONFLICT DO NOTHING", (*f_params, *ep_params))
            await conn.execute(
                "INSERT INTO deliveries (target_id, episode_id, kind, follow_id, offset_s, due_at, state,"
                " revision, slot_at)"
                f" SELECT f.guild_id, e.id, 'remind', f.id, f.remind_minutes * 60, e.air_at - f.remind_minutes * 60,"
                f" {state}, e.revision, e.air_at FROM episodes e JOIN follows f ON {f_filter} AND f.remind_minutes IS NOT NULL"
                f" WHERE {ep_filter} ON CONFLICT DO NOTHING", (*f_params, *ep_params))
            await conn.execute(
                "INSERT INTO deliveries (target_id, episode_id, kind, follow_id, offset_s, due_at, state)"
                f" SELECT f.guild_id, e.id, 'event', f.id, {EVENT_LEAD_SECONDS}, e.air_at - {EVENT_LEAD_SECONDS},"
                f" {state} FROM episodes e JOIN follows f ON {f_filter} AND f.events = 1"
                f" WHERE {ep_filter} AND NOT EXISTS (SELECT 1 FROM guild_events g"
                "  WHERE g.guild_id = f.guild_id AND g.episode_id = e.id AND g.want = 1) ON CONFLICT DO NOTHING",
                (*f_params, *ep_params))
        if follow_id is None:
            m_filter = "m.drama_id = e.drama_id" + (" AND m.user_id = ?" if user_id is not None else "")
            m_params = [user_id] if user_id is not None else []
            await conn.execute(
                "INSERT INTO deliveries (target_id, episode_id, kind, offset_s, due_at, revision, slot_at)"
                " SELECT m.user_id, e.id, 'dm', m.minutes * 60, e.air_at - m.minutes * 60, e.revision, e.air_at"
                f" FROM episodes e JOIN member_reminders m ON {m_filter} WHERE {ep_filter} ON CONFLICT DO NOTHING",
                (*m_params, *ep_params))

    async def upcoming(self, since: int, until: int, *, drama_id: int | None = None,
                       guild_id: int | None = None, limit: int = 20) -> list[sqlite3.Row]:
        """Episodes airing in [since, until): one drama, or the dramas a server follows, or all."""
        base = ("SELECT e.*, d.title AS drama_title, d.network, d.slug FROM episodes e"
                " JOIN dramas d ON d.id = e.drama_id")
        if drama_id is not None:
            return await self.db.fetchall(
                base + " WHERE e.drama_id = ? AND e.air_at >= ? AND e.air_at < ? ORDER BY e.air_at, e.number LIMIT ?",
                (drama_id, since, until, limit))
        if guild_id is not None:
            return await self.db.fetchall(
                base + " JOIN follows f ON f.drama_id = e.drama_id AND f.guild_id = ?"
                " WHERE e.air_at >= ? AND e.air_at < ? ORDER BY e.air_at, e.number LIMIT ?",
                (guild_id, since, until, limit))
        return await self.db.fetchall(
            base + " WHERE e.air_at >= ? AND e.air_at < ? ORDER BY e.air_at, e.number LIMIT ?",
            (since, until, limit))

    async def mark_aired(self, since: int, now: int) -> int:
        """Episodes whose air time passed in (since, now] become 'aired' (index range, usually empty)."""
        found = await self.db.scalar(
            "SELECT count(*) FROM episodes WHERE air_at > ? AND air_at <= ? AND status IN ('scheduled', 'delayed')",
            (since, now))
        if not found:
            return 0
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE episodes SET status = 'aired' WHERE air_at > ? AND air_at <= ?"
                " AND status IN ('scheduled', 'delayed')", (since, now))
            return cur.rowcount

    # ------------------------------------------------------------------ follows
    async def follow(self, guild_id: int, drama_id: int, *, channel_id: int, role_id: int | None,
                     remind_minutes: int | None, threads: bool, events: bool, created_by: int,
                     now: int) -> bool:
        """Create or update (and resume) a server's follow; returns True when it is new."""
        self._bump()
        async with self.db.transaction() as conn:
            old = await _row(conn, "SELECT * FROM follows WHERE guild_id = ? AND drama_id = ?", (guild_id, drama_id))
            if old is None:
                cur = await conn.execute(
                    "INSERT INTO follows (guild_id, drama_id, channel_id, role_id, remind_minutes, threads, events,"
                    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (guild_id, drama_id, channel_id, role_id, remind_minutes, int(threads), int(events), created_by, now))
                follow_id = (await cur.fetchall())[0][0]
            else:
                follow_id = old["id"]
                await conn.execute(
                    "UPDATE follows SET channel_id = ?, role_id = ?, remind_minutes = ?, threads = ?, events = ?,"
                    " created_by = ?, paused_at = NULL, paused_reason = NULL WHERE id = ?",
                    (channel_id, role_id, remind_minutes, int(threads), int(events), created_by, follow_id))
                await conn.execute("UPDATE deliveries SET state = 'pending' WHERE follow_id = ? AND state = 'held'",
                                   (follow_id,))
                if old["remind_minutes"] != remind_minutes:
                    await conn.execute("DELETE FROM deliveries WHERE follow_id = ? AND kind = 'remind' AND state = 'pending'",
                                       (follow_id,))
                if old["events"] and not events:
                    await conn.execute("DELETE FROM deliveries WHERE follow_id = ? AND kind = 'event'", (follow_id,))
                    await self._drop_events(conn, guild_id, drama_id)
            await self._deliveries_for_episodes(conn, drama_id, now, follow_id=follow_id)
        self._bump()
        return old is None

    async def _drop_events(self, conn: aiosqlite.Connection, guild_id: int, drama_id: int) -> None:
        await conn.execute(
            "UPDATE guild_events SET want = 0, dirty = 1 WHERE guild_id = ? AND episode_id IN"
            " (SELECT id FROM episodes WHERE drama_id = ?)", (guild_id, drama_id))

    async def unfollow(self, guild_id: int, drama_id: int) -> bool:
        self._bump()
        async with self.db.transaction() as conn:
            follow_id = await _scalar(conn, "SELECT id FROM follows WHERE guild_id = ? AND drama_id = ?",
                                      (guild_id, drama_id))
            if follow_id is None:
                return False
            await conn.execute("DELETE FROM deliveries WHERE follow_id = ? AND state IN ('pending', 'held')",
                               (follow_id,))
            # Event rows are mirrors, not messages: forget them so a later follow creates fresh events.
            await conn.execute("DELETE FROM deliveries WHERE follow_id = ? AND kind = 'event'", (follow_id,))
            await self._drop_events(conn, guild_id, drama_id)
            await conn.execute("DELETE FROM follows WHERE id = ?", (follow_id,))
        return True

    async def following(self, guild_id: int) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT f.*, d.title, d.slug FROM follows f JOIN dramas d ON d.id = f.drama_id WHERE f.guild_id = ?"
            " ORDER BY d.title", (guild_id,))

    async def followed_drama_ids(self, guild_id: int) -> list[int]:
        rows = await self.db.fetchall("SELECT drama_id FROM follows WHERE guild_id = ?", (guild_id,))
        return [r[0] for r in rows]

    async def pause_follow(self, follow_id: int, reason: str, now: int) -> bool:
        """Pause a follow Discord refused; its pending deliveries wait as 'held'. True if newly paused."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE follows SET paused_at = ?, paused_reason = ? WHERE id = ? AND paused_at IS NULL",
                (now, reason, follow_id))
            await conn.execute(
                "UPDATE deliveries SET state = 'held' WHERE follow_id = ? AND state IN ('pending', 'claimed')",
                (follow_id,))
            return cur.rowcount > 0

    # ------------------------------------------------------------------ member reminders
    async def add_reminder(self, user_id: int, drama_id: int, minutes: int, guild_id: int | None, now: int) -> bool:
        self._bump()
        async with self.db.transaction() as conn:
            old = await _scalar(conn, "SELECT minutes FROM member_reminders WHERE user_id = ? AND drama_id = ?",
                                (user_id, drama_id))
            await conn.execute(
                "INSERT INTO member_reminders (user_id, drama_id, minutes, guild_id, created_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id, drama_id) DO UPDATE SET minutes = excluded.minutes, guild_id = excluded.guild_id",
                (user_id, drama_id, minutes, guild_id, now))
            await self._delete_pending_dms(conn, user_id, drama_id)
            await self._deliveries_for_episodes(conn, drama_id, now, user_id=user_id)
        self._bump()
        return old is None

    async def _delete_pending_dms(self, conn: aiosqlite.Connection, user_id: int, drama_id: int) -> None:
        await conn.execute(
            "DELETE FROM deliveries WHERE target_id = ? AND kind = 'dm' AND state = 'pending' AND episode_id IN"
            " (SELECT id FROM episodes WHERE drama_id = ?)", (user_id, drama_id))

    async def remove_reminder(self, user_id: int, drama_id: int) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM member_reminders WHERE user_id = ? AND drama_id = ?",
                                     (user_id, drama_id))
            await self._delete_pending_dms(conn, user_id, drama_id)
            return cur.rowcount > 0

    async def reminders(self, user_id: int) -> list[sqlite3.Row]:
        return await self.db.fetchall(
            "SELECT m.*, d.title, d.slug FROM member_reminders m JOIN dramas d ON d.id = m.drama_id"
            " WHERE m.user_id = ? ORDER BY d.title", (user_id,))

    # ------------------------------------------------------------------ the announcer
    async def due(self, now: int, limit: int = 50, *, shards: Shards = None) -> list[sqlite3.Row]:
        """Pending deliveries whose time has come, oldest first (partial index ``deliveries_due``).

        ``shards`` = (shard_count, shard ids) of a process running only some shards: server deliveries of
        other shards are left to the process that holds that server (DMs go out from any process).
        """
        where, params = _shard_filter(shards)
        if not self.db.postgres:
            return await self.db.fetchall(
                _DUE_SELECT + f" WHERE d.state = 'pending' AND d.due_at <= ?{where} ORDER BY d.due_at LIMIT ?",
                (now, *params, limit))
        # PostgreSQL: the ids first, then their details. As one statement, `due_at <= $1 ... LIMIT $2` has no
        # cheap generic plan, so PostgreSQL planned the five-table join afresh at every tick (0.9 ms of a 1.3 ms
        # tick); both statements below keep one plan per connection (0.04 ms idle, ~0.5 ms with 50 rows).
        ids = [r[0] for r in await self.db.fetchall(
            f"SELECT d.id FROM deliveries d WHERE d.state = 'pending' AND d.due_at <= ?{where}"
            " ORDER BY d.due_at LIMIT ?", (now, *params, limit))]
        if not ids:
            return []
        return await self.db.fetchall(
            _DUE_SELECT + " WHERE d.id = ANY(?) AND d.state = 'pending' ORDER BY d.due_at", (ids,))

    async def next_due_at(self, *, shards: Shards = None) -> int | None:
        where, params = _shard_filter(shards, alias="")
        return await self.db.scalar(f"SELECT min(due_at) FROM deliveries WHERE state = 'pending'{where}", params)

    async def claim(self, ids: list[int], now: int, *, hold: int = CLAIM_SECONDS, by: str = "main") -> set[int]:
        """Commit the claim before anything is sent: state claimed, attempts + 1. Returns the ids claimed.

        One atomic conditional UPDATE per row: of several processes claiming the same row, exactly one sees
        it still pending (PostgreSQL re-checks the WHERE after the row lock; SQLite serialises writers).
        The claim is this process's until ``now + hold`` (``claim_until``); after that another process
        may take it over. ``claimed_at`` keeps the FIRST claim: no attempt can have reached Discord before
        it, so a retry's look-back for an earlier attempt's message starts there.
        """
        claimed: set[int] = set()
        async with self.db.transaction() as conn:
            for delivery_id in sorted(ids):  # one order in every process: two claimers never deadlock
                cur = await conn.execute(
                    "UPDATE deliveries SET state = 'claimed', claimed_at = coalesce(claimed_at, ?),"
                    " claim_until = ?, claimed_by = ?, attempts = attempts + 1"
                    " WHERE id = ? AND state = 'pending'", (now, now + hold, by, delivery_id))
                if cur.rowcount:
                    claimed.add(delivery_id)
        return claimed

    async def mark_sent(self, delivery_id: int, now: int, *, channel_id: int | None, message_id: int | None,
                        note: str | None = None) -> None:
        await self.db.write(
            "UPDATE deliveries SET state = 'sent', done_at = ?, channel_id = ?, message_id = ?, note = ? WHERE id = ?",
            (now, channel_id, message_id, note, delivery_id))

    async def previous_thread(self, follow_id: int, delivery_id: int) -> int | None:
        """The discussion thread opened for this follow's announcement before ``delivery_id``."""
        return await self.db.scalar(
            "SELECT thread_id FROM deliveries WHERE follow_id = ? AND kind = 'announce' AND thread_id IS NOT NULL"
            " AND id != ? ORDER BY done_at DESC LIMIT 1", (follow_id, delivery_id))

    async def set_thread(self, delivery_id: int, thread_id: int) -> None:
        await self.db.write("UPDATE deliveries SET thread_id = ? WHERE id = ?", (thread_id, delivery_id))

    async def finish(self, delivery_id: int, state: str, note: str, now: int) -> None:
        """Record a final 'skipped' or 'failed' outcome with the reason."""
        if state not in ("skipped", "failed"):
            raise ValueError(state)
        await self.db.write("UPDATE deliveries SET state = ?, note = ?, done_at = ? WHERE id = ?",
                            (state, note, now, delivery_id))

    async def skip_many(self, ids: list[int], note: str, now: int) -> None:
        await self.db.write_many("UPDATE deliveries SET state = 'skipped', note = ?, done_at = ? WHERE id = ?",
                                 [(note, now, i) for i in ids])

    async def retry_later(self, delivery_id: int, due_at: int, note: str) -> None:
        self._bump()
        await self.db.write(
            "UPDATE deliveries SET state = 'pending', due_at = ?, note = ? WHERE id = ? AND state = 'claimed'",
            (due_at, note, delivery_id))

    async def release_claims(self, ids: list[int]) -> None:
        """Claims whose outcome a failed pass could not record go back to pending (looked for before resending)."""
        self._bump()
        await self.db.write_many("UPDATE deliveries SET state = 'pending' WHERE id = ? AND state = 'claimed'",
                                 [(i,) for i in ids])

    async def recover_claimed(self, *, expired_at: int | None = None, mine: str | None = None) -> int:
        """Claims left by a process that stopped go back to pending (they are checked on Discord before
        anything is resent). At a lone process's start-up every claim is such a leftover. On a shared
        database, a process takes back at start-up the claims of its own earlier life (``mine``: its name),
        and otherwise only claims whose hold ran out by ``expired_at`` (now): every process runs this each
        pass, so a dead process's claims are taken over by the others within ``CLAIM_SECONDS``."""
        async with self.db.transaction() as conn:
            if expired_at is None:
                cur = await conn.execute("UPDATE deliveries SET state = 'pending' WHERE state = 'claimed'")
            else:
                cur = await conn.execute(
                    "UPDATE deliveries SET state = 'pending' WHERE state = 'claimed'"
                    " AND (coalesce(claim_until, claimed_at) <= ? OR claimed_by IS NULL OR claimed_by = ?)",
                    (expired_at, mine or ""))
        if cur.rowcount:
            self._bump()  # (only when something came back: a pass that found nothing must not look again)
        return cur.rowcount

    async def delivery(self, delivery_id: int) -> sqlite3.Row | None:
        return await self.db.fetchone(_DUE_SELECT + " WHERE d.id = ?", (delivery_id,))

    async def deliveries_for(self, target_id: int) -> list[sqlite3.Row]:
        """Every delivery recorded for a server or member (tests and diagnostics)."""
        return await self.db.fetchall(_DUE_SELECT + " WHERE d.target_id = ? ORDER BY d.id", (target_id,))

    # ------------------------------------------------------------------ scheduled events
    async def record_event(self, guild_id: int, episode_id: int, event_id: int, start_at: int) -> None:
        await self.db.write(
            "INSERT INTO guild_events (guild_id, episode_id, event_id, start_at, want, dirty) VALUES (?, ?, ?, ?, 1, 0)"
            " ON CONFLICT (guild_id, episode_id) DO UPDATE SET event_id = excluded.event_id,"
            " start_at = excluded.start_at, want = 1, dirty = 0", (guild_id, episode_id, event_id, start_at))

    async def dirty_events(self, limit: int = 50, *, shards: Shards = None) -> list[sqlite3.Row]:
        """Event mirrors to bring in step with their episode; with ``shards``, only those of servers on this
        process's shards (another process does not have those servers: it would take them for gone)."""
        condition, params = shard_sql("g.guild_id", shards)
        return await self.db.fetchall(
            "SELECT g.*, e.air_at, e.status, e.number, e.finale, e.special, d.title FROM guild_events g"
            " JOIN episodes e ON e.id = g.episode_id JOIN dramas d ON d.id = e.drama_id"
            f" WHERE g.dirty = 1 AND {condition} LIMIT ?", (*params, limit))

    async def event_synced(self, guild_id: int, episode_id: int, start_at: int) -> None:
        await self.db.write("UPDATE guild_events SET start_at = ?, dirty = 0 WHERE guild_id = ? AND episode_id = ?",
                            (start_at, guild_id, episode_id))

    async def event_dropped(self, guild_id: int, episode_id: int) -> None:
        await self.db.write("DELETE FROM guild_events WHERE guild_id = ? AND episode_id = ?", (guild_id, episode_id))

    async def event_deleted(self, guild_id: int, episode_id: int, event_id: int, now: int) -> None:
        """The announcer deleted an unwanted event on Discord. If the episode was un-cancelled meanwhile
        (the mirror wants it again), the event is owed afresh rather than silently lost."""
        self._bump()
        async with self.db.transaction() as conn:
            row = await _row(conn, "SELECT g.want, e.drama_id FROM guild_events g JOIN episodes e ON e.id = g.episode_id"
                             " WHERE g.guild_id = ? AND g.episode_id = ? AND g.event_id = ?",
                             (guild_id, episode_id, event_id))
            if row is None:
                return
            await conn.execute("DELETE FROM guild_events WHERE guild_id = ? AND episode_id = ?", (guild_id, episode_id))
            if row["want"]:
                await conn.execute(
                    "DELETE FROM deliveries WHERE target_id = ? AND episode_id = ? AND kind = 'event'"
                    " AND state IN ('sent', 'failed', 'skipped')", (guild_id, episode_id))
                await self._deliveries_for_episodes(conn, row["drama_id"], now, episode_id=episode_id)
        self._bump()

    # ------------------------------------------------------------------ privacy / lifecycle
    # The privacy contract (docs/CONVENTIONS.md): store.privacy calls these inside ONE transaction it holds,
    # so they use the ``conn`` given and never open their own (that would wait on the held lock).
    async def member_data(self, user_id: int) -> dict[str, int]:
        reminders = await self.db.scalar("SELECT count(*) FROM member_reminders WHERE user_id = ?", (user_id,))
        return {"episode reminders": reminders}

    async def forget_member(self, conn: aiosqlite.Connection, user_id: int) -> None:
        """Delete a member's reminders and their DM delivery log (privacy requests)."""
        await conn.execute("DELETE FROM member_reminders WHERE user_id = ?", (user_id,))
        await conn.execute("DELETE FROM deliveries WHERE target_id = ? AND kind = 'dm'", (user_id,))

    async def forget_guild(self, conn: aiosqlite.Connection, guild_id: int) -> None:
        """Delete a server's follows, deliveries and event mirrors (after the bot left it)."""
        await conn.execute("DELETE FROM follows WHERE guild_id = ?", (guild_id,))
        await conn.execute("DELETE FROM deliveries WHERE target_id = ? AND kind != 'dm'", (guild_id,))
        await conn.execute("DELETE FROM guild_events WHERE guild_id = ?", (guild_id,))

    async def events_of(self, guild_id: int) -> list[sqlite3.Row]:
        return await self.db.fetchall("SELECT * FROM guild_events WHERE guild_id = ? ORDER BY start_at", (guild_id,))

    # ------------------------------------------------------------------ server lifecycle (settings owner's hook)
    async def resume_follows(self, guild_id: int, reason: str) -> int:
        """Resume the follows paused with ``reason`` (the bot was removed, then added back); held deliveries
        become pending again. Returns how many follows resumed."""
        self._bump()
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE follows SET paused_at = NULL, paused_reason = NULL WHERE guild_id = ? AND paused_reason = ?",
                (guild_id, reason))
            await conn.execute(
                "UPDATE deliveries SET state = 'pending' WHERE state = 'held' AND follow_id IN"
                " (SELECT id FROM follows WHERE guild_id = ? AND paused_at IS NULL)", (guild_id,))
        self._bump()
        return cur.rowcount


async def _row(conn: aiosqlite.Connection, sql: str, params: tuple) -> sqlite3.Row | None:
    async with conn.execute(sql, params) as cur:
        cur.row_factory = sqlite3.Row
        return await cur.fetchone()


async def _scalar(conn: aiosqlite.Connection, sql: str, params: tuple) -> Any:
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return None if row is None else row[0]
