"""Tokenising questions and formatting answers: no Discord, no database.

Tokens keep their character span so that a mention found by its normalised key can be cut out of
the question again; window keys are the concatenation of token keys, which equals
:func:`bot.catalog.names.norm` of the original text (punctuation and spaces never matter).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.catalog.names import fold, norm

# A word; letters joined by hyphens stay one word ("Mi-do", "Seon-gyeom": the "do" is no verb).
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+|[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Words that frame a question rather than name a drama, a person or a character.
FRAME = frozenset("""
a an the of in on at to for by with and or from about into as is are was were be been being am it its it's
this that these those there here who whom whose what whats which when where why how many much does do did
done doing has have had will would can could should shall may might must i me my you your we our they
their he she his her him s t d ll re ve m please tell know want wanna need give show list name find
anyone someone people person actor actors actress actresses cast casts casting star stars starred starring
lead leads leading main role roles character characters play plays played playing portray portrays
portrayed acts acted acting appear appears appeared member members episode episodes ep eps count number
total long season seasons second part sequel network networks channel channels station broadcaster
broadcast broadcasts broadcasted broadcasting air airs aired airing aired tv watch watching stream streaming streamed
platform platforms available premiere premiered premieres release released releases date dates day days
week weekday weekdays weekly night nights time times slot start started starts begin began first come came out debut
end ended ends finale final last finish finished over direct directed director directors directs pd write
written writer writers wrote script screenwriter based original source adapted adaptation webtoon novel
web manhwa author illustrator illustrated story plot synopsis summary premise about rating ratings rated
score share viewership audience peak korean title name hangul year years similar like recommend recommended
other more dramas drama kdrama k show shows series filmography known genre genres kind type status still
ongoing going get got shown showing showed made conclude concluded concludes wrapped each every per s2 ost kdramas run runs ran running netflix viki disney tving wavve coupang hulu
prime amazon kocowa korea us usa uk english subs subtitles sub dub dubbed getting coming back gonna gets wrap wraps up helm helmed helms pen penned pens new renewed confirmed happen happening next there any whos whats hey hi hello
bot dramabot pls plz thanks thank just also again really yes no not so but if then than called
act um umm ummm uh uhh hmm question quick wonder wondering curious thx ty lol lmao btw whom behind
named loved enjoyed liked finished watched binged something else vein
both together alongside vs versus than older newer longer shorter earlier later before after fewer less better higher lower which
""".split())

# Pure question words: a window made only of these is never a title.
QUESTION_WORDS = frozenset("who whom whose what whats which when where why how is are was were does do did has have"
                           " had will would can could should tell me please".split())


@dataclass(frozen=True)
class Token:
    text: str
    key: str
    start: int
    end: int
    cue: str = ""   # the question word a typo stands for ("directd" -> "directed"); the key stays as typed
    name: bool = False  # a question word that is part of a capitalised name here ("Oh Mi *Do*")
    filler: bool = False  # "ok" opening a question ("ok so who plays ..."); elsewhere it may be a name

    @property
    def frame(self) -> bool:
        return self.filler or (not self.name and (self.key in FRAME or bool(self.cue)))


# Words that may open a question without being question words anywhere else.
OPENERS = frozenset("ok okay okk kk".split())
# Korean name syllables that are also English question words: "Oh Mi Do", "So Ji Sub", "Park Seo An".
NAME_SYLLABLES = frozenset("do so an".split())


def tokenize(text: str) -> list[Token]:
    """Word tokens (apostrophes and punctuation split words: ``Se's`` -> ``Se``, ``s``; hyphenated names
    stay one word). A capitalised "Do"/"So"/"An" right after a capitalised name word reads as part of
    the name, not as a question word."""
    out: list[Token] = []
    for m in _WORD.finditer(text or ""):
        key = norm(m.group())
        if key:
            out.append(Token(m.group(), key, m.start(), m.end()))
    if len(out) > 1 and out[0].key in OPENERS and (out[1].key in FRAME or text[out[0].end:out[1].start].strip()):
        # "ok so ...", "okay, who ...": a word opening the question; "Ok" is also a name ("Ok Taec Yeon")
        out[0] = Token(out[0].text, out[0].key, out[0].start, out[0].end, filler=True)
    for n, t in enumerate(out):
        if n and t.key in NAME_SYLLABLES and t.text[:1].isupper() and t.text[1:].islower():
            prev = out[n - 1]
            if (prev.text[:1].isupper() and prev.key not in FRAME and len(prev.key) <= 5
                    and text[prev.end:t.start].strip() == ""):
                out[n] = Token(t.text, t.key, t.start, t.end, name=True)
    return out


def window_key(tokens: list[Token], i: int, j: int) -> str:
    return "".join(t.key for t in tokens[i:j])


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text or ""))


def span_text(question: str, tokens: list[Token], i: int, j: int) -> str:
    if i >= j:
        return ""
    return question[tokens[i].start:tokens[j - 1].end]


_UNSAFE = re.compile(r"[*_~`|>#<@:\\\[\]()\"\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def echo(text: str, limit: int = 80) -> str:
    """User text safe to show back anywhere: no markdown, mentions, quotes or direction marks."""
    text = _UNSAFE.sub(" ", text or "")
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def format_date(value: str | dt.date | None) -> str:
    """``2024-05-28`` -> ``28 May 2024`` (the plain, unambiguous form)."""
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is None:
        text = str(value or "")
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
            return f"{MONTHS[int(text[5:]) - 1]} {text[:4]}"  # "2024-05" -> "May 2024"
        return text
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join_names(items: list[str], conj: str = "and") -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def plural_days(days: list[str]) -> str:
    full = []
    for d in days:
        match = next((name for name in DAYS if name.lower().startswith(str(d).strip().lower()[:3])), None)
        full.append(match or str(d))
    return join_names(full)


__all__ = ["Token", "tokenize", "window_key", "echo", "format_date", "join_names", "plural_days", "norm", "fold",
           "FRAME", "QUESTION_WORDS", "has_hangul", "span_text", "parse_date"]
