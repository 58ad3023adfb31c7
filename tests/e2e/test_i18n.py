"""Every command and option has a valid Korean name and description, and they reach Discord."""

from __future__ import annotations

import discord

from bot.i18n import load_catalogs, problems, valid_name, walk


def test_name_rule():
    assert valid_name("설정") and valid_name("poll-creators") and valid_name("투표_생성")
    assert not valid_name("Settings") and not valid_name("two words") and not valid_name("") \
        and not valid_name("x" * 33) and not valid_name("이름!")


async def test_every_command_and_option_has_a_korean_translation(simcord_env):
    table = load_catalogs()[discord.Locale.korean]
    assert problems(simcord_env.bot.tree, table) == []


async def test_synced_commands_carry_the_korean_names(simcord_env):
    tree = simcord_env.bot.tree
    translator = tree.translator
    assert translator is not None
    for node, _is_group in walk(tree):
        if node.parent is None:
            payload = await node.get_translated_payload(tree, translator)
            assert payload["name_localizations"].get("ko"), node.qualified_name
    settings = tree.get_command("settings")
    payload = await settings.get_translated_payload(tree, translator)
    assert payload["name_localizations"]["ko"] == "설정"
    timezone = next(o for o in payload["options"] if o["name"] == "timezone")
    assert timezone["name_localizations"]["ko"] == "시간대"
    assert timezone["options"][0]["description_localizations"]["ko"].startswith("Asia/Seoul")
