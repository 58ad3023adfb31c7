"""Queries for per-server settings (the ``guild_settings`` table) and the server lifecycle.

``left_at`` is set when the bot is removed from a server and cleared when it is added back; feature
queries that act on a server's behalf (announcements, reminders) embed :data:`ACTIVE_GUILD_SQL` so a
server the bot has left gets nothing the moment it leaves. After the retention period the server's
data is purged (``store.privacy.forget_guild``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import aiosqlite

    from bot.store.database import Database

SETTABLE = ("announce_channel_id", "manager_role_id", "poll_creators", "timezone", "grace_minutes")
POLL_CREATORS = ("managers", "everyone")
GRACE_MINUTES_MAX = 10080  # one week; mirrors the CHECK in 0001_core.sql

# Append to a WHERE clause of a table with a ``guild_id`` column: true while the bot is in the server.
ACTIVE_GUILD_SQL = "guild_id NOT IN (SELECT guild_id FROM guild_settings WHERE left_at IS NOT NULL)"
_ENSURE_ROW = "INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT (guild_id) DO NOTHING"


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    announce_channel_id: int | None = None
    manager_role_id: int | None = None
    poll_creators: str = "managers"
    timezone: str = "UTC"
    grace_minutes: int = 360
    left_at: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The server's time zone (validated when set; UTC if the stored name ever stops existing)."""
        try:
            return ZoneInfo(self.timezone)
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            return ZoneInfo("UTC")


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
            await conn.execute(_ENSURE_ROW, (guild_id,))
            for key, value in values.items():
                # Column names come from the SETTABLE allow-list above, never from users.
                await conn.execute(f"UPDATE guild_settings SET {key} = ? WHERE guild_id = ?", (value, guild_id))
        return await self.get(guild_id)

    # ------------------------------------------------------------ lifecycle
    async def mark_left(self, guild_id: int, when_iso: str | None) -> None:
        """Record that the bot left the server at ``when_iso`` (None: it is back)."""
        async with self.db.transaction() as conn:
            await conn.execute(_ENSURE_ROW, (guild_id,))
            await conn.execute("UPDATE guild_settings SET left_at = ? WHERE guild_id = ?", (when_iso, guild_id))

    async def is_active(self, guild_id: int) -> bool:
        return (await self.get(guild_id)).left_at is None

    async def seen(self, guild_ids: Iterable[int]) -> None:
        """The bot is in these servers: make sure each has a row and none is marked as left."""
        rows = [(gid,) for gid in guild_ids]
        if not rows:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(_ENSURE_ROW, rows)
            await conn.executemany("UPDATE guild_settings SET left_at = NULL WHERE guild_id = ?", rows)

    async def present_ids(self) -> list[int]:
        """Servers we believe the bot is still in."""
        rows = await self.db.fetchall("SELECT guild_id FROM guild_settings WHERE left_at IS NULL")
        return [r["guild_id"] for r in rows]

    async def oldest_left_at(self) -> str | None:
        """When the bot left the server it left longest ago (the next purge is due from it)."""
        return await self.db.scalar("SELECT min(left_at) FROM guild_settings WHERE left_at IS NOT NULL")

    async def left_before(self, cutoff_iso: str) -> list[int]:
        """Servers the bot left at or before ``cutoff_iso``: their retention period is over."""
        rows = await self.db.fetchall(
            "SELECT guild_id FROM guild_settings WHERE left_at IS NOT NULL AND left_at <= ? ORDER BY left_at",
            (cutoff_iso,),
        )
        return [r["guild_id"] for r in rows]

    # ------------------------------------------------------------ privacy contract (see CONVENTIONS.md)
    async def member_data(self, user_id: int) -> dict[str, int]:
        return {}  # server settings hold no member data

    async def forget_member(self, conn: aiosqlite.Connection, user_id: int) -> None:
        return None

    async def forget_guild(self, conn: aiosqlite.Connection, guild_id: int) -> None:
        await conn.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
