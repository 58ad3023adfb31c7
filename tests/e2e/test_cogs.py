"""Every cog loads, and no two commands share a name."""

from __future__ import annotations

from collections import Counter

from discord import app_commands

from bot.client import discover_extensions


def _leaf_names(bot):
    for top in bot.tree.get_commands():
        stack = [top]
        while stack:
            node = stack.pop()
            if isinstance(node, app_commands.Group):
                stack.extend(node.commands)
            else:
                yield node.qualified_name


async def test_every_cog_is_loaded(simcord_env):
    bot = simcord_env.bot
    assert set(discover_extensions()) <= set(bot.extensions)
    assert "cogs.meta" in bot.extensions


async def test_no_two_commands_share_a_name(simcord_env):
    counts = Counter(_leaf_names(simcord_env.bot))
    assert counts, "no commands registered"
    assert [name for name, n in counts.items() if n > 1] == []
    top = Counter(c.name for c in simcord_env.bot.tree.get_commands())
    assert all(n == 1 for n in top.values())


async def test_every_option_is_described(simcord_env):
    for top in simcord_env.bot.tree.get_commands():
        stack = [top]
        while stack:
            node = stack.pop()
            if isinstance(node, app_commands.Group):
                stack.extend(node.commands)
                continue
            for param in getattr(node, "parameters", ()):  # message menus have no options
                assert param.description and param.description != "…", f"/{node.qualified_name} {param.name}"


async def test_a_broken_cog_stops_startup(tmp_path, monkeypatch):
    import sys
    import types

    import pytest

    import cogs
    from bot import create_bot
    from tests.conftest import make_settings

    broken = types.ModuleType("cogs.zz_broken")

    async def setup(bot):
        raise RuntimeError("this cog is broken")

    broken.setup = setup
    monkeypatch.setitem(sys.modules, "cogs.zz_broken", broken)
    monkeypatch.setattr("bot.client.discover_extensions", lambda: ["cogs.meta", "cogs.zz_broken"])
    bot = create_bot(tmp_path / "x.sqlite3", settings=make_settings(tmp_path / "x.sqlite3"))
    try:
        with pytest.raises(Exception, match="broken"):
            await bot.setup_hook()
    finally:
        await bot.store.close()
    assert cogs  # the real package is untouched
