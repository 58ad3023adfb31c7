"""The live count on a poll message: at most one edit per 2 s while votes stream in, through one process or
two on one database, and the last edit shows the exact final count.

SimCord hosts one bot per event loop, so the second process is its poll-message editor (the real code of
``cogs/_poll_edits.py``) over a second store on the same database, sending its edits through the same
Discord; its votes are committed through its own store, as a second process's clicks would be.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from bot.polls.ballot import SET, VoteOp
from bot.polls.model import to_iso
from bot.store import Store
from cogs._poll_edits import PollMessages
from tests.e2e.test_polls import cog, counts, custom_poll, fresh, poll_id, vote

STEP = 0.25  # seconds of simulated time between two looks at the message


class Edits:
    """Every edit of one message, with its time: looked at after each action, so two edits seen at one look
    would be two edits at one instant (a failure by itself)."""

    def __init__(self, world, message) -> None:
        self.env, self.channel, self.message = world.env, world.polls, message
        self.seen = self._patches()
        self.times: list[datetime] = []

    def _patches(self) -> int:
        return sum(1 for r in self.env.http_requests
                   if r.method == "PATCH" and r.path.endswith(f"/messages/{self.message.id}"))

    def look(self) -> None:
        now = self._patches()
        assert now - self.seen <= 1, "two edits of the poll message at one moment"
        if now > self.seen:
            self.times.append(fresh(self.channel, self.message).edited_at)
        self.seen = now

    def smallest_gap(self) -> timedelta:
        return min(b - a for a, b in zip(self.times, self.times[1:], strict=False))


async def test_votes_streaming_in_edit_the_message_at_most_once_per_2_s_and_the_last_edit_is_exact(world):
    env = world.env
    members = world.fans + [world.guild.add_member(env.create_user(f"fan{n}")) for n in range(5)]
    msg = await custom_poll(world, hours=1)
    edits, rng, last = Edits(world, msg), random.Random(13), {}
    for _step in range(32):  # 8 s: a click in most quarter-seconds
        if rng.random() < 0.8:
            member, choice = rng.choice(members), rng.randrange(3)
            await vote(member, msg, choice)
            last[member.id] = choice
            edits.look()
        await env.advance_time(STEP)
        edits.look()
    assert len(edits.times) >= 4 and edits.smallest_gap() >= timedelta(seconds=2)
    assert counts(fresh(world.polls, msg)) != _expected(last)  # the last clicks wait for the slot...
    for _step in range(12):
        await env.advance_time(STEP)
        edits.look()
    assert counts(fresh(world.polls, msg)) == _expected(last)  # ...and are shown when it runs out
    assert f"{len(last)} voters" in fresh(world.polls, msg).embeds[0].description
    assert edits.smallest_gap() >= timedelta(seconds=2)


async def test_two_processes_voting_into_one_poll_edit_its_message_at_most_once_per_2_s_in_all(world, db_path):
    env = world.env
    msg = await custom_poll(world, hours=1)
    pid = poll_id(msg)
    other_store = Store(db_path)  # the second process: its own connection to the same database
    await other_store.open()
    try:
        other = PollMessages(env.bot, other_store)
        edits, rng, last = Edits(world, msg), random.Random(7), {}

        async def vote_through_a(member, choice: int) -> None:  # a click on the message, served by this bot
            await vote(member, msg, choice)
            last[member.id] = choice
            edits.look()

        async def vote_through_b(voter: int, choice: int) -> None:  # a click that process B's shards received
            poll = await other_store.polls.get(pid)
            op = VoteOp(pid, other_store.polls.voter_key(poll, voter), voter, SET, choice, to_iso(env.now()))
            assert (await other_store.polls.vote(op)).outcome == "ok"  # committed...
            last[voter] = choice
            other.throttle.mark(pid)  # ...so B owes the message an edit

        async def tick(steps: int) -> None:
            for _step in range(steps):
                await other.flush_due()  # process B's flusher round
                edits.look()
                await env.advance_time(STEP)  # process A's flusher runs in here
                edits.look()

        for _step in range(40):  # 10 s; each process takes a click in most quarter-seconds
            if rng.random() < 0.7:
                await vote_through_a(rng.choice(world.fans), rng.randrange(3))
            if rng.random() < 0.7:
                await vote_through_b(1000 + rng.randrange(6), rng.randrange(3))
            await tick(1)
        await tick(12)  # no more votes: whoever owes the last edit makes it
        assert counts(fresh(world.polls, msg)) == _expected(last)
        assert other.edits >= 1 and cog(env).messages.edits >= 1  # both processes edited the message
        # The trailing edit: A edits at once for its click and holds the slot; a vote B takes right after is
        # not on that edit, and B loses the claim: B still owes the edit and makes it when the slot runs out.
        b_edits = other.edits
        await vote_through_a(world.fans[0], (last[world.fans[0].id] + 1) % 3)
        await vote_through_b(1000, (last.get(1000, 0) + 1) % 3)
        assert counts(fresh(world.polls, msg)) != _expected(last)
        await tick(12)
        assert other.edits == b_edits + 1
        assert counts(fresh(world.polls, msg)) == _expected(last)  # every vote, through either, shown
        assert edits.smallest_gap() >= timedelta(seconds=2)  # never two edits within 2 s, between both
        assert len(edits.times) == other.edits + cog(env).messages.edits
        assert not other.throttle.pending and not cog(env).messages.throttle.pending
    finally:
        await other_store.close()


def _expected(last: dict[int, int]) -> list[int]:
    tally = Counter(last.values())
    return [tally[p] for p in range(3)]
