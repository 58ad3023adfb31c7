"""The poll message's edit slot (migration 0013), on SQLite and PostgreSQL: of several processes claiming it at
once exactly one gets it, nobody else before it runs out, and a database at schema 12 upgrades keeping its polls.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bot.polls import rules
from bot.polls.model import NewPoll
from bot.polls.throttle import EDIT_INTERVAL
from bot.store import Store, latest_version, migrations

T0 = datetime(2026, 1, 1, 0, 0, 0, 250_000, tzinfo=UTC)  # not on a whole second: milliseconds must round-trip
MS = timedelta(milliseconds=1)


async def two_stores(target) -> tuple[Store, Store]:
    """Two processes' stores on one database (each its own connection or pool)."""
    first = Store(target)
    await first.open()  # migrate once, before the second opens
    second = Store(target)
    await second.open()
    return first, second


async def test_one_of_two_processes_claims_a_polls_edit_slot_and_nobody_else_until_it_runs_out(store_target):
    a, b = await two_stores(store_target)
    try:
        poll = await a.polls.create(NewPoll(
            guild_id=1, channel_id=2, creator_id=3, question="Who?", options=rules.parse_options("x | y"),
            created_at=T0, closes_at=T0 + timedelta(days=1)))
        other = await a.polls.create(NewPoll(
            guild_id=1, channel_id=2, creator_id=3, question="When?", options=rules.parse_options("x | y"),
            created_at=T0, closes_at=T0 + timedelta(days=1)))
        # Ten claims from each process at the same instant: exactly one gets the slot.
        got = await asyncio.gather(*(s.polls.claim_edit(poll.id, T0, EDIT_INTERVAL) for s in [a, b] * 10))
        assert got.count(None) == 1
        assert set(got) == {None, T0 + EDIT_INTERVAL}  # the others learn when it runs out
        winner, loser = (a, b) if got.index(None) % 2 == 0 else (b, a)
        for later in (MS, timedelta(seconds=1), EDIT_INTERVAL - MS):  # held: not even its holder edits again
            assert await loser.polls.claim_edit(poll.id, T0 + later, EDIT_INTERVAL) == T0 + EDIT_INTERVAL
            assert await winner.polls.claim_edit(poll.id, T0 + later, EDIT_INTERVAL) == T0 + EDIT_INTERVAL
        assert await loser.polls.claim_edit(other.id, T0 + MS, EDIT_INTERVAL) is None  # each poll has its own
        # When it runs out, the other process takes it, for 2 s from its own claim.
        assert await loser.polls.claim_edit(poll.id, T0 + EDIT_INTERVAL, EDIT_INTERVAL) is None
        assert await winner.polls.claim_edit(poll.id, T0 + 3 * EDIT_INTERVAL // 2, EDIT_INTERVAL) \
            == T0 + 2 * EDIT_INTERVAL
        assert await winner.polls.claim_edit(poll.id, T0 + 2 * EDIT_INTERVAL, EDIT_INTERVAL) is None
    finally:
        await a.close()
        await b.close()


async def test_a_schema_12_database_upgrades_to_0013_keeping_its_polls(store_target):
    """0013 adds polls.next_edit_ms: existing polls keep their rows and message state, and their slot is free."""
    dialect = "sqlite" if isinstance(store_target, Path) else "postgres"
    schema = "\n".join(sql for number, _name, sql in migrations(dialect) if number <= 12)
    rows = """
        INSERT INTO polls (id, guild_id, channel_id, message_id, creator_id, question, created_at, closes_at,
                           content_version, shown_version)
            VALUES (5, 50, 60, 900, 70, 'Season 2?', '2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00', 3, 2);
        INSERT INTO poll_options (poll_id, position, label) VALUES (5, 0, 'Yes'), (5, 1, 'No');
        INSERT INTO poll_votes (poll_id, voter_key, position, voter_id, voted_at)
            VALUES (5, 'u:8', 1, 8, '2026-01-01T01:00:00+00:00');
    """
    if dialect == "sqlite":
        conn = sqlite3.connect(store_target)
        conn.executescript(schema + "\nPRAGMA user_version = 12;\n" + rows)
        conn.commit()
        conn.close()
    else:
        conn = await asyncpg.connect(store_target)
        try:
            await conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                               " INSERT INTO schema_version VALUES (12);")
            await conn.execute(schema)
            await conn.execute(rows)
        finally:
            await conn.close()
    async with Store(store_target) as store:
        assert await store.schema_version() == latest_version()
        assert await store.polls.message_versions(5) == (3, 2)
        assert await store.polls.stale_messages() == [5]  # still owed its catch-up edit
        assert await store.scalar("SELECT next_edit_ms FROM polls WHERE id = 5") is None
        poll = await store.polls.get(5)
        assert [o.label for o in poll.options] == ["Yes", "No"]
        assert (await store.polls.tally(poll)).counts == (0, 1)
        assert await store.polls.claim_edit(5, T0, EDIT_INTERVAL) is None
        assert await store.polls.claim_edit(5, T0 + MS, EDIT_INTERVAL) == T0 + EDIT_INTERVAL
