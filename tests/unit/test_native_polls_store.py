"""Migration 0009 (native polls) upgrades a schema-8 database holding polls; a native poll's final votes are
stored with its close, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.polls.model import NewPoll, Option
from bot.store import Store, latest_version
from tests.schema import sqlite_at


async def test_a_schema_8_database_upgrades_keeping_its_polls_as_button_polls(tmp_path):
    path = sqlite_at(tmp_path / "v8.sqlite3", 8, """
        INSERT INTO polls (id, guild_id, channel_id, creator_id, question, created_at, closes_at)
            VALUES (5, 50, 60, 70, 'Season 2?', '2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00');
        INSERT INTO poll_options (poll_id, position, label) VALUES (5, 0, 'Yes'), (5, 1, 'No');
        INSERT INTO poll_votes (poll_id, voter_key, position, voter_id, voted_at)
            VALUES (5, '7', 1, 7, '2026-01-02T00:00:00+00:00');
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        poll = await store.polls.get(5)
        assert poll is not None and not poll.native and [o.label for o in poll.options] == ["Yes", "No"]
        assert (await store.polls.tally(poll)).counts == (0, 1)


async def test_a_native_polls_votes_are_stored_with_its_close_exactly_once(tmp_path):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with Store(tmp_path / "db.sqlite3") as store:
        poll = await store.polls.create(NewPoll(
            guild_id=1, channel_id=2, creator_id=3, question="Q?", created_at=now, closes_at=now + timedelta(hours=1),
            options=(Option(0, "a"), Option(1, "b"), Option(2, "c")), max_choices=3, native=True))
        assert poll.native
        closed = await store.polls.close(poll.id, now + timedelta(hours=1), {10: (0, 2), 11: (1,)})
        assert closed is not None and closed.is_closed
        assert await store.polls.close(poll.id, now + timedelta(hours=2), {10: (1,)}) is None  # already closed
        tally = await store.polls.tally(closed)
        assert tally.counts == (1, 1, 1) and tally.voters == 2
