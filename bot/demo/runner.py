"""Build a fan server on SimCord, play every scene in ``bot/demo/scenes``, print the transcript.

A scene is a module ``scenes/NN_name.py`` with ``TITLE`` and ``async def play(demo)``; scenes are
discovered and played in file-name order, so each feature adds itself by dropping a file in.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.client import DramaBot
from bot.demo import scenes as scenes_pkg
from bot.demo import tryout
from bot.demo.render import humanize, render_message
from bot.settings import Settings, load_settings

STEP_SECONDS = 15 * 60
PROGRESS_SECONDS = 12 * 3600


class Demo:
    """The stage: a fan server, its people, and verbs that act and print what happened."""

    def __init__(self, env: simcord.Env, db_path: Path, out=None) -> None:
        self.env = env
        self.db_path = db_path
        self.out = out or sys.stdout
        self.guild = env.create_guild(name="K-Drama Lounge")
        g = self.guild
        self.general = g.create_text_channel("general")
        self.announcements = g.create_text_channel("episode-announcements")
        self.polls = g.create_text_channel("season2-polls")
        self.manager_role = g.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
        self.watchers = g.create_role("Watchers", mentionable=True)
        self.manager = g.add_member(env.create_user("hana_mod"), roles=[self.manager_role])
        # hana_mod also hosts the bot here (OWNER_IDS), so the owner's schedule commands can be tried too
        self.owner_ids = frozenset({self.manager.id})
        env.bot.settings = replace(env.bot.settings, owner_ids=self.owner_ids)
        self.fans = {
            name: g.add_member(env.create_user(name), roles=[self.watchers])
            for name in ("minji", "jae", "sora", "dohyun")
        }
        self._seen: set[int] = set()
        self._replies: list[tuple[int, Any]] = []  # (member id, ephemeral reply): what only they can see
        self._mark_seen()
        self.overrides: dict[str, Any] = {}  # settings a scene turned on (kept across restarts), e.g. live data
        self.cleanups: list[Any] = []         # async callables run after the bot stopped (a scene's feed server)

    @property
    def bot(self) -> DramaBot:
        return self.env.bot  # type: ignore[return-value]

    # ------------------------------------------------------------ printing
    def say(self, text: str = "") -> None:
        print(humanize(text, self._name_of, discord.utils.utcnow()), file=self.out)

    def _name_of(self, kind: str, ident: int) -> str | None:
        guild = self.bot.get_guild(self.guild.id)
        if kind == "#":
            channel = self.bot.get_channel(ident)
            return getattr(channel, "name", None)
        if kind == "@&":
            role = guild.get_role(ident) if guild else None
            return role.name if role else None
        user = self.bot.get_user(ident)
        if user is None:
            for actor in [self.manager, *self.fans.values()]:
                if actor.id == ident:
                    return actor.name
        return user.name if user else None

    def now_text(self) -> str:
        """The simulated date and time (SimCord's clock, which the bot reads through discord.utils.utcnow)."""
        return "simulated time: " + discord.utils.utcnow().strftime("%a %d %b %Y %H:%M UTC")

    def narrate(self, text: str) -> None:
        self.say(f"  * {text}")

    def _who(self, actor: Any) -> str:
        return getattr(actor, "name", "someone")

    def _channels(self) -> list[Any]:
        chans = list(self.guild.channels.values())
        for ch in list(chans):
            try:
                chans.extend(ch.threads)
            except Exception:  # noqa: BLE001 - some channel kinds have no threads
                pass
        return chans

    def _members(self) -> list[Any]:
        return [self.manager, *self.fans.values()]

    def _dm_channels(self) -> list[tuple[str, Any]]:
        return [(member.name, member.user.dm_channel) for member in self._members()]

    def _mark_seen(self) -> None:
        for ch in [*self._channels(), *(dm for _name, dm in self._dm_channels())]:
            for msg in ch.history():
                self._seen.add(msg.id)

    def show_new_messages(self, *, skip: set[int] = frozenset()) -> None:
        """Print bot messages posted since the last action (announcements, results, DM reminders...)."""
        places = [(f"#{ch.name}", ch) for ch in self._channels()]
        places += [(f"DM to {name}", dm) for name, dm in self._dm_channels()]
        for where, ch in places:
            for msg in ch.history():
                if msg.id in self._seen:
                    continue
                self._seen.add(msg.id)
                if msg.id in skip or not msg.author.bot:
                    continue
                self.say(f"{where}  dramabot:")
                self.say(render_message(msg))

    def recent_messages(self, actor: Any, channel: Any) -> list[Any]:
        """Messages this member can click on, newest first: their own private replies, then this channel,
        then the other channels."""
        mine = [m for who, m in reversed(self._replies) if who == actor.id]
        here = list(reversed(channel.history()))
        others = [m for ch in self._channels() if ch.id != channel.id for m in reversed(ch.history())]
        return mine + here + others

    @staticmethod
    def _options_text(options: dict[str, Any]) -> str:
        parts = []
        for key, value in options.items():
            shown = getattr(value, "mention", None) or (f"#{value.name}" if hasattr(value, "history") else value)
            parts.append(f"{key}: {shown}")
        return " ".join(parts)

    # ------------------------------------------------------------ verbs
    async def slash(self, actor: Any, channel: Any, name: str, /, **options: Any) -> simcord.InteractionResult:
        self.say(f"#{channel.name}  {self._who(actor)}: /{name} {self._options_text(options)}".rstrip())
        result = await actor.slash(channel, name, **options)
        return self.show_result(result, actor)

    async def click(self, actor: Any, message: Any, *, label: str | None = None,
                    custom_id: str | None = None) -> simcord.InteractionResult:
        self.say(f"  {self._who(actor)} clicks [{label or custom_id}]")
        result = await actor.click(message, label=label, custom_id=custom_id)
        return self.show_result(result, actor)

    async def autocomplete(self, actor: Any, channel: Any, name: str, option: str, typed: str) -> list[str]:
        choices = await actor.autocomplete(channel, name, option, typed)
        names = [c["name"] for c in choices]
        self.say(f"#{channel.name}  {self._who(actor)} types /{name} {option}: {typed!r}")
        self.say(f"    suggestions: {', '.join(names[:6]) or '(none)'}")
        return names

    async def mention(self, actor: Any, channel: Any, text: str) -> None:
        self.say(f"#{channel.name}  {self._who(actor)}: @dramabot {text}")
        await actor.send(channel, f"{self.bot.user.mention} {text}")
        self.show_new_messages()

    async def advance(self, seconds: float, note: str | None = None) -> None:
        self.say(f"  ... {note or f'{seconds / 60:.0f} minutes pass'} ...")
        await self.pass_time(seconds)

    async def pass_time(self, seconds: float) -> None:
        """Move the simulated clock, in steps (one SimCord advance may use only ~5 s of real time), printing
        what the bot posts on the way. Long spans say where they are every 12 simulated hours: each one
        takes a few real seconds (the bot's background loops wake every few simulated minutes)."""
        progress = seconds > PROGRESS_SECONDS
        since = 0.0
        while seconds > 0:
            step = min(seconds, STEP_SECONDS)
            await self.env.advance_time(step)
            seconds -= step
            since += step
            self.show_new_messages()
            if progress and since >= PROGRESS_SECONDS and seconds > 0:
                since = 0.0
                self.say(f"  ... {self.now_text()} ...")

    async def restart(self, note: str = "the bot restarts") -> None:
        self.say(f"  ... {note} ...")
        old = self.bot
        await self.env.restart_bot(make_bot(self.db_path, self.owner_ids, **self.overrides))
        self.cleanups.append(lambda: release(old))  # SimCord never closes a bot: its store's thread would outlive us
        self.show_new_messages()

    def show_result(self, result: simcord.InteractionResult, actor: Any = None) -> simcord.InteractionResult:
        shown: set[int] = set()
        for message in [result.response, *result.followups]:
            flags = getattr(message, "flags", None)
            if actor is not None and message is not None and flags is not None and flags.ephemeral:
                self._replies.append((actor.id, message))
        if result.modal:
            self.say(f"    (a form opens: {result.modal.get('title', '')})")
        response = result.response
        if response is not None:
            shown.add(response.id)
            self.say("  dramabot:")
            self.say(render_message(response))
        for followup in result.followups:
            shown.add(followup.id)
            self.say(render_message(followup))
        self.show_new_messages(skip=shown)
        self._seen |= shown
        return result


async def release(bot: DramaBot) -> None:
    """Close what a bot holds (SimCord never calls ``bot.close()``): its live-data HTTP session, its store."""
    sources = bot.get_cog("Sources")
    if sources is not None and getattr(sources, "provider", None) is not None:
        await sources.provider.client.close()
    await bot.store.close()


def make_bot(db_path: Path, owner_ids: frozenset[int] = frozenset(), **overrides: Any) -> DramaBot:
    """A bot on the demo's own database; only CATALOG_PATH is taken from the environment (Docker sets it).
    ``overrides``: settings a scene turned on (live data from the local recorded feed)."""
    catalog = load_settings().catalog_path
    return DramaBot(replace(Settings(), database_path=db_path, owner_ids=owner_ids, catalog_path=catalog,
                            **overrides))


def discover_scenes(only: list[str] | None = None) -> list[Any]:
    found = []
    for info in sorted(pkgutil.iter_modules(scenes_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        if only and not any(o in info.name for o in only):
            continue
        found.append(importlib.import_module(f"{scenes_pkg.__name__}.{info.name}"))
    return found


async def run_demo(*, interactive: bool = False, scenes: list[str] | None = None, out=None) -> int:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="dramabot-demo-") as tmp:
        db_path = Path(tmp) / "demo.sqlite3"
        bot = make_bot(db_path)
        cleanups: list[Any] = []
        try:
            async with simcord.run(bot) as env:
                demo = Demo(env, db_path, out=out)
                demo.cleanups = cleanups
                demo.say("dramabot demo — a simulated fan server, no token, no network.\n")
                demo.say(f"It is {demo.now_text()[len('simulated time: '):]} in the simulation "
                         "(the simulated clock starts on 1 January 2026).")
                for scene in discover_scenes(scenes):
                    demo.say(f"\n=== {scene.TITLE} === ({demo.now_text()})")
                    await scene.play(demo)
                if interactive:
                    await tryout.interactive(demo)
                demo.say("\nThe demo is over.")
        finally:
            await release(env.bot if "env" in locals() else bot)
            for cleanup in cleanups:  # after the bot stopped (a scene's local feed server)
                await cleanup()
    return 0

