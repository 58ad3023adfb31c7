"""Poll-message edits, this process's side: which polls it owes an edit, and when it may next try.

The rule (at most one edit of a poll's message every 2 s, the last state always shown) holds across every
process of a cluster through the edit slot stored with the poll (``store.polls.claim_edit``): a process
edits only after claiming it. This class spares the database that question on every click: a vote only
marks its poll dirty here; the flusher asks :meth:`due` which dirty polls may try now, and a poll whose
slot is known to be held (this process just took it, or lost the claim to another process until a known
time) waits here until then (:meth:`hold`, :meth:`retry`) instead of asking again on every round. No clock
is read here: callers pass ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

EDIT_INTERVAL = timedelta(seconds=2)


class EditThrottle:
    def __init__(self) -> None:
        self._dirty: set[int] = set()
        self._held: dict[int, datetime] = {}  # poll -> when its edit slot runs out, as far as this process knows

    def mark(self, poll_id: int) -> None:
        self._dirty.add(poll_id)

    @property
    def pending(self) -> bool:
        return bool(self._dirty)

    def due(self, now: datetime) -> list[int]:
        """Dirty polls whose slot is not known to be held at ``now``; they are taken (no longer dirty)."""
        ready = [p for p in sorted(self._dirty) if self._held.get(p, now) <= now]
        for poll_id in ready:
            self._dirty.discard(poll_id)
        if len(self._held) > 10_000:  # forget slots that ran out
            self._held = {p: t for p, t in self._held.items() if t > now}
        return ready

    def hold(self, poll_id: int, until: datetime) -> None:
        """The poll's slot is held until ``until`` (this process claimed it): not due before then."""
        self._held[poll_id] = until

    def retry(self, poll_id: int, at: datetime) -> None:
        """Another process holds the slot until ``at``: the edit is still owed, tried again then."""
        self._held[poll_id] = at
        self._dirty.add(poll_id)

    def take_all(self) -> list[int]:
        """Every dirty poll, whatever its slot (shutdown: each is edited as soon as its slot allows)."""
        ready, self._dirty = sorted(self._dirty), set()
        return ready
