"""The cooldown tracker: remaining time, charge and refund, pruning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.cooldowns import Cooldowns

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_remaining_counts_down_and_is_per_member_and_bucket():
    c = Cooldowns()
    assert c.remaining("ask", 1, 30, T0) == 0
    c.charge("ask", 1, T0, 30)
    assert c.remaining("ask", 1, 30, T0 + timedelta(seconds=10)) == 20
    assert c.remaining("ask", 2, 30, T0) == 0 and c.remaining("poll", 1, 30, T0) == 0
    assert c.remaining("ask", 1, 30, T0 + timedelta(seconds=30)) == 0
    assert c.remaining("ask", 1, 0, T0) == 0  # a cooldown of 0 never blocks


def test_refund_restores_the_previous_use():
    c = Cooldowns()
    assert c.charge("poll", 1, T0, 30) is None
    previous = c.charge("poll", 1, T0 + timedelta(seconds=40), 30)
    assert previous == T0
    c.refund("poll", 1, previous)
    assert c.remaining("poll", 1, 30, T0 + timedelta(seconds=41)) == 0
    c.refund("poll", 1, None)
    assert c.remaining("poll", 1, 30, T0) == 0


def test_old_entries_are_pruned():
    c = Cooldowns()
    c.PRUNE_AT = 10
    for user in range(10):
        c.charge("ask", user, T0, 3)
    c.charge("ask", 99, T0 + timedelta(hours=2), 3)
    assert len(c._last) == 1
