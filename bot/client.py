"""DramaBot: the ``commands.Bot`` subclass that owns the store and wires every cog in."""

from __future__ import annotations

import hashlib
import json
import logging
import pkgutil
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot import __version__
from bot.checks import Refused
from bot.errors import BadInput
from bot.reach import server_install, server_only_contexts
from bot.settings import Settings
from bot.store import Store
from bot.textcheck import unstorable
from bot.ui import NO_PINGS, defer_while_store_waits, handle_error

log = logging.getLogger(__name__)


class DramaTree(app_commands.CommandTree):
    """The command tree, with the project's one central error handler."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await handle_error(interaction, error)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Before any command runs.

        * Text no command may store (a lone surrogate, a NUL, control characters) is refused here, for
          every string option of every command, naming the option.
        * Every command answers within Discord's 3 s: a write that must wait for the database defers
          first (privately when the command's cog answers privately: ``answers_privately = True``).
        """
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        for name, value in _string_options((interaction.data or {}).get("options")):
            problem = unstorable(value)
            if problem:
                raise Refused(BadInput(f"The `{name}` you typed {problem}; please type it again."))
        command = interaction.command
        private = bool(getattr(getattr(command, "binding", None), "answers_privately", False))
        defer_while_store_waits(interaction, ephemeral=private)
        return True


def _string_options(options: list[dict[str, Any]] | None):
    """(name, value) of every string option in an interaction's (possibly nested) options."""
    for option in options or []:
        if "options" in option:
            yield from _string_options(option["options"])
        elif option.get("type") == discord.AppCommandOptionType.string.value and isinstance(option.get("value"), str):
            yield option["name"], option["value"]


def discover_extensions() -> list[str]:
    """Every module in ``cogs/`` that is not private (``_name.py``) is an extension."""
    return sorted(
        f"{cogs.__name__}.{info.name}"
        for info in pkgutil.iter_modules(cogs.__path__)
        if not info.name.startswith("_")
    )


class DramaBot(commands.AutoShardedBot):
    """Sharded from the start (one shard is fine): ``SHARD_COUNT`` with ``SHARD_IDS`` or ``CLUSTER_ID`` /
    ``CLUSTER_COUNT`` give this process its slice, so several processes can share the shards.

    Memory per server stays small: no member cache and no chunking at start (the bot never needs the
    member list; interactions carry the member), and a small message cache.
    """

    def __init__(self, settings: Settings, *, store: Store | None = None, auto_sync: bool = True) -> None:
        intents = discord.Intents.default()
        # Not needed (and privileged): Discord delivers the content of messages that mention the bot, DMs and the
        # bot's own messages without it (docs/knowledge.md).
        intents.message_content = False
        intents.members = False
        shard_count, shard_ids = settings.shards()
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            shard_count=shard_count,
            shard_ids=shard_ids,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=100,
            tree_cls=DramaTree,
            allowed_mentions=NO_PINGS,
            help_command=None,
            # Server-only unless a command says otherwise (bot/reach.py): Discord offers nothing in DMs by default.
            allowed_contexts=server_only_contexts(),
            allowed_installs=server_install(),
        )
        self.settings = settings
        self.store = store if store is not None else Store(settings.database)
        self.auto_sync = auto_sync
        self.version = __version__
        self.started_at: datetime = discord.utils.utcnow()
        # Features register persistent views and start-up work here (see cogs).
        self.startup_hooks: list[Any] = []

    async def setup_hook(self) -> None:
        self.started_at = discord.utils.utcnow()
        if not self.store.is_open:
            await self.store.open()
        from bot.i18n import CatalogTranslator

        await self.tree.set_translator(CatalogTranslator())  # localised names/descriptions (bot/locale)
        for name in discover_extensions():
            # A broken cog raises here and stops start-up loudly, by design.
            await self.load_extension(name)
        for hook in self.startup_hooks:
            await hook()
        if self.auto_sync:
            await self.sync_commands()

    def command_signature(self) -> str:
        from bot.i18n import fingerprint

        payload = [cmd.to_dict(self.tree) for cmd in self.tree.get_commands()] + [fingerprint()]
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> str:
        """Sync on purpose: instantly to DEV_GUILD_ID when set, globally only when the commands changed."""
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
            return f"synced to guild {self.settings.dev_guild_id}"
        signature = self.command_signature()
        if not force and await self.store.meta.get("synced_commands") == signature:
            return "commands unchanged; no sync needed"
        await self.tree.sync()
        await self.store.meta.set("synced_commands", signature)
        return "synced globally"

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            await self.store.close()

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process's shards carry ``guild_id`` (Discord: shard = (id >> 22) % shard_count)."""
        shards = self.shard_slice()
        return shards is None or (guild_id >> 22) % shards[0] in shards[1]

    def shard_slice(self) -> tuple[int, tuple[int, ...]] | None:
        """(shard_count, this process's shard ids) when it runs only some shards; None: it runs them all."""
        count, ids = self.settings.shards()
        if not count or ids is None or len(ids) >= count:
            return None
        return count, tuple(ids)

    @property
    def uptime_seconds(self) -> float:
        return (discord.utils.utcnow() - self.started_at).total_seconds()
