"""The ``dramabot`` command line: run, demo, db, sync, and the feature commands (ask, catalog, schedule).

Expected failures (no token, unusable database, bad files) print one line to stderr and exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable

from bot import __version__
from bot.errors import ConfigError, DramabotError, StoreError

log = logging.getLogger(__name__)

# Feature modules that add their own sub-commands with ``add_parser(subparsers)``.
FEATURE_CLIS = ("bot.cluster", "bot.catalog.cli", "bot.knowledge.cli", "bot.schedule.cli", "bot.health", "bot.sources.cli")


def _settings():
    from bot.settings import load_settings

    return load_settings()


def _configure_logging(settings) -> None:
    from bot.logs import configure

    configure(settings.log_level, settings.log_file)


# ---------------------------------------------------------------- run
async def _run_bot(settings) -> None:
    import aiohttp
    import discord

    from bot.client import DramaBot
    from bot.store import Store

    token = settings.require_token()
    async with Store(settings.database) as store:
        await store.verify()  # a damaged file is refused here, with how to restore it, not mid-run
        bot = DramaBot(settings, store=store)
        async with bot:
            try:
                await bot.start(token)
            except discord.LoginFailure:
                raise ConfigError("Discord rejected DISCORD_TOKEN; copy a fresh token from the developer portal.") from None
            except discord.PrivilegedIntentsRequired:
                raise ConfigError("Enable the intents listed in the README on the developer portal's Bot tab.") from None
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise ConfigError(f"Cannot reach Discord ({_network_reason(exc)}). Check this machine's network "
                                  "connection, DNS and firewall, then start again.") from None
            except discord.HTTPException as exc:
                raise ConfigError(f"Discord refused to let the bot log in (HTTP {exc.status}); try again "
                                  "later.") from None


def _network_reason(exc: BaseException) -> str:
    """A short reason for a failed connection; never the request (its headers hold the token)."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    reason = getattr(exc, "os_error", None) or exc
    return (getattr(reason, "strerror", None) or type(exc).__name__)[:80]


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require_token()
    _configure_logging(settings)
    try:
        asyncio.run(_run_bot(settings))
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


# ---------------------------------------------------------------- demo
def cmd_demo(args: argparse.Namespace) -> int:
    try:
        from bot.demo.runner import run_demo
    except ImportError as exc:
        raise ConfigError(f"The demo needs the demo extra: pip install -e '.[demo]' ({exc.name} missing).") from None
    try:
        return asyncio.run(run_demo(interactive=args.interactive, scenes=args.scene))
    except KeyboardInterrupt:  # Ctrl-C during the script: leaving is always fine
        print("\nThe demo is over.")
        return 0


# ---------------------------------------------------------------- db
async def _db(args: argparse.Namespace) -> int:
    from bot.store import Store, latest_version

    settings = _settings()
    store = Store(args.database or settings.database)
    if args.action == "check":
        await store.open(migrate=False)
        try:
            version = await store.schema_version()
            integrity = await store.integrity()
        finally:
            await store.close()
        latest = latest_version()
        state = "up to date" if version == latest else f"needs upgrade to {latest} (run: dramabot db upgrade)"
        print(f"{store.name}: schema {version}, {state}; integrity {integrity}")
        return 0 if version == latest and integrity == "ok" else 1
    await store.open()
    try:
        if args.action == "upgrade":
            print(f"{store.name}: schema {await store.schema_version()} (latest)")
        elif args.action == "backup":
            await store.backup(args.path)
            print(f"backed up {store.name} to {args.path}")
    finally:
        await store.close()
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "backup" and not args.path:
        raise ConfigError("Usage: dramabot db backup PATH")
    if args.action == "copy":
        if not (args.path and args.dest):
            raise ConfigError("Usage: dramabot db copy SOURCE DESTINATION (files or postgresql:// URLs)")
        from bot.store.copy import copy_store

        counts = asyncio.run(copy_store(args.path, args.dest))
        print(f"copied {sum(counts.values())} rows in {len(counts)} tables; every table's row count verified")
        return 0
    return asyncio.run(_db(args))


# ---------------------------------------------------------------- sync
async def _sync(settings, guild_id: int | None) -> str:
    import discord

    from bot.client import DramaBot

    bot = DramaBot(settings, auto_sync=False)
    async with bot:
        await bot.login(settings.require_token())  # runs setup_hook: store, cogs
        if guild_id:
            guild = discord.Object(id=guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            return f"synced {len(synced)} commands to guild {guild_id}"
        synced = await bot.tree.sync()
        await bot.store.meta.set("synced_commands", bot.command_signature())
        return f"synced {len(synced)} commands globally (may take up to an hour to show everywhere)"


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require_token()
    _configure_logging(settings)
    print(asyncio.run(_sync(settings, args.guild)))
    return 0


# ---------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dramabot", description="A Discord bot for K-drama fan communities.")
    parser.add_argument("--version", action="version", version=f"dramabot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="connect to Discord and run the bot (needs DISCORD_TOKEN)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="play a fan-server session offline against a simulated Discord")
    p.add_argument("--interactive", action="store_true", help="type slash commands yourself after the script")
    p.add_argument("--scene", action="append", help="play only the named scene(s)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("db", help="database maintenance")
    p.add_argument("action", choices=["upgrade", "check", "backup", "copy"])
    p.add_argument("path", nargs="?", help="backup: the file to write; copy: the SOURCE (file or postgresql:// URL)")
    p.add_argument("dest", nargs="?", help="copy: the DESTINATION, an empty database (file or postgresql:// URL)")
    p.add_argument("--database", help="database file or postgresql:// URL (default: DATABASE_URL or DATABASE_PATH)")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("sync", help="push slash commands to Discord (globally, or to one server)")
    p.add_argument("--guild", type=int, help="sync to this server only (instant)")
    p.set_defaults(func=cmd_sync)

    for module_name in FEATURE_CLIS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        add: Callable[[argparse._SubParsersAction], None] = module.add_parser
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ConfigError, StoreError) as exc:
        print(f"dramabot: {exc}", file=sys.stderr)
        return 2
    except DramabotError as exc:
        print(f"dramabot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
