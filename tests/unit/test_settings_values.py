"""Validation of setting values, without Discord."""

from __future__ import annotations

import pytest

from bot.errors import BadInput
from bot.store.guilds import GuildSettings
from cogs.settings import parse_timezone


@pytest.mark.parametrize("typed, zone", [("Asia/Seoul", "Asia/Seoul"), ("asia/seoul", "Asia/Seoul"),
                                         (" America/New York ", "America/New_York"), ("utc", "UTC")])
def test_time_zones_are_normalised(typed, zone):
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize("typed", ["", "KST", "../../etc/passwd", "/etc/localtime", "Asia", "posix/Asia/Seoul",
                                   "Asia/Seoul\x00", "@everyone", "x" * 500])
def test_bad_time_zones_are_refused_with_a_safe_message(typed):
    with pytest.raises(BadInput) as caught:
        parse_timezone(typed)
    assert "@everyone" not in caught.value.message.replace("@\u200beveryone", "")
    assert len(caught.value.message) < 400


def test_a_stored_zone_that_no_longer_exists_falls_back_to_utc():
    assert str(GuildSettings(1, timezone="Asia/Seoul").zone) == "Asia/Seoul"
    assert str(GuildSettings(1, timezone="Gone/Away").zone) == "UTC"
