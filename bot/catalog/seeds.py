"""Hand-written catalog facts from the three seed articles (/work/shared/seeds), in this project's words.

Nothing here is copied prose: each sentence restates a fact the seed documents give. Where a seed is
wrong (the Run On review writes "Mi-do" for Oh Mi-joo) the correct fact is stored and the fans'
spelling kept as a character alias. ``apply(catalog)`` overlays these entries on the CSV-built catalog:
seed fields override the CSV values, seed cast entries come first in billing order.
"""

from __future__ import annotations

from bot.catalog.names import norm
from bot.catalog.normalize import person_key, slugify

SEED_LR = "seed: Lovely Runner season-2 outlook article (K-Selection, 2024)"
SEED_LR2 = "seed: Lovely Runner cast-photos article (2024)"
SEED_RUNON = "seed: Run On review"

SEEDS: list[dict] = [
    {
        "title": "Lovely Runner",
        "year": 2024,
        # The broadcast title. The sources' Hangul aliases stay aliases: 기억을 걷는 시간 (a working title)
        # and 내일의 으뜸 (the web novel's title).
        "korean_title": "선재 업고 튀어",
        "aliases": ["Tomorrow's Best", "Best of Tomorrow", "기억을 걷는 시간", "내일의 으뜸"],
        "network": "tvN",
        "platforms": ["Viki"],
        "episodes": 16,
        "first_aired": "2024-04-08",
        "last_aired": "2024-05-28",
        "air_days": ["Monday", "Tuesday"],
        "air_time": "20:50",
        "air_tz": "Asia/Seoul",
        "status": "finished",
        "peak_share": 4.8,
        "synopsis": (
            "Im Sol, a devoted fan who uses a wheelchair after an accident, is crushed when her idol "
            "Ryu Sun-jae dies. A magic wristwatch throws her back to 2008, when he is a 19-year-old high "
            "schooler, and she sets out to change both their futures - while falling for him along the way."
        ),
        "source": {
            "type": "web novel",
            "title": "Tomorrow's Best",
            "author": "Kim Bbang",
            "illustrator": "Doong Doong",
            "platform": "KakaoPage",
        },
        "directors": ["Yoon Jong-ho"],
        "writers": ["Lee Si-eun"],
        "cast": [
            {"name": "Byeon Woo-seok", "character": "Ryu Sun-jae", "role": "main",
             "character_aliases": ["Ryu Sun Jae", "Sun-jae", "Sunjae"]},
            {"name": "Kim Hye-yoon", "character": "Im Sol", "role": "main", "character_aliases": ["Sol"]},
            {"name": "Song Geon-hee", "character": "Kim Tae-sung", "role": "main",
             "character_aliases": ["Kim Tae Sung", "Tae-sung"]},
        ],
        "season2": {
            "status": "unknown",
            "note": (
                "No second season had been announced when the finale aired. The drama wraps up its story "
                "with a happy ending, so a sequel looks unlikely, although fans point out that the "
                "original story has a second book."
            ),
            "as_of": "2024-05-28",
        },
        "fan_theories": [
            "Taking the second Tomorrow's Best book as a guide: Sun-jae turns distant because he believes "
            "Sol has lost every memory of him, and the pair spend the season tangled in misunderstandings "
            "while still trying to protect each other.",
            "The story retold from Kim Tae-sung's side: his feelings for Im Sol, his jealousy of her bond "
            "with Sun-jae, and some unfinished business with his ex-girlfriend.",
            "A longer look at Sun-jae and Sol as a couple, balancing his life as a celebrity with her own "
            "busy career.",
        ],
        "similar": [],
        "facts": [
            {"text": "Lovely Runner adapts the web novel Tomorrow's Best (also called Best of Tomorrow) by "
                     "Kim Bbang, which ran on KakaoPage from July to September 2020.",
             "source": SEED_LR2, "as_of": "2020-09"},
            {"text": "A webtoon version of Tomorrow's Best, drawn by Doong Doong, started in September 2021.",
             "source": SEED_LR2, "as_of": "2021-09"},
            {"text": "The screenplay is by Lee Si-eun, who says she had Kim Hye-yoon in mind when she "
                     "created the character Im Sol.", "source": SEED_LR2},
            {"text": "Making the series took about three years, and the lead role went to several actors "
                     "before Byeon Woo-seok was cast.", "source": SEED_LR2},
            {"text": "Lovely Runner is a time-slip story: Im Sol goes back to 2008, when Ryu Sun-jae is a "
                     "19-year-old high-school student.", "source": SEED_LR2},
            {"text": "The drama ended with its 16th episode on 28 May 2024 on tvN.",
             "source": SEED_LR, "as_of": "2024-05-28"},
            {"text": "Its nationwide audience share rose from about 3% to 4.8% by episode 14.",
             "source": SEED_LR, "as_of": "2024-05"},
            {"text": "Lovely Runner was number one on Viki for six weeks in a row.",
             "source": SEED_LR, "as_of": "2024-05"},
            {"text": "Sun-jae's band in the drama has its own artist page on Spotify; its songs include "
                     "\"Sonaki\", which in the story Sun-jae wrote himself.", "source": SEED_LR},
            {"text": "It was talked about as one of 2024's most popular K-dramas, compared with "
                     "Queen of Tears.", "source": SEED_LR, "as_of": "2024-05"},
            {"text": "Kim Hye-yoon had more than 4.7 million Instagram followers.",
             "source": SEED_LR, "as_of": "2024-05", "person": "Kim Hye-yoon"},
            {"text": "Byeon Woo-seok had almost 9 million Instagram followers.",
             "source": SEED_LR, "as_of": "2024-05", "person": "Byeon Woo-seok"},
            {"text": "Before Lovely Runner, Byeon Woo-seok was known for Record of Youth and "
                     "20th Century Girl.", "source": SEED_LR, "person": "Byeon Woo-seok"},
            {"text": "Kim Hye-yoon was already known for SKY Castle and Extraordinary You.",
             "source": SEED_LR, "person": "Kim Hye-yoon"},
            {"text": "On 5 September 2024 director Yoon Jong-ho shared unseen photos of the cast and crew "
                     "on his new Instagram account.", "source": SEED_LR2, "as_of": "2024-09-05"},
        ],
    },
    {
        "title": "Run On",
        "year": 2020,
        "aliases": ["Running Towards Love"],
        "network": "JTBC",
        "platforms": ["Netflix"],
        "synopsis": (
            "Sprinter Ki Seon-gyeom and translator Oh Mi-joo fall for each other and learn to say what "
            "they feel instead of leaving it to guesswork. Alongside them, chaebol heiress Seo Dan-ah and "
            "college student Lee Young-hwa begin an unlikely noona romance, and all four work out what they "
            "want from their own lives."
        ),
        "cast": [
            {"name": "Im Si-wan", "character": "Ki Seon-gyeom", "role": "main",
             "character_aliases": ["Ki Seon Gyeom", "Seon-gyeom"]},
            {"name": "Shin Se-kyung", "character": "Oh Mi-joo", "role": "main",
             "character_aliases": ["Oh Mi Joo", "Mi-joo", "Oh Mi-do", "Mi-do"]},
            {"name": "Choi Soo-young", "character": "Seo Dan-ah", "role": "main",
             "character_aliases": ["Seo Dan Ah", "Dan-ah"]},
            {"name": "Kang Tae-oh", "character": "Lee Young-hwa", "role": "main",
             "character_aliases": ["Lee Young Hwa", "Young-hwa", "Yeong-hwa"]},
        ],
        "person_aliases": {"Choi Soo-young": ["Choi Sooyoung"], "Im Si-wan": ["Yim Si-wan"]},
        "similar": [("Start-Up", 2020), ("Because This Is My First Life", 2017)],
        "similar_reason": "similar vibe (Run On review)",
        "facts": [
            {"text": "Run On aired on JTBC and streams on Netflix.", "source": SEED_RUNON},
            {"text": "Its romance avoids misunderstanding-driven plots: the couples say what they feel, "
                     "even about small or silly things.", "source": SEED_RUNON},
            {"text": "Ki Seon-gyeom spent most of his life as an athlete before finding a new career "
                     "protecting the people he cares about.", "source": SEED_RUNON},
            {"text": "Seon-gyeom's father disapproves of his relationship with Oh Mi-joo.",
             "source": SEED_RUNON},
            {"text": "Seo Dan-ah (Choi Soo-young) is a chaebol heiress and Lee Young-hwa (Kang Tae-oh) a "
                     "college student: a noona romance.", "source": SEED_RUNON},
            {"text": "Some reviews call Oh Mi-joo \"Mi-do\" by mistake; her name is Oh Mi-joo.",
             "source": SEED_RUNON},
        ],
    },
]

# A few well-known dramas get a short synopsis written for this project.
SYNOPSES: dict[tuple[str, int], str] = {
    ("Start-Up", 2020): (
        "In Seoul's start-up scene, Seo Dal-mi chases her dream of becoming a founder while a long-ago "
        "pen-pal letter ties her to two very different men."
    ),
}


def _find_drama(catalog: dict, title: str, year: int) -> dict | None:
    key = norm(title)
    hits = [d for d in catalog["dramas"] if norm(d["title"]) == key and d.get("year") == year]
    if not hits:
        hits = [d for d in catalog["dramas"] if d.get("year") == year
                and key in {norm(a) for a in d.get("aliases", [])}]
    return hits[0] if hits else None


def _person(catalog: dict, name: str, index: dict[str, dict]) -> dict:
    key = person_key(name)
    person = index.get(key)
    if person is None:
        used = {p["slug"] for p in catalog["people"]}
        slug, n = slugify(name), 2
        while slug in used:
            slug, n = f"{slugify(name)}-{n}", n + 1
        person = {"slug": slug, "name": name, "aliases": []}
        catalog["people"].append(person)
        index[key] = person
    elif name != person["name"] and name not in person.setdefault("aliases", []):
        person["aliases"].append(name)
    return person


# Credits the seed articles state that the sources lack ("Kim Hye-yoon ... known for her roles in SKY Castle and
# Extraordinary You"; "Byeon Woo-seok was known for Record of Youth"): the credit, without a character the
# articles do not name.
OTHER_CREDITS = (("Kim Hye-yoon", "SKY Castle", 2018), ("Kim Hye-yoon", "Extraordinary You", 2019),
                 ("Byeon Woo-seok", "Record of Youth", 2020))


def _other_credits(catalog: dict, index: dict[str, dict]) -> None:
    for name, title, year in OTHER_CREDITS:
        drama = _find_drama(catalog, title, year)
        if drama is None:
            continue
        person = _person(catalog, name, index)
        credits = drama.setdefault("credits", [])
        if not any(c["person"] == person["slug"] for c in credits):
            credits.append({"person": person["slug"], "character": "", "role": None,
                            "billing": max((c.get("billing") or 0 for c in credits), default=0) + 1})


def apply(catalog: dict) -> None:
    """Overlay the seed facts on ``catalog`` (in place)."""
    index: dict[str, dict] = {}
    for p in sorted(catalog["people"], key=lambda p: p["slug"]):
        for n in [p["name"], *p.get("aliases", [])]:
            index.setdefault(person_key(n), p)
    for seed in SEEDS:
        drama = _find_drama(catalog, seed["title"], seed["year"])
        if drama is None:
            drama = {"slug": f"{slugify(seed['title'])}-{seed['year']}", "title": seed["title"],
                     "year": seed["year"]}
            catalog["dramas"].append(drama)
        if seed.get("platforms"):
            drama["platforms"] = sorted(set(drama.get("platforms") or []) | set(seed["platforms"]))
        for key in ("korean_title", "network", "episodes", "first_aired", "last_aired", "air_days", "air_time",
                    "air_tz", "status", "peak_share", "synopsis", "source", "season2", "fan_theories"):
            if key in seed:
                drama[key] = seed[key]
        for key in ("directors", "writers"):
            if key in seed:
                existing = drama.get(key) or []
                keys = {person_key(n) for n in seed[key]}
                drama[key] = seed[key] + [n for n in existing if person_key(n) not in keys]
        aliases = drama.setdefault("aliases", [])
        for alias in seed.get("aliases", []):
            if norm(alias) != norm(drama["title"]) and alias not in aliases:
                aliases.append(alias)
        if seed.get("korean_title"):  # the Korean title is its own lookup key, not an alias
            drama["aliases"] = [a for a in aliases if norm(a) != norm(seed["korean_title"])]
        for name, extra in seed.get("person_aliases", {}).items():
            person = _person(catalog, name, index)
            for alias in extra:
                if alias != person["name"] and alias not in person.setdefault("aliases", []):
                    person["aliases"].append(alias)
                index.setdefault(person_key(alias), person)
        credits = drama.setdefault("credits", [])
        ordered = []
        for entry in seed.get("cast", []):
            person = _person(catalog, entry["name"], index)
            mine = [c for c in credits if c["person"] == person["slug"]]
            credit = mine[0] if mine else {"person": person["slug"]}
            if mine:
                credits.remove(credit)
            old_character = credit.get("character")
            credit["character"] = entry["character"]
            credit["role"] = entry["role"]
            aliases_c = set(entry.get("character_aliases", []))
            if old_character and norm(old_character) != norm(entry["character"]):
                aliases_c.add(old_character)
            credit["character_aliases"] = sorted(aliases_c)
            ordered.append(credit)
        for n, credit in enumerate(ordered + sorted(credits, key=lambda c: c.get("billing") or 10**9), start=1):
            credit["billing"] = n
        drama["credits"] = ordered + credits
        if seed.get("similar"):
            sims = []
            for title, year in seed["similar"]:
                other = _find_drama(catalog, title, year)
                if other is not None:
                    sims.append({"slug": other["slug"], "reason": seed.get("similar_reason")})
            drama["similar"] = sims
        facts = []
        for fact in seed.get("facts", []):
            fact = dict(fact)
            if "person" in fact:
                fact["person"] = _person(catalog, fact["person"], index)["slug"]
            facts.append(fact)
        drama["facts"] = facts
    _other_credits(catalog, index)
    for (title, year), text in SYNOPSES.items():
        drama = _find_drama(catalog, title, year)
        if drama is not None and not drama.get("synopsis"):
            drama["synopsis"] = text
