"""Queries for the drama catalog (dramas, names, people, credits, facts, theories)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database

SEASON2_STATUSES = ("unknown", "rumoured", "confirmed", "denied")


class CatalogQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def counts(self) -> dict[str, int]:
        row = await self.db.fetchone(
            "SELECT (SELECT count(*) FROM dramas) AS dramas, (SELECT count(*) FROM people) AS people,"
            " (SELECT count(*) FROM credits) AS credits"
        )
        return dict(row) if row else {"dramas": 0, "people": 0, "credits": 0}

    async def get_drama(self, drama_id: int) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM dramas WHERE id = ?", (drama_id,))

    async def set_season2(self, drama_id: int, status: str, note: str | None, as_of: str) -> None:
        if status not in SEASON2_STATUSES:
            raise ValueError(f"season-2 status must be one of {SEASON2_STATUSES}")
        await self.db.write(
            "UPDATE dramas SET season2_status = ?, season2_note = ?, season2_as_of = ? WHERE id = ?",
            (status, note, as_of, drama_id),
        )

    async def find_dramas(self, key: str, limit: int = 25) -> list[sqlite3.Row]:
        """Dramas whose title or alias key (see ``bot.catalog.names.norm``) equals or starts with ``key``.

        A simple, index-backed lookup; the question engine layers fuzzy matching on top.
        """
        if not key:
            return await self.db.fetchall("SELECT id, slug, title, year FROM dramas ORDER BY year DESC, title LIMIT ?",
                                          (limit,))
        return await self.db.fetchall(
            "SELECT d.id, d.slug, d.title, d.year, min(n.norm = ?) AS exact FROM drama_names n"
            " JOIN dramas d ON d.id = n.drama_id WHERE n.norm >= ? AND n.norm < ?"
            " GROUP BY d.id ORDER BY exact DESC, d.year DESC LIMIT ?",
            (key, key, key + "\U0010ffff", limit),
        )

    async def drama_by_slug(self, slug: str) -> sqlite3.Row | None:
        return await self.db.fetchone("SELECT * FROM dramas WHERE slug = ?", (slug,))
