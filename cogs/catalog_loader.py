"""Start-up step: load the shipped starter catalog into an empty store (once; see bot.catalog.loader).

No commands. The hook is put FIRST in ``bot.startup_hooks`` so that features which index the
catalog at start-up (the question engine) see the loaded data.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.catalog.loader import load_starter_catalog
from bot.client import DramaBot


class CatalogLoader(commands.Cog):
    """Loads data/catalog.json.gz on first start."""

    feature = "Catalog"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    async def load(self) -> None:
        await load_starter_catalog(self.bot.store, self.bot.settings.catalog_path,
                                   now=discord.utils.utcnow().isoformat())


async def setup(bot: DramaBot) -> None:
    cog = CatalogLoader(bot)
    await bot.add_cog(cog)
    bot.startup_hooks.insert(0, cog.load)
