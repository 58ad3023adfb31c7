"""Live data: the bot finds this week's dramas in a recorded TVmaze feed served on 127.0.0.1 (no internet), a
manager follows one, its episode is announced at its time, and /schedule airing shows the day.

It plays before the episode-night scene and turns live data off again at its end, so the later scenes (and
the try-out) run as a server without live data: their long waits stay cheap and their clock as they expect."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.sources.feed import RECORDED, FeedServer

TITLE = "Live data: this week's dramas, found on their own"
PROBE = "winter-ledger-2026"  # a drama of the recorded week: its arrival says the first sync is done


async def start_feed(demo) -> str:
    """Serve a copy of the recorded feed for the rest of the demo (closed when the demo ends)."""
    folder = Path(tempfile.mkdtemp(prefix="dramabot-feed-"))
    shutil.copytree(RECORDED, folder / "feed")
    server = FeedServer(folder / "feed")
    url = await server.start()

    async def stop() -> None:
        await server.close()
        shutil.rmtree(folder, ignore_errors=True)

    demo.cleanups.append(stop)
    return url


async def next_synced_episode(demo, now: int, within: int = 3 * 86400):
    """The soonest episode (within ``within`` s) of a drama the sync linked that this server does not follow yet."""
    store = demo.bot.store
    followed = set(await store.schedule.followed_drama_ids(demo.guild.id))
    for row in await store.schedule.upcoming(now + 60, now + within, limit=50):
        if row["drama_id"] not in followed and row["status"] != "cancelled" and await store.sources.link_of(
                row["drama_id"]):
            return row
    return None


async def play(demo) -> None:
    url = await start_feed(demo)
    demo.overrides.update(sources="tvmaze", tvmaze_url=url, sources_rate=1000.0, sync_days_ahead=7)
    await demo.restart("the host turns on live data (SOURCES=tvmaze; here a recorded TVmaze week on 127.0.0.1)")
    for _ in range(10):  # the first sync runs at start; give it a moment of virtual time
        if await demo.bot.store.catalog.drama_by_slug(PROBE):
            break
        await demo.env.advance_time(1)
    demo.narrate("Nobody typed a schedule: the sync found this week's Korean dramas.")
    await demo.slash(demo.fans["sora"], demo.general, "schedule airing")
    now = int(demo.env.now().timestamp())
    row = await next_synced_episode(demo, now, within=25 * 60)  # this morning's daily drama
    if row is None:
        demo.narrate("(Nothing in the recorded week airs in the next minutes at this point of the demo.)")
        await live_off(demo)
        return
    slug, title = row["slug"], row["drama_title"]
    await demo.slash(demo.manager, demo.general, "schedule follow", drama=slug, channel=demo.announcements,
                     role=demo.watchers)
    await demo.slash(demo.fans["jae"], demo.general, "ask", question=f"When is the next episode of {title}?")
    await demo.slash(demo.fans["dohyun"], demo.general, "drama info", title=title)
    left = row["air_at"] - int(demo.env.now().timestamp())
    while left > 2 * 3600:
        await demo.env.advance_time(2 * 3600)
        left -= 2 * 3600
    await demo.advance(max(left, 0) + 60, f"time passes until {title} airs")
    await demo.slash(demo.fans["minji"], demo.general, "schedule airing", day="week")
    await demo.slash(demo.manager, demo.general, "schedule unfollow", drama=slug)
    await live_off(demo)


async def live_off(demo) -> None:
    demo.overrides.clear()
    await demo.restart("for the rest of the demo the host turns live data off again (SOURCES=none)")
