"""Robustness across every slash command, read off the live tree (new commands are covered unchanged):

* fuzz: hostile option values as a manager (and owner): no unexpected error, no ping, every
  interaction answered, every rejection a clear message;
* permissions: commands for managers/owners refuse plain members with a clear message and work for
  the right people;
* Discord failures (500 on the interaction callback, on followups, on channel messages; 50013): the
  member still gets an answer whenever one is possible.

Cases are drawn with hypothesis (derandomised, generate phase only) and all run in ONE SimCord env
per cog, which keeps the whole file to a few seconds. ``DRAMABOT_FUZZ_EXAMPLES`` raises the count.
"""

from __future__ import annotations

import os
from dataclasses import replace

import discord
import pytest
import pytest_asyncio
import simcord
from discord import app_commands
from discord.enums import AppCommandOptionType as T
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.checks import Refused
from bot.client import discover_extensions
from bot.errors import NotAllowed, UserError
from bot.helpdoc import _who
from bot.i18n import walk

EXAMPLES = int(os.environ.get("DRAMABOT_FUZZ_EXAMPLES", "4"))
STRING_MAX = 6000  # Discord's limit for a string option
INT_LIMIT = 2**53 - 1
APOLOGY = "something went wrong"


# ---------------------------------------------------------------- helpers
def leaves(bot, module: str | None = None) -> list[app_commands.Command]:
    found = [node for node, is_group in walk(bot.tree) if not is_group
             and (module is None or type(node.binding).__module__ == module)]
    return sorted(found, key=lambda c: c.qualified_name)


def unwrap(error: BaseException) -> BaseException:
    if isinstance(error, Refused):
        return error.error
    inner = getattr(error, "original", None)
    if inner is None and isinstance(error, app_commands.TransformerError):
        inner = error.__cause__
    return inner if inner is not None else error


def draw(strategy, n: int) -> list:
    """n reproducible examples of ``strategy`` (no shrinking: the failure report names the case)."""
    out: list = []

    @hsettings(max_examples=n, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
               suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value):
        out.append(value)

    collect()
    return out[:n]


def answer_text(result: simcord.InteractionResult) -> str:
    parts = []
    for message in ([result.response] if result.response else []) + result.followups:
        parts.append(message.content or "")
        parts.extend(f"{e.title or ''} {e.description or ''}" for e in message.embeds)
    return " ".join(parts).strip()


def answered(result: simcord.InteractionResult) -> bool:
    return bool(result.response is not None or result.followups or result.modal)


def ping_problems(entries) -> list[str]:
    """Messages the bot sent whose allowed_mentions would let a mention ping someone."""
    problems = []
    for entry in entries:
        body = entry.json if isinstance(entry.json, dict) else None
        if body is None:
            continue
        if "data" in body and "type" in body:  # interaction callback
            body = body["data"] if isinstance(body["data"], dict) else {}
        if not ("content" in body or "embeds" in body or "components" in body):
            continue
        allowed = body.get("allowed_mentions")
        if allowed is None:
            problems.append(f"{entry.method} {entry.path}: no allowed_mentions (Discord would parse all)")
            continue
        if set(allowed.get("parse", [])) & {"everyone", "roles", "users"} or allowed.get("roles") \
                or allowed.get("users"):
            problems.append(f"{entry.method} {entry.path}: allowed_mentions {allowed}")
    return problems


# ---------------------------------------------------------------- world
@pytest_asyncio.fixture
async def arena(world):
    """The fan server plus a voice and a news channel; the manager is also a bot owner."""
    world.voice = world.guild.create_voice_channel("watch-party")
    world.news = world.guild.create_news_channel("news")
    bot = world.env.bot
    bot.settings = replace(bot.settings, owner_ids=frozenset({world.manager.id}))
    return world


def channels_for(param, world) -> list:
    every = [world.general, world.announcements, world.polls, world.voice, world.news]
    wanted = {t.value for t in (param.channel_types or [])}
    return [c for c in every if not wanted or c._channel.type in wanted] or [world.general]


def hostile_strings(world) -> list[str]:
    base = [
        "", " ", "\n\t ", "@everyone", "@here", "<@&ROLE>", "<@USER>", "<@!USER>", "<#CHANNEL>",
        "@everyone <@&ROLE> look!", "\u202egnirts lanimret\u202c", "مرحبا بالدراما", "\u200b",
        "**bold** __u__ ~~s~~ `code` ```py\nx``` ||spoiler|| > quote # Heading", "[click](https://evil.example)",
        "'; DROP TABLE guild_settings; --", "\" OR 1=1 --", "1); DELETE FROM meta; --",
        "title:x AND NEAR(a b) OR * NOT", "\"unterminated", "*", "-", "^", "(", "col:", "a OR", "NEAR(",
        "한국어 드라마 선재 업고 튀어", "🙂" * 40, "Lovely \ud800 Runner", "Lovely\x00Runner", "0001-01-01", "../../etc/passwd", "%s%s%n", "{0}{1}",
        "2026-02-30", "2026-13-45 25:99", "9999-12-31 23:59", "0000-00-00", "1969-12-31", "24:00", "-1",
        "Mars/Olympus_Mons", "UTC+25", "Asia/Seoul/../../x", "1e309", "NaN", "inf", "-0",
        "99999999999999999999", "|", "||||", "a|" * 40, "x" * 6000, "Mon/Tue/Funday", "Viki -99999, Netflix x",
    ]
    return [s.replace("ROLE", str(world.watchers.id)).replace("USER", str(world.fan.id))
            .replace("CHANNEL", str(world.general.id)) for s in base]


def fit(text: str, low: int, high: int) -> str:
    text = text[:high]
    return text + "x" * (low - len(text)) if len(text) < low else text


def option_strategy(param, world):
    if param.choices:
        return st.sampled_from([c.value for c in param.choices])
    kind = param.type
    if kind is T.string:
        low, high = param.min_value or 0, param.max_value or STRING_MAX
        hostile = hostile_strings(world)
        text = st.one_of(st.sampled_from(hostile), st.text(max_size=80),
                         st.lists(st.sampled_from(hostile), min_size=2, max_size=3).map("".join))
        return text.map(lambda s: fit(s, low, high))
    if kind in (T.integer, T.number):
        low = param.min_value if param.min_value is not None else -INT_LIMIT
        high = param.max_value if param.max_value is not None else INT_LIMIT
        edges = [v for v in (low, high, 0, 1, -1, 2**31, -(2**31), 10**12) if low <= v <= high]
        if kind is T.integer:
            return st.one_of(st.sampled_from(edges), st.integers(int(low), int(high)))
        return st.one_of(st.sampled_from([float(v) for v in edges] + [0.5, 1e-9]),
                         st.floats(float(low), float(high), allow_nan=False, allow_infinity=False))
    if kind is T.boolean:
        return st.booleans()
    if kind is T.user:
        return st.sampled_from([world.fan, world.manager])
    if kind is T.role:
        return st.sampled_from([world.watchers, world.mods, world.guild.default_role])
    if kind is T.mentionable:
        return st.sampled_from([world.fan, world.watchers, world.guild.default_role])
    if kind is T.channel:
        return st.sampled_from(channels_for(param, world))
    pytest.fail(f"no fuzz strategy for option type {kind!r}: add one")


def invocation_strategy(command, world):
    required = {p.display_name: option_strategy(p, world) for p in command.parameters if p.required}
    optional = {p.display_name: option_strategy(p, world) for p in command.parameters if not p.required}
    return st.fixed_dictionaries(required, optional=optional)


def minimal_value(param, world):
    if param.choices:
        return param.choices[0].value
    kind = param.type
    if kind is T.string:
        return fit("lovely runner", param.min_value or 1, param.max_value or STRING_MAX)
    if kind in (T.integer, T.number):
        value = param.min_value if param.min_value is not None else 1
        return float(value) if kind is T.number else int(value)
    if kind is T.boolean:
        return False
    if kind in (T.user, T.mentionable):
        return world.fan
    if kind is T.role:
        return world.watchers
    if kind is T.channel:
        return channels_for(param, world)[0]
    pytest.fail(f"no minimal value for option type {kind!r}")


def minimal_args(command, world) -> dict:
    return {p.display_name: minimal_value(p, world) for p in command.parameters if p.required}


async def realistic_args(command, world, actor, channel) -> dict:
    """Required options only; autocompleted ones take the bot's first suggestion (a real poll, drama...)."""
    args = minimal_args(command, world)
    for param in command.parameters:
        if param.required and param.autocomplete:
            choices = await actor.autocomplete(channel, command.qualified_name, param.display_name, "")
            if choices:
                args[param.display_name] = choices[0]["value"]
    return args


def shown(options: dict) -> dict:
    return {k: (v[:60] + f"...({len(v)})" if isinstance(v, str) and len(v) > 60 else getattr(v, "name", v))
            for k, v in options.items()}


async def invoke_and_check(env, actor, channel, command, options: dict, failures: list[str]) -> None:
    """Run one invocation; record what a member must never see: a traceback (error id), no answer, a
    rejection without a clear private message, or a refused command that still wrote something."""
    await env.settle()  # background writes (joining the server, the announcer) are not the command's
    cursor = env.error_cursor
    case = f"/{command.qualified_name} {shown(options)}"
    changes = env.bot.store.total_changes
    result = await actor.slash(channel, command.qualified_name, **options)
    errors = env.errors_since(cursor)
    unexpected = [e for e in errors if not isinstance(unwrap(e), UserError)]
    if unexpected:
        failures.append(f"{case}: unexpected {[repr(unwrap(e))[:300] for e in unexpected]}")
    if not answered(result):
        failures.append(f"{case}: the interaction was left unanswered")
    elif APOLOGY in answer_text(result).lower():
        failures.append(f"{case}: answered with an error id: {answer_text(result)[:200]!r}")
    elif errors and not answer_text(result):
        failures.append(f"{case}: rejected without a clear message")
    elif errors and result.response is not None and not result.response.ephemeral and not result.followups:
        failures.append(f"{case}: a rejection was shown publicly")
    if errors and env.bot.store.total_changes != changes:
        failures.append(f"{case}: refused, yet {env.bot.store.total_changes - changes} row(s) were written")


def commands_with_options(env, extension: str) -> list[app_commands.Command]:
    commands = [c for c in leaves(env.bot, extension) if c.parameters]
    if not commands:
        pytest.skip(f"{extension} has no command with options")
    return commands


def assert_no_leaks(arena, http_start: int, failures: list[str]) -> None:
    """After a run: nothing the bot sent could ping, no bot message resolved a mass or role mention."""
    _ = arena.env.errors  # acknowledged: those errors were expected and checked
    failures += ping_problems(arena.env.http_requests[http_start:])
    for handle in [arena.general, arena.announcements, arena.polls, arena.news]:
        for message in handle.history():
            if message.author.bot and (message.mention_everyone or message.role_mentions):
                failures.append(f"#{handle.name}: bot message resolved a mass/role mention: {message.content[:100]!r}")
    assert failures == [], "\n".join(failures[:40])


# ---------------------------------------------------------------- fuzz
@pytest.mark.parametrize("extension", discover_extensions())
async def test_hostile_option_values(arena, extension, caplog):
    env, actor, channel = arena.env, arena.manager, arena.polls
    commands = commands_with_options(env, extension)
    failures: list[str] = []
    http_start = len(env.http_requests)
    for command in commands:
        for options in draw(invocation_strategy(command, arena), EXAMPLES):
            await invoke_and_check(env, actor, channel, command, options, failures)
    # Autocomplete handlers get the same hostile text as it is typed.
    for command in commands:
        for param in (p for p in command.parameters if p.autocomplete):
            low, high = 0, param.max_value or STRING_MAX
            for typed in draw(option_strategy(param, arena), EXAMPLES):
                typed = fit(typed, low, min(high, 100)) if isinstance(typed, str) else str(typed)
                case = f"autocomplete /{command.qualified_name} {param.display_name}: {typed[:60]!r}"
                caplog.clear()
                choices = await actor.autocomplete(channel, command.qualified_name, param.display_name, typed)
                if any("autocomplete" in r.getMessage() for r in caplog.records if r.levelname == "ERROR"):
                    failures.append(f"{case}: the handler raised")
                elif not isinstance(choices, list) or len(choices) > 25 or any(
                        not 1 <= len(c["name"]) <= 100 for c in choices):
                    failures.append(f"{case}: invalid choices {choices!r:.200}")
    assert_no_leaks(arena, http_start, failures)


# ---------------------------------------------------------------- sweep: every hostile value, every option
def sweep_strings(world) -> list[str]:
    """One of each kind of hostile text (issue 11): each goes through every string option of every command."""
    return [
        "Lovely \ud800 Runner",                        # a lone surrogate
        "Lovely\x00Runner",                            # NUL
        "\u202egnirts lanimret\u202c",                 # right-to-left override
        "\u200b\u200d\ufeff",                           # zero-width only
        "x" * STRING_MAX,                              # 6,000 characters
        "99999999999999999999", "-1e309",              # extreme numbers
        "0001-01-01", "9999-12-31 23:59",              # extreme dates
        "../../../etc/passwd", "C:\\Windows\\win.ini",  # path-like
        "'; DROP TABLE polls; --", "\" OR 1=1 --",      # SQL-like
        f"@everyone @here <@&{world.watchers.id}> <@{world.fan.id}> <#{world.general.id}>",  # mentions
    ]


def sweep_numbers(param) -> list[float]:
    low = param.min_value if param.min_value is not None else -INT_LIMIT
    high = param.max_value if param.max_value is not None else INT_LIMIT
    return sorted({low, high, max(low, min(high, 0)), max(low, min(high, -1))})


@pytest.mark.parametrize("extension", discover_extensions())
async def test_every_hostile_value_through_every_option(arena, extension):
    """0 tracebacks, 0 error ids, 0 pings, nothing stored half-way: each hostile value in each option,
    the other options taking realistic values (autocompleted ones the bot's first suggestion)."""
    env, actor, channel = arena.env, arena.manager, arena.polls
    commands = commands_with_options(env, extension)
    failures: list[str] = []
    http_start = len(env.http_requests)
    for command in commands:
        base = await realistic_args(command, arena, actor, channel)
        for param in command.parameters:
            if param.choices:
                continue
            if param.type is T.string:
                low, high = param.min_value or 0, param.max_value or STRING_MAX
                values = [fit(text, low, high) for text in sweep_strings(arena)]
            elif param.type in (T.integer, T.number):
                values = [v if param.type is T.number else int(v) for v in sweep_numbers(param)]
            else:
                continue
            for value in values:
                await invoke_and_check(env, actor, channel, command, {**base, param.display_name: value}, failures)
    assert_no_leaks(arena, http_start, failures)


# ---------------------------------------------------------------- permissions
def denied(errors) -> bool:
    return any(isinstance(unwrap(e), NotAllowed) for e in errors)


async def test_managers_and_owners_commands_refuse_members_and_serve_the_right_people(arena):
    env = arena.env
    plain = arena.fans[2]
    owner_only = frozenset({arena.manager.id})
    restricted = [c for c in leaves(env.bot) if _who(c) in ("manager", "owner")]
    assert any(_who(c) == "manager" for c in restricted) and any(_who(c) == "owner" for c in restricted)
    failures = []
    if any(c.qualified_name == "poll create" for c in restricted):  # something for /poll close|resolve to act on
        await arena.manager.slash(arena.general, "poll create", question="Season 2?", options="yes|no")
    for command in restricted:
        name = command.qualified_name
        args = await realistic_args(command, arena, arena.manager, arena.general)
        visible = name in plain.available_commands(arena.general)
        if visible:
            cursor = env.error_cursor
            result = await plain.slash(arena.general, name, **args)
            errors = env.errors_since(cursor)
            text = answer_text(result)
            if not denied(errors):
                failures.append(f"/{name}: a plain member was not refused ({[repr(unwrap(e)) for e in errors]})")
            elif not (result.ephemeral and text and APOLOGY not in text.lower()):
                failures.append(f"/{name}: the refusal is not a clear private message: {text!r}")
        who = _who(command)
        if who == "owner":
            env.bot.settings = replace(env.bot.settings, owner_ids=frozenset())
            cursor = env.error_cursor
            await arena.manager.slash(arena.general, name, **args)
            if not denied(env.errors_since(cursor)):
                failures.append(f"/{name}: a manager who is not an owner was not refused")
            env.bot.settings = replace(env.bot.settings, owner_ids=owner_only)
        cursor = env.error_cursor
        result = await arena.manager.slash(arena.general, name, **args)
        errors = env.errors_since(cursor)
        if denied(errors):
            failures.append(f"/{name}: refused to a {who}: {answer_text(result)!r}")
        if not answered(result):
            failures.append(f"/{name}: left unanswered for a {who}")
        bugs = [e for e in errors if not isinstance(unwrap(e), UserError)]
        if bugs:
            failures.append(f"/{name}: unexpected {[repr(unwrap(e))[:200] for e in bugs]}")
    _ = env.errors  # acknowledged: those errors were expected and checked
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------- Discord failures
SAFE_WITHOUT_OPTIONS = ("settings show", "privacy show", "about", "help")


@pytest.mark.parametrize("route", [
    ("POST", "/interactions/*/*/callback"),
    ("POST", "/webhooks/*/*"),
    ("POST", "/channels/*/messages"),
])
async def test_every_command_is_answered_when_discord_fails_once(arena, route):
    """One failed request (500) anywhere in a command: the member still gets an answer."""
    env = arena.env
    failures = []
    for command in leaves(env.bot):
        name = command.qualified_name
        env.inject_error(*route, status=500, times=1)
        result = await arena.manager.slash(arena.polls, name, **minimal_args(command, arena))
        env.backend.faults.clear()  # an unused fault must not leak into the next command
        if not answered(result):
            failures.append(f"/{name}: unanswered after a 500 on {route[1]}")
        elif APOLOGY in answer_text(result).lower():
            failures.append(f"/{name}: a Discord 500 was reported as a bug: {answer_text(result)!r}")
    _ = env.errors  # acknowledged: those errors were expected and checked
    assert failures == [], "\n".join(failures)


async def test_a_failed_reply_is_retried_so_the_member_sees_the_real_answer(arena):
    env = arena.env
    env.inject_error("POST", "/interactions/*/*/callback", status=500, times=1)
    result = await arena.fan.slash(arena.general, "settings show")
    assert result.response.embeds[0].title.startswith("Settings for")
    env.inject_error("POST", "/interactions/*/*/callback", status=500, times=1)
    result = await arena.fan.slash(arena.general, "about")  # answers directly: the handler steps in
    simcord.assert_responded(result, contains="Discord had a hiccup", ephemeral=True)
    simcord.assert_error(env, discord.HTTPException, contains="500")


async def test_when_every_answer_fails_the_error_is_only_logged(arena, caplog):
    env = arena.env
    env.inject_error("POST", "/interactions/*/*/callback", status=500, times=None)
    result = await arena.fan.slash(arena.general, "about")
    env.backend.faults.clear()
    assert not result.acknowledged
    assert "could not tell the member" in caplog.text
    simcord.assert_error(env, discord.HTTPException, contains="500")
    ok = await arena.fan.slash(arena.general, "about")  # and the bot carries on
    assert ok.response.embeds[0].title == "About dramabot"


async def test_missing_permissions_are_explained(arena):
    env = arena.env
    env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions",
                     times=None)
    result = await arena.manager.slash(arena.general, "poll create", question="Season 2?", options="yes|no",
                                       channel=arena.polls)
    env.backend.faults.clear()
    simcord.assert_responded(result, ephemeral=True)
    assert "permission" in answer_text(result).lower()
    simcord.assert_error(env, discord.Forbidden, code=50013)
