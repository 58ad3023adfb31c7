"""/catalog season2: the bot owner records a drama's season-2 news; season-2 polls resolve from it.

Tiny on purpose: the catalog itself is maintained with the ``dramabot catalog`` CLI. After the
status is stored, open and closed unresolved season-2 polls for that drama are resolved at once
(and, should the polls cog be absent now, on its next start).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks
from bot.client import DramaBot
from bot.ui import escape, reply
from cogs._drama_option import drama_autocomplete, resolve_drama

log = logging.getLogger(__name__)


@app_commands.allowed_contexts(guilds=True, dms=True)  # owners may also use it in a DM with the bot
class CatalogAdmin(commands.GroupCog, group_name="catalog", group_description="Bot-owner catalog updates."):
    """Owner-only catalog corrections."""

    feature = "Catalog (owners)"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @app_commands.command(name="season2", description="Set a drama's season-2 status; resolves its season-2 polls.",
                          extras={"who": "owner"})
    @app_commands.describe(drama="The drama (pick from the list)", status="What is known now about season 2",
                           note="A short note shown with the status (source, date...)")
    @app_commands.choices(status=[app_commands.Choice(name=s, value=s)
                                  for s in ("confirmed", "denied", "rumoured", "unknown")])
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def season2(self, interaction: discord.Interaction, drama: str, status: app_commands.Choice[str],
                      note: str | None = None) -> None:
        row = await resolve_drama(self.bot, drama)
        cleaned = " ".join(note.split())[:300] if note else None
        today = discord.utils.utcnow().date().isoformat()
        await self.bot.store.catalog.set_season2(row["id"], status.value, cleaned, today)
        log.info("season-2 status of %s set to %s by %d", row["slug"], status.value, interaction.user.id)
        resolved = 0
        polls = self.bot.get_cog("Polls")
        if polls is not None and hasattr(polls, "auto_resolve"):
            resolved = await polls.auto_resolve(row["id"])
        else:
            self.bot.dispatch("season2_status_changed", row["id"])
        title = escape(row["title"])
        text = f"Season 2 of {title} is now **{status.value}**."
        if resolved:
            text += f" Resolved {resolved} season-2 poll{'s' if resolved != 1 else ''}."
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="sources", description="Live data status: last syncs, calls, errors, links.",
                          extras={"who": "owner"})
    @checks.owner_only()
    async def sources(self, interaction: discord.Interaction) -> None:
        from bot.sources.report import status_lines

        lines = await status_lines(self.bot.store, self.bot.settings)
        text = discord.utils.escape_mentions("\n".join(lines))[:1900]
        await reply(interaction, text, ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(CatalogAdmin(bot))
