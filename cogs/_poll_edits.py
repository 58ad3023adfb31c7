"""The poll message kept in step with the poll: coalesced edits, at most one per poll every 2 s in a cluster.

A committed vote (or a close, or a resolution) marks its poll dirty in this process's
:class:`EditThrottle`; a 1-second ``tasks.loop``, running only while something is dirty, edits each dirty
poll's message. Before every edit the process claims the poll's edit slot in the store (one atomic
conditional UPDATE, held 2 s): whichever process holds it edits, with everything the store holds at that
moment, so votes taken by several processes are shown by one edit. A process that loses the claim still
owes its votes an edit and tries again when the slot runs out, unless the message shows them by then
(``content_version``/``shown_version``). Messages left stale by a stop are edited on the next start
(:meth:`catch_up`); a clean shutdown sends the owed edits as soon as their slots allow (:meth:`flush_now`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import discord
from discord.ext import tasks

from bot.polls.throttle import EDIT_INTERVAL, EditThrottle
from cogs._poll_views import build_view, poll_embed

log = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
UNLOAD_FLUSH_SECONDS = 5.0  # a clean shutdown waits at most this long for the last poll-message edits


class PollMessages:
    """Edits poll messages for one process (``store`` is that process's store; tests run two over one database)."""

    def __init__(self, bot: discord.Client, store) -> None:
        self.bot = bot
        self.store = store
        self.throttle = EditThrottle()
        self.edits = 0  # poll-message edits sent (tests and bench read it)

    def mark_dirty(self, poll_id: int) -> None:
        self.throttle.mark(poll_id)
        if not self.flusher.is_running():
            self.flusher.start()

    @tasks.loop(seconds=FLUSH_SECONDS)
    async def flusher(self) -> None:
        await self.flush_due()
        if not self.throttle.pending:
            self.flusher.stop()  # nothing dirty: sleep until the next click starts it again

    async def flush_due(self) -> None:
        """One round: edit every dirty poll whose slot may be free; one whose slot another process holds
        is tried again when it runs out."""
        for poll_id in self.throttle.due(discord.utils.utcnow()):
            busy_until = await self._edit_guarded(poll_id)
            if busy_until is not None:
                self.throttle.retry(poll_id, busy_until)

    async def stop(self) -> None:
        self.flusher.cancel()
        await self.flush_now()

    async def flush_now(self) -> None:
        """On shutdown (``bot.close`` unloads cogs): send the owed edits now, or as soon as their slot runs out.

        Bounded, so a shutdown never hangs on Discord; what is left (or a crash) is caught up on start.
        """
        pending = self.throttle.take_all()
        waited_until: datetime | None = None
        try:
            async with asyncio.timeout(UNLOAD_FLUSH_SECONDS):
                while pending:
                    waiting = []
                    for poll_id in pending:
                        busy_until = await self._edit_guarded(poll_id, waited_until)
                        if busy_until is not None:
                            waiting.append((busy_until, poll_id))
                    if waiting:
                        waited_until = min(waiting)[0]
                        await asyncio.sleep(max(0.0, (waited_until - discord.utils.utcnow()).total_seconds()))
                    pending = [poll_id for _until, poll_id in waiting]
        except TimeoutError:
            log.warning("shutting down with poll messages still to update; they are updated on the next start")

    async def catch_up(self) -> int:
        """On start: poll messages left showing stale counts (an edit was pending when the previous process
        stopped) get one edit each, through the usual slot. Returns how many."""
        stale = await self.store.polls.stale_messages()
        for poll_id in stale:
            self.mark_dirty(poll_id)
        if stale:
            log.info("updating %d poll message(s) left stale by the previous run", len(stale))
        return len(stale)

    async def _edit_guarded(self, poll_id: int, waited_until: datetime | None = None) -> datetime | None:
        """Edit one poll message; never raises (one bad poll must not stop the others). Returns when to try
        again (another process holds the edit slot until then), or None: done, or nothing to do."""
        try:
            try:
                return await self._edit(poll_id, waited_until)
            except discord.HTTPException as exc:  # deleted message, lost permissions: nothing to retry
                log.warning("could not update the message of poll %d: %s", poll_id, exc)
                if exc.status < 500 and exc.status != 429:  # nor to catch up on the next start
                    await self.store.polls.give_up_message(poll_id)
        except Exception:  # noqa: BLE001
            log.exception("could not update the message of poll %d", poll_id)
        return None

    async def _edit(self, poll_id: int, waited_until: datetime | None = None) -> datetime | None:
        """``waited_until``: the caller slept until then on the loop's clock (the wall clock may lag it)."""
        # Read first: what is rendered below is at least this new (recording less only costs a catch-up edit).
        content, shown = await self.store.polls.message_versions(poll_id)
        if shown >= content:
            return None  # an edit (maybe another process's) already shows everything
        poll = await self.store.polls.get(poll_id, fresh=True)  # another process may have closed or resolved it
        if poll is None or poll.message_id is None:
            return None
        if poll.native:  # Discord draws its own poll; results and resolution are posted as messages
            await self.store.polls.mark_shown(poll_id, content)
            return None
        channel = self.bot.get_channel(poll.channel_id)
        if channel is None:
            return None
        tally = await self.store.polls.tally(poll)
        embed, view = poll_embed(poll, tally), build_view(poll, disabled=poll.is_closed)
        # Claimed right before the send (after rendering), so the slot spaces the edit requests themselves.
        now = discord.utils.utcnow()
        if waited_until is not None:
            now = max(now, waited_until)
        busy_until = await self.store.polls.claim_edit(poll_id, now, EDIT_INTERVAL)
        if busy_until is not None:
            return busy_until
        self.throttle.hold(poll_id, now + EDIT_INTERVAL)
        self.edits += 1
        await channel.get_partial_message(poll.message_id).edit(embed=embed, view=view)  # type: ignore[union-attr]
        await self.store.polls.mark_shown(poll_id, content)
        return None
