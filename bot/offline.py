"""A bot with every cog loaded but never connected: for scripts that read the command tree
(``python -m bot.helpdoc``, ``python -m bot.i18n``)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.client import DramaBot, discover_extensions
from bot.settings import Settings


@asynccontextmanager
async def loaded_bot() -> AsyncIterator[DramaBot]:
    with tempfile.TemporaryDirectory(prefix="dramabot-tree-") as tmp:
        path = Path(tmp) / "tree.sqlite3"
        bot = DramaBot(Settings(database_path=path), auto_sync=False)
        async with bot:  # initialised, never logged in: background loops wait for a ready that never comes
            await bot.store.open()
            for name in discover_extensions():
                await bot.load_extension(name)
            try:
                yield bot
            finally:
                for name in list(bot.extensions):
                    await bot.unload_extension(name)
