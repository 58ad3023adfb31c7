"""The poll store: group-committed votes, closing races, privacy, and a real kill -9 mid-burst."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.polls import rules
from bot.polls.ballot import CLEAR, CLOSED, OK, SET, TOGGLE, VoteOp
from bot.polls.model import NewPoll, to_iso
from bot.store import Store

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = to_iso(T0)
CHILD = Path(__file__).resolve().parent.parent / "polls_crash_child.py"


def new_poll(**kw) -> NewPoll:
    base = dict(guild_id=1, channel_id=2, creator_id=3, question="Who?", options=rules.parse_options("a | b | c"),
                created_at=T0, closes_at=T0 + timedelta(hours=1))
    base.update(kw)
    return NewPoll(**base)


@pytest.fixture
async def store(store_target):
    s = Store(store_target)
    await s.open()
    s.polls.configure_secret("unit-secret")
    yield s
    await s.close()


async def test_concurrent_votes_are_group_committed_and_all_counted(store):
    poll = await store.polls.create(new_poll())
    results = await asyncio.gather(*(
        store.polls.vote(VoteOp(poll.id, str(v), v, SET, v % 3, NOW)) for v in range(600)
    ))
    assert all(r.outcome == OK for r in results)
    assert store.polls.batches < 20  # many votes per commit
    tally = await store.polls.tally(poll)
    assert tally.counts == (200, 200, 200) and tally.voters == 600
    # Same vote again: idempotent, nothing double-counted.
    again = await store.polls.vote(VoteOp(poll.id, "5", 5, SET, 2, NOW))
    assert again.outcome == OK and not again.changed
    assert await store.scalar("SELECT count(*) FROM poll_votes") == 600


async def test_multiple_choice_changes_in_one_batch_store_exactly_the_final_ballots(store):
    """A batch writes each voter's net change (PostgreSQL: only the positions left and taken, in one
    statement): an option dropped and taken again inside one batch, or kept, must be stored once."""
    poll = await store.polls.create(new_poll(max_choices=3))
    for position in (0, 1):
        await store.polls.vote(VoteOp(poll.id, "1", 1, TOGGLE, position, NOW))
    await store.polls.vote(VoteOp(poll.id, "2", 2, TOGGLE, 2, NOW))
    ops = [VoteOp(poll.id, "1", 1, TOGGLE, 1, NOW), VoteOp(poll.id, "1", 1, TOGGLE, 2, NOW),
           VoteOp(poll.id, "1", 1, TOGGLE, 1, NOW),  # voter 1: (0, 1) -> (0,) -> (0, 2) -> (0, 1, 2)
           VoteOp(poll.id, "2", 2, SET, 0, NOW),  # voter 2: (2,) -> (0,)
           VoteOp(poll.id, "3", 3, TOGGLE, 1, NOW), VoteOp(poll.id, "3", 3, CLEAR, None, NOW)]  # 3: nothing
    batches = store.polls.batches
    results = await asyncio.gather(*(store.polls.vote(op) for op in ops))
    assert store.polls.batches == batches + 1  # all six clicks in one transaction
    assert [r.ballot for r in results] == [(0,), (0, 2), (0, 1, 2), (0,), (1,), ()]
    rows = await store.fetchall("SELECT voter_key, position FROM poll_votes WHERE poll_id = ?"
                                " ORDER BY voter_key, position", (poll.id,))
    assert [(r["voter_key"], r["position"]) for r in rows] == [("1", 0), ("1", 1), ("1", 2), ("2", 0)]
    assert (await store.polls.tally(poll)).counts == (2, 1, 1)


async def test_votes_after_close_or_deadline_are_refused(store):
    poll = await store.polls.create(new_poll(max_choices=2))
    assert (await store.polls.vote(VoteOp(poll.id, "1", 1, TOGGLE, 0, NOW))).ballot == (0,)
    late = to_iso(T0 + timedelta(hours=1))
    assert (await store.polls.vote(VoteOp(poll.id, "1", 1, TOGGLE, 1, late))).outcome == CLOSED
    pending = store.polls.vote(VoteOp(poll.id, "2", 2, TOGGLE, 1, NOW))
    closing = store.polls.close(poll.id, T0 + timedelta(minutes=5))
    vote_result, closed = await asyncio.gather(pending, closing)
    assert closed is not None and closed.is_closed
    # Whichever took the writer lock first wins; a vote is never accepted after the close committed.
    accepted = vote_result.outcome == OK
    assert accepted or vote_result.outcome == CLOSED
    assert (await store.polls.vote(VoteOp(poll.id, "3", 3, TOGGLE, 1, NOW))).outcome == CLOSED
    assert await store.polls.close(poll.id, T0) is None  # already closed
    assert (await store.polls.tally(closed)).counts == (1, int(accepted), 0)
    assert await store.polls.due(T0 + timedelta(days=1)) == []


async def test_privacy_contract_finds_and_forgets_public_and_anonymous_votes(store):
    public = await store.polls.create(new_poll())
    secret = await store.polls.create(new_poll(anonymous=True))
    await store.polls.vote(VoteOp(public.id, "42", 42, SET, 0, NOW))
    await store.polls.vote(VoteOp(secret.id, store.polls.voter_key(secret, 42), None, SET, 1, NOW))
    await store.polls.vote(VoteOp(secret.id, store.polls.voter_key(secret, 43), None, SET, 1, NOW))
    assert (await store.polls.member_data(42))["poll votes"] == 2
    async with store.transaction() as conn:
        await store.polls.forget_member(conn, 42)
    assert (await store.polls.member_data(42))["poll votes"] == 0
    assert await store.scalar("SELECT count(*) FROM poll_votes") == 1
    await store.polls.vote(VoteOp(public.id, "44", 44, CLEAR, None, NOW))
    async with store.transaction() as conn:
        await store.polls.forget_guild(conn, 1)
    assert await store.scalar("SELECT count(*) FROM polls") == 0


def test_kill_9_mid_burst_loses_no_acknowledged_vote_and_counts_none_twice(tmp_path):
    db = tmp_path / "crash.sqlite3"

    async def setup() -> int:
        async with Store(db) as s:
            return (await s.polls.create(new_poll())).id

    poll_id = asyncio.run(setup())
    voters = 200_000
    child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(poll_id), str(voters)],
                             stdout=subprocess.PIPE, text=True, bufsize=1)
    acked: dict[int, list[int]] = {}
    try:
        assert child.stdout.readline().strip() == "ready"
        count = 0
        for line in child.stdout:
            kind, voter, position = line.split()
            acked.setdefault(int(voter), []).append(int(position))
            count += 1
            if count >= 3000:
                os.kill(child.pid, signal.SIGKILL)  # mid-burst: many votes queued, some mid-commit
                break
        rest = child.stdout.read()  # acks printed before the kill landed still count
        for line in rest.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                _, voter, position = parts
                acked.setdefault(int(voter), []).append(int(position))
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)  # reopening runs WAL recovery
    try:
        rows = conn.execute("SELECT voter_key, position FROM poll_votes WHERE poll_id = ?", (poll_id,)).fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    stored: dict[int, list[int]] = {}
    for key, position in rows:
        stored.setdefault(int(key), []).append(position)
    assert all(len(p) == 1 for p in stored.values()), "a voter counted twice in a single-choice poll"
    for voter, positions in acked.items():
        first, second = voter % 3, (voter + 1) % 3
        assert positions == [first, second][: len(positions)]
        assert voter in stored, f"acknowledged vote of {voter} lost"
        if len(positions) == 2:
            assert stored[voter] == [second]
        else:
            assert stored[voter][0] in (first, second)
    assert set(stored) <= set(range(voters))
    assert len(acked) > 1000
