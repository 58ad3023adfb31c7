"""A second sweep whose expected answers come straight from the RAW source files, not from our catalog.

Every expectation below was read from ../shared/data/catalog-sources (korean_drama_facts.csv,
wiki_actors.csv, dramalist_kdramas.csv, wikipedia_kdramas_facts.csv) as the file writes it: the spelling
of the file that gives the fact ("Cho Yeo-jeong", "Hahm Eun-jung", "Eo Soo-sun"), its network name
("Daum Kakao TV", "Korean Broadcasting System", "Home CGV"), its date. So a merge or normalisation that
loses a source's value fails here even when our catalog agrees with itself. Where two files disagree
about a fact, both values are accepted. The questions are phrased the ways fans type them: greetings and
sign-offs, typos in titles and in actors' names, years after titles, possessives, Hangul titles.
Scored with ``passes()`` from ../shared/qa/score.py (skipped when that folder is absent); ≥ 95 % must pass.
"""

from __future__ import annotations

from tests.qa_sweep import KINDS, D, R, T, assert_broad_and_new, assert_sweep_passes

CASES = [
    # cast: other files' spellings of an actor are shown next to the catalog's name
    T("who are the main actors in Please Find Her", "Kim Ji Hoon", "Hyung Won", "Lee Hyun Jae", need=2,
      type_="cast_list"),  # "main" is also an alias of another drama: the longer title wins
    T("who appears in tarot", "Cho Yeo-jeong", "Park Ha-sun", need=2, type_="cast_list"),
    T("who are the lead actors in cheat on me if you can??", "Cho Yeo-jeong", "Go Jun", need=2, type_="cast_list"),
    T("who starred in The Faceetale: Cinderia (2016)", "Lee  Joo Yeon", "Choi Tae Hwan", "Shin Suk Chul",
      "Kang So Yeon", need=2, type_="cast_list"),
    T("main actors of My Gonden Life 2017", "Shin Hye Sun", "Seo Eun Soo", "Lee Tae Hwan", "Park Shi Hoo", need=2,
      type_="cast_list"),
    T("who acted in a shop for killers", "Lee Dong-wook", "Kim Hye-jun", need=2, type_="cast_list"),
    T("Who are the actors in Eden?", "Lee Hong Gi", "Yoon Bo Mi", need=2, type_="cast_list"),
    T("who's in Local Hero", "Park Si-hoo", "Jo Sung-ha", need=2, type_="cast_list"),
    T("Sisters-in-Law actors", "Hahm Eun-jung", "Lee Joo-yeon", need=2, type_="cast_list"),
    T("who was in Decoy: Part 2", "Jang Keun Suk", "Heo Sung Tae", need=2, type_="cast_list"),
    # episodes: a year after a title, a title of question words, greetings, typos
    T("how many episodes was I Want to Do It with You (2017)", "8", type_="episodes"),
    T("Question - One Day Off has how many episodes", "8", type_="episodes"),
    T("episodes of loev in contract thx", "16", type_="episodes"),
    T("episodes of No Boher Me (2021)?", "35", type_="episodes"),
    T("how many episodes was Chief of Staff Siason 2 lol", "10", type_="episodes"),
    # premiere
    D("what's the premiere date for Love Is Dorp by Drop (2016)?", "2016-11-28"),  # not the alias "For Love"
    D("I'm Watching You release date", "2021-12-26"),  # a title made only of question words
    D("What was the release date of Just Too Bred (2018)?", "2018-01-16"),
    D("livitg With a Ghost premiere date", "2020-02-06"),
    D("Crash! Insignificant Ruenion air date", "2020-04-17"),
    # air days
    T("what are the broadcast days for hellbound 2021", ("Friday", "Fri"), type_="air_days"),  # not Season 2
    T("ON WHAT DAYS WAS THE SWOET BLOD (2021) BROADCAST", ("Wednesday", "Wed"), ("Saturday", "Sat"),
      type_="air_days"),
    T("I wonder Ms. Perefct broadcast days", ("Monday", "Mon"), ("Tuesday", "Tue"), type_="air_days"),
    T("which weekdays was Ongoing Lved One 2022 on", ("Friday", "Fri"), type_="air_days"),
    # network: the sources' names of a channel (company name, older name) are in the answer
    T("what channel did So Handsome Man, Si Bel Homme air on", "Daum Kakao TV", type_="network"),
    T("what channel was decoy: part 2 (2023) broadcast on", "COUPANG TV", type_="network"),
    T("Which network is Wedding on pls", "Korean Broadcasting System", type_="network"),
    T("where did sexi mong air", "Home CGV", type_="network"),
    T("what channel did Love for Loves Sake air on", ("Netflix", "TVING", "Wavve", "iQIYI"), type_="network"),
    T("umm what tv channel showed made in korea", "Hulu", type_="network"),
    T("Question - The Devil’s Plan Death Room aired on which channel", "Netflix", type_="network"),
    # director: every file's spelling of a director is kept
    T("who's the director behind manry me now?", ("Yoon Chang Bum", "Yoon Chang-beom"), type_="director"),
    T("QUICK QUESTION: BUBBLEGUM DIRECTOR", "Kim Byung Soo", type_="director"),
    T("name the director of Just One Bte thx", "Baek Min Hee", type_="director"),
    T("quick question: memory directed by", "Park Chan Hong", type_="director"),
    T("Gold Mask director", "Uh Soo Sun", "Eo Soo-sun", type_="director"),
    # character for actor: an actor's name misspelt, or spelt as another file writes it
    T("Who does Yuon Eun Bin play in “Bite Sisters”?", "Hye Won", type_="character_for_actor"),
    T("What character does Ceoi Jin Hyuk play in 'Devilish Joy'?", "Gong Ma Sung", type_="character_for_actor"),
    T("Who was Jnag Hee Jin in on the way to the airport", "Kim Hye Won", type_="character_for_actor"),
    T("who does kim nam gil play in the fiery priest (2019)?", "Kim Hae Il", type_="character_for_actor"),
    T("what role did Lee Sang Woo have in All About My Mom", "Kang Hoon Jae", type_="character_for_actor"),
    T("Which role did Park Hee Von play in Argon?", "Yook Hye Ri", type_="character_for_actor"),
    T("who was Shin Hae Sun's character in See You in My 19th Life", "Ban Ji Eum", type_="character_for_actor"),
    T("O Ji Yeong role The Witch Store", "Jo Kyung Sook", type_="character_for_actor"),
    T("PLS TELL ME WHO IS YANG HONG SEOK IN SHADOW BEAUTY THX", "Lee Jin Sung", type_="character_for_actor"),
    T("who is seo young in manhole", "Mi Ja", type_="character_for_actor"),  # "Seo Young" is also a title
    # actor for character: characters whose names hold an actor's name, a title, or a question word
    T("who was cast as Kim Hyun Woo in Remember, Hari", "Jung Sung Young", type_="actor_for_character"),
    T("who was the actor for gong chan young in replay: the moment when it starts again", "Kim Min Chul",
      type_="actor_for_character"),
    T("Who plays Choi Hong Ran?", "Lee Tae Ran", type_="actor_for_character"),
    T("who is the actor of Nah Sung Joon", "Yang Dae Hyuk", type_="actor_for_character"),
    T("Who plays Min Jae Hee", "Ha Jae Sook", type_="actor_for_character"),
    T("who is the actress playing i je in tutoriaal", "Bang Yoo In", type_="actor_for_character"),
    T("Who plays So Oh Sook?", "Kim Seo Ra", type_="actor_for_character"),
    T("Jang Won Kyung actor in A Shoulder to Cry On", "Oh Joo Seok", type_="actor_for_character"),
    T("Tae Yang actor in Love in Black Hole", "Lee Han Gyul", type_="actor_for_character"),
    T("who plays oh in kyung?", "Nam Ji Hyun", type_="actor_for_character"),
    T("umm who played Yoon Cheo Yong", "Oh Ji Ho", type_="actor_for_character"),
    T("ok so who plays Yoo In Ha", "Lee Hyun Seok", type_="actor_for_character"),
    T("Who plays Yeom Jin Ok?", "Song Ok Sook", type_="actor_for_character"),
    # filmography
    T("what dramas did jung yi yeon star in", "Ghost VRos", "TV Novel: In Still Green Days",
      "TV Novel: My Mind’s Flower Rain", need=2, type_="filmography"),
    T("which dramas did Rowoon act in", "About Time", "Click Your Heart", "Extraordinary You", "She Would Never Know",
      "The King's Affection", "Tomorrow", need=2, type_="filmography"),
    T("quick question: dramas featuring lee jai-jin", "4 Kinds of House", "My Only Love Song", "The Flatterer",
      "YG Future Strategy Office", need=2, type_="filmography"),
    # alternate titles
    T("quick question: who directed This Week", "Kim Seok Yoon", type_="alias_title"),
    T("Question - скорая помощь: реанимировать любовь director", ("Kim Cheol-kyu", "Kim Chul Gyu"),
      type_="alias_title"),
    # Hangul titles
    D("미쓰맘 제인 첫 방송", "2022-05-09", type_="korean_title"),  # "첫" is no title "Cheot"
    T("what channel aired 산옥씨네 삼남매", "KBS2", type_="korean_title"),  # not merged with "Mom" (MBC)
    T("산옥씨네 삼남매 몇 부작이야?", "54", type_="korean_title"),
    T("What is Hwarang called in Korean?", "화랑: 더 비기닝", type_="korean_title"),
    T("Question - 7000일 몇 부작 ?", "16", type_="korean_title"),
    D("학교2017 첫 방송", "2017-07-17", type_="korean_title"),
    # refusals: a title of which one word is someone's name, made-up characters in real dramas
    R("How many episodes does Quantum Academy of Thunder have?"),
    R("My Crimson Academy of Thunder cast"),
    R("who plays the lead in The Thunder Academy of Thunder"),
    R("Zorblax Kim in Flower of the Queen actor thx"),
    R("who is the actor of Tak Tae Mal in Desperate Mr. X"),
    R("Gong Ja Gu in On the Campus is played by who"),
]


def test_cases_are_broad_and_new():
    assert_broad_and_new(CASES, KINDS)


async def test_raw_source_sweep(engine):
    await assert_sweep_passes(engine, CASES)
