"""/poll season2 asks about the season that does not exist yet: Squid Game (seasons 1-3 aired) gets a
season-4 poll, and plain refusals when that season is settled or the newest one has not aired yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import simcord

from bot.catalog.seasons import next_season, season_of
from bot.errors import BadInput


async def test_squid_game_gets_a_poll_about_season_4_never_about_a_season_that_exists(world):
    result = await world.manager.slash(world.polls, "poll season2", drama="Squid Game")
    embed = world.polls.last_message.embeds[0]
    assert not result.ephemeral and "Season 4 of Squid Game" in embed.description
    labels = [c["label"] for row in world.polls.last_message.components for c in row.to_dict()["components"]]
    assert labels[:2] == ["1. Season 4 happens", "2. No season 4"]
    stored = await world.env.bot.store.fetchone("SELECT p.question, d.title FROM polls p JOIN dramas d"
                                                " ON d.id = p.drama_id")
    assert tuple(stored) == ("Season 4 of Squid Game: what will happen?", "Squid Game Season 3")
    again = await world.manager.slash(world.polls, "poll season2", drama="Squid Game Season 2")
    assert not again.ephemeral  # any season of the series asks about the next one
    assert "Season 4 of Squid Game" in world.polls.last_message.embeds[0].description


async def test_a_settled_next_season_is_refused_plainly(world):
    env = world.env
    env.bot.settings = replace(env.bot.settings, owner_ids=frozenset({world.manager.id}))
    await world.manager.slash(world.general, "catalog season2", drama="Squid Game Season 3", status="denied")
    result = await world.manager.slash(world.polls, "poll season2", drama="Squid Game")
    assert result.ephemeral and result.response.content == ("Season 4 of Squid Game is already denied; "
                                                            "nothing left to predict.")
    simcord.assert_error(env, BadInput)
    assert await env.bot.store.scalar("SELECT count(*) FROM polls") == 0


@pytest.mark.parametrize(("title", "expected"), [
    ("Squid Game Season 2", ("Squid Game", 2)), ("Alchemy of Souls Season 2: Light and Shadow", ("Alchemy of Souls", 2)),
    ("Duty after School: Part 2", ("Duty after School", 2)), ("Dream High 2", ("Dream High", 2)),
    ("Lovely Runner", ("Lovely Runner", 1)), ("Reply 1988", ("Reply 1988", 1)), ("365", ("365", 1)),
])
def test_season_numbers_are_read_off_titles(title, expected):
    assert season_of(title) == expected


def _row(title, status, first=None, last=None):
    return {"title": title, "status": status, "first_aired": first, "last_aired": last, "season2_status": "unknown"}


def test_while_the_newest_season_has_not_aired_there_is_nothing_to_speculate():
    today = dt.date(2026, 1, 1)
    one = _row("Sweet Home", "finished", "2020-12-18", "2020-12-18")
    coming = _row("Sweet Home Season 2", "upcoming", "2026-03-01")
    with pytest.raises(BadInput, match=r"Season 2 of Sweet Home exists \(coming on 2026-03-01\)"):
        next_season(one, [one, coming], today)
    airing = _row("Sweet Home Season 2", "airing", "2025-12-20")
    with pytest.raises(BadInput, match="airing now"):
        next_season(one, [airing], today)
    done = next_season(one, [_row("Sweet Home Season 2", "finished", "2023-12-01", "2023-12-01"),
                             _row("Sweet Home, Sweet Honey", "finished")], today)
    assert (done.series, done.number, done.latest["title"]) == ("Sweet Home", 3, "Sweet Home Season 2")
    assert next_season(one, [], today).number == 2
