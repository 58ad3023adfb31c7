"""Queries for polls, votes and prediction points, and the group-commit vote writer.

Votes are the hot path (a burst of clicks on one poll). Each click becomes a :class:`VoteOp` queued
to one writer task that takes every pending op, applies them in order to the committed ballots
(kept in memory per poll: on SQLite every ballot of the poll, loaded on first use; on PostgreSQL, where
other processes write too, the batch's voters' ballots, re-read under the poll's row lock), writes the
net change in ONE transaction
(``DELETE`` the changed voters' rows, ``INSERT`` their new rows) and only after ``COMMIT`` resolves
each op's future. So "acknowledged" still means "committed", at the cost of one commit per batch
rather than per vote. Rows are keyed ``(poll_id, voter_key, position)``: a replayed write can never
count twice. Poll rows are cached too; every mutation goes through this class, which keeps both
caches in step (the privacy store calls ``forget_*`` here, which clears them).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.errors import StoreBusy, StoreError
from bot.polls import ballot as ballots
from bot.polls import secret as secrets_
from bot.polls.ballot import VoteOp, VoteResult
from bot.polls.model import NewPoll, Option, Poll, Tally, from_iso, to_iso
from bot.polls.scoring import Score, score_ballots
from bot.store.database import waiting_hook
from bot.store.schedule import Shards, shard_sql

if TYPE_CHECKING:
    import aiosqlite

    from bot.store.database import Database, WaitHook

log = logging.getLogger(__name__)

RESULTS_HOLD_SECONDS = 60  # a process posting a closed poll's results holds them this long (a post takes < 1 s)
_POLL_COLUMNS = (
    "id, guild_id, channel_id, message_id, creator_id, question, kind, drama_id, max_choices, anonymous,"
    " hide_results, role_id, created_at, closes_at, closed_at, resolved_at, native"
)


# PostgreSQL, a batch's voters' rows: one primary-key probe per voter (``CROSS JOIN LATERAL (... OFFSET 0)``
# over ``unnest(keys)``), whatever the planner believes. asyncpg reuses each statement's plan, and PostgreSQL
# turns it generic after five runs: there ``voter_key = ANY(?)`` or a join with unnest became a filter or a
# hash over EVERY vote of the poll (no statistics yet during a burst into a new poll), so a batch cost
# O(poll's votes x batch) and batches grew while they waited: p99 0.9 s at 6,000 votes/s (BENCHMARKS.md).
_VOTES_OF_KEY = "SELECT ctid, voter_key, position FROM poll_votes WHERE voter_key = k.key"


# A voter's new ballot in a batch: (positions, voter id or None when anonymous, ISO time of the click).
_Staged = tuple[tuple[int, ...], int | None, str]


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as one list per column (arrays for ``unnest``), ``width`` empty lists when there are none."""
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _poll(row: Any, options: list[Any]) -> Poll:
    return Poll(
        id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"], message_id=row["message_id"],
        creator_id=row["creator_id"], question=row["question"], kind=row["kind"], drama_id=row["drama_id"],
        max_choices=row["max_choices"], anonymous=bool(row["anonymous"]), hide_results=bool(row["hide_results"]),
        role_id=row["role_id"], created_at=from_iso(row["created_at"]), closes_at=from_iso(row["closes_at"]),
        closed_at=from_iso(row["closed_at"]), resolved_at=from_iso(row["resolved_at"]), native=bool(row["native"]),
        options=tuple(
            Option(position=o[0], label=o[1], kind=o[2], theory_id=o[3], correct=bool(o[4])) for o in options
        ),
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(moment: datetime) -> int:
    """Epoch milliseconds, exactly (integer arithmetic: no float rounding at a slot's edge)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _all_of(hooks: list[WaitHook]) -> WaitHook:
    """One wait hook for a vote batch: every click in it is deferred (concurrently)."""
    async def run() -> None:
        await asyncio.gather(*(hook() for hook in hooks), return_exceptions=True)
    return run


class PollQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._configured_secret: str | None = None
        self._secret: bytes | None = None
        self._polls: dict[int, Poll] = {}
        self._ballots: dict[int, dict[str, tuple[int, ...]]] = {}
        self._pending: list[tuple[VoteOp, asyncio.Future[VoteResult], WaitHook | None]] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0  # committed vote batches (bench and tests read it)

    # ------------------------------------------------------------------ voter keys
    def configure_secret(self, configured: str | None) -> None:
        """``settings.vote_secret`` (or None: use the ``<db>.secret`` file). Call before any vote."""
        self._configured_secret = configured or None
        self._secret = None

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            if self.db.path is None and not self._configured_secret:  # PostgreSQL: no file to keep it beside
                raise StoreError("Anonymous polls on PostgreSQL need VOTE_SECRET to be set.")
            self._secret = secrets_.resolve(self._configured_secret, self.db.path or "")
        return self._secret

    def voter_key(self, poll: Poll, user_id: int) -> str:
        if poll.anonymous:
            return secrets_.voter_key(self.secret, poll.id, user_id)
        return secrets_.public_key(user_id)

    # ------------------------------------------------------------------ polls
    async def create(self, new: NewPoll) -> Poll:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO polls (guild_id, channel_id, creator_id, question, kind, drama_id, max_choices,"
                " anonymous, hide_results, role_id, created_at, closes_at, native)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (new.guild_id, new.channel_id, new.creator_id, new.question, new.kind, new.drama_id,
                 new.max_choices, int(new.anonymous), int(new.hide_results), new.role_id,
                 to_iso(new.created_at), to_iso(new.closes_at), int(new.native)),
            )
            poll_id = (await cur.fetchall())[0][0]
            await conn.executemany(
                "INSERT INTO poll_options (poll_id, position, label, kind, theory_id) VALUES (?,?,?,?,?)",
                [(poll_id, o.position, o.label, o.kind, o.theory_id) for o in new.options],
            )
        poll = await self.get(poll_id)
        assert poll is not None
        return poll

    async def delete(self, poll_id: int) -> None:
        """Drop a poll whose message could not be posted (nothing else refers to it yet)."""
        await self.db.write("DELETE FROM polls WHERE id = ?", (poll_id,))
        self._polls.pop(poll_id, None)
        self._ballots.pop(poll_id, None)

    async def set_message(self, poll_id: int, message_id: int) -> None:
        await self.db.write("UPDATE polls SET message_id = ? WHERE id = ?", (message_id, poll_id))
        self._polls.pop(poll_id, None)

    async def get(self, poll_id: int, *, fresh: bool = False) -> Poll | None:
        """The poll, from the cache; ``fresh`` reads it again (another process may have closed or resolved it)."""
        if fresh:
            self._polls.pop(poll_id, None)
        cached = self._polls.get(poll_id)
        if cached is not None:
            return cached
        row = await self.db.fetchone(f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", (poll_id,))
        if row is None:
            return None
        options = await self.db.fetchall(
            "SELECT position, label, kind, theory_id, correct FROM poll_options WHERE poll_id = ? ORDER BY position",
            (poll_id,),
        )
        poll = _poll(row, options)
        self._polls[poll_id] = poll
        return poll

    async def list_for_guild(self, guild_id: int, *, state: str = "any", limit: int = 25) -> list[tuple[int, str, bool]]:
        """Newest polls of a server as (id, question, is_open); state: 'open', 'closed' or 'any'."""
        where = {"open": " AND closed_at IS NULL", "closed": " AND closed_at IS NOT NULL"}.get(state, "")
        rows = await self.db.fetchall(
            f"SELECT id, question, closed_at IS NULL AS open FROM polls WHERE guild_id = ?{where}"
            " ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [(r["id"], r["question"], bool(r["open"])) for r in rows]

    async def due(self, now: datetime, limit: int = 100, *, shards: Shards = None) -> list[int]:
        """Open polls whose deadline has passed (partial index ``polls_due``); with ``shards``, only those of
        servers on this process's shards (each process closes its own servers' polls; close() is atomic)."""
        condition, params = shard_sql("guild_id", shards)
        rows = await self.db.fetchall(
            f"SELECT id FROM polls WHERE closed_at IS NULL AND closes_at <= ? AND {condition}"
            " ORDER BY closes_at LIMIT ?",
            (to_iso(now), *params, limit),
        )
        return [r["id"] for r in rows]

    async def next_deadline(self, *, shards: Shards = None) -> datetime | None:
        """The closer's next wake-up: the earliest deadline of an open poll (``polls_due``), or the end of a hold
        on results still owed; with ``shards``, of this process's servers (another process's overdue poll
        would wake this closer every second)."""
        condition, params = shard_sql("guild_id", shards)
        return from_iso(await self.db.scalar(
            f"SELECT min(t) FROM (SELECT closes_at AS t FROM polls WHERE closed_at IS NULL AND {condition}"
            " UNION ALL SELECT results_claim_until FROM polls WHERE closed_at IS NOT NULL"
            f" AND results_message_id IS NULL AND {condition}) AS due", (*params, *params)))

    # ------------------------------------------------------------------ the results message, exactly once
    # close() holds the closed poll's results post for its process (results_claim_until); the post is recorded
    # with results_posted(). A process that died in between leaves them owed: once the hold ran out, a closer
    # takes them with claim_results(), looks on Discord for them, and posts them only when they are not there.
    async def results_owed(self, now: datetime, *, shards: Shards = None, limit: int = 20) -> list[int]:
        """Closed polls (of this process's servers) whose results message is owed and nobody holds."""
        condition, params = shard_sql("guild_id", shards)
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE closed_at IS NOT NULL AND results_message_id IS NULL"
            f" AND coalesce(results_claim_until, '') <= ? AND {condition} ORDER BY closed_at LIMIT ?",
            (to_iso(now), *params, limit))
        return [r["id"] for r in rows]

    async def claim_results(self, poll_id: int, now: datetime) -> bool:
        """Take the owed results post of ``poll_id`` for RESULTS_HOLD_SECONDS; False when it is done or held."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE polls SET results_claim_until = ? WHERE id = ? AND closed_at IS NOT NULL"
                " AND results_message_id IS NULL AND coalesce(results_claim_until, '') <= ?",
                (to_iso(now + timedelta(seconds=RESULTS_HOLD_SECONDS)), poll_id, to_iso(now)))
            return cur.rowcount == 1

    async def results_posted(self, poll_id: int, message_id: int) -> None:
        """The results are out (``message_id`` 0: id unknown, or Discord refused them: not retried)."""
        await self.db.write("UPDATE polls SET results_message_id = ?, results_claim_until = NULL WHERE id = ?",
                            (message_id, poll_id))

    async def close(self, poll_id: int, now: datetime,
                    ballots: dict[int, tuple[int, ...]] | None = None) -> Poll | None:
        """Close an open poll; returns it, or None when it was already closed (someone else won).

        ``ballots`` (member id -> positions) are a native poll's final votes as Discord counted them,
        stored in the same transaction as the close: recorded exactly once, or not at all."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(  # (the closing process holds the results post: see results_owed)
                "UPDATE polls SET closed_at = ?, results_claim_until = ?, content_version = content_version + 1"
                " WHERE id = ? AND closed_at IS NULL",
                (to_iso(now), to_iso(now + timedelta(seconds=RESULTS_HOLD_SECONDS)), poll_id)
            )
            changed = cur.rowcount == 1
            if changed and ballots:
                await conn.executemany(
                    "INSERT INTO poll_votes (poll_id, voter_key, position, voter_id, voted_at) VALUES (?,?,?,?,?)"
                    " ON CONFLICT (poll_id, voter_key, position) DO NOTHING",
                    [(poll_id, secrets_.public_key(user_id), position, user_id, to_iso(now))
                     for user_id, positions in sorted(ballots.items()) for position in positions],
                )
            if changed:
                # Under the same lock as the vote writer: no later batch will accept a vote for it.
                self._polls.pop(poll_id, None)
                self._ballots.pop(poll_id, None)
        return await self.get(poll_id) if changed else None

    # ------------------------------------------------------------------ votes
    async def vote(self, op: VoteOp, *, on_wait: WaitHook | None = None) -> VoteResult:
        """Apply one click; returns after the transaction that holds it has committed.

        ``on_wait`` is called if the batch holding this vote has to wait for another process's lock (the
        click's interaction is deferred then). Raises ``StoreBusy`` when the vote could not be stored.
        """
        future: asyncio.Future[VoteResult] = asyncio.get_running_loop().create_future()
        self._pending.append((op, future, on_wait))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._drain(), name="poll-vote-writer")
        return await future

    async def _drain(self) -> None:
        # This task inherited the first click's context; its wait hook is not the batch's (see below).
        waiting_hook.set(None)
        while self._pending:
            batch, self._pending = self._pending, []
            hooks = [hook for _op, _future, hook in batch if hook is not None]
            try:
                results = await self._commit([op for op, _, _ in batch], on_wait=_all_of(hooks) if hooks else None)
            except BaseException as exc:
                for _, future, _ in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("vote writer stopped"))
                if not isinstance(exc, Exception):
                    raise
                if isinstance(exc, StoreBusy):
                    log.warning("a vote batch of %d was not stored: the database stayed locked", len(batch))
                else:
                    log.exception("a vote batch of %d failed", len(batch))
                continue
            for (_, future, _), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _load_ballots(self, conn: aiosqlite.Connection, poll_id: int) -> dict[str, tuple[int, ...]]:
        found: dict[str, list[int]] = {}
        async with conn.execute(
            "SELECT voter_key, position FROM poll_votes WHERE poll_id = ? ORDER BY voter_key, position", (poll_id,)
        ) as cur:
            for key, position in await cur.fetchall():
                found.setdefault(key, []).append(position)
        return {key: tuple(positions) for key, positions in found.items()}

    async def _lock_and_refresh(self, conn: Any, polls: dict[int, Poll | None], ops: list[VoteOp]) -> None:
        """Several processes may write one poll's votes (PostgreSQL): lock each poll row for this batch (other
        processes' batches and close() wait; sorted, so two batches never deadlock), re-read whether it is
        open, and read this batch's voters' ballots as committed, so the cache never applies a stale ballot."""
        for poll_id in sorted(polls):
            async with conn.execute("SELECT closed_at FROM polls WHERE id = ? FOR UPDATE", (poll_id,)) as cur:
                row = await cur.fetchone()
            cached = polls[poll_id]
            if row is None or (row[0] is not None and cached is not None and cached.closed_at is None):
                self._polls.pop(poll_id, None)  # closed (or deleted) by another process
                self._ballots.pop(poll_id, None)
                polls[poll_id] = None if row is None else await self.get(poll_id)
                continue
            if cached is None or cached.closed_at is not None:
                continue
            keys = sorted({op.voter_key for op in ops if op.poll_id == poll_id})
            fresh: dict[str, list[int]] = {}
            async with conn.execute(
                    "SELECT v.voter_key, v.position FROM unnest(CAST(? AS text[])) AS k(key)"
                    f" CROSS JOIN LATERAL ({_VOTES_OF_KEY} AND poll_id = ? OFFSET 0) AS v"
                    " ORDER BY v.voter_key, v.position", (keys, poll_id)) as cur:
                for key, position in await cur.fetchall():
                    fresh.setdefault(key, []).append(position)
            cache = self._ballots.setdefault(poll_id, {})
            for key in keys:
                cache.pop(key, None)
            cache.update({key: tuple(positions) for key, positions in fresh.items()})

    async def _commit(self, ops: list[VoteOp], on_wait: WaitHook | None = None) -> list[VoteResult]:
        results: list[VoteResult] = []
        staged: dict[tuple[int, str], _Staged] = {}
        async with self.db.transaction(on_wait=on_wait) as conn:
            # Read the polls under the writer lock: close() takes the same lock, so a poll seen open
            # here cannot close before this batch commits.
            polls: dict[int, Poll | None] = {}
            for poll_id in {op.poll_id for op in ops}:
                poll = polls[poll_id] = await self.get(poll_id)
                if poll is not None and poll.closed_at is None and poll_id not in self._ballots:
                    # PostgreSQL re-reads the batch's voters below: no need to load a big poll's every vote.
                    self._ballots[poll_id] = {} if self.db.postgres else await self._load_ballots(conn, poll_id)
            if self.db.postgres:
                await self._lock_and_refresh(conn, polls, ops)
            for op in ops:
                poll = polls[op.poll_id]
                committed = self._ballots.get(op.poll_id, {})
                current = staged[(op.poll_id, op.voter_key)][0] if (op.poll_id, op.voter_key) in staged \
                    else committed.get(op.voter_key, ())
                if poll is None or poll.closed_at is not None or op.now_iso >= to_iso(poll.closes_at):
                    results.append(VoteResult(ballots.CLOSED, current))
                    continue
                result = ballots.apply(current, op, max_choices=poll.max_choices, option_count=len(poll.options))
                results.append(result)
                if result.outcome == ballots.OK and result.changed:
                    staged[(op.poll_id, op.voter_key)] = (result.ballot, op.voter_id, op.now_iso)
            if staged:
                if self.db.postgres:
                    await self._write_pg(conn, staged)
                else:
                    await self._write_sqlite(conn, staged)
        self.batches += 1
        for (poll_id, key), (ballot, _voter_id, _when) in staged.items():
            cache = self._ballots.get(poll_id)
            if cache is None:
                continue
            if ballot:
                cache[key] = ballot
            else:
                cache.pop(key, None)
        return results

    async def _write_sqlite(self, conn: Any, staged: dict[tuple[int, str], _Staged]) -> None:
        """Replace the changed voters' rows (one process writes SQLite: its cache is the truth)."""
        await conn.executemany("DELETE FROM poll_votes WHERE poll_id = ? AND voter_key = ?", list(staged))
        await conn.executemany(
            "INSERT INTO poll_votes (poll_id, voter_key, position, voter_id, voted_at) VALUES (?,?,?,?,?)",
            [(poll_id, key, position, voter_id, when)
             for (poll_id, key), (ballot, voter_id, when) in staged.items() for position in ballot])
        await conn.executemany(  # the poll message now shows stale counts until it is edited
            "UPDATE polls SET content_version = content_version + 1 WHERE id = ?",
            [(poll_id,) for poll_id in {poll_id for poll_id, _key in staged}])

    async def _write_pg(self, conn: Any, staged: dict[tuple[int, str], _Staged]) -> None:
        """The batch's net change in ONE statement: the positions voters left, the ones they took (the two sets
        are disjoint: ballots were re-read under the poll lock) and the content version. Fewer round trips
        while the poll row is locked is what lets two processes' batches take turns quickly."""
        gone: list[tuple[int, str, int]] = []
        added: list[tuple[int, str, int, int | None, str]] = []
        for (poll_id, key), (ballot, voter_id, when) in staged.items():
            before = self._ballots.get(poll_id, {}).get(key, ())
            gone += [(poll_id, key, position) for position in before if position not in ballot]
            added += [(poll_id, key, position, voter_id, when) for position in ballot if position not in before]
        await conn.execute(
            "WITH gone AS (DELETE FROM poll_votes WHERE ctid = ANY(ARRAY(SELECT v.ctid FROM"
            " unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[])) AS k(p, key, pos)"
            f" CROSS JOIN LATERAL ({_VOTES_OF_KEY} AND poll_id = k.p AND position = k.pos OFFSET 0) AS v))),"
            " shown AS (UPDATE polls SET content_version = content_version + 1 WHERE id = ANY(CAST(? AS bigint[])))"
            " INSERT INTO poll_votes (poll_id, voter_key, position, voter_id, voted_at)"
            " SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]),"
            " CAST(? AS bigint[]), CAST(? AS text[]))",
            (*_columns(gone, 3), sorted({poll_id for poll_id, _key in staged}), *_columns(added, 5)))

    async def ballot(self, poll_id: int, voter_key: str) -> tuple[int, ...]:
        cache = self._ballots.get(poll_id)
        if cache is not None and not self.db.postgres:  # PostgreSQL's cache holds recent voters only
            return cache.get(voter_key, ())
        rows = await self.db.fetchall(
            "SELECT position FROM poll_votes WHERE poll_id = ? AND voter_key = ? ORDER BY position", (poll_id, voter_key)
        )
        return tuple(r["position"] for r in rows)

    async def tally(self, poll: Poll) -> Tally:
        counts = [0] * len(poll.options)
        rows = await self.db.fetchall(
            "SELECT position, count(*) AS n FROM poll_votes WHERE poll_id = ? GROUP BY position", (poll.id,)
        )
        for row in rows:
            if 0 <= row["position"] < len(counts):
                counts[row["position"]] = row["n"]
        voters = await self.db.scalar(
            "SELECT count(DISTINCT voter_key) FROM poll_votes WHERE poll_id = ?", (poll.id,)
        )
        return Tally(counts=tuple(counts), voters=int(voters or 0))

    # ------------------------------------------------------------------ predictions
    async def resolve(self, poll_id: int, correct: tuple[int, ...], by: str, now: datetime) -> tuple[Poll, int]:
        """Record the correct options and (re)compute points; returns the poll and how many scored > 0."""
        correct_set = set(correct)
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE poll_options SET correct = 0 WHERE poll_id = ?", (poll_id,))
            await conn.executemany(
                "UPDATE poll_options SET correct = 1 WHERE poll_id = ? AND position = ?",
                [(poll_id, p) for p in sorted(correct_set)],
            )
            await conn.execute(
                "UPDATE polls SET resolved_at = ?, resolved_by = ?, content_version = content_version + 1"
                " WHERE id = ?", (to_iso(now), by, poll_id)
            )
            await conn.execute("DELETE FROM poll_points WHERE poll_id = ?", (poll_id,))
            async with conn.execute("SELECT guild_id, anonymous FROM polls WHERE id = ?", (poll_id,)) as cur:
                guild_id, anonymous = await cur.fetchone()
            scored = 0
            if not anonymous:
                per_user: dict[int, list[int]] = {}
                async with conn.execute(
                    "SELECT voter_id, position FROM poll_votes WHERE poll_id = ? AND voter_id IS NOT NULL", (poll_id,)
                ) as cur:
                    for voter_id, position in await cur.fetchall():
                        per_user.setdefault(voter_id, []).append(position)
                rows = score_ballots({u: tuple(p) for u, p in per_user.items()}, correct_set)
                await conn.executemany(
                    "INSERT INTO poll_points (poll_id, guild_id, user_id, picks, hits, points) VALUES (?,?,?,?,?,?)",
                    [(poll_id, guild_id, user_id, picks, hits, pts) for user_id, picks, hits, pts in rows],
                )
                scored = sum(1 for row in rows if row[3] > 0)
            self._polls.pop(poll_id, None)
        poll = await self.get(poll_id)
        assert poll is not None
        return poll, scored

    # ------------------------------------------------------------------ the poll message in step
    async def message_versions(self, poll_id: int) -> tuple[int, int]:
        """(content, shown): read before rendering the poll message, and pass ``content`` to :meth:`mark_shown`
        once the edit went out. ``shown >= content``: the message already shows all the poll holds."""
        row = await self.db.fetchone("SELECT content_version, shown_version FROM polls WHERE id = ?", (poll_id,))
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    async def claim_edit(self, poll_id: int, now: datetime, hold: timedelta) -> datetime | None:
        """Take the poll message's edit slot until ``now + hold`` with ONE atomic conditional UPDATE: of several
        processes asking at once exactly one gets it, and nobody else before it runs out. Returns None when
        the caller holds it now (edit at once), else when the current holder's slot runs out (ask again then).
        Each process's clock sets the slot: keep the machines of a cluster on NTP."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE polls SET next_edit_ms = ? WHERE id = ? AND (next_edit_ms IS NULL OR next_edit_ms <= ?)"
                " RETURNING id", (_ms(now + hold), poll_id, _ms(now)))
            if await cur.fetchall():
                return None
            async with conn.execute("SELECT next_edit_ms FROM polls WHERE id = ?", (poll_id,)) as cur:
                row = await cur.fetchone()
        return now + hold if row is None else _EPOCH + timedelta(milliseconds=row[0])

    async def mark_shown(self, poll_id: int, version: int) -> None:
        await self.db.write("UPDATE polls SET shown_version = ? WHERE id = ? AND shown_version < ?", (version, poll_id, version))

    async def give_up_message(self, poll_id: int) -> None:
        """The poll message can no longer be edited: stop owing it the current content (no catch-up)."""
        await self.db.write("UPDATE polls SET shown_version = content_version WHERE id = ?", (poll_id,))

    async def stale_messages(self, limit: int = 1000) -> list[int]:
        """Posted polls whose message shows less than they hold (partial index ``polls_stale``)."""
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE shown_version < content_version AND message_id IS NOT NULL ORDER BY id LIMIT ?",
            (limit,),
        )
        return [r["id"] for r in rows]

    async def unresolved_season2(self, drama_id: int | None = None) -> list[tuple[int, str]]:
        """(poll id, drama season-2 status) for unresolved season-2 polls whose drama is now settled."""
        sql = (
            "SELECT p.id, d.season2_status FROM polls p JOIN dramas d ON d.id = p.drama_id"
            " WHERE p.kind = 'season2' AND p.resolved_at IS NULL AND d.season2_status IN ('confirmed', 'denied')"
        )
        params: tuple[Any, ...] = ()
        if drama_id is not None:
            sql += " AND p.drama_id = ?"
            params = (drama_id,)
        rows = await self.db.fetchall(sql + " ORDER BY p.id", params)
        return [(r["id"], r["season2_status"]) for r in rows]

    async def leaderboard(self, guild_id: int, limit: int = 10) -> list[Score]:
        rows = await self.db.fetchall(
            "SELECT user_id, sum(points) AS pts, count(*) AS n, sum(CASE WHEN hits > 0 THEN 1 ELSE 0 END) AS h FROM poll_points"
            " WHERE guild_id = ? GROUP BY user_id ORDER BY pts DESC, h DESC, user_id LIMIT ?",
            (guild_id, limit),
        )
        return [Score(r["user_id"], r["pts"], r["n"], r["h"]) for r in rows]

    async def stats(self, guild_id: int, user_id: int) -> tuple[Score, int | None]:
        """A member's score and rank in the server (None when they have no resolved predictions)."""
        row = await self.db.fetchone(
            "SELECT coalesce(sum(points), 0) AS pts, count(*) AS n, coalesce(sum(CASE WHEN hits > 0 THEN 1 ELSE 0 END), 0) AS h"
            " FROM poll_points WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        score = Score(user_id, row["pts"], row["n"], row["h"])
        if not score.predictions:
            return score, None
        ahead = await self.db.scalar(
            "SELECT count(*) FROM (SELECT user_id FROM poll_points WHERE guild_id = ? GROUP BY user_id"
            " HAVING sum(points) > ?) AS ahead",
            (guild_id, score.points),
        )
        return score, int(ahead) + 1

    # ------------------------------------------------------------------ fan theories
    async def theories(self, drama_id: int, guild_id: int | None) -> list[tuple[int, str]]:
        """Catalog theories (guild_id NULL) first, then the ones this server added, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id, text FROM fan_theories WHERE drama_id = ? AND (guild_id IS NULL OR guild_id = ?)"
            " ORDER BY guild_id IS NOT NULL, id",
            (drama_id, guild_id),
        )
        return [(r["id"], r["text"]) for r in rows]

    async def add_theory(self, drama_id: int, guild_id: int, text: str, source: str, now: datetime) -> bool:
        """Add a server's theory; False when the same text (any case) is already there."""
        existing = {t.casefold() for _id, t in await self.theories(drama_id, guild_id)}
        if text.casefold() in existing:
            return False
        await self.db.write(
            "INSERT INTO fan_theories (drama_id, text, source, guild_id, created_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (drama_id, text, source, guild_id, to_iso(now)),
        )
        return True

    # ------------------------------------------------------------------ privacy contract
    async def _anonymous_keys(self, user_id: int, conn: aiosqlite.Connection | None = None) -> list[tuple[int, str]]:
        sql = "SELECT id FROM polls WHERE anonymous = 1"
        if conn is None:
            ids = [r["id"] for r in await self.db.fetchall(sql)]
        else:
            async with conn.execute(sql) as cur:
                ids = [r[0] for r in await cur.fetchall()]
        return [(poll_id, secrets_.voter_key(self.secret, poll_id, user_id)) for poll_id in ids]

    async def member_data(self, user_id: int) -> dict[str, int]:
        public = await self.db.scalar("SELECT count(*) FROM poll_votes WHERE voter_id = ?", (user_id,))
        anonymous = 0
        for poll_id, key in await self._anonymous_keys(user_id):
            anonymous += await self.db.scalar(
                "SELECT count(*) FROM poll_votes WHERE poll_id = ? AND voter_key = ?", (poll_id, key)
            )
        points = await self.db.scalar("SELECT count(*) FROM poll_points WHERE user_id = ?", (user_id,))
        created = await self.db.scalar("SELECT count(*) FROM polls WHERE creator_id = ?", (user_id,))
        return {"poll votes": public + anonymous, "prediction scores": points, "polls created": created}

    async def forget_member(self, conn: aiosqlite.Connection, user_id: int) -> None:
        """Delete a member's votes (public and anonymous) and points; their polls stay, unattributed."""
        anonymous = await self._anonymous_keys(user_id, conn)
        # Their polls' messages show counts that include them: caught up at the next start.
        await conn.execute(
            "UPDATE polls SET content_version = content_version + 1 WHERE id IN"
            " (SELECT DISTINCT poll_id FROM poll_votes WHERE voter_id = ?)", (user_id,)
        )
        await conn.executemany(
            "UPDATE polls SET content_version = content_version + 1 WHERE id = ?"
            " AND EXISTS (SELECT 1 FROM poll_votes WHERE poll_id = ? AND voter_key = ?)",
            [(poll_id, poll_id, key) for poll_id, key in anonymous],
        )
        await conn.execute("DELETE FROM poll_votes WHERE voter_id = ?", (user_id,))
        await conn.executemany("DELETE FROM poll_votes WHERE poll_id = ? AND voter_key = ?", anonymous)
        await conn.execute("DELETE FROM poll_points WHERE user_id = ?", (user_id,))
        await conn.execute("UPDATE polls SET creator_id = 0 WHERE creator_id = ?", (user_id,))
        self._polls.clear()
        self._ballots.clear()

    async def forget_guild(self, conn: aiosqlite.Connection, guild_id: int) -> None:
        await conn.execute("DELETE FROM polls WHERE guild_id = ?", (guild_id,))
        await conn.execute("DELETE FROM fan_theories WHERE guild_id = ?", (guild_id,))
        self._polls.clear()
        self._ballots.clear()

    def cached(self, poll_id: int) -> Poll | None:
        return self._polls.get(poll_id)

    def refresh(self, poll: Poll) -> Poll:
        """Keep the cache's copy when it exists (it is always at least as new)."""
        return self._polls.get(poll.id, poll)

