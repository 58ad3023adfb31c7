"""The owner commands ``/schedule edit generate|delay|skip|double|cancel``: rewrite a drama's episodes.

A mixin of the ``Schedule`` cog (``cogs/schedule.py``), which owns the ``/schedule`` group: discord.py
collects these commands from the cog's bases. The schedule rules themselves live in ``bot.schedule.slots``.
"""

from __future__ import annotations

import json
import sqlite3

import discord
from discord import app_commands

from bot import checks
from bot.client import DramaBot
from bot.errors import BadInput
from bot.schedule import slots
from bot.schedule.times import (
    DEFAULT_TZ,
    parse_date,
    parse_days,
    parse_local_datetime,
    parse_time,
    to_epoch,
    to_utc,
    zone,
)
from bot.ui import reply
from cogs._drama_option import drama_autocomplete, resolve_drama
from cogs._schedule_announcer import Announcer, esc, now_epoch


class ScheduleEditCommands:
    """``/schedule edit ...`` for bot owners; needs the cog's ``bot`` and ``delivery`` (its :class:`Announcer`)."""

    bot: DramaBot
    delivery: Announcer

    edit = app_commands.Group(name="edit", description="Edit a drama's airing schedule (bot owners).",
                              extras={"who": "owner"})

    async def _drama_and_episodes(self, drama: str) -> tuple[sqlite3.Row, list[slots.Episode]]:
        row = await resolve_drama(self.bot, drama)
        episodes = await self.bot.store.schedule.episodes(row["id"])
        return row, episodes

    async def _save(self, interaction: discord.Interaction, row: sqlite3.Row, episodes: list[slots.Episode],
                    summary: str) -> None:
        await self.bot.store.schedule.replace_episodes(row["id"], episodes, now_epoch(), by_hand=True)
        await self.delivery.sync_events(now_epoch())
        await reply(interaction, f"**{esc(row['title'])}**: {summary}")

    @edit.command(name="generate", description="Create a drama's episodes from its broadcast slot.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", days="Air days, e.g. Mon/Tue (default: from the catalog)",
                           time="Local air time HH:MM, e.g. 20:50 (default: from the catalog)",
                           first_date="Date of episode 1, YYYY-MM-DD (default: the catalog's first air date)",
                           episodes="How many episodes (default: from the catalog)",
                           tz="Time zone of the slot (default: the catalog's, else Asia/Seoul)",
                           platforms="Streaming availability, e.g. 'Viki 60, Netflix 0' (minutes after broadcast)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_generate(self, interaction: discord.Interaction, drama: str, days: str | None = None,
                            time: str | None = None, first_date: str | None = None,
                            episodes: app_commands.Range[int, 1, 500] | None = None, tz: str | None = None,
                            platforms: str | None = None) -> None:
        row = await resolve_drama(self.bot, drama)
        catalog_days = " ".join(json.loads(row["air_days"] or "[]"))
        days = days or catalog_days
        time = time or row["air_time"]
        first_date = first_date or row["first_aired"]
        count = episodes or row["episodes"]
        missing = [n for n, v in (("days", days), ("time", time), ("first_date", first_date), ("episodes", count))
                   if not v]
        if missing:
            raise BadInput(f"The catalog has no {', '.join(missing)} for this drama; give {'/'.join(missing)}.")
        zone_info = zone(tz or row["air_tz"] or DEFAULT_TZ)
        generated = slots.generate(parse_days(days), parse_time(time), parse_date(first_date), count, zone_info,
                                   slots.parse_availability(platforms))
        await self._save(interaction, row, generated,
                         f"{len(generated)} episodes, <t:{generated[0].air_at}:F> to <t:{generated[-1].air_at}:F> (finale).")

    @edit.command(name="delay", description="Move one episode to a new time.", extras={"who": "owner"})
    @app_commands.describe(drama="The drama", episode="Episode number", new_time="New local time, YYYY-MM-DD HH:MM",
                           tz="Time zone of new_time (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_delay(self, interaction: discord.Interaction, drama: str, episode: app_commands.Range[int, 1, 500],
                         new_time: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        moment = to_utc(parse_local_datetime(new_time), zone(tz or DEFAULT_TZ))
        changed = slots.delay(eps, episode, to_epoch(moment), now_epoch())
        await self._save(interaction, row, changed, f"episode {episode} now airs <t:{to_epoch(moment)}:F>.")

    @edit.command(name="skip", description="Pre-emption: nothing airs that week; later episodes move a week.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", week_of="Any date in the skipped week, YYYY-MM-DD",
                           tz="Time zone the week is counted in (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_skip(self, interaction: discord.Interaction, drama: str, week_of: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        day = parse_date(week_of)
        changed = slots.skip_week(eps, day, zone(tz or DEFAULT_TZ), now_epoch())
        await self._save(interaction, row, changed, f"no episode in the week of {day.isoformat()}; later ones move a week.")

    @edit.command(name="double", description="Two episodes in one night: the next one follows directly.",
                  extras={"who": "owner"})
    @app_commands.describe(drama="The drama", date="The night, YYYY-MM-DD", tz="Time zone of that date (default Asia/Seoul)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_double(self, interaction: discord.Interaction, drama: str, date: str, tz: str | None = None) -> None:
        row, eps = await self._drama_and_episodes(drama)
        day = parse_date(date)
        changed = slots.double(eps, day, zone(tz or DEFAULT_TZ), now_epoch())
        await self._save(interaction, row, changed, f"two episodes on {day.isoformat()}; later ones move up a slot.")

    @edit.command(name="cancel", description="Cancel one episode (it will not be announced).", extras={"who": "owner"})
    @app_commands.describe(drama="The drama", episode="Episode number")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.owner_only()
    async def edit_cancel(self, interaction: discord.Interaction, drama: str,
                          episode: app_commands.Range[int, 1, 500]) -> None:
        row, eps = await self._drama_and_episodes(drama)
        changed = slots.cancel(eps, episode, now_epoch())
        await self._save(interaction, row, changed, f"episode {episode} is cancelled.")
