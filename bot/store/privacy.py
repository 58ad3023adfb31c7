"""Queries for what the bot stores about a member, and deleting it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


class PrivacyQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
