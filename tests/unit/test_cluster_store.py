"""Two bot processes on one PostgreSQL database (two stores, each its own pool: what two processes share is
the database): deliveries claimed exactly once, a stopped process's claims taken over, votes counted exactly,
leases held by one process at a time and taken over when the holder stops renewing.
"""

from __future__ import annotations

import asyncio
import random
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from bot.polls import rules
from bot.polls.ballot import SET, VoteOp
from bot.polls.model import NewPoll
from bot.schedule.slots import Episode
from bot.store import Store, latest_version, migrations
from bot.store.polls import RESULTS_HOLD_SECONDS
from bot.store.schedule import CLAIM_SECONDS
from tests.conftest import fresh_database
from tests.schema import sqlite_at

T0 = 1_767_225_600  # 2026-01-01 00:00 UTC
GUILDS = [(n + 1) << 22 for n in range(6)]  # six servers, spread over two shards (shard = (id >> 22) % 2)


@pytest.fixture
async def two_processes(pg_server):
    name = fresh_database(pg_server)
    url = pg_server.url(name)
    stores = [Store(url), Store(url)]
    await asyncio.gather(*(s.open() for s in stores))  # they migrate together: once
    for s in stores:
        s.polls.configure_secret("cluster-secret")
    yield stores
    for s in stores:
        await s.close()
    pg_server.sql(f"DROP DATABASE {name} WITH (FORCE)")


async def schedule_world(store: Store) -> None:
    drama_id = await store.write("INSERT INTO dramas (slug, title) VALUES ('c-2026', 'C') RETURNING id")
    episodes = [Episode(number=n, air_at=T0 + 3600 * n) for n in range(1, 9)]
    await store.schedule.replace_episodes(drama_id, episodes, T0)
    for guild_id in GUILDS:
        await store.schedule.follow(guild_id, drama_id, channel_id=guild_id + 1, role_id=None, remind_minutes=30,
                                    threads=False, events=False, created_by=1, now=T0)
    await store.schedule.add_reminder(777, drama_id, 10, None, T0)


class Discord:
    """What reached Discord, by delivery id (the markers a restarted process looks for)."""

    def __init__(self) -> None:
        self.sent: dict[int, int] = {}

    def send(self, delivery_id: int) -> None:
        self.sent[delivery_id] = self.sent.get(delivery_id, 0) + 1


async def announcer_pass(store: Store, name: str, discord: Discord, now: int, shards, rng: random.Random) -> bool:
    """One pass of the announcer's protocol; returns False when this 'process' was killed during it."""
    await store.schedule.recover_claimed(expired_at=now)
    while True:
        rows = await store.schedule.due(now, 5, shards=shards)
        if not rows:
            return True
        claimed = await store.schedule.claim([r["id"] for r in rows], now, by=name)
        for row in rows:
            if row["id"] not in claimed:
                continue
            fate = rng.random()
            if fate < 0.08:
                return False  # killed after the claim, before sending
            if row["attempts"] >= 1 and row["id"] in discord.sent:  # look on Discord before resending
                await store.schedule.mark_sent(row["id"], now, channel_id=None, message_id=1, note="found")
                continue
            discord.send(row["id"])
            if fate < 0.16:
                return False  # killed after sending, before recording it
            await store.schedule.mark_sent(row["id"], now, channel_id=None, message_id=1)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_two_processes_killed_at_random_deliver_everything_exactly_once(two_processes, seed):
    a, b = two_processes
    await schedule_world(a)
    total = await a.scalar("SELECT count(*) FROM deliveries")
    assert total == 8 * (2 * len(GUILDS) + 1)  # announce + remind per server, one DM each episode
    discord, rng = Discord(), random.Random(seed)
    halves = [(2, (0,)), (2, (1,))]  # process A runs shard 0, process B shard 1
    now = T0
    while now <= T0 + 10 * 3600 + 2 * CLAIM_SECONDS:
        # Both processes pass at the same moment; a killed one comes back at the next step (a restart).
        await asyncio.gather(announcer_pass(a, "cluster-0", discord, now, halves[0], rng),
                             announcer_pass(b, "cluster-1", discord, now, halves[1], rng))
        now += 60
    states = {r["state"] for r in await a.fetchall("SELECT state FROM deliveries")}
    assert states == {"sent"}
    assert len(discord.sent) == total and set(discord.sent.values()) == {1}, "a delivery was sent twice"
    # Each server's messages came from the process whose shard holds it; DMs from either.
    for row in await a.fetchall("SELECT target_id, kind FROM deliveries"):
        assert row["kind"] == "dm" or row["target_id"] in GUILDS


async def new_poll(store: Store, *, guild_id: int = 1, options: str = "x | y"):
    """An open poll created 2026-01-01, closing 2026-01-02."""
    return await store.polls.create(NewPoll(
        guild_id=guild_id, channel_id=2, creator_id=3, question="Who?", options=rules.parse_options(options),
        created_at=datetime(2026, 1, 1, tzinfo=UTC), closes_at=datetime(2026, 1, 2, tzinfo=UTC)))


async def test_concurrent_claims_of_the_same_rows_are_exclusive(two_processes):
    a, b = two_processes
    await schedule_world(a)
    ids = [r["id"] for r in await a.fetchall("SELECT id FROM deliveries")]
    got_a, got_b = await asyncio.gather(a.schedule.claim(ids, T0), b.schedule.claim(ids[::-1], T0))
    assert not got_a & got_b and got_a | got_b == set(ids)


async def test_votes_through_both_processes_are_counted_exactly(two_processes):
    a, b = two_processes
    poll = await new_poll(a, options="x | y | z")
    now = "2026-01-01T01:00:00+00:00"
    rng = random.Random(7)
    expected: dict[str, tuple[int, ...]] = {}
    ops: list[tuple[Store, VoteOp]] = []
    for voter in range(400):
        key = str(voter)
        for _ in range(rng.choice([1, 1, 2, 3])):  # some members change their vote, through either process
            position = rng.randrange(3)
            ops.append((rng.choice([a, b]), VoteOp(poll.id, key, voter, SET, position, now)))
    # Apply in waves: every op of a wave runs concurrently in both processes; one voter has one op per wave.
    waves: list[list[tuple[Store, VoteOp]]] = []
    for store, op in ops:
        for wave in waves:
            if all(o.voter_key != op.voter_key for _s, o in wave):
                wave.append((store, op))
                break
        else:
            waves.append([(store, op)])
    for wave in waves:
        results = await asyncio.gather(*(store.polls.vote(op) for store, op in wave))
        for (_store, op), result in zip(wave, results, strict=True):
            assert result.outcome == "ok"
            expected[op.voter_key] = result.ballot
    tally = await a.polls.tally(poll)
    assert tally.voters == 400
    assert list(tally.counts) == [sum(1 for ballot in expected.values() if p in ballot) for p in range(3)]
    # Every voter moves to another option, each through the process it did NOT use last: each process
    # must see the ballot the other stored (a stale cache would count a voter twice or lose a move).
    last_store = {op.voter_key: store for store, op in ops}
    moves = []
    for key, ballot in expected.items():
        store = b if last_store[key] is a else a
        moves.append(store.polls.vote(VoteOp(poll.id, key, int(key), SET, (ballot[0] + 1) % 3, now)))
    for result in await asyncio.gather(*moves):
        assert result.outcome == "ok" and result.changed
    tally = await b.polls.tally(poll)
    assert tally.voters == 400
    assert list(tally.counts) == [sum(1 for ballot in expected.values() if (ballot[0] + 1) % 3 == p)
                                  for p in range(3)]
    # "Show my vote" through either process gives the move the other process stored (no stale cache).
    for key, ballot in expected.items():
        moved = ((ballot[0] + 1) % 3,)
        assert (await a.polls.ballot(poll.id, key), await b.polls.ballot(poll.id, key)) == (moved, moved)


async def test_a_poll_closed_by_the_other_process_refuses_the_clicks_this_one_still_sees_open(two_processes):
    a, b = two_processes
    poll = await new_poll(a, options="x | y | z")
    now = "2026-01-01T01:00:00+00:00"
    assert (await a.polls.vote(VoteOp(poll.id, "1", 1, SET, 0, now))).outcome == "ok"  # A caches it open
    assert await b.polls.close(poll.id, datetime(2026, 1, 1, 2, tzinfo=UTC)) is not None
    moves = await asyncio.gather(a.polls.vote(VoteOp(poll.id, "1", 1, SET, 1, now)),
                                 a.polls.vote(VoteOp(poll.id, "2", 2, SET, 2, now)))
    assert [r.outcome for r in moves] == ["closed", "closed"]
    again = await a.polls.vote(VoteOp(poll.id, "1", 1, SET, 0, now))  # a click that would change nothing
    assert again.outcome == "closed"
    rows = await a.fetchall("SELECT voter_key, position FROM poll_votes WHERE poll_id = ?", (poll.id,))
    assert [(r["voter_key"], r["position"]) for r in rows] == [("1", 0)]
    assert (await a.polls.get(poll.id)).is_closed


async def test_a_lease_is_held_by_one_process_and_taken_over_when_its_holder_stops(two_processes):
    a, b = two_processes
    got = await asyncio.gather(a.leases.hold("sources-sync", "cluster-0", T0, 60),
                               b.leases.hold("sources-sync", "cluster-1", T0, 60))
    assert sorted(got) == [False, True]
    winner, loser = ("cluster-0", "cluster-1") if got[0] else ("cluster-1", "cluster-0")
    assert await a.leases.hold("sources-sync", winner, T0 + 30, 60)  # renewed by its holder
    assert not await b.leases.hold("sources-sync", loser, T0 + 60, 60)  # still held (renewed to T0 + 90)
    assert await b.leases.hold("sources-sync", loser, T0 + 90, 60)  # the holder stopped renewing: taken over
    assert await a.leases.holder("sources-sync", T0 + 100) == loser


async def test_a_schema_10_database_upgrades_to_0011_keeping_its_claims(tmp_path):
    """0011 adds claim_until/claimed_by and the leases table; a delivery claimed before it is still recovered."""
    path = sqlite_at(tmp_path / "v10.sqlite3", 10, """
        INSERT INTO dramas (id, slug, title) VALUES (1, 'd-2024', 'D');
        INSERT INTO episodes (id, drama_id, number, air_at) VALUES (7, 1, 1, 100000);
        INSERT INTO deliveries (id, target_id, episode_id, kind, due_at, state, attempts, claimed_at)
            VALUES (11, 50, 7, 'announce', 100000, 'claimed', 1, 99990);
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        row = await store.fetchone("SELECT state, claim_until, claimed_by FROM deliveries WHERE id = 11")
        assert tuple(row) == ("claimed", None, None)
        assert await store.schedule.recover_claimed(expired_at=1, mine="cluster-0") == 1  # nobody's: recovered
        assert await store.leases.hold("x", "main", 0, 10)


_TWO_POLLS = """
    INSERT INTO polls (id, guild_id, channel_id, creator_id, question, created_at, closes_at, closed_at) VALUES
        (5, 50, 60, 70, 'Closed?', '2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00',
         '2026-01-02T00:00:00+00:00'),
        (6, 50, 60, 70, 'Open?', '2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00', NULL);
"""


async def _upgraded_from_13(store: Store) -> None:
    """0014: polls closed before it count as having their results posted; an open poll owes them at its close."""
    assert await store.schema_version() == latest_version()
    rows = await store.fetchall("SELECT id, results_message_id, results_claim_until FROM polls ORDER BY id")
    assert [tuple(r) for r in rows] == [(5, 0, None), (6, None, None)]
    now = datetime(2026, 2, 1, 0, 1, tzinfo=UTC)
    assert await store.polls.results_owed(now) == []  # nothing owed for the old closed poll
    assert await store.polls.close(6, now) is not None
    assert await store.polls.results_owed(now) == []  # held by the process that closed it


async def test_a_schema_13_database_upgrades_to_0014_with_its_closed_polls_results_done(tmp_path):
    path = sqlite_at(tmp_path / "v13.sqlite3", 13, _TWO_POLLS)
    async with Store(path) as store:
        await _upgraded_from_13(store)


async def test_a_schema_13_postgres_database_upgrades_to_0014_with_its_closed_polls_results_done(pg_server):
    import asyncpg

    url = pg_server.url(fresh_database(pg_server))
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (13);")
        for number, _name, sql in migrations("postgres"):
            if number <= 13:
                await conn.execute(sql)
        await conn.execute(_TWO_POLLS)
    finally:
        await conn.close()
    async with Store(url) as store:
        await _upgraded_from_13(store)


async def test_owed_results_are_claimed_by_one_process_after_the_closers_hold(store_target):
    """A process that closed a poll holds its results post; when it died, one process (of several) takes it."""
    async with Store(store_target) as a, Store(store_target) as b:
        poll = await new_poll(a, guild_id=GUILDS[0])
        closed = datetime(2026, 1, 2, tzinfo=UTC)
        assert await a.polls.close(poll.id, closed) is not None
        later = closed + timedelta(seconds=RESULTS_HOLD_SECONDS)
        assert await b.polls.next_deadline() == later  # the closer wakes when the hold runs out
        assert await b.polls.results_owed(later - timedelta(seconds=1)) == []
        assert await b.polls.results_owed(later, shards=(2, (0,))) == []  # not this process's server (shard 1)
        assert await b.polls.results_owed(later) == [poll.id]
        got = [await b.polls.claim_results(poll.id, later), await a.polls.claim_results(poll.id, later)]
        assert got == [True, False]
        await b.polls.results_posted(poll.id, 99)
        assert await a.polls.results_owed(later + timedelta(hours=1)) == []
        assert await a.polls.next_deadline() is None


async def test_event_mirrors_and_poll_deadlines_are_each_processes_own(store_target):
    """A process brings only its own servers' scheduled events in step and wakes only for its own polls."""
    async with Store(store_target) as store:
        await schedule_world(store)
        for guild_id in GUILDS[:2]:
            await store.schedule.record_event(guild_id, 1, guild_id + 7, T0)
        await store.write("UPDATE guild_events SET dirty = 1")
        assert {r["guild_id"] for r in await store.schedule.dirty_events(shards=(2, (0,)))} == {GUILDS[1]}
        assert {r["guild_id"] for r in await store.schedule.dirty_events()} == set(GUILDS[:2])
        store.polls.configure_secret("k")
        await new_poll(store, guild_id=GUILDS[0])
        assert await store.polls.next_deadline(shards=(2, (0,))) is None
        assert await store.polls.next_deadline(shards=(2, (1,))) == datetime(2026, 1, 2, tzinfo=UTC)


async def test_claims_recover_after_their_hold_or_at_once_by_their_own_process(store_target):
    async with Store(store_target) as store:
        await schedule_world(store)
        ids = [r["id"] for r in await store.fetchall("SELECT id FROM deliveries ORDER BY id LIMIT 3")]
        assert await store.schedule.claim(ids, T0, hold=100, by="cluster-1") == set(ids)
        assert await store.schedule.recover_claimed(expired_at=T0 + 99, mine="cluster-0") == 0  # still held
        assert await store.schedule.claim(ids, T0, hold=100) == set()  # and not claimable
        assert await store.schedule.recover_claimed(expired_at=T0 + 1, mine="cluster-1") == 3  # its own, restarted
        assert await store.schedule.claim(ids, T0 + 2, hold=100, by="cluster-0") == set(ids)
        assert await store.schedule.recover_claimed(expired_at=T0 + 102) == 3  # hold ran out: taken over



async def test_db_copy_moves_sqlite_into_postgres_and_back_with_every_row(catalog_template, tmp_path, pg_server):
    from bot.cli import main

    source = tmp_path / "source.sqlite3"
    shutil.copyfile(catalog_template, source)
    async with Store(source) as store:
        await schedule_world(store)
        store.polls.configure_secret("k")
        poll = await new_poll(store)
        await store.polls.vote(VoteOp(poll.id, "9", 9, SET, 1, "2026-01-01T01:00:00+00:00"))
        before = {t: await store.scalar(f"SELECT count(*) FROM {t}") for t in ("dramas", "credits", "deliveries",
                                                                               "poll_votes", "facts")}
    url = pg_server.url(fresh_database(pg_server))
    assert await asyncio.to_thread(main, ["db", "copy", str(source), url]) == 0
    async with Store(url) as pg:
        assert {t: await pg.scalar(f"SELECT count(*) FROM {t}") for t in before} == before
        next_id = await pg.write("INSERT INTO polls (guild_id, channel_id, creator_id, question, created_at,"
                                 " closes_at) VALUES (1, 2, 3, 'q', 'a', 'b') RETURNING id")
        assert next_id > poll.id  # identities continue after the copied ids
        await pg.write("DELETE FROM polls WHERE id = ?", (next_id,))
        assert await pg.knowledge.search_facts(["season"], limit=1) is not None
    # a non-empty destination is refused, nothing changes
    assert await asyncio.to_thread(main, ["db", "copy", str(source), url]) == 2
    back = tmp_path / "back.sqlite3"
    assert await asyncio.to_thread(main, ["db", "copy", url, str(back)]) == 0
    async with Store(back) as copy:
        assert {t: await copy.scalar(f"SELECT count(*) FROM {t}") for t in before} == before
        hits = await copy.scalar("SELECT count(*) FROM facts_fts WHERE facts_fts MATCH 'season'")
        async with Store(source) as original:
            assert hits == await original.scalar("SELECT count(*) FROM facts_fts WHERE facts_fts MATCH 'season'")
