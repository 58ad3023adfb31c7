"""The central error handler: bugs are logged with an id, and the member sees only that id."""

from __future__ import annotations

import logging
import re

import simcord


async def test_an_unexpected_error_shows_an_apology_whose_id_is_in_the_log(world, monkeypatch, caplog):
    async def broken_counts():
        raise RuntimeError("the catalog table caught fire")

    monkeypatch.setattr(world.env.bot.store.catalog, "counts", broken_counts)
    with caplog.at_level(logging.ERROR, logger="bot.ui"):
        result = await world.fan.slash(world.general, "about")
    simcord.assert_error(world.env, RuntimeError, contains="caught fire")
    assert result.ephemeral
    text = result.response.content
    assert "something went wrong" in text.lower()
    assert "caught fire" not in text and "Traceback" not in text
    error_id = re.search(r"`([0-9a-f]{8})`", text).group(1)
    records = [r for r in caplog.records if error_id in r.getMessage()]
    assert records, "the id shown to the member is not in the log"
    assert records[0].exc_info and records[0].exc_info[0] is RuntimeError


async def test_an_expected_error_is_shown_plainly_and_only_to_the_member(world):
    result = await world.fan.slash(world.general, "schedule follow", drama="lovely-runner-2024",
                                   channel=world.announcements)
    simcord.assert_error(world.env)
    assert result.ephemeral
    assert "manager" in result.response.content.lower()
    assert "went wrong" not in result.response.content.lower()
