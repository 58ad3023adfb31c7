"""Hangul -> Revised Romanisation, so "사랑의 불시착" finds the alias "Sarangui Bulsichak" (and back).

Hangul syllables U+AC00..U+D7A3 are arithmetic: ``code - 0xAC00 = (initial * 21 + vowel) * 28 + final``.
The romanisation follows the Revised Romanisation with the sound changes that fans' spellings
usually show: a final consonant carried over to a following vowel ("별에서" -> "byeoreseo"), ㄹ
between vowels as "r", ㄹㄹ as "ll", and the common nasal assimilations ("국민" -> "gungmin").
``korean-romanizer`` (PyPI) does the same, but it is GPL-3.0 and this project is MIT, so the ~60 lines
live here. Non-Hangul characters pass through unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

_BASE, _LAST = 0xAC00, 0xD7A3
INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
          "yu", "eu", "ui", "i"]
# Finals as jamo names: index 0 = none. Each maps to (sound at the end of a syllable, its carried-over
# sound before a vowel, the initial it becomes in liaison).
_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
           "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_CODA = {"": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄴ": "n", "ㄵ": "n", "ㄶ": "n", "ㄷ": "t", "ㄹ": "l", "ㄺ": "k",
         "ㄻ": "m", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㄿ": "p", "ㅀ": "l", "ㅁ": "m", "ㅂ": "p", "ㅄ": "p", "ㅅ": "t",
         "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t", "ㅊ": "t", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "t"}
# before a vowel-initial syllable (ㅇ): (what stays in this syllable, what starts the next one)
_LIAISON = {"ㄱ": ("", "g"), "ㄲ": ("", "kk"), "ㄳ": ("k", "s"), "ㄴ": ("", "n"), "ㄵ": ("n", "j"), "ㄶ": ("", "n"),
            "ㄷ": ("", "d"), "ㄹ": ("", "r"), "ㄺ": ("l", "g"), "ㄻ": ("l", "m"), "ㄼ": ("l", "b"), "ㄽ": ("l", "s"),
            "ㄾ": ("l", "t"), "ㄿ": ("l", "p"), "ㅀ": ("", "r"), "ㅁ": ("", "m"), "ㅂ": ("", "b"), "ㅄ": ("p", "s"),
            "ㅅ": ("", "s"), "ㅆ": ("", "ss"), "ㅇ": ("ng", ""), "ㅈ": ("", "j"), "ㅊ": ("", "ch"), "ㅋ": ("", "k"),
            "ㅌ": ("", "t"), "ㅍ": ("", "p"), "ㅎ": ("", "")}
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


def _split(ch: str) -> tuple[int, int, str]:
    code = ord(ch) - _BASE
    return code // 588, (code % 588) // 28, _FINALS[code % 28]


def _word(run: str) -> str:
    """One run of Hangul syllables (sound changes apply inside a run, not across spaces)."""
    sylls = [_split(ch) for ch in run]
    out = []
    carry = None  # an initial forced by the previous syllable's final
    for n, (ini, vow, fin) in enumerate(sylls):
        onset = INITIALS[ini] if carry is None else carry
        carry = None
        coda = _CODA[fin]
        if n + 1 < len(sylls) and fin:
            nxt = sylls[n + 1][0]
            if nxt == 11:                       # ㅇ: liaison
                coda, carry = _LIAISON[fin]
            elif INITIALS[nxt] in ("n", "m"):  # nasal assimilation: 국민 gungmin, 합니다 hamnida
                coda = {"k": "ng", "t": "n", "p": "m"}.get(coda, coda)
            elif INITIALS[nxt] == "r":
                if coda in ("l", "n"):
                    coda, carry = "l", "l"     # 설렁 seolleong, 신라 silla
                elif coda in ("k", "p", "m", "ng"):
                    coda, carry = {"k": "ng", "p": "m"}.get(coda, coda), "n"
        out.append(onset + VOWELS[vow] + coda)
    return "".join(out)


# Letter by letter (no sound changes): how many catalog aliases are spelt ("Sanae Majseon", "Bogsuja").
_LETTER_FINAL = {"": "", "ㄱ": "g", "ㄲ": "kk", "ㄳ": "gs", "ㄴ": "n", "ㄵ": "nj", "ㄶ": "nh", "ㄷ": "d", "ㄹ": "l",
                 "ㄺ": "lg", "ㄻ": "lm", "ㄼ": "lb", "ㄽ": "ls", "ㄾ": "lt", "ㄿ": "lp", "ㅀ": "lh", "ㅁ": "m", "ㅂ": "b",
                 "ㅄ": "bs", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "ng", "ㅈ": "j", "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p",
                 "ㅎ": "h"}


def _letters(run: str, rieul: str = "r") -> str:
    out = []
    for ini, vow, fin in (_split(ch) for ch in run):
        out.append((rieul if ini == 5 else INITIALS[ini]) + VOWELS[vow] + _LETTER_FINAL[fin])
    return "".join(out)


@lru_cache(maxsize=4096)
def romanize(text: str) -> str:
    """Every run of Hangul syllables romanised; everything else kept ("무브 투 헤븐" -> "mubeu tu hebeun")."""
    return _HANGUL_RUN.sub(lambda m: _word(m.group()), text or "")


@lru_cache(maxsize=4096)
def transliterate(text: str, rieul: str = "r") -> str:
    """Letter-by-letter romanisation ("사내맞선" -> "sanaemajseon"); everything else kept. ``rieul="l"``
    spells ㄹ as "l" everywhere, as many aliases do ("Salinjaui Syopingmoglog" for 살인자의 쇼핑목록)."""
    return _HANGUL_RUN.sub(lambda m: _letters(m.group(), rieul), text or "")


def has_hangul_key(key: str) -> bool:
    return bool(_HANGUL_RUN.search(key or ""))


def romanized_keys(key: str) -> list[str]:
    """The romanised forms of a normalised key holding Hangul (with sound changes; letter by letter, ㄹ as "r"
    and as "l"; deduplicated); [] without Hangul."""
    if not _HANGUL_RUN.search(key or ""):
        return []
    return list(dict.fromkeys((romanize(key), transliterate(key), transliterate(key, "l"))))


# How Korean surnames are usually spelt in English (the Revised Romanisation is rarely used for them).
SURNAMES = {
    "김": ("kim",), "이": ("lee", "yi"), "박": ("park",), "최": ("choi",), "정": ("jung", "jeong"), "강": ("kang",),
    "조": ("jo", "cho"), "윤": ("yoon",), "장": ("jang",), "임": ("lim", "im", "yim"), "한": ("han",), "오": ("oh",),
    "서": ("seo",), "신": ("shin",), "권": ("kwon",), "황": ("hwang",), "안": ("ahn",), "송": ("song",),
    "류": ("ryu", "yoo"), "유": ("yoo", "yu"), "전": ("jeon", "jun"), "홍": ("hong",), "고": ("go", "ko"),
    "문": ("moon",), "양": ("yang",), "손": ("son",), "배": ("bae",), "백": ("baek",), "허": ("heo", "huh"),
    "남": ("nam",), "심": ("shim",), "노": ("noh",), "하": ("ha",), "곽": ("kwak",), "성": ("sung",), "차": ("cha",),
    "주": ("joo",), "우": ("woo",), "구": ("koo", "gu"), "민": ("min",), "진": ("jin",), "지": ("ji",), "엄": ("uhm",),
    "채": ("chae",), "원": ("won",), "천": ("chun",), "방": ("bang",), "공": ("gong",), "현": ("hyun",),
    "변": ("byeon", "byun"), "염": ("yeom",), "여": ("yeo",), "추": ("choo",), "도": ("do",), "소": ("so",),
    "석": ("seok",), "설": ("seol",), "길": ("gil",), "연": ("yeon",), "위": ("wi",), "표": ("pyo",), "기": ("ki",),
    "남궁": ("namkoong", "namgoong"), "황보": ("hwangbo",), "선우": ("sunwoo",), "제갈": ("jegal",), "독고": ("dokgo",),
}
# Common English spellings of given-name syllables, applied one rule at a time and all together.
_GIVEN_RULES = (("eong", "ung"), ("yeong", "young"), ("yeon", "yun"), ("eo", "u"), ("ui", "ee"), ("si", "shi"),
                ("gy", "ky"), ("gw", "kw"))
_U = re.compile(r"(?<![eo])u")


def _syllable_spellings(syllable: str) -> list[str]:
    ini, vow, fin = _split(syllable)
    rr = INITIALS[ini] + VOWELS[vow] + _CODA[fin]
    out = [rr]
    if _U.search(rr):
        out.append(_U.sub("oo", rr))          # 수 soo, 준 joon, 윤 yoon
    if rr == "u":
        out.append("woo")
    every = rr
    for old, new in _GIVEN_RULES:
        if old in rr:
            out.append(rr.replace(old, new))
            every = every.replace(old, new)
    if rr.startswith("g"):
        out.append("k" + rr[1:])
    out.append(every)
    return list(dict.fromkeys(out))[:5]


def person_name_keys(name: str, limit: int = 64) -> list[str]:
    """Likely English spellings (as lookup keys) of a Hangul person name: "손예진" -> "sonyejin", "김세정" ->
    "kimsejeong", "kimsejung"... Only 2-4 syllable names; [] otherwise."""
    if not name or not 2 <= len(name) <= 4 or not all(_BASE <= ord(ch) <= _LAST for ch in name):
        return []
    splits = [(name[:2], name[2:])] if name[:2] in SURNAMES and len(name) >= 3 else []
    splits.append((name[:1], name[1:]))
    keys: list[str] = []
    for surname, given in splits:
        heads = SURNAMES.get(surname) or (_letters(surname),)
        givens = [""]
        for syllable in given:
            givens = [g + s for g in givens for s in _syllable_spellings(syllable)]
        keys += [h + g for h in heads for g in givens]
    return list(dict.fromkeys(keys))[:limit]
