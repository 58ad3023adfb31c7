"""About the bot itself: /about and /help."""

from __future__ import annotations

from collections import defaultdict

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.helpdoc import command_docs, feature_notes
from bot.reach import bot_absent, everywhere
from bot.sources import tmdb

LIVE_CREDIT = ("Dramas and episode times are kept current from TVmaze (https://www.tvmaze.com), whose data is "
               "shared under CC BY-SA.")
WHO_LABEL = {"member": "everyone", "manager": "managers", "owner": "bot owners"}


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes}m")
    if not days:
        parts.append(f"{secs}s")
    return " ".join(parts)


class Meta(commands.Cog):
    """About dramabot."""

    feature = "About"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="about", description="What this bot is, its version, catalog size and health.")
    async def about(self, interaction: discord.Interaction) -> None:
        counts = await self.bot.store.catalog.counts()
        latency = self.bot.latency
        latency_text = f"{latency * 1000:.0f} ms" if latency == latency and latency != float("inf") else "n/a"
        embed = discord.Embed(
            title="About dramabot",
            description="Your K-drama companion: cast and drama facts, season-2 polls and episode announcements.",
            colour=discord.Colour.from_rgb(236, 72, 153),
        )
        embed.add_field(name="Version", value=self.bot.version)
        embed.add_field(name="Catalog", value=f"{counts['dramas']:,} dramas, {counts['people']:,} people")
        embed.add_field(name="Uptime", value=_duration(self.bot.uptime_seconds))
        embed.add_field(name="Gateway latency", value=latency_text)
        embed.add_field(name="Live data", value=LIVE_CREDIT, inline=False)
        settings = self.bot.settings
        if settings.tmdb_api_key and settings.sources != "none":  # TMDB's terms: its notice wherever its data is used
            embed.add_field(name="TMDB", value=tmdb.ATTRIBUTION, inline=False)
        embed.set_footer(text="Type /help to see every command.")
        await interaction.response.send_message(embed=embed, ephemeral=bot_absent(interaction))

    @everywhere
    @app_commands.command(name="help", description="Every command, grouped by feature, and who may use it.")
    async def help(self, interaction: discord.Interaction) -> None:
        pages = help_embeds(self.bot)
        await interaction.response.send_message(embed=pages[0], ephemeral=True)
        for page in pages[1:]:
            await interaction.followup.send(embed=page, ephemeral=True)


FIELD_MAX, FIELDS_MAX, EMBED_BUDGET = 1024, 25, 5500  # Discord: 1024 per field, 25 fields, 6000 per message


def _chunks(lines: list[str], limit: int = FIELD_MAX) -> list[str]:
    """Join lines into blocks of at most ``limit`` characters, never splitting a line unless it alone is too long."""
    out: list[str] = []
    current = ""
    for line in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def help_embeds(bot: DramaBot) -> list[discord.Embed]:
    """/help as embeds: a field per feature (split into "(cont.)" fields past 1024 characters), new
    embeds past 25 fields or ~5500 characters, each sent as its own message."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for doc in command_docs(bot):
        who = "" if doc.who == "member" else f" *({WHO_LABEL.get(doc.who, doc.who)})*"
        grouped[doc.feature].append(f"`{doc.name}` {doc.description}{who}")
    notes = feature_notes(bot)
    fields: list[tuple[str, str]] = []
    for feature, lines in grouped.items():
        if feature in notes:
            lines = [*lines, f"> {notes[feature]}"]
        for i, block in enumerate(_chunks(lines)):
            fields.append((feature if i == 0 else f"{feature} (cont.)", block))
    colour = discord.Colour.from_rgb(236, 72, 153)
    footer = "Managers: Manage Server or the server's manager role. Owners: set by the bot host."
    pages = [discord.Embed(title="dramabot commands", colour=colour)]
    for name, value in fields:
        page = pages[-1]
        if len(page.fields) >= FIELDS_MAX or len(page) + len(name) + len(value) > EMBED_BUDGET:
            page = discord.Embed(title="dramabot commands (continued)", colour=colour)
            pages.append(page)
        page.add_field(name=name, value=value, inline=False)
    pages[-1].set_footer(text=footer)
    return pages


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Meta(bot))
