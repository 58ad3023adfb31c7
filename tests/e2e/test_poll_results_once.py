"""A closed poll's results are posted exactly once, even when the process dies between closing the poll and
posting (or recording) its results: the next closer looks on Discord first (issue 13)."""

from __future__ import annotations

from bot.polls.model import to_iso
from tests.e2e.test_polls import custom_poll, poll_id, vote


def results(world, msg) -> list:
    title = f"Results of poll #{poll_id(msg)}"
    return [m for m in world.polls.history() if m.embeds and m.embeds[0].title == title]


async def test_results_owed_by_a_process_that_died_after_the_close_are_posted_once(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    await vote(world.fan, msg, 2)
    # The crash window: the close committed (holding the results for its process), nothing posted.
    env.bot.get_cog("Polls").closer.cancel()
    await env.bot.store.polls.close(poll_id(msg), env.now())
    await env.restart_bot(bot_factory())
    await env.advance_time(30)
    assert results(world, msg) == []  # the dead process's hold has not run out yet
    await env.advance_time(60)
    [posted] = results(world, msg)
    assert "1 voter" in posted.embeds[0].description
    assert await env.bot.store.scalar("SELECT results_message_id FROM polls WHERE id = ?", (poll_id(msg),)) == posted.id
    await env.restart_bot(bot_factory())
    await env.advance_time(120)
    assert len(results(world, msg)) == 1


async def test_results_that_reached_discord_before_the_crash_are_not_posted_again(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    await env.advance_time(3601)
    [posted] = results(world, msg)
    # The crash window: the results are on Discord, their record was never written.
    await env.bot.store.write("UPDATE polls SET results_message_id = NULL, results_claim_until = ? WHERE id = ?",
                              (to_iso(env.now()), poll_id(msg)))
    await env.restart_bot(bot_factory())
    await env.advance_time(60)
    assert [m.id for m in results(world, msg)] == [posted.id]
    assert await env.bot.store.scalar("SELECT results_message_id FROM polls WHERE id = ?", (poll_id(msg),)) == posted.id
