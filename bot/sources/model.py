"""Provider-neutral facts about a show: what every provider's JSON is mapped to before it touches the store.

Provider text is untrusted: every string is cleaned here (control characters dropped, whitespace folded,
length bounded) so nothing downstream has to remember to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MAX_TEXT = 200
SPECIAL_BASE = 1000  # our episode number of a provider special: 1000 + its order (shown as "Special")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: object, limit: int = MAX_TEXT) -> str | None:
    """A provider string made safe to store: text only, one line, bounded; None when empty or not text."""
    if not isinstance(value, str):
        return None
    text = " ".join(_CONTROL.sub(" ", value).split())
    return text[:limit] or None


def iso_date(value: object) -> str | None:
    """A provider date (or the date part of a timestamp) as YYYY-MM-DD; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class EpisodeFacts:
    episode_id: str
    season: int
    number: int | None          # None for a special
    airdate: str | None         # YYYY-MM-DD, local to the network
    air_at: int | None          # UTC epoch seconds; None when no time of day is announced
    special: bool = False
    title: str | None = None


@dataclass(frozen=True)
class CastFacts:
    person_id: str
    name: str
    character: str | None = None
    korean_name: str | None = None


@dataclass(frozen=True)
class ShowFacts:
    provider: str
    show_id: str
    title: str
    kind: str | None = None                 # provider's show type: "Scripted", "Reality", ...
    language: str | None = None
    country: str | None = None              # ISO code of the network's country
    korean_title: str | None = None
    aliases: tuple[str, ...] = ()
    premiered: str | None = None
    ended: str | None = None
    network: str | None = None
    platforms: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    air_days: tuple[str, ...] = ()
    air_time: str | None = None             # HH:MM local to air_tz
    air_tz: str | None = None
    provider_status: str | None = None      # "Running", "Ended", "To Be Determined", "In Development"
    updated: int | None = None
    imdb: str | None = None
    url: str | None = None
    episodes: tuple[EpisodeFacts, ...] = ()
    cast: tuple[CastFacts, ...] = ()
    complete: bool = True                   # False: the answer lacked its episode list (half-empty)
    episodes_total: int | None = None       # the count a provider states without listing episodes (TMDB)
    dates_authoritative: bool = True        # False (TMDB): premiere/finale only fill blanks, never replace

    @property
    def year(self) -> int | None:
        return int(self.premiered[:4]) if self.premiered and self.premiered[:4].isdigit() else None

    @property
    def seasons(self) -> set[int]:
        return {e.season for e in self.episodes}

    def season_episodes(self, season: int = 1) -> list[EpisodeFacts]:
        return [e for e in self.episodes if e.season == season]

    @property
    def episode_count(self) -> int | None:
        regular = [e for e in self.season_episodes(min(self.seasons, default=1)) if not e.special]
        return len(regular) or self.episodes_total


@dataclass
class SyncReport:
    """What one sync run did (shown by the CLI and /catalog sources)."""

    shows: int = 0
    created: int = 0
    linked: int = 0
    ambiguous: int = 0
    merged: int = 0
    episodes_added: int = 0
    episodes_changed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: dict[str, int]) -> None:
        for key, value in other.items():
            if hasattr(self, key) and isinstance(getattr(self, key), int):
                setattr(self, key, getattr(self, key) + value)
