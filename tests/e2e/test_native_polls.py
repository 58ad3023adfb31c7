"""/poll create native:true: a Discord poll from creation to prediction points, within Discord's limits."""

from __future__ import annotations

import simcord

from bot.errors import BadInput

QUESTION = "Who ends up together in Lovely Runner?"


async def native_poll(world, **options):
    options = {"question": QUESTION, "options": "Sol | Sun-jae | Nobody", "hours": 2, "native": True, **options}
    result = await world.manager.slash(world.polls, "poll create", **options)
    assert not result.ephemeral, result.response.content
    return world.polls.last_message


async def test_a_discord_poll_from_creation_to_points(world, bot_factory):
    env = world.env
    message = await native_poll(world)
    assert message.poll is not None and message.poll.question == QUESTION
    assert [a.text for a in message.poll.answers] == ["Sol", "Sun-jae", "Nobody"]
    assert not message.components and "Poll #1" in message.content
    minji, jae, sora = world.fans
    await minji.vote(message, answer=2)
    await jae.vote(message, answer=1)
    await sora.vote(message, answer=2)
    await jae.vote(message, answer=2)  # jae changes his mind: Discord keeps one answer per member
    refused = await minji.slash(world.polls, "poll results", poll="1")
    assert refused.ephemeral and "live results are on the poll itself" in refused.response.content
    simcord.assert_error(env, BadInput)
    await env.restart_bot(bot_factory())  # the bot may be down meanwhile: Discord keeps the votes
    for _ in range(3):
        await env.advance_time(45 * 60)
    results = [m for m in world.polls.history() if m.embeds and "Results of poll #1" in (m.embeds[0].title or "")]
    assert len(results) == 1 and "3 voters" in results[0].embeds[0].description
    stored = await env.bot.store.fetchall("SELECT voter_id, position FROM poll_votes WHERE poll_id = 1 ORDER BY voter_id")
    assert sorted(tuple(r) for r in stored) == sorted([(minji.id, 1), (jae.id, 1), (sora.id, 1)])
    resolved = await world.manager.slash(world.polls, "poll resolve", poll="1", answer="Sun-jae")
    assert "3 members earned points" in resolved.response.content
    board = await minji.slash(world.polls, "poll leaderboard")
    assert "**10** points" in board.response.embeds[0].description


async def test_closing_a_discord_poll_early_ends_it_on_discord_and_keeps_its_votes(world):
    message = await native_poll(world, hours=24, multiple=3)
    assert message.poll.multiple
    minji = world.fans[0]
    await minji.vote(message, answer=1)
    await minji.vote(message, answer=3)
    closed = await world.manager.slash(world.polls, "poll close", poll="1")
    assert "Results of poll #1" in closed.response.embeds[0].title
    ended = next(m for m in world.polls.history() if m.id == message.id)
    assert ended.poll.is_finalised()
    rows = await world.env.bot.store.fetchall("SELECT position FROM poll_votes WHERE poll_id = 1 ORDER BY position")
    assert [r[0] for r in rows] == [0, 2]


async def test_beyond_discords_limits_a_discord_poll_is_refused_plainly(world):
    env = world.env
    cases = [
        ({"options": " | ".join(f"answer {n}" for n in range(11))}, "at most 10 answers"),
        ({"options": "Sol | " + "x" * 56}, "allows 55"),
        ({"hours": 0.5}, "whole hours, from 1 hour to 32 days"),
        ({"hours": 769}, "at most 32 days (768 hours)"),
        ({"hours": 1.5}, "whole hours, from 1 hour to 32 days"),
        ({"anonymous": True}, "no anonymous: option"),
        ({"role": world.watchers}, "no role: option"),
        ({"multiple": 2}, "one answer per member, or any number"),
    ]
    for options, expected in cases:
        opts = {"question": QUESTION, "options": "Sol | Sun-jae | Nobody", "hours": 2, "native": True, **options}
        result = await world.manager.slash(world.polls, "poll create", **opts)
        assert result.ephemeral and expected in result.response.content, (options, result.response.content)
        simcord.assert_error(env, BadInput)
    assert await env.bot.store.scalar("SELECT count(*) FROM polls") == 0
    ok = await world.manager.slash(world.polls, "poll create", question=QUESTION, options="a | b", hours=768,
                                   native=True)
    assert not ok.ephemeral
