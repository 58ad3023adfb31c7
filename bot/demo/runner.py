"""Build a fan server on SimCord, play every scene in ``bot/demo/scenes``, print the transcript.

A scene is a module ``scenes/NN_name.py`` with ``TITLE`` and ``async def play(demo)``; scenes are
discovered and played in file-name order, so each feature adds itself by dropping a file in.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.client import DramaBot
from bot.demo import scenes as scenes_pkg
from bot.demo.render import humanize, render_message
from bot.settings import Settings, load_settings


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
        self.fans = {
            name: g.add_member(env.create_user(name), roles=[self.watchers])
            for name in ("minji", "jae", "sora", "dohyun")
        }
        self._seen: set[int] = set()
        self._mark_seen()

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

    def _mark_seen(self) -> None:
        for ch in self._channels():
            for msg in ch.history():
                self._seen.add(msg.id)

    def show_new_messages(self, *, skip: set[int] = frozenset()) -> None:
        """Print bot messages posted since the last action (announcements, results...)."""
        for ch in self._channels():
            for msg in ch.history():
                if msg.id in self._seen:
                    continue
                self._seen.add(msg.id)
                if msg.id in skip or not msg.author.bot:
                    continue
                self.say(f"#{ch.name}  dramabot:")
                self.say(render_message(msg))

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
        return self._show_result(result)

    async def click(self, actor: Any, message: Any, *, label: str | None = None,
                    custom_id: str | None = None) -> simcord.InteractionResult:
        self.say(f"  {self._who(actor)} clicks [{label or custom_id}]")
        result = await actor.click(message, label=label, custom_id=custom_id)
        return self._show_result(result)

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
        await self.env.advance_time(seconds)
        self.show_new_messages()

    async def restart(self, note: str = "the bot restarts") -> None:
        self.say(f"  ... {note} ...")
        await self.env.restart_bot(make_bot(self.db_path))
        self.show_new_messages()

    def _show_result(self, result: simcord.InteractionResult) -> simcord.InteractionResult:
        shown: set[int] = set()
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


def make_bot(db_path: Path) -> DramaBot:
    """A bot on the demo's own database; only CATALOG_PATH is taken from the environment (Docker sets it)."""
    catalog = load_settings().catalog_path
    return DramaBot(replace(Settings(), database_path=db_path, owner_ids=frozenset(), catalog_path=catalog))


def discover_scenes(only: list[str] | None = None) -> list[Any]:
    found = []
    for info in sorted(pkgutil.iter_modules(scenes_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        if only and not any(o in info.name for o in only):
            continue
        found.append(importlib.import_module(f"{scenes_pkg.__name__}.{info.name}"))
    return found


_OPTION = re.compile(r"(\w+):")


def parse_command(line: str) -> tuple[str, dict[str, str]]:
    """``/ask question: who plays Im Sol?`` -> ("ask", {"question": "who plays Im Sol?"})."""
    line = line.strip().lstrip("/")
    match = _OPTION.search(line)
    if not match:
        return line.strip(), {}
    name = line[: match.start()].strip()
    options: dict[str, str] = {}
    pieces = _OPTION.split(line[match.start():])
    # pieces: ['', key1, value1, key2, value2...]
    for key, value in zip(pieces[1::2], pieces[2::2], strict=False):
        options[key] = value.strip()
    return name, options


async def interactive(demo: Demo) -> None:
    fan = demo.fans["minji"]
    demo.say("\nYour turn: you are minji in #general. Type a slash command (e.g. /about, "
             "/ask question: who plays Im Sol?), 'help', or 'quit'.")
    while True:
        try:
            line = await asyncio.to_thread(input, "minji> ")
        except EOFError:
            break
        line = line.strip()
        if not line:
            continue
        if line in {"quit", "exit", "q"}:
            break
        if line == "help":
            line = "/help"
        if not line.startswith("/"):
            await demo.mention(fan, demo.general, line)
            continue
        name, options = parse_command(line)
        try:
            await demo.slash(fan, demo.general, name, **options)
        except Exception as exc:  # noqa: BLE001 - the person typed something SimCord refuses
            demo.say(f"    (could not run that: {exc})")


async def run_demo(*, interactive: bool = False, scenes: list[str] | None = None, out=None) -> int:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="dramabot-demo-") as tmp:
        db_path = Path(tmp) / "demo.sqlite3"
        bot = make_bot(db_path)
        try:
            async with simcord.run(bot) as env:
                demo = Demo(env, db_path, out=out)
                demo.say("dramabot demo — a simulated fan server, no token, no network.\n")
                for scene in discover_scenes(scenes):
                    demo.say(f"\n=== {scene.TITLE} ===")
                    await scene.play(demo)
                if interactive:
                    await interactive_session(demo)
                demo.say("\nThe demo is over.")
        finally:
            await env.bot.store.close() if "env" in locals() else await bot.store.close()
    return 0


interactive_session = interactive
