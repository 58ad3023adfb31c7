"""Coalescing poll-message edits: at most one edit per poll every 2 seconds, the last state always shown.

Clicks mark a poll dirty; the cog's flusher asks :meth:`EditThrottle.due` which dirty polls may be
edited now (their previous edit is at least ``interval`` old), edits them, and runs again ``interval``
later while anything is still dirty. No clock is read here: callers pass ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

EDIT_INTERVAL = timedelta(seconds=2)


class EditThrottle:
    def __init__(self, interval: timedelta = EDIT_INTERVAL) -> None:
        self.interval = interval
        self._dirty: set[int] = set()
        self._last: dict[int, datetime] = {}

    def mark(self, poll_id: int) -> None:
        self._dirty.add(poll_id)

    @property
    def pending(self) -> bool:
        return bool(self._dirty)

    def is_dirty(self, poll_id: int) -> bool:
        return poll_id in self._dirty

    def due(self, now: datetime) -> list[int]:
        """Dirty polls whose last edit is old enough; they are taken (no longer dirty) and stamped now."""
        ready = [p for p in sorted(self._dirty) if p not in self._last or now - self._last[p] >= self.interval]
        for poll_id in ready:
            self._dirty.discard(poll_id)
            self._last[poll_id] = now
        if len(self._last) > 10_000:  # forget stamps old enough not to matter
            self._last = {p: t for p, t in self._last.items() if now - t < self.interval}
        return ready

    def forget(self, poll_id: int) -> None:
        self._dirty.discard(poll_id)
