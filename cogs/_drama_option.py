"""The ``drama:`` option every feature shares: autocomplete and turning what was typed into a drama.

Autocomplete offers ``title (year)`` labels whose value is the drama's slug, so a picked choice
resolves exactly; free text typed without picking is resolved by the question engine's matcher
(``bot.knowledge``): exact title/alias/Hangul keys first, then prefixes, substrings and typos.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalog.names import norm
from bot.errors import NotFound
from bot.knowledge.engine import drama_label, engine_for
from bot.ui import escape

if TYPE_CHECKING:
    from bot.client import DramaBot

_YEAR_SUFFIX = re.compile(r"\s*[\(\[]?\s*((?:19|20)\d\d)\s*[\)\]]?\s*$")


def _label(row: sqlite3.Row) -> str:
    return drama_label(row)


def _shown(typed: str) -> str:
    return escape(typed[:80]) or "that"


async def drama_choices(bot: DramaBot, current: str, limit: int = 25) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for a drama: fuzzy, alias, Hangul and romanisation aware, best first."""
    current = (current or "")[:100]
    if not norm(current):
        rows = await bot.store.catalog.find_dramas("", limit=limit)
    else:
        matches = await engine_for(bot.store).match_dramas(current, limit=limit)
        rows = await bot.store.knowledge.dramas_brief([m.id for m in matches])
        order = {m.id: n for n, m in enumerate(matches)}
        rows = sorted(rows, key=lambda r: order[r["id"]])
    return [app_commands.Choice(name=_label(r)[:100], value=r["slug"][:100]) for r in rows[:limit]]


async def drama_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    return await drama_choices(bot, current)


async def resolve_drama(bot: DramaBot, typed: str) -> sqlite3.Row:
    """The drama a member meant, or :class:`NotFound` with suggestions (did you mean / which one)."""
    typed = (typed or "").strip()
    if not typed:
        raise NotFound("Tell me which drama: start typing its title and pick it from the list.")
    row = await bot.store.catalog.drama_by_slug(typed)
    if row is not None:
        return row
    year = None
    match = _YEAR_SUFFIX.search(typed)
    if match and norm(typed[: match.start()]):
        year = int(match.group(1))
    engine = engine_for(bot.store)
    index = await engine.index()
    key = norm(typed)
    candidates = index.exact(key)
    if not candidates and year is not None:
        candidates = index.exact(norm(typed[: match.start()]))
    if candidates:
        rows = await bot.store.knowledge.dramas_brief(candidates)
        if year is not None and any(r["year"] == year for r in rows):
            rows = [r for r in rows if r["year"] == year]
        if len(rows) == 1:
            return await bot.store.catalog.get_drama(rows[0]["id"])
        names = ", ".join(_label(r) for r in sorted(rows, key=lambda r: -(r["year"] or 0))[:6])
        raise NotFound(f"Several dramas are called “{_shown(typed)}”: {names}. Pick one from the list "
                       f"(or add the year).")
    fuzzy = index.fuzzy(key, limit=3, cutoff=80) if len(key) >= 4 else []
    if fuzzy and (len(fuzzy) == 1 or fuzzy[0][0] - fuzzy[1][0] >= 4):
        return await bot.store.catalog.get_drama(fuzzy[0][2])
    prefixed = list(dict.fromkeys(i for _k, i in index.prefix(key, limit=5)))
    if len(prefixed) == 1:
        return await bot.store.catalog.get_drama(prefixed[0])
    matches = await engine.match_dramas(typed, limit=5)
    if matches:
        rows = await bot.store.knowledge.dramas_brief([m.id for m in matches])
        order = {m.id: n for n, m in enumerate(matches)}
        names = ", ".join(_label(r) for r in sorted(rows, key=lambda r: order[r["id"]]))
        raise NotFound(f"I couldn't find a drama called “{_shown(typed)}”. Did you mean: {names}?")
    raise NotFound(f"I couldn't find a drama called “{_shown(typed)}” in my catalog.")
