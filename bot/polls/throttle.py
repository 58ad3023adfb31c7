"""Coalescing poll-message edits: at most one edit per poll every 2 seconds, the last state always shown.

Clicks mark a poll dirty; the cog's flusher asks :meth:`EditThrottle.due` which dirty polls may be
edited now (their previous edit was sent at least ``interval`` ago), renders each and calls
:meth:`sent` right before sending the edit, and runs again while anything is still dirty. Stamping
the send (not the decision) keeps the spacing between actual edit requests even when rendering is
slow. Edits of one throttle must be sent one at a time (the flusher does). No clock is read here:
callers pass ``now``.
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
        """Dirty polls whose last edit was sent long enough ago; they are taken (no longer dirty)."""
        ready = [p for p in sorted(self._dirty) if p not in self._last or now - self._last[p] >= self.interval]
        for poll_id in ready:
            self._dirty.discard(poll_id)
        if len(self._last) > 10_000:  # forget stamps old enough not to matter
            self._last = {p: t for p, t in self._last.items() if now - t < self.interval}
        return ready

    def take_all(self) -> list[int]:
        """Every dirty poll, taken regardless of spacing (shutdown: the last edits go out at once)."""
        ready, self._dirty = sorted(self._dirty), set()
        return ready

    def sent(self, poll_id: int, now: datetime) -> None:
        """Record that an edit of ``poll_id`` is being sent now."""
        self._last[poll_id] = now

    def forget(self, poll_id: int) -> None:
        self._dirty.discard(poll_id)
