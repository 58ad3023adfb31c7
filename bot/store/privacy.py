"""What the bot stores about a member or a server, and forgetting it: composed from every feature store.

Each feature's query object (``store.polls``, ``store.schedule``, ...) takes part by defining the
methods of the *privacy contract* (see "Privacy contract" in docs/CONVENTIONS.md)::

    async def member_data(self, user_id: int) -> dict[str, int]        # {"poll votes": 3, ...}
    async def forget_member(self, conn, user_id: int) -> None           # delete, using conn only
    async def forget_guild(self, conn, guild_id: int) -> None           # delete a server's data

``forget_*`` run inside ONE transaction opened here (all features or none), so they must use the
``conn`` they are given and never ``self.db.write``/``transaction`` (that would wait on the lock we hold).
A store that keeps keyed hashes of member ids (anonymous votes) finds them by hashing ``user_id``
with the same secret itself. Methods a store does not define are skipped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store.database import Database

log = logging.getLogger(__name__)

# Store attributes consulted, in order. A new feature store adds its attribute name here.
PARTICIPANTS = ("polls", "schedule", "catalog", "guilds")


class PrivacyQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _participants(self, method: str) -> list[tuple[str, Any]]:
        found = []
        for name in PARTICIPANTS:
            queries = getattr(self.db, name, None)
            func = getattr(queries, method, None)
            if func is not None:
                found.append((name, func))
        return found

    async def describe(self, user_id: int) -> dict[str, int]:
        """Everything held about ``user_id``, as {what: how many}, zero counts left out."""
        out: dict[str, int] = {}
        for _name, member_data in self._participants("member_data"):
            for label, count in (await member_data(user_id)).items():
                if count:
                    out[label] = out.get(label, 0) + int(count)
        return out

    async def forget(self, user_id: int) -> dict[str, int]:
        """Delete everything held about ``user_id`` in one transaction; returns what there was."""
        held = await self.describe(user_id)
        async with self.db.transaction() as conn:
            for name, forget_member in self._participants("forget_member"):
                log.debug("forgetting member data in %s", name)
                await forget_member(conn, user_id)
        return held

    async def forget_guild(self, guild_id: int) -> None:
        """Delete a server's data in every feature (after the retention period), all or nothing."""
        async with self.db.transaction() as conn:
            for _name, forget_guild in self._participants("forget_guild"):
                await forget_guild(conn, guild_id)
