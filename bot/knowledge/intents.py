"""What a question asks: keyword/pattern rules over the question with its entity mentions masked.

Mentions are masked first ("When the Stars Gossip", "Miss Night and Day" must not read as a
"when"/"day" question); the first rule in priority order that fires decides the intent.
"""

from __future__ import annotations

import re
from functools import lru_cache

DRAMA_MARK = " dramaref "
PERSON_MARK = " personref "

_R = [
    ("season2", r"시즌\s*2|season\s*(?:2|two|ii)\b|second season|\bs2\b|sequel|renew|another season|new season|next season"
                r"|part\s*(?:2|two)\b|\bseason\b"),
    ("similar", r"similar|recommend|\b(?:dramas?|shows?|series|something|anything|kdramas?) (?:like|to)\b"
                r"|\blike dramaref\b|if i (?:liked|loved|enjoyed)|same vibe|comparable"),
    ("korean_title", r"한국어 제목|한글 제목|korean (?:title|name)|in korean|\bhangul\b|original (?:korean )?title|native title"
                     r"|korean for\b|title in korean"),
    ("source", r"원작|웹툰|웹소설|based on|adapt|original (?:work|story|novel|webtoon|source|manhwa)|source material|webtoon"
               r"|web ?novel|\bnovel\b|manhwa|\bbook\b|\bauthor\b|illustrat|\bcomic"),
    ("director", r"감독|연출|direct|\bpd\b|helmed|\bpds\b"),
    ("writer", r"작가|극본|각본|\bwriters?\b|written|screenwriter|scriptwriter|\bwrote\b|\bscript|screenplay|penned"),
    ("premiere", r"첫\s*방송|첫방|방영일|first episode|premi[eè]re?|releas|\bstart|first air|first broadcast|\bbegin|began"
                 r"|(?:come|came|comes|coming|be|is|was) out\b|\bdebut|air ?date|launch|opening|\bdrop(?:ped|s)?\b"),
    ("finale", r"종영|마지막\s*회|last episode|final episode|finale|\bend(?:s|ed|ing)?\b|conclude|finish|wrap|last air"
               r"|\buntil\b|\bover\b"),
    ("schedule", r"next episode|new episodes?|upcoming episode|\bep(?:isode)?s? ?\d+\b.*\b(?:air|come|release|out)"),
    ("episodes", r"부작|몇\s*회|회차|에피소드|episode|\beps?\b|how long|how many parts|\bparts\b|length"),
    ("air_time", r"what time|which time|time ?slot|\btime\b|\bhour\b|o'?clock|\bat what\b|\bkst\b"),
    ("air_days", r"요일|\bdays?\b|weekday|what night|which night|monday|tuesday|wednesday|thursday|friday|saturday"
                 r"|sunday|\bweekly\b|schedule|\bnights?\b|each week|every week|per week|a week\b"),
    ("platforms", r"어디서|스트리밍|where (?:can|could|do|should|to|is|are|will|would|did)\b.*\b(?:watch|stream|see|find|available)"
                  r"|\bstream|platform|\bott\b|watch it|available on|where to watch|\bwatch\b|\bviki\b"
                  r"|\bnetflix\b|disney|tving|wavve|coupang|prime video"),
    ("network", r"방송사|방송국|채널|network|channel|broadcaster|\bstation|\btv\b|air(?:ed|s|ing)? on\b|broadcast(?:ed)? on"
                r"|\bon which\b|\bon what\b|\bbroadcast by|aired by|\baired\b|\bnetwork"
                r"|\bwhere\b.*\b(?:air(?:ed|s)?|broadcast(?:ed)?|shown)\b"),
    ("year", r"what year|which year|\byear\b|how old|what decade"),
    ("rating", r"rating|rated|\bscore|\bshare\b|viewership|audience|popular|how good|worth watching|reviews?"
               r"|\bhit\b"),
    ("genre", r"genre|what kind of|what type of|what sort of"),
    ("status", r"still airing|ongoing|currently airing|airing now|\bstatus\b|completed|is dramaref (?:done|out)"),
    ("actor_for_character", r"who (?:plays|played|portrays|portrayed|is playing|was playing|acts as|acted as|plays as"
                            r"|played as)\b|played by|portrayed by|(?:actor|actress) (?:who|that|for|of"
                            r"|playing|plays|played)|who is the (?:actor|actress)|the (?:actor|actress) (?:of|for)"
                            r"|\bwho\b.*\bplays?\b|\bwho\b.*\bplayed\b|\b(?:actor|actress)\W*$|cast as\b"
                            r"|\b(?:actor|actress) (?:in|on|from) dramaref"),
    ("who_is", r"\bwho (?:is|was|s)\b|\bwhos\b"),
    ("character_for_actor", r"\broles?\b|character|\bplays?\b|played|playing|portray|\bas who\b|\bas what\b"),
    ("filmography", r"filmography|what (?:other )?(?:k-?dramas|dramas|shows|series|works|projects)"
                    r"|which (?:other )?(?:k-?dramas|dramas|shows|series)|been in|appeared in|acted in|starred in"
                    r"|known for|other (?:dramas|works|shows)|\bworks?\b|career|(?:dramas|shows) (?:with|starring|featuring)"
                    r"|who is personref|tell me about personref|^personref$"),
    ("cast", r"출연|배우|주연|\bcast|\bstar(?:s|red)?\b|starring|\bleads?\b|main (?:actors?|actress(?:es)?|characters?|couple)|\bactors?\b"
             r"|actress|who(?:s| is| are| was| were)? in\b|who acted|who appears|protagonist|\bmembers\b|who.*\bin dramaref"),
    ("about", r"줄거리|about|\bplot|synopsis|story|summary|premise|\bsummar|tell me|what is dramaref|whats dramaref"
              r"|explain|\binfo|overview|describe"),
    ("dates", r"^when\b|what date|\bwhen\b|\bwhend\b|\bdates?\b|\baired\b"),
]
RULES = [(name, re.compile(pattern)) for name, pattern in _R]

DRAMA_INTENTS = {"schedule", "season2", "similar", "korean_title", "source", "director", "writer", "premiere", "finale",
                 "episodes", "air_time", "air_days", "platforms", "network", "year", "rating", "genre", "status",
                 "cast", "about", "dates"}


def detect(masked: str) -> list[str]:
    """Every intent whose cue fires, in priority order."""
    return list(_detect(masked))


@lru_cache(maxsize=1024)
def _detect(masked: str) -> tuple[str, ...]:
    """26 regex searches; one question asks this of the same masked text two or three times."""
    text = " ".join(masked.lower().replace("’", "'").replace("'", "").split())
    return tuple(name for name, rx in RULES if rx.search(text))
