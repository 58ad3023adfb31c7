"""Pure normalisation rules for raw catalog data: titles, networks, dates, weekdays, episodes, people.

Used by the builder (``bot.catalog.build``); kept separate so each rule is unit-testable on its own.
Nothing here reads the clock or the disk.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

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
    "sbs funE": "SBS funE", "sbs fune": "SBS funE", "cgv": "CGV", "cj cgv": "CGV", "axn korea": "AXN Korea",
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
_SURNAME_SAFE = (("yim", "im"),)
# Spelling variants of ONE Hangul syllable only (never two syllables): 식 Shik/Sik, 규 Gyu/Kyu, 수 Soo/Su.
_SAFE_FOLDS = (("shi", "si"), ("oo", "u"), ("g", "k"))


def person_key(name: str) -> str:
    """Romanisation-folded key for people: lower, no spaces/hyphens/accents, 'Yim' -> 'Im', plus
    spelling variants of the same syllable (shi/si, oo/u, g/k).

    'Yim Si Wan', 'Im Si-wan' and 'Im Siwan' share a key; so do 'Baek Yoon-sik' and 'Baek Yoon Shik'.
    Variants that can stand for two different syllables (eo/u: 서 or 수) are NOT folded here.
    """
    key = norm(name)
    for old, new in _SURNAME_SAFE:
        if key.startswith(old) and fold(name).split()[:1] == [old]:
            key = new + key[len(old):]
    for old, new in _SAFE_FOLDS:
        key = key.replace(old, new)
    return key


_LOOSE = (
    ("yeo", "yu"), ("eo", "u"), ("ae", "e"), ("oo", "u"), ("ou", "u"), ("ee", "i"),
    ("kk", "k"), ("ck", "k"), ("g", "k"), ("sh", "s"),
)


def loose_key(name: str) -> str:
    """A looser phonetic key ('Shin Sae Kyeong' ~ 'Shin Se Kyung') used ONLY within one drama's credits.

    Two names of the same drama with the same loose key and the same surname are one person.
    """
    key = person_key(name)
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key


def surname(name: str) -> str:
    parts = fold(name).replace("-", " ").split()
    if not parts:
        return ""
    first = parts[0]
    return "im" if first == "yim" else first
