"""A manager follows an airing drama; time passes; the reminder and the announcement appear."""

from __future__ import annotations

import discord

from bot.catalog.names import norm
from bot.schedule.slots import Episode

TITLE = "Episode night: following a drama"
DEMO_SLUG = "lovely-runner-2024"


async def _drama(demo) -> tuple[str, int]:
    """The shipped catalog's Lovely Runner (the demo database loads the catalog on first start)."""
    store = demo.bot.store
    row = await store.catalog.drama_by_slug(DEMO_SLUG)
    if row is None:
        rows = await store.catalog.find_dramas(norm("Lovely Runner"), limit=1)
        row = await store.catalog.get_drama(rows[0]["id"])
    return row["slug"], row["id"]


async def play(demo) -> None:
    slug, drama_id = await _drama(demo)
    now = int(discord.utils.utcnow().timestamp())
    # The owner's schedule, placed relative to the demo's virtual now: tonight and the next two nights.
    start = now + 45 * 60
    episodes = [Episode(number=n + 9, air_at=start + n * 86400, finale=n == 2) for n in range(3)]
    await demo.bot.store.schedule.replace_episodes(drama_id, episodes, now)
    demo.narrate("The bot owner has loaded tonight's schedule (episode 9 in 45 minutes).")
    await demo.slash(demo.manager, demo.general, "schedule follow", drama=slug, channel=demo.announcements,
                     role=demo.watchers, remind_minutes=15, thread=True)
    await demo.slash(demo.fans["jae"], demo.general, "schedule upcoming", drama=slug)
    await demo.slash(demo.fans["minji"], demo.general, "remind add", drama=slug, minutes=10)
    await demo.advance(31 * 60, "31 minutes pass (15 minutes to air)")
    await demo.advance(15 * 60, "15 minutes pass: the episode starts")
    dms = [m.content for m in demo.fans["minji"].user.dm_channel.history() if "starts in" in m.content]
    if dms:
        demo.narrate(f"minji's DMs: {dms[-1].splitlines()[0]}")
