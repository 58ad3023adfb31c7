"""Spotting names in chat (the "Which drama is this?" menu), without Discord: titles, people and characters
anywhere in a message, framing words at a title's ends, and everyday sentences that name nothing."""

from __future__ import annotations

import pytest

from bot.knowledge.spot import spot


def names(found):
    return ([d["title"] for d in found.dramas], [p["name"] for p in found.people],
            [(c["character"], c["title"]) for c in found.characters])


@pytest.mark.parametrize(("text", "dramas", "people"), [
    ("Crash Landing on You with Son Ye-jin", ["Crash Landing on You"], ["Son Ye Jin"]),
    ("just rewatched crash landing on you lol", ["Crash Landing on You"], []),
    ("Because This Is My First Life is underrated", ["Because This Is My First Life"], []),
    ("Hyun Bin!!", [], ["Hyun Bin"]),
    ("see you all tomorrow at the park, it is going to rain", [], []),
    ("I love you so much, see you tomorrow", [], []),
])
async def test_titles_and_people_named_in_chat(engine, text, dramas, people):
    found_dramas, found_people, _ = names(await spot(engine, text))
    assert (found_dramas, found_people) == (dramas, people)


async def test_characters_by_full_name_or_by_given_name_when_their_drama_is_named(engine):
    _, _, characters = names(await spot(engine, "Ryu Sun-jae and Im Sol forever"))
    assert characters == [("Ryu Sun-jae", "Lovely Runner"), ("Im Sol", "Lovely Runner")]
    _, _, characters = names(await spot(engine, "Sun-jae in ep 9 of lovely runner"))
    assert characters == [("Ryu Sun-jae", "Lovely Runner")]
    _, _, characters = names(await spot(engine, "Sun-jae was so cute"))  # a lone given name, no drama: nothing
    assert characters == []
