"""A generality sweep: every kind of question in the dev set, about OTHER dramas, in other phrasings.

Expected answers were taken from the shipped catalog (data/catalog.json.gz), not from the engine.
Scored with ``passes()`` from ../shared/qa/score.py (skipped when that folder is absent); ≥ 95 % must pass.
"""

from __future__ import annotations

from tests.qa_sweep import KINDS, D, R, T, assert_broad_and_new, assert_sweep_passes

SWEEP = [
    # cast_list
    T("who's in doctor prisoner", "Namkoong Min", "Kwon Na Ra", "Kim Byung Chul", need=2, type_="cast_list"),
    T("bad and crazy cast", "Lee Dong Wook", "Wi Ha Joon", need=2, type_="cast_list"),
    T("Who are the main actors in Bloody Heart", "Lee Joon", "Kang Han Na", "Jang Hyuk", need=2, type_="cast_list"),
    T("the killers shopping list cast", "Lee Kwang Soo", "Kim Seol Hyun", need=2, type_="cast_list"),
    T("who stars in Thirty Nine", "Son Ye Jin", "Jeon Mi Do", "Kim Ji Hyun", need=2, type_="cast_list"),
    T("Beyond Evil cast list", "Shin Ha Kyun", "Yeo Jin Goo", need=2, type_="cast_list"),
    T("who acted in Romance is a Bonus Book", "Lee Na Young", "Lee Jong Suk", need=2, type_="cast_list"),
    # episodes
    T("doctor prisoner eps", "32", type_="episodes"),
    T("how many episodes in never twice", "72", type_="episodes"),
    T("the nokdu flower episode count", "48", type_="episodes"),
    T("how long is Bloody Heart", "16", type_="episodes"),
    T("Business Proposal number of episodes", "12", type_="episodes"),
    T("Thirty-Nine how many eps", "12", type_="episodes"),
    # premiere
    D("when did bad and crazy start", "2021-12-17"),
    D("Beyond Evil premiere date", "2021-02-19"),
    D("when did doctor prisoner first air", "2019-03-20"),
    D("Romance Is a Bonus Book release date", "2019-01-26"),
    D("when did the secret romantic guesthouse come out", "2023-03-20"),
    D("When did Never Twice begin", "2019-11-02"),
    # air_days
    T("what days is Bloody Heart on", ("Monday", "Mon"), ("Tuesday", "Tue"), type_="air_days"),
    T("The Killer's Shopping List air days", ("Wednesday", "Wed"), ("Thursday", "Thu"), type_="air_days"),
    T("which days did Beyond Evil air", ("Friday", "Fri"), ("Saturday", "Sat"), type_="air_days"),
    T("what nights was Romance Is a Bonus Book broadcast", ("Saturday", "Sat"), ("Sunday", "Sun"), type_="air_days"),
    T("what day is never twice on", ("Saturday", "Sat"), type_="air_days"),
    # character_for_actor
    T("What part does Kwon Na Ra play in Doctor Prisoner?", "Han So Geum", type_="character_for_actor"),
    T("Lee Dong Wook role in bad and crazy", "Ryu Soo Yeol", type_="character_for_actor"),
    T("who did Kang Han Na play in Bloody Heart", "Yoo Jung", type_="character_for_actor"),
    T("Kim Seol Hyun's character in The Killer's Shopping List", "Do A Hee", type_="character_for_actor"),
    T("what role does yeo jin goo have in beyond evil", "Han Joo Won", type_="character_for_actor"),
    T("Jang Hyuk character Bloody Heart", "Park Gye Won", type_="character_for_actor"),
    # actor_for_character
    T("who acted as Na Yi Je in doctor prisoner", "Namkoong Min", type_="actor_for_character"),
    T("Shin Ha Ri actor in Business Proposal", "Kim Se Jeong", type_="actor_for_character"),
    T("who plays Kang Tae Moo", "Ahn Hyo Seop", type_="actor_for_character"),
    T("Who played Han Joo Won in Beyond Evil?", "Yeo Jin Goo", type_="actor_for_character"),
    T("Cha Mi Jo in thirty nine is played by who", "Son Ye Jin", type_="actor_for_character"),
    T("who portrayed Ahn Dae Seong", "Lee Kwang Soo", type_="actor_for_character"),
    # network
    T("what channel is doctor prisoner on", "KBS2", type_="network"),
    T("which station aired The Secret Romantic Guesthouse", "SBS", type_="network"),
    T("bad and crazy network", "tvN", type_="network"),
    T("Thirty-Nine what channel", "JTBC", type_="network"),
    T("what network is Never Twice on", "MBC", type_="network"),
    # director
    T("who directed Beyond Evil", "Shim Na Yeon", type_="director"),
    T("Bloody Heart's director", "Yoo Young Eun", type_="director"),
    T("director of the killer's shopping list", "Lee Eon Hee", type_="director"),
    T("who was the pd of Romance Is a Bonus Book", "Lee Jeong Hyo", type_="director"),
    T("Business Proposal director", "Park Seon Ho", type_="director"),
    # filmography
    T("Wi Ha Joon dramas", "Bad and Crazy", "Romance Is a Bonus Book", "Squid Game", need=2, type_="filmography"),
    T("roles of Kwon Na Ra", "Doctor Prisoner", "Itaewon Class", "Your Honor", need=2, type_="filmography"),
    T("what has Esom been in", "Black Knight", "Taxi Driver", "Save Me Season 2", need=2, type_="filmography"),
    T("Jang Hyuk filmography", "Bloody Heart", "Voice", "My Country", need=2, type_="filmography"),
    # alias titles (romanised Korean, other languages)
    T("who directed Dakteo Peurijeuneo", "Song Min Yeop", type_="alias_title"),
    T("Seoreun Ahop episodes", "12", type_="alias_title"),
    T("Dr. Prisoner network", "KBS2", type_="alias_title"),
    T("who's in Salinjaui Shoppingmokrok", "Lee Kwang Soo", "Kim Seol Hyun", need=1, type_="alias_title"),
    T("Romaenseuneun Byeolchaekburok director", "Lee Jeong Hyo", type_="alias_title"),
    T("Плохой и сумасшедший network", "tvN", type_="alias_title"),
    T("how many episodes does Nokdu Flower have", "48", type_="alias_title"),
    # Hangul titles in the catalog
    T("꽃선비열애사 방송사", "SBS", type_="korean_title"),
    T("미씽 2 감독", "Min Yeon Hong", type_="korean_title"),
    T("돈꽃 몇 부작?", "24", type_="korean_title"),
    T("What's the Korean title of Money Flower", "돈꽃", type_="korean_title"),
    T("사랑의 불시착은 몇 부작이야?", "16", type_="korean_title"),
    # Hangul titles the catalog holds only as romanised aliases ("Salinjaui Syopingmoglog", "Du Beoneun Eopda")
    T("살인자의 쇼핑목록 몇 부작", "8", type_="korean_title"),
    T("두 번은 없다 방송사", "MBC", type_="korean_title"),
    T("서른, 아홉 몇 부작이야?", "12", type_="korean_title"),
    T("로맨스는 별책부록 출연", "Lee Na Young", "Lee Jong Suk", need=1, type_="korean_title"),
    T("손예진 출연 드라마", "Thirty-Nine", "Crash Landing on You", need=2, type_="filmography"),
    T("꽃선비 열애사 몇 부작", "18", type_="korean_title"),
    T("Kkotseonbi Yeolaesa network", "SBS", type_="alias_title"),
    T("Coração Sangrento episodes", "16", type_="alias_title"),
    T("who plays Tan Ya in Arthdal Chronicles Part 2", "Kim Ji Won", type_="actor_for_character"),
    T("Who plays Kim Da Bong in Hit the Top?", "Yoon Shi Yoon", type_="actor_for_character"),
    T("who plays Cha Mi-jo", "Son Ye Jin", type_="actor_for_character"),
    T("what does Son Ye Jin play in Thirty Nine", "Cha Mi Jo", type_="character_for_actor"),
    T("Krystal Jung role in Player", "Cha Ah Ryung", type_="character_for_actor"),
    T("beyond evils director", "Shim Na Yeon", type_="director"),
    T("when does Celebrity come out", "30 June 2023", type_="premiere"),
    T("which station is Hit the Top on", "KBS2", type_="network"),
    # typos
    T("Mony Flower episodes", "24", type_="episodes"),
    T("the beuty inside premiere", "1 October 2018", type_="premiere"),
    T("how many episodes does Bloddy Heart have", "16", type_="episodes"),
    T("who directed Beyound Evil", "Shim Na Yeon", type_="director"),
    T("Doctor Prisonr network", "KBS2", type_="network"),
    T("Thrity-Nine cast", "Son Ye Jin", type_="cast_list"),
    T("Bussiness Proposal episodes", "12", type_="episodes"),
    # refusals: dramas and characters the catalog does not have
    R("How many episodes does Moonlight Pineapple Academy have?"),
    R("Who plays Captain Kimchi in Bloody Heart?"),
    R("who directed The Seventh Dragon of Busan"),
    R("사랑의 비행기 몇 부작?"),
    R("Who plays Zorblax the Great?"),
    R("When did Galaxy Noodle Detectives premiere?"),
    R("사랑 이야기 몇 부작?"),
    R("Who plays Dumbledore Kim in Beyond Evil"),
    R("what channel aired Thirty-Nine Pineapples"),
    # seed-style questions about the seed dramas, other phrasings
    T("who plays ryu sun jae in lovely runner", "Byeon Woo Seok", type_="seed"),
    T("lovely runner ep count", "16", type_="seed"),
    T("who's the director of run on", "Lee Jae Hoon", type_="seed"),
    T("run on network", "JTBC", type_="seed"),
    D("when did lovely runner start", "2024-04-08", type_="seed"),
    T("Who plays Oh Mi Do in Run On?", "Shin Se Kyung", type_="seed"),
]


def test_sweep_is_broad():
    assert_broad_and_new(SWEEP, KINDS | {"seed"})


async def test_generality_sweep(engine):
    await assert_sweep_passes(engine, SWEEP)
