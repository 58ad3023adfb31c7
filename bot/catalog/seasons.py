"""Seasons of a series, read off catalog titles: "Squid Game", "Squid Game Season 2", "... Season 3".

The catalog keeps every season as its own drama. A season-2 speculation poll only makes sense about the
season that does not exist yet: for Squid Game (seasons 1-3 aired) that is season 4; while the newest
season is still upcoming or airing there is nothing to speculate about, and the poll is refused plainly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.catalog.names import norm
from bot.errors import BadInput

# "X Season 2", "X: Season 2", "X Part 2", "X Season 2: Subtitle"; or a bare trailing number "Dream High 2".
_NAMED = re.compile(r"^(?P<base>.+?)[\s:,-]+(?:season|part|series)\s*(?P<n>\d{1,2})\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<base>.+?)\s+(?P<n>[2-9]|1\d)$")


def season_of(title: str) -> tuple[str, int]:
    """``"Squid Game Season 2"`` -> ("Squid Game", 2); a title without a season number is season 1."""
    text = " ".join((title or "").split())
    for pattern in (_NAMED, _NUMBERED):
        match = pattern.match(text)
        if match and norm(match.group("base")):
            return match.group("base").rstrip(" :,-"), int(match.group("n"))
    return text, 1


@dataclass(frozen=True)
class NextSeason:
    """The season a speculation poll is about, and the newest season the catalog has (its drama row)."""

    series: str
    number: int
    latest: Any


def next_season(chosen: Any, candidates: Iterable[Any], today: dt.date) -> NextSeason:
    """The season after the newest one of ``chosen``'s series (``candidates``: dramas whose title may be a
    season of it). Raises :class:`BadInput` while the newest season has not finished airing."""
    series, _n = season_of(chosen["title"])
    seasons = {_n: chosen}
    for row in candidates:
        base, number = season_of(row["title"])
        if norm(base) == norm(series) and number not in seasons:
            seasons[number] = row
    newest = max(seasons)
    latest = seasons[newest]
    if newest > 1 and not _finished(latest, today):
        when = latest["first_aired"] or ""
        state = "airing now" if latest["status"] == "airing" or (when and when <= today.isoformat()) else (
            f"coming on {when}" if when else "already announced")
        raise BadInput(f"Season {newest} of {series} exists ({state}), so there is nothing to speculate about: "
                       f"see /drama info {latest['title']}. Ask again once it has aired.")
    return NextSeason(series=series, number=newest + 1, latest=latest)


def _finished(row: Any, today: dt.date) -> bool:
    if row["status"] == "finished":
        return True
    last = row["last_aired"]
    return row["status"] is None and bool(last) and last < today.isoformat()
