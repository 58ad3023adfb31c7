"""Queries for per-server settings (the ``guild_settings`` table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store.database import Database

SETTABLE = ("announce_channel_id", "manager_role_id", "poll_creators", "timezone", "grace_minutes")


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    announce_channel_id: int | None = None
    manager_role_id: int | None = None
    poll_creators: str = "managers"
    timezone: str = "UTC"
    grace_minutes: int = 360
    left_at: str | None = None


class GuildQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        if row is None:
            return GuildSettings(guild_id=guild_id)
        return GuildSettings(**dict(row))

    async def update(self, guild_id: int, **values: Any) -> GuildSettings:
        """Set some settings (names from ``SETTABLE``), creating the row on first use."""
        unknown = set(values) - set(SETTABLE)
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        async with self.db.transaction() as conn:
            await conn.execute("INSERT OR IGNORE INTO guild_settings (guild_id) VALUES (?)", (guild_id,))
            for key, value in values.items():
                # Column names come from the SETTABLE allow-list above, never from users.
                await conn.execute(f"UPDATE guild_settings SET {key} = ? WHERE guild_id = ?", (value, guild_id))
        return await self.get(guild_id)

    async def mark_left(self, guild_id: int, when_iso: str | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("INSERT OR IGNORE INTO guild_settings (guild_id) VALUES (?)", (guild_id,))
            await conn.execute("UPDATE guild_settings SET left_at = ? WHERE guild_id = ?", (when_iso, guild_id))
