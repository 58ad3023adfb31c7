"""The sync: discovery (this week's Korean dramas), update checks, and refreshing one show.

Every show is fetched, decided (linking) and written on its own: one short transaction each, so a sync never
holds the store for long, and a failure costs that show only (it is logged with the show and the cause and
tried again next time; nothing is deleted or cancelled on one bad answer).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable

from bot.catalog.names import norm
from bot.sources import linking
from bot.sources.http import NotFoundAtProvider, ProviderError
from bot.sources.model import ShowFacts, SyncReport
from bot.sources.tmdb_discovery import TmdbDiscovery

log = logging.getLogger(__name__)

DAYS_BACK = 7
UNREACHABLE_AFTER = 3  # schedule days failing in a row at the start of a discovery: the provider is down
_SEQUEL = re.compile(r"^(?P<base>.+?)[\s:]*(?:season\s*(?:2|two|ii)|part\s*(?:2|two|ii)|(?:2|ii))$", re.IGNORECASE)

Clock = Callable[[], int]
Progress = Callable[[int, int, str], None]


class Syncer:
    def __init__(self, store, provider, *, clock: Clock, days_ahead: int = 21,
                 on_season2: Callable[[int], Awaitable[None]] | None = None, enricher=None) -> None:
        self.store = store
        self.enricher = enricher  # TMDB names (bot.sources.enrich), only when TMDB_API_KEY is set
        self.provider = provider
        self.clock = clock
        self.days_ahead = days_ahead
        self.on_season2 = on_season2

    @property
    def name(self) -> str:
        return self.provider.name

    def _iso(self) -> str:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC).isoformat(timespec="seconds")

    def _calls(self) -> int:
        return getattr(getattr(self.provider, "client", None), "calls", 0)

    # ------------------------------------------------------------------ discovery
    async def discover(self, *, days: int | None = None, progress: Progress | None = None) -> SyncReport:
        """Korean dramas airing from 7 days ago to ``days`` ahead become (or refresh) catalog dramas."""
        report = SyncReport()
        start_calls = self._calls()
        today = dt.datetime.fromtimestamp(self.clock(), dt.UTC).date()
        ahead = self.days_ahead if days is None else days
        dates = [today + dt.timedelta(days=n) for n in range(-DAYS_BACK, ahead + 1)]
        found: dict[str, dict] = {}
        failed = 0
        for i, day in enumerate(dates, start=1):
            try:
                found.update(await self.provider.schedule(day))
            except ProviderError as exc:
                failed += 1
                report.errors.append(f"schedule {day}: {exc}")
                log.warning("%s schedule for %s failed: %s", self.name, day, exc)
                if failed == i == UNREACHABLE_AFTER:  # the first days all failed: down; try again later
                    break
            if progress:
                progress(i, len(dates) + len(found), f"schedule {day}")
        if failed == i:
            await self.store.sources.record_run(self.name, "discovery", self._iso(), calls=self._calls() - start_calls,
                                                error=report.errors[-1] if report.errors else "no answer")
            return report
        stamps = await self.store.sources.stamps(self.name)
        for j, (show_id, show) in enumerate(sorted(found.items()), start=1):
            updated = show.get("updated") if isinstance(show.get("updated"), int) else None
            if show_id in stamps and updated is not None and stamps[show_id] == updated:
                continue  # unchanged since we applied it
            await self.refresh(show_id, report)
            if progress:
                progress(len(dates) + j, len(dates) + len(found), f"show {show_id}")
        if self.enricher is not None:  # TMDB finds the Korean dramas of the window TVmaze's schedules lack
            await TmdbDiscovery(self, self.enricher).run(dates[0], dates[-1], report)
        await self._finish("discovery", report, start_calls)
        return report

    async def updates(self, since: str = "day") -> SyncReport:
        """Refresh the linked shows the provider says changed since we last applied them."""
        report = SyncReport()
        start_calls = self._calls()
        try:
            changed = await self.provider.updates(since)
        except ProviderError as exc:
            report.errors.append(f"updates: {exc}")
            await self.store.sources.record_run(self.name, "updates", self._iso(), calls=self._calls() - start_calls,
                                                error=str(exc))
            return report
        stamps = await self.store.sources.stamps(self.name)
        for show_id in await self.store.sources.linked_shows(self.name):
            if show_id in changed and changed[show_id] != stamps.get(show_id):
                await self.refresh(show_id, report)
        await self._finish("updates", report, start_calls)
        return report

    async def refresh_many(self, show_ids: list[str]) -> SyncReport:
        report = SyncReport()
        start_calls = self._calls()
        for show_id in show_ids:
            await self.refresh(show_id, report)
        await self._finish("show", report, start_calls)
        return report

    async def _finish(self, kind: str, report: SyncReport, start_calls: int) -> None:
        calls = self._calls() - start_calls
        if report.errors:
            await self.store.sources.record_run(self.name, kind, self._iso(), calls=calls, error=report.errors[-1])
        else:
            await self.store.sources.record_run(self.name, kind, self._iso(), calls=calls)

    # ------------------------------------------------------------------ one show
    async def refresh(self, show_id: str, report: SyncReport | None = None, *, tmdb_show=None) -> dict | None:
        """Fetch one show and apply it. Errors are logged with the show and recorded; never raised."""
        report = report if report is not None else SyncReport()
        try:
            facts = await self.provider.show(show_id)
        except NotFoundAtProvider:
            report.errors.append(f"show {show_id}: no longer listed")
            log.warning("%s show %s vanished; its drama and episodes are kept", self.name, show_id)
            await self.store.sources.show_error(self.name, show_id, "vanished at the provider", self._iso())
            return None
        except ProviderError as exc:
            report.errors.append(f"show {show_id}: {exc}")
            log.warning("%s show %s not refreshed: %s", self.name, show_id, exc)
            await self.store.sources.show_error(self.name, show_id, str(exc), self._iso())
            return None
        report.shows += 1
        return await self.apply(facts, report, tmdb_show=tmdb_show)

    async def apply(self, facts: ShowFacts, report: SyncReport, *, create: bool = True, tmdb_show=None) -> dict | None:
        """Link (or, with ``create``, add) the show's drama and write its facts. None when nothing was written.
        ``tmdb_show``: the drama's TMDB show when the TMDB discovery already fetched it."""
        linked = await self.store.sources.linked_drama(facts.provider, facts.show_id)
        if linked is not None:
            decision = linking.Decision("link", linked, 1.0)
        else:
            candidates = await self.store.sources.candidates(linking.show_keys(facts), facts.provider, facts.show_id)
            decision = linking.decide(candidates, facts)
            if decision.kind == "none" and not create:
                return None
            if decision.kind == "ambiguous":
                report.ambiguous += 1
                log.info("%s show %s (%s) is ambiguous: %s", self.name, facts.show_id, facts.title, decision.scores)
                await self.store.sources.record_ambiguous(facts, decision, self._iso())
                return None
        result = await self.store.sources.apply_show(facts, decision, now=self.clock(), schedule=self.store.schedule)
        report.add({k: v for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool)
                    and k != "drama_id"})
        if self.enricher is not None:
            await self.enricher.enrich(result["drama_id"], facts, self._iso(), show=tmdb_show)
        if result["season2"] and self.on_season2:
            await self.on_season2(result["drama_id"])
        if result["created"]:
            await self._sequel_of(facts)
        return result

    async def _sequel_of(self, facts: ShowFacts) -> None:
        """A new show titled "<drama> 2" / "Season 2" confirms season 2 of that drama."""
        match = _SEQUEL.match(facts.title or "")
        if not match:
            return
        base = norm(match.group("base"))
        candidates = [c for c in await self.store.sources.candidates({base: "title"}, facts.provider, facts.show_id)
                      if facts.year is None or c.year is None or c.year < facts.year]
        if len(candidates) != 1:
            return
        note = f"Sequel listed by {facts.provider}" + (f", from {facts.premiered}" if facts.premiered else "")
        if await self.store.sources.confirm_sequel(candidates[0].drama_id, note, self._iso()[:10]) and self.on_season2:
            await self.on_season2(candidates[0].drama_id)
