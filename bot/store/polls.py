"""Queries for polls, votes and prediction points."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


class PollQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
