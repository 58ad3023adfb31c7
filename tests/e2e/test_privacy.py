"""/privacy: a member sees what is stored about them and deletes it after confirming.

The feature stores take part through the privacy contract (docs/CONVENTIONS.md). Besides the real
stores, a small participant is attached to the store here so the tests do not depend on which
features exist yet.
"""

from __future__ import annotations

import pytest
import simcord

from bot.store import privacy as privacy_store


class Keepsakes:
    """A minimal feature store honouring the privacy contract."""

    def __init__(self, db) -> None:
        self.db = db

    async def setup(self) -> None:
        await self.db.write("CREATE TABLE IF NOT EXISTS keepsakes (user_id BIGINT, guild_id BIGINT)")

    async def add(self, user_id: int, guild_id: int, n: int = 1) -> None:
        await self.db.write_many("INSERT INTO keepsakes VALUES (?, ?)", [(user_id, guild_id)] * n)

    async def member_data(self, user_id: int) -> dict[str, int]:
        return {"keepsakes": await self.db.scalar("SELECT count(*) FROM keepsakes WHERE user_id = ?", (user_id,))}

    async def forget_member(self, conn, user_id: int) -> None:
        await conn.execute("DELETE FROM keepsakes WHERE user_id = ?", (user_id,))

    async def forget_guild(self, conn, guild_id: int) -> None:
        await conn.execute("DELETE FROM keepsakes WHERE guild_id = ?", (guild_id,))


@pytest.fixture
def keepsakes(monkeypatch):
    monkeypatch.setattr(privacy_store, "PARTICIPANTS", (*privacy_store.PARTICIPANTS, "keepsakes"))

    async def attach(env):
        env.bot.store.keepsakes = Keepsakes(env.bot.store)
        await env.bot.store.keepsakes.setup()
        return env.bot.store.keepsakes

    return attach


async def test_show_lists_what_is_held(world, keepsakes):
    store = await keepsakes(world.env)
    r = await world.fan.slash(world.general, "privacy show")
    simcord.assert_responded(r, contains="I don't store anything about you", ephemeral=True)
    await store.add(world.fan.id, world.guild.id, 3)
    r = await world.fan.slash(world.general, "privacy show")
    simcord.assert_responded(r, contains="keepsakes: 3", ephemeral=True)


async def test_delete_needs_confirmation_and_removes_only_that_member(world, keepsakes):
    store = await keepsakes(world.env)
    fan, other = world.fans[0], world.fans[1]
    await store.add(fan.id, world.guild.id, 2)
    await store.add(other.id, world.guild.id, 1)

    asked = await fan.slash(world.general, "privacy delete")
    simcord.assert_responded(asked, contains="keepsakes: 2", ephemeral=True)
    kept = await fan.click(asked.response, label="Keep it")
    assert (await store.member_data(fan.id)) == {"keepsakes": 2}
    assert "Nothing was deleted" in kept.response.content

    asked = await fan.slash(world.general, "privacy delete")
    done = await fan.click(asked.response, label="Delete my data")
    assert "deleted everything" in done.response.content
    assert (await store.member_data(fan.id)) == {"keepsakes": 0}
    assert (await store.member_data(other.id)) == {"keepsakes": 1}
    assert (await world.env.bot.store.privacy.describe(fan.id)) == {}
    r = await fan.slash(world.general, "privacy delete")
    simcord.assert_responded(r, contains="nothing to delete", ephemeral=True)


async def test_the_request_expires(world, keepsakes):
    store = await keepsakes(world.env)
    await store.add(world.fan.id, world.guild.id)
    asked = await world.fan.slash(world.general, "privacy delete")
    await world.env.advance_time(130)
    assert "expired" in asked.response.content
    assert (await store.member_data(world.fan.id)) == {"keepsakes": 1}


async def test_real_poll_votes_public_and_anonymous_are_found_and_deleted(world):
    """The polls store honours the contract, including anonymous votes kept under a keyed hash."""
    env, m, fan = world.env, world.manager, world.fan
    await m.slash(world.polls, "poll create", question="Season 2?", options="yes|no")
    await m.slash(world.polls, "poll create", question="Secret?", options="a|b", anonymous=True)
    public, secret = [msg for msg in world.polls.history() if msg.author.bot and msg.components][-2:]
    await fan.click(public, custom_id=public.components[0].children[0].custom_id)
    await fan.click(secret, custom_id=secret.components[0].children[1].custom_id)
    await world.fans[1].click(public, custom_id=public.components[0].children[1].custom_id)

    r = await fan.slash(world.general, "privacy show")
    simcord.assert_responded(r, contains="poll votes: 2", ephemeral=True)
    asked = await fan.slash(world.general, "privacy delete")
    await fan.click(asked.response, label="Delete my data")
    assert (await env.bot.store.privacy.describe(fan.id)) == {}
    assert (await env.bot.store.privacy.describe(world.fans[1].id)) == {"poll votes": 1}
    assert (await env.bot.store.privacy.describe(m.id)) == {"polls created": 2}


async def test_reminders_are_listed_and_deleted(world):
    env, fan = world.env, world.fan
    drama = (await env.bot.store.catalog.find_dramas("", limit=1))[0]
    r = await fan.slash(world.general, "remind add", drama=drama["slug"])
    assert not env.errors_since(0), r
    r = await fan.slash(world.general, "privacy show")
    simcord.assert_responded(r, contains="episode reminders: 1", ephemeral=True)
    asked = await fan.slash(world.general, "privacy delete")
    await fan.click(asked.response, label="Delete my data")
    assert await env.bot.store.schedule.reminders(fan.id) == []
