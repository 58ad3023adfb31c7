"""Merging a provider's episode list into ours: pure, so the rules are tested without a server.

Rules (docs/sources.md): new episodes appear; a changed time moves the episode (delayed, with the time it had
first, so the schedule code bumps its revision and every announcement follows); an episode the provider
stopped listing is cancelled only after two refreshes in a row without it, never deleted; episodes that
already aired stay as they happened; an episode without a time of day never enters the schedule (it is kept
in ``source_episodes`` and listed as "time not announced"); a schedule an owner holds is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.schedule.slots import Episode
from bot.sources.model import SPECIAL_BASE, ShowFacts

MISSING_LIMIT = 2


@dataclass(frozen=True)
class SourceEpisode:
    """A ``source_episodes`` row: the provider episode, our number for it, and how often it went missing."""

    episode_id: str
    number: int
    season: int
    airdate: str | None
    air_at: int | None
    special: bool
    missing: int = 0


@dataclass
class Merge:
    episodes: list[Episode]                    # the drama's whole schedule after the merge
    source: list[SourceEpisode]                # source_episodes rows to store (this show)
    counts: dict[str, int] = field(default_factory=dict)
    changed: bool = False


def _numbering(facts: ShowFacts, season: int, known: dict[str, SourceEpisode]) -> dict[str, int]:
    """Our number for each provider episode of the season: regular ones keep theirs, specials get 1000 + n
    (the number once given is kept, so a new special never renumbers an old one)."""
    numbers: dict[str, int] = {}
    taken = {s.number for s in known.values()}
    next_special = max([n for n in taken if n > SPECIAL_BASE], default=SPECIAL_BASE) + 1
    for ep in sorted(facts.season_episodes(season), key=lambda e: (e.airdate or "", e.episode_id)):
        if ep.episode_id in known:
            numbers[ep.episode_id] = known[ep.episode_id].number
        elif ep.number is not None and not ep.special and ep.number >= 1:
            numbers[ep.episode_id] = ep.number
        else:
            numbers[ep.episode_id] = next_special
            next_special += 1
    return numbers


def merge(existing: list[Episode], known: list[SourceEpisode], facts: ShowFacts, *, season: int, now: int,
          held: bool) -> Merge:
    """The schedule after applying ``facts`` (``existing``: our episodes; ``known``: the show's stored
    source rows). Every existing episode stays in the result, so nothing is ever deleted."""
    by_id = {s.episode_id: s for s in known}
    numbers = _numbering(facts, season, by_id)
    ours = {e.number: e for e in existing}
    counts = {"episodes_added": 0, "episodes_changed": 0, "cancelled": 0}
    source: list[SourceEpisode] = []
    listed = set()
    regular = [numbers[e.episode_id] for e in facts.season_episodes(season) if numbers[e.episode_id] < SPECIAL_BASE]
    last_regular = max(regular, default=None)
    ended = bool(facts.ended) or facts.provider_status == "Ended"
    for ep in facts.season_episodes(season):
        number = numbers[ep.episode_id]
        listed.add(ep.episode_id)
        special = ep.special or number > SPECIAL_BASE
        source.append(SourceEpisode(ep.episode_id, number, ep.season, ep.airdate, ep.air_at, special, 0))
        if held or ep.air_at is None:
            continue
        finale = ended and number == last_regular
        old = ours.get(number)
        if old is None:
            status = "aired" if ep.air_at <= now else "scheduled"
            ours[number] = Episode(number=number, air_at=ep.air_at, status=status, finale=finale, special=special)
            counts["episodes_added"] += 1
            continue
        new = old
        if old.status == "cancelled":  # listed again: it is back
            new = replace(new, status="scheduled")
        aired = old.air_at <= now and old.status != "cancelled"
        if ep.air_at != old.air_at and not aired and ep.air_at > now:
            original = old.original_air_at if old.original_air_at is not None else old.air_at
            back = ep.air_at == original
            new = replace(new, air_at=ep.air_at, status="scheduled" if back else "delayed",
                          original_air_at=None if back else original)
        if new.finale != finale or new.special != special:
            new = replace(new, finale=finale, special=special)
        if new != old:
            ours[number] = new
            counts["episodes_changed"] += 1
    for old_row in known:
        if old_row.episode_id in listed or old_row.season != season:
            continue
        missing = old_row.missing + 1
        source.append(replace(old_row, missing=missing))
        ep = ours.get(old_row.number)
        if held or missing < MISSING_LIMIT or ep is None or ep.status == "cancelled" or ep.air_at <= now:
            continue
        ours[old_row.number] = replace(ep, status="cancelled")
        counts["cancelled"] += 1
    result = sorted(ours.values(), key=lambda e: e.number)
    changed = any(counts.values())
    return Merge(result, source, counts, changed)
