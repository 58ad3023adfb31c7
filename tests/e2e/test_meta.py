"""/about and /help, as a member sees them."""

from __future__ import annotations


async def test_about_shows_version_catalog_and_health(world):
    result = await world.fan.slash(world.general, "about")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "About dramabot"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Version"] == world.env.bot.version
    assert "dramas" in fields["Catalog"]
    assert set(fields) >= {"Uptime", "Gateway latency"}
    assert "TMDB" not in fields  # no TMDB_API_KEY: TMDB is not used, so no TMDB notice


async def test_about_uptime_follows_the_clock(world):
    await world.env.advance_time(3 * 3600 + 120)
    result = await world.fan.slash(world.general, "about")
    uptime = {f.name: f.value for f in result.response.embeds[0].fields}["Uptime"]
    assert uptime.startswith("3h 2m")


async def test_help_lists_every_command_grouped_with_audience(world):
    result = await world.fan.slash(world.general, "help")
    assert result.ephemeral
    embed = result.response.embeds[0]
    text = "\n".join(f"{f.name}\n{f.value}" for f in embed.fields)
    for name in world.fan.available_commands(world.general):
        assert f"/{name}`" in text, f"/help does not mention /{name}"
    assert "About" in [f.name for f in embed.fields]
