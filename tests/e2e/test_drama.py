"""/drama info, /drama cast, /drama search (paging) and /actor info, with forgiving titles and autocomplete."""

from __future__ import annotations

import simcord

from bot.errors import NotFound


def fields(result) -> dict[str, str]:
    return {f.name: f.value for f in result.response.embeds[0].fields}


async def test_info_shows_the_facts_of_a_drama(world):
    result = await world.fan.slash(world.general, "drama info", title="lovely-runner-2024")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Lovely Runner (2024)"
    f = fields(result)
    assert f["Network"] == "tvN" and f["Episodes"] == "16"
    assert f["Finale"].startswith("28 May 2024 (<t:")
    assert "Yoon Jong" in f["Director"]
    assert "Tomorrow" in f["Based on"]
    assert f["Season 2"].startswith("Not confirmed")
    assert "Kim Hye Yoon" in f["Starring"]
    result = await world.fan.slash(world.general, "drama info", title="Crash Landing on You")
    assert fields(result)["Broadcast"] == "Saturday and Sunday"


async def test_info_accepts_typos_aliases_and_hangul(world):
    for typed in ("Lovely Runer", "Sunjae Eopgo Tweeeo", "lovely runner (2024)"):
        result = await world.fan.slash(world.general, "drama info", title=typed)
        assert result.response.embeds[0].title == "Lovely Runner (2024)", typed
    result = await world.fan.slash(world.general, "drama info", title="무브 투 헤븐")
    assert result.response.embeds[0].title.startswith("Move to Heaven")


async def test_info_for_an_unknown_title_is_refused_with_did_you_mean(world):
    result = await world.fan.slash(world.general, "drama info", title="Lovely Rummer Returns Forever")
    simcord.assert_error(world.env, NotFound)
    assert result.ephemeral
    assert "Did you mean" in result.response.content and "Lovely Runner" in result.response.content
    result = await world.fan.slash(world.general, "drama info", title="Flying Pineapple Detectives")
    simcord.assert_error(world.env, NotFound, contains="Flying Pineapple")
    assert "couldn't find" in result.response.content


async def test_ambiguous_title_lists_the_candidates(world):
    result = await world.fan.slash(world.general, "drama info", title="Blind")
    simcord.assert_error(world.env, NotFound)
    assert "Blind (2017)" in result.response.content and "Blind (2022)" in result.response.content
    result = await world.fan.slash(world.general, "drama info", title="Blind (2017)")
    assert result.response.embeds[0].title == "Blind (2017)"


async def test_cast_lists_main_cast_first(world):
    result = await world.fan.slash(world.general, "drama cast", title="Lovely Runner")
    embed = result.response.embeds[0]
    assert embed.fields[0].name == "Main cast"
    assert "Kim Hye Yoon" in embed.fields[0].value and "Im Sol" in embed.fields[0].value


async def test_title_autocomplete_is_fuzzy_alias_and_hangul_aware(world):
    fan = world.fan
    choices = await fan.autocomplete(world.general, "drama info", "title", "lovely ru")
    assert choices[0]["name"] == "Lovely Runner (2024)" and choices[0]["value"] == "lovely-runner-2024"
    choices = await fan.autocomplete(world.general, "drama info", "title", "runner")
    assert "Lovely Runner (2024)" in [c["name"] for c in choices]
    choices = await fan.autocomplete(world.general, "drama cast", "title", "Hwarag")
    assert choices[0]["name"].startswith("Hwarang")
    choices = await fan.autocomplete(world.general, "drama info", "title", "무브")
    assert any(c["name"].startswith("Move to Heaven") for c in choices)
    choices = await fan.autocomplete(world.general, "drama info", "title", "the")
    assert 0 < len(choices) <= 25 and all(len(c["name"]) <= 100 for c in choices)
    assert await fan.autocomplete(world.general, "drama info", "title", "") != []


async def test_search_pages_with_buttons_only_for_the_invoker(world):
    result = await world.fan.slash(world.general, "drama search", query="love")
    embed = result.response.embeds[0]
    assert embed.footer.text.startswith("Page 1 of ")
    first_page = embed.description
    page2 = await world.fan.click(result.response, label="Next")
    assert page2.response.embeds[0].footer.text.startswith("Page 2 of ")
    assert page2.response.embeds[0].description != first_page
    back = await world.fan.click(result.response, label="Previous")
    assert back.response.embeds[0].description == first_page
    other = await world.fans[1].click(result.response, label="Next")
    assert other.ephemeral and "Only the member who searched" in other.response.content


async def test_search_filters_by_genre_network_and_year(world):
    result = await world.fan.slash(world.general, "drama search", query="*", network="tvN", year=2024)
    text = result.response.embeds[0].description
    assert "Lovely Runner (2024)" in text
    assert "tvN" in text and "(2023)" not in text
    genres = await world.fan.autocomplete(world.general, "drama search", "genre", "rom")
    assert any("Romance" in c["name"] for c in genres)
    result = await world.fan.slash(world.general, "drama search", query="zzzzqqq")
    simcord.assert_error(world.env, NotFound)
    assert "couldn't find" in result.response.content


async def test_actor_info_shows_roles_and_names(world):
    choices = await world.fan.autocomplete(world.general, "actor info", "name", "kim hye yo")
    assert choices and choices[0]["name"].startswith("Kim Hye Yoon")
    result = await world.fan.slash(world.general, "actor info", name=choices[0]["value"])
    embed = result.response.embeds[0]
    assert embed.title == "Kim Hye Yoon"
    dramas = next(f.value for f in embed.fields if f.name.startswith("Dramas"))
    assert "Lovely Runner (2024)" in dramas and "Im Sol" in dramas
    result = await world.fan.slash(world.general, "actor info", name="Kim Hye-yoon")
    assert result.response.embeds[0].title == "Kim Hye Yoon"
    result = await world.fan.slash(world.general, "actor info", name="Nobody McNobodyface")
    simcord.assert_error(world.env, NotFound)
    assert "couldn't find" in result.response.content
