"""TMDB enrichment of a synced drama: its Korean title, Hangul other titles, the Hangul names of its cast and
the characters its credits lack. Names only: never dates or air times, never prose.

A drama is enriched when it is linked to TMDB, or linkable by title and year with one clear winner; the link is
recorded (provider 'tmdb') like a TVmaze link. Calls are made before the store is touched, and everything is
written in one transaction: a failing or malformed answer changes nothing.
"""

from __future__ import annotations

import logging

from bot.catalog.names import norm
from bot.sources.http import ProviderError
from bot.sources.model import ShowFacts
from bot.sources.tmdb import NAME, TMDB, pick_result

log = logging.getLogger(__name__)

MAX_PEOPLE = 12  # person calls per drama (people whose Hangul name we lack)


class Enricher:
    def __init__(self, store, tmdb: TMDB) -> None:
        self.store = store
        self.tmdb = tmdb

    async def enrich(self, drama_id: int, facts: ShowFacts, now: str) -> bool:
        """True when TMDB was used for the drama. Provider errors are logged, never raised."""
        try:
            return await self._enrich(drama_id, facts, now)
        except ProviderError as exc:
            log.warning("TMDB enrichment of drama %s (%s) skipped: %s", drama_id, facts.title, exc)
            return False

    async def _enrich(self, drama_id: int, facts: ShowFacts, now: str) -> bool:
        link = await self.store.sources.link_of(drama_id, NAME)
        if link is not None:
            show_id = link["show_id"]
        else:
            found = pick_result(await self.tmdb.search(facts.title, facts.year), [facts.title, facts.korean_title],
                                facts.year)
            if found is None:
                return False
            show_id = str(found)
        show = await self.tmdb.show(show_id)
        credited = await self.store.sources.credited_people(drama_id)  # norm(name) -> (person id, korean name)
        people: list[tuple[int, str | None, str | None]] = []
        asked = 0
        for member in show.cast:
            ours = credited.get(norm(member.name))
            if ours is None:
                continue
            person_id, known = ours
            hangul = member.korean_name
            if not known and not hangul and asked < MAX_PEOPLE:
                asked += 1
                hangul = await self.tmdb.person_korean_name(member.person_id)
            people.append((person_id, None if known else hangul, member.character))
        await self.store.sources.apply_tmdb(drama_id, show, people, now)
        return True
