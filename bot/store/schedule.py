"""Queries for episodes, follows, reminders and the delivery log."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


class ScheduleQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
