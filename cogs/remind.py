"""/remind: a member's own DM before each episode of a drama (sent by the schedule announcer)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.errors import NotFound
from bot.reach import bot_absent, everywhere
from bot.schedule.times import duration_text
from bot.ui import escape, reply
from cogs._drama_option import drama_autocomplete, resolve_drama

_esc = escape  # catalog text shown in a message


@everywhere  # a user install brings reminders into DMs and servers without the bot
class Remind(commands.GroupCog, group_name="remind", group_description="DM reminders before episodes."):
    """Personal episode reminders by DM."""

    feature = "Schedules"
    answers_privately = True  # a write that waits for the database defers privately (bot.client)

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @app_commands.command(name="add", description="Get a DM before each episode of a drama.", extras={"who": "member"})
    @app_commands.describe(drama="The drama", minutes="How many minutes before the episode (1-1440, default 30)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    async def add(self, interaction: discord.Interaction, drama: str,
                  minutes: app_commands.Range[int, 1, 1440] = 30) -> None:
        row = await resolve_drama(self.bot, drama)
        now = int(discord.utils.utcnow().timestamp())
        guild_id = None if bot_absent(interaction) else interaction.guild_id
        new = await self.bot.store.schedule.add_reminder(interaction.user.id, row["id"], minutes, guild_id, now)
        nxt = await self.bot.store.schedule.upcoming(now, now + 400 * 86400, drama_id=row["id"], limit=1)
        text = (f"⏰ I'll DM you {duration_text(minutes * 60)} before each episode of **{_esc(row['title'])}**"
                + ("." if new else " (updated)."))
        text += (f" Next one: <t:{nxt[0]['air_at']}:F>." if nxt else " No upcoming episodes are scheduled yet.")
        text += " Make sure you allow DMs from this server's members."
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="remove", description="Stop the DM reminders for a drama.", extras={"who": "member"})
    @app_commands.describe(drama="The drama")
    @app_commands.autocomplete(drama=drama_autocomplete)
    async def remove(self, interaction: discord.Interaction, drama: str) -> None:
        row = await resolve_drama(self.bot, drama)
        if not await self.bot.store.schedule.remove_reminder(interaction.user.id, row["id"]):
            raise NotFound(f"You have no reminder for **{_esc(row['title'])}**; /remind list shows yours.")
        await reply(interaction, f"Done: no more reminders for **{_esc(row['title'])}**.", ephemeral=True)

    @app_commands.command(name="list", description="Your DM reminders.", extras={"who": "member"})
    async def list_(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.schedule.reminders(interaction.user.id)
        if not rows:
            await reply(interaction, "You have no reminders. Add one with /remind add.", ephemeral=True)
            return
        lines = [f"• **{_esc(r['title'])}** — {duration_text(r['minutes'] * 60)} before" for r in rows]
        await reply(interaction, "Your reminders:\n" + "\n".join(lines), ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Remind(bot))
