"""/privacy: a member sees what dramabot stores about them and can delete it.

What is held is composed from every feature store (``store.privacy``, see "Privacy contract" in
docs/CONVENTIONS.md), so a new feature that stores member data shows up here without touching this cog.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.reach import everywhere
from bot.ui import BaseView, reply

log = logging.getLogger(__name__)

NOT_STORED = ("I keep only your Discord id with these, never your name or your messages, and questions you "
              "ask are not saved; in anonymous polls your vote is kept under a keyed hash, not your id.")


def describe_counts(held: dict[str, int]) -> str:
    return "\n".join(f"• {label}: {count:,}" for label, count in sorted(held.items()))


class ConfirmDelete(BaseView):
    """Delete / Keep buttons that only the member who asked may press."""

    def __init__(self, bot: DramaBot, user_id: int) -> None:
        super().__init__(timeout=120)
        self.bot = bot
        self.user_id = user_id
        self.message: discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await super().interaction_check(interaction)
        if interaction.user.id != self.user_id:
            await reply(interaction, "Only the member who asked can answer this.", ephemeral=True)
            return False
        return True

    def _close(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        self.stop()

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        held = await self.bot.store.privacy.forget(self.user_id)
        self._close()
        log.info("deleted the data of a member on request (%d kinds)", len(held))
        text = ("Done: I deleted everything I stored about you:\n" + describe_counts(held)) if held else \
            "Done: there was nothing stored about you."
        if interaction.response.is_done():  # deferred while the database was busy
            await interaction.edit_original_response(content=text, view=self)
        else:
            await interaction.response.edit_message(content=text, view=self)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._close()
        await interaction.response.edit_message(content="Nothing was deleted.", view=self)

    async def on_timeout(self) -> None:
        self._close()
        if self.message is not None:
            try:
                await self.message.edit(content="This request expired; nothing was deleted.", view=self)
            except discord.HTTPException:
                pass


@everywhere  # whoever could store something through a user install can see and delete it
class Privacy(commands.GroupCog, group_name="privacy", group_description="What dramabot stores about you."):
    """Your data."""

    feature = "Privacy"
    answers_privately = True  # a write that waits for the database defers privately (bot.client)
    help_note = "Deleting removes your votes, prediction points and reminders in every server."

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="See what dramabot stores about you.", extras={"who": "member"})
    async def show(self, interaction: discord.Interaction) -> None:
        held = await self.bot.store.privacy.describe(interaction.user.id)
        if held:
            text = ("Here is what I store about you, in every server:\n" + describe_counts(held)
                    + "\n" + NOT_STORED + "\nUse /privacy delete to remove it.")
        else:
            text = "I don't store anything about you. " + NOT_STORED
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="delete", description="Delete your votes, points and reminders (asks first).",
                          extras={"who": "member"})
    async def delete(self, interaction: discord.Interaction) -> None:
        held = await self.bot.store.privacy.describe(interaction.user.id)
        if not held:
            await reply(interaction, "I don't store anything about you, so there is nothing to delete.",
                        ephemeral=True)
            return
        view = ConfirmDelete(self.bot, interaction.user.id)
        text = ("This deletes, in every server and for good:\n" + describe_counts(held)
                + "\nYour votes stop counting in polls. Are you sure?")
        await reply(interaction, text, ephemeral=True, view=view)
        try:
            view.message = await interaction.original_response()
        except discord.HTTPException:
            view.message = None


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Privacy(bot))
