"""The store: the only place SQL lives. One module of queries per feature, composed here.

``Store(path)`` is a :class:`Database` whose feature query objects hang off it as attributes
(``store.guilds``, ``store.catalog``, ``store.polls``, ``store.schedule``, ``store.sources``, ...).
"""

from __future__ import annotations

from pathlib import Path

from bot.store.catalog import CatalogQueries
from bot.store.database import Database, latest_version, migrations
from bot.store.guilds import GuildQueries, GuildSettings
from bot.store.knowledge import KnowledgeQueries
from bot.store.leases import LeaseQueries
from bot.store.meta import MetaQueries
from bot.store.polls import PollQueries
from bot.store.privacy import PrivacyQueries
from bot.store.schedule import ScheduleQueries
from bot.store.sources import SourceQueries

__all__ = ["Store", "GuildSettings", "latest_version", "migrations"]


class Store(Database):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self.meta = MetaQueries(self)
        self.guilds = GuildQueries(self)
        self.catalog = CatalogQueries(self)
        self.knowledge = KnowledgeQueries(self)
        self.polls = PollQueries(self)
        self.schedule = ScheduleQueries(self)
        self.privacy = PrivacyQueries(self)
        self.leases = LeaseQueries(self)
        self.sources = SourceQueries(self)
