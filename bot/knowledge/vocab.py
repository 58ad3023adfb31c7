"""Filter words: which genres, tags, networks and platforms a question names, in English or Korean.

The catalog's own terms (``drama_terms``, loaded once per catalog version) are matched by their
normalised key over windows of the question's words, so a network or genre the catalog gains later
is understood without code; a few cue words add the ways fans say them ("rom-com", "scary", "사극",
"넷플릭스"). Matching is by exact key (plural "thrillers" and Korean particles folded), never fuzzy:
a filter word guessed from a typo would silently change a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.catalog.names import norm
from bot.knowledge.parse import strip_particle
from bot.knowledge.text import Token, has_hangul

# cue (normalised) -> genre terms (lower case, as stored); any of them counts
GENRE_CUES: dict[str, tuple[str, ...]] = {}
for _cues, _terms in (
    ("romance romantic romances 로맨스 로맨틱 연애 멜로로맨스", ("romance", "romantic comedy", "romance drama",
                                                    "romantic drama", "romantic")),
    ("comedy comedies comedic funny 코미디 코믹", ("comedy", "romantic comedy", "sitcom")),
    ("thriller thrillers suspense suspenseful 스릴러", ("thriller", "political thriller", "suspense")),
    ("horror scary 공포 호러", ("horror",)),
    ("action 액션", ("action", "martial arts")),
    ("mystery mysteries 미스터리 추리", ("mystery",)),
    ("fantasy fantasies 판타지", ("fantasy",)),
    ("supernatural 초자연", ("supernatural",)),
    ("historical history sageuk period 사극 시대극 역사", ("historical", "period drama", "historical drama")),
    ("medical hospital 의학 메디컬 병원", ("medical", "medical drama")),
    ("legal law courtroom lawyer 법정 법률", ("law", "legal drama")),
    ("crime 범죄 수사", ("crime", "crime drama", "police procedural")),
    ("melodrama melodramas melo 멜로 신파", ("melodrama",)),
    ("family 가족 가족극", ("family", "family drama")),
    ("youth teen teenage 청춘 하이틴", ("youth", "youth drama", "coming-of-age", "teen drama")),
    ("music musical 음악 뮤지컬", ("music", "musical")),
    ("sports sport 스포츠", ("sports",)),
    ("scifi sf 공상과학", ("sci-fi", "science fiction")),
    ("political politics 정치", ("political", "political drama", "political thriller")),
    ("business office workplace 오피스 직장", ("business", "workplace", "workplace drama")),
    ("food cooking 요리 음식", ("food",)),
    ("war 전쟁", ("war",)),
    ("military 군대 군인", ("military",)),
    ("psychological 심리", ("psychological",)),
    ("revenge 복수", ("revenge",)),
    ("adventure 모험", ("adventure",)),
    ("sitcom sitcoms 시트콤", ("sitcom",)),
    ("documentary 다큐", ("documentary",)),
):
    for _cue in _cues.split():
        GENRE_CUES[norm(_cue)] = _terms
# "rom-com": two genres at once
PAIR_CUES = {"romcom": (("romance",), ("comedy", "romantic comedy")), "romcoms": (("romance",), ("comedy",)),
             "로코": (("romance",), ("comedy",)), "로맨틱코미디": (("romance",), ("comedy",))}
# genre terms too vague to be a filter on their own ("dramas" is the list noun; "life")
VAGUE_GENRES = frozenset(("drama", "life", "dramas", "web series", "mature", "reality"))

# cue -> network/platform terms (lower case); the catalog's own names are added when loaded
CHANNEL_CUES: dict[str, tuple[str, ...]] = {
    "kbs": ("kbs", "kbs1", "kbs2"), "kbs2tv": ("kbs2",), "kbs1tv": ("kbs1",), "kbs2": ("kbs2",),
    "넷플릭스": ("netflix",), "넷플": ("netflix",), "티빙": ("tving",), "웨이브": ("wavve",),
    "쿠팡플레이": ("coupang play",), "쿠팡": ("coupang play",), "디즈니": ("disney+",), "디즈니플러스": ("disney+",),
    "disney": ("disney+",), "disneyplus": ("disney+",), "prime": ("prime video",), "amazon": ("prime video",),
    "amazonprime": ("prime video",), "kakao": ("kakao tv",), "카카오": ("kakao tv",), "카카오tv": ("kakao tv",),
    "티비엔": ("tvn",), "채널a": ("channel a",), "tvchosun": ("tv chosun",), "tv조선": ("tv chosun",),
    "jtbc": ("jtbc",), "viu": ("viu", "viutv"), "appletv": ("apple tv+",),
}
# single-word channel names that are also common English words: a channel only right after "on"/"by"
WORDY_CHANNELS = frozenset(("olive", "facebook", "youtube", "line", "ena", "sohu"))

STATUS_CUES = (
    ("airing", re.compile(r"airing now|currently airing|on air\b|\bongoing|still airing|airing this|\bairing\b"
                          r"|방영\s*중|방송\s*중|방영하는")),
    ("upcoming", re.compile(r"upcoming|coming soon|not out yet|coming out|to come\b|방영\s*예정|공개\s*예정|예정")),
    ("finished", re.compile(r"\bfinished\b|\bcompleted\b|\bended\b|완결|종영")),
)


@dataclass
class Found:
    """Filter words found in a question: the filter values and the token positions they used."""

    channels: list[tuple[str, ...]] = field(default_factory=list)
    genres: list[tuple[str, ...]] = field(default_factory=list)
    tags: list[tuple[str, ...]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)      # as typed, for the answer ("tvN", "romance")
    used: set[int] = field(default_factory=set)


class Vocabulary:
    """The catalog's terms by normalised key: ``channel``, ``genre`` and ``tag`` -> terms."""

    def __init__(self, rows, total: int = 0) -> None:
        self.channels: dict[str, tuple[str, ...]] = dict(CHANNEL_CUES)
        self.genres: dict[str, tuple[str, ...]] = {}
        self.tags: dict[str, tuple[str, ...]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        known: set[str] = set()
        for r in rows:
            kind, term, n = r["kind"], r["term"], int(r["n"])
            self.counts[(kind, term)] = n
            known.add(term)
            key = norm(term)
            if not key:
                continue
            if kind in ("network", "platform"):
                self.channels[key] = tuple(dict.fromkeys(self.channels.get(key, ()) + (term,)))
            elif kind == "genre" and term not in VAGUE_GENRES:
                if term.endswith(" drama") and norm(term[:-6]):
                    key = norm(term[:-6])  # "family drama" is typed "family dramas": the family group
                self.genres[key] = tuple(dict.fromkeys(self.genres.get(key, ()) + (term,)))
            elif kind == "tag" and len(key) >= 4 and term not in VAGUE_GENRES:
                self.tags[key] = tuple(dict.fromkeys(self.tags.get(key, ()) + (term,)))
        for cue, terms in GENRE_CUES.items():
            have = tuple(t for t in terms if t in known)
            if have:
                self.genres[cue] = tuple(dict.fromkeys(have + self.genres.get(cue, ())))
        self.channels = {k: v for k, v in self.channels.items() if any(t in known for t in v) or k in CHANNEL_CUES}
        self.known = known
        self.total = total or 1
        self._tag_words: dict[str, list[str]] = {}
        for (kind, term), _n in self.counts.items():
            if kind == "tag":
                for word in re.findall(r"[a-z]{3,}", term):
                    self._tag_words.setdefault(word, []).append(term)

    def broad_terms(self, groups) -> set[str]:
        """The terms of the groups whose dramas are more than 2 % of the catalog (the store probes those per
        drama instead of reading their whole list)."""
        out: set[str] = set()
        for group in groups:
            n = sum(c for (kind, term), c in self.counts.items() if term in group and kind != "director")
            if n > 0.02 * self.total:
                out.update(group)
        return out

    def tags_with_word(self, word: str) -> list[str]:
        """Tags holding a word that starts with ``word`` ("travel" -> "time travel"), fewest words first."""
        if len(word) < 3:
            return []
        out = list(self._tag_words.get(word, []))
        if len(word) >= 4:
            for other, terms in self._tag_words.items():
                if other != word and other.startswith(word) and len(other) - len(word) <= 3:
                    out += terms
        return sorted(dict.fromkeys(out), key=lambda t: (len(t.split()), -self.counts.get(("tag", t), 0)))

    def find(self, tokens: list[Token], skip: set[int] | None = None, *, tags: bool = False) -> Found:
        """Channels and genres (and tags, when asked) named by windows of up to four words; longest
        first, never over positions in ``skip`` (the dramas and people already named)."""
        found = Found()
        skip = skip or set()
        n = len(tokens)
        windows = sorted(((i, j) for i in range(n) for j in range(i + 1, min(n, i + 4) + 1)),
                         key=lambda ij: (ij[0] - ij[1], ij[0]))
        for i, j in windows:
            if any(k in skip or k in found.used for k in range(i, j)):
                continue
            keys = _variants(tokens, i, j)
            hit = None
            for key in keys:
                if key in PAIR_CUES and j - i <= 2:
                    hit = ("pair", PAIR_CUES[key])
                elif key in self.channels and (key not in WORDY_CHANNELS or tokens[i].text.isupper()
                                               or (i and tokens[i - 1].key in ("on", "by"))):
                    hit = ("channel", self.channels[key])
                elif key in self.genres:
                    hit = ("genre", self.genres[key])
                elif tags and key in self.tags and (j - i >= 2 or len(key) >= 5):
                    hit = ("tag", self.tags[key])
                if hit:
                    break
            if hit is None:
                continue
            kind, terms = hit
            if kind == "pair":
                found.genres.extend(terms)
            elif kind == "channel":
                found.channels.append(terms)
            elif kind == "genre":
                found.genres.append(terms)
            else:
                found.tags.append(terms)
            found.labels.append(" ".join(t.text for t in tokens[i:j]))
            found.used.update(range(i, j))
        return found


def _variants(tokens: list[Token], i: int, j: int) -> list[str]:
    """The window's key, singular ("thrillers", "comedies"), and without a Korean particle."""
    key = "".join(t.key for t in tokens[i:j])
    out = [key]
    if has_hangul(tokens[j - 1].text):
        bare = "".join(t.key for t in tokens[i:j - 1]) + strip_particle(tokens[j - 1].key)
        for suffix in ("드라마", "물", "장르", "작품"):
            if bare.endswith(suffix) and len(bare) > len(suffix):
                out.append(bare[: -len(suffix)])
        out.append(bare)
    elif key.isascii():
        if key.endswith("ies") and len(key) > 5:
            out.append(key[:-3] + "y")
        if key.endswith("s") and len(key) > 4:
            out.append(key[:-1])
        if key.endswith("dramas") or key.endswith("drama"):
            out.append(key[: key.rfind("drama")])
    return [k for k in dict.fromkeys(out) if k]
