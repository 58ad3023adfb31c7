"""``dramabot demo --interactive``: after the script, the person at the keyboard drives the fan server.

The simulated clock follows real time between commands (the bot reads it through
``discord.utils.utcnow``; here SimCord's clock is moved by the real seconds that passed), and ``/wait``
moves it on, so announcements, reminders and poll deadlines can be watched. Options are parsed against
the command's real parameters, so numbers, booleans, ``#channels``, ``@roles``, ``@members`` and values
holding colons all work. Refusals are part of trying things: they never end the session, and leaving
(``/quit``, end of input, Ctrl-C) always ends the demo normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
import threading
import time
from typing import Any

import discord
from discord import AppCommandOptionType as T
from discord import app_commands

from bot.errors import UserError

MAX_WAIT = 60 * 86400
QUIT = object()

TRYOUT_HELP = """Try-out commands (besides every dramabot command):
  /wait 2h          let simulated time pass (s, m, h, d; e.g. /wait 90m, /wait 1d 2h): watch episode
                    announcements, DM reminders and poll deadlines happen
  /as NAME          act as another member (hana_mod is a server manager); /who lists everyone
  /in #channel      go to another channel (#general, #episode-announcements, #season2-polls)
  /click LABEL      click a button on the latest message that has it (/click 1, /click My vote)
  /menu NAME        use a message menu on the latest member message here
                    (/menu Ask dramabot, /menu Which drama is this?)
  /vote N           vote for answer N in the latest Discord poll here
  /help             dramabot's own /help, then this list
  /quit             leave (also: quit, exit, end of input, Ctrl-C)
Options are typed as name: value, e.g. /drama info title: Guardian: The Lonely and Great God, or
/poll create question: Who wins? options: Sol | Sun-jae hours: 2 channel: #season2-polls. Channels are
#name, roles and members @name, yes/no options true/false. Text right after the command fills its
first option (/ask who plays Im Sol?). A line without / is a message that mentions the bot."""

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\b", re.I)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


class TryoutError(Exception):
    """What the person typed cannot be run; the text says why (no traceback)."""


def parse_duration(text: str) -> float:
    """``2h``, ``90m``, ``1d 2h``, ``45 s`` -> seconds."""
    text = (text or "").strip()
    found = list(_DURATION.finditer(text))
    if not found or _DURATION.sub("", text).strip(" ,+and"):
        raise TryoutError("Say how long, e.g. /wait 2h, /wait 30m or /wait 1d 2h.")
    seconds = sum(float(m.group(1)) * _UNIT[m.group(2)[0].lower()] for m in found)
    if not 0 < seconds <= MAX_WAIT:
        raise TryoutError("Wait between 1 second and 60 days.")
    return seconds


def find_command(tree: app_commands.CommandTree, line: str) -> tuple[app_commands.Command, str]:
    """``/drama info title: x`` -> (the ``drama info`` command, ``"title: x"``): the longest run of words
    naming a command in the tree, then the rest of the line untouched."""
    rest = line.strip().lstrip("/")
    node: Any = None
    while True:
        match = re.match(r"\s*([^\s:]+)(?=\s|$)", rest)
        if not match:
            break
        word = match.group(1).lower()
        child = tree.get_command(word) if node is None else (
            node.get_command(word) if isinstance(node, app_commands.Group) else None)
        if child is None or isinstance(child, app_commands.ContextMenu):
            break
        node, rest = child, rest[match.end():]
    if node is None:
        name = rest.split()[0] if rest.split() else ""
        raise TryoutError(f"There is no command /{name}; /help lists them.")
    if isinstance(node, app_commands.Group):
        subs = ", ".join(sorted(c.name for c in node.commands))
        raise TryoutError(f"/{node.qualified_name} needs one of: {subs}.")
    return node, rest.strip()


def split_options(command: app_commands.Command, text: str) -> dict[str, str]:
    """``title: Guardian: The Lonely God days: 3`` -> {"title": "Guardian: The Lonely God", "days": "3"}.

    Only the command's own option names start a new option, so values may hold colons. Text before the
    first option name fills the first option not given by name (``/ask who plays Im Sol?``)."""
    names = [p.display_name for p in command.parameters]
    if not names:
        if text:
            raise TryoutError(f"/{command.qualified_name} takes no options.")
        return {}
    keys = re.compile(r"(?:^|(?<=\s))(" + "|".join(map(re.escape, names)) + r"):", re.I)
    found = list(keys.finditer(text))
    values: dict[str, str] = {}
    lead = text[: found[0].start()] if found else text
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        values[m.group(1).lower()] = text[m.end():end].strip()
    lead = lead.strip()
    if lead:
        typo = re.match(r"(\w+):", lead)
        if typo and typo.group(1).lower() not in names:
            raise TryoutError(f"/{command.qualified_name} has no option '{typo.group(1)}' "
                              f"(its options: {', '.join(names)}).")
        free = next((n for n in names if n not in values), None)
        if free is None:
            raise TryoutError(f"I don't know which option “{lead[:40]}” is for.")
        values[free] = lead
    return values


class Tryout:
    """One person at the keyboard, acting as any member of the demo server."""

    def __init__(self, demo: Any, lines: asyncio.Queue) -> None:
        self.demo = demo
        self.lines = lines
        self.members = {"hana_mod": demo.manager, **demo.fans}
        self.actor = demo.fans["minji"]
        self.channel = demo.general
        self._last = time.monotonic()
        self.echo = not _is_terminal(sys.stdin)

    @property
    def bot(self):
        return self.demo.bot

    def say(self, text: str = "") -> None:
        self.demo.say(text)

    # ------------------------------------------------------------------ the loop
    async def run(self) -> None:
        self.say(f"\nYour turn. {self.demo.now_text()}. You are {self.actor.name} in #{self.channel.name}. "
                 "Type a slash command (/about, /ask who plays Im Sol?, /wait 2h, /as hana_mod), "
                 "/help for everything you can do here, or /quit.")
        while True:
            self.prompt()
            line = await self.lines.get()
            if line is QUIT:
                break
            line = line.strip()
            if self.echo:
                print(line, file=self.demo.out, flush=True)  # piped input is not shown by a terminal
            if not line:
                continue
            if line.lower() in {"quit", "exit", "q", "/quit", "/exit", "/q"}:
                break
            await self.follow_real_time()
            try:
                await self.handle(line)
            except TryoutError as exc:
                self.say(f"    ✗ {exc}")
            except Exception as exc:  # noqa: BLE001 - whatever SimCord or a command refuses, the session goes on
                self.say(f"    ✗ could not run that: {_one_line(exc)}")
            self.acknowledge_errors()
            self._last = time.monotonic()
        self.acknowledge_errors()  # whatever background work reported since: said here, never as a traceback

    def prompt(self) -> None:
        out = self.demo.out
        print(f"{self.actor.name} #{self.channel.name}> ", end="", file=out, flush=True)

    async def follow_real_time(self) -> None:
        """Move the simulated clock by the real time since the last command finished."""
        elapsed = time.monotonic() - self._last
        if elapsed > 0:
            await self.demo.pass_time(elapsed)

    def acknowledge_errors(self) -> None:
        """A refusal was already shown to the member; anything else is reported here in one line, so that
        SimCord does not raise them all when the demo ends."""
        for error in self.demo.env.errors:
            inner = getattr(error, "original", error)
            inner = getattr(inner, "error", inner)
            if isinstance(inner, UserError | app_commands.CheckFailure | app_commands.TransformerError):
                continue
            self.say(f"    ✗ dramabot hit an unexpected error: {_one_line(inner)}")

    # ------------------------------------------------------------------ one line
    async def handle(self, line: str) -> None:
        if not line.startswith("/"):
            await self.demo.mention(self.actor, self.channel, line)
            return
        word, _, rest = line[1:].partition(" ")
        verb = getattr(self, f"do_{word.lower()}", None)
        if verb is not None:
            await verb(rest.strip())
            return
        command, text = find_command(self.bot.tree, line)
        options = {name: self.convert(command, name, value) for name, value in split_options(command, text).items()}
        await self.demo.slash(self.actor, self.channel, command.qualified_name, **options)

    def convert(self, command: app_commands.Command, name: str, value: str) -> Any:
        """Typed text -> what the option's real type needs (SimCord handles for channels, roles, members)."""
        param = next(p for p in command.parameters if p.display_name == name)
        if param.choices:
            for choice in param.choices:
                if value.casefold() in (str(choice.name).casefold(), str(choice.value).casefold()):
                    return choice.value
            raise TryoutError(f"{name} must be one of: {', '.join(str(c.name) for c in param.choices)}.")
        kind = param.type
        try:
            if kind is T.integer:
                return int(value)
            if kind is T.number:
                return float(value)
        except ValueError:
            raise TryoutError(f"{name} needs a number, not “{value[:40]}”.") from None
        if kind is T.boolean:
            if value.casefold() in _TRUE:
                return True
            if value.casefold() in _FALSE:
                return False
            raise TryoutError(f"{name} is true or false.")
        if kind is T.channel:
            return self.find_channel(value)
        if kind is T.role:
            return self.find_role(value)
        if kind is T.user:
            return self.find_member(value)
        if kind is T.mentionable:
            try:
                return self.find_member(value)
            except TryoutError:
                return self.find_role(value)
        return value

    def find_channel(self, typed: str):
        name = typed.strip().lstrip("#").casefold()
        for channel in self.demo.guild.channels.values():
            if (channel.name or "").casefold() == name:
                return channel
        names = ", ".join(f"#{c.name}" for c in self.demo.guild.channels.values())
        raise TryoutError(f"There is no channel {typed.strip()}; the channels are {names}.")

    def find_role(self, typed: str):
        name = typed.strip().lstrip("@").casefold()
        for role in self.demo.guild.roles.values():
            if role.name.casefold() == name:
                return role
        names = ", ".join(f"@{r.name}" for r in self.demo.guild.roles.values() if r.name != "@everyone")
        raise TryoutError(f"There is no role {typed.strip()}; the roles are {names}.")

    def find_member(self, typed: str):
        name = typed.strip().lstrip("@").casefold()
        if name in ("manager", "mod"):
            name = "hana_mod"
        for key, actor in self.members.items():
            if key.casefold() == name or key.casefold().startswith(name) and name:
                return actor
        raise TryoutError(f"There is no member {typed.strip()}; /who lists them.")

    # ------------------------------------------------------------------ try-out commands
    async def do_help(self, _rest: str) -> None:
        await self.demo.slash(self.actor, self.channel, "help")
        self.say(TRYOUT_HELP)

    async def do_wait(self, rest: str) -> None:
        seconds = parse_duration(rest)
        self.say(f"  ... waiting {rest.strip()} ...")
        await self.demo.pass_time(seconds)
        self.say(f"  ({self.demo.now_text()})")

    async def do_as(self, rest: str) -> None:
        if not rest:
            raise TryoutError("Say who: /as hana_mod (see /who).")
        self.actor = self.find_member(rest)
        self.say(f"  (you are now {self.actor.name}{' — a server manager' if self.actor is self.demo.manager else ''})")

    async def do_who(self, _rest: str) -> None:
        self.say("  Members of K-Drama Lounge:")
        for name, actor in self.members.items():
            role = ("server manager (Manage Server) and the bot's owner" if actor is self.demo.manager
                    else "fan, @Watchers")
            here = "  <- you" if actor is self.actor else ""
            self.say(f"    {name}: {role}{here}")
        self.say("  Switch with /as NAME.")

    async def do_in(self, rest: str) -> None:
        self.channel = self.find_channel(rest)
        self.say(f"  (you are now in #{self.channel.name})")

    async def do_click(self, rest: str) -> None:
        if not rest:
            raise TryoutError("Say which button: /click 1, /click My vote.")
        message, label = self.find_button(rest)
        await self.demo.click(self.actor, message, label=label)

    async def do_menu(self, rest: str) -> None:
        menus = {c.name.casefold(): c.name for c in self.bot.tree.get_commands(type=discord.AppCommandType.message)}
        name = menus.get(rest.strip().casefold())
        if name is None:
            raise TryoutError(f"Say which menu: {', '.join(f'/menu {n}' for n in menus.values())}.")
        target = next((m for m in reversed(self.channel.history()) if not m.author.bot), None)
        if target is None:
            raise TryoutError("Nobody has written a message here yet; type one (without /) first.")
        self.say(f"#{self.channel.name}  {self.actor.name} uses [{name}] on {target.author.name}'s message")
        result = await self.actor.context_menu(self.channel, name, target)
        self.demo.show_result(result)

    async def do_vote(self, rest: str) -> None:
        if not rest.strip().isdigit():
            raise TryoutError("Say which answer: /vote 1.")
        poll = next((m for m in reversed(self.channel.history()) if m.poll is not None), None)
        if poll is None:
            raise TryoutError("There is no Discord poll in this channel (try /poll create ... native: true).")
        self.say(f"  {self.actor.name} votes for answer {int(rest)} in the Discord poll")
        await self.actor.vote(poll, answer=int(rest))
        self.demo.show_new_messages()

    def find_button(self, typed: str) -> tuple[Any, str]:
        """The newest message (what this member can see) with a button labelled ``typed`` (``1`` matches
        the option button ``1. …``)."""
        want = typed.strip().casefold()
        for message in self.demo.recent_messages(self.actor, self.channel):
            for label, disabled in _button_labels(message):
                if label.casefold() == want or label.casefold().startswith(f"{want}.") or (
                        not want.isdigit() and label.casefold().startswith(want)):
                    if disabled:
                        raise TryoutError(f"The button [{label}] is disabled.")
                    return message, label
        raise TryoutError(f"I see no button “{typed.strip()}” here.")


def _button_labels(message: Any) -> list[tuple[str, bool]]:
    out = []

    def walk(node: Any) -> None:
        if hasattr(node, "to_dict"):
            node = node.to_dict()
        if isinstance(node, dict):
            if node.get("type") == 2 and node.get("label"):
                out.append((node["label"], bool(node.get("disabled"))))
            for child in node.get("components", []) or []:
                walk(child)

    for component in getattr(message, "components", None) or []:
        walk(component)
    return out


def _is_terminal(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def stdin_lines(loop: asyncio.AbstractEventLoop, stream=None) -> asyncio.Queue:
    """Lines typed (or piped) on stdin, read by a daemon thread so that leaving never waits for input."""
    queue: asyncio.Queue = asyncio.Queue()
    stream = stream or sys.stdin

    def read() -> None:
        try:
            for line in stream:
                loop.call_soon_threadsafe(queue.put_nowait, line)
        except (OSError, ValueError, UnicodeDecodeError):
            pass
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody is waiting any more
            loop.call_soon_threadsafe(queue.put_nowait, QUIT)

    threading.Thread(target=read, name="demo-stdin", daemon=True).start()
    return queue


async def interactive(demo: Any) -> None:
    loop = asyncio.get_running_loop()
    lines = stdin_lines(loop)
    try:  # Ctrl-C at the prompt leaves like /quit
        loop.add_signal_handler(signal.SIGINT, lines.put_nowait, QUIT)
    except (NotImplementedError, RuntimeError, ValueError):
        pass
    try:
        await Tryout(demo, lines).run()
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGINT)
