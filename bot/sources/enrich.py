"""TMDB enrichment of a synced drama: its Korean title, Hangul other titles, the Hangul names of its cast, the
characters its credits lack and the cast members (with characters) TMDB's aggregate credits have and ours do
not. Names only: never dates or air times, never prose.

A drama is enriched when it is linked to TMDB, or linkable by title and year with one clear winner; the link is
recorded (provider 'tmdb') like a TVmaze link. Calls are made before the store is touched, and everything is
written in one transaction: a failing or malformed answer changes nothing.
"""

from __future__ import annotations

import logging

from bot.catalog.names import norm
from bot.sources.http import ProviderError
from bot.sources.model import CastFacts, ShowFacts
from bot.sources.tmdb import NAME, TMDB, TmdbShow, pick_result

log = logging.getLogger(__name__)

MAX_PEOPLE = 12  # person calls per drama (people whose Hangul name we lack)
MAX_NEW_CAST = 20  # cast members TMDB adds to one drama (with a character)


class Enricher:
    def __init__(self, store, tmdb: TMDB) -> None:
        self.store = store
        self.tmdb = tmdb

    async def enrich(self, drama_id: int, facts: ShowFacts, now: str, show: TmdbShow | None = None) -> bool:
        """True when TMDB was used for the drama (``show``: its TMDB show, already fetched by the TMDB
        discovery). Provider errors are logged, never raised."""
        try:
            return await self._enrich(drama_id, facts, now, show)
        except ProviderError as exc:
            log.warning("TMDB enrichment of drama %s (%s) skipped: %s", drama_id, facts.title, exc)
            return False

    async def _enrich(self, drama_id: int, facts: ShowFacts, now: str, show: TmdbShow | None) -> bool:
        if show is None:
            link = await self.store.sources.link_of(drama_id, NAME)
            if link is not None:
                show_id = link["show_id"]
            else:
                found = pick_result(await self.tmdb.search(facts.title, facts.year),
                                    [facts.title, facts.korean_title], facts.year)
                if found is None:
                    return False
                show_id = str(found)
            show = await self.tmdb.show(show_id)
        credited = await self.store.sources.credited_people(drama_id)  # norm(name) -> (person id, korean name)
        characters = {norm(c) for c in await self.store.sources.credited_characters(drama_id) if norm(c)}
        people: list[tuple[int, str | None, str | None]] = []
        missing: list[CastFacts] = []
        asked = 0
        for member in show.cast:
            ours = credited.get(norm(member.name))
            if ours is None:
                # in TMDB's aggregate credits but not in ours: added, unless its character is already played
                # by someone we credit (the same actor spelled another way)
                if member.character and norm(member.character) not in characters:
                    missing.append(member)
                continue
            person_id, known = ours
            hangul = member.korean_name
            if not known and not hangul and asked < MAX_PEOPLE:
                asked += 1
                hangul = await self.tmdb.person_korean_name(member.person_id)
            people.append((person_id, None if known else hangul, member.character))
        await self.store.sources.apply_tmdb(drama_id, show, people, now, missing=missing[:MAX_NEW_CAST])
        return True
