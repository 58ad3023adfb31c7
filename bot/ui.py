"""Discord-side helpers shared by every cog: replying safely and the one central error handler.

Every app command, every view callback and the mention handler end up in :func:`handle_error`, so
expected errors read the same everywhere and no traceback ever reaches Discord.
"""

from __future__ import annotations

import logging
import math
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.checks import Refused
from bot.errors import UserError

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()


async def reply(interaction: discord.Interaction, content: str | None = None, *, ephemeral: bool = False,
                **kwargs: Any) -> None:
    """Answer an interaction whether or not it was already responded to or deferred."""
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


def user_message(error: BaseException) -> str | None:
    """The text to show for an expected error, or None when it is a bug."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.original if isinstance(error, app_commands.CommandInvokeError) else error.__cause__
        if isinstance(inner, UserError):
            return inner.message
        if isinstance(error, app_commands.TransformerError):
            return f"I couldn't understand {error.value!r} there."
        return None
    if isinstance(error, UserError):
        return error.message
    if isinstance(error, Refused):
        return error.error.message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: you can do that again in {math.ceil(error.retry_after)} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works inside a server."
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        return str(error)
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def handle_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Show expected errors ephemerally; log bugs with an id and show the member only that id."""
    text = user_message(error)
    if text is None:
        error_id = secrets.token_hex(4)
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else interaction.data
        log.error("unexpected error %s in %s", error_id, command, exc_info=original)
        text = f"Sorry, something went wrong on my side. If it keeps happening, tell the bot owner: error `{error_id}`."
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not tell the member about an error (%s): %s", type(error).__name__, exc)


class BaseView(discord.ui.View):
    """A view whose callback errors go through the central handler."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_error(interaction, error)
