"""/help lists every command by feature, with who may use it, within Discord's embed limits."""

from __future__ import annotations

import cogs.meta as meta
from bot.helpdoc import CommandDoc


def check_limits(embeds):
    for embed in embeds:
        assert len(embed.fields) <= 25 and len(embed) <= 6000
        assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)


async def test_help_lists_every_command_with_its_audience(world):
    result = await world.fan.slash(world.general, "help")
    messages = [result.response, *result.followups]
    assert all(m.ephemeral for m in messages)
    embeds = [e for m in messages for e in m.embeds]
    check_limits(embeds)
    text = "\n".join(f"{f.name}\n{f.value}" for e in embeds for f in e.fields)
    for name in world.fan.available_commands(world.general):
        assert f"/{name}`" in text, f"/help does not mention /{name}"
    assert "`/settings grace` How late" in text and "*(managers)*" in text
    assert {"Settings", "Privacy"} <= {f.name for e in embeds for f in e.fields}


async def test_long_sections_are_split_across_fields_and_messages(world, monkeypatch):
    many = [CommandDoc("Polls", f"/poll thing{i}", "a long description " * 5, "manager") for i in range(300)]
    many += [CommandDoc(f"Feature {i}", f"/f{i}", "short", "member") for i in range(40)]
    # discord.py loads extensions as fresh module objects: patch the one the running cog uses.
    live = world.env.bot.get_cog("Meta").help.callback.__globals__
    monkeypatch.setitem(live, "command_docs", lambda bot: many)
    result = await world.fan.slash(world.general, "help")
    embeds = [e for m in [result.response, *result.followups] for e in m.embeds]
    assert len(embeds) > 1
    check_limits(embeds)
    names = [f.name for e in embeds for f in e.fields]
    assert names[0] == "Polls" and "Polls (cont.)" in names
    text = "\n".join(f.value for e in embeds for f in e.fields)
    assert all(f"`/poll thing{i}`" in text for i in range(300)) and "`/f39`" in text


def test_chunks_never_split_a_line_and_cut_only_overlong_ones():
    lines = ["a" * 600, "b" * 600, "c" * 2000]
    chunks = meta._chunks(lines)
    assert chunks[0] == "a" * 600 and chunks[1] == "b" * 600
    assert len(chunks[2]) == 1024 and chunks[2].endswith("…")


async def test_the_readme_permission_table_covers_every_command(simcord_env):
    from bot.helpdoc import markdown_table
    from bot.i18n import walk

    table = markdown_table(simcord_env.bot)
    for node, is_group in walk(simcord_env.bot.tree):
        if not is_group:
            assert f"| `/{node.qualified_name}` |" in table
    assert "| `/settings grace` | manager |" in table


async def test_table_rows_have_exactly_three_cells(simcord_env):
    import re

    from bot.helpdoc import markdown_table

    for row in markdown_table(simcord_env.bot).splitlines():
        assert len(re.split(r"(?<!\\)\|", row)) == 5, row
