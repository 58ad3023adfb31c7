"""The shared per-member cooldown on /ask and poll creation, driven by the simulated clock."""

from __future__ import annotations

import pytest
import simcord

from bot.checks import Refused


@pytest.fixture
def settings_overrides():
    return {"ask_cooldown_seconds": 5, "poll_cooldown_seconds": 30}


async def test_ask_is_rate_limited_per_member(world):
    env, fan, g = world.env, world.fan, world.general
    first = await fan.slash(g, "ask", question="who plays Im Sol?")
    assert first.response is not None and not first.ephemeral
    again = await fan.slash(g, "ask", question="and her age?")
    simcord.assert_responded(again, contains="you can ask again in 5 s", ephemeral=True)
    simcord.assert_error(env, Refused, contains="ask again")
    other = await world.fans[1].slash(g, "ask", question="who plays Im Sol?")
    assert not other.ephemeral  # someone else is not slowed down
    await env.advance_time(3)
    again = await fan.slash(g, "ask", question="and her age?")
    simcord.assert_responded(again, contains="in 2 s", ephemeral=True)
    _ = env.errors  # acknowledged: those errors were expected and checked
    await env.advance_time(2)
    ok = await fan.slash(g, "ask", question="and her age?")
    assert not ok.ephemeral


async def test_a_failed_poll_creation_does_not_count(world):
    env, m, g = world.env, world.manager, world.general
    bad = await m.slash(g, "poll create", question="Season 2?", options="only one option")
    assert bad.ephemeral and "cooldown" not in bad.response.content.lower()
    _ = env.errors  # acknowledged: those errors were expected and checked
    cursor = env.error_cursor
    await m.slash(g, "poll create", question="Season 2?", options="yes|no")
    assert env.errors_since(cursor) == ()
    too_soon = await m.slash(g, "poll create", question="Another?", options="yes|no")
    simcord.assert_responded(too_soon, contains="create another poll in 30 s", ephemeral=True)
    simcord.assert_error(env, Refused, contains="create another poll")
