"""About the bot itself: /about and /help."""

from __future__ import annotations

from collections import defaultdict

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.helpdoc import command_docs, feature_notes

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
        embed.set_footer(text="Type /help to see every command.")
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="help", description="Every command, grouped by feature, and who may use it.")
    async def help(self, interaction: discord.Interaction) -> None:
        grouped: dict[str, list[str]] = defaultdict(list)
        for doc in command_docs(self.bot):
            who = "" if doc.who == "member" else f" *({WHO_LABEL.get(doc.who, doc.who)})*"
            grouped[doc.feature].append(f"`{doc.name}` {doc.description}{who}")
        notes = feature_notes(self.bot)
        embed = discord.Embed(title="dramabot commands", colour=discord.Colour.from_rgb(236, 72, 153))
        for feature, lines in grouped.items():
            text = "\n".join(lines)
            if feature in notes:
                text += f"\n> {notes[feature]}"
            embed.add_field(name=feature, value=text[:1024], inline=False)
        embed.set_footer(text="Managers: Manage Server or the server's manager role. Owners: set by the bot host.")
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Meta(bot))
