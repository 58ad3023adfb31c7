"""The bulk linking pass: the catalog's unlinked dramas looked up at the provider, one at a time.

Discovery links a catalog drama only when its show is in the schedule window; the ~3,000 older dramas are
linked here (`dramabot sources link --all`, and the sync loop a few dramas a pass). Each drama is searched by
its title (then its Korean title when the title finds no Korean drama); every Korean drama found is decided
by the sync's own rules (:mod:`bot.sources.linking`). Only when exactly one show points at the drama is that
show fetched and applied like a discovered one (a clear winner links, two catalog twins merge, a close call
waits for the owner); two shows pointing at it wait for the owner too. Nothing is ever created here.

Resumable: a drama is untried until it is linked, waits as ambiguous, or has a ``source_link_tries`` row
('none', or 'error' retried after a day), each written in the drama's own short transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.sources import linking
from bot.sources.http import ProviderError
from bot.sources.model import ShowFacts, SyncReport
from bot.sources.tvmaze import is_korean_drama, show_facts

log = logging.getLogger(__name__)

RETRY_ERRORS_AFTER = 24 * 3600
BATCH = 25            # dramas read from the store at a time
DOWN_AFTER = 3        # provider errors in a row: it is down, stop this run (the next run tries again)


@dataclass
class LinkReport:
    """What one bulk linking run did (the CLI's summary, the loop's log line)."""

    looked: int = 0
    linked: int = 0
    ambiguous: int = 0
    none: int = 0
    errors: list[str] = field(default_factory=list)
    calls: int = 0
    left: int = 0


class BulkLinker:
    def __init__(self, syncer) -> None:
        self.syncer = syncer
        self.store = syncer.store
        self.provider = syncer.provider

    def _retry_before(self) -> str:
        moment = dt.datetime.fromtimestamp(self.syncer.clock() - RETRY_ERRORS_AFTER, dt.UTC)
        return moment.isoformat(timespec="seconds")

    async def left(self) -> int:
        """Dramas still to look up."""
        return await self.store.sources.untried(self.provider.name, self._retry_before())

    async def run(self, limit: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> LinkReport:
        """Look up to ``limit`` untried dramas (all when None), followed ones first, then the most recent."""
        report = LinkReport()
        start_calls = self.syncer._calls()
        total = await self.left()
        total = min(total, limit) if limit is not None else total
        failing = 0
        while failing < DOWN_AFTER and (limit is None or report.looked < limit):
            want = BATCH if limit is None else min(BATCH, limit - report.looked)
            batch = await self.store.sources.unlinked_batch(self.provider.name, want, self._retry_before())
            if not batch:
                break
            for drama in batch:
                outcome = await self.link_one(drama, report)
                report.looked += 1
                if outcome == "error":
                    failing += 1
                else:
                    failing = 0
                    setattr(report, outcome, getattr(report, outcome) + 1)
                if progress:
                    progress(report.looked, total)
                if failing >= DOWN_AFTER:
                    break
        report.calls = self.syncer._calls() - start_calls
        report.left = await self.left()
        if report.looked:
            await self.store.sources.record_run(self.provider.name, "linking", self.syncer._iso(), calls=report.calls,
                                                error=report.errors[-1] if report.errors else None)
        return report

    async def link_one(self, drama, report: LinkReport) -> str:
        """'linked', 'ambiguous', 'none' or 'error' for one catalog drama."""
        name, drama_id = self.provider.name, drama["id"]
        try:
            pointing = await self._pointing(drama)
            if len(pointing) == 1:
                facts = await self.provider.show(pointing[0][0].show_id)
                await self.syncer.apply(facts, SyncReport(), create=False)
            elif len(pointing) > 1:  # two shows could be this drama: the owner picks
                for facts, decision in pointing:
                    await self.store.sources.record_ambiguous(
                        facts, linking.Decision("ambiguous", others=(drama_id,), scores=decision.scores),
                        self.syncer._iso())
        except ProviderError as exc:
            report.errors.append(f"{drama['slug']}: {exc}")
            log.warning("%s lookup of %s failed: %s", name, drama["slug"], exc)
            await self.store.sources.record_try(name, drama_id, "error", self.syncer._iso())
            return "error"
        state = await self.store.sources.link_state(name, drama_id)
        if state is None:
            await self.store.sources.record_try(name, drama_id, "none", self.syncer._iso())
            return "none"
        return "ambiguous" if state == "ambiguous" else "linked"  # linked, or merged into its twin

    async def _pointing(self, drama) -> list[tuple[ShowFacts, linking.Decision]]:
        """The unlinked Korean drama shows whose linking decision names this drama."""
        name = self.provider.name
        found: list[tuple[ShowFacts, linking.Decision]] = []
        for query in dict.fromkeys(q for q in (drama["title"], drama["korean_title"]) if q):
            shows = [s for s in await self.provider.search(query) if is_korean_drama(s)]
            for show in shows:
                try:
                    facts = show_facts(show)
                except ProviderError:
                    continue
                if any(f.show_id == facts.show_id for f, _d in found) or \
                        await self.store.sources.linked_drama(name, facts.show_id) is not None:
                    continue
                candidates = await self.store.sources.candidates(linking.show_keys(facts), name, facts.show_id)
                decision = linking.decide(candidates, facts)
                if decision.kind != "none" and drama["id"] in (decision.drama_id, *decision.others):
                    found.append((facts, decision))
            if shows:  # the title found Korean dramas: the Korean title is not asked
                break
        return found
