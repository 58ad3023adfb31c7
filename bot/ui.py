"""Discord-side helpers shared by every cog: replying safely and the one central error handler.

Every app command, every view callback and the mention handler end up in :func:`handle_error`, so
expected errors read the same everywhere and no traceback ever reaches Discord.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.checks import Refused
from bot.cooldowns import refund
from bot.errors import OnCooldown, UserError
from bot.reach import bot_absent
from bot.store.database import WaitHook, waiting_hook

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
_PILL = re.compile(r"<(?=[@#/])")  # <@user> <@!user> <@&role> <#channel> </command:id>: all render as pills


def escape(text: str | None) -> str:
    """Text from outside (members, the catalog, providers) shown in a message: its markdown shows as typed,
    and mention syntax never renders as a pill (nor pings: ``allowed_mentions`` is none anyway)."""
    text = discord.utils.escape_mentions(discord.utils.escape_markdown(text or ""))
    return _PILL.sub("<\u200b", text)


async def reply(interaction: discord.Interaction, content: str | None = None, *, ephemeral: bool = False,
                **kwargs: Any) -> None:
    """Answer an interaction whether or not it was already responded to or deferred.

    Where only a member's user install reaches (a group DM, a server without the bot) the answer is
    always ephemeral. If Discord fails the first answer with a server error (5xx) we try once more: as a followup when
    the interaction was acknowledged meanwhile, else the same callback again. Other failures propagate.
    """
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    ephemeral = ephemeral or bot_absent(interaction)  # a user install where the bot is no member: only them
    try:
        await _send(interaction, content, ephemeral=ephemeral, **kwargs)
    except discord.HTTPException as exc:
        if not is_server_error(exc):
            raise
        log.warning("Discord failed an answer (%s); retrying once", exc.status)
        await _send(interaction, content, ephemeral=ephemeral, **kwargs)


def defer_hook(interaction: discord.Interaction, *, ephemeral: bool) -> WaitHook:
    """A store wait hook that defers ``interaction`` (its first answer within Discord's 3 s) if not yet answered.

    A write that has to wait for another process's lock calls it first; the real answer then comes as
    a followup (``reply`` handles both cases).
    """
    async def defer() -> None:
        if interaction.response.is_done():
            return
        try:
            if interaction.type is discord.InteractionType.component:
                await interaction.response.defer()  # the clicked message stays; the answer is a followup
            else:
                await interaction.response.defer(ephemeral=ephemeral or bot_absent(interaction), thinking=True)
        except discord.HTTPException as exc:
            log.warning("could not defer an interaction while the database was busy: %s", exc)
    return defer


def defer_while_store_waits(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """For the rest of this task: a write that must wait for the database defers ``interaction`` first."""
    task = asyncio.current_task()
    hook = defer_hook(interaction, ephemeral=ephemeral)

    async def scoped() -> None:
        if asyncio.current_task() is task:  # tasks started from here inherit the context; not theirs
            await hook()
    waiting_hook.set(scoped)


def is_server_error(error: BaseException) -> bool:
    """A 5xx from Discord (discord.py raises DiscordServerError; simulators may raise plain HTTPException)."""
    return isinstance(error, discord.HTTPException) and getattr(error, "status", 0) >= 500


async def _send(interaction: discord.Interaction, content: str | None, *, ephemeral: bool, **kwargs: Any) -> None:
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
        if isinstance(inner, discord.HTTPException) and not isinstance(error, app_commands.TransformerError):
            return discord_failure_message(inner)
        if isinstance(error, app_commands.TransformerError):
            return f"I couldn't understand {error.value!r} there."
        return None
    if isinstance(error, UserError):
        return error.message
    if isinstance(error, discord.HTTPException):
        return discord_failure_message(error)
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


def discord_failure_message(error: discord.HTTPException) -> str | None:
    """Member-facing text for a Discord API failure we can explain; None for the rest (bugs)."""
    if isinstance(error, discord.Forbidden) or error.code in (50001, 50013):
        return ("I don't have the Discord permissions to do that here (I need to view the channel, send "
                "messages and embed links). Ask a server manager to check my role.")
    if is_server_error(error):
        return "Discord had a hiccup and didn't take that. Please try again in a moment."
    if error.code == 10003:
        return "That channel no longer exists."
    return None


async def handle_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Show expected errors ephemerally; log bugs with an id and show the member only that id.

    The member always gets an answer while one is still possible: a failed first response falls back
    to a followup (see :func:`reply`); if even that fails there is nothing left but the log.
    """
    original = getattr(error, "original", error)
    if not _is_cooldown(error):
        refund(interaction)  # a failed command does not count against the member's cooldown
    text = user_message(error)
    if text is None:
        error_id = secrets.token_hex(4)
        command = interaction.command.qualified_name if interaction.command else interaction.data
        log.error("unexpected error %s in %s", error_id, command, exc_info=original)
        text = f"Sorry, something went wrong on my side. If it keeps happening, tell the bot owner: error `{error_id}`."
    elif isinstance(original, discord.HTTPException):
        log.warning("Discord refused a request in %s: %s",
                    interaction.command.qualified_name if interaction.command else "a component", original)
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not tell the member about an error (%s): %s", type(error).__name__, exc)


def _is_cooldown(error: BaseException) -> bool:
    inner = error.error if isinstance(error, Refused) else getattr(error, "original", error)
    return isinstance(inner, OnCooldown)


class BaseView(discord.ui.View):
    """A view whose callback errors go through the central handler; its clicks are answered privately."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        defer_while_store_waits(interaction, ephemeral=True)
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await handle_error(interaction, error)
