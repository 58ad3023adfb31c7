"""Live data: the bot finds this week's dramas in a recorded TVmaze feed served on 127.0.0.1 (no internet), a
manager follows one, its episode is announced at release time, and /schedule airing shows the day."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from bot.sources.feed import RECORDED, FeedServer

TITLE = "Live data: this week's dramas, found on their own"
SLUG = "winter-ledger-2026"
RELEASE = int(dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC).timestamp())  # Thursday 17:00 KST on Netflix


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


async def play(demo) -> None:
    url = await start_feed(demo)
    demo.overrides.update(sources="tvmaze", tvmaze_url=url, sources_rate=1000.0, sync_days_ahead=7)
    await demo.restart("the host turns on live data (SOURCES=tvmaze; here a recorded TVmaze week on 127.0.0.1)")
    for _ in range(10):  # the first sync runs at start; give it a moment of virtual time
        if await demo.bot.store.catalog.drama_by_slug(SLUG):
            break
        await demo.env.advance_time(1)
    demo.narrate("Nobody typed a schedule: the sync found this week's Korean dramas.")
    await demo.slash(demo.fans["sora"], demo.general, "schedule airing")
    await demo.slash(demo.manager, demo.general, "schedule follow", drama=SLUG, channel=demo.announcements,
                     role=demo.watchers)
    await demo.slash(demo.fans["jae"], demo.general, "ask", question="When is the next episode of Winter Ledger?")
    await demo.slash(demo.fans["dohyun"], demo.general, "drama info", title="Winter Ledger")
    now = int(demo.env.now().timestamp())
    left = RELEASE - now
    while left > 2 * 3600:
        await demo.env.advance_time(2 * 3600)
        left -= 2 * 3600
    await demo.advance(max(left, 0) + 60, "the hours pass until Netflix releases episode 1")
    await demo.slash(demo.fans["minji"], demo.general, "schedule airing", day="week")
