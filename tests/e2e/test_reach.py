"""Where Discord offers each command (server install, user install; servers, DMs, group DMs), read off the
live tree so a new command is covered the day it is added; the user-install commands used in a DM."""

from __future__ import annotations

import discord
from discord import app_commands

from bot import checks
from bot.reach import bot_absent

GUILD, BOT_DM, PRIVATE = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1
# Lookups that need no server: offered everywhere, also through a user install.
EVERYWHERE = {"ask", "drama", "actor", "remind", "about", "help", "privacy", "Ask dramabot", "Which drama is this?"}
OWNER_ANYWHERE = {"catalog"}  # owners may use it in a DM with the bot; never through a user install
SERVER_ONLY_CHECKS = (checks.require_guild, checks.require_manager)


def _leaves(node):
    if isinstance(node, app_commands.Group):
        for child in node.commands:
            yield from _leaves(child)
    else:
        yield node


async def test_every_command_is_offered_exactly_where_it_works(simcord_env):
    tree = simcord_env.bot.tree
    seen = set()
    for top in tree.get_commands(type=None):
        payload = top.to_dict(tree)
        contexts, installs = sorted(payload["contexts"]), sorted(payload["integration_types"])
        seen.add(top.name)
        if top.name in EVERYWHERE:
            assert (contexts, installs) == ([GUILD, BOT_DM, PRIVATE], [GUILD_INSTALL, USER_INSTALL]), top.name
        elif top.name in OWNER_ANYWHERE:
            assert (contexts, installs) == ([GUILD, BOT_DM], [GUILD_INSTALL]), top.name
        else:  # everything else, and any new command by default: only in servers that added the bot
            assert (contexts, installs) == ([GUILD], [GUILD_INSTALL]), top.name
        for leaf in _leaves(top):
            rules = [getattr(c, "predicate", None) for c in getattr(leaf, "checks", [])]
            if any(rule in SERVER_ONLY_CHECKS for rule in rules):
                assert contexts == [GUILD], f"/{leaf.qualified_name} needs a server but is offered outside one"
    assert EVERYWHERE | OWNER_ANYWHERE <= seen


async def test_in_a_dm_a_fan_is_offered_the_lookups_and_never_a_server_command(world):
    user = world.fan.user
    offered = set(user.available_commands())
    assert {"ask", "drama info", "actor info", "remind add", "help", "privacy show"} <= offered
    assert not {name for name in offered if name.split()[0] in ("poll", "settings", "schedule")}
    info = await user.slash("drama info", title="Lovely Runner")
    assert info.response.embeds[0].title.startswith("Lovely Runner")
    answer = await user.slash("ask", question="Who plays Im Sol in Lovely Runner?")
    assert "Kim Hye Yoon" in answer.response.content
    added = await user.slash("remind add", drama="Lovely Runner", minutes=15)
    assert "before each episode" in added.response.content
    assert await world.env.bot.store.schedule.reminders(user.id)


def _interaction(bot, **fields) -> discord.Interaction:
    """A real discord.py Interaction from the payload Discord sends for a user-installed command."""
    payload = {"id": "1", "application_id": str(bot.user.id), "type": 2, "token": "t", "version": 1,
               "data": {"id": "2", "name": "ask", "type": 1}, "locale": "en-US", "entitlements": [],
               "user": {"id": "42", "username": "fan", "discriminator": "0", "avatar": None},
               "authorizing_integration_owners": {"1": "42"}, "attachment_size_limit": 10485760}
    payload.update(fields)
    return discord.Interaction(data=payload, state=bot._connection)


async def test_answers_are_private_where_only_a_user_install_reaches(world):
    bot = world.env.bot
    group_dm = {"id": "77", "type": 3, "name": "fans", "recipients": [], "owner_id": "42", "icon": None}
    assert bot_absent(_interaction(bot, context=PRIVATE, channel_id="77", channel=group_dm))
    elsewhere = {"guild_id": "999", "context": GUILD, "channel_id": "78", "channel": {"id": "78", "type": 0, "name": "chat", "position": 0,
                                                                  "guild_id": "999", "permission_overwrites": []},
                 "member": {"user": {"id": "42", "username": "fan", "discriminator": "0", "avatar": None},
                            "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                            "permissions": "0", "flags": 0}}
    assert bot_absent(_interaction(bot, **elsewhere))  # a server that never added the bot
    here = dict(elsewhere, guild_id=str(world.guild.id), authorizing_integration_owners={"0": str(world.guild.id)})
    assert not bot_absent(_interaction(bot, **here))
    assert not bot_absent(_interaction(bot, context=BOT_DM, channel_id="79", channel={"id": "79", "type": 1}))
