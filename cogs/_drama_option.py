"""The ``drama:`` option every feature shares: autocomplete and turning what was typed into a drama.

Autocomplete offers ``title (year)`` labels whose value is the drama's slug, so a picked choice
resolves exactly; free text typed without picking is resolved by the same matcher. The question
engine (issue: knowledge) may swap the matcher for a fuzzier one without changing these signatures.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalog.names import norm
from bot.errors import NotFound

if TYPE_CHECKING:
    from bot.client import DramaBot


def _label(row: sqlite3.Row) -> str:
    return f"{row['title']} ({row['year']})" if row["year"] else row["title"]


async def drama_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    rows = await bot.store.catalog.find_dramas(norm(current)[:100], limit=25)
    return [app_commands.Choice(name=_label(r)[:100], value=r["slug"]) for r in rows]


async def resolve_drama(bot: DramaBot, typed: str) -> sqlite3.Row:
    """The drama a member meant, or :class:`NotFound` with suggestions."""
    typed = (typed or "").strip()
    row = await bot.store.catalog.drama_by_slug(typed)
    if row is not None:
        return row
    rows = await bot.store.catalog.find_dramas(norm(typed), limit=5)
    exact = [r for r in rows if r["exact"]]
    if len(exact) == 1 or (rows and len(rows) == 1):
        return await bot.store.catalog.get_drama((exact or rows)[0]["id"])
    shown = discord.utils.escape_mentions(discord.utils.escape_markdown(typed[:80])) or "that"
    if rows:
        names = ", ".join(_label(r) for r in rows[:5])
        raise NotFound(f"I couldn't tell which drama you mean by “{shown}”. Did you mean: {names}?")
    raise NotFound(f"I couldn't find a drama called “{shown}” in my catalog.")
