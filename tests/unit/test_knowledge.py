"""The question engine without Discord: phrasings, typos, Hangul and refusals beyond the dev set."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge.index import NameIndex
from bot.knowledge.intents import detect
from bot.knowledge.text import echo, format_date, tokenize
from bot.store.knowledge import fts_query

TODAY = dt.date(2026, 1, 1)


# (question, every one of these must appear in the answer)
CASES = [
    # who plays a character, with and without the drama, other phrasings
    ("who's the actor playing Yoon Se Ri in crash landing on you", ["Son Ye Jin"]),
    ("Who plays Yoon Se Ri?", ["Son Ye Jin", "Crash Landing on You"]),
    ("Ji Eun Tak in Goblin is played by who?", ["Kim Go Eun"]),
    # which character an actor plays, in a drama or across dramas
    ("what role does Gong Yoo have in Goblin", ["Kim Shin"]),
    ("Which drama did Lee Jong Suk play Kang Chul in?", ["W (2016)"]),
    ("Kim Da Mi played Kook Yeon Soo in which drama", ["Our Beloved Summer"]),
    # cast, filmography
    ("who is starring in queen of tears", ["Kim Soo Hyun", "Kim Ji Won"]),
    ("what else has Kim Go Eun been in", ["Guardian: The Lonely and Great God"]),
    # episodes, network, platforms, dates, days, director, writer, year
    ("goblin ep count", ["16"]),
    ("squid game how many episodes", ["9"]),
    ("which tv station broadcast Hotel del Luna?", ["tvN"]),
    ("where can i stream vincenzo", ["Netflix"]),
    ("when did queen of tears finish", ["28 April 2024"]),
    ("hotel del luna when did it start", ["13 July 2019"]),
    ("what nights is crash landing on you on", ["Saturday", "Sunday"]),
    ("Who wrote Hotel del Luna?", ["Hong Jung Eun"]),
    ("which year was goblin released", ["2016"]),
    # typos, aliases, Hangul
    ("who directd Crash Landng on You", ["Lee Jeong Hyo"]),
    ("how many episodes does hotel de luna have", ["16"]),
    ("무브 투 헤븐은 몇 부작이야?", ["10"]),
    ("무브 투 헤븐 출연 배우", ["Lee Je Hoon"]),
    ("what's the korean title of move to heaven", ["무브 투 헤븐"]),
    # season 2, about, ratings, genres, facts
    ("Is Crash Landing on You getting a season 2?", ["has not been confirmed"]),
    ("what is Lovely Runner about", ["2008"]),
    ("lovely runner ratings", ["4.8%"]),
    ("What genre is Vincenzo?", ["comedy"]),
    ("What is the Sonaki song in Lovely Runner", ["Sonaki"]),
    ("Was Lovely Runner number one on Viki?", ["Viki", "six weeks"]),
    ("how many instagram followers does Byeon Woo Seok have", ["9 million", "May 2024"]),
    ("Start-Up similar dramas", ["If you liked Start-Up (2020)", "Also "]),
    ("What time does Lovely Runner air?", ["8 April 2024", "28 May 2024"]),
    # titles made of question words, misspelt titles around a shorter exact name
    ("How many episodes does Run have?", ["Run (2020)", "4"]),
    ("Is Yonder on Netflix?", ["TVING"]),
    ("who played the role of Seo Moon Jo in Stranger from Hell?", ["Lee Dong Wook"]),
    ("When did The King nd I finish airing?", ["The King and I"]),
    ("How many episodes are in Jang Yong Shil?", ["24"]),
]


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[c[0][:40] for c in CASES])
async def test_answers(engine, question, expected):
    answer = await engine.answer(question, today=TODAY)
    for text in expected:
        assert text in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Who plays Dumbledore in Goblin?",
    "how many episodes does Space Llama Cowboys 3000 have",
    "who is Zorblax McFakename",
    "How many episodes does Love in Jupiter have?",
    "What network aired My Secret Robot Husband?",
    "Who directed Business Proposal 3?",
    "Who plays Captain Kimchi in Space Hospital?",
    "Is there a season 2 of Imaginary Drama Title?",
])
async def test_unknown_things_are_refused_plainly(engine, question):
    answer = await engine.answer(question, today=TODAY)
    assert not answer.found
    assert "couldn't find" in answer.text or "No one" in answer.text


async def test_did_you_mean_suggests_close_titles(engine):
    answer = await engine.answer("When did Lovely Rummer Returns air?", today=TODAY)
    assert answer.found or "Lovely Runner" in answer.text


async def test_ambiguous_title_names_the_others(engine):
    answer = await engine.answer("how many episodes does Blind have", today=TODAY)
    assert "(2017)" in answer.text and "(2022)" in answer.text
    answer = await engine.answer("how many episodes does Blind 2017 have", today=TODAY)
    assert answer.text == "Blind (2017) has 7 episodes."


async def test_future_dates_read_as_future(engine):
    answer = await engine.answer("When did Lovely Runner premiere?", today=dt.date(2024, 1, 1))
    assert "premieres on 8 April 2024" in answer.text


@pytest.mark.parametrize("question", ["", "?", "x" * 2000, '"a" AND b* NEAR(c d) OR NOT', "'; DROP TABLE dramas;--",
                                      "\u202e\u2066@everyone\u2069", "🍿🍿🍿", "who what when"])
async def test_bad_input_never_raises(engine, question):
    answer = await engine.answer(question, today=TODAY)
    assert answer.text
    assert "@everyone" not in answer.text


async def test_match_dramas_ranks_exact_then_prefix_then_typos(engine):
    top = await engine.match_dramas("goblin")
    row = await engine.q.drama(top[0].id)
    assert row["title"] == "Guardian: The Lonely and Great God" and top[0].exact  # "Goblin" is its other title
    typo = await engine.match_dramas("crash landng")
    assert (await engine.q.drama(typo[0].id))["title"] == "Crash Landing on You"


def test_index_blocks_still_find_typos_at_either_end():
    keys = [(f"generated{n:06d}title{n % 97}", n) for n in range(60_000)]
    keys.append(("becausethisismyfirstlife", 999_999))
    index = NameIndex(keys)
    assert index.fuzzy("beausethisismyfirstlife", limit=1, cutoff=80)[0][2] == 999_999   # typo at the start
    assert index.fuzzy("becausethisismyfirstlfe", limit=1, cutoff=80)[0][2] == 999_999   # typo at the end
    assert index.exact("becausethisismyfirstlife") == [999_999]
    assert index.substring("myfirst")[0][1] == 999_999


def test_intents_ignore_words_inside_titles():
    assert detect("how many episodes does dramaref have")[0] == "episodes"
    assert detect("which channel was dramaref on")[0] == "network"
    assert detect("what days did dramaref air")[0] == "air_days"
    assert detect("who directed dramaref")[0] == "director"


def test_text_helpers():
    assert [t.key for t in tokenize("Oh Jung Se's role")] == ["oh", "jung", "se", "s", "role"]
    assert format_date("2024-05-28") == "28 May 2024"
    assert "@" not in echo("@everyone <@123> **hi**") and "*" not in echo("**hi**")
    assert fts_query(['"Sonaki"', "AND", "song*", "NEAR"]) == '"Sonaki" OR "song"'


# ---------------------------------------------------------------- Hangul <-> romanised titles, character aliases

def test_romanisation_follows_revised_romanisation():
    from bot.knowledge.romanize import person_name_keys, romanize, romanized_keys, transliterate
    assert romanize("별에서 온 그대") == "byeoreseo on geudae"      # liaison: ㄹ before a vowel reads "r"
    assert romanize("국민 신라") == "gungmin silla"                 # nasal assimilation, ㄴㄹ -> ll
    assert transliterate("사내맞선") == "sanaemajseon"                # letter by letter, as many aliases are spelt
    assert romanized_keys("사내맞선") == ["sanaematseon", "sanaemajseon"]
    assert romanized_keys("lovelyrunner") == []
    assert "kimsejeong" in person_name_keys("김세정") and "gongyoo" in person_name_keys("공유")


def test_index_holds_romanised_keys_of_hangul_names():
    index = NameIndex([("사내맞선", 7, "korean"), ("businessproposal", 7, "title"), ("zzz", 8, "title")])
    assert index.exact("sanaematseon") == [7] and index.exact("sanaemajseon") == [7]
    assert index.exact("사내맞선") == [7] and index.exact("zzz") == [8]
    assert not index.is_title("sanaematseon")   # a generated key counts as an alias


@pytest.mark.parametrize(("question", "expected"), [
    # a Hangul title matches the romanised alias ("Sarangui Bulsichak"), not the short alias "사랑" inside it
    ("사랑의 불시착은 누가 감독했어?", ["Crash Landing on You", "Lee Jeong Hyo"]),
    ("사랑의불시착 방송사", ["tvN"]),
    # and a romanised Hangul title finds the drama whose Korean title it spells
    ("Sanae Matseon episodes", ["Business Proposal", "12"]),
    # Hangul person names by their usual English spelling
    ("사내맞선 김세정 역할", ["Shin Ha Ri"]),
    # other spellings of a character (credits.character_aliases), hyphenated names, "Do" inside a name
    ("Who plays Yeong-hwa in Run On?", ["Kang Tae Oh"]),
    ("who plays Oh Mi Joo", ["Shin Se Kyung"]),
    ("Who plays Ki Jung Do in Run On?", ["Park Young Gyu"]),
    ("Who plays Ki Jung Do?", ["Park Young Gyu"]),
    ("Who plays Kim Da Bong?", ["Yoon Shi Yoon"]),                 # one name of a double role
    ("who played Yoo Hyun-jae in Hit the Top", ["Yoon Shi Yoon"]),
    ("who plays Sun-jae", ["Byeon Woo Seok"]),                      # a character beats a fuzzy title
])
async def test_hangul_titles_and_character_spellings(engine, question, expected):
    answer = await engine.answer(question, today=TODAY)
    for text in expected:
        assert text in answer.text, answer.text


@pytest.mark.parametrize("question", ["사랑 이야기 몇 부작?", "사랑의 비행기 감독은 누구야?"])
async def test_short_hangul_alias_inside_an_unknown_title_is_refused(engine, question):
    answer = await engine.answer(question, today=TODAY)
    assert not answer.found and "couldn't find" in answer.text, answer.text
    assert "has 8 episodes" not in answer.text


def test_hyphenated_names_stay_one_word_and_do_is_no_verb_inside_a_name():
    assert [t.key for t in tokenize("Who plays Seo Dan-ah?")] == ["who", "plays", "seo", "danah"]
    tokens = tokenize("Who plays Ki Jung Do in Run On")
    assert not tokens[4].frame and tokens[5].frame      # "Do" is part of the name, "in" is not
    assert tokenize("What did Kim Soo Hyun do")[-1].frame
