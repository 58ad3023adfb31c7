"""Pure normalisation rules for raw catalog data: titles, networks, dates, weekdays, episodes, people.

Used by the builder (``bot.catalog.build``); kept separate so each rule is unit-testable on its own.
Nothing here reads the clock or the disk.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date
from functools import lru_cache

from bot.catalog.names import fold, norm

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_KEYS = {day.lower()[:3]: day for day in WEEKDAYS}

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_SPACE = re.compile(r"\s+")
# "(TV series)", "(South Korean TV series)", "(2017 TV series)", "(web series)", "(TV program)", ...
_TITLE_SUFFIX = re.compile(
    r"\s*\((?:[^()]*\b(?:tv|television|web|series|drama|miniseries|program(?:me)?|sitcom|film)\b[^()]*)\)\s*$",
    re.IGNORECASE,
)


def clean(text: str | None) -> str:
    """Collapse every run of whitespace (incl. NBSP and newlines) to one space and strip."""
    if text is None:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(text))).strip()


# A character reference with its closing ";" ("&amp;", "&#39;", "&#x27;"). Bare "&name" is left alone:
# html.unescape would turn "&notes" into "¬es" (legacy entities need no ";").
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape(text: str | None) -> str | None:
    """Decode HTML character references left in scraped text: 'B&amp;B' -> 'B&B', 'Kian&#39;s' -> "Kian's".

    Applied to every source field at parse time. Repeats until stable, so a double escape
    ('&amp;amp;') is decoded too.
    """
    if text is None:
        return None
    for _ in range(3):
        decoded = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
        if decoded == text:
            break
        text = decoded
    return text


def is_missing(text: str | None) -> bool:
    return clean(text) in ("", "-", "—", "–", "N/A", "n/a", "nan", "None", "[]")


def strip_title_suffix(title: str) -> str:
    """'Run On (TV series)' -> 'Run On'; keeps parentheses that are part of a real title."""
    title = clean(title)
    while True:
        stripped = _TITLE_SUFFIX.sub("", title)
        if stripped == title or not stripped:
            return title
        title = stripped


_TITLE_STOP = {"the", "a", "an", "and", "season"}


def title_key(title: str) -> str:
    """The key two source rows' titles must share to be one drama (together with the year ±1).

    Like ``norm`` but '&' = 'and', and the words the/a/an/and/season are ignored:
    'Dali & Cocky Prince' = 'Dali and the Cocky Prince', 'Welcome to Waikiki 2' = '... Season 2'.
    """
    words = re.findall(r"\w+", fold(strip_title_suffix(title)).replace("&", " and "))
    kept = [w for w in words if w not in _TITLE_STOP]
    return "".join(kept) or norm(title)


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
               for ch in text)


def slugify(text: str) -> str:
    """ASCII slug: 'What's Wrong with Secretary Kim' -> 'whats-wrong-with-secretary-kim'."""
    folded = fold(text).replace("'", "").replace("’", "").replace("&", " and ").replace("+", " plus ")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    return slug or "x"


# ------------------------------------------------------------------ networks and platforms
# Canonical broadcaster names (the "network": who airs it first on television).
_BROADCASTERS = {
    "kbs1": "KBS1", "kbs 1tv": "KBS1", "kbs1tv": "KBS1",
    "kbs2": "KBS2", "kbs 2tv": "KBS2", "kbs2tv": "KBS2",
    "kbs": "KBS", "korean broadcasting system": "KBS", "kbs (kbs1 and kbs2)": "KBS",
    "mbc": "MBC", "mbc tv": "MBC", "mbctv": "MBC", "munhwa broadcasting corporation": "MBC",
    "sbs": "SBS", "sbs tv": "SBS", "sbstv": "SBS", "ftv": "FTV", "seoul broadcasting system": "SBS",
    "tvn": "tvN", "tvn (season 2)": "tvN", "jtbc": "JTBC", "jtbc2": "JTBC2", "ocn": "OCN", "ena": "ENA",
    "channel a": "Channel A", "tv chosun": "TV Chosun", "mbn": "MBN", "maeil broadcasting network": "MBN",
    "mnet": "Mnet", "mbc every1": "MBC every1", "mbc every 1": "MBC every1", "sbs plus": "SBS Plus",
    "kbs joy": "KBS Joy", "ebs": "EBS", "educational broadcasting system": "EBS", "tooniverse": "Tooniverse",
    "dramax": "DramaX", "drama x": "DramaX", "on style": "OnStyle", "onstyle": "OnStyle", "o'live": "O'live",
    "olive": "O'live", "xtvn": "XtvN", "e-channel": "E-Channel", "e channel": "E-Channel",
    "mbc dramanet": "MBC Dramanet", "dramacube": "DRAMAcube", "super action": "Super Action",
    "mbc queen": "MBC QueeN", "obs tv": "OBS", "obs": "OBS", "tbs": "TBS", "tbs channel 2": "TBS",
    "sbs funE": "SBS funE", "sbs fune": "SBS funE", "cgv": "CGV", "cj cgv": "CGV", "home cgv": "Home CGV", "axn korea": "AXN Korea",
    "lifetime": "Lifetime", "ihq drama": "iHQ Drama", "ihq": "iHQ", "cinema heaven": "Cinema Heaven", "mbc drama": "MBC Dramanet",
    "bs tv tokyo": "BS TV Tokyo", "abematv": "AbemaTV", "xclusive": "Xclusive", "heavenly": "Heavenly",
}
# Streaming and web platforms. Order = preference when a show has no broadcaster (its "home" network):
# Korean originals' own services first, global services after.
_PLATFORMS = {
    "tving": "TVING", "wavve": "Wavve", "coupang play": "Coupang Play", "coupang tv": "Coupang Play",
    "daum kakao tv": "Kakao TV", "kakaotv": "Kakao TV", "kakao tv": "Kakao TV", "kakao page": "KakaoPage",
    "naver tv cast": "Naver TV Cast", "naver tvcast": "Naver TV Cast", "naver tv": "Naver TV Cast",
    "genie tv": "Genie TV", "watcha": "Watcha", "seezn": "Seezn", "u+ mobile tv": "U+ Mobile TV",
    "oksusu": "Oksusu", "vlive": "V Live", "v live": "V Live", "naver v (v live)": "V Live",
    "netflix": "Netflix", "disney+": "Disney+", "disney+ (international)": "Disney+",
    "apple tv+": "Apple TV+", "amazon prime": "Prime Video", "prime video": "Prime Video",
    "amazon prime video": "Prime Video", "youtube premium": "YouTube", "kocowa": "Kocowa",
    "instagram": "Instagram", "qqlive": "Tencent Video", "naver series on": "Naver Series On",
    "serieson": "Naver Series On", "btv": "B tv", "b tv": "B tv", "koktv": "KokTV",
    "hulu": "Hulu", "hulu (united states)": "Hulu", "hulu (us)": "Hulu", "paramount+": "Paramount+",
    "viki": "Viki", "viki (international)": "Viki", "iqiyi": "iQIYI", "viu": "Viu", "viutv": "ViuTV",
    "youku": "Youku", "tencent video": "Tencent Video", "line tv": "LINE TV", "vigloo": "Vigloo",
    "youtube": "YouTube", "facebook": "Facebook", "gagaoolala": "GagaOOLala", "iptv": "IPTV",
    "sohu": "Sohu", "sohu (china)": "Sohu", "sohu tv": "Sohu", "myvideo": "MyVideo", "hami video": "Hami Video",
    "chunghwa telecom mod": "Chunghwa Telecom MOD",
}
_PLATFORM_ORDER = {canon: i for i, canon in enumerate(dict.fromkeys(_PLATFORMS.values()))}
_BROADCASTER_SET = set(_BROADCASTERS.values())
_PLATFORM_SET = set(_PLATFORMS.values())
# Longest first, so "naver tv cast" wins over "naver tv" and "mbc every1" over "mbc".
_KNOWN = sorted({**_BROADCASTERS, **_PLATFORMS}.items(), key=lambda kv: -len(kv[0]))


def _canon_network(token: str) -> str | None:
    key = clean(token).lower()
    key = re.sub(r"\s*\((?:south korea|korea|international|season \d+|\d{4})\)$", "", key)
    return _BROADCASTERS.get(key) or _PLATFORMS.get(key)


def split_networks(raw: str) -> list[str]:
    """Canonical channel/service names in ``raw``, which may join several by spaces, commas or newlines.

    'Netflix tvN' -> ['Netflix', 'tvN']; 'Naver TV Cast vLive' -> ['Naver TV Cast', 'V Live'].
    A part that matches nothing known is kept as it is (cleaned), never dropped.
    """
    if is_missing(raw):
        return []
    out: list[str] = []
    for part in re.split(r"[\n,;/]+", str(raw)):
        part = clean(part)
        if not part or part == "-":
            continue
        whole = _canon_network(part)
        if whole:
            out.append(whole)
            continue
        rest = part.lower()
        leftover: list[str] = []
        while rest:
            for key, canon in _KNOWN:
                if rest.startswith(key) and (len(rest) == len(key) or rest[len(key)] in " ("):
                    out.append(canon)
                    rest = rest[len(key):].strip()
                    rest = re.sub(r"^\([^)]*\)\s*", "", rest)
                    break
            else:
                word, _, rest = rest.partition(" ")
                leftover.append(word)
                continue
            if leftover:
                out.append(_unknown(leftover, part))
                leftover = []
        if leftover:
            out.append(_unknown(leftover, part))
    return list(dict.fromkeys(out))


def _unknown(words: list[str], original: str) -> str:
    """Recover the original casing of an unknown network name."""
    phrase = " ".join(words)
    idx = original.lower().find(phrase)
    return original[idx: idx + len(phrase)] if idx >= 0 else phrase


def is_platform(name: str) -> bool:
    return name in _PLATFORM_SET


def network_and_platforms(names: list[str]) -> tuple[str | None, list[str]]:
    """Split channels into the airing network and streaming platforms.

    The network is the first broadcaster; a show with none (a streaming original) gets its home
    service as network: the Korean service if one is listed, else the first global one.
    """
    broadcasters = [n for n in names if not is_platform(n)]
    platforms = [n for n in names if is_platform(n)]
    if broadcasters:
        return broadcasters[0], sorted(set(platforms))
    if platforms:
        home = min(platforms, key=lambda p: _PLATFORM_ORDER.get(p, 999))
        return home, sorted(set(platforms))
    return None, []


# ------------------------------------------------------------------ dates and days
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MD = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})$")
_DM = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


def _mk(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(raw: str | None, *, default_year: int | None = None) -> str | None:
    """One date in any format the sources use -> ISO 'YYYY-MM-DD' (None when unparseable or partial).

    '2023-07-05', 'Aug  2, 2023', 'September 10, 2018', '2 March 2002', '2018/09/10';
    'September 10' or '2 March' only with ``default_year``.
    """
    text = clean(raw).strip(" .")
    text = re.sub(r"\s*\([^)]*\)$", "", text)  # "(South Korea)" etc.
    if not text:
        return None
    if m := _ISO.match(text) or _YMD_SLASH.match(text):
        return _mk(int(m[1]), int(m[2]), int(m[3]))
    if (m := _MDY.match(text)) and m[1].lower() in MONTHS:
        return _mk(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if (m := _DMY.match(text)) and m[2].lower() in MONTHS:
        return _mk(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if default_year is not None:
        if (m := _MD.match(text)) and m[1].lower() in MONTHS:
            return _mk(default_year, MONTHS[m[1].lower()], int(m[2]))
        if (m := _DM.match(text)) and m[2].lower() in MONTHS:
            return _mk(default_year, MONTHS[m[2].lower()], int(m[1]))
    return None


def parse_date_range(raw: str | None) -> tuple[str | None, str | None]:
    """'Sep 10, 2018 - Oct 30, 2018' / 'September 10 – October 30, 2018' / 'Aug 20, 2020' -> (first, last).

    A single date is both first and last; an open range ('... – present') has no last date.
    """
    text = clean(raw)
    if not text or text == "-":
        return None, None
    parts = [p.strip() for p in re.split(r"\s*[–—]\s*|\s+-\s+|\s+to\s+", text) if p.strip()]
    if len(parts) == 1:
        one = parse_date(parts[0])
        return one, one
    start_raw, end_raw = parts[0], parts[-1]
    if end_raw.lower() in ("present", "now", "ongoing"):
        return parse_date(start_raw), None
    end = parse_date(end_raw)
    start = parse_date(start_raw)
    if start is None and end is not None:
        start = parse_date(start_raw, default_year=int(end[:4]))
        if start is not None and start > end:  # "December 16 – February 4, 2021" spans a new year
            start = parse_date(start_raw, default_year=int(end[:4]) - 1)
    return start, end


def parse_weekdays(raw: str | None) -> list[str]:
    """'Thursday, Wednesday' / 'Wed & Thu' / 'Mon-Fri' -> full names in Monday..Sunday order."""
    text = clean(raw).lower()
    if not text:
        return []
    days: set[int] = set()
    for a, b in re.findall(r"([a-z]{3})[a-z]*\s*[-–]\s*([a-z]{3})[a-z]*", text):
        if a in _WEEKDAY_KEYS and b in _WEEKDAY_KEYS:
            i, j = WEEKDAYS.index(_WEEKDAY_KEYS[a]), WEEKDAYS.index(_WEEKDAY_KEYS[b])
            days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
    for word in re.findall(r"[a-z]+", text):
        day = _WEEKDAY_KEYS.get(word[:3])
        stem = word[:-1] if word.endswith("s") and len(word) > 3 else word
        if day and day.lower().startswith(stem):
            days.add(WEEKDAYS.index(day))
    return [WEEKDAYS[i] for i in sorted(days)]


def parse_episodes(raw: str | None) -> int | None:
    """'16 + 2 special' -> 16; '8 (list of episodes)' -> 8; 'Season 3 Episode 14' -> None (ambiguous)."""
    text = clean(raw)
    if not text or "season" in text.lower():
        return None
    m = re.match(r"^(\d{1,4})\b", text)
    if not m:
        return None
    value = int(m[1])
    return value if value > 0 else None


def parse_year(raw: str | None) -> int | None:
    m = re.search(r"\b(19\d\d|20\d\d)\b", clean(raw))
    return int(m[1]) if m else None


def _split_outside_brackets(text: str) -> list[str]:
    """Split on commas/newlines that are not inside (...) or [...]: 'A (formerly, B), C' -> 2 parts."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch in ",\n" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def split_list(raw: str | None) -> list[str]:
    """A comma-separated or Python-literal list ("['A', 'B']") -> cleaned, de-duplicated items."""
    text = clean(raw)
    if is_missing(text):
        return []
    if text.startswith("[") and text.endswith("]"):
        items = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", text[1:-1])
        parts = [a or b for a, b in items]
    else:
        parts = _split_outside_brackets(text)
    out = []
    for part in parts:
        part = clean(part)
        if part and not is_missing(part):
            out.append(part)
    return list(dict.fromkeys(out))


# ------------------------------------------------------------------ people
# Surname spellings of ONE Hangul surname: 임 Yim/Im, 엄 Uhm/Eom/Um.
_SURNAME_SAFE = {"yim": "im", "uhm": "um", "eom": "um"}
# Spelling variants of ONE Hangul syllable only (never two syllables): 식 Shik/Sik, 규 Gyu/Kyu, 수 Soo/Su.
_SAFE_FOLDS = (("shi", "si"), ("oo", "u"), ("g", "k"))
# "ah" ending a syllable is the vowel 아 written with a silent h: Min-ah = Min-a, Hahm = Ham, Ahn = An.
# Not before a vowel or y/w, where the h may start the next syllable (A-hyun, A-hee).
_AH = re.compile(r"ah(?![aeiouwy])")
_NAME_PARTS = re.compile(r"[\s\-‐‑–—_.·]+")


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def _name_tokens(name: str) -> tuple[str, ...]:
    """The name's written parts, folded: 'Shin Min-ah' -> ['shin', 'min', 'ah']."""
    return tuple(t for t in (norm(part) for part in _NAME_PARTS.split(fold(name))) if t)


def _fold_surname(tokens: tuple[str, ...]) -> tuple[str, ...]:
    if tokens and tokens[0] in _SURNAME_SAFE and len(tokens) > 1:
        tokens = (_SURNAME_SAFE[tokens[0]], *tokens[1:])
    return tokens


def _fold_syllables(key: str) -> str:
    for old, new in _SAFE_FOLDS:
        key = key.replace(old, new)
    return key


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def person_key(name: str) -> str:
    """Romanisation-folded key for people: lower, no spaces/hyphens/accents, surname 'Yim' -> 'Im' and
    'Uhm'/'Eom' -> 'Um', plus spelling variants of the same syllable (shi/si, oo/u, g/k).

    'Yim Si Wan', 'Im Si-wan' and 'Im Siwan' share a key; so do 'Baek Yoon-sik' and 'Baek Yoon Shik',
    'Uhm Ki Joon' and 'Um Ki-joon'. Variants that can stand for two different syllables (eo/u: 서 or 수)
    are NOT folded here. A name with this key attaches to the one person who has it.
    """
    key = norm(name)
    tokens = _name_tokens(name)
    if len(tokens) > 1 and tokens[0] in _SURNAME_SAFE and key.startswith(tokens[0]):
        key = _SURNAME_SAFE[tokens[0]] + key[len(tokens[0]):]
    return _fold_syllables(key)


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def name_syllables(name: str) -> tuple[str, ...]:
    """The name's written parts, each folded like ``variant_key``: 'Go Ah Ra' -> ('ko', 'a', 'ra').

    Two names with equal syllables are spellings of the same Hangul syllables, part by part
    ('Yang Jung-a' = 'Yang Jung Ah'); a name written without its breaks ('Go Ara') has other parts.
    """
    return tuple(_fold_syllables(_AH.sub("a", t)) for t in _fold_surname(_name_tokens(name)))


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def variant_key(name: str) -> str:
    """``person_key`` plus "ah" = "a" at a syllable's end: 'Go Ah Ra' = 'Go A Ra' = 'Go Ara',
    'Shin Min Ah' = 'Shin Min-a', 'Hahm Eun Jung' = 'Ham Eun-jung'.

    Weaker than ``person_key``: with the syllable breaks gone, 'Seo Yoon Ah' and 'Seo Yu Na' share it.
    So the builder merges two people by this key only on further evidence (a shared drama, or equal
    ``name_syllables``), never by the key alone. eo/u (서/수) and yeo/yu (연/윤) are never folded, and
    ee/i is not either (it adds no match in the sources and 'Se-eun' written 'Seeun' would meet 'Si-eun').
    """
    tokens = _name_tokens(name)
    if not tokens:
        return person_key(name)
    return "".join(name_syllables(name))


_LOOSE = (
    ("yeo", "yu"), ("ye", "e"), ("eo", "u"), ("ai", "e"), ("ae", "e"), ("oo", "u"), ("ou", "u"), ("ee", "i"),
    ("kk", "k"), ("ck", "k"), ("g", "k"), ("sh", "s"), ("r", "l"),
)


def _loose_syllable(t: str) -> str:
    t = t.replace("v", "b")                           # ㅂ written v ('Park Hee Von', 'Kim Ok Vin')
    t = t.replace("eui", "ui")                        # 의 written eui or ui ('Ryu Eui Hyun' / 'Ryu Ui-hyun')
    t = re.sub(r"(?<=[aeiou])h(?![aeiouwy])", "", t)  # a silent h ('Oh' / 'O', 'Ohn' / 'On', 'Ahn' / 'An')
    t = re.sub(r"(?<=[aeiou][nmlk])e$", "", t)        # a silent final e ('Yang Ik June' / 'Yang Ik Jun')
    t = re.sub(r"^([gk])ue$", r"\1yu", t)             # 규 written gue ('Kim Min Gue' / 'Kim Min-kyu')
    return re.sub(r"b$", "p", t)                      # a final ㅂ written b or p ('Kim Tae Yub' / 'Kim Tae-yeop')


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def loose_key(name: str) -> str:
    """A looser phonetic key ('Shin Sae Kyeong' ~ 'Shin Se Kyung', 'Shin Hae Sun' ~ 'Shin Hye Sun', 'Park
    Hee Von' ~ 'Park Hee Bon', 'Kang Hae-rim' ~ 'Kang Hae Lim', 'O Ji Yeong' ~ 'Oh Ji Young') used ONLY
    within one drama's credits.

    Two names of the same drama with the same loose key and the same surname are one person.
    """
    key = "".join(_loose_syllable(t) for t in name_syllables(name)) or variant_key(name)
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key


def same_person(a: str, b: str) -> bool:
    """Two spellings of one credited name in ONE drama's credits ("Noh Ji Sul" / "No Ji-sul", "Uh Soo Sun" /
    "Eo Soo-sun"): the same ``person_key``, or the same ``loose_key`` and surname."""
    return person_key(a) == person_key(b) or (loose_key(a) == loose_key(b) and loose_key(surname(a)) == loose_key(surname(b)))


@lru_cache(maxsize=1 << 16)  # pure; the builder asks for the same names many times
def surname(name: str) -> str:
    parts = fold(name).replace("-", " ").split()
    if not parts:
        return ""
    first = parts[0]
    return _SURNAME_SAFE.get(first, first) if len(parts) > 1 else first


# ------------------------------------------------------------------ Korean titles
_RR_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_RR_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
             "wi", "yu", "eu", "ui", "i")
_RR_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
             "t", "t", "ng", "t", "t", "k", "t", "p", "t")


def romanize(text: str) -> str:
    """Hangul syllables -> a plain Revised Romanisation, syllable by syllable ('선재 업고 튀어' ->
    'seonjae eopgo twieo'); other characters pass through. No sound-change rules: the result is only
    compared through ``sound_key``, which absorbs them."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIAL[code // 588] + _RR_VOWEL[(code % 588) // 28] + _RR_FINAL[code % 28])
        else:
            out.append(ch)
    return "".join(out)


# ㅓ is written eo/u/o ('Seonjae'/'Sunjae'), ㅡ eu/u: all back vowels become "o", ㅡ becomes "u".
_SOUND = (
    ("eu", "U"), ("eo", "o"), ("oo", "o"), ("ou", "o"), ("u", "o"), ("ae", "e"), ("ee", "i"), ("ch", "j"),
    ("sh", "s"), ("g", "k"), ("d", "t"), ("b", "p"), ("r", "l"), ("h", ""),
)


def sound_key(text: str) -> str:
    """A very loose sound key for comparing a romanised Hangul title with a Latin one: 'Sunjae Eopgo
    Tweeeo' ~ '선재 업고 튀어'. Only ever used to compare titles of ONE drama with each other."""
    key = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", romanize(fold(text))).encode("ascii", "ignore")
                 .decode())
    for old, new in _SOUND:
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key.lower())


def pick_korean_title(title: str, hangul: list[str], preferred: list[str] = ()) -> str | None:
    """The Hangul title among a drama's Hangul aliases, or None when the sources do not tell.

    One Hangul alias: that one. Several (often a working title or the source novel's title next to the
    broadcast title): the one English Wikipedia gives when it gives exactly one, else the one that
    romanises to the drama's main title ('달의 연인' for 'Dar-ui Yeon-in') when exactly one does and it is
    not just a short form inside a longer Hangul alias. Otherwise None:
    every Hangul alias stays searchable, none is shown as *the* Korean title.
    """
    if not hangul:
        return None
    if len(hangul) == 1:
        return hangul[0]
    wiki = [h for h in dict.fromkeys(preferred) if h in hangul]
    if len(wiki) == 1:
        return wiki[0]
    target = sound_key(title)
    if not target:
        return None
    matches = [h for h in hangul if sound_key(h) == target]
    if not matches or len({norm(m) for m in matches}) != 1:
        return None
    # a short form inside a longer Hangul title ('처용' in '귀신보는 형사 처용') may be a nickname
    if any(norm(matches[0]) in norm(h) and norm(matches[0]) != norm(h) for h in hangul):
        return None
    return matches[0]
