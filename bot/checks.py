"""Who may do what. Checks raise :class:`NotAllowed` with text the member can act on.

A *manager* has Manage Server, or the server's manager role (``/settings``). An *owner* is listed in
``OWNER_IDS``. Commands declare their audience in ``extras={"who": ...}`` so ``/help`` and the README
permission table stay true.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import NotAllowed, UserError

if TYPE_CHECKING:
    from bot.client import DramaBot

MEMBER, MANAGER, OWNER = "member", "manager", "owner"


class Refused(app_commands.CheckFailure):
    """A check said no; carries the :class:`UserError` whose text the member sees."""

    def __init__(self, error: UserError) -> None:
        super().__init__(error.message)
        self.error = error


def check(predicate):
    """Like ``app_commands.check`` but the predicate may raise :class:`UserError` (shown to the member)."""

    async def wrapped(interaction: discord.Interaction) -> bool:
        try:
            await predicate(interaction)
        except UserError as exc:
            raise Refused(exc) from None
        return True

    wrapped.predicate = predicate  # type: ignore[attr-defined]  # tests read which rule a command checks
    return app_commands.check(wrapped)


async def is_manager(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild or member.guild_permissions.administrator:
        return True
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    settings = await bot.store.guilds.get(interaction.guild.id)
    return settings.manager_role_id is not None and any(r.id == settings.manager_role_id for r in member.roles)


def is_owner(interaction: discord.Interaction) -> bool:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    return interaction.user.id in bot.settings.owner_ids


async def require_manager(interaction: discord.Interaction) -> None:
    if interaction.guild is None:
        raise NotAllowed("That command only works inside a server.")
    if not await is_manager(interaction):
        raise NotAllowed("Only server managers can do that (Manage Server, or the manager role in /settings).")


def manager_only():
    """App-command check: managers only (see module docstring)."""
    return check(require_manager)


async def require_owner(interaction: discord.Interaction) -> None:
    if not is_owner(interaction):
        raise NotAllowed("Only the bot's owners can do that.")


def owner_only():
    """App-command check: bot owners only (``OWNER_IDS``)."""
    return check(require_owner)


async def require_guild(interaction: discord.Interaction) -> None:
    if interaction.guild is None:
        raise NotAllowed("That command only works inside a server.")


def guild_only():
    return check(require_guild)
