"""What happens when the bot is removed from a server, or added back; and the health heartbeat.

Removal marks the server as left at once (``guild_settings.left_at``): feature queries that act for a
server (follows, reminders) skip it from that moment (``ACTIVE_GUILD_SQL``). After
``DATA_RETENTION_DAYS`` the server's data is deleted, unless the bot was added back meanwhile (which
clears ``left_at``). The retention task sleeps until the next purge is due rather than polling, so
neither the real loop nor SimCord's simulated time is woken every hour. No commands here.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord
from discord.ext import commands, tasks

from bot.client import DramaBot
from bot.health import HEARTBEAT_KEY

log = logging.getLogger(__name__)

REMOVED_REASON = "dramabot was removed from this server"


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Lifecycle(commands.Cog):
    """Server lifecycle and data retention."""

    feature = "Settings"

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        if bot.settings.heartbeat_seconds > 0:
            self.heartbeat.change_interval(seconds=bot.settings.heartbeat_seconds)

    async def cog_load(self) -> None:
        self._retention: asyncio.Task[None] | None = None
        self.reschedule()
        if self.bot.settings.heartbeat_seconds > 0:
            self.heartbeat.start()

    async def cog_unload(self) -> None:
        if self._retention is not None:
            self._retention.cancel()
        self.heartbeat.cancel()

    # ------------------------------------------------------------ membership
    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.came_back(guild.id)
        log.info("added to server %s", guild.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        # Back after an outage, or re-added (discord.py reports some re-joins as "available").
        await self.came_back(guild.id)

    async def came_back(self, guild_id: int) -> None:
        was_gone = not await self.bot.store.guilds.is_active(guild_id)
        await self.bot.store.guilds.seen([guild_id])
        resume = getattr(self.bot.store.schedule, "resume_follows", None)
        if was_gone and resume is not None:
            await resume(guild_id, REMOVED_REASON)

    async def pause_follows(self, guild_id: int, now: datetime) -> None:
        """The server's follows stop at once (the schedule store holds their pending deliveries)."""
        schedule = self.bot.store.schedule
        if not hasattr(schedule, "following") or not hasattr(schedule, "pause_follow"):
            return
        for follow in await schedule.following(guild_id):
            await schedule.pause_follow(follow["id"], REMOVED_REASON, int(now.timestamp()))

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.left(guild.id, discord.utils.utcnow())

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Catch up with removals and additions that happened while the bot was offline.

        Only servers on this process's shards: in a cluster the others' servers are never in this cache."""
        here = {g.id for g in self.bot.guilds}
        for guild_id in here & set(await self.bot.store.guilds.left_before("9999")):
            await self.came_back(guild_id)  # re-added while the bot was offline
        await self.bot.store.guilds.seen(here)
        now = discord.utils.utcnow()
        for guild_id in await self.bot.store.guilds.present_ids():
            if guild_id not in here and self.bot.owns_guild(guild_id):
                await self.left(guild_id, now)

    async def left(self, guild_id: int, now: datetime) -> None:
        await self.bot.store.guilds.mark_left(guild_id, iso(now))
        await self.pause_follows(guild_id, now)
        days = self.bot.settings.retention_days
        log.info("removed from server %s; its data is deleted in %d days unless I am added back", guild_id, days)
        self.reschedule()

    # ------------------------------------------------------------ retention
    def reschedule(self) -> None:
        """(Re)start the retention task: it sleeps until the next purge is due, never polls."""
        if self._retention is not None:
            self._retention.cancel()
        self._retention = asyncio.create_task(self._retention_loop(), name="dramabot-retention")

    async def _retention_loop(self) -> None:
        await self.bot.wait_until_ready()
        retention = timedelta(days=self.bot.settings.retention_days)
        while not self.bot.is_closed():
            try:
                await self.purge_now(discord.utils.utcnow())
                oldest = await self.bot.store.guilds.oldest_left_at()
            except Exception:
                log.exception("purging servers' data failed; retrying in an hour")
                await asyncio.sleep(3600)
                continue
            if oldest is None:
                return  # nothing pending; a removal reschedules
            due = datetime.fromisoformat(oldest) + retention
            await asyncio.sleep(max(1.0, (due - discord.utils.utcnow()).total_seconds()))

    async def purge_now(self, now: datetime) -> list[int]:
        """Delete the data of every server the bot left more than the retention period ago."""
        cutoff = now - timedelta(days=self.bot.settings.retention_days)
        purged = []
        for guild_id in await self.bot.store.guilds.left_before(iso(cutoff)):
            if not self.bot.owns_guild(guild_id):  # in a cluster, the process whose shard holds it purges it
                continue
            if self.bot.get_guild(guild_id) is not None:  # added back, event not processed yet
                await self.bot.store.guilds.seen([guild_id])
                continue
            await self.bot.store.privacy.forget_guild(guild_id)
            purged.append(guild_id)
            log.info("deleted the data of server %s (retention period over)", guild_id)
        return purged

    # ------------------------------------------------------------ health
    @tasks.loop(seconds=60)
    async def heartbeat(self) -> None:
        try:
            await self.bot.store.meta.set(HEARTBEAT_KEY, iso(discord.utils.utcnow()))
        except Exception:
            log.exception("could not write the heartbeat")

    @heartbeat.before_loop
    async def _before_heartbeat(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Lifecycle(bot))
