"""Where Discord offers our commands: server-only by default, a few everywhere through a user install.

A *server install* adds the bot to a server (scopes ``bot`` + ``applications.commands``); a *user
install* adds the app to a member's account, so its commands follow them into DMs, group DMs and
servers that never added the bot. The tree defaults to server install + server context (a new command
is server-only unless it says otherwise); lookups that need no server (``/ask``, ``/drama``, ``/actor``,
``/remind``, ``/about``, ``/help``, ``/privacy``, the message commands) use :func:`everywhere`.
Subcommands cannot differ from their group (a Discord limit), so whole groups are marked.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import AppCommandContext, AppInstallationType


def server_only_contexts() -> AppCommandContext:
    """The tree's default: offered only inside servers (never in DMs or group DMs)."""
    return AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def server_install() -> AppInstallationType:
    """The tree's default: available when a server added the bot (not through a user install)."""
    return AppInstallationType(guild=True, user=False)


def everywhere_contexts() -> AppCommandContext:
    return AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def both_installs() -> AppInstallationType:
    return AppInstallationType(guild=True, user=True)


def everywhere(target):
    """Decorator for a command, context menu or GroupCog class: offered in servers, the bot's DMs and
    group DMs, by a server install and by a user install."""
    target = app_commands.allowed_installs(guilds=True, users=True)(target)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(target)


def bot_absent(interaction: discord.Interaction) -> bool:
    """True where only a member's user install brought the interaction: a group DM or a DM between other
    people, or a server that has not added the bot. There only the member should see our answer."""
    if interaction.context.private_channel:
        return True
    guild_id = interaction.guild_id
    return guild_id is not None and interaction.client.get_guild(guild_id) is None
