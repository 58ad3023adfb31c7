"""The builder's normalisation rules, one by one."""

from __future__ import annotations

import pytest

from bot.catalog.normalize import (
    loose_key,
    network_and_platforms,
    parse_date,
    parse_date_range,
    parse_episodes,
    parse_weekdays,
    person_key,
    split_list,
    split_networks,
    strip_title_suffix,
)


@pytest.mark.parametrize(("raw", "network", "platforms"), [
    ("jTBC", "JTBC", []),
    ("Netflix tvN", "tvN", ["Netflix"]),
    ("tvN Netflix", "tvN", ["Netflix"]),
    ("jTBC Netflix TVING", "JTBC", ["Netflix", "TVING"]),
    ("Netflix", "Netflix", ["Netflix"]),
    ("Disney+ Hulu", "Disney+", ["Disney+", "Hulu"]),
    ("Amazon Prime TVING", "TVING", ["Prime Video", "TVING"]),
    ("Naver TV Cast vLive", "Naver TV Cast", ["Naver TV Cast", "V Live"]),
    ("ENA Genie TV", "ENA", ["Genie TV"]),
    ("MBC every1", "MBC every1", []),
    ("Munhwa Broadcasting Corporation", "MBC", []),
    ("SBS TV", "SBS", []),
    ("Home CGV", "Home CGV", []),
    ("TV Chosun\nCoupang Play\nPrime Video", "TV Chosun", ["Coupang Play", "Prime Video"]),
    ("Disney+ (International)\nHulu (United States)", "Disney+", ["Disney+", "Hulu"]),
    ("", None, []),
    ("-", None, []),
])
def test_networks_split_into_network_and_platforms(raw, network, platforms):
    assert network_and_platforms(split_networks(raw)) == (network, platforms)


def test_unknown_network_is_kept_not_dropped():
    assert split_networks("Mystery Channel") == ["Mystery Channel"]


@pytest.mark.parametrize(("raw", "iso"), [
    ("2023-07-05", "2023-07-05"),
    ("Aug  2, 2023", "2023-08-02"),
    ("September 10, 2018", "2018-09-10"),
    ("2 March 2002", "2002-03-02"),
    ("November\xa029,\xa02024", "2024-11-29"),
    ("2018/09/10", "2018-09-10"),
    ("Feb 30, 2020", None),
    ("soon", None),
    ("", None),
])
def test_dates_in_every_source_format(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize(("raw", "first", "last"), [
    ("Sep 10, 2018 - Oct 30, 2018", "2018-09-10", "2018-10-30"),
    ("September 10\xa0–\nOctober 30, 2018", "2018-09-10", "2018-10-30"),
    ("2 March\xa0–\n28 July 2002", "2002-03-02", "2002-07-28"),
    ("December 16 – February 4, 2021", "2020-12-16", "2021-02-04"),
    ("August 15, 2015\xa0–\nFebruary 14, 2016", "2015-08-15", "2016-02-14"),
    ("Aug 20, 2020", "2020-08-20", "2020-08-20"),
    ("March 1, 2024 – present", "2024-03-01", None),
    ("-", None, None),
])
def test_date_ranges(raw, first, last):
    assert parse_date_range(raw) == (first, last)


@pytest.mark.parametrize(("raw", "days"), [
    ("Thursday, Wednesday", ["Wednesday", "Thursday"]),
    ("Sunday, Saturday", ["Saturday", "Sunday"]),
    ("Mon & Tue", ["Monday", "Tuesday"]),
    ("Mon-Fri", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
    ("Fridays", ["Friday"]),
    ("", []),
    ("Someday", []),
])
def test_weekdays_parsed_and_ordered_monday_first(raw, days):
    assert parse_weekdays(raw) == days


@pytest.mark.parametrize(("raw", "episodes"), [
    ("16", 16),
    ("16 + 2 special", 16),
    ("8 (list of episodes)", 8),
    ("53 (50 (original) + 3 (extension))", 53),
    ("16 episodes", 16),
    ("Season\xa03\nEpisode 14", None),
    ("-", None),
    ("0", None),
])
def test_episode_counts(raw, episodes):
    assert parse_episodes(raw) == episodes


@pytest.mark.parametrize(("raw", "title"), [
    ("Run On (TV series)", "Run On"),
    ("Alice (South Korean TV series)", "Alice"),
    ("Love Rain (2012 TV series)", "Love Rain"),
    ("  Goblin  ", "Goblin"),
    ("Love (ft. Marriage and Divorce)", "Love (ft. Marriage and Divorce)"),
    ("Reply 1988", "Reply 1988"),
])
def test_title_suffixes_and_whitespace_stripped(raw, title):
    assert strip_title_suffix(raw) == title


def test_romanisation_key_merges_variants_only():
    assert person_key("Yim Si Wan") == person_key("Im Si-wan") == person_key("Im Siwan")
    assert person_key("Kim Hye-yoon") == person_key("Kim Hye Yoon")
    assert person_key("Choi Sooyoung") == person_key("Choi Soo Young")
    assert person_key("Yim Si Wan") != person_key("Yoon Si Wan")
    assert person_key("Yimin Park") != person_key("Imin Park")  # only a whole "Yim" surname is folded
    assert person_key("Jung Hye Rin") != person_key("Jeong Hye Rin")  # the sources keep these apart
    # the looser key (used only inside one drama's cast) links spellings of one actor
    assert loose_key("Shin Sae Kyeong") == loose_key("Shin Se Kyung")
    assert loose_key("Kim Dae Jin") != loose_key("Kim Tae Jin")


def test_python_literal_and_comma_lists():
    assert split_list("['Kim Jin Man', 'Kim Dae Jin']") == ["Kim Jin Man", "Kim Dae Jin"]
    assert split_list("Ji Sung,  Hwang Jung-eum , Ji Sung") == ["Ji Sung", "Hwang Jung-eum"]
    assert split_list("-") == []


def test_same_syllable_spellings_fold_but_different_syllables_do_not():
    assert person_key("Baek Yoon-sik") == person_key("Baek Yoon Shik")
    assert person_key("Ahn Do-gyu") == person_key("Ahn Do Kyu")
    assert person_key("Jung Soo Bin") == person_key("Jung Su Bin")
    assert person_key("Choi Min Seo") != person_key("Choi Min Soo")  # 서 and 수
    assert person_key("Jang Do Yeon") != person_key("Jang Do Yoon")  # 연 and 윤


def test_title_key_ignores_articles_ampersands_and_the_word_season():
    from bot.catalog.normalize import title_key

    assert title_key("Dali & Cocky Prince") == title_key("Dali and the Cocky Prince")
    assert title_key("Welcome to Waikiki 2") == title_key("Welcome to Waikiki Season 2")
    assert title_key("The Golden Garden") == title_key("Golden Garden")
    assert title_key("Run On (TV series)") == title_key("Run On")
    assert title_key("Missing: The Other Side") != title_key("Missing: The Other Side Season 2")


def test_commas_inside_brackets_do_not_split_names():
    assert split_list("Lee Cheol (formerly, Kwak Ki-won), Kim A") == ["Lee Cheol (formerly, Kwak Ki-won)", "Kim A"]


def test_html_character_references_are_decoded():
    from bot.catalog.normalize import unescape

    assert unescape("Kian's Bizarre B&amp;B") == "Kian's Bizarre B&B"
    assert unescape("Secret Royal Inspector &amp; Joy") == "Secret Royal Inspector & Joy"
    assert unescape("Kian&#39;s &#x27;B&#x27;") == "Kian's 'B'"
    assert unescape("R&amp;amp;B") == "R&B"  # double escaped
    assert unescape("Rock &notes & R&B") == "Rock &notes & R&B"  # no ";": not a reference
    assert unescape(None) is None


def test_variant_key_folds_silent_h_and_surname_spellings():
    from bot.catalog.normalize import variant_key

    assert variant_key("Go Ah Ra") == variant_key("Go A Ra") == variant_key("Go Ara")
    assert variant_key("Shin Min Ah") == variant_key("Shin Min-a") == variant_key("shin min a")
    assert variant_key("Hahm Eun Jung") == variant_key("Ham Eun-jung")
    assert variant_key("Ahn Hyo Seop") == variant_key("An Hyo-seop")
    # surname 엄: Uhm / Eom / Um already in the strict key
    assert person_key("Uhm Ki Joon") == person_key("Um Ki-joon") == person_key("Eom Ki-joon")
    # an h before a vowel or y/w may start the next syllable: kept
    assert variant_key("Kim Ah Yun") != variant_key("Kim A Hyun")
    assert variant_key("Kim Ahyoung") != variant_key("Kim Ayoung")
    # different syllables never meet
    assert variant_key("Choi Min Seo") != variant_key("Choi Min Soo")
    assert variant_key("Jang Do Yeon") != variant_key("Jang Do Yoon")
    assert variant_key("Kang Mi Na") == variant_key("Kang Min Ah")  # the weak key alone cannot tell...
    from bot.catalog.normalize import name_syllables

    assert name_syllables("Kang Mi Na") != name_syllables("Kang Min Ah")  # ...the syllables can
    assert name_syllables("Seo Yoon Ah") != name_syllables("Seo Yu Na")
    assert name_syllables("Yang Jung-a") == name_syllables("Yang Jung Ah")


def test_loose_key_inside_one_drama_links_more_spellings():
    from bot.catalog.normalize import surname

    assert loose_key("Kim Tae Yub") == loose_key("Kim Tae-yeop")  # final ㅂ as b or p
    assert loose_key("Kim Kap-soo") == loose_key("Kim Gab Soo")
    assert loose_key("Go A Ra") == loose_key("Go Ah Ra")
    assert surname("Uhm Ki Joon") == surname("Um Ki-joon") == "um"
    assert loose_key("Kim Dae Jin") != loose_key("Kim Tae Jin")
    assert loose_key("Park Hee Von") == loose_key("Park Hee Bon")  # ㅂ written v
    assert loose_key("Shin Hae Sun") == loose_key("Shin Hye Sun")
    assert loose_key("Kang Hae-rim") == loose_key("Kang Hae Lim")  # ㄹ written r or l
    assert loose_key("O Ji Yeong") == loose_key("Oh Ji Young")  # silent final h
    assert loose_key("Lee Jai-jin") == loose_key("Lee Jae Jin")
    assert loose_key("Ohn Joo Wan") == loose_key("On Joo-wan")
    assert loose_key("Ryu Eui Hyun") == loose_key("Ryu Ui-hyun")
    assert loose_key("Yang Ik June") == loose_key("Yang Ik Jun")
    assert loose_key("Kim Ji Won") != loose_key("Kim Ji Woon")


def test_romanised_hangul_compares_with_latin_spellings():
    from bot.catalog.normalize import romanize, sound_key

    assert romanize("선재 업고 튀어") == "seonjae eopgo twieo"
    assert sound_key("선재 업고 튀어") == sound_key("Sunjae Eopgo Tweeeo") == sound_key("Seonjae Eobgo Twieo")
    assert sound_key("처용") == sound_key("Cheo Yong")
    assert sound_key("기억을 걷는 시간") != sound_key("Lovely Runner")


@pytest.mark.parametrize(("title", "hangul", "wiki", "expected"), [
    ("Run On", ["런 온"], [], "런 온"),                                   # only one: that one
    ("Lovely Runner", ["기억을 걷는 시간", "내일의 으뜸"], [], None),       # cannot tell: none
    ("Hwarang", ["화랑", "화랑: 더 비기닝"], [], None),                      # short form of a longer one
    ("Cheo Yong", ["귀신보는 형사", "처용"], [], "처용"),                   # romanises to the title
    ("Angel's Temptation", ["천사의 유혹", "유혹"], ["천사의 유혹"], "천사의 유혹"),  # Wikipedia names one
    ("Pinocchio", [], [], None),
])
def test_korean_title_among_several_hangul_aliases(title, hangul, wiki, expected):
    from bot.catalog.normalize import pick_korean_title

    assert pick_korean_title(title, hangul, wiki) == expected
