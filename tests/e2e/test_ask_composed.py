"""/ask with questions that combine things, as members ask them, in English and Korean: two people, chains,
a character alone, an actor with a year or lead roles, lists with filters (paged), comparisons,
superlatives, recommendations, a remembered plot, seed facts in free words, and follow-ups."""

from __future__ import annotations

import pytest

from bot.knowledge.executor import PAGE


async def ask(world, question: str, member=None, channel=None) -> str:
    result = await (member or world.fan).slash(channel or world.general, "ask", question=question)
    assert not result.ephemeral
    text = result.response.content
    assert 0 < len(text) <= 2000
    message = result.response.message
    assert not message.mentions and not message.role_mentions and not message.mention_everyone
    return text


@pytest.mark.parametrize(("question", "expected", "absent"), [
    # two people: their shared dramas, never one actor's filmography
    ("did Gong Yoo and Kim Go Eun act together?", ["Great God", "both"], ["The Trunk", "Little Women"]),
    ("공유랑 김고은 같이 나온 드라마 뭐야?", ["Great God", "both"], ["The Trunk", "Little Women"]),
    ("who are Kim Go Eun's co-stars?", ["most frequent co-stars", "Lee Dong Wook"], []),
    ("김고은이랑 자주 나온 배우", ["most frequent co-stars", "Lee Dong Wook"], []),
    # a fact about a drama named through another fact
    ("who directed the drama where Jeon Do Yeon played Lee Boo Jung?", ["Lost (2021)", "directed by"], []),
    ("Jeon Do Yeon이 Lee Boo Jung 역을 맡은 드라마 작가는?", ["Lost (2021)", "Kim Ji Hye"], []),
    ("how many episodes does the drama with the character Ji Eun Tak have?", ["Great God", "16 episodes"], []),
    # a character alone
    ("which drama has a character called Ji Eun Tak?", ["Kim Go Eun", "Great God"], []),
    ("Ji Eun Tak 나오는 드라마 뭐야?", ["Kim Go Eun", "Great God"], []),
    # an actor with a year, latest, lead roles
    ("what was Kim Go Eun in in 2020?", ["The King: Eternal Monarch"], ["Little Women", "Great God"]),
    ("2020년에 김고은 나온 드라마", ["The King: Eternal Monarch"], ["Little Women", "Great God"]),
    ("Gong Yoo's latest drama", ["latest", "The Trunk"], ["Coffee Prince"]),
    ("김고은 주연작", ["lead roles", "Little Women"], []),
    # lists with filters, counts, superlatives
    ("romance dramas on Netflix from 2021", ["romance dramas on Netflix from 2021", "Hometown Cha-Cha-Cha"], []),
    ("넷플릭스 2021년 로맨스 드라마", ["romance dramas on Netflix from 2021", "Hometown Cha-Cha-Cha"], []),
    ("how many thrillers are on Netflix?", ["I know of", "thriller dramas on Netflix"], []),
    ("shortest dramas on Netflix", ["dramas on Netflix (shortest first)", "(1 episode)"], ["ShorTest"]),
    ("top rated jtbc dramas 2018", ["dramas on JTBC from 2018 (highest rated first)", "SKY Castle"], ["T.O.P"]),
    ("Gong Yoo x Kim Go Eun drama", ["both", "Great God"], ["The Trunk"]),
    ("what's the highest rated tvN drama of 2020?", ["highest rated", "Flower of Evil"], []),
    ("2020년 tvN 드라마 중 평점 가장 높은 거", ["highest rated", "Flower of Evil"], []),
    # comparisons
    ("which has more episodes, Goblin or Vincenzo?", ["Vincenzo (2021) has the most episodes", "16 episodes"], []),
    ("골드스푼이랑 그녀를 믿지마세요 중에 뭐가 먼저 나왔어?", ["came out first", "2017"], []),
    ("who has been in more dramas, Gong Yoo or Kim Go Eun?", ["Gong Yoo has been in more dramas"], []),
    # recommendations: ranked, varied, without the drama itself, a reason each
    ("I loved Hotel del Luna, what should I watch next?", ["If you liked Hotel del Luna", "1. ", "5. ", "Also "],
     ["1. Hotel del Luna"]),
    ("선재 업고 튀어 같은 드라마 추천해줘", ["If you liked Lovely Runner", "1. "], ["1. Lovely Runner"]),
    ("dramas like Hotel del Luna but on Netflix", ["Netflix", "1. "], []),
    # a plot remembered in words
    ("the one where a fan travels back in time to save her idol", ["Lovely Runner"], []),
    ("the drama where a lawyer has autism", ["Extraordinary Attorney Woo"], []),
    # seed facts in free words
    ("how long did Lovely Runner take to make?", ["three years"], []),
    ("선재 업고 튀어 만드는 데 얼마나 걸렸어?", ["three years"], []),
])
async def test_each_kind_as_a_member_asks_it(world, question, expected, absent):
    text = await ask(world, question)
    for part in expected:
        assert part in text, text
    for part in absent:
        assert part not in text, text


@pytest.mark.parametrize(("question", "first"), [
    # Korean story words meet the catalog's English tags through the glossary (bot/knowledge/glossary.py);
    # each question is built from the expected drama's own tags (none of these dramas is in the dev sets)
    ("변호사가 자폐인 드라마 뭐였지?", "Extraordinary Attorney Woo (2022)"),          # Attorney/Autistic Female Lead
    ("의사가 자폐인 드라마 있잖아", "Good Doctor (2013)"),                           # Autism, Doctor Male Lead
    ("귀신 보는 여자 나오는 드라마 뭐였지", "The Great Shaman Ga Doo Shim (2021)"),    # Ghost-seeing Female Lead
    ("뱀파이어 형사 나오는 드라마", "Vampire Prosecutor (2011)"),                    # Vampire Male Lead, Detective
])
async def test_a_plot_remembered_in_korean_words(world, question, first):
    text = await ask(world, question)
    assert text.startswith(f"That sounds like {first}"), text


async def test_a_chain_of_three_follow_ups_says_what_it_was_taken_to_mean(world):
    assert "Kim Go Eun plays Ji Eun Tak" in await ask(world, "Who plays Ji Eun Tak in Goblin?")
    assert (await ask(world, "who directed it?")).startswith("Guardian: The Lonely and Great God (2016) was directed by")
    assert "Great God (2016) has 16 episodes" in await ask(world, "how many episodes?")
    text = await ask(world, "and her other dramas?")
    assert text.startswith("Kim Go Eun's dramas") and "Little Women" in text
    # another member, or the same member in another channel, starts afresh
    other = await ask(world, "who directed it?", member=world.fans[1])
    assert "Great God" not in other
    elsewhere = await ask(world, "who directed it?", channel=world.announcements)
    assert "Great God" not in elsewhere


async def test_follow_ups_in_korean_and_about_another_season(world):
    await ask(world, "Who directed Stranger?")
    assert (await ask(world, "what about season 2?")).startswith("Stranger Season 2 (2020) was directed by")
    assert "tvN" in await ask(world, "방송사는?")


async def test_a_follow_up_expires_after_a_few_minutes(world):
    await ask(world, "Who directed Goblin?")
    await world.env.advance_time(200)
    await world.env.advance_time(200)
    assert "Great God" not in await ask(world, "how many episodes?")


async def test_a_new_question_with_a_misspelt_title_is_not_a_follow_up(world):
    await ask(world, "Who directed Goblin?")
    assert "Vincenzo" in await ask(world, "who directed vincnzo?")


async def test_a_reply_to_the_bots_answer_refers_back_to_it(world):
    bot_user = world.env.bot.user
    await world.fan.send(world.general, f"<@{bot_user.id}> who directed Goblin?")
    first = world.general.last_message
    await ask(world, "Who directed Vincenzo?")  # a newer question in between
    await world.fan.send(world.general, f"<@{bot_user.id}> how many episodes does it have?", reply_to=first)
    reply = world.general.last_message
    assert reply.author.id == bot_user.id and "Great God (2016) has 16 episodes" in reply.content


async def test_long_lists_are_paged_with_buttons_only_for_the_asker(world):
    result = await world.fan.slash(world.general, "ask", question="dramas tvN aired in 2019")
    first = result.response.content
    assert first.startswith("29 dramas on tvN from 2019 (newest first)") and first.count(";") >= PAGE - 1
    page2 = await world.fan.click(result.response, label="Next")
    assert "11–20" in page2.response.content and "(page 2 of 3)" in page2.response.content
    back = await world.fan.click(result.response, label="Previous")
    assert "(page 1 of 3)" in back.response.content
    other = await world.fans[1].click(result.response, label="Next")
    assert other.ephemeral and "Only the member who asked" in other.response.content


@pytest.mark.parametrize("question", [
    "dramas on " + "Netflix " * 80, "shows from 1800", "0-episode thrillers", "which has more episodes, x or y?",
    "@everyone dramas like <@&1> Goblin", "공유랑 @everyone 같이", "dramas like", "the one where", "and?",
])
async def test_odd_composed_questions_get_a_plain_answer_and_never_ping(world, question):
    await ask(world, question)
