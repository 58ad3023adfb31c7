"""Key/value facts about this install (catalog load marker, last synced command hash, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


class MetaQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        return await self.db.scalar("SELECT value FROM meta WHERE key = ?", (key,))

    async def set(self, key: str, value: str) -> None:
        await self.db.write(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
