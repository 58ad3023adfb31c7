"""Poll messages never keep stale counts across a restart or a shutdown (a debounced edit was pending)."""

from __future__ import annotations

from tests.e2e.test_polls import cog, counts, custom_poll, fresh, vote


async def test_restart_catches_up_a_pending_edit_once(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    minji, jae, sora = world.fans
    await vote(minji, msg, 0)  # shown at once (leading edit)
    await vote(jae, msg, 2)  # debounced: the edit is due in 2 s...
    await vote(sora, msg, 2)
    assert counts(fresh(world.polls, msg)) == [1, 0, 0]
    await env.restart_bot(bot_factory())  # ...when the process dies
    # The stored edit slot the old process took with its leading edit still holds: the restarted one edits
    # when it runs out (at most one edit per 2 s, even across a restart).
    assert counts(fresh(world.polls, msg)) == [1, 0, 0]
    await env.advance_time(2)
    assert counts(fresh(world.polls, msg)) == [1, 0, 2]
    assert cog(env).messages.edits == 1
    # Up to date now: the next start edits nothing.
    await env.restart_bot(bot_factory())
    await env.advance_time(2)
    assert cog(env).messages.edits == 0


async def test_a_poll_closed_just_before_a_restart_shows_its_closed_state(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    await vote(world.fan, msg, 1)
    await world.manager.slash(world.polls, "poll close", poll=msg.embeds[0].title.split("#")[1])
    assert not fresh(world.polls, msg).components[0].children[0].disabled
    await env.restart_bot(bot_factory())
    await env.advance_time(2)  # the slot taken by the vote's edit runs out
    shown = fresh(world.polls, msg)
    assert "Closed" in shown.embeds[0].description and shown.components[0].children[0].disabled


async def test_unloading_the_cog_flushes_pending_edits(world):
    env = world.env
    msg = await custom_poll(world, hours=1)
    await vote(world.fans[0], msg, 0)  # edited at once: the edit slot is held for 2 s
    await env.advance_time(1.5)
    await vote(world.fans[1], msg, 1)
    assert counts(fresh(world.polls, msg)) == [1, 0, 0]
    # What a clean shutdown (bot.close) does: the owed edit goes out as soon as the slot runs out (0.5 s).
    await env.bot.remove_cog("Polls")
    assert counts(fresh(world.polls, msg)) == [1, 1, 0]


async def test_a_message_that_cannot_be_edited_is_not_retried_on_every_start(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    await vote(world.fans[0], msg, 0)
    env.inject_error("PATCH", f"/channels/{world.polls.id}/messages/{msg.id}", status=404, code=10008,
                     message="Unknown Message (injected)")
    await vote(world.fans[1], msg, 1)
    await env.advance_time(2)
    assert await env.bot.store.polls.stale_messages() == []
    await env.restart_bot(bot_factory())
    assert cog(env).messages.edits == 0
