"""The live-data sync loop (bot.sources): discovery daily, updates hourly, followed dramas before each episode.

No commands here: fans see the result through /schedule, /drama and /ask, owners through /catalog sources
and `dramabot sources`. With ``SOURCES=none`` the loop never starts and no call is made. Every pass is
wrapped: a provider that is down is logged and tried again later, and never stops the bot serving.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands, tasks

from bot.client import DramaBot
from bot.knowledge.engine import engine_for
from bot.sources.bulk import BulkLinker
from bot.sources.providers import enricher_for, provider_for
from bot.sources.sync import Syncer

log = logging.getLogger(__name__)

HOUR = 3600
DISCOVERY_EVERY = 24 * HOUR
UPDATES_EVERY = HOUR
STATUS_EVERY = HOUR
RETRY_AFTER_FAILURE = 15 * 60
LINK_EVERY = 60  # a batch of unlinked catalog dramas (SOURCES_LINK_BATCH) each minute while any are left
LEADS = (2 * HOUR, 20 * 60)  # refresh a followed drama this long before its next episode (late delays)
MAX_SLEEP = HOUR


def now_epoch() -> int:
    return int(discord.utils.utcnow().timestamp())


SYNC_LEASE = "sources-sync"
SYNC_LEASE_SECONDS = 1800  # longer than the loop's sleep between passes: the holder renews it each pass

class Sources(commands.Cog):
    """Keeps dramas and episode times current from the configured provider."""

    feature = "Live data"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.provider = provider_for(bot.settings)
        self.enricher = enricher_for(bot.settings, bot.store)
        self.syncer: Syncer | None = None
        self.linker: BulkLinker | None = None
        if self.provider is not None:
            self.syncer = Syncer(bot.store, self.provider, clock=now_epoch, days_ahead=bot.settings.sync_days_ahead,
                                 on_season2=self._season2, enricher=self.enricher)
            if bot.settings.sources_link_batch > 0:
                self.linker = BulkLinker(self.syncer)
        self.next_run: dict[str, int] = {}      # kind -> epoch of its next run (set from the stored last success)
        self.leads_done: set[tuple[str, int, int]] = set()  # (show, episode time, lead) refreshed already
        self.passes = 0

    async def cog_load(self) -> None:
        if self.syncer is not None:
            self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()
        if self.provider is not None:
            await self.provider.client.close()
        if self.enricher is not None:
            await self.enricher.tmdb.client.close()

    async def _season2(self, drama_id: int) -> None:
        """Season 2 became confirmed: season-2 polls resolve as /catalog season2 resolves them."""
        self.bot.dispatch("season2_status_changed", drama_id)

    async def _due(self, kind: str, every: int, now: int) -> bool:
        if kind not in self.next_run:
            runs = await self.bot.store.sources.runs(self.syncer.name)
            last = runs.get(kind)
            last_ok = last["last_ok"] if last is not None else None
            self.next_run[kind] = (int(discord.utils.parse_time(last_ok).timestamp()) + every) if last_ok else 0
        return now >= self.next_run[kind]

    async def _run(self, kind: str, every: int, coro_factory) -> None:
        report = await coro_factory()
        ok = not report.errors or report.shows
        self.next_run[kind] = now_epoch() + (every if ok else RETRY_AFTER_FAILURE)
        if report.errors:
            log.warning("%s sync (%s): %d error(s), e.g. %s", kind, self.syncer.name, len(report.errors),
                        report.errors[0])
        log.info("%s sync (%s): %d shows, %d created, %d linked, +%d/~%d episodes", kind, self.syncer.name,
                 report.shows, report.created, report.linked, report.episodes_added, report.episodes_changed)

    @tasks.loop(seconds=60)
    async def loop(self) -> None:
        """One pass: whatever is due, then sleep until the next thing is."""
        self.passes += 1
        try:
            await self.pass_once()
        except Exception:  # noqa: BLE001 - nothing may stop the loop; the next pass tries again
            log.exception("sources sync pass failed")
        self.loop.change_interval(seconds=await self._sleep_for())

    async def pass_once(self) -> None:
        syncer = self.syncer
        now = now_epoch()
        # Once per cluster: the process holding the lease syncs; another takes over when it stops renewing.
        if self.bot.store.postgres and not await self.bot.store.leases.hold(
                SYNC_LEASE, self.bot.settings.process_name, now, SYNC_LEASE_SECONDS):
            return
        if await self._due("discovery", DISCOVERY_EVERY, now):
            await self._run("discovery", DISCOVERY_EVERY, syncer.discover)
        elif await self._due("updates", UPDATES_EVERY, now):
            await self._run("updates", UPDATES_EVERY, syncer.updates)
        now = now_epoch()
        wanted = []
        for show_id, next_at in await self.bot.store.sources.followed_next(syncer.name, now, max(LEADS) + 60):
            for lead in LEADS:
                key = (show_id, next_at, lead)
                if now >= next_at - lead and key not in self.leads_done:
                    self.leads_done.update((show_id, next_at, lead2) for lead2 in LEADS if lead2 >= lead)
                    wanted.append(show_id)
                    break
        if wanted:
            await syncer.refresh_many(list(dict.fromkeys(wanted)))
        if now >= self.next_run.get("status", 0):
            await self.bot.store.sources.refresh_statuses(now)
            self.next_run["status"] = now + STATUS_EVERY
        if self.linker is not None and now_epoch() >= self.next_run.get("linking", 0):
            await self._link_batch()
        # Questions kept the previous name index while this pass wrote new names (bot.knowledge.linking):
        # bring it up to date now, on the sync's time rather than a member's.
        await engine_for(self.bot.store).refresh()

    async def _link_batch(self) -> None:
        """A few unlinked catalog dramas looked up (the stored tries make a restart resume, never redo)."""
        report = await self.linker.run(limit=self.bot.settings.sources_link_batch)
        if report.looked:
            log.info("linking (%s): %d dramas looked up, %d linked, %d ambiguous, %d not found, %d left",
                     self.syncer.name, report.looked, report.linked, report.ambiguous, report.none, report.left)
        if report.errors and report.linked + report.ambiguous + report.none == 0:
            self.next_run["linking"] = now_epoch() + RETRY_AFTER_FAILURE  # the provider is down: later
        elif report.left:
            self.next_run["linking"] = now_epoch() + LINK_EVERY
        else:
            self.next_run["linking"] = now_epoch() + DISCOVERY_EVERY  # all looked up; errors retried after a day

    async def _sleep_for(self) -> float:
        now = now_epoch()
        times = [t for k, t in self.next_run.items() if k in ("discovery", "updates", "status", "linking")]
        for show_id, next_at in await self.bot.store.sources.followed_next(self.syncer.name, now, 2 * DISCOVERY_EVERY):
            for lead in LEADS:
                if (show_id, next_at, lead) not in self.leads_done:
                    times.append(next_at - lead)
        wake = min(times, default=now + MAX_SLEEP)
        return float(min(MAX_SLEEP, max(5, wake - now)))

    @loop.before_loop
    async def _before(self) -> None:
        await self.bot.wait_until_ready()

    async def status_lines(self) -> list[str]:
        """What `dramabot sources status` and /catalog sources show."""
        from bot.sources.report import status_lines

        return await status_lines(self.bot.store, self.bot.settings)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Sources(bot))
