"""dramabot: a Discord bot for K-drama fan communities."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from bot.client import DramaBot
    from bot.settings import Settings


def create_bot(database_path: Path | str | None = None, *, settings: Settings | None = None) -> DramaBot:
    """Build a bot that is not started yet. ``setup_hook`` opens the store, loads cogs and syncs."""
    from dataclasses import replace

    from bot.client import DramaBot
    from bot.settings import load_settings

    if settings is None:
        settings = load_settings()
    if database_path is not None:
        from bot.store.postgres import is_url

        if is_url(database_path):
            settings = replace(settings, database_url=str(database_path))
        else:
            settings = replace(settings, database_path=Path(database_path), database_url=None)
    return DramaBot(settings)
