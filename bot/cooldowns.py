"""Per-member cooldowns shared by every feature: ``@cooldown("ask", "ask_cooldown_seconds")``.

The length comes from :class:`bot.settings.Settings` (so tests set it to 0 and the host tunes it), the
clock is ``discord.utils.utcnow()`` (so SimCord's ``advance_time`` moves it). A use is charged when the
check passes and refunded by the central error handler if the command then fails (a typo or a refused
permission should not make the member wait). State is in memory, per bot: a restart forgives everyone.
"""

from __future__ import annotations

import math
import weakref
from datetime import datetime, timedelta

import discord

from bot.checks import check
from bot.errors import OnCooldown

EXTRAS_KEY = "dramabot.cooldown"


class Cooldowns:
    """When each (bucket, member) last acted."""

    PRUNE_AT = 5000

    def __init__(self) -> None:
        self._last: dict[tuple[str, int], datetime] = {}

    def remaining(self, bucket: str, user_id: int, seconds: float, now: datetime) -> float:
        last = self._last.get((bucket, user_id))
        if last is None or seconds <= 0:
            return 0.0
        return max(0.0, (last + timedelta(seconds=seconds) - now).total_seconds())

    def charge(self, bucket: str, user_id: int, now: datetime, seconds: float) -> datetime | None:
        """Record a use; returns the previous use (for :meth:`refund`)."""
        if len(self._last) >= self.PRUNE_AT:
            horizon = now - timedelta(seconds=max(seconds, 3600))
            self._last = {k: v for k, v in self._last.items() if v > horizon}
        previous = self._last.get((bucket, user_id))
        self._last[(bucket, user_id)] = now
        return previous

    def refund(self, bucket: str, user_id: int, previous: datetime | None) -> None:
        if previous is None:
            self._last.pop((bucket, user_id), None)
        else:
            self._last[(bucket, user_id)] = previous


_trackers: weakref.WeakKeyDictionary[discord.Client, Cooldowns] = weakref.WeakKeyDictionary()


def tracker(client: discord.Client) -> Cooldowns:
    found = _trackers.get(client)
    if found is None:
        found = _trackers[client] = Cooldowns()
    return found


def cooldown(bucket: str, seconds_from_settings: str, *, again: str = "do that again"):
    """App-command check: one use per member every ``settings.<seconds_from_settings>`` seconds.

    ``again`` completes "you can ... in N s", e.g. ``again="ask again"``. Put it BELOW the permission
    checks (decorators apply bottom-up, checks run in order added) or rely on the refund either way.
    """

    async def predicate(interaction: discord.Interaction) -> None:
        settings = getattr(interaction.client, "settings", None)
        seconds = float(getattr(settings, seconds_from_settings, 0) or 0)
        if seconds <= 0:
            return
        now = discord.utils.utcnow()
        cooldowns = tracker(interaction.client)
        left = cooldowns.remaining(bucket, interaction.user.id, seconds, now)
        if left > 0:
            raise OnCooldown(f"Slow down a little: you can {again} in {math.ceil(left)} s.")
        previous = cooldowns.charge(bucket, interaction.user.id, now, seconds)
        interaction.extras[EXTRAS_KEY] = (bucket, previous)

    return check(predicate)


def refund(interaction: discord.Interaction) -> None:
    """Undo this interaction's cooldown charge (the command failed). Safe to call when none was made."""
    charged = interaction.extras.pop(EXTRAS_KEY, None)
    if charged is not None:
        bucket, previous = charged
        tracker(interaction.client).refund(bucket, interaction.user.id, previous)
