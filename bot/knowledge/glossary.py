"""Korean story words in English, so a Korean plot question can match the catalog's English tags,
genres and synopses ("아이돌을 구하러 과거로 가는 드라마" -> idol, past, time travel).

Pure data plus one lookup. Keys are Hangul stems: a question word (its particle already stripped)
matches the longest key it starts with, so verb endings and particles do not matter ("복수하는" ->
revenge, "과거로" -> past). Entries were chosen from the shipped catalog's most common tags.
"""

from __future__ import annotations

from bot.knowledge.parse import PARTICLES, strip_particle

GLOSSARY: dict[str, tuple[str, ...]] = {
    # time, fate, the supernatural
    "시간여행": ("time travel",), "타임슬립": ("time travel",), "타임리프": ("time travel",),
    "타임머신": ("time travel",), "과거로": ("time travel", "past"), "과거": ("past",), "미래": ("future",),
    "회귀": ("time travel", "second chance"), "환생": ("reincarnation",), "전생": ("reincarnation", "past life"),
    "운명": ("fate",), "저주": ("curse",), "귀신": ("ghost",), "유령": ("ghost",), "영혼": ("ghost", "soul"),
    "저승사자": ("grim reaper",), "도깨비": ("goblin",), "구미호": ("gumiho", "nine-tailed fox"),
    "뱀파이어": ("vampire",), "흡혈귀": ("vampire",), "좀비": ("zombie",), "괴물": ("monster",),
    "외계인": ("alien",), "초능력": ("supernatural power",), "능력": ("power",), "신": ("god",),
    "천사": ("angel",), "악마": ("devil",), "마녀": ("witch",), "인어": ("mermaid",), "로봇": ("robot",),
    "인공지능": ("artificial intelligence",), "게임": ("game",), "웹툰": ("webtoon",), "소설": ("novel",),
    "몸이": ("body swap",), "몸": ("body",), "바뀌": ("swap",), "뒤바뀐": ("swap",),
    "기억상실": ("amnesia",), "기억": ("memory", "amnesia"), "꿈": ("dream",),
    # people and jobs
    "여자": ("female",), "남자": ("male",), "보는": ("seeing",), "아이돌": ("idol", "k-pop"), "팬": ("fan",), "가수": ("singer",), "배우": ("actor", "actress"),
    "연예인": ("celebrity", "entertainment industry"), "연예계": ("entertainment industry",),
    "의사": ("doctor",), "간호사": ("nurse",), "변호사": ("lawyer", "attorney"), "검사": ("prosecutor",),
    "판사": ("judge",), "형사": ("detective",), "경찰": ("police",), "탐정": ("detective",),
    "기자": ("reporter", "journalist"), "요리사": ("chef",), "셰프": ("chef",), "작가": ("writer",),
    "선생님": ("teacher",), "교사": ("teacher",), "학생": ("student",), "고등학생": ("high school", "student"),
    "대학생": ("university", "student"), "재벌": ("chaebol", "rich"), "부자": ("rich",), "가난": ("poor",),
    "사장": ("ceo", "boss"), "대표": ("ceo",), "회장": ("chairman",), "비서": ("secretary",),
    "왕": ("king", "royalty"), "왕자": ("prince", "royalty"), "공주": ("princess", "royalty"),
    "세자": ("crown prince", "royalty"), "왕세자": ("crown prince", "royalty"), "황후": ("empress", "royalty"),
    "군인": ("soldier", "military"), "조폭": ("gang",), "깡패": ("gang",), "해커": ("hacker",),
    "스파이": ("spy",), "킬러": ("assassin", "killer"), "살인마": ("serial killer",),
    "연쇄살인": ("serial killer",), "사이코패스": ("psychopath",), "범인": ("criminal",),
    "엄마": ("mother",), "아빠": ("father",), "딸": ("daughter",), "아들": ("son",), "고아": ("orphan",),
    "싱글맘": ("single mother",), "쌍둥이": ("twins",), "친구": ("friendship",), "이웃": ("neighbors",),
    "남사친": ("friends to lovers",), "소꿉친구": ("childhood friends",),
    # places
    "고등학교": ("high school", "school"), "학교": ("school",), "대학": ("university",),
    "병원": ("hospital",), "회사": ("office", "workplace"), "직장": ("workplace",), "법정": ("court",),
    "경찰서": ("police",), "감옥": ("prison",), "교도소": ("prison",), "시골": ("countryside", "village"),
    "마을": ("village",), "섬": ("island",), "식당": ("restaurant",), "조선": ("joseon",),
    "고려": ("goryeo",), "궁": ("palace", "royalty"), "궁궐": ("palace", "royalty"),
    # story
    "복수": ("revenge",), "살인": ("murder",), "살해": ("murder",), "죽음": ("death",), "죽은": ("death",),
    "수사": ("investigation",), "범죄": ("crime",), "비밀": ("secret",), "정체": ("hidden identity",),
    "신분": ("hidden identity",), "이중인격": ("multiple personality",), "다중인격": ("multiple personality",),
    "납치": ("kidnapping",), "실종": ("missing",), "부패": ("corruption",), "음모": ("conspiracy",),
    "누명": ("wrongfully accused",), "학교폭력": ("school bullying",), "학폭": ("school bullying",),
    "왕따": ("bullying",), "따돌림": ("bullying",), "생존": ("survival",), "전쟁": ("war",),
    "병": ("illness",), "불치병": ("terminal illness",), "시한부": ("terminal illness",),
    "자폐": ("autism", "autistic"), "자폐증": ("autism", "autistic"), "트라우마": ("trauma",), "힐링": ("healing",),
    "임신": ("pregnancy",), "출생의": ("birth secret",), "불륜": ("infidelity", "affair"),
    "바람": ("infidelity",), "이혼": ("divorce",), "결혼": ("marriage",), "계약결혼": ("contract marriage",),
    "계약": ("contract",), "위장결혼": ("fake marriage",), "가짜": ("fake",), "동거": ("cohabitation",),
    "첫사랑": ("first love",), "짝사랑": ("unrequited love", "secret crush"), "삼각관계": ("love triangle",),
    "사각관계": ("love square",), "연상연하": ("older woman/younger man",), "연하남": ("older woman/younger man",),
    "재회": ("meet again",), "전남친": ("ex comes back",), "전여친": ("ex comes back",), "사랑": ("love",),
    "연애": ("romance",), "꿈을": ("chasing a dream",), "성장": ("coming of age",), "우정": ("friendship",),
    "브로맨스": ("bromance",), "여장": ("cross-dressing",), "남장": ("cross-dressing",),
    "오디션": ("audition",), "데뷔": ("debut",), "구하": ("save",), "구하러": ("save",), "구해": ("save",),
    "지키": ("protect",), "사고": ("accident",), "교통사고": ("car accident",),
    # genres said in Korean
    "판타지": ("fantasy",), "로맨스": ("romance",), "스릴러": ("thriller",), "코미디": ("comedy",),
    "사극": ("historical",), "공포": ("horror",), "미스터리": ("mystery",), "액션": ("action",),
    "멜로": ("melodrama",), "청춘": ("youth",), "의학": ("medical",), "법정물": ("legal",),
}
# the longest key first: "고등학교" before "학교", "계약결혼" before "계약"
_KEYS = sorted(GLOSSARY, key=len, reverse=True)


def english(word: str) -> tuple[str, ...]:
    """The English story terms a Korean question word stands for (empty when the glossary has none).
    One-syllable keys must be the whole word ("왕", "섬"), longer ones may take an ending ("복수하는")."""
    for key in (word, strip_particle(word), *(word[: -len(p)] for p in PARTICLES if word.endswith(p))):
        if key in GLOSSARY:  # "팬이", "섬에서": a short word keeps its particle in strip_particle
            return GLOSSARY[key]
    bare = strip_particle(word)
    for key in _KEYS:
        if len(key) >= 2 and bare.startswith(key):
            return GLOSSARY[key]
    return ()
