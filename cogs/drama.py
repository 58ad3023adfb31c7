"""/drama info, /drama cast, /drama search and /actor info: catalog lookups with forgiving autocomplete."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.names import norm
from bot.client import DramaBot
from bot.errors import NotFound
from bot.knowledge.engine import engine_for
from bot.knowledge.labels import broadcast_slot, crew_names, dedupe_cast, describe, drama_label, source_text
from bot.knowledge.text import format_date, join_names
from bot.reach import both_installs, everywhere_contexts
from bot.sources import tmdb
from bot.sources.report import provenance_text
from bot.ui import NO_PINGS, BaseView, escape, reply
from cogs._drama_option import drama_autocomplete, resolve_drama

PINK = discord.Colour.from_rgb(236, 72, 153)
PAGE = 10


def _list(value: Any) -> list[str]:
    try:
        parsed = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return [str(v) for v in parsed] if isinstance(parsed, list) else []


def _date(value: str | None) -> str:
    """``28 May 2024 (<t:…:D>)``: the plain date, plus a Discord timestamp in the reader's locale."""
    if not value:
        return ""
    text = format_date(value)
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return text
    stamp = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp())
    return f"{text} (<t:{stamp}:D>)"


def _clip(text: str, limit: int = 1024) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_escape = escape  # catalog and member text shown in a message


async def actor_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    current = (current or "")[:100]
    if not norm(current):
        return []
    matches = await engine_for(bot.store).match_people(current, limit=25)
    choices = []
    for m in matches:
        person = await bot.store.knowledge.person(m.id)
        if person is None:
            continue
        label = person["name"] + (f" ({person['korean_name']})" if person["korean_name"] else "")
        choices.append(app_commands.Choice(name=label[:100], value=person["slug"][:100]))
    return choices


async def _genre_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    values = await bot.store.knowledge.genres()
    key = norm(current)
    return [app_commands.Choice(name=v[:100], value=v[:100]) for v in values if key in norm(v)][:25]


async def _network_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: DramaBot = interaction.client  # type: ignore[assignment]
    values = await bot.store.knowledge.networks()
    key = norm(current)
    return [app_commands.Choice(name=v[:100], value=v[:100]) for v in values if key in norm(v)][:25]


class SearchPages(BaseView):
    """Previous/Next over search results; only the member who searched can turn the pages."""

    def __init__(self, cog: Drama, owner_id: int, title: str, ids: list[int] | None, filters: dict[str, Any],
                 total: int) -> None:
        super().__init__(timeout=600)
        self.cog = cog
        self.owner_id = owner_id
        self.title = title
        self.ids = ids
        self.filters = filters
        self.total = total
        self.page = 0
        self._sync()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))

    def _sync(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def embed(self) -> discord.Embed:
        _total, rows = await self.cog.bot.store.knowledge.search_dramas(
            ids=self.ids, offset=self.page * PAGE, limit=PAGE, **self.filters)
        lines = []
        for n, r in enumerate(rows, start=self.page * PAGE + 1):
            bits = [b for b in (r["network"], f"{r['episodes']} eps" if r["episodes"] else None) if b]
            lines.append(f"{n}. **{_escape(drama_label(r))}**" + (f" — {', '.join(bits)}" if bits else ""))
        embed = discord.Embed(title=self.title, description="\n".join(lines) or "Nothing on this page.", colour=PINK)
        embed.set_footer(text=f"Page {self.page + 1} of {self.pages} · {self.total} dramas · /drama info for details")
        return embed

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "Only the member who searched can turn these pages; run /drama search yourself.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = max(0, self.page - 1)
        self._sync()
        await interaction.response.edit_message(embed=await self.embed(), view=self)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        self._sync()
        await interaction.response.edit_message(embed=await self.embed(), view=self)


class Drama(commands.Cog):
    """Look up dramas and actors."""

    feature = "Dramas"
    help_note = "Titles can be typed loosely: aliases, Korean titles and small typos all work."

    # Offered everywhere, also through a user install (bot/reach.py).
    drama = app_commands.Group(name="drama", description="Look up K-dramas in the catalog.",
                               allowed_contexts=everywhere_contexts(), allowed_installs=both_installs())
    actor = app_commands.Group(name="actor", description="Look up actors in the catalog.",
                               allowed_contexts=everywhere_contexts(), allowed_installs=both_installs())

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    # ------------------------------------------------------------------ /drama info
    @drama.command(name="info", description="Everything the catalog knows about a drama.", extras={"who": "member"})
    @app_commands.describe(title="The drama's title (English, Korean or an alias; typos are fine)")
    @app_commands.autocomplete(title=drama_autocomplete)
    async def info(self, interaction: discord.Interaction, title: str) -> None:
        d = await resolve_drama(self.bot, title)
        await reply(interaction, embed=await self.info_embed(d), allowed_mentions=NO_PINGS)

    async def info_embed(self, d: Any) -> discord.Embed:
        k = self.bot.store.knowledge
        about = describe(d)
        embed = discord.Embed(title=drama_label(d), description=_clip(_escape(about), 4000), colour=PINK)
        fields: list[tuple[str, str]] = []
        if d["korean_title"]:
            fields.append(("Korean title", d["korean_title"]))
        if d["year"]:
            fields.append(("Year", str(d["year"])))
        if d["network"]:
            fields.append(("Network", d["network"]))
        platforms = _list(d["platforms"])
        if platforms:
            fields.append(("Watch on", ", ".join(platforms)))
        if d["episodes"]:
            fields.append(("Episodes", str(d["episodes"])))
        if d["first_aired"]:
            fields.append(("Premiere", _date(d["first_aired"])))
        if d["last_aired"]:
            fields.append(("Finale", _date(d["last_aired"])))
        days = _list(d["air_days"])
        if days or d["air_time"]:
            fields.append(("Broadcast", broadcast_slot(d, days)))
        if d["status"]:
            fields.append(("Status", d["status"].capitalize()))
        genres = _list(d["genres"])
        if genres:
            fields.append(("Genres", ", ".join(genres)))
        if _list(d["directors"]):
            fields.append(("Director", join_names(crew_names(_list(d["directors"])))))
        if _list(d["writers"]):
            fields.append(("Writer", join_names(crew_names(_list(d["writers"])))))
        if d["source_title"] or d["source_type"]:
            fields.append(("Based on", source_text(d, work="Work", illustrated="art by", published="")))
        scores = []
        if d["rating"] is not None:
            scores.append(f"{d['rating']:g}/10")
        if d["peak_share"] is not None:
            scores.append(f"peak share {d['peak_share']:g}%")
        if scores:
            fields.append(("Rating", ", ".join(scores)))
        s2 = {"unknown": "Not confirmed", "rumoured": "Rumoured (not confirmed)", "confirmed": "Confirmed",
              "denied": "Ruled out"}.get(d["season2_status"] or "unknown", "Not confirmed")
        if d["season2_as_of"]:
            s2 += f" (as of {format_date(d['season2_as_of'])})"
        fields.append(("Season 2", s2))
        similar = await k.similar(d["id"], limit=4)
        if similar:
            fields.append(("Similar dramas", ", ".join(drama_label(r) for r in similar)))
        cast = dedupe_cast(await k.cast(d["id"]))
        main = [r for r in cast if r["role"] == "main"] or cast
        if main:
            fields.append(("Starring", ", ".join(r["name"] for r in main[:6])))
        source = await self.bot.store.sources.link_of(d["id"])
        if source is not None:  # where the data came from (and TVmaze's credit, required by its licence)
            data = provenance_text(source)
            if source["provider"] == tmdb.NAME:  # TMDB's required notice
                data += f" {tmdb.ATTRIBUTION}"
            elif await self.bot.store.sources.link_of(d["id"], tmdb.NAME) is not None:
                data += f" Korean names from TMDB. {tmdb.ATTRIBUTION}"
            fields.append(("Data", data))
        for name, value in fields[:23]:
            embed.add_field(name=name, value=_clip(_escape(value)), inline=name not in ("Based on", "Similar dramas",
                                                                                        "Starring", "Data"))
        facts = await k.facts(d["id"], limit=3)
        if facts:
            embed.add_field(name="Facts", value=_clip("\n".join(f"• {_escape(f['text'])}" for f in facts)),
                            inline=False)
        embed.set_footer(text=f"Ask me more: /ask question: who directed {d['title']}?"[:200])
        return embed

    # ------------------------------------------------------------------ /drama cast
    @drama.command(name="cast", description="Who is in a drama, main cast first.", extras={"who": "member"})
    @app_commands.describe(title="The drama's title (English, Korean or an alias; typos are fine)")
    @app_commands.autocomplete(title=drama_autocomplete)
    async def cast(self, interaction: discord.Interaction, title: str) -> None:
        d = await resolve_drama(self.bot, title)
        cast = dedupe_cast(await self.bot.store.knowledge.cast(d["id"]))
        embed = discord.Embed(title=f"Cast of {drama_label(d)}", colour=PINK)
        if not cast:
            embed.description = "I don't have the cast of this drama yet."
        groups = (("Main cast", [r for r in cast if r["role"] == "main"]),
                  ("Supporting cast", [r for r in cast if r["role"] in ("support", None)]),
                  ("Guests", [r for r in cast if r["role"] == "guest"]))
        for name, rows in groups:
            if not rows:
                continue
            lines = [f"**{_escape(r['name'])}**" + (f" as {_escape(r['character'])}" if r["character"] else "")
                     for r in rows[:25]]
            more = f"\n…and {len(rows) - 25} more" if len(rows) > 25 else ""
            embed.add_field(name=name, value=_clip("\n".join(lines) + more), inline=False)
        await reply(interaction, embed=embed, allowed_mentions=NO_PINGS)

    # ------------------------------------------------------------------ /drama search
    @drama.command(name="search", description="Find dramas by title words, genre, network or year.",
                   extras={"who": "member"})
    @app_commands.describe(query="Words from the title (any spelling; use * to list everything that fits the filters)",
                           genre="Only dramas of this genre", network="Only dramas on this network or platform",
                           year="Only dramas from this year")
    @app_commands.autocomplete(genre=_genre_autocomplete, network=_network_autocomplete)
    async def search(self, interaction: discord.Interaction, query: str, genre: str | None = None,
                     network: str | None = None, year: app_commands.Range[int, 1950, 2100] | None = None) -> None:
        filters = {"genre": genre, "network": network, "year": year}
        ids: list[int] | None = None
        if norm(query) and query.strip() != "*":
            matches = await engine_for(self.bot.store).match_dramas(query, limit=200)
            ids = [m.id for m in matches if m.score >= 60]
        total, _rows = await self.bot.store.knowledge.search_dramas(ids=ids, limit=1, **filters)
        shown = _escape(query.strip()[:60])
        if total == 0:
            raise NotFound(f"I couldn't find any drama matching “{shown}” with those filters.")
        parts = [f"“{shown}”" if ids is not None else "All dramas"]
        parts += [f"{k}: {_escape(str(v))}" for k, v in filters.items() if v]
        view = SearchPages(self, interaction.user.id, _clip(" · ".join(parts), 250), ids, filters, total)
        await reply(interaction, embed=await view.embed(), view=view, allowed_mentions=NO_PINGS)

    # ------------------------------------------------------------------ /actor info
    @actor.command(name="info", description="An actor's roles across the catalog and the names they go by.",
                   extras={"who": "member"})
    @app_commands.describe(name="The actor's name (romanised or Korean; typos are fine)")
    @app_commands.autocomplete(name=actor_autocomplete)
    async def actor_info(self, interaction: discord.Interaction, name: str) -> None:
        person = await self.resolve_person(name)
        k = self.bot.store.knowledge
        film = await k.filmography(person["id"])
        aliases = [a for a in await k.person_aliases(person["id"]) if a != person["name"]]
        embed = discord.Embed(title=person["name"], colour=PINK)
        if person["korean_name"]:
            embed.add_field(name="Korean name", value=_escape(person["korean_name"]))
        if aliases:
            embed.add_field(name="Also known as", value=_clip(_escape(", ".join(aliases[:15]))))
        lines = []
        for r in film[:30]:
            line = f"**{_escape(drama_label(r))}**"
            if r["character"]:
                line += f" as {_escape(r['character'])}"
            if r["role"]:
                line += f" ({r['role']})"
            lines.append(line)
        if len(film) > 30:
            lines.append(f"…and {len(film) - 30} more")
        embed.add_field(name=f"Dramas ({len(film)})", value=_clip("\n".join(lines) or "None in the catalog yet."),
                        inline=False)
        await reply(interaction, embed=embed, allowed_mentions=NO_PINGS)

    async def resolve_person(self, typed: str) -> Any:
        typed = (typed or "").strip()
        k = self.bot.store.knowledge
        row = await k.person_by_slug(typed)
        if row is not None:
            return row
        matches = await engine_for(self.bot.store).match_people(typed, limit=5)
        exact = [m for m in matches if m.exact]
        if exact:
            return await k.person(exact[0].id)
        if matches and matches[0].score >= 80 and (len(matches) == 1 or matches[0].score - matches[1].score >= 3):
            return await k.person(matches[0].id)
        shown = _escape(typed[:80]) or "that"
        if matches:
            names = [(await k.person(m.id))["name"] for m in matches[:5]]
            raise NotFound(f"I couldn't find an actor called “{shown}”. Did you mean: {', '.join(names)}?")
        raise NotFound(f"I couldn't find an actor called “{shown}” in my catalog.")


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Drama(bot))
