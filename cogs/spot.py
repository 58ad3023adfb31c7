""""Which drama is this?": a message menu that names the dramas, people and characters in a message.

Discord hands the message's text to the command, so no message-content intent is needed. The
answer is only for the member who asked (they are curious; the channel need not be). Finding the
names is ``bot.knowledge.spot``; this file only renders them.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.errors import BadInput
from bot.knowledge.engine import engine_for
from bot.knowledge.labels import drama_label
from bot.knowledge.spot import spot
from bot.reach import everywhere
from bot.ui import escape, reply
from cogs.ask import message_text

MENU = "Which drama is this?"


def _esc(text: str) -> str:
    return escape(str(text or ""))


def _year(row) -> str:
    return f" ({row['year']})" if row["year"] else ""


class Spot(commands.Cog):
    """Find what a message is talking about."""

    feature = "Dramas"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.menu = everywhere(app_commands.ContextMenu(
            name=MENU, callback=self.which_drama,
            extras={"who": "member", "description": "(message menu) The dramas, actors and characters a message "
                                                    "names."}))

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def which_drama(self, interaction: discord.Interaction, message: discord.Message) -> None:
        text = message_text(message)
        if not text:
            raise BadInput("That message has no text I can read.")
        found = await spot(engine_for(self.bot.store), text)
        if not found:
            await reply(interaction, "I couldn't find a drama, an actor or a character I know in that message. "
                                     "Try /drama search or /ask.", ephemeral=True)
            return
        lines = []
        if found.dramas:
            lines.append("**Dramas:** " + ", ".join(f"{_esc(drama_label(d))}" for d in found.dramas))
        if found.people:
            lines.append("**People:** " + ", ".join(_esc(p["name"]) for p in found.people))
        if found.characters:
            lines.append("**Characters:** " + "; ".join(
                f"{_esc(c['character'])}, played by {_esc(c['name'])} in {_esc(c['title'])}{_year(c)}"
                for c in found.characters))
        lines.append("More with /drama info, /actor info or /ask.")
        await reply(interaction, "In that message:\n" + "\n".join(lines), ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Spot(bot))
