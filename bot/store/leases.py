"""Leases: once-per-cluster work (the source sync, the poll closer, retention sweeps) runs in one process.

A lease is a row (name, holder, expires_at). ``hold`` takes it when it is free or expired, or renews it for
its holder, in one atomic upsert; so of several processes exactly one holds it, and when the holder dies
(stops renewing) another takes it over once it expires. Times are epoch seconds from the project clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


class LeaseQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def hold(self, name: str, holder: str, now: int, seconds: int) -> bool:
        """Take or renew lease ``name`` for ``holder`` until ``now + seconds``; False when another holds it."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
                " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
                (name, holder, now + seconds, now))
            async with conn.execute("SELECT holder FROM leases WHERE name = ?", (name,)) as cur:
                row = await cur.fetchone()
        return row is not None and row[0] == holder

    async def release(self, name: str, holder: str) -> None:
        await self.db.write("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    async def holder(self, name: str, now: int) -> str | None:
        return await self.db.scalar("SELECT holder FROM leases WHERE name = ? AND expires_at > ?", (name, now))
