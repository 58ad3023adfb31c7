"""A question being understood: its tokens, the mentions chosen so far, and the intents they leave.

Also the token-level helpers the linker needs: typo-tolerant question cues, Korean particles, years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge import intents as _intents
from bot.knowledge.text import FRAME, NAME_SYLLABLES, Token, fold, has_hangul


@dataclass
class Mention:
    kind: str                 # "drama" | "person"
    i: int
    j: int
    ids: list[int]
    key: str
    score: float = 100.0
    partial: bool = False     # fuzzy-matched on part of a run of words

    @property
    def size(self) -> tuple[int, int]:
        return (self.j - self.i, len(self.key))


def select_mentions(cands: list[Mention], keep: list[Mention] | None = None, *, person_first: bool = False
                    ) -> list[Mention]:
    """Longest non-overlapping mentions (drama before person on a tie, unless the question asks about
    someone's dramas), in question order."""
    first = "person" if person_first else "drama"
    chosen: list[Mention] = list(keep or [])
    taken: set[int] = set()
    for m in chosen:
        taken.update(range(m.i, m.j))
    for m in sorted(cands, key=lambda m: (-m.size[0], -m.size[1], 0 if m.kind == first else 1, m.i)):
        if m in chosen:
            continue
        if taken.intersection(range(m.i, m.j)):
            continue
        chosen.append(m)
        taken.update(range(m.i, m.j))
    return sorted(chosen, key=lambda m: m.i)


# Name syllables that are also question words and may start a name ("*So* Oh Sook", "*I* Je", "*An* Tae Ho").
LEADING_SYLLABLES = frozenset("so do an i a".split())
# ... and that may end one ("Oh Ro *In*").
TRAILING_SYLLABLES = NAME_SYLLABLES | {"in", "ran", "a"}
YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
JOINERS = frozenset("in of on the a an and with for to at from".split())
PARTICLES = ("에서는", "에서", "까지", "부터", "이랑", "하고", "한테", "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과",
             "랑")  # longest first: "김고은이랑" -> "김고은"


# Question words worth recognising through a typo ("who directd ...", "how many episods ...").
CUE_WORDS = ("directed", "director", "episodes", "episode", "premiere", "premiered", "network", "channel",
             "written", "writer", "season", "similar", "released", "release", "broadcast", "broadcasted",
             "starring", "character", "filmography", "platform", "streaming", "finale", "korean", "original",
             "webtoon", "adaptation", "synopsis", "actress", "played", "portrays", "schedule")


def correct_cues(tokens: list[Token]) -> list[Token]:
    out = []
    for t in tokens:
        if len(t.key) >= 6 and t.key.isascii() and t.key not in FRAME:
            hit = process.extractOne(t.key, CUE_WORDS, scorer=fuzz.ratio, score_cutoff=86)
            if hit is not None:
                t = Token(t.text, t.key, t.start, t.end, cue=hit[0])
        out.append(t)
    return out


# Korean question words and endings: a Hangul word holding one of these asks, it names nothing.
KOREAN_CUES = ("부작", "에피소드", "감독", "연출", "작가", "극본", "각본", "출연", "배우", "주연", "조연", "캐스팅", "방송",
               "채널", "방영", "첫방", "종영", "시즌", "원작", "웹툰", "요일", "언제", "누구", "누가", "어디", "무슨",
               "무엇", "어떤", "제목", "한국어", "한글", "역할", "연기", "드라마", "알려", "줄거리", "장르", "평점", "나온", "나왔", "나오는", "캐릭터", "등장", "같은", "비슷", "처럼", "만드", "만들", "걸렸", "걸린",
               "제작", "상대", "자주", "함께", "같이", "중에", "더 길", "먼저", "최신", "주연작", "몇 편",
               "시청률", "개봉", "공개", "스트리밍", "넷플릭스", "뭐야", "맡은", "맡았", "나와", "나오", "몇", "회차",
               "얼마", "볼수", "어디서", "비슷한", "추천")
KOREAN_ENDINGS = ("이야", "했어", "했나", "나요", "인가", "인지", "있어", "이에요", "예요", "에요", "니", "까", "어요",
                  "해줘", "했지", "됐어", "했니", "였어", "이었어")
KOREAN_SHORT_CUES = frozenset("회 편 뭐 역 누구 언제 어디 몇 좀 이 그 저 수 때 거 건 게 야 요 줘 첫 첫회 첫화 날짜 총 어느 전체 모두"
                              .split())


def korean_cue(key: str) -> bool:
    """Whether a Hangul word is a question word or ending ("몇", "부작이야", "감독은") rather than a name."""
    bare = strip_particle(key)
    return (key in KOREAN_SHORT_CUES or bare in KOREAN_SHORT_CUES or any(c in key for c in KOREAN_CUES)
            or key.endswith(KOREAN_ENDINGS))


def strip_particle(key: str) -> str:
    """Korean particles stick to the word before them ("도깨비는"); drop one for lookups."""
    for particle in PARTICLES:
        if key.endswith(particle) and len(key) > len(particle) + 1:
            return key[: -len(particle)]
    return key


# Greetings and sign-offs around a question ("ok so ...", "quick question: ...", "... thx"): dropped before
# the intent rules, some of which are anchored at the question's start or end ("... actor?").
_FILLER = (r"(?:hey|hi|hello|yo|ok|okay|so|um+|uh+|hmm+|well|bot|dramabot|quick question|question|q|please|pls|plz"
           r"|thanks|thank you|thx|ty|lol|lmao|haha|btw)")
_FILLER_EDGES = re.compile(rf"^(?:\W*{_FILLER}\b)+|(?:\b{_FILLER}\W*)+$")


class Parse:
    """A question being understood: tokens, chosen mentions, intents."""

    def __init__(self, question: str, tokens: list[Token]) -> None:
        self.question = question
        self.tokens = tokens
        self.mentions: list[Mention] = []
        self.intents: list[str] = []
        self.year_hint: int | None = None
        self.frame_only: list[Mention] = []
        self.person_cands: list[Mention] = []  # every exact person window, chosen or not
        self.years = [int(t.key) for t in tokens if YEAR.match(t.key)]
        self.masked = ""  # the question folded, mentions masked, misspelt cues spelt right (see detect)

    def isolated(self, i: int) -> bool:
        """A one-word window counts only when its neighbours are question words (not "Im *Sol*")."""
        left = i == 0 or self.tokens[i - 1].frame or self._korean_cue(i - 1)
        right = (i + 1 >= len(self.tokens) or self.tokens[i + 1].frame or YEAR.match(self.tokens[i + 1].key)
                 or self._korean_cue(i + 1))
        return bool(left and right)

    def _korean_cue(self, n: int) -> bool:
        """A Hangul word next to a Latin name: in a Korean sentence it is a particle, verb or question
        word around the name ("2023년에 *Bona* 나온 드라마")."""
        return has_hangul(self.tokens[n].text)

    @property
    def dramas(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "drama"]

    @property
    def people(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]

    def residual_words(self) -> list[str]:
        """Words no mention covers and no question cue explains (for full-text search over facts)."""
        return [t.text for n, t in enumerate(self.tokens)
                if not self.covered(n) and not t.frame and not YEAR.match(t.key) and len(t.key) > 1]

    def covered(self, n: int) -> bool:
        return any(m.i <= n < m.j for m in self.mentions)

    def detect(self) -> None:
        parts = []
        pos = 0
        for m in self.mentions:
            start, end = self.tokens[m.i].start, self.tokens[m.j - 1].end
            parts.append(self.question[pos:start])
            parts.append(_intents.DRAMA_MARK if m.kind == "drama" else _intents.PERSON_MARK)
            pos = end
        parts.append(self.question[pos:])
        masked = _FILLER_EDGES.sub(" ", fold("".join(parts)))
        for n, t in enumerate(self.tokens):
            if t.cue and not self.covered(n):
                masked += f" {t.cue}"  # a misspelt cue word ("directd" -> "directed")
        self.masked = " ".join(masked.lower().replace("’", "'").replace("'", "").split())
        self.intents = _intents.detect(masked)

    def chunks(self, ignore: list[Mention] | None = None) -> list[tuple[int, int]]:
        """Runs of uncovered tokens (mentions in ``ignore`` count as uncovered), trimmed of question
        words at both ends, longest first."""
        out = []
        n = len(self.tokens)
        skip = [m for m in self.mentions if m not in (ignore or [])]

        def covered(k: int) -> bool:
            return any(m.i <= k < m.j for m in skip)

        k = 0
        while k < n:
            if covered(k):
                k += 1
                continue
            start = k
            while k < n and not covered(k):
                k += 1
            i, j = start, k
            while i < j and self.tokens[i].frame and not has_hangul(self.tokens[i].text):
                i += 1
            while j > i and self.tokens[j - 1].frame:
                j -= 1
            if i < j:
                out.append((i, j))
        out.sort(key=lambda ij: -(ij[1] - ij[0]))
        return out

    def names_an_actor(self, m: Mention) -> bool:
        """Whether the question treats mention ``m`` as the one who plays: "Who does *X* play", "What role
        did *X* have", "*X*'s character", "*X* played who" (not "Who was *X* in ...", which may name a
        character)."""
        before = [t.key for t in self.tokens[max(0, m.i - 2):m.i]]
        after = [t.key for t in self.tokens[m.j:m.j + 2]]
        if len(before) == 2 and before[1] in ("does", "did", "do") and before[0] in (
                "who", "whom", "what", "which", "role", "character", "part"):
            return True  # not "who portrays *Do* Jung Woo"
        if after[:1] and after[0] in ("play", "plays", "played", "playing", "portray", "portrays", "portrayed"):
            return True
        return after[:2] in (["s", "role"], ["s", "character"], ["s", "part"])

    def around(self, m: Mention, reach: int = 2) -> tuple[int, int]:
        """``m`` with up to ``reach`` uncovered name-like words on either side ("Coi *Jin Hyuk*")."""
        a, b = m.i, m.j
        while a > max(0, m.i - reach) and not self.covered(a - 1) and not self.tokens[a - 1].frame:
            a -= 1
        while b < min(len(self.tokens), m.j + reach) and not self.covered(b) and not self.tokens[b].frame:
            b += 1
        return a, b

    def name_chunks(self, chunk: tuple[int, int]) -> list[tuple[int, int]]:
        """``chunk``, then the same run with a name syllable that read as a question word put back: trailing
        ("who plays oh mi *do*") or leading ("who plays *So* Oh Sook", "the actress playing *I* Je")."""
        i, j = chunk
        out = [chunk]
        right = j < len(self.tokens) and self.tokens[j].key in TRAILING_SYLLABLES and not self.covered(j)
        starts = [i]
        while len(starts) < 3 and starts[-1] > 0 and self.tokens[starts[-1] - 1].key in LEADING_SYLLABLES \
                and not self.covered(starts[-1] - 1):
            starts.append(starts[-1] - 1)  # up to two: "*An Do* Na"
        for a in starts:
            if a != i:
                out.append((a, j))
            if right:
                out.append((a, j + 1))
        return out

    def name_runs(self, ignore: list[Mention] | None = None) -> list[tuple[int, int]]:
        """Runs of two or more uncovered name words (no question word inside), in question order: the
        characters a chain question names ("where X plays *Jung Ddol Mi*, who plays *Lee Hae Sung*");
        mentions in ``ignore`` count as uncovered."""
        runs, start = [], None
        skip = [m for m in self.mentions if m not in (ignore or [])]
        for n, t in enumerate(self.tokens + [None]):
            ok = t is not None and not any(m.i <= n < m.j for m in skip) and not t.frame and not YEAR.match(t.key) and (
                not has_hangul(t.text) or not korean_cue(t.key))
            if ok and start is None:
                start = n
            elif not ok and start is not None:
                if n - start >= 2:
                    runs.append((start, n))
                start = None
        return runs

    def character_chunk(self, ignore: list[Mention] | None = None) -> tuple[int, int] | None:
        """The words naming a character: the first uncovered run (before the drama, usually); mentions in
        ``ignore`` count as uncovered."""
        runs = sorted(self.chunks(ignore))
        return runs[0] if runs else None
