"""The Korean story glossary: particles and verb endings fall away, the longest stem wins, and words it
does not know map to nothing (so a Korean plot question reaches the English tags)."""

from __future__ import annotations

import pytest

from bot.knowledge.glossary import GLOSSARY, english


@pytest.mark.parametrize(("word", "terms"), [
    ("시간여행하는", ("time travel",)),
    ("과거로", ("time travel", "past")),
    ("아이돌을", ("idol", "k-pop")),
    ("팬이", ("fan",)),                       # a one-syllable word keeps its particle in strip_particle
    ("고등학교에서", ("high school", "school")),  # the longest stem, not 학교
    ("계약결혼", ("contract marriage",)),       # not 계약 alone
    ("복수하는", ("revenge",)),
    ("좀비가", ("zombie",)),
    ("신비한", ()),
    ("드라마", ()),
])
def test_korean_words_map_to_english_story_terms(word, terms):
    assert english(word) == terms


def test_every_entry_is_hangul_to_lower_case_english():
    assert len(GLOSSARY) >= 100
    for key, terms in GLOSSARY.items():
        assert all("\uac00" <= ch <= "\ud7a3" for ch in key), key
        assert terms and all(t == t.lower() and t.isascii() for t in terms), key
