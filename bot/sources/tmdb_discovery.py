"""TMDB's part of the daily discovery (only with ``TMDB_API_KEY``): Korean dramas TVmaze's schedules lack.

``/discover/tv`` lists the Korean scripted shows with an episode in the discovery window (talk, news, reality and
documentaries left out), a few pages at most. Each one not linked to TMDB yet is fetched once (names, facts,
aggregate credits and external ids in one call). Air times come only from TVmaze: when TVmaze knows the show
(``/lookup/shows`` by its IMDb or TheTVDB id) that show is applied as any discovered one, then named by TMDB.
Otherwise the drama is linked to the catalog drama it clearly is, or added from TMDB's facts alone (titles, year,
network, genres, premiere, episode count, cast with characters) with no episode and so no air time: it is never
announced at a guessed time. A failing TMDB answer is logged and skips that show only.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.sources.http import ProviderError
from bot.sources.model import SyncReport
from bot.sources.tmdb import MAX_DISCOVER_PAGES, NAME, as_show_facts

log = logging.getLogger(__name__)


class TmdbDiscovery:
    def __init__(self, syncer, enricher) -> None:
        self.syncer = syncer
        self.store = syncer.store
        self.tmdb = enricher.tmdb

    async def run(self, start: dt.date, end: dt.date, report: SyncReport) -> None:
        start_calls = self.tmdb.client.calls
        errors: list[str] = []
        results: list[dict] = []
        page, pages = 1, 1
        while page <= min(pages, MAX_DISCOVER_PAGES):
            try:
                found, pages = await self.tmdb.discover(start, end, page)
            except ProviderError as exc:
                errors.append(f"TMDB discover page {page}: {exc}")
                log.warning("TMDB discovery page %d failed: %s", page, exc)
                break
            results += found
            page += 1
        for result in dict((str(r["id"]), r) for r in results).values():
            show_id = str(result["id"])
            if await self.store.sources.linked_drama(NAME, show_id) is not None:
                continue  # known: the sync's enrichment keeps it named
            try:
                await self._one(show_id, report)
            except ProviderError as exc:
                errors.append(f"TMDB show {show_id}: {exc}")
                log.warning("TMDB show %s not discovered: %s", show_id, exc)
        await self.store.sources.record_run(NAME, "discovery", self.syncer._iso(),
                                            calls=self.tmdb.client.calls - start_calls,
                                            error=errors[-1] if errors else None)

    async def _one(self, show_id: str, report: SyncReport) -> None:
        show = await self.tmdb.show(show_id)
        if not show.is_drama:
            return
        provider = self.syncer.provider
        found = await provider.lookup(imdb=show.imdb, thetvdb=show.tvdb) if (show.imdb or show.tvdb) else None
        if found is not None:  # TVmaze has it: its air times, then TMDB's names
            drama_id = await self.store.sources.linked_drama(provider.name, found)
            if drama_id is None:
                await self.syncer.refresh(found, report, tmdb_show=show)
            else:
                facts = as_show_facts(show)
                await self.syncer.enricher.enrich(drama_id, facts, self.syncer._iso(), show=show)
            return
        # TMDB only: the catalog drama it clearly is, or a new drama without air times
        await self.syncer.apply(as_show_facts(show), report, tmdb_show=show)
