"""First start: the bot loads the shipped catalog into a fresh store once; a restart does not reload it."""

from __future__ import annotations

import pytest

from bot.catalog.loader import META_KEY


@pytest.fixture
def simcord_bot(bot_factory, tmp_path):
    # a store WITHOUT the session's catalog template: the bot must load the file itself
    return bot_factory(path=tmp_path / "fresh.sqlite3")


async def test_first_start_loads_the_catalog_and_a_restart_keeps_it(simcord_env, bot_factory, tmp_path):
    bot = simcord_env.bot
    counts = await bot.store.catalog.counts()
    assert counts["dramas"] > 2500 and counts["credits"] > 10000
    marker = await bot.store.meta.get(META_KEY)
    assert marker and "catalog.json.gz" in marker
    drama_id = (await bot.store.catalog.drama_by_slug("run-on-2020"))["id"]

    await simcord_env.restart_bot(bot_factory(path=tmp_path / "fresh.sqlite3"))
    again = simcord_env.bot
    assert again is not bot
    assert await again.store.catalog.counts() == counts
    assert await again.store.meta.get(META_KEY) == marker
    assert (await again.store.catalog.drama_by_slug("run-on-2020"))["id"] == drama_id
